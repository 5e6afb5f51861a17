"""One definition of every record detente reads, makes and stores.

Records are pydantic v2 models (not dataclasses) because the same definitions give us validation of untrusted
input at the ingest boundary, the JSON Schema that ``detente schema`` prints, FastAPI's request/response models
and ``model_dump(mode="json")`` for every export — one source of truth instead of four.

Field names follow PLOVER where PLOVER has one (``event_type``, ``mode``, ``context``, ``actor``, ``recipient``,
``date``, ``location``); see docs/schema.md.

Every character offset (``Span.start``/``Span.end``) is into ``Article.text`` (Python str indices, end exclusive).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from enum import Enum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = 1


def stable_id(*parts: Any, prefix: str = "", n: int = 16) -> str:
    """A deterministic id from any JSON-serialisable parts: same input -> same id, on any machine.

    >>> stable_id("a", 1) == stable_id("a", 1)
    True
    >>> stable_id("a", 1, prefix="ev-").startswith("ev-")
    True
    """
    blob = json.dumps(parts, sort_keys=True, default=str, ensure_ascii=False)
    return prefix + hashlib.sha1(blob.encode("utf-8")).hexdigest()[:n]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Span(_Record):
    """A stretch of the article text: ``text == article.text[start:end]``."""

    start: int
    end: int
    text: str


class Article(_Record):
    """One news report. ``id`` is derived from text + source, so the same article always gets the same id."""

    id: str = ""
    text: str
    title: str | None = None
    published: dt.datetime | None = None  # timezone-aware; None when unknown (relative dates then stay unresolved)
    source: str | None = None  # outlet / publisher name
    url: str | None = None
    language: str = "en"
    origin: str | None = None  # where it was read from, e.g. "feeds/x.jsonl:12"
    meta: dict[str, Any] = Field(default_factory=dict)

    def model_post_init(self, __context: Any) -> None:
        if not self.id:
            self.id = article_id(self.text, self.source)

    @property
    def published_date(self) -> dt.date | None:
        return self.published.date() if self.published else None


def article_id(text: str, source: str | None) -> str:
    return stable_id(text, source or "", prefix="art-")


class Reject(_Record):
    """An input record that could not become an Article, kept with its reason and location."""

    id: str = ""
    origin: str  # "path:line" or "path" or "<stdin>:3"
    code: str  # error code from detente.errors, e.g. "E101"
    reason: str  # plain words
    raw: str | None = None  # the offending record, truncated to 2000 characters
    created: dt.datetime | None = None

    def model_post_init(self, __context: Any) -> None:
        if not self.id:
            self.id = stable_id(self.origin, self.code, self.raw or "", prefix="rej-")


class Sector(str, Enum):
    """Actor sectors (PLOVER/CAMEO role codes). ``MIL_NS`` = non-state armed group that is not a rebel movement."""

    GOV = "GOV"  # government, executive
    MIL = "MIL"  # state military
    COP = "COP"  # police
    JUD = "JUD"  # judiciary
    LEG = "LEG"  # legislature
    SPY = "SPY"  # intelligence
    REB = "REB"  # rebels, insurgents, separatists, militants
    UAF = "UAF"  # unaligned armed forces, militias
    IGO = "IGO"
    NGO = "NGO"
    OPP = "OPP"  # opposition
    PTY = "PTY"  # political party
    PRT = "PRT"  # protesters
    CVL = "CVL"  # civilians
    BUS = "BUS"
    JRN = "JRN"  # journalists, media (PLOVER)
    MED = "MED"  # health (PLOVER)
    REL = "REL"
    EDU = "EDU"
    LAB = "LAB"
    REF = "REF"
    CRM = "CRM"
    ELI = "ELI"
    UNK = "UNK"


class Entity(_Record):
    """An actor or recipient. ``country`` is ISO 3166-1 alpha-3 or a PLOVER international code (IGO, UNO, EUR…)."""

    text: str  # as written
    name: str | None = None  # canonical name, e.g. "Baloch Liberation Army"
    country: str | None = None
    sector: str | None = None
    kb_id: str | None = None  # detente knowledge-base id or Wikidata id
    span: Span | None = None
    confidence: float = 0.0

    @property
    def code(self) -> str:
        """``"PAK GOV"``-style code; missing parts left out."""
        return " ".join(p for p in (self.country, self.sector) if p)


class Place(_Record):
    name: str
    geonames_id: int | None = None
    lat: float | None = None
    lon: float | None = None
    admin1: str | None = None  # admin1 name, e.g. "Balochistan"
    admin1_code: str | None = None  # ISO 3166-2 where known, e.g. "PK-BA"
    country: str | None = None  # ISO3
    feature_code: str | None = None  # GeoNames feature code (PPL, ADM1, PCLI …)
    precision: str | None = None  # point | city | admin1 | country
    span: Span | None = None
    confidence: float = 0.0


class When(_Record):
    """A resolved date expression."""

    date: dt.date | None = None
    precision: str | None = None  # day | week | month | year
    text: str | None = None
    span: Span | None = None
    inferred: bool = False  # True when taken from the publication date, not from a date expression
    confidence: float = 0.0


class Count(_Record):
    """A reported number as low / best / high (see docs/tolls.md for the conventions)."""

    low: int | None = None
    best: int | None = None
    high: int | None = None


class Toll(_Record):
    killed: Count | None = None
    injured: Count | None = None
    arrested: Count | None = None  # PLOVER's size.arrested
    who: list[str] = Field(default_factory=list)  # civilians, children, soldiers, militants, police …
    span: Span | None = None
    confidence: float = 0.0


class Modality(str, Enum):
    asserted = "asserted"
    negated = "negated"
    hypothetical = "hypothetical"
    future = "future"
    claimed = "claimed"
    denied = "denied"


class Evidence(_Record):
    """The sentence the event was read from, and the trigger inside it."""

    text: str
    start: int
    end: int
    trigger: Span | None = None


class Event(_Record):
    """Who did what to whom, when, where, with what toll — in PLOVER terms, with evidence for every field."""

    id: str = ""
    article_id: str
    event_type: str  # PLOVER type, e.g. "ASSAULT"
    mode: str | None = None
    context: list[str] = Field(default_factory=list)
    quad_class: int | None = None  # 1 verbal coop, 2 material coop, 3 verbal conflict, 4 material conflict
    intensity: float | None = None  # PLOVER intensity score
    cameo_code: str | None = None
    acled_type: str | None = None
    acled_subtype: str | None = None
    actor: list[Entity] = Field(default_factory=list)
    recipient: list[Entity] = Field(default_factory=list)
    date: dt.date | None = None
    date_precision: str | None = None
    date_text: str | None = None
    date_span: Span | None = None
    date_inferred: bool = False
    location: Place | None = None
    toll: Toll | None = None
    modality: Modality = Modality.asserted
    claimant: Entity | None = None  # who claimed / denied it, for modality claimed / denied
    confidence: float = 0.0
    type_confidence: float = 0.0
    evidence: Evidence
    url: str | None = None
    published: dt.date | None = None
    # Filled by linking (detente.link); empty straight out of the coder.
    sources: list[str] = Field(default_factory=list)  # article ids that report this event
    canonical_id: str | None = None  # the merged event this report belongs to
    episode_id: str | None = None
    responds_to: str | None = None

    def model_post_init(self, __context: Any) -> None:
        if not self.id:
            self.id = stable_id(
                self.article_id, self.event_type, self.evidence.start, self.evidence.end,
                self.evidence.trigger.start if self.evidence.trigger else None, prefix="ev-",
            )
        if not self.sources:
            self.sources = [self.article_id]


class Incident(_Record):
    """A disaster or accident the article reports (earthquake, flood, gas leak, road crash …).

    PLOVER codes no event for it (no actor acts on another), so it is not an :class:`Event`; analysts still need
    it as context (casualties that are not conflict deaths, a relief deployment), and ACLED-style data sets code
    such reports as their own classes. ``kind`` is ``natural_disaster`` or ``man_made_disaster``; ``hazard`` the
    words that name it as written (also the evidence's trigger).
    """

    id: str = ""
    article_id: str
    kind: str
    hazard: str
    date: dt.date | None = None
    date_precision: str | None = None
    date_text: str | None = None
    date_inferred: bool = False
    location: Place | None = None
    toll: Toll | None = None
    confidence: float = 0.0
    evidence: Evidence
    url: str | None = None
    published: dt.date | None = None

    def model_post_init(self, __context: Any) -> None:
        if not self.id:
            self.id = stable_id(self.article_id, self.kind, self.evidence.start, self.evidence.end, prefix="in-")


class CodedArticle(_Record):
    """What the coder returns for one article."""

    article: Article
    events: list[Event] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)  # every actor mention resolved in the article
    places: list[Place] = Field(default_factory=list)  # every toponym resolved in the article
    incidents: list[Incident] = Field(default_factory=list)  # disasters and accidents (not events)
    warnings: list[str] = Field(default_factory=list)


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the records detente emits (``detente schema``)."""
    from pydantic.json_schema import models_json_schema

    _, top = models_json_schema(
        [(m, "serialization") for m in (Article, Reject, Event, Incident, CodedArticle)],
        title="detente records",
    )
    top["$comment"] = f"detente schema version {SCHEMA_VERSION}"
    return top
