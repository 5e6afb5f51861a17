"""``muc4``: document-level incident templates (MUC-3/4 style) from detente events.

Predicted templates come from events whose (event_type, mode) maps to a MUC incident type in
``data/eval/muc4_types.csv`` (ASSAULT → ATTACK, ASSAULT/abduct → KIDNAPPING, ASSAULT/explosives → BOMBING …).
Events of one document with the same incident type, place and date are merged into one template.
Predicted and gold templates are paired greedily: same incident type first, then most agreeing slots.

Slots, scored MUC-fashion (a wrong fill is both a false positive and a false negative):

- ``type``: incident type (gold alternatives like ``BOMBING / ATTACK`` accept either);
- ``perpetrator``: gold individual + organisation fills vs event actors (text and name), lenient token overlap;
- ``target``: gold human names, unnamed human descriptions and physical targets vs event recipients;
- ``location``: gold location string vs the event place (name, admin1, country name), lenient;
- ``date``: event date within the gold date or range (± ``date_tolerance_days``);
- ``deaths``: killed (best) equals the gold ``fatalities_derived``; when gold has a DEATH effect but no integer
  count the slot is not scored for that template.

Unmatched gold templates count every filled slot as missed; unmatched predicted templates count every filled
slot as spurious. Headline: ``macro_f1`` (mean of slot F1s), ``micro_f1`` (pooled counts), ``type_acc`` (type
agreement among matched templates).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from ..errors import DetenteError
from ..schema import Event
from . import common
from .common import Examples, code_records, finish, parse_date, usable
from .metrics import lenient_match, match_fills, match_templates, prf, type_alternatives

SLOTS = ("type", "perpetrator", "target", "location", "date", "deaths")
_PAREN = re.compile(r"\([^)]*\)")


@functools.lru_cache(maxsize=1)
def _type_table() -> dict[tuple[str, str], str]:
    rows = common.load_table("muc4_types.csv", ("event_type", "mode", "muc_type"))
    return {(r["event_type"].upper(), r["mode"].lower()): r["muc_type"].upper() for r in rows}


def muc_type(event_type: str, mode: str | None) -> str | None:
    """MUC incident type of a detente event, or None when it is not a MUC incident.

    >>> muc_type("ASSAULT", "abduct"), muc_type("ASSAULT", "firearms"), muc_type("AGREE", None)
    ('KIDNAPPING', 'ATTACK', None)
    """
    table = _type_table()
    et = (event_type or "").upper()
    return table.get((et, (mode or "").lower())) or table.get((et, ""))


# --- gold ---------------------------------------------------------------------------------------------------


def _clean(s: Any) -> str:
    return str(s).replace("\\", " ").strip().strip('"').strip() if s is not None else ""


def _groups(groups: Any) -> list[list[str]]:
    out = []
    for g in groups or []:
        alts = [_clean(a) for a in (g if isinstance(g, list) else [g])]
        alts = [a for a in alts if a and a != "-"]
        if alts:
            out.append(alts)
    return out


def gold_template(ev: dict[str, Any]) -> dict[str, Any]:
    """A gold MUC event (our JSONL schema) as a flat template of slot fills."""
    src = ev.get("source") or {}
    tgt = ev.get("target") or {}
    humans = _groups(tgt.get("human_names"))
    for desc in tgt.get("human_descriptions") or []:
        parts = [_clean(p) for p in str(desc).split(":", 1)]
        if len(parts) == 2 and parts[1]:  # "PRESIDENT": "CEREZO" -> alternative of the CEREZO fill
            for grp in humans:
                if parts[1] in grp:
                    grp.append(parts[0])
                    break
            else:
                humans.append([parts[1], parts[0]])
        elif parts[0]:
            humans.append([parts[0]])
    loc = ev.get("location") or {}
    loc_alts = [_PAREN.sub(" ", a).replace(":", " ") for a in (loc.get("alternatives") or [loc.get("raw")]) if a]
    date = ev.get("date") or {}
    has_death = any("DEATH" in str(e.get("key", "")) for e in tgt.get("human_effects") or [] if isinstance(e, dict))
    deaths = ev.get("fatalities_derived")
    return {
        "type": ev.get("event_type"),
        "perpetrator": _groups(src.get("individuals")) + _groups(src.get("organizations")),
        "target": humans + _groups(tgt.get("physical_ids")),
        "location": [a for a in loc_alts if a.strip()],
        "date": (parse_date(date.get("on")), parse_date(date.get("on") or date.get("from")),
                 parse_date(date.get("on") or date.get("to"))) if (date.get("on") or date.get("from") or date.get("to")) else None,
        "deaths": deaths if isinstance(deaths, int) else (None if has_death else 0),
        "deaths_unknown": has_death and not isinstance(deaths, int),
    }


# --- predicted ----------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=512)
def _country_name(iso3: str) -> str | None:
    try:
        import pycountry

        c = pycountry.countries.get(alpha_3=iso3.upper())
    except (ImportError, LookupError, KeyError):
        return None
    return c.name if c else None


def _entity_fill(e: Any) -> list[str]:
    return [s for s in dict.fromkeys((e.text, e.name)) if s]


def predicted_templates(events: Sequence[Event], *, type_mapper: Callable[[Event], str | None] | None = None
                        ) -> list[dict[str, Any]]:
    """Templates from one document's events (merged by incident type, place name and date)."""
    to_type = type_mapper or (lambda e: muc_type(e.event_type, e.mode))
    merged: dict[tuple[Any, ...], dict[str, Any]] = {}
    for e in events:
        t = to_type(e)
        if not t:
            continue
        loc = e.location
        key = (t, (loc.name.lower() if loc else None), e.date)
        tpl = merged.setdefault(key, {"type": t, "perpetrator": [], "target": [], "location": [], "date": e.date,
                                      "deaths": None, "event_ids": []})
        tpl["event_ids"].append(e.id)
        for slot, ents in (("perpetrator", e.actor), ("target", e.recipient)):
            for ent in ents:
                fill = _entity_fill(ent)
                if fill and fill not in tpl[slot]:
                    tpl[slot].append(fill)
        if loc and not tpl["location"]:
            parts = [loc.name, loc.admin1, _country_name(loc.country) if loc.country else None]
            tpl["location"] = [" ".join(p for p in parts if p)]
        killed = e.toll.killed.best if e.toll and e.toll.killed else None
        if killed is not None:
            tpl["deaths"] = max(tpl["deaths"] or 0, killed)
    return list(merged.values())


# --- slot scoring -------------------------------------------------------------------------------------------


def _date_ok(pred: dt.date | None, gold: tuple[Any, Any, Any] | None, tol: int) -> bool:
    if pred is None or gold is None:
        return False
    on, lo, hi = gold
    d = dt.timedelta(days=tol)
    if on:
        return abs(pred - on) <= d
    return (lo is None or pred >= lo - d) and (hi is None or pred <= hi + d)


def slot_counts(p: dict[str, Any] | None, g: dict[str, Any] | None, *, threshold: float = 0.5,
                date_tolerance_days: int = 0) -> dict[str, Counter]:
    """tp/fp/fn per slot for one (predicted, gold) pair; either side may be None (unmatched)."""
    out = {s: Counter() for s in SLOTS}
    p = p or {}
    g = g or {}
    # type
    if p.get("type") and g.get("type"):
        ok = bool(type_alternatives(p["type"]) & type_alternatives(g["type"]))
        out["type"].update(tp=ok, fp=not ok, fn=not ok)
    else:
        out["type"].update(fp=bool(p.get("type")), fn=bool(g.get("type")))
    for slot in ("perpetrator", "target"):
        out[slot].update(match_fills(p.get(slot) or [], g.get(slot) or [], threshold=threshold))
    # location (single fill)
    pl, gl = p.get("location") or [], g.get("location") or []
    if pl and gl:
        ok = any(lenient_match(x, gl, threshold=threshold) for x in pl)
        out["location"].update(tp=ok, fp=not ok, fn=not ok)
    else:
        out["location"].update(fp=bool(pl), fn=bool(gl))
    # date
    pd_, gd = p.get("date"), g.get("date")
    if pd_ and gd:
        ok = _date_ok(pd_, gd, date_tolerance_days)
        out["date"].update(tp=ok, fp=not ok, fn=not ok)
    else:
        out["date"].update(fp=bool(pd_), fn=bool(gd))
    # deaths: a fill is a positive count; 0/None = unfilled
    if not g.get("deaths_unknown"):
        pk, gk = p.get("deaths") or 0, g.get("deaths") or 0
        if pk and gk:
            out["deaths"].update(tp=pk == gk, fp=pk != gk, fn=pk != gk)
        else:
            out["deaths"].update(fp=bool(pk), fn=bool(gk))
    return {s: Counter({k: int(v) for k, v in c.items()}) for s, c in out.items()}


def _agreeing_slots(p: dict[str, Any], g: dict[str, Any], threshold: float, tol: int) -> float:
    c = slot_counts(p, g, threshold=threshold, date_tolerance_days=tol)
    return float(sum(c[s]["tp"] for s in SLOTS if s != "type"))


def score_documents(
    records: Sequence[dict[str, Any]], events: Sequence[list[Event] | None], *, include_negated: bool = False,
    examples: Examples | None = None, threshold: float = 0.5, date_tolerance_days: int = 0,
    type_mapper: Callable[[Event], str | None] | None = None,
) -> dict[str, Any]:
    """Score documents (gold in ``events``, one per template) against the coder's events."""
    examples = examples or Examples()
    totals = {s: Counter() for s in SLOTS}
    n = n_gold = n_pred = n_matched = type_ok = 0
    rel_gold, rel_pred = [], []
    for rec, evs in zip(records, events):
        if evs is None:
            continue
        n += 1
        golds = [gold_template(e) for e in rec.get("events") or [] if isinstance(e, dict)]
        preds = predicted_templates(usable(evs, include_negated=include_negated), type_mapper=type_mapper)
        n_gold += len(golds)
        n_pred += len(preds)
        rel_gold.append(bool(golds))
        rel_pred.append(bool(preds))
        pairs = match_templates(preds, golds,
                                slot_score=lambda a, b: _agreeing_slots(a, b, threshold, date_tolerance_days))
        n_matched += len(pairs)
        mp = {i for i, _ in pairs}
        mg = {j for _, j in pairs}
        for i, j in pairs:
            ok = bool(type_alternatives(preds[i]["type"]) & type_alternatives(golds[j]["type"]))
            type_ok += ok
            if not ok:
                examples.add(rec, golds[j]["type"], preds[i]["type"], kind="type")
            _add(totals, slot_counts(preds[i], golds[j], threshold=threshold,
                                     date_tolerance_days=date_tolerance_days))
        for j, g in enumerate(golds):
            if j not in mg:
                _add(totals, slot_counts(None, g))
                examples.add(rec, g["type"], None, kind="missed template")
        for i, p in enumerate(preds):
            if i not in mp:
                _add(totals, slot_counts(p, None))
                examples.add(rec, None, p["type"], kind="spurious template")
    if not n:
        raise DetenteError("E808", path="(records)", task="muc4", detail="no document could be coded")
    per_slot = {s: {**prf(c["tp"], c["fp"], c["fn"]), "tp": c["tp"], "fp": c["fp"], "fn": c["fn"]}
                for s, c in totals.items()}
    pooled = sum(totals.values(), Counter())
    micro = prf(pooled["tp"], pooled["fp"], pooled["fn"])
    rel = prf(sum(g and p for g, p in zip(rel_gold, rel_pred)), sum(p and not g for g, p in zip(rel_gold, rel_pred)),
              sum(g and not p for g, p in zip(rel_gold, rel_pred)))
    return {
        "n": n,
        "macro_f1": round(sum(v["f1"] for v in per_slot.values()) / len(SLOTS), 4),
        "micro_f1": micro["f1"],
        "type_acc": round(type_ok / n_matched, 4) if n_matched else None,
        "templates": {"gold": n_gold, "predicted": n_pred, "matched": n_matched},
        "details": {"per_slot": per_slot, "micro": micro, "relevance": rel,
                    "threshold": threshold, "date_tolerance_days": date_tolerance_days},
        "examples": examples.items,
    }


def _add(totals: dict[str, Counter], counts: dict[str, Counter]) -> None:
    for s, c in counts.items():
        totals[s].update(c)


def run(
    records: list[dict[str, Any]],
    *,
    task: str = "muc4",
    coder: Any = None,
    limit: int | None = None,
    batch_size: int = 16,
    include_negated: bool = False,
    max_examples: int = common.MAX_EXAMPLES,
    include_trained: bool = False,
    mixed_case: bool = True,
    threshold: float = 0.5,
    date_tolerance_days: int = 0,
    type_mapper: Callable[[Event], str | None] | None = None,
) -> dict[str, Any]:
    """Code each document and score its incident templates (see the module docstring).

    ``mixed_case``: code ``meta.text_mixed_case`` where the gold has it (MUC texts are upper case otherwise).
    """
    coder = common.get_coder(coder, **common.DETECTION)
    records, selection = common.select(records, coder, limit=limit, include_trained=include_trained)

    def text_of(rec: dict[str, Any]) -> str | None:
        mixed = (rec.get("meta") or {}).get("text_mixed_case") if mixed_case else None
        return common.record_text({"text": mixed}) or common.record_text(rec)

    events, problems = code_records(records, coder, batch_size=batch_size, text_of=text_of)
    report = score_documents(records, events, include_negated=include_negated, examples=Examples(max_examples),
                             threshold=threshold, date_tolerance_days=date_tolerance_days, type_mapper=type_mapper)
    return finish(report, problems, coder, records, selection)
