"""Terminal tables: a compact default that reads at 80 columns, ``--columns`` to choose, ``--wide`` for more.

Each command has a catalogue of named columns (:class:`Col`) and a default pick. Rich lays the table out: short
values that must stay whole (dates, types, codes, numbers) are ``no_wrap``; free text (names, places, evidence)
folds onto more lines instead of being cut with "…". The evidence sentence is never in a default pick.

>>> from rich.console import Console
from rich.measure import Measurement
>>> pick(None, False, EVENT_COLUMNS, EVENT_DEFAULT)
['date', 'type', 'dyad', 'place', 'killed']
>>> pick("date,type,evidence", False, EVENT_COLUMNS, EVENT_DEFAULT)
['date', 'type', 'evidence']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rich import box
from rich.console import Console
from rich.measure import Measurement
from rich.table import Table

from ..errors import DetenteError


@dataclass(frozen=True)
class Col:
    """One column: its header, how to get the cell text from a row, and whether it may wrap."""

    header: str
    get: Callable[[Any], Any]
    help: str = ""
    justify: str = "left"
    whole: bool = False  # never wrapped or cut (dates, types, codes, numbers)
    max_width: int | None = None  # leave the rest of the width to the other columns


def pick(spec: str | None, wide: bool, catalogue: Mapping[str, Col], default: Sequence[str],
         wide_pick: Sequence[str] | None = None, *, evidence: bool = False) -> list[str]:
    """The columns to show: ``--columns`` (comma list, in that order) wins; else ``--wide`` (``wide_pick``, or
    every column but the evidence); else the default. ``evidence`` appends the evidence column. An unknown name is
    E206 listing the names."""
    names = _pick(spec, wide, catalogue, default, wide_pick)
    if evidence and "evidence" in catalogue and "evidence" not in names:
        names.append("evidence")
    return names


def _pick(spec: str | None, wide: bool, catalogue: Mapping[str, Col], default: Sequence[str],
          wide_pick: Sequence[str] | None) -> list[str]:
    if spec:
        names = [c.strip().lower() for c in spec.split(",") if c.strip()]
        bad = [c for c in names if c not in catalogue]
        if bad or not names:
            raise DetenteError("E206", name="columns", value=spec,
                               detail=f"unknown column {', '.join(bad) or '(none given)'}; columns: "
                                      + ", ".join(catalogue))
        return list(dict.fromkeys(names))
    if wide:
        return list(wide_pick) if wide_pick is not None else [c for c in catalogue if c != "evidence"]
    return list(default)


def table(rows: Iterable[Any], names: Sequence[str], catalogue: Mapping[str, Col], **kwargs: Any) -> Table:
    """A rich Table of ``rows`` with the named columns (light borders, so the text gets the width)."""
    t = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold", **kwargs)
    for name in names:
        col = catalogue[name]
        t.add_column(col.header, justify=col.justify, no_wrap=col.whole,  # type: ignore[arg-type]
                     overflow="ellipsis" if col.whole else "fold", min_width=len(col.header) if col.whole else None,
                     max_width=col.max_width)
    for row in rows:
        t.add_row(*(_text(catalogue[n].get(row)) for n in names))
    return t


def show(console: Console, tbl: Table) -> None:
    """Print ``tbl``; when even its narrowest layout is wider than the console (many columns, ``--wide`` on a small
    terminal), print it at the width it needs rather than cut dates and numbers: the terminal wraps the lines."""
    need = Measurement.get(console, console.options.update_width(10_000), tbl).minimum
    width = console.width
    if need <= width:
        console.print(tbl)
        return
    console.width = need
    try:
        console.print(tbl)
    finally:
        console.width = width


def columns_help(catalogue: Mapping[str, Col], default: Sequence[str]) -> str:
    """Help text for a ``--columns`` option."""
    return (f"Comma-separated columns to show, in order: {', '.join(catalogue)} [default: {','.join(default)}].")


def _text(value: Any) -> str:
    if value is None or value != value:  # None or NaN
        return ""
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    return str(value)


# --- events ------------------------------------------------------------------------------------------------------
def event_date(ev: Any) -> str:
    """The date as precise as it is known: 2024-01-19, 2024-W03, 2024-01, 2024 ("?" when undated)."""
    d = ev.date
    if d is None:
        return "?"
    precision = (ev.date_precision or "day").lower()
    if precision == "year":
        return f"{d.year}"
    if precision == "month":
        return f"{d.year}-{d.month:02d}"
    if precision == "week":
        year, week, _ = d.isocalendar()
        return f"{year}-W{week:02d}"
    return d.isoformat()


def _who(ent: Any) -> str:
    """The name with its country code: "Pakistan Police (PAK)"; names that already end in one, "Protesters
    (Kenya)", stay as they are."""
    label = ent.name or ent.text
    return f"{label} ({ent.country})" if ent.country and ent.country not in label and not label.endswith(")") \
        else label


def _first(ents: Sequence[Any]) -> str:
    if not ents:
        return "?"
    return _who(ents[0]) + (f" +{len(ents) - 1}" if len(ents) > 1 else "")


def _dyad(ev: Any) -> str:
    return _first(ev.actor) + (f" → {_first(ev.recipient)}" if ev.recipient else "")


def _place(ev: Any) -> str:
    loc = ev.location
    return ", ".join(dict.fromkeys(x for x in (loc.name, loc.country) if x)) if loc else ""


def _count(ev: Any, what: str) -> Any:
    c = getattr(ev.toll, what, None) if ev.toll else None
    return c.best if c is not None else None


EVENT_COLUMNS: dict[str, Col] = {
    "date": Col("date", event_date, "as precise as known: 2024-01-19, 2024-W03, 2024-01, 2024", whole=True),
    "type": Col("type", lambda e: e.event_type, "PLOVER event type", whole=True),
    "mode": Col("mode", lambda e: e.mode, "PLOVER mode", whole=True),
    "dyad": Col("actor → recipient", _dyad, "first actor → first recipient (+N more)"),
    "actor": Col("actor", lambda e: "; ".join(_who(x) for x in e.actor), "every actor", max_width=30),
    "recipient": Col("recipient", lambda e: "; ".join(_who(x) for x in e.recipient), "every recipient",
                     max_width=30),
    "place": Col("place", _place, "place name, country", max_width=20),
    "killed": Col("killed", lambda e: _count(e, "killed"), "best count", justify="right", whole=True),
    "injured": Col("injured", lambda e: _count(e, "injured"), "best count", justify="right", whole=True),
    "modality": Col("modality", lambda e: getattr(e.modality, "value", e.modality), whole=True),
    "conf": Col("conf", lambda e: f"{e.confidence:.2f}", "confidence", justify="right", whole=True),
    "acled": Col("ACLED sub-event", lambda e: e.acled_subtype),
    "id": Col("id", lambda e: e.id, whole=True),
    "article": Col("article", lambda e: e.article_id, whole=True),
    "evidence": Col("evidence", lambda e: e.evidence.text, "the sentence the event was read from"),
}
EVENT_DEFAULT = ("date", "type", "dyad", "place", "killed")
EVENT_WIDE = ("date", "type", "mode", "actor", "recipient", "place", "killed", "injured", "modality", "conf")

INCIDENT_COLUMNS: dict[str, Col] = {
    "date": Col("date", event_date, whole=True),
    "kind": Col("kind", lambda x: x.kind.replace("_", " ")),
    "hazard": Col("hazard", lambda x: x.hazard, whole=True),
    "place": Col("place", _place, max_width=20),
    "killed": Col("killed", lambda x: _count(x, "killed"), justify="right", whole=True),
    "injured": Col("injured", lambda x: _count(x, "injured"), justify="right", whole=True),
    "conf": Col("conf", lambda x: f"{x.confidence:.2f}", justify="right", whole=True),
}


# --- dyads, series, alerts (pandas rows as dicts, alerts as models) ----------------------------------------------
def _get(key: str) -> Callable[[Any], Any]:
    return lambda r: r[key]


def _balance(r: Any) -> str:
    v = r["balance"]
    return "" if v is None or v != v else f"{v:+.2f}"


DYAD_COLUMNS: dict[str, Col] = {
    "dyad": Col("dyad", lambda r: f"{r['a']}{r['arrow']}{r['b']}", whole=True),
    "events": Col("events", _get("events"), justify="right", whole=True),
    "conflict": Col("conflict", _get("conflict"), justify="right", whole=True),
    "coop": Col("coop", _get("coop"), justify="right", whole=True),
    "killed": Col("killed", _get("killed"), justify="right", whole=True),
    "first": Col("first", _get("first"), whole=True),
    "last": Col("last", _get("last"), whole=True),
    "intensity": Col("intensity", lambda r: f"{r['intensity']:g}", justify="right", whole=True),
    "balance": Col("balance", _balance, justify="right", whole=True),
}
DYAD_DEFAULT = ("dyad", "events", "conflict", "coop", "killed", "first", "last")

SERIES_COLUMNS: dict[str, Col] = {
    "date": Col("date", _get("date"), whole=True),
    **{c: Col(c, _get(c), justify="right", whole=True) for c in (
        "events", "q1", "q2", "q3", "q4", "coop", "conflict", "intensity", "conflict_intensity", "coop_intensity",
        "killed")},
    "balance": Col("balance", _balance, justify="right", whole=True),
}
SERIES_DEFAULT = ("date", "events", "conflict", "coop", "intensity", "killed", "balance")

ALERT_COLUMNS: dict[str, Col] = {
    "date": Col("date", lambda a: str(a.date), whole=True),
    "kind": Col("kind", lambda a: a.kind, whole=True),
    "dyad": Col("dyad", lambda a: "–".join(a.dyad), whole=True),
    "message": Col("message", lambda a: a.message),
    "score": Col("score", lambda a: f"{a.score:g}", justify="right", whole=True),
    "rule": Col("rule", lambda a: a.rule),
    "id": Col("id", lambda a: a.id, whole=True),
}
ALERT_DEFAULT = ("date", "kind", "dyad", "message")
