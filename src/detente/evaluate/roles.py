"""``roles``: the event model's source and target phrases against sentences whose gold marks them.

For each held-out sentence with gold source/target phrases (plover_gsr ``source[].text``/``target[].text``,
conflibert_cameo's marked spans), the model (``detect.event_model``) tags word pieces as source or target; tagged
phrases (probability ≥ ``detect.detector.ROLE_MIN``) are compared with the gold phrases by character overlap:

- recall per side: gold phrases of that side overlapped by a tagged phrase of the same side;
- precision per side: tagged phrases overlapping a gold phrase of the same side;
- ``swapped``: gold phrases overlapped only by a phrase tagged as the other side (direction reversed).

Sentences the model was trained on (its manifest's ``trained_ids``) are left out, as everywhere.
"""

from __future__ import annotations

from typing import Any

from ..detect.detector import ROLE_MIN
from ..detect.event_data import find_phrase
from . import common

SIDES = ("source", "target")


def gold_spans(rec: dict[str, Any]) -> list[tuple[int, int, str]] | None:
    """The gold phrases of a record as (start, end, side); None when the record marks none or one cannot be found."""
    if (rec.get("gold_extra") or {}).get("has_actor_spans") is False:
        return None
    out = []
    for side in SIDES:
        for p in rec.get(side) or []:
            if not isinstance(p, dict) or not p.get("text"):
                continue
            at = find_phrase(rec["text"], p["text"])
            if at is None:
                return None
            out.append((at[0], at[1], side))
    return out or None


def run(records: list[dict[str, Any]], *, task: str = "roles", coder: Any = None, limit: int | None = None,
        **_: Any) -> dict[str, Any]:
    from ..detect.event_model import load_event_model

    model = load_event_model()
    trained = model.trained_ids_
    kept = [r for r in records if str(r.get("id")) not in trained]
    selection = {"excluded_trained": len(records) - len(kept)}
    scored = [(r, g) for r in kept for g in [gold_spans(r)] if g]
    if limit:
        scored = scored[:limit]
    readings = model.read([r["text"] for r, _ in scored])
    counts = {s: {"tp_gold": 0, "gold": 0, "tp_tag": 0, "tagged": 0} for s in SIDES}
    swapped, examples = 0, []
    for (rec, gold), reading in zip(scored, readings):
        tags = [(t.start, t.end, t.side) for t in reading.tagged if t.p >= ROLE_MIN]
        for gs, ge, side in gold:
            c = counts[side]
            c["gold"] += 1
            same = any(ts < ge and gs < te and tside == side for ts, te, tside in tags)
            c["tp_gold"] += same
            if not same and any(ts < ge and gs < te for ts, te, _ in tags):
                swapped += 1
        for ts, te, side in tags:
            c = counts[side]
            c["tagged"] += 1
            c["tp_tag"] += any(gs < te and ts < ge and gside == side for gs, ge, gside in gold)
        if len(examples) < common.MAX_EXAMPLES and {(s, e, d) for s, e, d in gold} and not all(
                any(ts < ge and gs < te and tside == side for ts, te, tside in tags) for gs, ge, side in gold):
            examples.append({"id": rec.get("id"), "text": rec["text"][:200],
                             "gold": [(rec["text"][s:e], d) for s, e, d in gold],
                             "tagged": [(rec["text"][s:e], d) for s, e, d in tags]})
    report: dict[str, Any] = {"task": task, "n": len(scored)}
    total = {k: sum(c[k] for c in counts.values()) for k in ("tp_gold", "gold", "tp_tag", "tagged")}
    for key, c in [*counts.items(), ("all", total)]:
        figures = _figures(c)
        if key == "all":
            report.update(figures)
        else:
            report[key] = figures
    report["swapped"] = round(swapped / total["gold"], 4) if total["gold"] else 0.0
    report["misses"] = examples
    return common.finish(report, {"skipped": [], "coder_errors": []}, None, [r for r, _ in scored], selection)


def _figures(c: dict[str, int]) -> dict[str, Any]:
    """Precision over tagged phrases, recall over gold phrases (the two are counted on their own sides)."""
    p = c["tp_tag"] / c["tagged"] if c["tagged"] else 0.0
    r = c["tp_gold"] / c["gold"] if c["gold"] else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
            "gold": c["gold"], "tagged": c["tagged"]}
