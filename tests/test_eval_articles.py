"""The article scorer (``detente eval --task articles``) on hand-made articles: every rule of the matching."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from detente.evaluate import evaluate
from detente.evaluate.articles import match_article, score_articles
from detente.gold import GoldError, parse_article
from detente.evaluate.replay import ReplayCoder
from detente.schema import Count, Entity, Event, Evidence, Place, Toll

TEXT = ("Iranian missiles struck Panjgur on Tuesday, killing two children. Pakistan condemned the strike. "
        "Police arrested a man for theft.")


def gold(events, category="political", text=TEXT, aid="a1"):
    return parse_article({"id": aid, "text": text, "doc_date": "2024-01-19", "category": category,
                          "events": events})


def ev(etype, actor=(), recipient=(), *, conf=0.9, start=0, end=10, **kw):
    def ents(codes):
        out = []
        for c in codes:
            country, _, sector = c.partition(" ")
            if len(country) != 3 or country in ("REB", "CVL", "MIL", "GOV", "IGO", "COP"):
                country, sector = None, country
            out.append(Entity(text=c, country=country, sector=sector or None))
        return out

    return Event(article_id="a1", event_type=etype, actor=ents(actor), recipient=ents(recipient), confidence=conf,
                 evidence=Evidence(text=TEXT[start:end], start=start, end=end), **kw)


STRIKE = {"event_type": "ASSAULT", "mode": "aerial", "source": ["IRN MIL"], "target": ["PAK CVL"],
          "date": "2024-01-16", "location": {"name": "Panjgur", "country": "PAK", "admin1": "Balochistan"},
          "killed": {"low": 2, "best": 2, "high": 2}, "evidence": ["Iranian missiles struck Panjgur on Tuesday"]}
CONDEMN = {"event_type": "ACCUSE", "source": ["PAK GOV"], "target": ["IRN"],
           "evidence": ["Pakistan condemned the strike"]}
ARREST = {"event_type": "COERCE", "mode": "arrest", "optional": True, "source": ["COP"], "target": ["CVL"],
          "evidence": ["Police arrested a man for theft"]}


def test_strict_needs_type_and_direction():
    g = gold([STRIKE])
    assert len(match_article(g.events, [ev("ASSAULT", ["IRN"], ["PAK"])]).right) == 1
    reversed_ = match_article(g.events, [ev("ASSAULT", ["PAK"], ["IRN"])])
    assert reversed_.right == [] and reversed_.spurious == [0]
    assert match_article(g.events, [ev("COERCE", ["IRN"], ["PAK"])]).right == []
    # lenient: same quad class and one participant anywhere
    assert len(match_article(g.events, [ev("COERCE", ["PAK"], [])], lenient=True).right) == 1
    assert match_article(g.events, [ev("ACCUSE", ["IRN"], ["PAK"])], lenient=True).right == []


def test_duplicates_and_spurious_are_wrong_optional_is_neutral():
    g = gold([STRIKE, CONDEMN, ARREST])
    outs = [ev("ASSAULT", ["IRN MIL"], ["PAK"]), ev("ASSAULT", ["IRN"], ["PAK"], start=0, end=40),
            ev("COERCE", ["COP"], ["CVL"]), ev("PROTEST", ["CVL"], [])]
    res = match_article(g.events, outs, TEXT)
    assert len(res.right) == 1 and len(res.duplicates) == 1 and res.neutral == [2] and res.spurious == [3]
    assert res.missed == [1]
    report = score_articles([g], [outs])
    assert report["n_gold"] == 2 and report["n_optional"] == 1 and report["n_output"] == 4
    assert report["precision"] == pytest.approx(1 / 3, abs=1e-4)  # 1 right of 3 scored (the arrest is neutral)
    assert report["recall"] == 0.5
    assert report["duplicates"] == 1 and report["spurious"] == 1


def test_sector_only_and_symmetric_participants():
    g = gold([{"event_type": "ASSAULT", "source": ["PAK MIL"], "target": ["REB"], "evidence": []},
              {"event_type": "CONSULT", "source": ["PAK GOV"], "target": ["IRN GOV"], "evidence": []}])
    outs = [ev("ASSAULT", ["PAK"], ["REB"]), ev("CONSULT", ["IRN"], ["PAK"])]
    assert len(match_article(g.events, outs).right) == 2  # REB by sector; talks read either way
    assert match_article(g.events, [ev("ASSAULT", ["PAK"], ["CVL"])]).right == []
    un = gold([{"event_type": "REQUEST", "source": [{"sector": "IGO", "name": "UN"}], "target": ["PAK"],
                "evidence": []}])
    coded_un = Event(article_id="a1", event_type="REQUEST", actor=[Entity(text="UN", country="IGO", sector="GOV")],
                     recipient=[Entity(text="Pakistan", country="PAK")], evidence=Evidence(text="x", start=0, end=1))
    assert len(match_article(un.events, [coded_un]).right) == 1  # the UN's PLOVER code in the country slot


def test_thresholds_and_field_accuracies():
    g = gold([STRIKE, CONDEMN])
    good = ev("ASSAULT", ["IRN"], ["PAK"], conf=0.95, date=dt.date(2024, 1, 16), mode="aerial",
              location=Place(name="Panjgur", country="PAK", admin1="Balochistān"),
              toll=Toll(killed=Count(low=2, best=2, high=2)))
    weak = ev("ACCUSE", ["PAK"], ["IRN"], conf=0.55, date=dt.date(2024, 1, 18))
    r = score_articles([g], [[good, weak]])
    assert r["precision"] == 1.0 and r["recall"] == 1.0
    assert r["date_acc"] == 1.0 and r["details"]["field_support"]["date"] == 1  # the accusation has no gold date
    curve = {row["threshold"]: row for row in r["details"]["thresholds"]}
    assert curve[0.5]["recall"] == 1.0 and curve[0.6]["recall"] == 0.5 and curve[0.9]["precision"] == 1.0
    assert r["location_country_acc"] == 1.0 and r["location_admin1_acc"] == 1.0
    assert r["toll_acc"] == 1.0 and r["mode_acc"] == 1.0 and r["modality_acc"] == 1.0
    # a wrong toll and a reversed direction show on lenient pairs
    bad = ev("ASSAULT", ["PAK"], ["IRN"], toll=Toll(killed=Count(low=9, best=9, high=9)))
    r2 = score_articles([gold([STRIKE])], [[bad]])
    assert r2["precision"] == 0.0 and r2["lenient_precision"] == 1.0
    assert r2["direction_acc"] == 0.0 and r2["toll_acc"] == 0.0


def test_nonpolitical_articles_count_invented_events():
    quiet = gold([], category="non-political", aid="q1")
    quiet2 = gold([], category="non-political", aid="q2")
    r = score_articles([quiet, quiet2], [[ev("ASSAULT", ["CVL"], []), ev("PROTEST", ["CVL"], [])], []])
    assert r["n_nonpolitical"] == 2 and r["spurious_per_nonpolitical_article"] == 1.0
    assert r["nonpolitical_with_spurious"] == 0.5 and r["precision"] == 0.0


def test_gold_records_are_checked():
    with pytest.raises(GoldError, match="not a substring"):
        gold([dict(STRIKE, evidence=["Iraqi missiles"])])
    with pytest.raises(GoldError, match="mode"):
        gold([dict(STRIKE, mode="phone")])
    with pytest.raises(GoldError, match="category"):
        gold([], category="sport")
    assert gold([dict(CONDEMN, modality="negated")]).events[0].optional  # never scored either way


def test_eval_task_end_to_end(tmp_path):
    rec = {"id": "rn-x", "split": "dev", "text": TEXT, "doc_date": "2024-01-19", "category": "political",
           "events": [STRIKE, CONDEMN]}
    bad = {"id": "rn-bad", "text": TEXT, "category": "nope", "events": []}
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(rec) + "\n" + json.dumps(bad) + "\n")
    coder = ReplayCoder(events={TEXT: [{"event_type": "ASSAULT", "confidence": 0.8,
                                        "actor": [{"text": "Iranian", "country": "IRN"}],
                                        "recipient": [{"text": "Panjgur", "country": "PAK"}]}]})
    report = evaluate(path, "articles", coder=coder)
    assert report["n_articles"] == 1 and report["skipped"] == 1
    assert report["precision"] == 1.0 and report["recall"] == 0.5
