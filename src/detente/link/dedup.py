"""Cross-article dedup: reports of the same real event become one canonical event.

How it works (details and figures in docs/link.md):

1. **Blocking.** Every report is indexed under ``(country, type family, date bucket)`` for each country on its actor
   or recipient side (the place's country when neither side has one). Day-precision reports go in day buckets,
   week/month/year-precision reports in month buckets. A report is compared only with reports sharing a key in the
   buckets its date window touches — never all pairs.
2. **Hard constraints** (a pair is *compatible*): same family; date windows overlap (day precision: ±``day_tolerance``
   days); actor countries overlap when both sides have some, same for recipients (direction kept: "A hits B" and
   "B hits A" on the same day are two events); at least one country in common; no contradicting place (different
   place countries, different admin1 unless within ``place_km``, precise points more than ``place_km`` apart).
3. **Score** of a compatible pair in [0, 1]: weighted date closeness, place agreement, evidence token Jaccard,
   entity-name agreement and toll agreement (unknown = 0.5, neutral). Pairs scoring ``>= threshold`` are merge
   candidates.
4. **Clustering.** Candidate pairs are sorted by (score desc, ids) and merged greedily; two clusters merge only if
   *every* cross pair is compatible (complete linkage on the hard constraints — no chaining of day 1 to day 3).
   Sorting by ids makes the result independent of input order.
5. **Merge.** The representative is the member with the smallest report id; the canonical id is ``"c" + that id``
   (``ev-…`` → ``cev-…``), so it changes only when a related report with a smaller id joins — never because
   unrelated events are added. Tolls: low = min of lows, high = max of highs, best = min of bests (conservative,
   ACLED practice); date and place = the most precise (ties: earliest date, most confident place); contexts,
   sources, ``who`` = unions; confidences = max. All merges are associative, so linking new reports against stored
   canonical events gives the same canonical events as linking everything at once.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict, Field

from ..schema import Count, Entity, Event, Modality, Place, Toll
from . import features as F

LINKABLE_MODALITIES = frozenset({Modality.asserted, Modality.claimed, Modality.denied})


class LinkConfig(BaseModel):
    """Settings of the dedup linker (all optional; defaults documented in docs/link.md)."""

    model_config = ConfigDict(extra="forbid")

    day_tolerance: int = Field(1, ge=0, le=14, description="days two day-precision reports may differ (reports lag)")
    place_km: float = Field(50.0, gt=0, description="precise places farther apart than this are different events")
    threshold: float = Field(0.55, ge=0, le=1, description="minimum pair score to merge")
    undated_lag_days: int = Field(7, ge=0, description="undated reports stand for [published - lag, published]")
    w_date: float = 0.30
    w_place: float = 0.25
    w_text: float = 0.20
    w_names: float = 0.15
    w_toll: float = 0.10
    text_saturation: float = Field(0.5, gt=0, le=1, description="Jaccard at which the text score reaches 1")


@dataclass
class LinkResult:
    """What :func:`link_events` returns.

    Attributes
    ----------
    canonical : list of Event
        Canonical events touched by this call (new or updated), sorted by id.
    report_to_canonical : dict
        Report event id -> canonical id, for every new report that was linked (negated, hypothetical and future
        reports are not linked and are absent).
    replaced : dict
        Existing canonical id -> the canonical id that now stands for it, when it changed (a related report with a
        smaller id joined, or a new report bridged two stored canonical events). The old rows are stale.
    """

    canonical: list[Event] = field(default_factory=list)
    report_to_canonical: dict[str, str] = field(default_factory=dict)
    replaced: dict[str, str] = field(default_factory=dict)


def canonical_id_for(report_id: str) -> str:
    """The canonical id of a cluster whose representative (smallest id) is ``report_id``.

    >>> canonical_id_for("ev-0123")
    'cev-0123'
    """
    return "c" + report_id


def _rep_id_of_canonical(event: Event) -> str:
    return event.id[1:] if event.id.startswith("c") else event.id


@dataclass(slots=True)
class _Node:
    idx: int
    key: str  # report id (reports) or representative report id (canonicals): the clustering sort key
    event: Event
    is_canonical: bool
    family: str
    act: frozenset[str]
    rec: frozenset[str]
    countries: frozenset[str]
    act_names: frozenset[str]
    rec_names: frozenset[str]
    lo: int
    hi: int
    day: bool
    pc: str | None
    adm: str | None
    geo: int | None
    lat: float | None
    lon: float | None
    precise: bool
    killed: int | None
    toks: frozenset[str]


def _node(idx: int, ev: Event, is_canonical: bool, cfg: LinkConfig) -> _Node | None:
    rng = F.date_range(ev)
    day = (ev.date_precision or "day").lower() == "day" and rng is not None
    if rng is None:
        if ev.published is None:
            return None
        rng = (ev.published - dt.timedelta(days=cfg.undated_lag_days), ev.published)
    loc = ev.location
    act = F.actor_countries(ev)
    rec = F.recipient_countries(ev)
    pc = loc.country if loc else None
    killed = ev.toll.killed.best if ev.toll and ev.toll.killed else None
    return _Node(
        idx=idx,
        key=_rep_id_of_canonical(ev) if is_canonical else ev.id,
        event=ev,
        is_canonical=is_canonical,
        family=F.family_of(ev),
        act=act,
        rec=rec,
        countries=act | rec | ({pc} if pc else frozenset()),
        act_names=F.entity_names(ev.actor),
        rec_names=F.entity_names(ev.recipient),
        lo=rng[0].toordinal(),
        hi=rng[1].toordinal(),
        day=day,
        pc=pc,
        adm=(loc.admin1_code or loc.admin1 or None) if loc else None,
        geo=loc.geonames_id if loc else None,
        lat=loc.lat if loc else None,
        lon=loc.lon if loc else None,
        precise=bool(loc and loc.lat is not None and (loc.precision or "city") in ("point", "city")),
        killed=killed,
        toks=F.tokens(ev.evidence.text),
    )


def _km(a: _Node, b: _Node) -> float | None:
    if a.lat is None or b.lat is None or a.lon is None or b.lon is None:
        return None
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 12742.0 * math.asin(min(1.0, math.sqrt(h)))


def _side_ok(x: frozenset[str], y: frozenset[str]) -> bool:
    return not x or not y or bool(x & y)


def compatible(a: _Node, b: _Node, cfg: LinkConfig) -> bool:
    """Hard constraints: could these two reports describe one real event?"""
    if a.family != b.family:
        return False
    tol = cfg.day_tolerance if (a.day and b.day) else 0
    if a.lo > b.hi + tol or b.lo > a.hi + tol:
        return False
    if not (_side_ok(a.act, b.act) and _side_ok(a.rec, b.rec)):
        return False
    if a.countries and b.countries and not (a.countries & b.countries):
        return False
    if a.pc and b.pc and a.pc != b.pc:
        return False
    km = _km(a, b)
    if a.precise and b.precise and km is not None and km > cfg.place_km:
        return False
    if a.adm and b.adm and a.adm != b.adm and not (km is not None and km <= cfg.place_km):
        return False
    return True


def _names_score(x: frozenset[str], y: frozenset[str]) -> float | None:
    if not x or not y:
        return None
    return 1.0 if x & y else 0.0


def score(a: _Node, b: _Node, cfg: LinkConfig) -> float:
    """Similarity of two compatible reports in [0, 1]."""
    # date
    if a.day and b.day:
        gap = abs(a.lo - b.lo)
        s_date = 1.0 if gap == 0 else max(0.0, 0.6 - 0.2 * (gap - 1))
    else:
        s_date = 0.4
    # place
    km = _km(a, b)
    if a.geo is not None and a.geo == b.geo or (km is not None and km <= 10):
        s_place = 1.0
    elif km is not None and km <= cfg.place_km:
        s_place = 0.8
    elif a.adm and a.adm == b.adm:
        s_place = 0.7
    elif a.pc and a.pc == b.pc:
        s_place = 0.4
    else:
        s_place = 0.5
    # text
    s_text = min(1.0, F.jaccard(a.toks, b.toks) / cfg.text_saturation)
    # names
    parts = [s for s in (_names_score(a.act_names, b.act_names), _names_score(a.rec_names, b.rec_names)) if s is not None]
    s_names = sum(parts) / len(parts) if parts else 0.5
    # toll
    if a.killed is not None and b.killed is not None:
        hi, lo = max(a.killed, b.killed), min(a.killed, b.killed)
        s_toll = 1.0 if hi == lo else (0.7 if hi and lo / hi >= 0.5 else 0.2)
    else:
        s_toll = 0.5
    return (
        cfg.w_date * s_date + cfg.w_place * s_place + cfg.w_text * s_text + cfg.w_names * s_names + cfg.w_toll * s_toll
    ) / (cfg.w_date + cfg.w_place + cfg.w_text + cfg.w_names + cfg.w_toll)


# --- blocking ------------------------------------------------------------------------------------------------------


def _block_countries(n: _Node) -> frozenset[str]:
    sides = n.act | n.rec
    if sides:
        return sides
    return frozenset({n.pc}) if n.pc else frozenset({""})


def _month_ordinals(lo: int, hi: int) -> list[int]:
    a, b = dt.date.fromordinal(lo), dt.date.fromordinal(hi)
    out, y, m = [], a.year, a.month
    while (y, m) <= (b.year, b.month):
        out.append(y * 12 + m)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def blocking_keys(n: _Node) -> list[tuple]:
    """Index keys of a node: (country, family, "d", day) for day precision, (country, family, "m", month) else."""
    if n.day:
        return [(c, n.family, "d", n.lo) for c in sorted(_block_countries(n))]
    return [(c, n.family, "m", m) for c in sorted(_block_countries(n)) for m in _month_ordinals(n.lo, n.hi)]


def _probe_keys(n: _Node, cfg: LinkConfig) -> list[tuple]:
    """Keys to look up: every bucket the node's date window (plus tolerance) could share with another node."""
    keys: list[tuple] = []
    tol = cfg.day_tolerance if n.day else 0
    months = _month_ordinals(n.lo - tol, n.hi + tol)
    for c in sorted(_block_countries(n)):
        for d in range(n.lo - tol, n.hi + tol + 1):
            keys.append((c, n.family, "d", d))
        for m in months:
            keys.append((c, n.family, "m", m))
    return keys


def candidate_pairs(nodes: Sequence[_Node], cfg: LinkConfig) -> list[tuple[float, str, str, int, int]]:
    """Scored compatible pairs above the threshold, as (-score, key_a, key_b, i, j), sorted (deterministic)."""
    index: dict[tuple, list[int]] = defaultdict(list)
    for n in nodes:
        for k in blocking_keys(n):
            index[k].append(n.idx)
    seen: set[tuple[int, int]] = set()
    pairs: list[tuple[float, str, str, int, int]] = []
    for n in nodes:
        for k in _probe_keys(n, cfg):
            for j in index.get(k, ()):
                if j <= n.idx:
                    continue
                m = nodes[j]
                if n.is_canonical and m.is_canonical:
                    continue  # stored canonical events were already kept apart
                if (n.idx, j) in seen:
                    continue
                seen.add((n.idx, j))
                if not compatible(n, m, cfg):
                    continue
                s = score(n, m, cfg)
                if s >= cfg.threshold:
                    a, b = (n, m) if n.key <= m.key else (m, n)
                    pairs.append((-round(s, 9), a.key, b.key, a.idx, b.idx))
    pairs.sort()
    return pairs


def cluster(nodes: Sequence[_Node], cfg: LinkConfig) -> list[list[_Node]]:
    """Greedy complete-linkage clustering over the sorted candidate pairs; clusters sorted by their smallest key."""
    parent = list(range(len(nodes)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(nodes))}
    compat_cache: dict[tuple[int, int], bool] = {}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def ok(i: int, j: int) -> bool:
        key = (i, j) if i < j else (j, i)
        if key not in compat_cache:
            compat_cache[key] = compatible(nodes[i], nodes[j], cfg)
        return compat_cache[key]

    for _, _, _, i, j in candidate_pairs(nodes, cfg):
        ri, rj = find(i), find(j)
        if ri == rj:
            continue
        mi, mj = members[ri], members[rj]
        if len(mi) * len(mj) > 1 and not all(ok(x, y) for x in mi for y in mj):
            continue
        if len(mi) < len(mj):
            ri, rj, mi, mj = rj, ri, mj, mi
        parent[rj] = ri
        mi.extend(mj)
        del members[rj]
    out = [sorted((nodes[i] for i in idxs), key=lambda n: n.key) for idxs in members.values()]
    out.sort(key=lambda c: c[0].key)
    return out


# --- merging -------------------------------------------------------------------------------------------------------


def _merge_count(counts: Iterable[Count | None]) -> Count | None:
    cs = [c for c in counts if c is not None]
    if not cs:
        return None
    lows = [c.low for c in cs if c.low is not None]
    bests = [c.best for c in cs if c.best is not None]
    highs = [c.high for c in cs if c.high is not None]
    return Count(low=min(lows) if lows else None, best=min(bests) if bests else None, high=max(highs) if highs else None)


def merge_tolls(events: Sequence[Event], rep: Event) -> Toll | None:
    """low = min of lows, best = min of bests (conservative), high = max of highs; ``who`` = union."""
    tolls = [e.toll for e in events if e.toll is not None]
    if not tolls:
        return None
    return Toll(
        killed=_merge_count(t.killed for t in tolls),
        injured=_merge_count(t.injured for t in tolls),
        who=sorted({w for t in tolls for w in t.who}),
        span=rep.toll.span if rep.toll else None,
        confidence=max(t.confidence for t in tolls),
    )


def _merge_entities(groups: Iterable[list[Entity]]) -> list[Entity]:
    out: list[Entity] = []
    for g, ents in enumerate(groups):
        for e in ents:
            dup = any(
                o.country == e.country and o.sector == e.sector and (o.name is None or e.name is None or o.name == e.name)
                for o in out
            )
            if not dup:
                out.append(e if g == 0 else e.model_copy(update={"span": None}))  # spans index the rep's text
    return out


def _place_rank(p: Place) -> tuple:
    prec = PLACE_RANK.get((p.precision or "").lower(), 4 if p.lat is None else 1)
    return (prec, -p.confidence, p.name, p.geonames_id or 0)


PLACE_RANK = F.PLACE_PRECISION_ORDER


def merge_cluster(members: Sequence[Event], rep: Event, canonical_id: str) -> Event:
    """One canonical event from the members of a cluster (reports and/or stored canonical events)."""
    dated = [e for e in members if e.date is not None]
    best_date = min(dated, key=lambda e: (F.PRECISION_ORDER.get((e.date_precision or "day").lower(), 9), e.date, e.id),
                    default=None)
    placed = [e for e in members if e.location is not None]
    best_place = min(placed, key=lambda e: (_place_rank(e.location), e.id), default=None)  # type: ignore[arg-type]
    location = None
    if best_place is not None and best_place.location is not None:
        location = best_place.location
        if best_place.article_id != rep.article_id:
            location = location.model_copy(update={"span": None})
    modality = Modality.asserted if any(e.modality == Modality.asserted for e in members) else rep.modality
    published = [e.published for e in members if e.published is not None]
    first = lambda attr: getattr(rep, attr) or next((getattr(e, attr) for e in members if getattr(e, attr)), None)  # noqa: E731
    same_date = best_date is not None and best_date.article_id == rep.article_id
    return rep.model_copy(
        update={
            "id": canonical_id,
            "mode": first("mode"),
            "cameo_code": first("cameo_code"),
            "acled_type": first("acled_type"),
            "acled_subtype": first("acled_subtype"),
            "context": sorted({c for e in members for c in e.context}),
            "quad_class": rep.quad_class if rep.quad_class is not None else F.quad_of(rep),
            "actor": _merge_entities([rep.actor] + [e.actor for e in members if e is not rep]),
            "recipient": _merge_entities([rep.recipient] + [e.recipient for e in members if e is not rep]),
            "date": best_date.date if best_date else None,
            "date_precision": best_date.date_precision if best_date else None,
            "date_text": best_date.date_text if best_date else None,
            "date_span": best_date.date_span if same_date and best_date else None,
            "date_inferred": best_date.date_inferred if best_date else False,
            "location": location,
            "toll": merge_tolls(members, rep),
            "modality": modality,
            "confidence": max(e.confidence for e in members),
            "type_confidence": max(e.type_confidence for e in members),
            "published": min(published) if published else None,
            "sources": sorted({s for e in members for s in (e.sources or [e.article_id])}),
            "canonical_id": None,
            "episode_id": None,
            "responds_to": None,
        }
    )


def link_events(
    new: Sequence[Event], existing_canonical: Sequence[Event] = (), *, config: LinkConfig | None = None
) -> LinkResult:
    """Link report-level events into canonical events.

    Parameters
    ----------
    new : sequence of Event
        Report-level events (straight from the coder or the store). Negated, hypothetical and future reports are
        not linked.
    existing_canonical : sequence of Event
        Canonical events already stored that the new reports may join (load them by blocking key, e.g. with
        ``store.canonical_events(country=…, since=…, until=…)``).
    config : LinkConfig, optional

    Returns
    -------
    LinkResult

    Examples
    --------
    >>> from detente.schema import Event, Evidence, Entity
    >>> import datetime as dt
    >>> mk = lambda art: Event(article_id=art, event_type="ASSAULT", date=dt.date(2024, 1, 16), date_precision="day",
    ...     actor=[Entity(text="Iran", country="IRN")], recipient=[Entity(text="Pakistan", country="PAK")],
    ...     evidence=Evidence(text="Iran struck Pakistan", start=0, end=20))
    >>> res = link_events([mk("a1"), mk("a2")])
    >>> len(res.canonical), res.canonical[0].sources
    (1, ['a1', 'a2'])
    """
    cfg = config or LinkConfig()
    uniq: dict[str, Event] = {}
    for e in new:
        uniq.setdefault(e.id, e)
    nodes: list[_Node] = []
    singletons: list[Event] = []
    for e in sorted(uniq.values(), key=lambda e: e.id):
        if e.modality not in LINKABLE_MODALITIES:
            continue
        n = _node(len(nodes), e, False, cfg)
        if n is None:
            singletons.append(e)
        else:
            nodes.append(n)
    for c in sorted({c.id: c for c in existing_canonical}.values(), key=lambda c: c.id):
        n = _node(len(nodes), c, True, cfg)
        if n is not None:
            nodes.append(n)

    result = LinkResult()
    for members in cluster(nodes, cfg):
        if all(m.is_canonical for m in members):
            continue  # untouched stored canonical event
        rep_node = members[0]  # smallest key
        cid = canonical_id_for(rep_node.key)
        events = [m.event for m in members]
        result.canonical.append(merge_cluster(events, rep_node.event, cid))
        for m in members:
            if m.is_canonical:
                if m.event.id != cid:
                    result.replaced[m.event.id] = cid
            else:
                result.report_to_canonical[m.event.id] = cid
    for e in singletons:
        cid = canonical_id_for(e.id)
        result.canonical.append(merge_cluster([e], e, cid))
        result.report_to_canonical[e.id] = cid
    result.canonical.sort(key=lambda e: e.id)
    return result
