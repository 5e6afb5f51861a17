"""Metrics vs hand computation."""

from __future__ import annotations

import pytest

from detente.evaluate.metrics import (
    classification_report, confusion, greedy_match, lenient_match, match_fills, match_templates,
    multilabel_report, prf, set_match, span_overlap, token_overlap, type_alternatives,
)


def test_prf_hand_values():
    assert prf(2, 2, 0) == {"precision": 0.5, "recall": 1.0, "f1": 0.6667}
    assert prf(0, 3, 3) == {"precision": 0.0, "recall": 0.0, "f1": 0.0}


def test_classification_report_hand_computed():
    gold = ["A", "A", "A", "B", "B", "C"]
    pred = ["A", "A", "B", "B", "NONE", "A"]
    r = classification_report(gold, pred)
    # A: tp 2, fp 1 (the C), fn 1 -> P 2/3, R 2/3, F 2/3
    assert r["per_class"]["A"] == {"precision": 0.6667, "recall": 0.6667, "f1": 0.6667, "support": 3}
    # B: tp 1, fp 1, fn 1 -> 0.5 all
    assert r["per_class"]["B"]["f1"] == 0.5
    # C: never predicted -> 0
    assert r["per_class"]["C"]["f1"] == 0.0
    assert r["accuracy"] == 0.5  # 3 of 6
    assert r["macro_f1"] == pytest.approx((2 / 3 + 0.5 + 0) / 3, abs=1e-4)
    assert r["weighted_f1"] == pytest.approx((3 * 2 / 3 + 2 * 0.5 + 0) / 6, abs=1e-4)
    # NONE is not in gold, so it is not an averaged class
    assert r["labels"] == ["A", "B", "C"]
    assert r["confusion"] == {"A": {"A": 2, "B": 1}, "B": {"B": 1, "NONE": 1}, "C": {"A": 1}}


def test_classification_report_none_in_gold_is_averaged():
    r = classification_report(["NONE", "A"], ["NONE", "NONE"])
    assert r["labels"] == ["A", "NONE"]
    assert r["per_class"]["NONE"]["precision"] == 0.5
    assert r["per_class"]["NONE"]["recall"] == 1.0


def test_classification_report_empty_and_mismatch():
    assert classification_report([], [])["n"] == 0
    with pytest.raises(ValueError):
        classification_report(["A"], [])


def test_confusion_counts():
    assert confusion(["X", "X", "Y"], ["Y", "Y", "Y"]) == {"X": {"Y": 2}, "Y": {"Y": 1}}


def test_multilabel_report_hand_computed():
    gold = [{"KILL", "FORCE"}, {"ARREST"}, set(), {"FORCE"}]
    pred = [{"FORCE"}, {"ARREST", "FORCE"}, {"ARREST"}, set()]
    r = multilabel_report(gold, pred, labels=["KILL", "FORCE", "ARREST"])
    assert (r["per_class"]["KILL"]["tp"], r["per_class"]["KILL"]["fn"]) == (0, 1)
    # FORCE: tp 1 (doc 0), fp 1 (doc 1), fn 1 (doc 3)
    assert r["per_class"]["FORCE"]["f1"] == 0.5
    # ARREST: tp 1, fp 1, fn 0 -> P .5 R 1 F .6667
    assert r["per_class"]["ARREST"]["f1"] == 0.6667
    assert r["macro_f1"] == pytest.approx((0 + 0.5 + 0.6667) / 3, abs=1e-4)
    # micro: tp 2, fp 2, fn 2
    assert r["micro_f1"] == 0.5


def test_token_overlap_and_lenient_match():
    assert token_overlap("the Shining Path guerrillas", "SHINING PATH") == 1.0
    assert token_overlap("National Police", "national army") == 0.5
    assert token_overlap("", "x") == 0.0
    assert lenient_match("Bogotá", ["COLOMBIA BOGOTA"])  # accents stripped
    assert not lenient_match("of the", ["THE ARMY"], threshold=0.6)


def test_span_and_set_helpers():
    assert span_overlap((10, 20), (15, 30)) == 5
    assert span_overlap((0, 1), (5, 6)) == 0
    assert set_match(["a", "b"], ["b", "c", "d"]) == {"tp": 1, "fp": 1, "fn": 2}


def test_match_fills_one_to_one():
    # two predicted strings both match the same gold fill: only one may count
    r = match_fills(["FMLN", "the FMLN rebels"], [["FMLN"]])
    assert r == {"tp": 1, "fp": 1, "fn": 0}
    # alternatives on the predicted side
    assert match_fills([["Sendero", "Shining Path"]], [["SHINING PATH"]]) == {"tp": 1, "fp": 0, "fn": 0}


def test_greedy_match_prefers_best_pairs():
    scores = {(0, 0): 1, (0, 1): 5, (1, 1): 4, (1, 0): 3}
    pairs = greedy_match([0, 1], [0, 1], lambda i, j: scores[(i, j)])
    assert sorted(pairs) == [(0, 1), (1, 0)]


def test_match_templates_type_first_then_slots():
    pred = [{"type": "ATTACK", "loc": "a"}, {"type": "BOMBING", "loc": "b"}]
    gold = [{"type": "BOMBING / ATTACK", "loc": "b"}, {"type": "KIDNAPPING", "loc": "a"}]
    pairs = match_templates(pred, gold, slot_score=lambda p, g: float(p["loc"] == g["loc"]))
    # pred 1 (BOMBING, loc b) beats pred 0 for gold 0; pred 0 then pairs with gold 1 on the location alone
    assert sorted(pairs) == [(0, 1), (1, 0)]
    assert type_alternatives(["a", "b"]) == {"A", "B"}
