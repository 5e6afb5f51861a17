"""Trigger lexicon, roles from the parse, modality — each stage alone on real parses."""

from __future__ import annotations

import pytest

from detente.annotate import split_sentences
from detente.detect.modality import read_modality
from detente.detect.roles import find_roles, is_background
from detente.detect.triggers import TriggerLexicon
from detente.schema import Modality

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def lexicon():
    return TriggerLexicon().initialize()


def _trigger(nlp, lexicon, text, lemma):
    doc = nlp(text)
    for sent in doc.sents:
        for t in lexicon.match(sent):
            if t.pattern == lemma:
                return doc, t
    raise AssertionError(f"no trigger {lemma!r} in {text!r}: {[t.pattern for s in doc.sents for t in lexicon.match(s)]}")


def _text(doc, roles):
    return [doc[r.start:r.end].text for r in roles]


def test_prefilter_never_rejects_a_sentence_the_token_pass_accepts(nlp, lexicon):
    sentences = ["Rebels seized the town.", "Troops withdrew overnight.", "He spoke with reporters.",
                 "Police detained 12 people.", "The ministers met in Doha.", "Protesters marched on parliament."]
    for s in sentences:
        doc = nlp(s)
        if any(lexicon.match(sent) for sent in doc.sents):
            assert lexicon.may_contain(s), s


def test_multiword_trigger_wins_over_single_word(nlp, lexicon):
    doc = nlp("The United Nations called for maximum restraint.")
    patterns = [t.pattern for s in doc.sents for t in lexicon.match(s)]
    assert "call for" in patterns and "call" not in patterns


def test_active_subject_and_object(nlp, lexicon):
    doc, t = _trigger(nlp, lexicon, "Israeli troops attacked the refugee camp in Jenin.", "attack")
    src, tgt = find_roles(doc, t.head, "ASSAULT")
    assert _text(doc, src) == ["Israeli troops"]
    assert _text(doc, tgt)[0].startswith("the refugee camp")


def test_passive_swaps_roles(nlp, lexicon):
    doc, t = _trigger(nlp, lexicon, "The convoy was attacked by Houthi rebels near Hodeidah.", "attack")
    src, tgt = find_roles(doc, t.head, "ASSAULT")
    assert _text(doc, src) == ["Houthi rebels near Hodeidah"] or _text(doc, src) == ["Houthi rebels"]
    assert _text(doc, tgt) == ["The convoy"]


def test_coordination_gives_compound_actors(nlp, lexicon):
    doc, t = _trigger(nlp, lexicon, "Pakistan and Iran agreed to cooperate on border security.", "agree")
    src, _ = find_roles(doc, t.head, "AGREE")
    assert _text(doc, src) == ["Pakistan", "Iran"]


def test_possessive_source_of_nominal_trigger(nlp, lexicon):
    doc, t = _trigger(nlp, lexicon, "A day later, Pakistan's strikes in Iran killed nine people.", "strike")
    src, _ = find_roles(doc, t.head, "ASSAULT")
    assert _text(doc, src) == ["Pakistan"]


def test_subject_inherited_through_xcomp(nlp, lexicon):
    doc, t = _trigger(nlp, lexicon, "Russia plans to deploy more troops to the border.", "deploy")
    src, _ = find_roles(doc, t.head, "MOBILIZE")
    assert _text(doc, src) == ["Russia"]


def test_background_nominal(nlp, lexicon):
    doc, t = _trigger(nlp, lexicon, "Talks resumed following recent strikes on militant bases.", "strike")
    assert is_background(doc, t.head)
    doc, t = _trigger(nlp, lexicon, "Recent strikes on militant bases killed six.", "strike")
    assert not is_background(doc, t.head)


@pytest.mark.parametrize("text,lemma,expected", [
    ("Turkey did not attack the convoy.", "attack", Modality.negated),
    ("Iran could strike back within days.", "strike", Modality.hypothetical),
    ("The ministers will meet in Geneva next week.", "meet", Modality.future),
    ("Kenya plans to deploy troops to Haiti.", "deploy", Modality.future),
    ("Police said gunmen attacked a checkpoint.", "attack", Modality.claimed),
    ("The army denied that soldiers attacked the village.", "attack", Modality.denied),
    ("Gunmen attacked a checkpoint on Monday.", "attack", Modality.asserted),
])
def test_modality(nlp, lexicon, text, lemma, expected):
    doc, t = _trigger(nlp, lexicon, text, lemma)
    assert read_modality(doc, t.head, "ASSAULT").modality == expected


def test_claim_names_its_claimant(nlp, lexicon):
    doc, t = _trigger(nlp, lexicon, "Iranian officials said Pakistani jets struck a village.", "strike")
    reading = read_modality(doc, t.head, "ASSAULT")
    s, e = reading.claimant
    assert doc[s:e].text == "Iranian officials"


def test_split_sentences_offsets_round_trip():
    text = "Gen. Asim Munir spoke on Friday.  U.S. troops left.\n\nA new paragraph starts here."
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == ["Gen. Asim Munir spoke on Friday.", "U.S. troops left.",
                                             "A new paragraph starts here."]


def test_lexicon_and_cues_use_only_plover_types_and_modes():
    from detente.detect.detector import EventDetector

    EventDetector().initialize()  # raises E600/E601 on an unknown type or mode


def test_inflections_cover_regular_and_doubled_forms():
    from detente.detect.triggers import inflections

    assert {"attacks", "attacked", "attacking"} <= inflections("attack")
    assert {"kidnapped", "kidnapping"} <= inflections("kidnap")
    assert {"seized", "seizing"} <= inflections("seize")
    assert "denied" in inflections("deny")


@pytest.mark.parametrize("text,lemma,expected", [
    ("Opposition parties demanded the arrest of the officers.", "arrest", Modality.hypothetical),
    ("Police have not been able to arrest the suspects.", "arrest", Modality.negated),
])
def test_demanded_or_unachieved_acts_are_not_asserted(nlp, lexicon, text, lemma, expected):
    doc, t = _trigger(nlp, lexicon, text, lemma)
    assert read_modality(doc, t.head, "COERCE").modality == expected


@pytest.mark.parametrize("text,expected", [
    ("A day after Pakistan's strikes in Iran, the ministers spoke.", "ASSAULT"),
    ("The strikes killed nine people, officials said.", "ASSAULT"),
])
def test_strike_sense_without_labour_words_is_military(nlp, text, expected):
    from detente.detect.detector import EventDetector

    det = EventDetector().initialize()
    found = [t for acc in det.accept_many([nlp(text)]) for _, trig, t, *_ in acc if trig.pattern == "strike"]
    assert found and found[0] == expected


def test_labour_strike_stays_a_protest(nlp):
    from detente.detect.detector import EventDetector

    det = EventDetector().initialize()
    acc = det.accept_many([nlp("The strike by dock workers over unpaid wages entered its third day.")])[0]
    assert [t for _, trig, t, *_ in acc if trig.pattern == "strike"] == ["PROTEST"]


def test_headline_passive_makes_the_subject_the_target(nlp, lexicon):
    doc, t = _trigger(nlp, lexicon, "Five protesters arrested in Lucknow on Sunday.", "arrest")
    src, tgt = find_roles(doc, t.head, "COERCE")
    assert not src and _text(doc, tgt)[0].startswith("Five protesters")


@pytest.mark.parametrize("text, is_trigger", [
    ("Security forces stood outside the embassy on Friday, March 6, 2020, after the blast.", False),
    ("The ceasefire has held since March despite violations.", False),
    ("Thousands joined the March on Washington for jobs and freedom.", True),
    ("Protesters will march to parliament on 6 March.", True),
])
def test_march_the_month_is_no_protest(text, is_trigger):
    from detente.annotate import load_nlp
    from detente.detect.triggers import TriggerLexicon

    doc = load_nlp()(text)
    found = [t for t in TriggerLexicon().initialize().match(doc[:]) if t.pattern == "march"]
    assert bool(found) == is_trigger


def test_an_event_the_model_reads_without_a_trigger_is_anchored_on_the_main_verb(nlp):
    from detente.detect.detector import ROOT_DISCOUNT, _unmatched_readings
    from detente.detect.event_model import Reading

    def reading(**probs):
        return Reading({**{t: 0.01 for t in ("ASSAULT", "ACCUSE", "PROTEST")}, **probs}, {"asserted": 1.0})

    doc = nlp("Rebels downed a helicopter near the border.")
    (sent, trig, etype, conf, _, _, ref), = _unmatched_readings(doc, reading(ASSAULT=0.9), [], 0.7)
    assert (doc[trig.head].text, etype, ref) == ("downed", "ASSAULT", False)
    assert conf == pytest.approx(0.9 * ROOT_DISCOUNT)
    assert _unmatched_readings(doc, reading(ASSAULT=0.6), [], 0.7) == []  # below the floor
    taken = [(sent, trig, "COERCE", 0.8, False, [], False)]  # the verb is already another event's trigger
    assert _unmatched_readings(doc, reading(ASSAULT=0.9), taken, 0.7) == []
    said = nlp("Gunmen torched the village overnight, the rights group said.")
    (_, trig, _, _, _, _, _), = _unmatched_readings(said, reading(ASSAULT=0.9), [], 0.7)
    assert said[trig.head].text == "torched"  # a material act: the reported clause's verb
    (_, trig, _, _, _, _, _), = _unmatched_readings(said, reading(ACCUSE=0.9), [], 0.7)
    assert said[trig.head].text == "said"  # a speech act: the speaker's verb


def _reading(text, source=None, target=None, etype="ASSAULT"):
    from detente.detect.event_model import Reading, RoleSpan

    roles = []
    for phrase, side in ((source, "source"), (target, "target")):
        if phrase:
            at = text.index(phrase)
            roles.append(RoleSpan(at, at + len(phrase), side, 0.9))
    return Reading({etype: 0.9}, {"asserted": 1.0}, tuple(roles))


def test_model_roles_fill_what_the_parse_rules_leave_empty_or_are_tried_first(nlp):
    from detente.detect.detector import EventDetector, model_roles

    text = "The convoy was ambushed near the border by gunmen who shot at aid workers."
    doc = nlp(text)
    mention = next(m for m in EventDetector().initialize().detect(doc) if m.event_type == "ASSAULT")
    assert _text(doc, mention.targets) == ["The convoy"]
    mention.sources = []
    reading = _reading(text, "gunmen", "aid workers")
    filled = model_roles(mention, doc, reading, "fill", 1)  # the parse's target stays, the empty source is filled
    assert _text(doc, filled.sources) == ["gunmen"] and _text(doc, filled.targets) == ["The convoy"]
    assert not filled.tagged_sources and not filled.tagged_targets
    preferred = model_roles(mention, doc, reading, "prefer", 1)  # the coder resolves the tagged phrases first
    assert _text(doc, preferred.tagged_sources) == ["gunmen"] and _text(doc, preferred.tagged_targets) == ["aid workers"]
    assert _text(doc, preferred.targets) == ["The convoy"]  # the rules' phrase, where the tagged one names no one


def test_model_roles_never_take_the_trigger_and_leave_a_side_they_do_not_tag(nlp):
    from detente.detect.detector import EventDetector, model_roles

    text = "Troops attacked the village."
    doc = nlp(text)
    mention = next(m for m in EventDetector().initialize().detect(doc) if m.event_type == "ASSAULT")
    out = model_roles(mention, doc, _reading(text, source="attacked"), "prefer", 1)
    assert _text(doc, out.sources) == ["Troops"] and _text(doc, out.targets) == ["the village"]
