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
import re
from enum import Enum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .errors import MESSAGES

SCHEMA_VERSION = 1

# --- plausibility limits (docs/schema.md "Limits"; reasons in docs/decisions.md) -------------------------------
TOLL_MAX = 10_000_000  # a count of killed / injured / arrested above this in one report is flagged and dropped
DATE_MAX_AHEAD_DAYS = 1  # an asserted (past) event dated more than this after publication is flagged
FUTURE_MAX_AHEAD_DAYS = 3660  # a future / hypothetical event: up to ten years after publication
DATE_MAX_BEHIND_DAYS = 36525  # any event dated more than a hundred years before publication is flagged
MIN_YEAR, MAX_YEAR = 1800, 2200  # event and publication years when there is nothing to compare with
UTC_OFFSET_MIN = dt.timedelta(hours=-12)  # the zones in use on Earth run from UTC-12:00 ...
UTC_OFFSET_MAX = dt.timedelta(hours=14)  # ... to UTC+14:00
RUN_MAX = 64  # a run of punctuation / symbols longer than this is cut to this length (see normalise_runs)

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")  # NUL and lone surrogates: no database (or UTF-8) can hold them
_RUNS = re.compile(rf"(?:[^\w\s]|_){{{RUN_MAX + 1},}}")
# Bytes that may belong to such a run -> "." (ASCII punctuation and symbols, "_", every non-ASCII byte), others
# -> " ": a run can only be where the UTF-8 bytes show RUN_MAX + 1 dots in a row, a test at C speed.
_MARK = bytes(0x2E if (b >= 0x80 or not (chr(b).isalnum() or chr(b).isspace())) else 0x20 for b in range(256))
_SEED = b"." * (RUN_MAX + 1)


def clean_str(value: str) -> str:
    """``value`` with NUL characters and lone surrogates replaced by U+FFFD (same length, so offsets hold).

    >>> clean_str("a\\x00b\\ud800c")
    'a\ufffdb\ufffdc'
    """
    if (value.isascii() and "\x00" not in value) or not _UNSTORABLE.search(value):
        return value
    return _UNSTORABLE.sub("\ufffd", value)


def has_unstorable(value: Any) -> bool:
    """True when a string anywhere in a JSON-like value (keys too) holds NUL or a lone surrogate."""
    todo = [value]
    while todo:  # a loop, not recursion: this runs on every record's fields
        v = todo.pop()
        if isinstance(v, str):
            if ("\x00" in v or not v.isascii()) and _UNSTORABLE.search(v):
                return True
        elif isinstance(v, dict):
            todo += v
            todo += v.values()
        elif isinstance(v, (list, tuple)):
            todo += v
    return False


def clean_value(value: Any) -> Any:
    """:func:`clean_str` applied to every string (keys too) of a JSON-like value; ``value`` itself when clean."""
    if not has_unstorable(value):
        return value
    if isinstance(value, str):
        return clean_str(value)
    if isinstance(value, dict):
        return {clean_value(k): clean_value(v) for k, v in value.items()}
    return [clean_value(v) for v in value]


def unstorable(value: str) -> str | None:
    """Why ``value`` cannot be stored as text (a NUL character, a lone surrogate), or ``None``."""
    if value.isascii() and "\x00" not in value:
        return None
    m = _UNSTORABLE.search(value)
    if m is None:
        return None
    what = "a NUL character" if m.group() == "\x00" else f"a lone surrogate (U+{ord(m.group()):04X})"
    return f"{what} at character {m.start()}"


def normalise_runs(text: str) -> str:
    """Runs of more than ``RUN_MAX`` punctuation or symbol characters ("____…", "!!!!…", "$$$$…") cut to
    ``RUN_MAX``. Such runs make spaCy's tokenizer quadratic (20,000 underscores took 32 s) and carry nothing to
    code; after this the work per character is bounded.

    >>> normalise_runs("a " + "_" * 1000 + " b") == "a " + "_" * RUN_MAX + " b"
    True
    """
    if len(text) <= RUN_MAX or _SEED not in text.encode("utf-8", "surrogatepass").translate(_MARK):
        return text
    return _RUNS.sub(lambda m: m.group()[:RUN_MAX], text)


def offset_problem(ts: dt.datetime | None) -> str | None:
    """Why the UTC offset of ``ts`` is impossible (outside UTC-12:00..UTC+14:00), or ``None``."""
    off = ts.utcoffset() if ts is not None else None
    if off is None or UTC_OFFSET_MIN <= off <= UTC_OFFSET_MAX:
        return None
    return f"UTC offset {off} is outside the zones in use (UTC-12:00 to UTC+14:00)"


def _flag(code: str, **fields: Any) -> str:
    return f"[{code}] " + MESSAGES[code].format(**fields)


def _number(n: int) -> str:
    return str(n) if n.bit_length() < 200 else f"a {int(n.bit_length() * 0.30103) + 1}-digit number"


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

    @field_validator("text")
    @classmethod
    def _text(cls, value: str) -> str:
        problem = unstorable(value)
        if problem:  # ingest turns this into Reject E104 before it gets here
            raise ValueError(f"the text holds {problem}; it cannot be stored")
        return normalise_runs(value)

    @field_validator("title", "source", "url", "language", "origin")
    @classmethod
    def _clean(cls, value: str | None) -> str | None:
        return clean_str(value) if value is not None else None

    @field_validator("meta")
    @classmethod
    def _clean_meta(cls, value: dict[str, Any]) -> dict[str, Any]:
        return clean_value(value)

    @field_validator("published")
    @classmethod
    def _offset(cls, value: dt.datetime | None) -> dt.datetime | None:
        problem = offset_problem(value)
        if problem:
            raise ValueError(problem)
        return value

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

    @field_validator("origin", "code", "reason", "raw")
    @classmethod
    def _clean(cls, value: str | None) -> str | None:  # a reject must always be storable, whatever it quotes
        return clean_str(value) if value is not None else None

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
    flags: list[str] = Field(default_factory=list)  # values found implausible and taken out (W501 toll, W502 date)

    @model_validator(mode="after")
    def _bounds(self) -> Event:
        return check_bounds(self)

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
    flags: list[str] = Field(default_factory=list)  # as Event.flags

    @model_validator(mode="after")
    def _bounds(self) -> Incident:
        return check_bounds(self)

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

    @model_validator(mode="after")
    def _bounds(self) -> CodedArticle:
        """The coder edits events after building them (merging, copying): check every one as it leaves."""
        for rec in (*self.events, *self.incidents):
            check_bounds(rec)
        return self


def date_problem(date: dt.date, published: dt.date | None, modality: Any = None) -> str | None:
    """Why an event ``date`` is implausible next to its article's publication date, or ``None``.

    Window: at most ``DATE_MAX_BEHIND_DAYS`` before publication; after it, at most ``DATE_MAX_AHEAD_DAYS`` for
    what is reported as having happened, ``FUTURE_MAX_AHEAD_DAYS`` for future / hypothetical events. Without a
    publication date: years ``MIN_YEAR``..``MAX_YEAR``.

    >>> date_problem(dt.date(9999, 12, 31), dt.date(2024, 1, 19))
    'more than 1 day after the publication date 2024-01-19 (the window for an asserted event)'
    >>> date_problem(dt.date(2024, 1, 18), dt.date(2024, 1, 19)) is None
    True
    """
    if published is None:
        return None if MIN_YEAR <= date.year <= MAX_YEAR else f"outside the years {MIN_YEAR}-{MAX_YEAR}"
    days = date.toordinal() - published.toordinal()
    kind = getattr(modality, "value", modality) or "asserted"
    ahead = FUTURE_MAX_AHEAD_DAYS if kind in ("future", "hypothetical") else DATE_MAX_AHEAD_DAYS
    if days > ahead:
        span = "1 day" if ahead == 1 else f"{ahead} days"
        return f"more than {span} after the publication date {published} (the window for an {kind} event)"
    if days < -DATE_MAX_BEHIND_DAYS:
        return f"more than {DATE_MAX_BEHIND_DAYS} days before the publication date {published}"
    return None


_COUNTS = ("killed", "injured", "arrested")


def check_bounds(rec: Event | Incident) -> Event | Incident:
    """Flag and take out implausible values in place (idempotent): a toll count outside 0..``TOLL_MAX`` leaves
    the toll (W501), a date outside the window of :func:`date_problem` is cleared (W502). The evidence sentence
    and ``date_text`` keep what the text said; sums and date series never see the value."""
    toll = rec.toll
    if toll is not None:
        for kind in _COUNTS:
            count = getattr(toll, kind)
            if count is None:
                continue
            bad = [v for v in (count.low, count.best, count.high) if v is not None and not 0 <= v <= TOLL_MAX]
            if bad:
                toll = toll.model_copy(update={kind: None})  # a copy: the Toll may be shared with another record
                rec.toll = toll
                rec.flags.append(_flag("W501", kind=kind, value=_number(max(bad, key=abs)), limit=f"{TOLL_MAX:,}"))
    if rec.date is not None:
        problem = date_problem(rec.date, rec.published, getattr(rec, "modality", None))
        if problem:
            rec.flags.append(_flag("W502", date=rec.date.isoformat(), detail=problem))
            rec.date = None
            rec.date_precision = None
    return rec


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the records detente emits (``detente schema``)."""
    from pydantic.json_schema import models_json_schema

    _, top = models_json_schema(
        [(m, "serialization") for m in (Article, Reject, Event, Incident, CodedArticle)],
        title="detente records",
    )
    top["$comment"] = f"detente schema version {SCHEMA_VERSION}"
    return top
