"""The store contract, run against a real DuckDB file and PostgreSQL (see store_fixtures.py)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap

import pandas as pd
import pytest
from store_fixtures import (  # noqa: F401  (fixtures)
    REJECT, all_events, coded_articles, diplomacy, filled, kenya, pakistan, pg_target, store, store_target,
)

from detente.errors import DetenteError
from detente.store import FLAT_COLUMNS, default_target, latest_version, open_store
from detente.store.base import Store


def _count(store: Store, table: str) -> int:
    return store._fetchall(f"SELECT count(*) FROM {table}")[0][0]


ALL_TABLES = ("articles", "events", "event_entities", "entities", "places")


def _ordered(events):
    return sorted(events, key=lambda e: (e.date is None, e.date or dt.date.min, e.id))


# --- schema and migrations -------------------------------------------------------------------------------------
def test_store_fresh_schema_is_current(store):
    assert store.schema_version() == latest_version() >= 1
    cols = [r[0] for r in store._fetchall(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'events' "
        "AND table_schema = current_schema() ORDER BY ordinal_position")]
    assert cols == [*FLAT_COLUMNS, "record"]


def test_store_migrations_apply_once(store_target):
    for _ in range(3):
        with open_store(store_target) as s:
            rows = s._fetchall("SELECT version, name FROM schema_migrations ORDER BY version")
    assert [v for v, _ in rows] == list(range(1, latest_version() + 1))
    assert rows[0][1] == "001_init.sql"


def test_store_refuses_newer_schema(store_target):
    with open_store(store_target) as s:
        s._execute("INSERT INTO schema_migrations VALUES (999, '999_future.sql', ?)",
                   (dt.datetime.now(dt.timezone.utc),))
    with pytest.raises(DetenteError) as err:
        open_store(store_target)
    assert err.value.code == "E203"


# --- writes ------------------------------------------------------------------------------------------------------
def test_stored_ids_answers_for_a_batch(store):
    coded = pakistan()
    assert store.stored_ids([coded.article.id, "art-none"]) == set()
    store.write(coded)
    many = [f"art-{i}" for i in range(1200)] + [coded.article.id, coded.article.id]  # over one IN (...) chunk
    assert store.stored_ids(many) == {coded.article.id}
    assert store.stored_ids([]) == set()


def test_store_write_is_idempotent(store):
    coded = pakistan()
    assert not store.has_article(coded.article.id)
    assert store.write(coded) is True
    assert store.has_article(coded.article.id)
    before = {t: _count(store, t) for t in ALL_TABLES}
    assert before == {"articles": 1, "events": 2, "event_entities": 4, "entities": 3, "places": 1}
    assert store.write(pakistan()) is False
    assert {t: _count(store, t) for t in ALL_TABLES} == before


def test_store_interrupted_write_leaves_nothing(store, monkeypatch):
    coded = pakistan()
    calls = []

    def boom(table, events):
        calls.append(table)
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(store, "_insert_events", boom)
    with pytest.raises(DetenteError) as err:
        store.write(coded)
    assert err.value.code == "E208" and coded.article.id in str(err.value)
    assert calls == ["events"]  # the article row was inserted before the failure
    assert not store.has_article(coded.article.id)
    assert {t: _count(store, t) for t in ALL_TABLES} == dict.fromkeys(ALL_TABLES, 0)

    monkeypatch.undo()
    assert store.write(coded) is True
    assert len(store.events(article_id=coded.article.id)) == 2
    assert _count(store, "places") == 1


def test_store_failure_in_entities_rolls_back_events(store, monkeypatch):
    coded = kenya()
    monkeypatch.setattr(store, "_insert_places", lambda *a: (_ for _ in ()).throw(ValueError("bad place")))
    with pytest.raises(DetenteError):
        store.write(coded)
    assert _count(store, "events") == 0 and _count(store, "entities") == 0
    monkeypatch.undo()
    assert store.write(coded) is True


def test_store_duplicate_event_ids_in_one_article_are_dropped(store):
    coded = pakistan()
    coded.events.append(coded.events[0].model_copy())
    assert store.write(coded) is True
    assert _count(store, "events") == 2


def test_store_rejects_idempotent(store):
    assert store.write_reject(REJECT) is True
    assert store.write_reject(REJECT) is False
    (got,) = store.rejects()
    assert (got.id, got.origin, got.code, got.reason, got.raw) == (
        REJECT.id, "feeds/x.jsonl:3", "E101", "no text field", '{"title": "x"}')


# --- reads -------------------------------------------------------------------------------------------------------
def test_store_events_round_trip_full_records(filled):
    got = filled.events()
    want = _ordered(all_events())
    assert [e.id for e in got] == [e.id for e in want]
    assert [e.model_dump() for e in got] == [e.model_dump() for e in want]
    assert got[-1].date is None  # undated last


def test_store_record_is_queryable_json(filled):
    rows = filled._fetchall("SELECT record ->> 'event_type' FROM events ORDER BY id")
    assert sorted(r[0] for r in rows) == sorted(e.event_type for e in all_events())


def test_store_articles_round_trip(filled):
    got = {a.id: a for a in filled.articles()}
    for c in coded_articles():
        a = got[c.article.id]
        assert a.model_dump() == c.article.model_dump()
    assert [a.source for a in filled.articles(limit=2)] == ["Dawn", "The Standard"]  # by published, unknown last


FILTER_CASES = [
    ({"actor": "baloch"}, {"pk:ASSAULT", "pk:ACCUSE"}),  # actor or recipient, case-insensitive
    ({"actor": "WASHINGTON"}, {"dip:CONSULT", "dip:SANCTION"}),  # matches the text as written too
    ({"actor": "officials"}, set()),  # the claimant is not an actor
    ({"actor": "100%"}, set()),  # LIKE wildcards are literal
    ({"actor": "_"}, set()),
    ({"country": "ken"}, {"ke:PROTEST", "ke:ASSAULT"}),
    ({"country": "USA,PAK"}, {"pk:ASSAULT", "pk:ACCUSE", "dip:CONSULT", "dip:SANCTION"}),
    ({"country": "CHN", "event_type": "consult"}, {"dip:CONSULT"}),
    ({"event_type": "ASSAULT"}, {"pk:ASSAULT", "ke:ASSAULT"}),
    ({"event_type": "ASSAULT,PROTEST", "country": "KEN"}, {"ke:ASSAULT", "ke:PROTEST"}),
    ({"since": dt.date(2024, 3, 5)}, {"pk:ACCUSE", "ke:PROTEST", "ke:ASSAULT"}),
    ({"since": "2024-03-04", "until": "2024-03-04"}, {"pk:ASSAULT"}),
    ({"until": dt.date(2024, 3, 4)}, {"dip:CONSULT", "pk:ASSAULT"}),
    ({"text": "TEAR GAS"}, {"ke:ASSAULT"}),
    ({"text": "nothing like this"}, set()),
]


def test_store_event_filters(filled):
    """Every case against one filled store (a fresh store per case would cost a second of setup)."""
    names = {pakistan().article.id: "pk", kenya().article.id: "ke", diplomacy().article.id: "dip"}
    for filters, want in FILTER_CASES:
        got = {f"{names[e.article_id]}:{e.event_type}" for e in filled.events(**filters)}
        assert got == want, filters
        df = filled.events_df(**filters)
        assert {f"{names[a]}:{t}" for a, t in zip(df["article_id"], df["event_type"])} == want, filters


def test_store_article_and_limit_filters(filled):
    art = kenya().article.id
    assert {e.article_id for e in filled.events(article_id=art)} == {art}
    assert len(filled.events(limit=1)) == 1
    assert filled.events(limit=1)[0].date == dt.date(2024, 1, 1)  # oldest first
    assert filled.events(limit=0) == []


def test_store_bad_filters_are_user_errors(filled):
    for filters in ({"since": "last tuesday"}, {"until": "2024-13-01"}, {"limit": -1},
                    {"since": "2024-05-01", "until": "2024-04-01"}):
        with pytest.raises(DetenteError) as err:
            filled.events(**filters)
        assert err.value.code == "E206", filters


def test_store_events_df_flat_columns(filled):
    df = filled.events_df()
    assert list(df.columns) == list(FLAT_COLUMNS)
    assert len(df) == 6
    assert pd.api.types.is_datetime64_any_dtype(df["date"])
    row = df[(df.event_type == "ASSAULT") & (df.actor_country == "PAK")].iloc[0]
    assert row["killed_best"] == 3 and row["injured_best"] == 5
    assert row["location_name"] == "Quetta" and row["location_geonames_id"] == 1167528
    assert row["location_lat"] == pytest.approx(30.18414)
    assert row["context"] == "military;terrorism"
    assert row["actor_name"] == "Baloch Liberation Army" and row["recipient_sector"] == "COP"
    assert row["date"] == pd.Timestamp("2024-03-04")
    hyp = df[df.event_type == "SANCTION"].iloc[0]
    assert hyp["modality"] == "hypothetical" and pd.isna(hyp["date"]) and pd.isna(hyp["killed_best"])
    assert hyp["claimant_name"] == "officials"
    assert str(df["killed_best"].dtype) == "Int64"


def test_store_events_df_empty_keeps_columns(store):
    df = store.events_df()
    assert list(df.columns) == list(FLAT_COLUMNS) and len(df) == 0


# --- linking -------------------------------------------------------------------------------------------------------
def test_store_set_links_and_canonical(filled):
    pk = pakistan()
    assault, accuse = pk.events
    filled.set_links([(assault.id, "can-1", "epi-1", None), (accuse.id, "can-2", "epi-1", assault.id)])
    got = {e.id: e for e in filled.events(article_id=pk.article.id)}
    assert (got[accuse.id].canonical_id, got[accuse.id].episode_id, got[accuse.id].responds_to) == (
        "can-2", "epi-1", assault.id)
    df = filled.events_df(article_id=pk.article.id).set_index("id")
    assert df.loc[assault.id, "canonical_id"] == "can-1"
    assert filled.stats()["linked_events"] == 2

    merged = assault.model_copy(update={"id": "can-1", "sources": [pk.article.id, "art-other"]})
    filled.write_canonical([merged])
    filled.write_canonical([merged.model_copy(update={"sources": [pk.article.id, "art-other", "art-third"]})])
    (can,) = filled.canonical_events()
    assert can.id == "can-1" and can.sources == [pk.article.id, "art-other", "art-third"]
    assert filled.canonical_events(country="PAK")[0].id == "can-1"
    assert filled.canonical_events(country="KEN") == []
    assert filled.canonical_events(since="2024-03-05") == []
    assert filled.canonical_events(event_type="assault", until="2024-03-04")[0].id == "can-1"
    assert _count(filled, "canonical_entities") == 2  # replaced, not doubled
    assert filled.canonical_events_df()["n_sources"].tolist() == [3]


def test_store_stats(filled):
    s = filled.stats()
    assert (s["articles"], s["events"], s["rejects"], s["canonical_events"]) == (3, 6, 1, 0)
    assert s["events_by_type"] == {"ASSAULT": 2, "ACCUSE": 1, "CONSULT": 1, "PROTEST": 1, "SANCTION": 1}
    assert s["rejects_by_code"] == {"E101": 1}
    assert len(s["top_dyads"]) == 5  # US->China twice, four other pairs once
    assert s["top_dyads"][0] == {"actor": "Government of the United States", "recipient": "Government of China",
                                 "events": 2}
    assert {d["events"] for d in s["top_dyads"][1:]} == {1}
    assert (s["first_date"], s["last_date"]) == ("2024-01-01", "2024-06-25")


# --- DuckDB specifics ----------------------------------------------------------------------------------------------
def test_store_default_target(monkeypatch, tmp_path):
    monkeypatch.setenv("DETENTE_DB", str(tmp_path / "x.duckdb"))
    assert default_target() == str(tmp_path / "x.duckdb")
    monkeypatch.delenv("DETENTE_DB")
    assert default_target().endswith("detente.duckdb") and "detente" in default_target()


def test_store_memory_and_read_only(tmp_path):
    with open_store(":memory:") as s:
        assert s.write(pakistan()) is True and len(s.events()) == 2
    path = tmp_path / "ro.duckdb"
    with pytest.raises(DetenteError) as err:
        open_store(path, read_only=True)
    assert err.value.code == "E204"
    with open_store(path) as s:
        s.write(kenya())
    with open_store(path, read_only=True) as r1, open_store(path, read_only=True) as r2:
        assert len(r1.events()) == len(r2.events()) == 2


def test_store_duckdb_writer_lock_is_a_clear_error(tmp_path):
    path = tmp_path / "locked.duckdb"
    open_store(path).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, time
            from detente.store import open_store
            s = open_store({str(path)!r})
            print("ready", flush=True)
            sys.stdin.readline()
        """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(DetenteError) as err:
            open_store(path)
        assert err.value.code == "E201"
    finally:
        holder.communicate("\n", timeout=30)


def test_store_naive_published_is_utc(tmp_path):
    coded = pakistan()
    coded.article.published = dt.datetime(2024, 3, 5, 9, 30)
    with open_store(tmp_path / "n.duckdb") as s:
        s.write(coded)
        (a,) = s.articles()
    assert a.published == dt.datetime(2024, 3, 5, 9, 30, tzinfo=dt.timezone.utc)


# --- bulk writes -----------------------------------------------------------------------------------------------------
def _many(n: int):
    """n distinct articles (enough rows to take DuckDB's bulk path)."""
    from detente.schema import Article, CodedArticle

    base = coded_articles()
    out = []
    for i in range(n):
        c = base[i % 3]
        art = Article(text=f"{c.article.text} ({i})", source=c.article.source, published=c.article.published)
        out.append(CodedArticle(article=art, entities=c.entities, places=c.places, events=[
            e.model_copy(update={"article_id": art.id, "id": f"{e.id}-{i}", "sources": [art.id]})
            for e in c.events]))
    return out


def test_store_write_many_matches_write(store, tmp_path):
    batch = _many(30)
    assert store.write_many(batch + batch[:5], batch_size=16) == 30
    assert store.write_many(batch) == 0
    assert {t: _count(store, t) for t in ALL_TABLES} == {
        "articles": 30, "events": 60, "event_entities": 130, "entities": 50, "places": 20}  # 10 x (4+4+5), 10 x (3+2+0)
    with open_store(tmp_path / "one.duckdb") as single:
        for c in batch:
            single.write(c)
        assert [e.model_dump() for e in single.events()] == [e.model_dump() for e in store.events()]
        assert single.events_df().equals(store.events_df())


def test_store_write_many_bad_article_keeps_the_others(store):
    good = [pakistan(), kenya()]
    bad = diplomacy()
    bad.events[0] = bad.events[0].model_copy(update={"id": good[1].events[0].id})  # collides with a stored event
    with pytest.raises(DetenteError) as err:
        store.write_many([*good, bad])
    assert err.value.code == "E208" and bad.article.id in str(err.value)
    assert all(store.has_article(c.article.id) for c in good) and not store.has_article(bad.article.id)
    assert _count(store, "events") == 4


def test_store_set_links_bulk_last_wins(store):
    batch = _many(40)
    store.write_many(batch)
    ids = [e.id for c in batch for e in c.events]
    store.set_links([(i, f"can-{n % 7}", None, None) for n, i in enumerate(ids)] + [(ids[0], "can-x", "epi", None),
                                                                                   ("ev-unknown", "can-y", None, None)])
    df = store.events_df().set_index("id")
    assert df.loc[ids[0], "canonical_id"] == "can-x" and df.loc[ids[0], "episode_id"] == "epi"
    assert df.loc[ids[8], "canonical_id"] == "can-1"
    assert df["canonical_id"].notna().all() and len(df) == 80


# --- incidents (disasters and accidents) -------------------------------------------------------------------------
def _with_incidents():
    from detente.schema import Count, Evidence, Incident, Place, Span, Toll

    coded = pakistan()
    text = "A flood swept through Quetta on Sunday, killing 4 people."
    flood = Incident(
        article_id=coded.article.id, kind="natural_disaster", hazard="flood", date=dt.date(2024, 3, 3),
        date_precision="day", date_text="Sunday",
        location=Place(name="Quetta", geonames_id=1167528, lat=30.18, lon=67.0, country="PAK", precision="city"),
        toll=Toll(killed=Count(best=4, low=4, high=4)), confidence=0.8,
        evidence=Evidence(text=text, start=200, end=200 + len(text), trigger=Span(start=202, end=207, text="flood")))
    blast = flood.model_copy(update={"id": "", "kind": "man_made_disaster", "hazard": "gas explosion", "date": None,
                                     "location": None, "toll": None,
                                     "evidence": flood.evidence.model_copy(update={"start": 300, "end": 330})})
    blast = type(blast).model_validate(blast.model_dump())  # a fresh id for the new evidence
    return coded.model_copy(update={"incidents": [flood, blast]}), flood, blast


def test_store_keeps_incidents(store):
    coded, flood, blast = _with_incidents()
    assert flood.id != blast.id
    assert store.write(coded) is True
    assert store.write(coded) is False
    assert store.incidents() == [flood, blast]  # dated first, undated last
    assert store.incidents(kind="man_made_disaster") == [blast]
    assert store.incidents(country="pak, IRN") == [flood]
    assert store.incidents(since="2024-03-04") == []
    assert store.incidents(until="2024-03-03", limit=1) == [flood]
    assert store.incidents(article_id="nope") == []
    assert store.stats()["incidents"] == 2
    row = store._fetchall("SELECT hazard, killed_best, location_country FROM incidents WHERE kind = 'natural_disaster'")
    assert row == [("flood", 4, "PAK")]


def test_store_batch_write_keeps_incidents(store):
    coded, flood, blast = _with_incidents()
    assert store.write_many([coded, kenya()]) == 2
    assert {x.id for x in store.incidents()} == {flood.id, blast.id}
