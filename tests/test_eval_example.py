"""The expected-events matcher and the `expected` task."""

from __future__ import annotations

import json

import pytest

from detente.errors import DetenteError
from detente.evaluate import evaluate
from detente.evaluate.example import code_matches, match_expected, parse_code
from detente.evaluate.replay import ReplayCoder
from detente.schema import Entity, Event, Evidence


def E(etype, actors, recipients, **kw):
    def ent(code):
        parts = code.split()
        country = parts[0] if parts[0] not in ("REB", "IGO") or len(parts) > 1 else None
        sector = parts[1] if len(parts) > 1 else (parts[0] if country is None else None)
        return Entity(text=code, country=country, sector=sector)

    return Event(article_id="a", event_type=etype, actor=[ent(c) for c in actors],
                 recipient=[ent(c) for c in recipients], evidence=Evidence(text="s", start=0, end=1), **kw)


EXPECTED = {"events": [
    {"event_type": "CONSULT", "source": ["PAK GOV"], "target": ["IRN GOV"], "date": "2024-01-19"},
    {"event_type": "AGREE", "source": ["PAK GOV", "IRN GOV"], "target": []},
    {"event_type": "ASSAULT", "source": ["PAK MIL"], "target": ["REB"], "fatalities": 9},
    {"event_type": "REQUEST", "source": ["IGO"], "target": ["PAK", "IRN"]},
]}


def test_codes():
    assert parse_code("USA GOV") == ("USA", "GOV")
    assert code_matches("PAK GOV", Entity(text="x", country="PAK", sector="MIL"))  # sector not required
    assert not code_matches("PAK GOV", Entity(text="x", country="IRN", sector="GOV"))
    assert not code_matches("REB", Entity(text="x", country="PAK", sector="MIL"))


def test_match_expected_matched_missed_extra():
    import datetime as dt

    events = [
        E("CONSULT", ["PAK GOV"], ["IRN GOV"], date=dt.date(2024, 1, 19)),
        E("AGREE", ["PAK GOV"], ["IRN GOV"]),  # reciprocal: IRN as recipient is fine
        E("ASSAULT", ["IRN MIL"], ["REB"]),  # wrong actor country -> not the PAK strike
        E("REQUEST", ["IGO"], ["IRN"]),  # one of two targets: matches, but not strict
        E("ACCUSE", ["USA GOV"], ["IRN"]),
    ]
    r = match_expected(events, EXPECTED)
    assert (r["matched_n"], r["missed_n"], r["extra_n"]) == (3, 1, 2)
    assert r["precision"] == 0.6 and r["recall"] == 0.75
    assert [m["event_type"] for m in r["missed"]] == ["ASSAULT"]
    assert r["missed"][0]["same_type_predicted"] == 1
    strict = {m["event_type"]: m["strict"] for m in r["matched"]}
    assert strict == {"CONSULT": True, "AGREE": True, "REQUEST": False}
    assert r["field_agreement"]["date"] == {"agree": 1, "n": 1}
    assert {x["event_type"] for x in r["extra"]} == {"ASSAULT", "ACCUSE"}


def test_match_expected_one_to_one():
    events = [E("CONSULT", ["PAK GOV"], ["IRN GOV"]), E("CONSULT", ["PAK GOV"], ["IRN GOV"])]
    r = match_expected(events, [EXPECTED["events"][0]])
    assert (r["matched_n"], r["extra_n"]) == (1, 1)


def test_expected_task_on_a_json_file(tmp_path):
    (tmp_path / "a.txt").write_text("Pakistan spoke with Iran.", encoding="utf-8")
    f = tmp_path / "a.expected.json"
    f.write_text(json.dumps({"article": "a.txt", "published": "2024-01-19", "events": EXPECTED["events"][:1]}))
    coder = ReplayCoder(events={"Pakistan spoke with Iran.": [
        {"event_type": "CONSULT", "actor": [{"text": "Pakistan", "country": "PAK"}],
         "recipient": [{"text": "Iran", "country": "IRN"}]}]})
    r = evaluate(f, "expected", coder=coder)
    assert r["recall"] == 1.0 and r["precision"] == 1.0 and r["n"] == 1 and r["articles"] == 1


def test_expected_file_errors(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"no_events": 1}')
    with pytest.raises(DetenteError) as exc:
        evaluate(bad, "expected", coder=ReplayCoder())
    assert exc.value.code == "E807"
    missing = tmp_path / "m.json"
    missing.write_text(json.dumps({"article": "nope.txt", "events": []}))
    with pytest.raises(DetenteError) as exc:
        evaluate(missing, "expected", coder=ReplayCoder())
    assert exc.value.code == "E807"
