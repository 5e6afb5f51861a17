"""police: labels from police-actor events, scored per label."""

from __future__ import annotations

import pytest

from detente.evaluate import police
from detente.evaluate.replay import ReplayCoder
from detente.schema import Entity, Event, Evidence, Span


def ev(etype, actor, *, mode=None, sector="COP", killed=None, modality="asserted", trigger=None, recipient=None):
    return Event(article_id="a", event_type=etype, mode=mode, modality=modality,
                 actor=[Entity(text=actor, sector=sector)],
                 recipient=[Entity(text=recipient, sector="COP")] if recipient else [],
                 toll={"killed": {"best": killed}} if killed is not None else None,
                 evidence=Evidence(text="t", start=0, end=1,
                                   trigger=Span(start=0, end=len(trigger), text=trigger) if trigger else None))


def test_event_labels_rules():
    assert police.event_labels(ev("ASSAULT", "police", killed=2)) == {"KILL", "FORCE", "ANY_ACTION"}
    assert police.event_labels(ev("ASSAULT", "police", trigger="shot dead")) == {"KILL", "FORCE", "ANY_ACTION"}
    assert police.event_labels(ev("ASSAULT", "police", mode="crowd-control")) == {"FORCE", "ANY_ACTION"}
    assert police.event_labels(ev("COERCE", "police", mode="arrest")) == {"ARREST", "ANY_ACTION"}
    assert police.event_labels(ev("COERCE", "police", mode="arrest", modality="negated")) == {"FAIL"}
    # not the police: the army, or a mob
    assert police.event_labels(ev("ASSAULT", "army", sector="MIL", killed=3)) == set()
    assert police.event_labels(ev("ASSAULT", "mob", sector="CVL")) == set()
    # no sector but a police word in the text
    assert police.event_labels(ev("COERCE", "the cops", sector=None, mode="arrest")) == {"ARREST", "ANY_ACTION"}
    # complaint about the police
    assert police.event_labels(ev("ACCUSE", "residents", sector="CVL", recipient="police")) == {"FAIL"}
    # GOV counted as police only when asked
    gov = ev("COERCE", "state government", sector="GOV", mode="arrest")
    assert police.event_labels(gov) == set()
    assert police.event_labels(gov, police_sectors=("COP", "GOV")) == {"ARREST", "ANY_ACTION"}


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


def test_police_needs_labels():
    from detente.errors import DetenteError

    with pytest.raises(DetenteError):
        police.run([{"id": "x", "text": "t"}], coder=ReplayCoder())
