"""Hand-built coded articles and a store fixture over both backends (DuckDB file, PostgreSQL) for the store tests.

PostgreSQL: each test gets its own schema in the database named by DETENTE_TEST_PG_DSN (``make test`` starts a
throwaway server and sets it). Without a DSN the postgres tests skip, except under CI=true, where they fail.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from urllib.parse import quote

import pytest

from detente.schema import (
    Article, CodedArticle, Count, Entity, Event, Evidence, Modality, Place, Reject, Span, Toll,
)
from detente.store import open_store

BLA = Entity(text="Baloch Liberation Army", name="Baloch Liberation Army", country="PAK", sector="REB",
             kb_id="Q2386606", span=Span(start=0, end=22, text="Baloch Liberation Army"), confidence=0.9)
PK_POLICE = Entity(text="police", name="Pakistan Police", country="PAK", sector="COP", confidence=0.8)
PK_GOV = Entity(text="the government", name="Government of Pakistan", country="PAK", sector="GOV", confidence=0.8)
KE_PROT = Entity(text="protesters", name="Protesters (Kenya)", country="KEN", sector="PRT")
KE_GOV = Entity(text="the government", name="Government of Kenya", country="KEN", sector="GOV")
KE_POLICE = Entity(text="police", name="Kenya Police", country="KEN", sector="COP")
US_GOV = Entity(text="Washington", name="Government of the United States", country="USA", sector="GOV")
CN_GOV = Entity(text="Beijing", name="Government of China", country="CHN", sector="GOV")
QUETTA = Place(name="Quetta", geonames_id=1167528, lat=30.18414, lon=67.00141, admin1="Balochistan",
               admin1_code="PK-BA", country="PAK", feature_code="PPLA", precision="city")
NAIROBI = Place(name="Nairobi", geonames_id=184745, lat=-1.28333, lon=36.81667, admin1="Nairobi County",
                country="KEN", feature_code="PPLC", precision="city")


def _evidence(text: str, sentence: str, trigger: str) -> Evidence:
    start = text.index(sentence)
    t = text.index(trigger, start)
    return Evidence(text=sentence, start=start, end=start + len(sentence),
                    trigger=Span(start=t, end=t + len(trigger), text=trigger))


def pakistan() -> CodedArticle:
    s1 = "The Baloch Liberation Army attacked a police post in Quetta on Monday, killing 3 officers."
    s2 = "The government condemned the attack."
    text = f"{s1} {s2}"
    art = Article(text=text, title="Police post attacked in Quetta", source="Dawn",
                  url="https://example.org/dawn/quetta",
                  published=dt.datetime(2024, 3, 5, 9, 30, tzinfo=dt.timezone.utc), meta={"feed": "dawn"})
    assault = Event(
        article_id=art.id, event_type="ASSAULT", mode="firearms", context=["military", "terrorism"], quad_class=4,
        intensity=-9.0, cameo_code="190", acled_type="Battles", acled_subtype="Armed clash",
        actor=[BLA], recipient=[PK_POLICE], date=dt.date(2024, 3, 4), date_precision="day", date_text="on Monday",
        location=QUETTA,
        toll=Toll(killed=Count(low=3, best=3, high=3), injured=Count(best=5), who=["police"]),
        confidence=0.82, type_confidence=0.9, evidence=_evidence(text, s1, "attacked"),
        url=art.url, published=dt.date(2024, 3, 5),
    )
    accuse = Event(
        article_id=art.id, event_type="ACCUSE", mode="disapprove", quad_class=3, intensity=-2.0, cameo_code="111",
        actor=[PK_GOV], recipient=[BLA], date=dt.date(2024, 3, 5), date_precision="day", date_inferred=True,
        confidence=0.6, evidence=_evidence(text, s2, "condemned"), url=art.url, published=dt.date(2024, 3, 5),
    )
    return CodedArticle(article=art, events=[assault, accuse], entities=[BLA, PK_POLICE, PK_GOV], places=[QUETTA],
                        warnings=["W601 test warning"])


def kenya() -> CodedArticle:
    s1 = "Thousands of protesters marched against the finance bill in Nairobi on 25 June."
    s2 = "Police fired tear gas at the crowd."
    text = f"{s1} {s2}"
    art = Article(text=text, title="Finance bill protests", source="The Standard",
                  published=dt.datetime(2024, 6, 26, 6, 0, tzinfo=dt.timezone.utc))
    protest = Event(
        article_id=art.id, event_type="PROTEST", mode="demo", context=["economic"], quad_class=4, intensity=-5.0,
        cameo_code="141", acled_type="Protests", acled_subtype="Protest with intervention",
        actor=[KE_PROT], recipient=[KE_GOV], date=dt.date(2024, 6, 25), date_precision="day", location=NAIROBI,
        confidence=0.9, evidence=_evidence(text, s1, "marched"),
    )
    repress = Event(
        article_id=art.id, event_type="ASSAULT", mode="crowd-control", quad_class=4, intensity=-9.0,
        acled_type="Protests", acled_subtype="Excessive force against protesters",
        actor=[KE_POLICE], recipient=[KE_PROT], date=dt.date(2024, 6, 25), date_precision="day", location=NAIROBI,
        toll=Toll(killed=Count(best=0)), confidence=0.7, evidence=_evidence(text, s2, "fired"),
    )
    return CodedArticle(article=art, events=[protest, repress], entities=[KE_PROT, KE_POLICE], places=[NAIROBI])


def diplomacy() -> CodedArticle:
    s1 = "Washington and Beijing held talks on trade."
    s2 = "Washington may impose new tariffs, officials said."
    text = f"{s1} {s2}"
    art = Article(text=text, source="Wire 100% News_")  # no publication date
    consult = Event(
        article_id=art.id, event_type="CONSULT", mode="multilateral", context=["economic", "diplomatic"],
        quad_class=1, intensity=2.5, actor=[US_GOV], recipient=[CN_GOV], date=dt.date(2024, 1, 1),
        date_precision="month", confidence=0.7, evidence=_evidence(text, s1, "talks"),
    )
    threat = Event(
        article_id=art.id, event_type="SANCTION", modality=Modality.hypothetical, actor=[US_GOV], recipient=[CN_GOV],
        claimant=Entity(text="officials"), confidence=0.4, evidence=_evidence(text, s2, "impose"),
    )
    return CodedArticle(article=art, events=[consult, threat])


def coded_articles() -> list[CodedArticle]:
    return [pakistan(), kenya(), diplomacy()]


def all_events() -> list[Event]:
    return [ev for c in coded_articles() for ev in c.events]


REJECT = Reject(origin="feeds/x.jsonl:3", code="E101", reason="no text field", raw='{"title": "x"}')


def _pg_dsn() -> str:
    dsn = os.environ.get("DETENTE_TEST_PG_DSN")
    if not dsn:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("CI is set but DETENTE_TEST_PG_DSN is not: run the suite with `make test` "
                        "(scripts/test.sh starts a throwaway PostgreSQL).")
        pytest.skip("PostgreSQL tests need DETENTE_TEST_PG_DSN; `make test` starts a throwaway server and sets it")
    return dsn


@pytest.fixture
def pg_target():
    """A DSN whose search_path is a fresh schema, dropped after the test."""
    import psycopg

    dsn = _pg_dsn()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in dsn else "?"
    yield f"{dsn}{sep}options={quote(f'-csearch_path={schema}')}"
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_target(request, tmp_path):
    """A target string for a fresh, empty store on each backend."""
    if request.param == "duckdb":
        return str(tmp_path / "detente.duckdb")
    return request.getfixturevalue("pg_target")


@pytest.fixture
def store(store_target):
    with open_store(store_target) as s:
        yield s


@pytest.fixture
def filled(store):
    for c in coded_articles():
        assert store.write(c) is True
    store.write_reject(REJECT)
    return store
