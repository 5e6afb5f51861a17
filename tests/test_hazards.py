"""Disasters and accidents are not attacks (detente.detect.hazards and the coder's use of it)."""

from __future__ import annotations

import pytest

from detente.coder import Coder
from detente.detect.hazards import find_hazard, hazard_is_agent
from detente.schema import Article


@pytest.mark.parametrize("text", [
    "A massive earthquake leveled remote villages on Monday, killing hundreds of people.",
    "A tsunami following a volcanic eruption killed 222 people on Saturday night.",
    "A gas explosion at the carnival killed 8 and injured forty others.",
    "Twelve people died when the bus plunged into a gorge in a road accident.",
])
def test_disasters(text):
    assert find_hazard(text) is not None


@pytest.mark.parametrize("text", [
    "A car bomb exploded outside the ministry, killing 8.",
    "Gunmen stormed the hotel and killed 12 guests.",
    "Violence erupted after the vote and five people were killed.",
    "He was injured in police firing during riots that erupted in the city.",
    "Chlorine munitions were dropped on the town, killing 20.",
    "Troops shelled the village, killing three.",
])
def test_attacks_are_not_disasters(text):
    assert find_hazard(text) is None


@pytest.fixture(scope="module")
def coder() -> Coder:
    return Coder(keep_actorless=True).initialize()


def _assaults(coder, text):
    return [e for e in coder.code(Article(text=text, published="2024-01-19")).events if e.event_type == "ASSAULT"]


def test_no_assault_from_a_disaster(coder):
    assert _assaults(coder, "At least five people were killed after a volcano suddenly erupted on Monday.") == []
    assert _assaults(coder, "A gas explosion at the carnival killed 8 people and injured forty others.") == []


def test_attacks_beside_a_hazard_word_stay(coder):
    # a named attacker, or an attack word, keeps the event
    assert _assaults(coder, "Rebels killed five villagers after the earthquake, police said.")
    assert _assaults(coder, "A suicide bomber killed nine people at a relief camp for flood victims.")


# --- what kind of disaster, and when a word is only a figure of speech -------------------------------------------
@pytest.mark.parametrize("text, kind, words", [
    ("Flash floods and landslides tore through the region, killing 89 people.", "natural_disaster", "Flash floods"),
    ("A 6.4 magnitude earthquake struck the province, damaging hundreds of homes.", "natural_disaster", "earthquake"),
    ("Cholera has spread to three more districts, health officials said.", "natural_disaster", "Cholera"),
    ("A chemical leak at the plant has killed ten people, including two children.", "man_made_disaster",
     "chemical leak"),
    ("Seven workers were hurt when a furnace at a cast iron plant exploded on Thursday.", "man_made_disaster",
     "exploded"),
    ("Nineteen people were killed when their bus plunged off a bridge onto a frozen river.", "man_made_disaster",
     "plunged"),
    ("Houses collapsed and roads were cut after the earthquake, leaving thousands homeless.", "natural_disaster",
     "earthquake"),
])
def test_find_hazard_kind(text, kind, words):
    found = find_hazard(text)
    assert found is not None and found.kind == kind and found.text == words
    assert text[found.start:found.end] == words


@pytest.mark.parametrize("text", [
    "The talks collapsed amid a storm of criticism from the opposition.",
    "A flood of refugees crossed the border this week.",
    "The ministry said the accident of history would not be repeated.",
    "Oil prices crashed after the announcement.",
])
def test_figures_of_speech_need_harm(text):
    assert find_hazard(text) is None


def test_weak_words_need_harm():
    assert find_hazard("Floods swept away 40 homes and left 12 people dead.").kind == "natural_disaster"
    assert find_hazard("The furnace exploded.") is not None  # a mishap to a facility
    assert find_hazard("Prices exploded after the decision.") is None  # a mishap to nothing


def test_hazard_as_agent_of_harm():
    text = "Pakistan army troops assisted the relief effort in earthquakes hit areas of Astore."
    i = text.index("hit")
    assert hazard_is_agent(text, i, i + 3)
    text = "Hundreds of homes were destroyed in the massive flood last week."
    i = text.index("destroyed")
    assert hazard_is_agent(text, i, i + len("destroyed"))
    text = "Troops destroyed a rebel base in the flooded valley."
    i = text.index("destroyed")
    assert not hazard_is_agent(text, i, i + len("destroyed"))


# --- the coder reports incidents beside events -------------------------------------------------------------------
def test_coder_reports_incidents(coder):
    text = ("Fifteen people were killed and more than a dozen injured on Sunday when an illegal fireworks warehouse "
            "exploded in Hebei province, state media reported. Rebels attacked an army post in Kashmir the same day.")
    coded = coder.code(Article(id="a1", text=text, published="2019-12-10", url="https://example.org/x"))
    assert len(coded.incidents) == 1
    inc = coded.incidents[0]
    assert inc.kind == "man_made_disaster" and inc.article_id == "a1" and inc.url == "https://example.org/x"
    assert text[inc.evidence.trigger.start:inc.evidence.trigger.end] == inc.hazard
    assert text[inc.evidence.start:inc.evidence.end] == inc.evidence.text
    assert inc.toll.killed.best == 15 and inc.toll.injured.best == 13
    assert inc.date.isoformat() == "2019-12-08" and not inc.date_inferred
    assert inc.location is not None and inc.location.admin1_code == "CN-HE"
    assert 38 < inc.location.lat < 41 and 114 < inc.location.lon < 119  # not in Qinghai (stray towns left out)
    # the attack keeps its own evidence, and takes nothing (toll, modality) from the disaster's sentence
    attacks = [e for e in coded.events if e.event_type == "ASSAULT"]
    assert attacks and all(e.toll is None and "Rebels" in e.evidence.text for e in attacks)


def test_relief_deployments_get_the_disasters_context(coder):
    text = "Japan's military mobilized on Tuesday to help dig out more than 200 vehicles stuck in heavy snow."
    coded = coder.code(Article(text=text, published="2021-01-12"))
    assert coded.incidents and coded.incidents[0].kind == "natural_disaster"
    moves = [e for e in coded.events if e.event_type == "MOBILIZE"]
    assert moves and all("disasters" in e.context and e.acled_subtype is None for e in moves)


def test_no_incident_in_ordinary_news(coder):
    text = "The two ministers met in Geneva on Monday and agreed to resume talks on the border dispute."
    assert coder.code(Article(text=text, published="2024-01-19")).incidents == []
