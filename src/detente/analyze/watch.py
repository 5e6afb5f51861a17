"""``detente watch``: alert rules from YAML, run over the store, emitted once to stdout, a JSONL file or a webhook.

The rules file (validated by :class:`WatchRules`; unknown keys are errors that name the allowed ones)::

    rules:
      - name: pakistan-iran
        dyads: [PAK-IRN]            # or [[PAK, IRN]]; empty: every dyad (limited by countries)
        countries: []               # dyads touching any of these
        types: []                   # PLOVER types considered (empty: all)
        kinds: [escalation, tit_for_tat, de_escalation]
        escalation: {method: cusum, baseline_days: 28, drift: 0.5, threshold: 5.0, min_sigma: 1.0}
        tit_for_tat: {response_days: 7, cue_days: 14}
        de_escalation: {after_days: 7, types: [CONSULT, AGREE]}

State (what "new since the last run" means) is a small JSON file: the latest event date seen (``watermark``) and
the ids of alerts already emitted in the last ``STATE_KEEP_DAYS``. A run reads events from
``watermark − LOOKBACK_DAYS`` (so baselines and response windows see their history), recomputes alerts and emits
only those not emitted before. Alert ids are deterministic, so a late report never re-fires an old alert.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..errors import DetenteError
from ..link import features as F
from ..schema import Event
from .alerts import KINDS, Alert, de_escalation_alerts, escalation_alerts, tit_for_tat_alerts
from .series import country_code

LOOKBACK_DAYS = 60
STATE_KEEP_DAYS = 180


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class EscalationRule(_Strict):
    method: Literal["cusum", "threshold"] = "cusum"
    baseline_days: int = Field(28, ge=0, le=365)
    drift: float = Field(0.5, ge=0)
    threshold: float = Field(5.0, gt=0)
    min_sigma: float = Field(1.0, gt=0)


class TitForTatRule(_Strict):
    response_days: int = Field(7, ge=1, le=90)
    cue_days: int = Field(14, ge=1, le=180)


class DeEscalationRule(_Strict):
    after_days: int = Field(7, ge=0, le=90)
    types: list[str] = Field(default_factory=list, description="cooperation types that count (empty: quad 1/2)")

    @field_validator("types")
    @classmethod
    def _types(cls, v: list[str]) -> list[str]:
        return _check_types(v)


def _check_types(v: list[str]) -> list[str]:
    from .. import ontology  # noqa: PLC0415

    known = set(ontology.PLOVER_TYPES)
    out = [t.strip().upper() for t in v]
    bad = [t for t in out if t not in known]
    if bad:
        raise ValueError(f"unknown PLOVER type(s) {', '.join(bad)}; known: {', '.join(sorted(known))}")
    return out


class Rule(_Strict):
    name: str = Field(min_length=1)
    dyads: list[tuple[str, str]] = Field(default_factory=list)
    countries: list[str] = Field(default_factory=list)
    types: list[str] = Field(default_factory=list)
    kinds: list[Literal["escalation", "tit_for_tat", "de_escalation"]] = Field(default_factory=lambda: list(KINDS))
    escalation: EscalationRule = Field(default_factory=EscalationRule)
    tit_for_tat: TitForTatRule = Field(default_factory=TitForTatRule)
    de_escalation: DeEscalationRule = Field(default_factory=DeEscalationRule)

    @field_validator("dyads", mode="before")
    @classmethod
    def _dyads(cls, v: Any) -> Any:
        out = []
        for item in v or []:
            if isinstance(item, str):
                parts = [p for p in item.replace("–", "-").split("-") if p]
                if len(parts) != 2:
                    raise ValueError(f"dyad {item!r} must look like PAK-IRN")
                item = parts
            if not isinstance(item, (list, tuple)) or len(item) != 2:
                raise ValueError(f"dyad {item!r} must be two country codes")
            out.append(tuple(_code(c) for c in item))
        return out

    @field_validator("countries")
    @classmethod
    def _countries(cls, v: list[str]) -> list[str]:
        return [_code(c) for c in v]

    @field_validator("types")
    @classmethod
    def _rule_types(cls, v: list[str]) -> list[str]:
        return _check_types(v)


def _code(c: Any) -> str:
    try:
        return country_code(str(c))
    except DetenteError as exc:
        raise ValueError(str(exc)) from None


class WatchRules(_Strict):
    version: int = 1
    rules: list[Rule] = Field(min_length=1)


_SECTIONS: dict[str, type[BaseModel]] = {
    "escalation": EscalationRule, "tit_for_tat": TitForTatRule, "de_escalation": DeEscalationRule,
}


def _allowed_for(loc: tuple[Any, ...]) -> str:
    parent = [p for p in loc[:-1] if isinstance(p, str)]
    model: type[BaseModel] = WatchRules
    if parent and parent[-1] in _SECTIONS:
        model = _SECTIONS[parent[-1]]
    elif parent and parent[-1] == "rules":
        model = Rule
    return ", ".join(model.model_fields)


def load_rules(path: str | Path) -> WatchRules:
    """Read and validate a rules file; every problem becomes a DetenteError (E700–E702)."""
    p = Path(path)
    if not p.is_file():
        raise DetenteError("E700", path=str(p))
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise DetenteError("E701", path=str(p), detail=str(exc).replace("\n", " ")) from None
    return parse_rules(data, source=str(p))


def parse_rules(data: Any, *, source: str = "<rules>") -> WatchRules:
    """Validate rules already parsed from YAML/JSON (see :func:`load_rules`)."""
    try:
        return WatchRules.model_validate(data if data is not None else {})
    except ValidationError as exc:
        errors = sorted(exc.errors(), key=lambda e: e["type"] != "extra_forbidden")  # typos first
        first = errors[0]
        loc = tuple(first["loc"])
        where = ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in loc).replace(".[", "[") or "(top level)"
        detail = "unknown key" if first["type"] == "extra_forbidden" else first["msg"]
        more = len(exc.errors()) - 1
        if more:
            detail += f" (and {more} more problem{'s' if more > 1 else ''})"
        raise DetenteError("E702", path=source, where=where, detail=detail, allowed=_allowed_for(loc)) from None


# --- running rules -------------------------------------------------------------------------------------------------


def _select(events: Sequence[Event], rule: Rule) -> list[Event]:
    types = set(rule.types)
    countries = set(rule.countries) | {c for d in rule.dyads for c in d}
    out = []
    for e in events:
        if types and e.event_type.upper() not in types:
            continue
        if countries and not (F.actor_countries(e) | F.target_countries(e)) & countries:
            continue
        out.append(e)
    return out


def _keep(alert: Alert, rule: Rule) -> bool:
    pair = set(alert.dyad)
    if rule.dyads and not any(pair == set(d) for d in rule.dyads):
        return False
    if rule.countries and not pair & set(rule.countries):
        return False
    return True


def run_rules(events: Sequence[Event], rules: WatchRules, *, since: dt.date | None = None) -> list[Alert]:
    """All alerts of all rules (dated on or after ``since`` when given), sorted by date, kind, dyad; an alert two
    rules find is given once (see :func:`_dedup`)."""
    alerts: list[Alert] = []
    for rule in rules.rules:
        evs = _select(events, rule)
        found: list[Alert] = []
        if "escalation" in rule.kinds:
            esc = rule.escalation
            found += escalation_alerts(evs, method=esc.method, baseline_days=esc.baseline_days, drift=esc.drift,
                                       threshold=esc.threshold, min_sigma=esc.min_sigma, rule=rule.name)
        if "tit_for_tat" in rule.kinds:
            found += tit_for_tat_alerts(evs, response_days=rule.tit_for_tat.response_days,
                                        cue_days=rule.tit_for_tat.cue_days, rule=rule.name)
        if "de_escalation" in rule.kinds:
            found += de_escalation_alerts(evs, after_days=rule.de_escalation.after_days,
                                          types=rule.de_escalation.types, rule=rule.name)
        alerts += [a for a in found if _keep(a, rule) and (since is None or a.date >= since)]
    return _dedup(alerts)


def _dedup(alerts: list[Alert]) -> list[Alert]:
    """One alert per (kind, pair of countries — ordered for tit-for-tat —, date): when several rules find it, the first rule's alert is kept
    (its id, score, message and events) and ``rule`` names every rule that found it ("a, b")."""
    kept: dict[tuple[str, tuple[str, ...], dt.date], Alert] = {}
    rules: dict[tuple[str, tuple[str, ...], dt.date], list[str]] = {}
    for a in alerts:
        key = (a.kind, a.dyad if a.kind == "tit_for_tat" else tuple(sorted(a.dyad)), a.date)  # who answered whom
        kept.setdefault(key, a)
        names = rules.setdefault(key, [])
        if a.rule not in names:
            names.append(a.rule)
    out = [a if len(rules[k]) == 1 else a.model_copy(update={"rule": ", ".join(rules[k])}) for k, a in kept.items()]
    out.sort(key=lambda a: (a.date, a.kind, a.dyad, a.rule, a.id))
    return out


# --- state ---------------------------------------------------------------------------------------------------------


class WatchState(_Strict):
    version: int = 1
    watermark: dt.date | None = None
    seen: dict[str, dt.date] = Field(default_factory=dict)


def load_state(path: str | Path) -> WatchState:
    p = Path(path)
    if not p.exists():
        return WatchState()
    try:
        return WatchState.model_validate_json(p.read_text(encoding="utf-8"))
    except (OSError, ValidationError) as exc:
        raise DetenteError("E706", path=str(p), detail=str(exc).splitlines()[0]) from None


def save_state(path: str | Path, state: WatchState) -> None:
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    tmp = p.with_suffix(p.suffix + ".tmp")
    tmp.write_text(state.model_dump_json(indent=1), encoding="utf-8")
    tmp.replace(p)


def watch(
    store: Any,
    rules: WatchRules,
    *,
    state: WatchState | None = None,
    since: dt.date | None = None,
) -> tuple[list[Alert], WatchState]:
    """New alerts since the last run, and the state to save.

    Reads canonical events when the store has any (run ``detente link`` first), else report-level events.
    ``since`` overrides the watermark: alerts dated on or after it are candidates (already-emitted ones excepted).
    """
    state = state or WatchState()
    floor = since or state.watermark
    read_from = floor - dt.timedelta(days=LOOKBACK_DAYS) if floor else None
    events = store.canonical_events(since=read_from)
    if not events:
        events = store.events(since=read_from)
    alerts = [a for a in run_rules(events, rules, since=floor) if a.id not in state.seen]
    dates = [e.date for e in events if e.date is not None]
    watermark = max([*dates, *([state.watermark] if state.watermark else [])], default=None)
    seen = dict(state.seen)
    seen.update({a.id: a.date for a in alerts})
    if watermark:
        keep_from = watermark - dt.timedelta(days=STATE_KEEP_DAYS)
        seen = {k: v for k, v in seen.items() if v >= keep_from}
    return alerts, WatchState(watermark=watermark, seen=seen)


# --- sinks ---------------------------------------------------------------------------------------------------------


def alerts_jsonl(alerts: Iterable[Alert]) -> str:
    return "".join(a.model_dump_json() + "\n" for a in alerts)


def post_alerts(
    url: str,
    alerts: Sequence[Alert],
    *,
    tries: int = 4,
    backoff: float = 0.5,
    timeout: float = 10.0,
    transport: Any = None,
) -> int:
    """POST ``{"alerts": [...], "count": n}`` as JSON; retry connection errors, 429 and 5xx with exponential backoff
    (``backoff``, 2×, 4× … seconds). Returns the final HTTP status; raises E703 after the last failed try or on a
    4xx other than 429 (retrying a rejected request cannot help)."""
    import httpx  # noqa: PLC0415

    body = {"alerts": [a.model_dump(mode="json") for a in alerts], "count": len(alerts)}
    detail = ""
    with httpx.Client(timeout=timeout, transport=transport) as client:
        for attempt in range(1, tries + 1):
            try:
                resp = client.post(url, json=body)
            except httpx.HTTPError as exc:
                detail = f"{type(exc).__name__}: {exc}"
            else:
                if resp.status_code < 300:
                    return resp.status_code
                detail = f"HTTP {resp.status_code}"
                if 400 <= resp.status_code < 500 and resp.status_code != 429:
                    raise DetenteError("E703", url=url, tries=attempt, detail=detail)
            if attempt < tries:
                time.sleep(backoff * 2 ** (attempt - 1))
    raise DetenteError("E703", url=url, tries=tries, detail=detail)
