"""The ``roles`` task: the event model's source/target phrases scored against marked gold phrases."""

from __future__ import annotations

import pytest

from detente.detect.event_model import shipped
from detente.evaluate.roles import gold_spans, run

pytestmark = pytest.mark.skipif(not shipped(), reason="no event model shipped")


def _rec(i, text, source, target):
    return {"id": f"t-{i}", "dataset": "plover_gsr", "text": text,
            "source": [{"text": source}], "target": [{"text": target}]}


def test_gold_spans_need_every_phrase_in_the_text():
    assert gold_spans(_rec(0, "Police arrested ten protesters.", "Police", "protesters")) == [
        (0, 6, "source"), (20, 30, "target")]
    assert gold_spans(_rec(0, "Police arrested ten protesters.", "Army", "protesters")) is None


def test_right_direction_scores_and_reversed_gold_counts_as_swapped():
    texts = [("Pakistani jets struck militant hideouts in Iran on Thursday.", "Pakistani jets", "militant hideouts"),
             ("Police arrested forty protesters outside parliament in Nairobi.", "Police", "forty protesters")]
    right = run([_rec(i, t, s, g) for i, (t, s, g) in enumerate(texts)])
    assert right["n"] == 2 and right["recall"] == 1.0 and right["swapped"] == 0.0
    reversed_ = run([_rec(i, t, g, s) for i, (t, s, g) in enumerate(texts)])  # gold with the sides exchanged
    assert reversed_["recall"] < 0.5 and reversed_["swapped"] >= 0.5
