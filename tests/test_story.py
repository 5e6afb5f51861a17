"""Issue 5 end to end: the sample corpus coded, linked and watched with the real coder."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest

pytestmark = pytest.mark.model

SAMPLE = Path(str(resources.files("detente") / "data" / "sample"))


@pytest.fixture(scope="module")
def store(tmp_path_factory, coder):
    from detente.ingest import read
    from detente.link import link_store
    from detente.pipeline import code_stream
    from detente.store import open_store

    db = str(tmp_path_factory.mktemp("story") / "sample.duckdb")
    s = open_store(db)
    everything = coder.with_config(min_confidence=0.0)  # linking and alerts are tested, not the output threshold
    for _ in code_stream(read(sorted(str(p) for p in SAMPLE.glob("*.txt"))), coder=everything, store=s):
        pass
    link_store(s)
    yield s
    s.close()


def test_duplicate_reports_become_one_event_with_all_sources(store):
    groups = json.loads((SAMPLE / "duplicates.json").read_text())["groups"]
    ids = {Path(a.origin).name: a.id for a in store.articles()}
    canonical = store.canonical_events()
    merged = 0
    for g in groups:
        want = {ids[f] for f in g["files"]}
        if any(c.event_type == g["event_type"] and want <= set(c.sources) for c in canonical):
            merged += 1
    assert merged == len(groups), f"only {merged} of {len(groups)} duplicate groups merged"


def test_multi_day_story_gives_tit_for_tat_then_de_escalation(store):
    from detente.analyze import de_escalation_alerts, tit_for_tat_alerts

    events = [e for e in store.canonical_events()
              if {a.country for a in e.actor + e.recipient} & {"ARM", "AZE"}]
    tft = tit_for_tat_alerts(events)
    assert any(set(a.dyad) == {"ARM", "AZE"} for a in tft)
    de = de_escalation_alerts(events)
    assert any(set(a.dyad) == {"ARM", "AZE"} and a.date > min(t.date for t in tft) for a in de)
    assert any(e.responds_to for e in events)


def test_pakistan_iran_dyad_in_one_store_with_the_sample(tmp_path, coder, example_article):
    """Issue 5's target: Iran's strike (16th), Pakistan's (18th) linked as a response, a tit-for-tat alert, then a
    de-escalation alert (call and agreement on the 19th)."""
    import datetime as dt

    from detente.analyze import de_escalation_alerts, tit_for_tat_alerts
    from detente.ingest import read
    from detente.link import link_store
    from detente.pipeline import code_stream
    from detente.store import open_store

    with open_store(str(tmp_path / "both.duckdb")) as s:
        inputs = sorted(str(p) for p in SAMPLE.glob("*.txt"))
        for _ in code_stream(read(inputs), coder=coder, store=s):
            pass
        for _ in code_stream(read(str(example_article), published="2024-01-19"), coder=coder, store=s):
            pass
        link_store(s)
        events = [e for e in s.canonical_events() if {a.country for a in e.actor} & {"PAK", "IRN"}]
    january = [e for e in events if e.date and e.date.year == 2024 and e.date.month == 1]  # the example's story
    strikes = {next(iter({a.country for a in e.actor} & {"PAK", "IRN"})): e for e in january
               if e.event_type == "ASSAULT"}
    assert strikes["IRN"].date == dt.date(2024, 1, 16)
    assert strikes["PAK"].date == dt.date(2024, 1, 18)
    assert strikes["PAK"].responds_to == strikes["IRN"].id
    events = january
    tft = [a for a in tit_for_tat_alerts(events) if set(a.dyad) == {"PAK", "IRN"}]
    assert tft and tft[0].date == dt.date(2024, 1, 18)
    de = [a for a in de_escalation_alerts(events) if set(a.dyad) == {"PAK", "IRN"}]
    assert de and de[0].date == dt.date(2024, 1, 19)
