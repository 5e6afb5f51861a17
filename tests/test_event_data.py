"""Training examples of the event model: labels from whole-article gold, masks, context, provenance."""

from __future__ import annotations

import json

import pytest

from detente.detect.event_data import PLOVER, REALNEWS, realnews_examples, team_examples
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
