"""police: labels from police events (actor, implicit agent, trigger), scored per label."""

from __future__ import annotations

import pytest

from detente.evaluate import police
from detente.evaluate.replay import ReplayCoder
from detente.schema import Entity, Event, Evidence, Span


def ev(etype, actor, *, mode=None, sector="COP", killed=None, modality="asserted", trigger=None, recipient=None,
       sentence=None):
    text = sentence or (trigger or "t")
    at = text.find(trigger) if trigger else -1
    return Event(article_id="a", event_type=etype, mode=mode, modality=modality,
                 actor=[Entity(text=actor, sector=sector)] if actor else [],
                 recipient=[Entity(text=recipient, sector="COP")] if recipient else [],
                 toll={"killed": {"best": killed}} if killed is not None else None,
                 evidence=Evidence(text=text, start=100, end=100 + len(text),
                                   trigger=Span(start=100 + at, end=100 + at + len(trigger), text=trigger)
                                   if trigger else None))


def test_event_labels_rules():
    assert police.event_labels(ev("ASSAULT", "police", killed=2)) == {"KILL", "FORCE", "ANY_ACTION"}
    assert police.event_labels(ev("ASSAULT", "police", trigger="shot dead")) == {"KILL", "FORCE", "ANY_ACTION"}
    assert police.event_labels(ev("ASSAULT", "police", mode="crowd-control")) == {"FORCE", "ANY_ACTION"}
    assert police.event_labels(ev("COERCE", "police", mode="arrest")) == {"ARREST", "ANY_ACTION"}
    assert police.event_labels(ev("COERCE", "police", mode="arrest", modality="negated")) == {"FAIL"}
    assert police.event_labels(ev("ASSAULT", "mob", sector="CVL")) == set()
    # no sector but a police word in the text
    assert police.event_labels(ev("COERCE", "the cops", sector=None, mode="arrest")) == {"ARREST", "ANY_ACTION"}
    # complaint about the police
    assert police.event_labels(ev("ACCUSE", "residents", sector="CVL", recipient="police")) == {"FAIL"}
    # GOV counted as police only when asked
    gov = ev("COERCE", "state government", sector="GOV", mode="arrest")
    assert police.event_labels(gov) == set()
    assert police.event_labels(gov, police_sectors=("COP", "GOV")) == {"ARREST", "ANY_ACTION"}


def test_army_counts_by_default_not_in_strict_reading():
    army = ev("MOBILIZE", "the army", sector="MIL", mode="troops")
    assert police.event_labels(army) == {"ANY_ACTION"}
    assert police.event_labels(army, police_sectors=("COP",)) == set()


def test_destroying_property_is_not_force():
    assert police.event_labels(ev("ASSAULT", "police", mode="destroy", trigger="demolished")) == {"ANY_ACTION"}


def test_implicit_police_agent():
    # "five kar sevaks were arrested": no actor, an arrest -> the police
    assert police.event_labels(ev("COERCE", None, mode="arrest")) == {"ARREST", "ANY_ACTION"}
    assert police.event_labels(ev("ASSAULT", None, mode="crowd-control")) == {"FORCE", "ANY_ACTION"}
    # an actorless attack is not the police's, unless the trigger names them ("police firing")
    assert police.event_labels(ev("ASSAULT", None, mode="firearms", trigger="firing")) == set()
    assert police.event_labels(ev("ASSAULT", None, mode="firearms", trigger="police firing")) == {"FORCE",
                                                                                                   "ANY_ACTION"}
    # a named non-police actor is never overridden by the implicit rule
    assert police.event_labels(ev("COERCE", "the mob", sector="PRT", mode="arrest")) == set()


def test_kill_word_in_the_trigger_sentence():
    s = "curfew was imposed. two persons were killed in police firing at the market. schools stayed shut."
    assert "KILL" in police.event_labels(ev("ASSAULT", None, mode="firearms", trigger="police firing", sentence=s))
    # the kill word is in another sentence: force only
    s2 = "two persons were killed by rioters. later the police fired in the air to disperse the mob."
    labels = police.event_labels(ev("ASSAULT", "the police", mode="crowd-control", trigger="fired in the air",
                                    sentence=s2))
    assert labels == {"FORCE", "ANY_ACTION"}


def test_trigger_sentence_cut():
    s = "first one. the police did nothing while shops burned. last one."
    e = ev("REJECT", None, trigger="did nothing", sentence=s)
    assert police.trigger_sentence(e).strip() == "the police did nothing while shops burned."


def test_fail_triggers():
    s = "residents said the police remained mute spectators as the mob set fire to shops."
    assert police.event_labels(ev("REJECT", "the police", trigger="remained mute spectators", sentence=s)) == {"FAIL"}
    # the same phrase about no police at all is not a police failure
    s2 = "the neighbours remained mute spectators."
    assert police.event_labels(ev("REJECT", "the neighbours", sector="CVL", trigger="remained mute spectators",
                                  sentence=s2)) == set()
    # an actorless complaint of inaction with the police named in its sentence
    s3 = "there was total inaction on the part of the police."
    assert police.event_labels(ev("ACCUSE", None, mode="disapprove", trigger="inaction", sentence=s3)) == {"FAIL"}


def rec(i, text, labels):
    return {"id": f"d{i}", "text": text, "doc_date": "2002-03-02", "gold_extra": {"labels": labels}}


def test_police_run_hand_computed():
    gold = [rec(1, "police fired, killing two.", ["KILL", "FORCE", "ANY_ACTION"]),
            rec(2, "police arrested ten.", ["ARREST", "ANY_ACTION"]),
            rec(3, "nothing about police.", []),
            rec(4, "police stood by.", ["FAIL"])]
    coder = ReplayCoder(events={
        "police fired, killing two.": [ev("ASSAULT", "police", killed=2)],
        "police arrested ten.": [ev("COERCE", "police", mode="arrest")],
        "nothing about police.": [ev("COERCE", "police", mode="arrest")],  # a false alarm
    })
    r = police.run(gold, coder=coder)
    per = r["details"]["per_class"]
    assert per["KILL"]["f1"] == 1.0 and per["FORCE"]["f1"] == 1.0
    assert (per["ARREST"]["tp"], per["ARREST"]["fp"], per["ARREST"]["fn"]) == (1, 1, 0)
    assert per["FAIL"]["f1"] == 0.0
    # ANY_ACTION: tp 2 (d1, d2), fp 1 (d3) -> P 2/3, R 1, F 0.8
    assert per["ANY_ACTION"]["f1"] == 0.8
    assert r["macro_f1"] == pytest.approx((1 + 0.6667 + 1 + 0 + 0.8) / 5, abs=1e-4)
    assert r["kill_f1"] == 1.0 and r["n"] == 4
    assert r["details"]["police_sectors"] == ["COP", "MIL"]


def test_police_needs_labels():
    from detente.errors import DetenteError

    with pytest.raises(DetenteError):
        police.run([{"id": "x", "text": "t"}], coder=ReplayCoder())


def test_bad_rules_file_is_e806(monkeypatch, tmp_path):
    from detente.errors import DetenteError
    from detente.evaluate import common

    (tmp_path / "police_rules.csv").write_text("label,event_type,mode,requires\nKILL,ASSAULT,,sometimes\n")
    monkeypatch.setattr(common, "data_path", lambda name: tmp_path / name)
    common.load_table.cache_clear()
    police._rules.cache_clear()
    try:
        with pytest.raises(DetenteError) as err:
            police.event_labels(ev("ASSAULT", "police"))
        assert err.value.code == "E806"
    finally:
        common.load_table.cache_clear()
        police._rules.cache_clear()


def test_failure_is_not_an_action():
    s = "the police failed to intervene when the mob attacked."
    assert police.event_labels(ev("REJECT", "the police", trigger="failed to intervene", sentence=s)) == {"FAIL"}
    # an ordinary police event is an action
    assert police.event_labels(ev("MOBILIZE", "the police", mode="police", trigger="deployed")) == {"ANY_ACTION"}
