"""Cheap, cached features of an Event used by dedup, episodes and the analytics.

Everything here is a pure function of one event (plus shipped data read once per process).

>>> from detente.schema import Event, Evidence, Entity
>>> e = Event(article_id="a", event_type="ASSAULT", evidence=Evidence(text="x", start=0, end=1),
...           actor=[Entity(text="Iran", country="IRN")], recipient=[Entity(text="militants", country="IRN")])
>>> quad_of(e), intensity_of(e)
(4, -9.0)
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..errors import DetenteError
from ..schema import Event

PRECISION_ORDER = {"day": 0, "week": 1, "month": 2, "year": 3}
PLACE_PRECISION_ORDER = {"point": 0, "city": 1, "admin1": 2, "country": 3}

_TOKEN = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    "a an the of in on at to for from by with and or but is are was were be been has have had that this these those "
    "it its as into after before over said says say told according who which while than then there their they he she "
    "his her him them we our you your not no also".split()
)


@dataclass(frozen=True)
class TypeRow:
    family: str
    quad_class: int | None
    intensity: float | None


def _data_text(name: str) -> str:
    return resources.files("detente").joinpath("data", "link", name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def type_table() -> dict[str, TypeRow]:
    """The shipped ``types.tsv``: PLOVER type -> family, fallback quad class and intensity."""
    lines = [ln for ln in _data_text("types.tsv").splitlines() if ln and not ln.startswith("#")]
    table: dict[str, TypeRow] = {}
    for row in csv.DictReader(lines, delimiter="\t"):
        table[row["event_type"].upper()] = TypeRow(
            family=row["family"].upper(),
            quad_class=int(row["quad_class"]) if row["quad_class"] else None,
            intensity=float(row["intensity"]) if row["intensity"] else None,
        )
    return table


@lru_cache(maxsize=1024)
def _ontology(event_type: str, mode: str | None) -> tuple[int | None, float | None]:
    """(quad class, intensity) from ``detente.ontology``; (None, None) for a type or mode it does not know."""
    from .. import ontology  # noqa: PLC0415 - lazy: the ontology reads its tables on first use

    try:
        q = ontology.quad_class(event_type)
    except DetenteError:
        return None, None
    try:
        return q, float(ontology.intensity(event_type, mode))
    except DetenteError:  # unknown mode: the type's intensity
        return q, float(ontology.intensity(event_type))


def family_of(event: Event) -> str:
    """Dedup family of the event's type (the type itself when unknown)."""
    et = event.event_type.upper()
    row = type_table().get(et)
    return row.family if row else et


def quad_of(event: Event) -> int | None:
    """Quad class: the event's own field, then ``detente.ontology``, then the shipped fallback table."""
    if event.quad_class is not None:
        return event.quad_class
    q, _ = _ontology(event.event_type.upper(), event.mode)
    if q is not None:
        return q
    row = type_table().get(event.event_type.upper())
    return row.quad_class if row else None


def intensity_of(event: Event) -> float:
    """PLOVER intensity (conflict negative): event field, then ``detente.ontology``, then the fallback table, else 0."""
    if event.intensity is not None:
        return float(event.intensity)
    _, value = _ontology(event.event_type.upper(), event.mode)
    if value is not None:
        return value
    row = type_table().get(event.event_type.upper())
    return float(row.intensity) if row and row.intensity is not None else 0.0


def actor_countries(event: Event) -> frozenset[str]:
    return frozenset(e.country for e in event.actor if e.country)


def recipient_countries(event: Event) -> frozenset[str]:
    return frozenset(e.country for e in event.recipient if e.country)


def all_countries(event: Event) -> frozenset[str]:
    out = set(actor_countries(event)) | recipient_countries(event)
    if event.location and event.location.country:
        out.add(event.location.country)
    return frozenset(out)


def target_countries(event: Event) -> frozenset[str]:
    """Countries on the receiving end: recipients not on the actor side, else the place when it is abroad.

    A strike by Iran (``IRN MIL``) on militants coded ``IRN REB`` inside Pakistan targets PAK: when the recipients'
    countries are all the actor's own (or unknown), the event's place stands in for the target.
    """
    actors = actor_countries(event)
    targets = recipient_countries(event) - actors
    if not targets and event.location and event.location.country and actors:
        if event.location.country not in actors:
            targets = frozenset({event.location.country})
    return frozenset(targets)


def directed_dyads(event: Event) -> list[tuple[str, str]]:
    """Directed country pairs (actor, target) of an event; joint actions of several actor countries give both ways.

    >>> from detente.schema import Event, Evidence, Entity
    >>> ev = lambda a, r: Event(article_id="x", event_type="AGREE", evidence=Evidence(text="t", start=0, end=1),
    ...     actor=[Entity(text=c, country=c) for c in a], recipient=[Entity(text=c, country=c) for c in r])
    >>> directed_dyads(ev(["PAK"], ["IRN"]))
    [('PAK', 'IRN')]
    >>> directed_dyads(ev(["PAK", "IRN"], []))
    [('IRN', 'PAK'), ('PAK', 'IRN')]
    """
    actors = actor_countries(event)
    targets = target_countries(event)
    pairs = {(a, b) for a in actors for b in targets if a != b}
    if not targets and len(actors) > 1:
        pairs = {(a, b) for a in actors for b in actors if a != b}
    return sorted(pairs)


def undirected_dyads(event: Event) -> list[tuple[str, str]]:
    return sorted({(a, b) if a < b else (b, a) for a, b in directed_dyads(event)})


def entity_names(entities: list) -> frozenset[str]:
    return frozenset(e.name.casefold() for e in entities if e.name)


def date_range(event: Event) -> tuple[dt.date, dt.date] | None:
    """The calendar days the event's date can stand for, given its precision (None when undated)."""
    d = event.date
    if d is None:
        return None
    prec = (event.date_precision or "day").lower()
    if prec == "week":
        start = d - dt.timedelta(days=d.weekday())
        return start, start + dt.timedelta(days=6)
    if prec == "month":
        start = d.replace(day=1)
        nxt = (start + dt.timedelta(days=32)).replace(day=1)
        return start, nxt - dt.timedelta(days=1)
    if prec == "year":
        return dt.date(d.year, 1, 1), dt.date(d.year, 12, 31)
    return d, d


def tokens(text: str) -> frozenset[str]:
    """Content tokens for a cheap Jaccard similarity."""
    return frozenset(t for t in _TOKEN.findall(text.lower()) if t not in _STOP and len(t) > 1)


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


@lru_cache(maxsize=1)
def response_cue_pattern() -> re.Pattern[str]:
    """One compiled regex of the shipped response cues (``response_cues.txt``)."""
    parts = []
    for line in _data_text("response_cues.txt").splitlines():
        line = line.strip().lower()
        if not line or line.startswith("#"):
            continue
        star = line.endswith("*")
        body = re.escape(line.rstrip("*")).replace(r"\ ", r"\s+")
        parts.append(body + (r"\w*" if star else r"\b"))
    return re.compile(r"\b(?:" + "|".join(parts) + ")", re.IGNORECASE)


def has_response_cue(text: str) -> bool:
    """True when the text says the act was a reply.

    >>> has_response_cue("Pakistan hit back at Iran"), has_response_cue("a retaliatory strike"), has_response_cue("talks")
    (True, True, False)
    """
    return bool(response_cue_pattern().search(text))
