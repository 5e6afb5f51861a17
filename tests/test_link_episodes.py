"""Episodes and responds-to links, in memory and through a real (in-memory DuckDB) store."""

from __future__ import annotations

import datetime as dt

from _linkdata import mk, story

from detente.link import EpisodeConfig, assign_episodes, find_responses, link_events, link_store
from detente.schema import Article, CodedArticle
from detente.store import open_store


def _canon():
    res = link_events(story())
    return res, {(c.event_type, c.date.day): c for c in res.canonical if c.actor[0].country != "RUS"}


def test_pakistan_strike_responds_to_iran_strike():
    res, by = _canon()
    iran, pak = by[("ASSAULT", 16)], by[("ASSAULT", 18)]
    assert iran.sources == ["art-1", "art-2"]  # two outlets, one strike
    epi = assign_episodes(res.canonical)
    assert epi.responds_to == {pak.id: iran.id}
    # the talks and the agreement between the same two countries join the episode; Russia-Ukraine does not
    members = {k for k, v in epi.episode_of.items()}
    assert members == {iran.id, pak.id, by[("CONSULT", 19)].id, by[("AGREE", 19)].id}
    assert len(set(epi.episode_of.values())) == 1
    assert epi.episode_of[iran.id].startswith("epi-")


def test_window_and_cue():
    a = mk("a", "ASSAULT", [("ISR", None)], [("LBN", None)], 1, text="Israeli jets struck southern Lebanon")
    late = mk("b", "ASSAULT", [("LBN", None)], [("ISR", None)], 10, text="Rockets were fired at northern Israel")
    assert find_responses([a, late]) == []  # 9 days > 7
    cued = mk("c", "ASSAULT", [("LBN", None)], [("ISR", None)], 10,
              text="Rockets were fired at northern Israel in retaliation for the raid")
    (r,) = find_responses([a, cued])
    assert (r.responds_to, r.cue, r.gap_days) == (a.id, True, 9)
    assert find_responses([a, cued], EpisodeConfig(response_days=7, cue_days=8)) == []


def test_same_direction_is_not_a_response():
    a = mk("a", "ASSAULT", [("ISR", None)], [("LBN", None)], 1, text="strike one")
    b = mk("b", "ASSAULT", [("ISR", None)], [("LBN", None)], 3, text="strike two somewhere else", place=("LBN", "X"))
    assert find_responses([a, b]) == []


def test_link_store_end_to_end():
    evs = story()
    with open_store(":memory:") as store:
        for art in sorted({e.article_id for e in evs}):
            mine = [e for e in evs if e.article_id == art]
            text = " ".join(e.evidence.text for e in mine) + " " * 200
            store.write(CodedArticle(article=Article(id=art, text=text), events=mine))
        stats = link_store(store)
        assert stats.reports == 6
        assert stats.merged == 1 and stats.responses == 1 and stats.episodes == 1
        canon = store.canonical_events()
        assert len(canon) == 5
        pak = next(c for c in canon if c.event_type == "ASSAULT" and c.date == dt.date(2024, 1, 18))
        iran = next(c for c in canon if c.event_type == "ASSAULT" and c.date == dt.date(2024, 1, 16))
        assert pak.responds_to == iran.id and pak.episode_id == iran.episode_id is not None
        assert sorted(iran.sources) == ["art-1", "art-2"]
        assert iran.toll.killed.low == 2 and iran.toll.killed.high == 3
        reports = {e.id: e for e in store.events()}
        for e in evs:
            assert reports[e.id].canonical_id is not None
        assert {reports[e.id].canonical_id for e in evs[:2]} == {iran.id}
        assert reports[evs[2].id].responds_to == iran.id
        # a second run changes nothing and is idempotent
        link_store(store)
        assert sorted((c.model_dump() for c in store.canonical_events()), key=lambda c: c["id"]) == \
            sorted((c.model_dump() for c in canon), key=lambda c: c["id"])
        # incremental: a third outlet's report of the Pakistani strike joins the stored canonical event
        extra = mk("art-6", "ASSAULT", [("PAK", "MIL")], [("PAK", "REB")], 18, place=("IRN", "Sistan and Baluchestan"),
                   killed=7, text="Pakistani jets struck militant hideouts in Sistan and Baluchestan")
        store.write(CodedArticle(article=Article(id="art-6", text=extra.evidence.text), events=[extra]))
        inc = link_store(store, since=dt.date(2024, 1, 18))
        assert inc.linked >= 1
        canon2 = {c.id: c for c in store.canonical_events()}
        merged = [c for c in canon2.values() if "art-6" in c.sources]
        assert len(merged) == 1 and merged[0].sources == ["art-3", "art-6"]
        assert merged[0].toll.killed.low == 7 and merged[0].toll.killed.high == 9
