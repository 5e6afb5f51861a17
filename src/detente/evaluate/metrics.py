"""Scoring helpers shared by the eval tasks: classification reports, multi-label reports, lenient string and
set matching, and greedy one-to-one matching (used for MUC templates and expected events).

Conventions (see docs/eval.md):

- Single-label reports average over the **gold labels present** in the data. A predicted label that never occurs
  in gold (for example ``"NONE"``, detente found no event) is a miss for the gold class and a false positive for
  no averaged class. ``"NONE"`` is averaged only when it occurs in gold (sentences that should yield no event).
- ``accuracy`` counts every record, including those predicted ``"NONE"``.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

NONE = "NONE"

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
# Function words that should not make two fills "overlap".
_STOP = frozenset(
    "a an the of in on at to for from by and or with near its his her their this that these those "
    "some about over de la el los las del y".split()
)

T = TypeVar("T")
G = TypeVar("G")


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    """Precision, recall and F1 from counts; 0.0 where undefined.

    >>> prf(3, 1, 2)
    {'precision': 0.75, 'recall': 0.6, 'f1': 0.6667}
    >>> prf(0, 0, 0)
    {'precision': 0.0, 'recall': 0.0, 'f1': 0.0}
    """
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def confusion(gold: Sequence[str], pred: Sequence[str]) -> dict[str, dict[str, int]]:
    """Confusion matrix as ``{gold_label: {predicted_label: count}}`` (only non-zero cells).

    >>> confusion(["A", "A", "B"], ["A", "B", "B"])
    {'A': {'A': 1, 'B': 1}, 'B': {'B': 1}}
    """
    out: dict[str, dict[str, int]] = {}
    for g, p in zip(gold, pred, strict=True):
        row = out.setdefault(g, {})
        row[p] = row.get(p, 0) + 1
    return {g: dict(sorted(row.items())) for g, row in sorted(out.items())}


def classification_report(
    gold: Sequence[str], pred: Sequence[str], *, labels: Iterable[str] | None = None
) -> dict[str, Any]:
    """Per-class precision/recall/F1/support, accuracy, macro and weighted F1 and the confusion matrix.

    Parameters
    ----------
    gold, pred
        One label per record, same length. Use ``"NONE"`` for "no event".
    labels
        The classes to report and average over; default: the labels present in ``gold``.

    Examples
    --------
    >>> r = classification_report(["A", "A", "B", "B"], ["A", "NONE", "B", "A"])
    >>> r["accuracy"], r["per_class"]["A"]["precision"], r["per_class"]["A"]["recall"]
    (0.5, 0.5, 0.5)
    >>> r["macro_f1"]
    0.5833
    """
    from sklearn.metrics import accuracy_score, precision_recall_fscore_support

    gold, pred = list(gold), list(pred)
    if len(gold) != len(pred):
        raise ValueError(f"gold and pred differ in length: {len(gold)} != {len(pred)}")
    if not gold:
        return {"n": 0, "accuracy": 0.0, "macro_f1": 0.0, "weighted_f1": 0.0, "per_class": {}, "confusion": {}}
    labs = sorted(set(labels) if labels is not None else set(gold))
    p, r, f, s = precision_recall_fscore_support(gold, pred, labels=labs, average=None, zero_division=0)
    per_class = {
        lab: {"precision": round(float(p[i]), 4), "recall": round(float(r[i]), 4), "f1": round(float(f[i]), 4),
              "support": int(s[i])}
        for i, lab in enumerate(labs)
    }
    total = int(sum(s))
    macro = float(sum(f) / len(labs)) if labs else 0.0
    weighted = float(sum(f[i] * s[i] for i in range(len(labs))) / total) if total else 0.0
    return {
        "n": len(gold),
        "accuracy": round(float(accuracy_score(gold, pred)), 4),
        "macro_f1": round(macro, 4),
        "weighted_f1": round(weighted, 4),
        "labels": labs,
        "per_class": per_class,
        "confusion": confusion(gold, pred),
    }


def multilabel_report(
    gold: Sequence[Iterable[str]], pred: Sequence[Iterable[str]], *, labels: Sequence[str]
) -> dict[str, Any]:
    """Per-label binary P/R/F1 for multi-label records (each record has a set of labels), their mean (macro) and
    the micro average over all labels.

    >>> r = multilabel_report([{"A"}, {"A", "B"}, set()], [{"A"}, {"B"}, {"B"}], labels=["A", "B"])
    >>> r["per_class"]["A"], r["per_class"]["B"]["precision"]
    ({'precision': 1.0, 'recall': 0.5, 'f1': 0.6667, 'support': 2, 'tp': 1, 'fp': 0, 'fn': 1}, 0.5)
    """
    gold_sets = [set(g) for g in gold]
    pred_sets = [set(p) for p in pred]
    if len(gold_sets) != len(pred_sets):
        raise ValueError(f"gold and pred differ in length: {len(gold_sets)} != {len(pred_sets)}")
    per_class: dict[str, dict[str, Any]] = {}
    tot = Counter()
    for lab in labels:
        tp = sum(1 for g, p in zip(gold_sets, pred_sets) if lab in g and lab in p)
        fp = sum(1 for g, p in zip(gold_sets, pred_sets) if lab not in g and lab in p)
        fn = sum(1 for g, p in zip(gold_sets, pred_sets) if lab in g and lab not in p)
        per_class[lab] = {**prf(tp, fp, fn), "support": tp + fn, "tp": tp, "fp": fp, "fn": fn}
        tot.update(tp=tp, fp=fp, fn=fn)
    macro = sum(c["f1"] for c in per_class.values()) / len(labels) if labels else 0.0
    micro = prf(tot["tp"], tot["fp"], tot["fn"])
    return {"n": len(gold_sets), "macro_f1": round(macro, 4), "micro_f1": micro["f1"], "micro": micro,
            "per_class": per_class}


# --- strings, spans and sets -------------------------------------------------------------------------------


def normalize(text: str) -> str:
    """Lower-case, accents stripped, whitespace collapsed.

    >>> normalize("  Bogotá  D.C. ")
    'bogota d.c.'
    """
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.lower().split())


def tokens(text: str) -> frozenset[str]:
    """Content tokens of a string (lower-cased, accents stripped, function words dropped).

    >>> sorted(tokens("The Farabundo Martí National Liberation Front"))
    ['farabundo', 'front', 'liberation', 'marti', 'national']
    """
    toks = _TOKEN.findall(normalize(text))
    content = frozenset(t for t in toks if t not in _STOP)
    return content or frozenset(toks)


def token_overlap(a: str, b: str) -> float:
    """Overlap coefficient of the content tokens: ``|A ∩ B| / min(|A|, |B|)``; 0.0 when either is empty.

    >>> token_overlap("FMLN guerrillas", "guerrillas")
    1.0
    >>> token_overlap("army", "police")
    0.0
    """
    ta, tb = tokens(a), tokens(b)
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / min(len(ta), len(tb))


def lenient_match(pred: str, gold_alternatives: Iterable[str], *, threshold: float = 0.5) -> bool:
    """True when ``pred`` shares enough content tokens with any alternative of a gold fill.

    >>> lenient_match("the Shining Path", ["SHINING PATH", "SENDERO LUMINOSO"])
    True
    >>> lenient_match("police", ["ARMY"])
    False
    """
    return any(token_overlap(pred, g) >= threshold for g in gold_alternatives if g)


def span_overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    """Number of characters two half-open spans share.

    >>> span_overlap((0, 5), (3, 10)), span_overlap((0, 2), (2, 4))
    (2, 0)
    """
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def set_match(pred: Iterable[Any], gold: Iterable[Any]) -> dict[str, int]:
    """True/false positives and false negatives of two sets.

    >>> set_match({"PAK", "IRN"}, {"PAK", "USA", "TUR"})
    {'tp': 1, 'fp': 1, 'fn': 2}
    """
    p, g = set(pred), set(gold)
    return {"tp": len(p & g), "fp": len(p - g), "fn": len(g - p)}


def match_fills(
    pred: Sequence[str | Sequence[str]], gold: Sequence[Sequence[str]], *, threshold: float = 0.5
) -> dict[str, int]:
    """One-to-one lenient matching of predicted fills to gold fills; a fill is a string or a list of alternative
    strings (e.g. an actor's text and its canonical name).

    Each gold fill is matched at most once, each predicted fill at most once; pairs are taken greedily by
    token overlap (pairs below ``threshold`` never match).

    >>> match_fills(["FMLN", "army"], [["FARABUNDO MARTI NATIONAL LIBERATION FRONT", "FMLN"], ["URNG"]])
    {'tp': 1, 'fp': 1, 'fn': 1}
    """
    alts = [[p] if isinstance(p, str) else list(p) for p in pred]

    def score(i: int, j: int) -> float:
        s = max((token_overlap(a, g) for a in alts[i] if a for g in gold[j] if g), default=0.0)
        return s if s >= threshold else 0.0

    pairs = greedy_match(range(len(alts)), range(len(gold)), score)
    return {"tp": len(pairs), "fp": len(alts) - len(pairs), "fn": len(gold) - len(pairs)}


def greedy_match(
    preds: Iterable[T], golds: Iterable[G], score: Callable[[T, G], Any]
) -> list[tuple[T, G]]:
    """One-to-one matching: all pairs sorted by ``score`` (highest first; any comparable, e.g. a tuple), taken
    while both sides are free. Pairs whose score is falsy or all-zero are never matched. Ties keep input order.

    >>> greedy_match([0, 1], ["a", "b"], lambda i, g: {(0, "a"): 2, (0, "b"): 3, (1, "b"): 1}.get((i, g), 0))
    [(0, 'b')]
    """
    preds, golds = list(preds), list(golds)
    scored = []
    for i, p in enumerate(preds):
        for j, g in enumerate(golds):
            s = score(p, g)
            if _positive(s):
                scored.append((s, i, j))
    scored.sort(key=lambda t: (t[0], -t[1], -t[2]), reverse=True)
    used_p: set[int] = set()
    used_g: set[int] = set()
    out = []
    for _, i, j in scored:
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        out.append((preds[i], golds[j]))
    return out


def _positive(s: Any) -> bool:
    if isinstance(s, tuple):
        return any(_positive(x) for x in s)
    return bool(s) and s > 0


def match_templates(
    pred: Sequence[dict[str, Any]],
    gold: Sequence[dict[str, Any]],
    *,
    slot_score: Callable[[dict[str, Any], dict[str, Any]], float],
    type_key: str = "type",
) -> list[tuple[int, int]]:
    """Pair predicted with gold templates: greedy, first by equal incident type, then by slot overlap.

    ``slot_score(pred, gold)`` returns how many slots agree (any number ≥ 0). A pair with a different type and no
    agreeing slot is never made. Types may list alternatives (``"BOMBING / ATTACK"`` or a set).
    Returns ``(pred_index, gold_index)`` pairs.

    >>> p = [{"type": "BOMBING", "loc": "x"}, {"type": "ATTACK", "loc": "y"}]
    >>> g = [{"type": "ATTACK", "loc": "y"}, {"type": "BOMBING", "loc": "z"}]
    >>> match_templates(p, g, slot_score=lambda a, b: float(a["loc"] == b["loc"]))
    [(1, 0), (0, 1)]
    """
    def score(i: int, j: int) -> tuple[int, float]:
        same = int(bool(type_alternatives(pred[i].get(type_key)) & type_alternatives(gold[j].get(type_key))))
        return (same, float(slot_score(pred[i], gold[j])))

    return greedy_match(range(len(pred)), range(len(gold)), score)


def type_alternatives(value: Any) -> frozenset[str]:
    """The set of labels a type fill allows (``"BOMBING / ATTACK"`` → both).

    >>> sorted(type_alternatives("BOMBING / ATTACK"))
    ['ATTACK', 'BOMBING']
    """
    if value is None:
        return frozenset()
    if isinstance(value, str):
        return frozenset(v.strip().upper() for v in value.split("/") if v.strip())
    return frozenset(str(v).strip().upper() for v in value)
