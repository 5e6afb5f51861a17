"""Linking over a store: dedup the stored reports, chain episodes, persist canonical events and links."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import asdict, dataclass
from typing import Any

from ..schema import Event
from .dedup import LinkConfig, link_events
from .episodes import EpisodeConfig, assign_episodes

# Reports dated up to this many days before ``since`` are re-read so that day tolerance, week/month ranges and
# response windows reaching back across the boundary still see their partners.
LOOKBACK_DAYS = 45


@dataclass
class LinkStats:
    """What :func:`link_store` did."""

    reports: int = 0  # report-level events read
    linked: int = 0  # reports given a canonical id
    canonical: int = 0  # canonical events written
    merged: int = 0  # canonical events reported by more than one article
    replaced: int = 0  # stored canonical ids superseded (stale rows; see docs/link.md)
    responses: int = 0  # responds-to links
    episodes: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def link_store(
    store: Any,
    *,
    since: dt.date | None = None,
    config: LinkConfig | None = None,
    episodes: EpisodeConfig | None = None,
) -> LinkStats:
    """Dedup the store's report-level events and chain episodes; write canonical events and links back.

    Parameters
    ----------
    store : detente.store.Store
    since : date, optional
        Only (re)link reports dated on or after this day, against the canonical events already stored around it.
        None re-links everything from the reports (batch).
    config, episodes : optional settings.

    Notes
    -----
    Every merge is idempotent (unions, min/max), so re-linking an already linked report is harmless.
    """
    t0 = time.perf_counter()
    stats = LinkStats()
    window_lo = since - dt.timedelta(days=LOOKBACK_DAYS) if since else None
    reports = store.events(since=window_lo) if window_lo else store.events()
    stats.reports = len(reports)
    if since is None:
        new, existing = reports, []
    else:
        new = [r for r in reports if r.canonical_id is None or (r.date is not None and r.date >= since)]
        existing = store.canonical_events(since=window_lo)
    res = link_events(new, existing, config=config)

    # canonical set for episodes: stored ones in the window, minus superseded ids, plus what we just made
    canon: dict[str, Event] = {c.id: c for c in existing if c.id not in res.replaced}
    canon.update({c.id: c for c in res.canonical})
    epi = assign_episodes(list(canon.values()), episodes)
    touched = {c.id for c in res.canonical}
    out: list[Event] = []
    for cid in sorted(canon):
        c = canon[cid]
        e_id, r_to = epi.episode_of.get(cid), epi.responds_to.get(cid)
        if cid in touched or c.episode_id != e_id or c.responds_to != r_to:
            out.append(c.model_copy(update={"episode_id": e_id, "responds_to": r_to}))
    if res.replaced and hasattr(store, "delete_canonical"):
        store.delete_canonical(sorted(res.replaced))
    if out:
        store.write_canonical(out)

    links: list[tuple[str, str | None, str | None, str | None]] = []
    for r in reports:
        cid = res.report_to_canonical.get(r.id) or res.replaced.get(r.canonical_id or "", r.canonical_id)
        if cid is None:
            continue
        link = (r.id, cid, epi.episode_of.get(cid), epi.responds_to.get(cid))
        if link != (r.id, r.canonical_id, r.episode_id, r.responds_to):
            links.append(link)
    if links:
        store.set_links(links)
    stats.linked = len(res.report_to_canonical)
    stats.canonical = len(out)
    stats.merged = sum(1 for c in res.canonical if len(c.sources) > 1)
    stats.replaced = len(res.replaced)
    stats.responses = len(epi.responses)
    stats.episodes = len(set(epi.episode_of.values()))
    stats.seconds = round(time.perf_counter() - t0, 3)
    return stats
