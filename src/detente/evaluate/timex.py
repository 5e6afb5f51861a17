"""``timex`` eval task: TimeML (TempEval-3 style) time-expression normalisation and detection.

Gold: ``record["gold_extra"]["timexes"]`` (``text``, ``start``, ``end``, ``type``, ``value``) and the document date
(``record["doc_date"]`` or ``gold_extra.dct_value``).

Reported:

- value accuracy given the gold spans, per TIMEX type (DATE is the headline ``accuracy``): the detente value must equal
  the gold value exactly, after dropping trailing unspecified parts (``1952-XX`` = ``1952``). Values detente cannot
  express (quarters of a year it does not know, seasons, ``1998-FA`` …) count as wrong and are listed apart by shape;
- detection precision / recall / F1 of :func:`find_dates` spans against gold DATE spans (any character overlap).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from typing import Any

from ..resolve.dates import find_dates, guess_tense, timeml_normalise

_TRAILING_X = re.compile(r"(?:-(?:XX|WXX|QX))+$")


_WEEK = re.compile(r"-W(\d)(?=$|-)")


def _norm_value(value: str | None) -> str:
    v = (value or "").strip()
    v = _WEEK.sub(r"-W0\1", v)  # "2000-W7" -> "2000-W07"
    v = _TRAILING_X.sub("", v)
    return v


def values_match(pred: str | None, gold: str | None) -> bool:
    """Exact match at the gold's granularity: gold ``1989-WXX`` (week unknown) accepts any week of 1989,
    gold ``198X`` accepts the decade ``198``; a gold without unspecified parts needs the exact value.

    >>> values_match("1998-W33", "1998-WXX"), values_match("1998", "1998-08"), values_match("198", "198X")
    (True, False, True)
    """
    if pred is None or gold is None:
        return False
    p, g = _norm_value(pred), _norm_value(gold)
    if p == g:
        return True
    if re.search(r"X", gold) and g and g[-1] != "X":
        return p.startswith(g) and (len(p) == len(g) or p[len(g)] == "-")
    if gold.endswith("X") and g.endswith("X"):
        return p == g.rstrip("X")
    return False


def _shape(value: str) -> str:
    return re.sub(r"\d", "9", value)


def _doc_date(rec: dict[str, Any]) -> dt.date | None:
    raw = rec.get("doc_date") or (rec.get("gold_extra") or {}).get("dct_value")
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(str(raw)[:10])
    except ValueError:
        return None


def score_values(records: list[dict[str, Any]], *, use_tense: bool = True) -> dict[str, Any]:
    """Value accuracy given the gold spans, per TIMEX type, plus the misses by gold value shape."""
    per_type: dict[str, Counter] = defaultdict(Counter)
    missed_shapes: Counter = Counter()
    unproduced: Counter = Counter()
    examples: list[dict[str, Any]] = []
    for rec in records:
        dct = _doc_date(rec)
        text = rec.get("text") or ""
        for tx in (rec.get("gold_extra") or {}).get("timexes") or []:
            ttype = tx.get("type") or "?"
            gold = _norm_value(tx.get("value"))
            tense = guess_tense(text, tx["start"], tx["end"]) if use_tense and text else None
            pred = timeml_normalise(tx.get("text") or "", dct, tense=tense)
            ok = values_match(pred, tx.get("value"))
            per_type[ttype]["n"] += 1
            per_type[ttype]["correct"] += int(ok)
            if pred is None:
                per_type[ttype]["no_value"] += 1
            if ttype == "DATE" and not ok:
                missed_shapes[_shape(gold)] += 1
                if pred is None:
                    unproduced[_shape(gold)] += 1
                if len(examples) < 40:
                    examples.append({"text": tx.get("text"), "gold": tx.get("value"), "pred": pred,
                                     "doc_date": str(dct)})
    by_type = {t: {"n": c["n"], "accuracy": round(c["correct"] / c["n"], 4) if c["n"] else 0.0,
                   "no_value": c["no_value"]} for t, c in sorted(per_type.items())}
    return {"by_type": by_type, "date_misses_by_gold_shape": dict(missed_shapes.most_common(20)),
            "date_no_value_by_gold_shape": dict(unproduced.most_common(20)), "date_miss_examples": examples}


def score_detection(records: list[dict[str, Any]], *, include_refs: bool = False) -> dict[str, Any]:
    """Precision / recall / F1 of ``find_dates`` spans against gold DATE spans (a hit is any overlap)."""
    tp_pred = n_pred = tp_gold = n_gold = 0
    for rec in records:
        text = rec.get("text") or ""
        gold = [(t["start"], t["end"]) for t in (rec.get("gold_extra") or {}).get("timexes") or []
                if t.get("type") == "DATE"]
        pred = [(w.span.start, w.span.end) for w in find_dates(text, published=_doc_date(rec),
                                                               include_refs=include_refs) if w.span]
        n_gold += len(gold)
        n_pred += len(pred)
        tp_gold += sum(any(ps < ge and gs < pe for ps, pe in pred) for gs, ge in gold)
        tp_pred += sum(any(gs < pe and ps < ge for gs, ge in gold) for ps, pe in pred)
    p = tp_pred / n_pred if n_pred else 0.0
    r = tp_gold / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "n_gold": n_gold, "n_pred": n_pred}


def run(records: list[dict[str, Any]], task: str = "timex", **options: Any) -> dict[str, Any]:
    """Score date resolution and detection on TempEval-style gold; see the module docstring.

    Options: ``use_tense`` (default True: guess future tense from the sentence), ``include_refs`` (default False:
    detection also returns "now", "recently" …).
    """
    values = score_values(records, use_tense=bool(options.get("use_tense", True)))
    det = score_detection(records, include_refs=bool(options.get("include_refs", False)))
    date = values["by_type"].get("DATE", {"n": 0, "accuracy": 0.0})
    return {
        "task": task,
        "n": date["n"],
        "accuracy": date["accuracy"],
        "detection_f1": det["f1"],
        "detection": det,
        "values": values,
        "n_docs": len(records),
    }
