"""Sentence embeddings from the shipped model2vec model (distilled from all-MiniLM-L6-v2; see scripts/distill.py).

No torch, no network: the model is a ~15 MB file inside the package and encodes ~25 k sentences/s on one core.
"""

from __future__ import annotations

import functools
import json
from importlib import resources

import numpy as np

from ..errors import DetenteError

MODEL_DIR = resources.files("detente") / "data" / "embeddings" / "minilm-m2v"
_RECENT: dict[str, np.ndarray] = {}
"""Vectors of recently embedded texts: the ACLED classifier reads the sentences the event classifier just read."""
_RECENT_MAX = 20_000


@functools.lru_cache(maxsize=1)
def load_embedder():
    from model2vec import StaticModel

    path = str(MODEL_DIR)
    if not (MODEL_DIR / "model.safetensors").is_file():
        raise DetenteError("E003", path=path)
    return StaticModel.from_pretrained(path)


def embed(texts: list[str]) -> np.ndarray:
    """L2-normalised float32 embeddings, one row per text.

    >>> embed(["Iran struck Pakistan.", "The talks went well."]).shape
    (2, 256)
    """
    if not texts:
        return np.zeros((0, dim()), dtype=np.float32)
    # read the shared cache into a local table first: another thread may clear it meanwhile (the API shares a coder)
    found = {t: _RECENT.get(t) for t in dict.fromkeys(texts)}
    todo = [t for t, v in found.items() if v is None]
    if todo:
        vecs = load_embedder().encode(todo, show_progress_bar=False).astype(np.float32)
        vecs /= np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-9)
        found.update(zip(todo, vecs))
        if len(_RECENT) + len(todo) > _RECENT_MAX:
            _RECENT.clear()
        _RECENT.update(zip(todo, vecs))
    return np.stack([found[t] for t in texts])



def dim() -> int:
    config = json.loads((MODEL_DIR / "config.json").read_text())
    return int(config.get("hidden_dim") or load_embedder().dim)


@functools.lru_cache(maxsize=1)
def vocabulary() -> frozenset[str]:
    """The whole words of the shipped model's (BERT uncased) word-piece vocabulary: ~22 k common English words and
    well-known names. A lower-case word outside it is most likely a rarer name ("cerezo", "fmln")."""
    path = MODEL_DIR / "tokenizer.json"
    try:
        vocab = json.loads(path.read_text(encoding="utf-8"))["model"]["vocab"]
    except (FileNotFoundError, KeyError, ValueError) as exc:
        raise DetenteError("E003", path=str(path)) from exc
    return frozenset(w for w in vocab if w.isalpha() and not w.startswith("##"))
