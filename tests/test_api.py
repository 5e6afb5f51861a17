"""REST API routes against a real DuckDB store filled with hand-built coded articles (no spaCy model needed)."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient

from detente.api import create_app
from detente.schema import (
    Article, CodedArticle, Count, Entity, Event, Evidence, Place, Span, Toll,
)
from detente.store import open_store

UTC = dt.timezone.utc


def span(text: str, sub: str, after: int = 0) -> Span:
    i = text.index(sub, after)
    return Span(start=i, end=i + len(sub), text=sub)


def evidence(text: str, sentence: str, trigger: str) -> Evidence:
    s = span(text, sentence)
    return Evidence(text=sentence, start=s.start, end=s.end, trigger=span(text, trigger, s.start))


def ent(text: str, sub: str, name: str, country: str, sector: str, after: int = 0) -> Entity:
    return Entity(text=sub, name=name, country=country, sector=sector, span=span(text, sub, after), confidence=0.9)


def iran_strike() -> CodedArticle:
    s1 = "Iranian forces struck militant bases in Panjgur on Tuesday, killing two children."
    s2 = "Pakistan recalled its ambassador from Tehran on Wednesday."
    text = f"{s1} {s2}"
    art = Article(text=text, title="Iran strikes Pakistan", source="Dawn", url="https://example.org/a1",
                  published=dt.datetime(2024, 1, 17, 8, 0, tzinfo=UTC), origin="/srv/feeds/dawn.jsonl:4")
    panjgur = Place(name="Panjgur", lat=26.96, lon=64.09, country="PAK", admin1="Balochistan", precision="city",
                    span=span(text, "Panjgur"), confidence=0.8)
    strike = Event(
        article_id=art.id, event_type="ASSAULT", mode="aerial", quad_class=4, intensity=-9.0,
        actor=[ent(text, "Iranian forces", "Iran Military", "IRN", "MIL")],
        recipient=[ent(text, "militant bases", "Jaish al-Adl", "PAK", "REB")],
        date=dt.date(2024, 1, 16), date_precision="day", date_text="on Tuesday", date_span=span(text, "on Tuesday"),
        location=panjgur,
        toll=Toll(killed=Count(low=2, best=2, high=2), who=["children"], span=span(text, "killing two children"),
                  confidence=0.9),
        confidence=0.8, type_confidence=0.93, evidence=evidence(text, s1, "struck"), url=art.url,
    )
    recall = Event(
        article_id=art.id, event_type="REDUCE", mode="diplomatic", quad_class=3, intensity=-4.0,
        actor=[ent(text, "Pakistan", "Government of Pakistan", "PAK", "GOV", len(s1))],
        recipient=[ent(text, "Tehran", "Government of Iran", "IRN", "GOV")],
        date=dt.date(2024, 1, 17), date_precision="day", confidence=0.7, evidence=evidence(text, s2, "recalled"),
    )
    return CodedArticle(article=art, events=[strike, recall], places=[panjgur])


def pakistan_reply() -> CodedArticle:
    s1 = "Pakistan launched strikes on targets in Saravan on Thursday."
    s2 = "The two governments held talks in Islamabad on Monday."
    text = f"{s1} {s2}"
    art = Article(text=text, title="Pakistan retaliates", source="Reuters",
                  published=dt.datetime(2024, 1, 18, 6, 0, tzinfo=UTC))
    reply = Event(
        article_id=art.id, event_type="ASSAULT", mode="aerial", quad_class=4, intensity=-9.0,
        actor=[ent(text, "Pakistan", "Pakistan Military", "PAK", "MIL")],
        recipient=[ent(text, "targets", "Baloch militants", "IRN", "REB")],
        date=dt.date(2024, 1, 18), date_precision="day",
        location=Place(name="Saravan", lat=27.37, lon=62.33, country="IRN", span=span(text, "Saravan")),
        confidence=0.75, evidence=evidence(text, s1, "launched strikes"),
    )
    talks = Event(
        article_id=art.id, event_type="CONSULT", quad_class=1, intensity=1.0,
        actor=[Entity(text="The two governments", name="Government of Pakistan", country="PAK", sector="GOV"),
               Entity(text="The two governments", name="Government of Iran", country="IRN", sector="GOV")],
        date=dt.date(2024, 1, 29), date_precision="day", confidence=0.6, evidence=evidence(text, s2, "held talks"),
    )
    return CodedArticle(article=art, events=[reply, talks])


def kenya() -> CodedArticle:
    s1 = "Thousands of protesters marched in Nairobi on 25 June against the finance bill."
    text = s1
    art = Article(text=text, title="Finance bill protests", source="The Standard",
                  published=dt.datetime(2024, 6, 26, tzinfo=UTC))
    protest = Event(
        article_id=art.id, event_type="PROTEST", quad_class=3, intensity=-3.0,
        actor=[ent(text, "protesters", "Protesters (Kenya)", "KEN", "PRT")],
        recipient=[Entity(text="the government", name="Government of Kenya", country="KEN", sector="GOV")],
        date=dt.date(2024, 6, 25), date_precision="day",
        location=Place(name="Nairobi", lat=-1.28, lon=36.82, country="KEN", span=span(text, "Nairobi")),
        confidence=0.9, evidence=evidence(text, s1, "marched"),
    )
    # An undated report whose trigger span is wrong on purpose (it must be reported, not highlighted).
    bad = Event(
        article_id=art.id, event_type="ACCUSE", quad_class=None,
        actor=[Entity(text="protesters", country="KEN")],
        evidence=Evidence(text=s1, start=0, end=len(s1), trigger=Span(start=0, end=5, text="marched")),
    )
    return CodedArticle(article=art, events=[protest, bad])


ARTICLES = [iran_strike, pakistan_reply, kenya]


def all_events() -> list[Event]:
    return [e for make in ARTICLES for e in make().events]


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("api") / "api.duckdb")
    with open_store(path) as st:
        for make in ARTICLES:
            assert st.write(make())
    return path


@pytest.fixture(scope="module")
def client(db):
    with TestClient(create_app(db=db)) as c:  # read-only, like `detente serve`
        yield c


def ids(resp) -> list[str]:
    assert resp.status_code == 200, resp.text
    return [e["id"] for e in resp.json()["events"]]


# --- /api/events -------------------------------------------------------------------------------------------------
def test_events_lists_every_event_oldest_first_undated_last(client):
    evs = client.get("/api/events").json()["events"]
    assert sorted(e["id"] for e in evs) == sorted(e.id for e in all_events())
    dates = [e["date"] for e in evs]
    assert dates[-1] is None
    assert dates[:-1] == sorted(dates[:-1])


def test_event_out_leaves_internal_fields_out(client):
    strike = iran_strike().events[0]
    out = client.get(f"/api/events/{strike.id}").json()
    assert out["event_type"] == "ASSAULT" and out["toll"]["killed"]["best"] == 2
    assert out["actor"][0]["country"] == "IRN" and out["location"]["name"] == "Panjgur"
    assert "type_confidence" not in out
    assert "confidence" not in out["actor"][0] and "confidence" not in out["location"]
    assert "confidence" not in out["toll"]


@pytest.mark.parametrize(("params", "expected"), [
    ({"country": "KEN"}, {"PROTEST", "ACCUSE"}),
    ({"country": "irn"}, {"ASSAULT", "REDUCE", "CONSULT"}),
    ({"actor": "pakistan military"}, {"ASSAULT"}),
    ({"type": "consult,reduce"}, {"CONSULT", "REDUCE"}),
    ({"since": "2024-01-18", "until": "2024-01-31"}, {"ASSAULT", "CONSULT"}),
    ({"text": "AMBASSADOR"}, {"REDUCE"}),
    ({"country": "PAK", "type": "ASSAULT", "until": "2024-01-17"}, {"ASSAULT"}),
])
def test_events_filters(client, params, expected):
    evs = client.get("/api/events", params=params).json()["events"]
    assert {e["event_type"] for e in evs} == expected
    if "until" in params:
        assert all(e["date"] <= params["until"] for e in evs)


def test_events_paging(client):
    everything = ids(client.get("/api/events"))
    first = client.get("/api/events", params={"limit": 2}).json()
    second = client.get("/api/events", params={"limit": 2, "offset": 2}).json()
    last = client.get("/api/events", params={"limit": 2, "offset": 4}).json()
    assert first["more"] and second["more"] and not last["more"]
    got = [e["id"] for p in (first, second, last) for e in p["events"]]
    assert got == everything and len(everything) == 6


@pytest.mark.parametrize("params", [
    {"since": "yesterday"}, {"country": "PAKISTN"}, {"limit": 0}, {"limit": 100000}, {"offset": -1},
    {"canonical": "maybe"}, {"since": "2024-02-01", "until": "2024-01-01"},
])
def test_events_bad_params_are_422(client, params):
    resp = client.get("/api/events", params=params)
    assert resp.status_code == 422, resp.text
    assert resp.json()["detail"]


@pytest.mark.parametrize(("path", "params", "needle"), [
    ("/api/events", {"type": "BOMBING"}, "Accepted: AGREE"),
    ("/api/events", {"country": "XYZ"}, "not a country"),
    ("/api/events", {"country": "Pakistn"}, "Pakistan (PAK)"),
    ("/api/timeline", {"type": "asault"}, "Did you mean ASSAULT?"),
    ("/api/incidents", {"country": "Atlantis"}, "not a country"),
    ("/api/dyads/PAK/XYZ", {}, "not a country"),
])
def test_unknown_filter_values_are_422_with_the_reason(client, path, params, needle):
    resp = client.get(path, params=params)
    assert resp.status_code == 422, resp.text
    assert resp.json()["code"] == "E206" and needle in resp.json()["detail"]


def test_country_names_are_accepted(client):
    assert ids(client.get("/api/events", params={"country": "Kenya"})) == ids(
        client.get("/api/events", params={"country": "KEN"}))
    assert ids(client.get("/api/events", params={"country": "pakistan,Iran"})) == ids(
        client.get("/api/events", params={"country": "PAK,IRN"}))


def test_unknown_event_and_article_are_404_with_plain_message(client):
    resp = client.get("/api/events/ev-nope")
    assert resp.status_code == 404 and resp.json() == {"detail": "No event with id ev-nope."}
    resp = client.get("/api/articles/art-nope")
    assert resp.status_code == 404 and resp.json() == {"detail": "No article with id art-nope."}


# --- /api/articles/{id} --------------------------------------------------------------------------------------------
def test_article_marks_slice_the_text(client):
    coded = iran_strike()
    art = client.get(f"/api/articles/{coded.article.id}").json()
    text = art["text"]
    assert text == coded.article.text and art["title"] == "Iran strikes Pakistan"
    assert "origin" not in art and "meta" not in art
    assert {e["id"] for e in art["events"]} == {e.id for e in coded.events}
    for m in art["marks"]:
        assert text[m["start"]:m["end"]] == m["text"]
    strike = coded.events[0]
    mine = {m["kind"]: m["text"] for m in art["marks"] if m["event_id"] == strike.id}
    assert mine == {"evidence": strike.evidence.text, "trigger": "struck", "actor": "Iranian forces",
                    "recipient": "militant bases", "place": "Panjgur", "date": "on Tuesday",
                    "toll": "killing two children"}
    ev = next(e for e in art["events"] if e["id"] == strike.id)["evidence"]
    assert text[ev["start"]:ev["end"]] == ev["text"]
    assert art["warnings"] == []
    starts = [m["start"] for m in art["marks"]]
    assert starts == sorted(starts)


def test_article_reports_spans_that_do_not_fit(client):
    coded = kenya()
    art = client.get(f"/api/articles/{coded.article.id}").json()
    bad = coded.events[1]
    assert not any(m["event_id"] == bad.id and m["kind"] == "trigger" for m in art["marks"])
    assert len(art["warnings"]) == 1 and bad.id in art["warnings"][0]


# --- summaries -----------------------------------------------------------------------------------------------------
def test_stats_counts(client):
    s = client.get("/api/stats").json()
    assert (s["articles"], s["events"], s["canonical_events"]) == (3, 6, 0)
    assert s["events_by_type"]["ASSAULT"] == 2
    assert s["first_date"] == "2024-01-16" and s["last_date"] == "2024-06-25"


def test_timeline_counts_per_day_by_quad(client):
    pts = client.get("/api/timeline").json()["points"]
    by_day = {p["date"]: p for p in pts}
    assert set(by_day) == {"2024-01-16", "2024-01-17", "2024-01-18", "2024-01-29", "2024-06-25"}
    assert by_day["2024-01-16"]["q4"] == 1 and by_day["2024-01-16"]["events"] == 1
    assert by_day["2024-01-29"]["q1"] == 1
    assert by_day["2024-06-25"]["q3"] == 1
    assert sum(p["events"] for p in pts) == 5  # the undated event is left out
    only_ken = client.get("/api/timeline", params={"country": "KEN"}).json()["points"]
    assert [p["date"] for p in only_ken] == ["2024-06-25"]


def test_top_dyads(client):
    out = client.get("/api/dyads").json()
    assert out["source"] == "reports"
    top = out["dyads"][0]
    # strike IRN->PAK, recall PAK->IRN, reply PAK->IRN, joint talks PAK+IRN: 4 events, 3 conflict, 1 coop.
    assert (top["a"], top["b"], top["events"], top["conflict"], top["coop"], top["killed"]) == \
        ("IRN", "PAK", 4, 3, 1, 2)
    assert top["first"] == "2024-01-16" and top["last"] == "2024-01-29"
    assert top["balance"] == pytest.approx(-0.5)
    directed = client.get("/api/dyads", params={"directed": True}).json()["dyads"]
    pairs = {(d["a"], d["b"]): d["events"] for d in directed}
    assert pairs[("PAK", "IRN")] == 3 and pairs[("IRN", "PAK")] == 2


def test_dyad_series_and_events(client):
    out = client.get("/api/dyads/pak/irn").json()
    assert (out["a"], out["b"], out["freq"]) == ("PAK", "IRN", "D")
    assert out["total_events"] == 4 and len(out["events"]) == 4
    series = out["series"]
    assert series[0]["date"] == "2024-01-16" and series[-1]["date"] == "2024-01-29"
    assert len(series) == 14  # zero-filled days
    assert sum(p["events"] for p in series) == 4 and sum(p["q4"] for p in series) == 2
    assert sum(p["killed"] for p in series) == 2
    empty_day = next(p for p in series if p["date"] == "2024-01-20")
    assert empty_day["events"] == 0 and empty_day["balance"] is None
    weekly = client.get("/api/dyads/PAK/IRN", params={"freq": "W", "directed": True, "limit": 1}).json()
    assert weekly["total_events"] == 3 and len(weekly["events"]) == 1
    assert all(dt.date.fromisoformat(p["date"]).weekday() == 0 for p in weekly["series"])


@pytest.mark.parametrize("path", ["/api/dyads/PAK/PAK", "/api/dyads/PAKI/IRN", "/api/dyads/PAK/IRN?freq=M",
                                  "/api/dyads?n=0"])
def test_dyad_bad_params_are_422(client, path):
    assert client.get(path).status_code == 422


# --- canonical (linked) events ---------------------------------------------------------------------------------------
def test_canonical_events_routes(tmp_path):
    path = str(tmp_path / "linked.duckdb")
    with open_store(path) as st:
        for make in ARTICLES:
            st.write(make())
        merged = iran_strike().events[0].model_copy(update={"id": "cev-strike", "sources": ["art-a", "art-b"]})
        st.write_canonical([merged])
    with TestClient(create_app(db=path)) as c:
        page = c.get("/api/events", params={"canonical": True}).json()
        assert page["canonical"] and [e["id"] for e in page["events"]] == ["cev-strike"]
        assert c.get("/api/events/cev-strike").json()["sources"] == ["art-a", "art-b"]
        assert c.get("/api/dyads").json()["source"] == "canonical"  # default: linked events once linking ran
        assert c.get("/api/dyads", params={"canonical": False}).json()["source"] == "reports"
        assert c.get("/api/stats").json()["canonical_events"] == 1


# --- POST /api/code ---------------------------------------------------------------------------------------------------
class FakeCoder:
    """Codes every sentence containing 'attack' as an ASSAULT (just enough to test the route)."""

    def __init__(self) -> None:
        self.calls = 0

    def code(self, article: Article) -> CodedArticle:
        self.calls += 1
        events = []
        if "attack" in article.text:
            s = span(article.text, "attack")
            events.append(Event(article_id=article.id, event_type="ASSAULT", quad_class=4,
                                date=article.published_date, type_confidence=0.5,
                                evidence=Evidence(text=article.text, start=0, end=len(article.text), trigger=s)))
        return CodedArticle(article=article, events=events, warnings=[] if article.published else ["W601 x"])


def test_code_without_store(db):
    fake = FakeCoder()
    with TestClient(create_app(db=db, coder=fake)) as c:
        resp = c.post("/api/code", json={"text": "Gunmen attack a bus.", "published": "2024-05-01T10:00:00Z",
                                          "source": "Wire"})
        assert resp.status_code == 200, resp.text
        out = resp.json()
        assert out["stored"] is False and [e["event_type"] for e in out["events"]] == ["ASSAULT"]
        assert out["events"][0]["date"] == "2024-05-01" and "type_confidence" not in out["events"][0]
        assert out["article_id"] == Article(text="Gunmen attack a bus.", source="Wire").id
        assert c.post("/api/code", json={"text": "Calm day."}).json() == {
            "article_id": Article(text="Calm day.").id, "stored": False, "events": [], "incidents": [],
            "warnings": ["W601 x"]}
        # read-only store: asking to store is a conflict, and nothing is written
        resp = c.post("/api/code", json={"text": "Gunmen attack a bus.", "store": True})
        assert resp.status_code == 409 and resp.json()["code"] == "E903"
        assert c.get("/api/stats").json()["articles"] == 3
    assert fake.calls == 3


@pytest.mark.parametrize("body", [{}, {"text": ""}, {"text": "x", "published": "soon"}, {"text": "x", "bogus": 1}])
def test_code_bad_body_is_422(db, body):
    with TestClient(create_app(db=db, coder=FakeCoder())) as c:
        assert c.post("/api/code", json=body).status_code == 422


def test_code_stores_when_asked(tmp_path):
    with open_store(str(tmp_path / "w.duckdb")) as st, TestClient(create_app(st, coder=FakeCoder())) as c:
        body = {"text": "Rebels attack an army post.", "published": "2024-05-02T00:00:00Z", "store": True}
        first = c.post("/api/code", json=body).json()
        assert first["stored"] is True
        assert c.post("/api/code", json=body).json()["stored"] is False  # same article id: not stored twice
        assert c.get("/api/stats").json()["articles"] == 1
        art = c.get(f"/api/articles/{first['article_id']}").json()
        assert [m["text"] for m in art["marks"] if m["kind"] == "trigger"] == ["attack"]


def test_coder_is_created_lazily_once(db, monkeypatch):
    import detente.coder

    made: list[FakeCoder] = []

    class Counting(FakeCoder):
        def __init__(self, **_: object) -> None:
            super().__init__()
            made.append(self)

        def initialize(self) -> Counting:
            return self

    monkeypatch.setattr(detente.coder, "Coder", Counting)
    with TestClient(create_app(db=db)) as c:
        assert c.get("/api/health").json()["coder_loaded"] is False
        assert not made
        for _ in range(2):
            assert c.post("/api/code", json={"text": "They attack."}).status_code == 200
        assert len(made) == 1 and made[0].calls == 2
        assert c.get("/api/health").json()["coder_loaded"] is True


# --- store problems ---------------------------------------------------------------------------------------------------
def test_missing_store_is_503_and_health_degraded(tmp_path):
    missing = str(tmp_path / "none.duckdb")
    with TestClient(create_app(db=missing)) as c:
        resp = c.get("/api/events")
        assert resp.status_code == 503
        assert resp.json()["code"] == "E204" and missing in resp.json()["detail"]
        health = c.get("/api/health")
        assert health.status_code == 200
        assert health.json()["status"] == "degraded" and health.json()["store"]["ok"] is False


def test_openapi_lists_every_route(client):
    paths = set(client.get("/openapi.json").json()["paths"])
    assert paths == {"/api/events", "/api/events/{event_id}", "/api/articles/{article_id}", "/api/stats",
                     "/api/timeline", "/api/dyads", "/api/dyads/{a}/{b}", "/api/code", "/api/health",
                     "/api/incidents"}


def test_read_only_duckdb_is_released_between_requests(tmp_path):
    path = str(tmp_path / "shared.duckdb")
    with open_store(path) as st:
        st.write(kenya())
    with TestClient(create_app(db=path)) as c:
        assert c.get("/api/stats").json()["articles"] == 1
        with open_store(path) as writer:  # `detente code` writing while the API is idle
            assert writer.write(iran_strike())
        assert c.get("/api/stats").json()["articles"] == 2  # and the API sees it on the next request


@pytest.mark.model
def test_code_with_the_real_coder(coder, tmp_path):
    with TestClient(create_app(db=str(tmp_path / "m.duckdb"), read_only=False, coder=coder)) as c:
        out = c.post("/api/code", json={"text": "Israeli troops shot dead two Palestinians in Jenin on Monday.",
                                         "published": "2024-03-06T00:00:00Z", "store": True}).json()
        assert out["stored"] is True
        assert [(e["event_type"], e["actor"][0]["country"]) for e in out["events"]] == [("ASSAULT", "ISR")]
        art = c.get(f"/api/articles/{out['article_id']}").json()
        assert any(m["kind"] == "trigger" for m in art["marks"]) and art["warnings"] == []


# --- GET /api/incidents --------------------------------------------------------------------------------------------
def test_incidents_route(tmp_path):
    from detente.schema import Incident

    text = "A cyclone struck the coast of Bangladesh on Monday, killing 12 people."
    art = Article(text=text, published=dt.datetime(2024, 5, 28, tzinfo=UTC))
    cyclone = Incident(article_id=art.id, kind="natural_disaster", hazard="cyclone", date=dt.date(2024, 5, 27),
                       location=Place(name="Bangladesh", lat=24.0, lon=90.0, country="BGD", precision="country"),
                       toll=Toll(killed=Count(best=12)), confidence=0.8,
                       evidence=Evidence(text=text, start=0, end=len(text), trigger=span(text, "cyclone")))
    path = str(tmp_path / "inc.duckdb")
    with open_store(path) as st:
        st.write(CodedArticle(article=art, incidents=[cyclone]))
    with TestClient(create_app(db=path)) as c:
        out = c.get("/api/incidents", params={"country": "BGD"}).json()
        assert [Incident.model_validate(x) for x in out] == [cyclone]
        assert c.get("/api/incidents", params={"kind": "man_made_disaster"}).json() == []
        assert c.get("/api/incidents", params={"since": "2024-06-01"}).json() == []
        assert c.get("/api/incidents", params={"kind": "flood"}).status_code == 422
        assert c.get("/api/stats").json()["incidents"] == 1
