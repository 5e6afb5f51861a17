"""Episodes: retaliation chains between two countries, and the cooperation that closes them.

A material-conflict event (quad class 4) by B against A *responds to* the latest material-conflict event by A
against B in the ``response_days`` before it (default 7). An explicit cue in the evidence ("in retaliation for",
"hit back", "retaliatory", "avenge", …; ``data/link/response_cues.txt``) widens the window to ``cue_days`` and
allows a same-day response; it also raises the link's score. Connected components of responds-to links are
episodes; cooperation (quad 1/2) between the same two countries within ``coop_days`` after one of the episode's
conflict events joins the episode (it gets ``episode_id``, not ``responds_to``).

Run this on canonical (deduplicated) events: on raw reports two outlets' copies of one strike would look like
separate acts.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from ..schema import Event, stable_id
from . import features as F


class EpisodeConfig(BaseModel):
    """Windows of the episode linker."""

    model_config = ConfigDict(extra="forbid")

    response_days: int = Field(7, ge=1, description="B's strike within this many days after A's responds to it")
    cue_days: int = Field(14, ge=1, description="window when the evidence says it is a response")
    coop_days: int = Field(7, ge=0, description="cooperation within this many days after conflict joins the episode")


@dataclass(frozen=True)
class Response:
    """``event_id`` (B against A) responds to ``responds_to`` (A against B)."""

    event_id: str
    responds_to: str
    dyad: tuple[str, str]  # (responder, original actor)
    gap_days: int
    cue: bool
    score: float


def _conflict(e: Event) -> bool:
    return F.quad_of(e) == 4 and e.date is not None


def find_responses(events: Sequence[Event], config: EpisodeConfig | None = None) -> list[Response]:
    """Material-conflict events that answer an earlier one by their target (sorted by event id).

    Examples
    --------
    >>> import datetime as dt
    >>> from detente.schema import Event, Evidence, Entity
    >>> def strike(i, a, b, day):
    ...     return Event(id=i, article_id="x", event_type="ASSAULT", date=dt.date(2024, 1, day),
    ...                  actor=[Entity(text=a, country=a)], recipient=[Entity(text=b, country=b)],
    ...                  evidence=Evidence(text="strike", start=0, end=6))
    >>> [(r.event_id, r.responds_to, r.gap_days) for r in find_responses([strike("e1", "IRN", "PAK", 16),
    ...                                                                   strike("e2", "PAK", "IRN", 18)])]
    [('e2', 'e1', 2)]
    """
    cfg = config or EpisodeConfig()
    by_dyad: dict[tuple[str, str], list[tuple[int, str, bool]]] = defaultdict(list)
    conflicts = sorted((e for e in events if _conflict(e)), key=lambda e: (e.date, e.id))
    cues = {e.id: F.has_response_cue(e.evidence.text) for e in conflicts}
    for e in conflicts:
        for pair in F.directed_dyads(e):
            by_dyad[pair].append((e.date.toordinal(), e.id, cues[e.id]))  # type: ignore[union-attr]
    out: list[Response] = []
    for e in conflicts:
        day = e.date.toordinal()  # type: ignore[union-attr]
        cue = cues[e.id]
        window = cfg.cue_days if cue else cfg.response_days
        best: tuple[int, str, tuple[str, str]] | None = None
        for b, a in F.directed_dyads(e):
            prior = by_dyad.get((a, b), [])
            lo = bisect.bisect_left(prior, (day - window, "", False))
            hi = bisect.bisect_right(prior, (day, "\uffff", True))
            for pday, pid, pcue in reversed(prior[lo:hi]):
                if pid == e.id:
                    continue
                if pday == day and not (cue and not pcue):
                    continue  # same-day pair: only the one that says it is a reply responds
                cand = (pday, pid, (b, a))
                if best is None or (cand[0], cand[1]) > (best[0], best[1]):
                    best = cand
                break
        if best is None:
            continue
        gap = day - best[0]
        base = 0.5 + 0.5 * (1 - gap / (window + 1))
        out.append(Response(e.id, best[1], best[2], gap, cue, round(min(1.0, base + (0.3 if cue else 0.0)), 3)))
    out.sort(key=lambda r: r.event_id)
    return out


@dataclass
class EpisodeResult:
    responds_to: dict[str, str]  # event id -> event id it answers
    episode_of: dict[str, str]  # event id -> episode id
    responses: list[Response]


def assign_episodes(events: Sequence[Event], config: EpisodeConfig | None = None) -> EpisodeResult:
    """Responds-to links and deterministic episode ids (``epi-`` + hash of the smallest member id)."""
    cfg = config or EpisodeConfig()
    responses = find_responses(events, cfg)
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    for r in responses:
        union(r.event_id, r.responds_to)
    # cooperation after a chained conflict between the same two countries joins the episode
    chained: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
    by_id = {e.id: e for e in events}
    for eid in list(parent):
        e = by_id.get(eid)
        if e is None or e.date is None:
            continue
        for pair in F.undirected_dyads(e):
            chained[pair].append((e.date.toordinal(), eid))
    for lst in chained.values():
        lst.sort()
    for e in sorted(events, key=lambda e: e.id):
        if e.date is None or F.quad_of(e) not in (1, 2):
            continue
        day = e.date.toordinal()
        for pair in F.undirected_dyads(e):
            lst = chained.get(pair, [])
            i = bisect.bisect_right(lst, (day, "\uffff"))
            if i and day - lst[i - 1][0] <= cfg.coop_days:
                union(e.id, lst[i - 1][1])
    comps: dict[str, list[str]] = defaultdict(list)
    for x in list(parent):
        comps[find(x)].append(x)
    episode_of: dict[str, str] = {}
    for root, ids in comps.items():
        if len(ids) < 2:
            continue
        epi = stable_id(min(ids), prefix="epi-")
        for i in ids:
            episode_of[i] = epi
    return EpisodeResult({r.event_id: r.responds_to for r in responses}, episode_of, responses)
