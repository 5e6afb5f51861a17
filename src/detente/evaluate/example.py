"""``expected``: compare the events coded from one article with the events an analyst expects from it.

An expected-events file (e.g. ``examples/pakistan-iran-2024-01.expected.json``) is a JSON object::

    {"article": "file.txt" | "text": "...", "published": "YYYY-MM-DD",
     "events": [{"event_type": "ASSAULT", "source": ["PAK MIL"], "target": ["REB"], "date": ..., "fatalities": ...,
                 "location": {"country": "IRN"}, "mode": ..., "evidence": "..."}]}

Matching (``match_expected``): an expected and a predicted event match when the PLOVER type is equal and the
actors agree — a code ``"PAK GOV"`` agrees with an entity of country PAK (the sector is reported, not required);
a code with no country (``"REB"``, ``"IGO"``) agrees with an entity of that sector or that PLOVER country code.
A role agrees when at least one of its codes agrees (``strict``: all of them); an empty expected role is no
constraint, and an expected event with an empty target (reciprocal "X and Y agreed") compares its sources with
the predicted actors and recipients together. Pairs are made one-to-one, greedily, strict pairs first.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import DetenteError
from ..schema import Article, Entity, Event, Sector
from . import common
from .common import parse_date, snippet, usable
from .metrics import greedy_match, prf

_SECTORS = frozenset(s.value for s in Sector)


def parse_code(code: str) -> tuple[str | None, str | None]:
    """``"PAK GOV"`` → ``("PAK", "GOV")``; ``"REB"`` → ``(None, "REB")``; ``"IRN"`` → ``("IRN", None)``.

    >>> parse_code("PAK GOV"), parse_code("REB"), parse_code("IRN")
    (('PAK', 'GOV'), (None, 'REB'), ('IRN', None))
    """
    parts = code.upper().split()
    if not parts:
        return None, None
    if len(parts) == 1:
        return (None, parts[0]) if parts[0] in _SECTORS else (parts[0], None)
    return parts[0], parts[1]


def code_matches(code: str, entity: Entity) -> bool:
    """Does an entity agree with an expected actor code (country decides; a country-less code needs the sector)?

    >>> code_matches("PAK GOV", Entity(text="Pakistan army", country="PAK", sector="MIL"))
    True
    >>> code_matches("IGO", Entity(text="UN", country="IGO")), code_matches("REB", Entity(text="BLA", sector="REB"))
    (True, True)
    """
    country, sector = parse_code(code)
    ec, es = (entity.country or "").upper(), (entity.sector or "").upper()
    if country:
        return ec == country
    return bool(sector) and sector in (es, ec)


def role_match(codes: Sequence[str], entities: Sequence[Entity]) -> tuple[bool, bool]:
    """(any code agrees, every code agrees); an empty expected role agrees with anything."""
    if not codes:
        return True, True
    hits = [any(code_matches(c, e) for e in entities) for c in codes]
    return any(hits), all(hits)


def _pair_score(exp: dict[str, Any], ev: Event) -> tuple[int, int]:
    if str(exp.get("event_type", "")).upper() != ev.event_type.upper():
        return (0, 0)
    src, tgt = list(exp.get("source") or []), list(exp.get("target") or [])
    if tgt:
        s_ok, s_strict = role_match(src, ev.actor)
        t_ok, t_strict = role_match(tgt, ev.recipient)
    else:
        s_ok, s_strict = role_match(src, ev.actor + ev.recipient)
        t_ok, t_strict = True, True
    if not (s_ok and t_ok):
        return (0, 0)
    return (1, int(s_strict) + int(t_strict))


def _summary(ev: Event) -> dict[str, Any]:
    return {"event_id": ev.id, "event_type": ev.event_type, "mode": ev.mode,
            "actor": [e.code or e.text for e in ev.actor], "recipient": [e.code or e.text for e in ev.recipient],
            "date": ev.date.isoformat() if ev.date else None, "evidence": snippet(ev.evidence.text, 160)}


def _agreement(exp: dict[str, Any], ev: Event) -> dict[str, bool]:
    out: dict[str, bool] = {}
    if exp.get("date"):
        out["date"] = parse_date(exp["date"]) == ev.date
    if exp.get("fatalities") is not None:
        killed = ev.toll.killed.best if ev.toll and ev.toll.killed else None
        out["fatalities"] = killed == exp["fatalities"]
    if exp.get("mode"):
        out["mode"] = (ev.mode or "").lower() == str(exp["mode"]).lower()
    loc = exp.get("location") or {}
    if loc.get("country"):
        out["location_country"] = bool(ev.location and (ev.location.country or "").upper() == loc["country"].upper())
    return out


def match_expected(events: Sequence[Event], expected: dict[str, Any] | Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Match coded events against expected ones; report matched, missed, extra and P/R/F1.

    ``expected`` is the expected-events object (with an ``events`` list) or the list itself. ``field_agreement``
    counts, over matched pairs, how often date, fatalities, mode and location country agree where expected.

    >>> ev = Event(article_id="a", event_type="ASSAULT", actor=[Entity(text="Iran", country="IRN", sector="MIL")],
    ...            recipient=[Entity(text="Jaish al-Adl", sector="REB")], evidence={"text": "x", "start": 0, "end": 1})
    >>> r = match_expected([ev], {"events": [{"event_type": "ASSAULT", "source": ["IRN MIL"], "target": ["REB"]},
    ...                                       {"event_type": "AGREE", "source": ["PAK GOV"], "target": []}]})
    >>> r["matched_n"], r["missed_n"], r["extra_n"], r["recall"]
    (1, 1, 0, 0.5)
    """
    exp_list = list(expected.get("events") or []) if isinstance(expected, dict) else list(expected)
    events = list(events)
    pairs = greedy_match(range(len(exp_list)), range(len(events)),
                         lambda i, j: _pair_score(exp_list[i], events[j]))
    matched_e = {i for i, _ in pairs}
    matched_p = {j for _, j in pairs}
    agree: dict[str, list[int]] = {}
    matched = []
    for i, j in sorted(pairs):
        ag = _agreement(exp_list[i], events[j])
        for k, v in ag.items():
            agree.setdefault(k, [0, 0])
            agree[k][0] += v
            agree[k][1] += 1
        matched.append({"expected": i, "event_type": exp_list[i].get("event_type"),
                        "strict": _pair_score(exp_list[i], events[j])[1] == 2, "agreement": ag,
                        "predicted": _summary(events[j])})
    missed = [{"expected": i, **{k: exp_list[i].get(k) for k in ("event_type", "source", "target", "evidence")},
               "same_type_predicted": sum(e.event_type.upper() == str(exp_list[i].get("event_type")).upper()
                                          for e in events)}
              for i in range(len(exp_list)) if i not in matched_e]
    extra = [_summary(events[j]) for j in range(len(events)) if j not in matched_p]
    scores = prf(len(pairs), len(extra), len(missed))
    return {
        "n_expected": len(exp_list), "n_predicted": len(events),
        "matched_n": len(pairs), "missed_n": len(missed), "extra_n": len(extra), **scores,
        "field_agreement": {k: {"agree": a, "n": n} for k, (a, n) in sorted(agree.items())},
        "matched": matched, "missed": missed, "extra": extra,
    }


# --- the task ----------------------------------------------------------------------------------------------


def load_expected(path: str | Path) -> dict[str, Any]:
    """Read an expected-events JSON file and attach its location (to find ``article`` beside it)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise DetenteError("E807", path=path, detail=str(exc)) from None
    if not isinstance(data, dict) or not isinstance(data.get("events"), list):
        raise DetenteError("E807", path=path, detail="no `events` list")
    data["_path"] = str(path)
    return data


def _article(rec: dict[str, Any], base_dir: str | Path | None) -> Article:
    text = rec.get("text")
    if not (isinstance(text, str) and text.strip()):
        name = rec.get("article")
        origin = rec.get("_path") or "(record)"
        if not name:
            raise DetenteError("E807", path=origin, detail="neither `text` nor `article` is given")
        base = Path(base_dir) if base_dir else Path(rec["_path"]).parent if rec.get("_path") else Path.cwd()
        try:
            text = (base / name).read_text(encoding="utf-8")
        except OSError as exc:
            raise DetenteError("E807", path=origin, detail=f"article {name!r}: {exc}") from None
    day = parse_date(rec.get("published") or rec.get("doc_date"))
    return common.to_article({"id": rec.get("id") or rec.get("article"), "doc_date": day.isoformat() if day else None,
                              "dataset": "expected"}, text=text)


def run(
    records: list[dict[str, Any]],
    *,
    task: str = "expected",
    coder: Any = None,
    limit: int | None = None,
    base_dir: str | Path | None = None,
    include_negated: bool = False,
) -> dict[str, Any]:
    """Code each article of expected-events records and match its events; totals pooled over articles.

    Headline: ``recall`` (expected events found), ``precision`` (coded events that were expected), ``f1``.
    """
    records = records[:limit] if limit else records
    coder = common.get_coder(coder)
    per_article = []
    tp = fp = fn = 0
    for rec in records:
        art = _article(rec, base_dir)
        try:
            coded = coder.code(art)
        except Exception as exc:  # noqa: BLE001 - one bad article must not end the run
            per_article.append({"article": rec.get("article") or rec.get("id"),
                                "error": str(DetenteError("E804", id=rec.get("article"), detail=exc))})
            fn += len(rec.get("events") or [])
            continue
        evs = usable([common._as_event(e) for e in coded.events], include_negated=include_negated)
        res = match_expected(evs, rec)
        tp, fp, fn = tp + res["matched_n"], fp + res["extra_n"], fn + res["missed_n"]
        per_article.append({"article": rec.get("article") or rec.get("id"), **res})
    if not per_article:
        raise DetenteError("E808", path="(records)", task="expected", detail="no expected-events record")
    return {"n": tp + fn, "articles": len(per_article), **prf(tp, fp, fn),
            "matched": tp, "missed": fn, "extra": fp, "details": {"articles": per_article}}
