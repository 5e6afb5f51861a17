"""Response and request models of the REST API: what a client sees, without internal fields.

The Out models mirror :mod:`detente.schema` but leave out what only the pipeline needs: per-field confidences
(``Entity.confidence``, ``Place.confidence``, ``Toll.confidence``, ``Event.type_confidence``), the article's
``origin`` (a path on the server) and ``meta``. They ignore unknown fields, so a record with more fields (a newer
schema) still converts.

>>> from detente.schema import Event, Evidence
>>> ev = Event(article_id="art-1", event_type="ASSAULT", type_confidence=0.9,
...            evidence=Evidence(text="x", start=0, end=1))
>>> out = EventOut.from_event(ev)
>>> out.event_type, "type_confidence" in out.model_dump()
('ASSAULT', False)
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..schema import Event, Incident


class _Out(BaseModel):
    model_config = ConfigDict(extra="ignore")


class SpanOut(_Out):
    start: int
    end: int
    text: str


class EntityOut(_Out):
    text: str
    name: str | None = None
    country: str | None = None
    sector: str | None = None
    kb_id: str | None = None
    span: SpanOut | None = None


class PlaceOut(_Out):
    name: str
    geonames_id: int | None = None
    lat: float | None = None
    lon: float | None = None
    admin1: str | None = None
    admin1_code: str | None = None
    country: str | None = None
    feature_code: str | None = None
    precision: str | None = None
    span: SpanOut | None = None


class CountOut(_Out):
    low: int | None = None
    best: int | None = None
    high: int | None = None


class TollOut(_Out):
    killed: CountOut | None = None
    injured: CountOut | None = None
    arrested: CountOut | None = None
    who: list[str] = Field(default_factory=list)
    span: SpanOut | None = None


class EvidenceOut(_Out):
    text: str
    start: int
    end: int
    trigger: SpanOut | None = None


class EventOut(_Out):
    """One event as the API returns it (PLOVER field names; offsets index the article text)."""

    id: str
    article_id: str
    event_type: str
    mode: str | None = None
    context: list[str] = Field(default_factory=list)
    quad_class: int | None = None
    intensity: float | None = None
    cameo_code: str | None = None
    acled_type: str | None = None
    acled_subtype: str | None = None
    actor: list[EntityOut] = Field(default_factory=list)
    recipient: list[EntityOut] = Field(default_factory=list)
    date: dt.date | None = None
    date_precision: str | None = None
    date_text: str | None = None
    date_span: SpanOut | None = None
    date_inferred: bool = False
    location: PlaceOut | None = None
    toll: TollOut | None = None
    modality: str = "asserted"
    claimant: EntityOut | None = None
    confidence: float = 0.0
    evidence: EvidenceOut
    url: str | None = None
    published: dt.date | None = None
    sources: list[str] = Field(default_factory=list)
    canonical_id: str | None = None
    episode_id: str | None = None
    responds_to: str | None = None
    flags: list[str] = Field(default_factory=list)  # implausible values taken out: W501 toll, W502 date

    @classmethod
    def from_event(cls, ev: Event) -> EventOut:
        return cls.model_validate(ev.model_dump(mode="json"))


class EventPage(_Out):
    """A page of events: ``more`` is true when another page follows (ask again with ``offset + limit``)."""

    events: list[EventOut]
    limit: int
    offset: int
    more: bool
    canonical: bool


MarkKind = Literal["evidence", "trigger", "actor", "recipient", "claimant", "place", "date", "toll"]


class MarkOut(_Out):
    """A stretch of the article text to highlight: ``text == article.text[start:end]``."""

    event_id: str
    kind: MarkKind
    start: int
    end: int
    text: str


class ArticleOut(_Out):
    """An article with its events and the spans to highlight in its text."""

    id: str
    title: str | None = None
    published: dt.datetime | None = None
    source: str | None = None
    url: str | None = None
    language: str = "en"
    text: str
    events: list[EventOut]
    marks: list[MarkOut]
    warnings: list[str] = Field(default_factory=list)


class DyadCount(_Out):
    actor: str
    recipient: str
    events: int


class StatsOut(_Out):
    """Store totals (see ``Store.stats``)."""

    articles: int = 0
    events: int = 0
    rejects: int = 0
    canonical_events: int = 0
    entities: int = 0
    places: int = 0
    incidents: int = 0
    linked_events: int = 0
    first_date: dt.date | None = None
    last_date: dt.date | None = None
    events_by_type: dict[str, int] = Field(default_factory=dict)
    top_dyads: list[DyadCount] = Field(default_factory=list)
    rejects_by_code: dict[str, int] = Field(default_factory=dict)
    backend: str | None = None


class TimelinePoint(_Out):
    """Events on one day, by quad class (``unknown``: no quad class)."""

    date: dt.date
    events: int
    q1: int
    q2: int
    q3: int
    q4: int
    unknown: int


class TimelineOut(_Out):
    canonical: bool
    points: list[TimelinePoint]


class DyadOut(_Out):
    """A country pair with its totals (``balance`` = (coop - conflict) / (coop + conflict), null when neither)."""

    a: str
    b: str
    events: int
    coop: int
    conflict: int
    intensity: float
    killed: int
    balance: float | None = None
    first: dt.date | None = None
    last: dt.date | None = None


class DyadListOut(_Out):
    directed: bool
    source: Literal["canonical", "reports"]
    dyads: list[DyadOut]


class SeriesPoint(_Out):
    date: dt.date
    events: int
    q1: int
    q2: int
    q3: int
    q4: int
    coop: int
    conflict: int
    intensity: float
    conflict_intensity: float
    coop_intensity: float
    killed: int
    balance: float | None = None


class DyadSeriesOut(_Out):
    """The series of a dyad plus the events behind it (newest last; at most ``limit``)."""

    a: str
    b: str
    freq: Literal["D", "W"]
    directed: bool
    source: Literal["canonical", "reports"]
    series: list[SeriesPoint]
    total_events: int
    events: list[EventOut]


class CodeIn(BaseModel):
    """An article to code. ``store=true`` also writes it (needs a writable store)."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=1_000_000)
    published: dt.datetime | None = None
    source: str | None = None
    url: str | None = None
    title: str | None = None
    store: bool = False


class CodeOut(_Out):
    article_id: str
    stored: bool
    events: list[EventOut]
    incidents: list[Incident] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)


class StoreHealth(_Out):
    ok: bool
    backend: str | None = None
    read_only: bool | None = None
    detail: str | None = None


class HealthOut(_Out):
    status: Literal["ok", "degraded"]
    version: str
    store: StoreHealth
    coder_loaded: bool
    dashboard: bool
