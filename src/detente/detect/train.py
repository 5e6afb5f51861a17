"""``make train``: rebuild the PLOVER type classifier from data in the repo (+ ``../shared/data`` when present).

Training examples are trigger candidates (``detect.triggers``) in labelled sentences:

* the team's sentences, ``data/training/plover_sentences.jsonl`` (trigger given);
* from ``../shared/data`` when present, the *training half* of each dev set that fits — plover_gsr (trigger from the
  EVT markup), case2021_task2 (ACLED codes → PLOVER via ``detente.ontology``), petrarch2_unittests (CAMEO → PLOVER).
  A record belongs to the training half when ``split_half(id) == "train"`` (a hash of its id). The other half is never
  seen here: its ids are not in the model manifest, and ``detente eval`` scores only records not in ``trained_ids``.

Labelling a sentence's candidates: with a gold trigger, the candidate covering it gets the gold type; without one, the
first candidate whose lexicon readings include the gold type does (else the candidate nearest the root, so the model
learns to override the lexicon); other candidates in event sentences are left out (they may be unlabelled events);
every candidate in a NONE sentence is NONE.

Run: ``python -m detente.detect.train [--shared PATH] [--c 4.0]``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import time
from collections import Counter
from pathlib import Path

import numpy as np

from ..annotate import load_nlp
from ..errors import DetenteError
from .classifier import MODEL_DIR, MODEL_NAME, NONE, PLOVER_TYPES, cue_families, featurize
from .detector import make_candidate
from .triggers import TriggerLexicon

REPO = Path(__file__).resolve().parents[3]
TEAM_DATA = Path(str(__import__("importlib").resources.files("detente") / "data" / "training"))


def split_half(record_id: str) -> str:
    """Deterministic 50/50 split of a dev set by id: "train" or "heldout"."""
    return "train" if int(hashlib.sha1(record_id.encode()).hexdigest(), 16) % 2 == 0 else "heldout"


def shared_dir(explicit: str | None = None) -> Path | None:
    for cand in (explicit, os.environ.get("DETENTE_SHARED_DATA"), REPO.parent / "shared" / "data"):
        if cand and Path(cand).is_dir():
            return Path(cand)
    return None


def _jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def team_examples() -> list[dict]:
    rows = []
    for path in sorted(TEAM_DATA.glob("*.jsonl")):
        for rec in _jsonl(path):
            rows.append({"id": None, "text": rec["text"], "type": rec["event_type"], "trigger": rec.get("trigger"),
                         "origin": "team"})
    return rows


def shared_examples(root: Path) -> list[dict]:
    from .. import ontology

    rows: list[dict] = []
    plover = root / "plover_gsr" / "plover_gsr_dev.jsonl"
    if plover.is_file():
        for rec in _jsonl(plover):
            if split_half(rec["id"]) != "train" or rec.get("event_type") not in PLOVER_TYPES:
                continue
            markup = (rec.get("gold_extra") or {}).get("markup") or ""
            evt = re.findall(r"\(EVT: ([^)]+)\)", markup)
            rows.append({"id": rec["id"], "text": rec["text"], "type": rec["event_type"],
                         "trigger": evt[0] if evt else None, "origin": "plover_gsr"})
    case = root / "case2021_task2" / "case2021_task2_dev.jsonl"
    if case.is_file():
        for rec in _jsonl(case):
            if split_half(rec["id"]) != "train":
                continue
            mapped = ontology.from_case2021(rec["event_type"])
            if mapped:
                rows.append({"id": rec["id"], "text": rec["text"], "type": mapped[0], "trigger": None,
                             "origin": "case2021_task2"})
    petr = root / "petrarch2_unittests" / "petrarch2_unittests.jsonl"
    if petr.is_file():
        for rec in _jsonl(petr):
            if split_half(rec["id"]) != "train":
                continue
            codes = [e.get("event_code") for e in rec.get("events") or [] if e.get("event_code")]
            if (rec.get("gold_extra") or {}).get("no_events_expected"):
                rows.append({"id": rec["id"], "text": rec["text"], "type": NONE, "trigger": None, "origin": "petrarch2"})
            elif len(set(codes)) == 1:
                try:
                    mapped = ontology.from_cameo(codes[0])
                except DetenteError:  # non-standard code in the regression set
                    continue
                if mapped:
                    rows.append({"id": rec["id"], "text": rec["text"], "type": mapped[0], "trigger": None,
                                 "origin": "petrarch2"})
    return rows


def label_examples(rows: list[dict], batch_size: int = 128) -> tuple[list, list[str], Counter]:
    nlp = load_nlp()
    lexicon = TriggerLexicon().initialize()
    cands, labels, misses = [], [], Counter()
    texts = [r["text"] for r in rows]
    for row, doc in zip(rows, nlp.pipe(texts, batch_size=batch_size)):
        found = [(sent, trig) for sent in doc.sents for trig in lexicon.match(sent)]
        if not found:
            if row["type"] != NONE:
                misses[row["origin"]] += 1
            continue
        if row["type"] == NONE:
            for sent, trig in found:
                cands.append(make_candidate(doc, sent, trig))
                labels.append(NONE)
            continue
        chosen = None
        if row.get("trigger"):
            at = row["text"].lower().find(row["trigger"].lower().split()[0])
            if at >= 0:
                chosen = next(((s, t) for s, t in found if doc[t.start].idx <= at < doc[t.end - 1].idx
                               + len(doc[t.end - 1])), None)
        if chosen is None:
            chosen = next(((s, t) for s, t in found if row["type"] in {r.event_type for r in t.readings}), None)
        if chosen is None:
            chosen = min(found, key=lambda st: _depth(doc[st[1].head]))
        cands.append(make_candidate(doc, *chosen))
        labels.append(row["type"])
    return cands, labels, misses


def _depth(tok) -> int:
    d = 0
    while tok.head.i != tok.i and d < 50:
        tok, d = tok.head, d + 1
    return d


def fit(X: np.ndarray, y: list[str], c: float):
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=c, max_iter=3000, class_weight="balanced")
    model.fit(X, y)
    return model


def cross_validate(X: np.ndarray, y: list[str], c: float, folds: int = 5) -> dict:
    """Out-of-fold predictions: scores, and the temperature that calibrates the probabilities (fitted on the
    out-of-fold logits, so the shipped model's confidences mean what they say)."""
    from sklearn.metrics import f1_score
    from sklearn.model_selection import StratifiedKFold

    y_arr = np.array(y)
    pred = np.empty_like(y_arr)
    counts = Counter(y)
    n_splits = min(folds, min(counts.values())) if counts else 2
    if n_splits < 2:
        return {}
    classes = np.array(sorted(counts))
    logits = np.zeros((len(y), len(classes)))
    for tr, te in StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=0).split(X, y_arr):
        model = fit(X[tr], list(y_arr[tr]), c)
        pred[te] = model.predict(X[te])
        logits[te] = model.decision_function(X[te])
    truth = np.searchsorted(classes, y_arr)
    temperature = _fit_temperature(logits, truth)
    return {"folds": n_splits, "macro_f1": round(float(f1_score(y_arr, pred, average="macro")), 4),
            "weighted_f1": round(float(f1_score(y_arr, pred, average="weighted")), 4),
            "accuracy": round(float((pred == y_arr).mean()), 4),
            "ece_before": round(_ece(_softmax(logits), truth), 4),
            "temperature": round(temperature, 3),
            "ece_after": round(_ece(_softmax(logits / temperature), truth), 4)}


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def _ece(p: np.ndarray, truth: np.ndarray, bins: int = 10) -> float:
    """Expected calibration error of the top class (10 equal-width bins)."""
    conf, hit = p.max(axis=1), (p.argmax(axis=1) == truth)
    edges = np.linspace(0, 1, bins + 1)
    total = 0.0
    for lo, hi in zip(edges[:-1], edges[1:]):
        sel = (conf > lo) & (conf <= hi)
        if sel.any():
            total += sel.mean() * abs(conf[sel].mean() - hit[sel].mean())
    return float(total)


def _fit_temperature(logits: np.ndarray, truth: np.ndarray) -> float:
    best, best_nll = 1.0, float("inf")
    for t in np.arange(0.3, 3.01, 0.05):
        p = _softmax(logits / t)
        nll = -np.log(np.maximum(p[np.arange(len(truth)), truth], 1e-12)).mean()
        if nll < best_nll:
            best, best_nll = float(t), nll
    return best


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", help="path of the shared gold data (default ../shared/data)")
    ap.add_argument("--c", type=float, default=4.0, help="inverse regularisation strength (chosen on the dev sets)")
    ap.add_argument("--out", default=None, help="model path without suffix")
    args = ap.parse_args(argv)
    t0 = time.time()
    rows = team_examples()
    root = shared_dir(args.shared)
    if root:
        rows += shared_examples(root)
    cands, labels, misses = label_examples(rows)
    X = featurize(cands)
    cv = cross_validate(X, labels, args.c)
    model = fit(X, labels, args.c)
    out = Path(args.out) if args.out else Path(str(MODEL_DIR / MODEL_NAME))
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out.parent / (out.name + ".npz"), coef=model.coef_.astype(np.float32),
                        intercept=model.intercept_.astype(np.float32), classes=np.array(model.classes_, dtype="U16"))
    manifest = {
        "name": MODEL_NAME,
        "classes": [str(c) for c in model.classes_],
        "features": "model2vec minilm-m2v sentence (256) + trigger window (256) + lexicon readings (16) + 2 flags + cue families (data/detect/classifier_cues.tsv)",
        "cue_families": [name for name, _ in cue_families()],
        "n_features": int(X.shape[1]),
        "C": args.c,
        "examples": len(labels),
        "labels": dict(sorted(Counter(labels).items())),
        "origins": dict(Counter(r["origin"] for r in rows)),
        "sentences_without_candidate": dict(misses),
        "cv_candidate_level": cv,
        "temperature": cv.get("temperature", 1.0),
        "trained_ids": sorted(r["id"] for r in rows if r["id"]),
        "seconds": round(time.time() - t0, 1),
    }
    (out.parent / (out.name + ".json")).write_text(json.dumps(manifest, indent=1) + "\n")
    summary = {k: v for k, v in manifest.items() if k != "trained_ids"}
    print(json.dumps(summary, indent=1))
    return manifest


if __name__ == "__main__":
    main()
