"""The fourth batch of team sentences (training/plover_sentences_4.jsonl): ACLED distinctions a PLOVER label cannot
carry — protests met with intervention or lethal force, violent demonstrations, changes to armed groups, attacks on
civilians. Every record must be a valid PLOVER record and teach the ACLED class it was written for."""

from __future__ import annotations

import json
import re
from collections import Counter
from importlib import resources

import pytest

from detente import ontology
from detente.detect.train_acled import MAPPABLE, rule_label, team_label

FIELDS = {"text", "event_type", "mode", "context", "trigger", "source", "target", "source_code", "target_code",
          "modality", "note"}
CODE = re.compile(r"[A-Z]{3} [A-Z]{3}")


@pytest.fixture(scope="module")
def batch() -> list[dict]:
    raw = resources.files("detente.data").joinpath("training/plover_sentences_4.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in raw.splitlines() if line.strip()]


def test_records_are_valid(batch):
    for n, rec in enumerate(batch, 1):
        assert FIELDS <= set(rec) <= FIELDS | {"acled_sub_event_type"}, n
        assert 12 <= len(rec["text"].split()) <= 45, n
        ontology.validate(rec["event_type"], rec["mode"], rec["context"])
        assert rec["trigger"] in rec["text"], n
        assert rec["event_type"] in MAPPABLE and rec["modality"] == "asserted", n
        for role in ("source", "target"):
            assert (rec[role] is None) == (rec[f"{role}_code"] is None), (n, role)
            assert rec[role] is None or rec[role] in rec["text"], (n, role)
            assert rec[f"{role}_code"] is None or CODE.fullmatch(rec[f"{role}_code"]), (n, role)


def test_explicit_labels_only_where_the_rules_differ(batch):
    for n, rec in enumerate(batch, 1):
        if "acled_sub_event_type" not in rec:
            continue
        assert rule_label(rec) != rec["acled_sub_event_type"], n


def test_the_batch_feeds_the_weak_classes(batch):
    counts = Counter(team_label(rec) for rec in batch)
    assert counts["Protest with intervention"] >= 20
    assert counts["Excessive force against protesters"] >= 8
    assert counts["Violent demonstration"] >= 8
    assert counts["Change to group/activity"] >= 10
    assert counts["Attack"] >= 10
    assert None not in counts
    # intervention and excessive force are told apart by harm: deaths or serious injuries only for the latter
    harm = re.compile(r"\b(?:kill\w*|dead|died|deaths|live (?:rounds|ammunition)|surgery|seriously|gunshot|shot)\b")
    for rec in batch:
        label = team_label(rec)
        if label == "Protest with intervention":
            assert not harm.search(rec["text"]), rec["text"]
        if label == "Excessive force against protesters":
            assert harm.search(rec["text"]), rec["text"]
