"""Disasters and accidents are not attacks (detente.detect.hazards and the coder's use of it)."""

from __future__ import annotations

import pytest

from detente.coder import Coder
from detente.detect.hazards import reads_as_hazard
from detente.schema import Article


@pytest.mark.parametrize("text", [
    "A massive earthquake leveled remote villages on Monday, killing hundreds of people.",
    "A tsunami following a volcanic eruption killed 222 people on Saturday night.",
    "A gas explosion at the carnival killed 8 and injured forty others.",
    "Twelve people died when the bus plunged into a gorge in a road accident.",
])
def test_disasters(text):
    assert reads_as_hazard(text)


@pytest.mark.parametrize("text", [
    "A car bomb exploded outside the ministry, killing 8.",
    "Gunmen stormed the hotel and killed 12 guests.",
    "Violence erupted after the vote and five people were killed.",
    "He was injured in police firing during riots that erupted in the city.",
    "Chlorine munitions were dropped on the town, killing 20.",
    "Troops shelled the village, killing three.",
])
def test_attacks_are_not_disasters(text):
    assert not reads_as_hazard(text)


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
