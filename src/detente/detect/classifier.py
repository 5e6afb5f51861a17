"""The learned stage: which PLOVER type (or none) a trigger candidate expresses, with a calibrated confidence.

Features per candidate: the sentence's model2vec embedding, the embedding of a window around the trigger, the
lexicon's readings for the trigger (one-hot over the 16 types), and two syntactic flags (verbal trigger; background
nominal). The model is a multinomial logistic regression trained by ``detente.detect.train``; it is stored as plain
arrays (``.npz``) plus a JSON manifest, so prediction needs numpy only, and loading runs no pickled code.
"""

from __future__ import annotations

import functools
import json
import re
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


@functools.lru_cache(maxsize=1)
def cue_families() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Word families (``data/detect/classifier_cues.tsv``) as compiled whole-word patterns."""
    path = resources.files("detente") / "data" / "detect" / "classifier_cues.tsv"
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("family\t"):
            continue
        family, words = line.split("\t", 1)
        alts = "|".join(re.escape(w.strip()).replace(r"\*", r"\w*") for w in words.split("|") if w.strip())
        out.append((family, re.compile(r"\b(?:" + alts + r")\b", re.I)))
    return tuple(out)


def cue_features(texts: list[str]) -> np.ndarray:
    """Which cue families each text contains (candidates of one sentence share the work)."""
    fams = cue_families()
    feats = np.zeros((len(texts), len(fams)), dtype=np.float32)
    seen: dict[str, np.ndarray] = {}
    for i, text in enumerate(texts):
        row = seen.get(text)
        if row is None:
            row = seen[text] = np.array([1.0 if rx.search(text) else 0.0 for _, rx in fams], dtype=np.float32)
        feats[i] = row
    return feats


def featurize(cands: list[Candidate]) -> np.ndarray:
    if not cands:
        return np.zeros((0, 0), dtype=np.float32)
    sent_vecs = embed([c.sentence for c in cands])
    win_vecs = embed([c.window for c in cands])
    cues = cue_features([c.sentence for c in cands])
    lex = np.zeros((len(cands), len(PLOVER_TYPES) + 2), dtype=np.float32)
    index = {t: i for i, t in enumerate(PLOVER_TYPES)}
    for row, c in enumerate(cands):
        for r in c.readings:
            if r in index:
                lex[row, index[r]] = 1.0
        lex[row, -2] = float(c.verbal)
        lex[row, -1] = float(c.background)
    return np.hstack([sent_vecs, win_vecs, lex * 2.0, cues])


class TypeClassifier:
    """Loaded model: ``predict_proba(candidates) -> (probabilities, classes)``."""

    def __init__(self, *, path: str | Path | None = None) -> None:
        self.path = path

    def initialize(self) -> TypeClassifier:
        base = Path(str(self.path)) if self.path else Path(str(MODEL_DIR / MODEL_NAME))
        npz, meta = base.parent / (base.name + ".npz"), base.parent / (base.name + ".json")
        if not npz.is_file():
            raise DetenteError("E003", path=str(npz))
        arrays = np.load(npz, allow_pickle=False)
        self.coef_ = arrays["coef"].astype(np.float32)
        self.intercept_ = arrays["intercept"].astype(np.float32)
        self.manifest_ = json.loads(meta.read_text()) if meta.is_file() else {}
        self.classes_ = tuple(self.manifest_.get("classes") or [str(c) for c in arrays["classes"]])
        self.trained_ids_ = frozenset(self.manifest_.get("trained_ids", []))
        self._check(base)
        # temperature fitted on out-of-fold logits at training time: calibrated probabilities
        self.temperature_ = float(self.manifest_.get("temperature", 1.0))
        return self

    def _check(self, base: Path) -> None:
        """The artefact must fit the code that feeds it: its labels, its feature width (embeddings × 2, lexicon
        types, two flags, the cue families of classifier_cues.tsv) and, where the manifest lists them, the cue
        families by name. A mismatch is one error at start-up (E612), never a wrong prediction per article."""
        from .embed import dim

        problems = []
        if set(self.classes_) != set(PLOVER_TYPES) | {NONE}:
            problems.append(f"its classes {sorted(self.classes_)} are not the 16 PLOVER types and NONE")
        families = [name for name, _ in cue_families()]
        width = 2 * dim() + len(PLOVER_TYPES) + 2 + len(families)
        if self.coef_.shape != (len(self.classes_), width):
            problems.append(f"its weights are {self.coef_.shape[0]}×{self.coef_.shape[1]}, the features "
                            f"{len(self.classes_)}×{width} ({len(families)} cue families)")
        listed = self.manifest_.get("cue_families")
        if listed is not None and list(listed) != families:
            problems.append(f"it was trained with cue families {listed}, the table has {families}")
        if problems:
            raise DetenteError("E612", path=str(base), detail="; ".join(problems))

    def predict_proba(self, cands: list[Candidate]) -> np.ndarray:
        if not cands:
            return np.zeros((0, len(self.classes_)), dtype=np.float32)
        logits = (featurize(cands) @ self.coef_.T + self.intercept_) / self.temperature_
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        return p / p.sum(axis=1, keepdims=True)


@functools.lru_cache(maxsize=2)
def load_classifier(path: str | None = None) -> TypeClassifier:
    return TypeClassifier(path=path).initialize()
