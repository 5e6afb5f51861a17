"""Training examples of the event model: labels from whole-article gold, masks, context, provenance."""

from __future__ import annotations

import json

import pytest

from detente.detect.event_data import PLOVER, REALNEWS, find_phrase, realnews_examples, team_examples
from detente.detect.event_model import context_of


def test_article_sentences_get_their_events_and_masks(tmp_path):
    text = ("Rebels attacked a police post on Monday. Officials condemned the attack. "
            "The post was shelled in 2019 too. The weather was fine.")
    rec = {"id": "rn-t", "split": "train", "text": text, "title": "Post attacked", "doc_date": "2024-03-06",
           "category": "political", "events": [
               {"event_type": "ASSAULT", "source": ["REB"], "target": ["COP"],
                "evidence": ["Rebels attacked a police post"]},
               {"event_type": "ACCUSE", "source": ["GOV"], "evidence": ["Officials condemned the attack"]},
               {"event_type": "ASSAULT", "optional": True, "evidence": ["The post was shelled in 2019"]}]}
    path = tmp_path / "train.jsonl"
    path.write_text(json.dumps(rec) + "\n")
    rows = realnews_examples(path)
    assert [r["labels"] for r in rows] == [["ASSAULT"], ["ACCUSE"], [], []]
    assert "ASSAULT" not in rows[2]["known"] and len(rows[2]["known"]) == len(PLOVER) - 1  # optional: masked
    assert rows[3]["known"] == sorted(PLOVER)  # a sentence with no event says no to every type
    assert rows[1]["context"] == "Post attacked | Rebels attacked a police post on Monday."
    assert {r["gold_id"] for r in rows} == {"rn-t"} and rows[0]["origin"] == "realnews:rn-t:0"


def test_context_is_title_and_previous_sentence():
    text = "One. Two."
    assert context_of("T", text, [(0, 4), (5, 9)], 0) == "T"
    assert context_of(None, text, [(0, 4), (5, 9)], 1) == "One."


def test_team_sentences_are_single_labelled():
    rows = team_examples()
    assert rows and all(len(r["labels"]) <= 1 and r["origin"].startswith("team:") for r in rows)
    assert any(not r["labels"] for r in rows)  # the NONE sentences are negatives


def test_the_dev_split_is_never_a_training_example():
    dev = REALNEWS / "dev.jsonl"
    if not dev.is_file():
        pytest.skip("no real-news gold in this checkout")
    dev_ids = {json.loads(line)["id"] for line in dev.open(encoding="utf-8")}
    assert dev_ids and not dev_ids & {r["gold_id"] for r in realnews_examples()}


def test_role_spans_come_from_gold_names_and_negatives_have_none(tmp_path):
    text = ("Rebels attacked a police post on Monday. The FMLN talked to the mediators. The weather was fine.")
    rec = {"id": "rn-r", "split": "train", "text": text, "title": "", "doc_date": "2024-03-06",
           "category": "political", "events": [
               {"event_type": "ASSAULT", "source": [{"country": "XXX", "sector": "REB", "name": "rebels"}],
                "target": [{"country": "XXX", "sector": "COP", "name": "police post (Monday)"}],
                "evidence": ["Rebels attacked a police post"]},
               {"event_type": "CONSULT", "source": [{"country": "SLV", "sector": "REB", "name": "Farabundo FMLN"}],
                "target": [{"sector": "IGO", "name": "observers"}],
                "evidence": ["The FMLN talked to the mediators"]}]}
    path = tmp_path / "train.jsonl"
    path.write_text(json.dumps(rec) + "\n")
    attack, talks, weather = realnews_examples(path)
    assert attack["roles_known"] and [(attack["text"][s:e], side) for s, e, side in attack["roles"]] == [
        ("Rebels", "source"), ("police post", "target")]
    assert not talks["roles_known"] and talks["roles"] == []  # "observers" is not in the sentence: roles unknown
    assert weather["roles_known"] and weather["roles"] == []  # no event: no participant


def test_find_phrase_ignores_case_and_tokenised_spacing():
    text = "The Croatian government's request was denied."
    s, e = find_phrase(text, "Croatian government 's request")
    assert text[s:e] == "Croatian government's request"
    assert find_phrase("Police arrested him.", "police") == (0, 6)
    assert find_phrase("Policemen came.", "police") is None  # whole words only


def test_marked_role_words_beat_the_gold_descriptions(tmp_path):
    text = "Tanzanian police said on Tuesday they had arrested 14 foreigners. The weather was fine."
    rec = {"id": "rn-m", "split": "train", "text": text, "title": "", "doc_date": "2024-03-06",
           "category": "political", "events": [
               {"event_type": "COERCE", "source": [{"country": "TZA", "sector": "COP", "name": "Tanzanian police force"}],
                "target": [{"sector": "CVL", "name": "foreign nationals"}],
                "evidence": ["they had arrested 14 foreigners"]}]}
    path = tmp_path / "train.jsonl"
    path.write_text(json.dumps(rec) + "\n")
    assert not realnews_examples(path, marked={})[0]["roles_known"]  # the descriptions are not in the sentence
    sentence = "Tanzanian police said on Tuesday they had arrested 14 foreigners."
    marked = {("rn-m", 0): {"sentence": sentence, "source": ["Tanzanian police"], "target": ["14 foreigners"]}}
    arrest = realnews_examples(path, marked=marked)[0]
    assert [(arrest["text"][s:e], side) for s, e, side in arrest["roles"]] == [
        ("Tanzanian police", "source"), ("14 foreigners", "target")]
