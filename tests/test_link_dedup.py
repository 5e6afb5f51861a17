"""Cross-article dedup on hand-made reports."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from detente.link import LinkConfig, link_events
from detente.schema import Count, Entity, Event, Evidence, Modality, Place, Toll


def ev(
    art: str,
    etype: str = "ASSAULT",
    actor: str = "IRN",
    target: str = "PAK",
    day: int = 16,
    *,
    text: str = "Iranian missiles struck militant bases in Balochistan",
    killed: tuple[int | None, int | None, int | None] | None = None,
    admin1: str | None = "Balochistan",
    place_country: str | None = "PAK",
    precision: str = "day",
    modality: Modality = Modality.asserted,
    month: int = 1,
    start: int = 0,
) -> Event:
    toll = Toll(killed=Count(low=killed[0], best=killed[1], high=killed[2])) if killed else None
    loc = Place(name=admin1 or place_country or "?", admin1=admin1, country=place_country, precision="admin1") if (
        admin1 or place_country) else None
    return Event(
        article_id=art,
        event_type=etype,
        actor=[Entity(text=actor, country=actor, sector="MIL")],
        recipient=[Entity(text=target, country=target)] if target else [],
        date=dt.date(2024, month, day),
        date_precision=precision,
        location=loc,
        toll=toll,
        modality=modality,
        evidence=Evidence(text=text, start=start, end=start + len(text)),
        confidence=0.5,
    )


def test_two_outlets_same_strike_become_one_canonical_with_merged_toll():
    a = ev("art-a", text="Iranian missiles struck militant bases in Balochistan killing two children", killed=(2, 2, 2))
    b = ev("art-b", day=17, text="Iran's missile strike on militant bases in Balochistan killed three", killed=(3, 3, 4))
    res = link_events([a, b])
    assert len(res.canonical) == 1
    c = res.canonical[0]
    assert c.sources == ["art-a", "art-b"]
    assert c.toll.killed == Count(low=2, best=2, high=4)  # low=min lows, best=min bests, high=max highs
    assert c.date == dt.date(2024, 1, 16)  # earliest of the day-precision dates
    assert res.report_to_canonical == {a.id: c.id, b.id: c.id}
    assert c.id == "c" + min(a.id, b.id)


def test_unrelated_same_day_event_elsewhere_not_merged():
    a = ev("art-a")
    other = ev("art-c", actor="RUS", target="UKR", admin1="Kharkiv", place_country="UKR",
               text="Russian missiles struck Kharkiv")
    res = link_events([a, other])
    assert len(res.canonical) == 2
    assert len(set(res.report_to_canonical.values())) == 2


def test_opposite_direction_same_day_is_a_different_event():
    a = ev("art-a", actor="IRN", target="PAK")
    b = ev("art-b", actor="PAK", target="IRN", admin1=None, place_country="IRN")
    assert len(link_events([a, b]).canonical) == 2


def test_different_admin1_not_merged_and_far_days_not_merged():
    a = ev("art-a")
    b = ev("art-b", admin1="Punjab")
    c = ev("art-c", day=19)
    assert len(link_events([a, b, c]).canonical) == 3


def test_month_precision_report_overlaps_day_report():
    a = ev("art-a", text="Iranian missiles struck militant bases in Balochistan")
    b = ev("art-b", day=1, precision="month", text="In January Iranian missiles struck militant bases in Balochistan")
    res = link_events([a, b])
    assert len(res.canonical) == 1
    assert res.canonical[0].date == dt.date(2024, 1, 16)
    assert res.canonical[0].date_precision == "day"  # most precise wins


def test_negated_reports_are_not_linked():
    a = ev("art-a")
    neg = ev("art-b", modality=Modality.negated)
    res = link_events([a, neg])
    assert neg.id not in res.report_to_canonical
    assert res.canonical[0].sources == ["art-a"]


def test_no_chaining_across_three_days():
    # day 16 ~ day 17 ~ day 18, but 16 and 18 are two days apart: complete linkage keeps them apart
    evs = [ev(f"art-{d}", day=d) for d in (16, 17, 18)]
    res = link_events(evs)
    assert len(res.canonical) == 2
    for c in res.canonical:
        days = [e.date for e in evs if res.report_to_canonical[e.id] == c.id]
        assert max(days) - min(days) <= dt.timedelta(days=1)


def _corpus(seed: int = 7) -> list[Event]:
    rng = random.Random(seed)
    pairs = [("IRN", "PAK"), ("PAK", "IRN"), ("RUS", "UKR"), ("ISR", "LBN"), ("USA", "YEM")]
    out = []
    for k in range(40):
        a, b = pairs[k % len(pairs)]
        day = 1 + (k * 3) % 27
        for r in range(rng.randint(1, 3)):
            out.append(ev(f"art-{k}-{r}", actor=a, target=b, day=day, admin1=None, place_country=b,
                          text=f"{a} forces struck targets in {b} story {k}", killed=(k, k + r, k + 2 * r)))
    return out


def test_ids_do_not_depend_on_input_order():
    evs = _corpus()
    base = link_events(evs)
    shuffled = evs[:]
    random.Random(1).shuffle(shuffled)
    again = link_events(shuffled)
    assert [c.model_dump() for c in base.canonical] == [c.model_dump() for c in again.canonical]
    assert base.report_to_canonical == again.report_to_canonical


def test_incremental_equals_batch():
    evs = _corpus()
    batch = link_events(evs)
    random.Random(3).shuffle(evs)
    first, second = evs[: len(evs) // 2], evs[len(evs) // 2 :]
    r1 = link_events(first)
    r2 = link_events(second, r1.canonical)
    final = {c.id: c for c in r1.canonical if c.id not in r2.replaced}
    final.update({c.id: c for c in r2.canonical})
    mapping = {k: r2.replaced.get(v, v) for k, v in r1.report_to_canonical.items()} | r2.report_to_canonical
    assert mapping == batch.report_to_canonical
    assert sorted(final) == [c.id for c in batch.canonical]
    for c in batch.canonical:
        assert final[c.id].sources == c.sources
        assert final[c.id].toll == c.toll


def test_unrelated_events_do_not_change_ids():
    evs = _corpus()
    base = link_events(evs)
    extra = [ev(f"art-x{i}", actor="FRA", target="MLI", admin1=None, place_country="MLI", day=5 + i) for i in range(5)]
    more = link_events(evs + extra)
    assert {k: v for k, v in more.report_to_canonical.items() if k in base.report_to_canonical} == \
        base.report_to_canonical


def test_config_rejects_unknown_keys():
    with pytest.raises(ValueError, match="day_tolernce"):
        LinkConfig(day_tolernce=2)
