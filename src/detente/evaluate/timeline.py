"""``timeline`` eval task: the date detente gives each gold event mention (SemEval-2015 Task 4 style gold).

For every gold event with a timeline date, detente dates it from the date expressions of its own sentence
(:func:`detente.resolve.dates.find_dates`, then :func:`~detente.resolve.dates.event_date` with the trigger offset) and
the article date. A prediction is right when it equals the gold at the gold's precision (``2004-11-XX``: year and
month must match, and detente's own precision must be at least month). Undatable gold (``XXXX-XX-XX``) is counted
apart (``undatable``), with how often detente still proposed a date other than the publication date.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import Counter
from typing import Any

from ..resolve.dates import event_date, find_dates

_RANK = {"day": 3, "week": 2, "month": 2, "year": 1}  # a week-precision date is scored as a month (it has no day)


def gold_precision(value: str) -> str | None:
    """``"day"``, ``"month"``, ``"year"`` or None (undatable) for a gold ``YYYY-MM-DD`` with ``XX`` parts.

    >>> gold_precision("2004-11-XX"), gold_precision("XXXX-XX-XX"), gold_precision("2004-11-24")
    ('month', None, 'day')
    """
    parts = value.split("-")
    if len(parts) != 3 or not parts[0].isdigit():
        return None
    if not parts[1].isdigit():
        return "year"
    return "month" if not parts[2].isdigit() else "day"


def date_matches(date: dt.date | None, precision: str | None, gold: str) -> bool:
    """Whether a predicted date at ``precision`` equals the gold value at the gold's precision.

    >>> date_matches(dt.date(2004, 11, 1), "month", "2004-11-XX"), date_matches(dt.date(2004, 1, 1), "year", "2004-11-XX")
    (True, False)
    """
    gp = gold_precision(gold)
    if date is None or gp is None or _RANK.get(precision or "", 0) < _RANK[gp]:
        return False
    y, m, d = gold.split("-")
    if date.year != int(y):
        return False
    if gp in ("month", "day") and date.month != int(m):
        return False
    return gp != "day" or date.day == int(d)


def _lines(text: str) -> tuple[list[int], list[str]]:
    starts, lines, pos = [], [], 0
    for line in text.split("\n"):
        starts.append(pos)
        lines.append(line)
        pos += len(line) + 1
    return starts, lines


def run(records: list[dict[str, Any]], task: str = "timeline", **options: Any) -> dict[str, Any]:
    """Score event dating; top level ``n`` (datable gold events), ``accuracy``; details by gold precision."""
    n = correct = 0
    by_prec: Counter = Counter()
    by_prec_ok: Counter = Counter()
    inferred_used = inferred_ok = 0
    undatable = undatable_dated = 0
    skipped = 0
    errors: list[dict[str, Any]] = []
    for rec in records:
        raw = rec.get("doc_date")
        try:
            published = dt.date.fromisoformat(str(raw)[:10]) if raw else None
        except ValueError:
            published = None
        text = rec.get("text") or ""
        starts, lines = _lines(text)
        cache: dict[int, list] = {}
        for ev in rec.get("events") or []:
            gold = ev.get("timeline_date")
            if not gold:
                continue
            if not isinstance(ev.get("start"), int):
                skipped += 1
                continue
            i = bisect.bisect_right(starts, ev["start"]) - 1
            if i not in cache:
                cache[i] = find_dates(lines[i], published=published, offset=starts[i])
            when = event_date(cache[i], published, trigger_start=ev["start"])
            gp = gold_precision(gold)
            if gp is None:
                undatable += 1
                undatable_dated += int(not when.inferred and when.date is not None)
                continue
            ok = date_matches(when.date, when.precision, gold)
            n += 1
            correct += ok
            by_prec[gp] += 1
            by_prec_ok[gp] += ok
            if when.inferred:
                inferred_used += 1
                inferred_ok += ok
            if not ok and len(errors) < 30:
                errors.append({"id": rec.get("id"), "event": ev.get("text"), "gold": gold,
                               "pred": str(when.date) if when.date else None, "precision": when.precision,
                               "date_text": when.text, "sentence": lines[i][:200]})
    return {
        "task": task,
        "n": n,
        "accuracy": round(correct / n, 4) if n else 0.0,
        "by_gold_precision": {p: {"n": by_prec[p], "accuracy": round(by_prec_ok[p] / by_prec[p], 4)}
                              for p in sorted(by_prec)},
        "from_publication_date": {"n": inferred_used,
                                  "accuracy": round(inferred_ok / inferred_used, 4) if inferred_used else 0.0},
        "undatable": {"n": undatable, "given_an_expression_date": undatable_dated},
        "skipped": skipped,
        "errors": errors,
        "n_docs": len(records),
    }


__all__ = ["run", "gold_precision", "date_matches"]
