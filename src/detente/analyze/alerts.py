"""Escalation, tit-for-tat and de-escalation alerts over dyads.

- **escalation**: one-sided CUSUM on a dyad's daily conflict magnitude x_t = −(sum of negative intensities of its
  quad 3/4 events that day). Baseline mean μ and deviation σ (floored at ``min_sigma``) come from the previous
  ``baseline_days`` days (days without events count as 0). S_t = max(0, S_{t−1} + (x_t − μ)/σ − ``drift``); an
  alert fires when S_t ≥ ``threshold`` and S resets to 0. ``method="threshold"`` instead fires when
  x_t ≥ ``threshold``.
- **tit_for_tat**: a material-conflict event by B against A within ``response_days`` after one by A against B
  (see :mod:`detente.link.episodes`; explicit cues widen the window to ``cue_days``).
- **de_escalation**: cooperation (quad 1/2, optionally limited to ``types``) between the pair within
  ``after_days`` after a material-conflict event between them; one alert per pair and day.

Alert ids are ``stable_id(kind, rule, dyad, date)``: the same situation gives the same id on every run, which is
what ``detente watch`` uses to emit each alert once.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict

from ..link import features as F
from ..link.episodes import EpisodeConfig, find_responses
from ..schema import Event, stable_id

AlertKind = Literal["escalation", "tit_for_tat", "de_escalation"]
KINDS: tuple[str, ...] = ("escalation", "tit_for_tat", "de_escalation")


class Alert(BaseModel):
    """Something an analyst should look at: what, between whom, when, how strong, and the events behind it."""

    model_config = ConfigDict(extra="forbid")

    id: str = ""
    kind: AlertKind
    rule: str = ""
    dyad: tuple[str, str]
    date: dt.date
    score: float
    message: str
    event_ids: list[str]

    def model_post_init(self, __context: object) -> None:
        if not self.id:
            self.id = stable_id(self.kind, self.rule, list(self.dyad), self.date.isoformat(), prefix="alert-")


def _types(events: Iterable[Event]) -> str:
    return ", ".join(sorted({e.event_type for e in events}))


def escalation_alerts(
    events: Sequence[Event],
    *,
    method: Literal["cusum", "threshold"] = "cusum",
    baseline_days: int = 28,
    drift: float = 0.5,
    threshold: float = 5.0,
    min_sigma: float = 1.0,
    rule: str = "",
) -> list[Alert]:
    """Escalation alerts per undirected dyad (see the module docstring for the test).

    Examples
    --------
    >>> import datetime as dt
    >>> from detente.schema import Event, Evidence, Entity
    >>> hit = Event(article_id="x", event_type="ASSAULT", date=dt.date(2024, 1, 16),
    ...     actor=[Entity(text="IRN", country="IRN")], recipient=[Entity(text="PAK", country="PAK")],
    ...     evidence=Evidence(text="strike", start=0, end=6))
    >>> [(a.kind, a.dyad, a.score) for a in escalation_alerts([hit])]
    [('escalation', ('IRN', 'PAK'), 8.5)]
    """
    per_dyad: dict[tuple[str, str], dict[int, list[Event]]] = defaultdict(lambda: defaultdict(list))
    for e in events:
        if e.date is None or F.quad_of(e) not in (3, 4):
            continue
        if F.intensity_of(e) >= 0:
            continue
        for pair in F.undirected_dyads(e):
            per_dyad[pair][e.date.toordinal()].append(e)
    alerts: list[Alert] = []
    for pair in sorted(per_dyad):
        days = per_dyad[pair]
        first, last = min(days), max(days)
        x = {d: -sum(F.intensity_of(e) for e in evs) for d, evs in days.items()}
        window: list[float] = [0.0] * baseline_days  # the days before the first event are quiet
        s, run_start = 0.0, None
        for d in range(first, last + 1):
            xt = x.get(d, 0.0)
            mu = sum(window) / len(window) if window else 0.0
            var = sum((w - mu) ** 2 for w in window) / len(window) if window else 0.0
            sigma = max(math.sqrt(var), min_sigma)
            if method == "threshold":
                fire, score = xt >= threshold and xt > 0, xt
                run_days = [d]
            else:
                s = max(0.0, s + (xt - mu) / sigma - drift)
                if s > 0 and run_start is None:
                    run_start = d
                if s == 0:
                    run_start = None
                fire, score = s >= threshold, s
                run_days = list(range(run_start if run_start is not None else d, d + 1))
            if fire:
                evs = [e for rd in run_days for e in days.get(rd, [])]
                date = dt.date.fromordinal(d)
                alerts.append(Alert(
                    kind="escalation", rule=rule, dyad=pair, date=date, score=round(score, 3),
                    message=(f"{pair[0]}–{pair[1]} conflict escalating: {xt:g} conflict intensity on {date} "
                             f"against a {baseline_days}-day baseline of {mu:.2f} ({_types(evs)})"),
                    event_ids=sorted({e.id for e in evs}),
                ))
                s, run_start = 0.0, None
            if baseline_days:
                window.append(xt)
                window.pop(0)
    return alerts


def tit_for_tat_alerts(
    events: Sequence[Event], *, response_days: int = 7, cue_days: int = 14, rule: str = ""
) -> list[Alert]:
    """One alert per material-conflict response (B answers A's act against it)."""
    by_id = {e.id: e for e in events}
    cfg = EpisodeConfig(response_days=response_days, cue_days=max(cue_days, 1))
    alerts = []
    for r in find_responses(events, cfg):
        resp, orig = by_id[r.event_id], by_id[r.responds_to]
        b, a = r.dyad
        cue = " (the report says it is a reply)" if r.cue else ""
        alerts.append(Alert(
            kind="tit_for_tat", rule=rule, dyad=(b, a), date=resp.date, score=r.score,  # type: ignore[arg-type]
            message=(f"{b} answered {a}'s {orig.event_type} of {orig.date} with {resp.event_type} on {resp.date}, "
                     f"{r.gap_days} day(s) later{cue}"),
            event_ids=[orig.id, resp.id],
        ))
    alerts.sort(key=lambda al: (al.date, al.dyad, al.id))
    return alerts


def de_escalation_alerts(
    events: Sequence[Event], *, after_days: int = 7, types: Sequence[str] = (), rule: str = ""
) -> list[Alert]:
    """Cooperation between two countries within ``after_days`` after material conflict between them."""
    wanted = {t.upper() for t in types}
    conflict: dict[tuple[str, str], list[Event]] = defaultdict(list)
    coop: dict[tuple[tuple[str, str], int], list[Event]] = defaultdict(list)
    for e in events:
        if e.date is None:
            continue
        q = F.quad_of(e)
        if q == 4:
            for pair in F.undirected_dyads(e):
                conflict[pair].append(e)
        elif q in (1, 2) and (not wanted or e.event_type.upper() in wanted):
            for pair in F.undirected_dyads(e):
                coop[(pair, e.date.toordinal())].append(e)
    alerts = []
    for (pair, day), coops in sorted(coop.items()):
        prior = [c for c in conflict.get(pair, ()) if 0 <= day - c.date.toordinal() <= after_days]  # type: ignore[union-attr]
        if not prior:
            continue
        latest = max(prior, key=lambda c: (c.date, c.id))
        gap = day - latest.date.toordinal()  # type: ignore[union-attr]
        score = sum(max(F.intensity_of(c), 0.0) for c in coops)
        date = dt.date.fromordinal(day)
        alerts.append(Alert(
            kind="de_escalation", rule=rule, dyad=pair, date=date, score=round(score, 3),
            message=(f"{pair[0]}–{pair[1]}: {_types(coops)} on {date}, {gap} day(s) after "
                     f"{latest.event_type} ({latest.date})"),
            event_ids=sorted({c.id for c in prior}) + sorted({c.id for c in coops}),
        ))
    return alerts
