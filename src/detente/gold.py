"""The real-news gold record (docs/annotation.md): one article with every event an analyst would code from it.

One definition of a gold event, read from the JSONL the annotators write; the article scorer
(:mod:`detente.evaluate.articles`), the event model's training data (:mod:`detente.detect.event_data`) and the
checking script (``scripts/realnews/check.py``) all use it. It sits beside ``schema`` because both an offline
training stage and the evaluation read it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from . import ontology
from .schema import Modality, Sector

CATEGORIES = ("political", "mixed", "non-political")
PRECISIONS = ("day", "week", "month", "year")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True)
class Party:
    """A gold participant: ISO3 country (or None) and sector (or None); at least one of the two is set."""

    country: str | None
    sector: str | None
    name: str = ""


@dataclass(frozen=True)
class Count:
    low: int | None = None
    best: int | None = None
    high: int | None = None


@dataclass(frozen=True)
class GoldPlace:
    name: str | None
    country: str | None
    admin1: str | None
    geonames_id: int | None


@dataclass(frozen=True)
class GoldEvent:
    event_type: str
    mode: str | None
    optional: bool
    modality: str
    source: tuple[Party, ...]
    target: tuple[Party, ...]
    date: dt.date | None
    date_precision: str | None
    location: GoldPlace | None
    killed: Count | None
    injured: Count | None
    evidence: tuple[str, ...]

    @property
    def quad_class(self) -> int:
        return ontology.quad_class(self.event_type)


@dataclass
class GoldArticle:
    id: str
    split: str
    text: str
    doc_date: dt.date | None
    category: str
    events: list[GoldEvent] = field(default_factory=list)
    title: str | None = None
    provenance: dict[str, Any] = field(default_factory=dict)


class GoldError(ValueError):
    """A gold record that breaks docs/annotation.md; the message names the article and event."""


def parse_date(value: Any) -> tuple[dt.date | None, str | None]:
    """``"2024-01-16"`` → (date, "day"); ``"2024-01"`` → (2024-01-01, "month"); ``"2024"`` → year;
    ``{"date": ..., "precision": ...}`` keeps the stated precision; None → (None, None)."""
    if value is None:
        return None, None
    precision = None
    if isinstance(value, dict):
        precision = value.get("precision")
        value = value.get("date")
        if value is None:
            return None, None
    m = _DATE.match(str(value).strip())
    if not m:
        raise GoldError(f"date {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)
    implied = "day" if m.group(3) else "month" if m.group(2) else "year"
    precision = precision or implied
    if precision not in PRECISIONS:
        raise GoldError(f"date precision {precision!r} not in {PRECISIONS}")
    return dt.date(year, month, day), precision


def _party(raw: Any, where: str) -> Party:
    if isinstance(raw, str):  # "PAK MIL", "REB", "PAK" shorthand
        parts = raw.split()
        country = next((p for p in parts if len(p) == 3 and p not in Sector.__members__), None)
        sector = next((p for p in parts if p in Sector.__members__), None)
        raw = {"country": country, "sector": sector, "name": raw}
    if not isinstance(raw, dict):
        raise GoldError(f"{where}: participant {raw!r} is not an object")
    country = raw.get("country") or None
    sector = raw.get("sector") or None
    if country is not None and not re.fullmatch(r"[A-Z]{3}", str(country)):
        raise GoldError(f"{where}: country {country!r} is not an ISO 3166-1 alpha-3 code")
    if sector is not None and sector not in Sector.__members__:
        raise GoldError(f"{where}: sector {sector!r} is not one of {', '.join(Sector.__members__)}")
    if country is None and sector is None:
        raise GoldError(f"{where}: participant {raw.get('name')!r} has neither country nor sector")
    return Party(country, sector, str(raw.get("name") or ""))


def _count(raw: Any, where: str) -> Count | None:
    if raw is None:
        return None
    if isinstance(raw, int) and not isinstance(raw, bool):
        return Count(raw, raw, raw)
    if not isinstance(raw, dict):
        raise GoldError(f"{where}: toll {raw!r} is not {{low, best, high}}")
    vals = {k: raw.get(k) for k in ("low", "best", "high")}
    for k, v in vals.items():
        if v is not None and (not isinstance(v, int) or isinstance(v, bool) or v < 0):
            raise GoldError(f"{where}: toll {k}={v!r} is not a non-negative integer")
    if vals["best"] is None:
        vals["best"] = vals["low"] if vals["low"] is not None else vals["high"]
    if vals["best"] is None:
        return None
    return Count(**vals)


def _place(raw: Any, where: str) -> GoldPlace | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise GoldError(f"{where}: location {raw!r} is not an object")
    country = raw.get("country") or None
    if country is not None and not re.fullmatch(r"[A-Z]{3}", str(country)):
        raise GoldError(f"{where}: location country {country!r} is not ISO3")
    gid = raw.get("geonames_id")
    if gid is not None and not isinstance(gid, int):
        raise GoldError(f"{where}: geonames_id {gid!r} is not an integer")
    return GoldPlace(raw.get("name"), country, raw.get("admin1") or None, gid)


def parse_event(raw: dict[str, Any], text: str, where: str) -> GoldEvent:
    etype = raw.get("event_type")
    if etype not in ontology.PLOVER_TYPES:
        raise GoldError(f"{where}: event_type {etype!r} is not a PLOVER type")
    mode = raw.get("mode") or None
    if mode is not None and mode not in ontology.modes(etype):
        raise GoldError(f"{where}: mode {mode!r} is not a mode of {etype} ({', '.join(ontology.modes(etype))})")
    modality = raw.get("modality") or "asserted"
    if modality not in Modality.__members__:
        raise GoldError(f"{where}: modality {modality!r} not in {', '.join(Modality.__members__)}")
    date, precision = parse_date(raw.get("date"))
    evidence = raw.get("evidence") or []
    if isinstance(evidence, str):
        evidence = [evidence]
    for ev in evidence:
        if ev not in text:
            raise GoldError(f"{where}: evidence {ev[:60]!r} is not a substring of the article text")
    return GoldEvent(
        # an occurrence the article says did not (or only might) happen may be coded or not: never scored
        event_type=etype, mode=mode, modality=modality,
        optional=bool(raw.get("optional", False)) or modality in ("negated", "hypothetical"),
        source=tuple(_party(p, where) for p in raw.get("source") or []),
        target=tuple(_party(p, where) for p in raw.get("target") or []),
        date=date, date_precision=precision, location=_place(raw.get("location"), where),
        killed=_count(raw.get("killed"), where), injured=_count(raw.get("injured"), where),
        evidence=tuple(evidence),
    )


def parse_article(rec: dict[str, Any]) -> GoldArticle:
    """A gold JSONL record → :class:`GoldArticle`; a record that breaks the guide raises :class:`GoldError`."""
    aid = str(rec.get("id") or "")
    if not aid or not isinstance(rec.get("text"), str):
        raise GoldError(f"record {aid or '?'}: needs an id and a text")
    category = rec.get("category")
    if category not in CATEGORIES:
        raise GoldError(f"{aid}: category {category!r} not in {CATEGORIES}")
    doc_date, _ = parse_date(rec.get("doc_date"))
    events = [parse_event(e, rec["text"], f"{aid} event {i}") for i, e in enumerate(rec.get("events") or [])]
    return GoldArticle(id=aid, split=str(rec.get("split") or ""), text=rec["text"], doc_date=doc_date,
                       category=category, events=events, title=rec.get("title"),
                       provenance=rec.get("provenance") or {})
