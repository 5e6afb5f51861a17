"""The learned stage: which PLOVER type (or none) a trigger candidate expresses, with a calibrated confidence.

Features per candidate: the sentence's model2vec embedding, the embedding of a window around the trigger, the
lexicon's readings for the trigger (one-hot over the 16 types), and two syntactic flags (verbal trigger; background
nominal). The model is a multinomial logistic regression trained by ``detente.detect.train``; it is stored as plain
arrays (``.npz``) plus a JSON manifest, so prediction needs numpy only, and loading runs no pickled code.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from ..errors import DetenteError
from .embed import embed

MODEL_DIR = resources.files("detente") / "data" / "models"
MODEL_NAME = "plover-type.v1"
NONE = "NONE"

PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE", "REJECT",
    "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
WINDOW = 3  # tokens either side of the trigger


@dataclass
class Candidate:
    """What the classifier sees of one trigger candidate."""

    sentence: str
    window: str
    readings: tuple[str, ...]
    verbal: bool
    background: bool


def featurize(cands: list[Candidate]) -> np.ndarray:
    if not cands:
        return np.zeros((0, 0), dtype=np.float32)
    sent_vecs = embed([c.sentence for c in cands])
    win_vecs = embed([c.window for c in cands])
    lex = np.zeros((len(cands), len(PLOVER_TYPES) + 2), dtype=np.float32)
    index = {t: i for i, t in enumerate(PLOVER_TYPES)}
    for row, c in enumerate(cands):
        for r in c.readings:
            if r in index:
                lex[row, index[r]] = 1.0
        lex[row, -2] = float(c.verbal)
        lex[row, -1] = float(c.background)
    return np.hstack([sent_vecs, win_vecs, lex * 2.0])


class TypeClassifier:
    """Loaded model: ``predict_proba(candidates) -> (probabilities, classes)``."""

    def __init__(self, *, path: str | Path | None = None) -> None:
        self.path = path

    def initialize(self) -> TypeClassifier:
        base = Path(str(self.path)) if self.path else Path(str(MODEL_DIR / MODEL_NAME))
        npz, meta = base.with_suffix(".npz"), base.with_suffix(".json")
        if not npz.is_file():
            raise DetenteError("E003", path=str(npz))
        arrays = np.load(npz, allow_pickle=False)
        self.coef_ = arrays["coef"].astype(np.float32)
        self.intercept_ = arrays["intercept"].astype(np.float32)
        self.manifest_ = json.loads(meta.read_text()) if meta.is_file() else {}
        self.classes_ = tuple(self.manifest_.get("classes") or [str(c) for c in arrays["classes"]])
        self.trained_ids_ = frozenset(self.manifest_.get("trained_ids", []))
        return self

    def predict_proba(self, cands: list[Candidate]) -> np.ndarray:
        if not cands:
            return np.zeros((0, len(self.classes_)), dtype=np.float32)
        logits = featurize(cands) @ self.coef_.T + self.intercept_
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        return p / p.sum(axis=1, keepdims=True)


@functools.lru_cache(maxsize=2)
def load_classifier(path: str | None = None) -> TypeClassifier:
    return TypeClassifier(path=path).initialize()
