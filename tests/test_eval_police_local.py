"""police, round 2: factual modality only, implicit deployers, police modifiers, the deployed force, failures
of the state, civil authorities; and the local lexicon's failure phrases."""

from __future__ import annotations

import pytest

from detente.evaluate import police
from detente.schema import Entity, Event, Evidence, Span


def ev(etype, actor=None, *, sector="COP", mode=None, modality="asserted", trigger=None, sentence=None,
       recipient=None, recipient_sector="COP"):
    text = sentence or (trigger or "t")
    at = text.find(trigger) if trigger else -1
    return Event(article_id="a", event_type=etype, mode=mode, modality=modality,
                 actor=[Entity(text=actor, sector=sector)] if actor else [],
                 recipient=[Entity(text=recipient, sector=recipient_sector)] if recipient else [],
                 evidence=Evidence(text=text, start=50, end=50 + len(text),
                                   trigger=Span(start=50 + at, end=50 + at + len(trigger), text=trigger)
                                   if trigger else None))


@pytest.mark.parametrize("modality", ["hypothetical", "future", "denied"])
def test_demanded_planned_or_denied_acts_are_not_police_actions(modality):
    # "demanded the arrest of VHP leaders", "will deploy", "denied that police fired"
    assert police.event_labels(ev("COERCE", mode="arrest", modality=modality)) == set()
    assert police.event_labels(ev("MOBILIZE", "the army", sector="MIL", modality=modality)) == set()


def test_claimed_acts_count():
    assert police.event_labels(ev("COERCE", mode="arrest", modality="claimed")) == {"ARREST", "ANY_ACTION"}


def test_actorless_deployment_of_any_mode_is_the_state_forces():
    # "27 companies were still stationed at ayodhya" (mode troops, no actor)
    assert police.event_labels(ev("MOBILIZE", mode="troops", trigger="stationed")) == {"ANY_ACTION"}
    # but a named civilian deployer is never overridden
    assert police.event_labels(ev("MOBILIZE", "the activists", sector="PRT", mode="troops")) == set()


def test_police_modifier_before_the_trigger():
    s = "as many as 668 people had been killed including 100 in police firing till march 12."
    assert police.event_labels(ev("ASSAULT", mode="firearms", trigger="firing", sentence=s)) == {
        "KILL", "FORCE", "ANY_ACTION"}
    # a police word far from the trigger does not make the actorless act theirs
    s2 = "the police said that in the firing by the mob two were hurt."
    assert police.event_labels(ev("ASSAULT", mode="firearms", trigger="firing", sentence=s2)) == set()


def test_the_deployed_force_is_the_police():
    # "additional police were deployed": the parse makes the police the recipient of a passive MOBILIZE
    assert police.event_labels(ev("MOBILIZE", recipient="additional police", trigger="deployed")) == {"ANY_ACTION"}
    # for other types a police recipient is the victim, not the agent
    assert police.event_labels(ev("ASSAULT", recipient="the police", trigger="stoned")) == set()


def test_state_failure_to_act_is_fail():
    s = "they complained that the state government had failed to protect the lives of the people."
    e = ev("REJECT", "the state government", sector="GOV", trigger="failed to protect", sentence=s)
    assert police.event_labels(e) == {"FAIL"}
    # the same phrase by a party or a citizen is not
    s2 = "the talks failed to protect the interests of farmers, the union said."
    e2 = ev("REJECT", "the union", sector="LAB", trigger="failed to protect", sentence=s2)
    assert police.event_labels(e2) == set()


def test_civil_authority_orders_count_as_police():
    e = ev("COERCE", "the district administration", sector="GOV", mode="restrict", trigger="barricades")
    assert police.event_labels(e) == {"ANY_ACTION"}
    # a government that is not the civil authority over the police is not
    e2 = ev("COERCE", "the union cabinet", sector="GOV", mode="restrict", trigger="banned")
    assert police.event_labels(e2) == set()
    # nor is the administration doing something other than keeping order
    e3 = ev("AID", "the administration", sector="GOV", trigger="relief")
    assert police.event_labels(e3) == set()


@pytest.mark.model
@pytest.mark.parametrize("sentence, phrase", [
    ("the police failed to contain the violence.", "failed to contain"),
    ("the policemen preferred to stand as passive onlookers.", "stand as passive onlookers"),
    ("the police were unable to stop the mobs.", "unable to stop"),
    ("the police was sluggish in its response.", "sluggish"),
])
def test_local_lexicon_failure_phrases(sentence, phrase):
    from detente.annotate import load_nlp
    from detente.detect.triggers import TriggerLexicon

    lexicon = _lexicon()
    doc = load_nlp(disable=("ner",))(sentence)
    found = {doc[m.start:m.end].text: {r.event_type for r in m.readings} for s in doc.sents for m in lexicon.match(s)}
    assert phrase in found and found[phrase] & {"REJECT", "ACCUSE"}
    assert police._terms_regex("police_fail_triggers.txt").search(phrase)


_LEX = []


def _lexicon():
    from detente.detect.triggers import TriggerLexicon

    if not _LEX:
        _LEX.append(TriggerLexicon().initialize())
    return _LEX[0]
