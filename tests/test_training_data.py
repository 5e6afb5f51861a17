"""Validator for the team-written training sentences (src/detente/data/training/plover_sentences.jsonl)."""

from __future__ import annotations

import json
import re
from collections import Counter
from importlib import resources

import pytest

from detente import ontology

MODALITIES = {"asserted", "negated", "hypothetical", "future", "claimed", "denied"}
FIELDS = {"text", "event_type", "mode", "context", "trigger", "source", "target", "source_code", "target_code",
          "modality"}
CODE = re.compile(r"^[A-Z]{3}( [A-Z]{3})?$")


@pytest.fixture(scope="module")
def records() -> list[dict]:
    text = resources.files("detente.data").joinpath("training/plover_sentences.jsonl").read_text(encoding="utf-8")
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        assert line.strip(), f"blank line {n}"
        out.append(json.loads(line))
    return out


def test_every_line_is_a_valid_record(records):
    for n, r in enumerate(records, 1):
        assert FIELDS <= set(r) <= FIELDS | {"note", "acled_sub_event_type"}, n
        assert isinstance(r["text"], str) and len(r["text"].split()) >= 4, n
        if r["event_type"] == "NONE":
            assert r["mode"] is None and r["context"] == [] and r["note"], n
        else:
            ontology.validate(r["event_type"], r["mode"], r["context"])
        assert r["modality"] in MODALITIES, n
        assert r["trigger"] and r["trigger"] in r["text"], (n, r["trigger"])
        for k in ("source", "target"):
            assert r[k] is None or r[k] in r["text"], (n, k, r[k])
        for k in ("source_code", "target_code"):
            assert r[k] is None or CODE.match(r[k]), (n, k, r[k])


def test_counts_are_balanced(records):
    counts = Counter(r["event_type"] for r in records)
    assert len(records) >= 900
    assert counts["NONE"] >= 200
    for t in ontology.PLOVER_TYPES:
        assert counts[t] >= 40, t
    largest = max(counts[t] for t in ontology.PLOVER_TYPES)
    assert largest <= 1.5 * min(counts[t] for t in ontology.PLOVER_TYPES)


def test_no_duplicate_texts(records):
    texts = [r["text"] for r in records]
    assert len(texts) == len(set(texts))


def test_modes_are_covered(records):
    seen = {(r["event_type"], r["mode"]) for r in records}
    must = [("ASSAULT", m) for m in ("aerial", "drone", "firearms", "explosives", "heavy-weapons", "suicide-attack",
                                     "abduct", "beat", "targeted", "destroy")]
    must += [("PROTEST", m) for m in ("demo", "riot", "strike", "hunger", "boycott", "obstruct")]
    must += [("COERCE", m) for m in ("arrest", "seize", "restrict", "curfew", "deport", "censor")]
    must += [("CONSULT", m) for m in ("visit", "phone", "multilateral", "third-party")]
    must += [("ACCUSE", m) for m in ("disapprove", "investigate", "allege")]
    must += [("RETREAT", m) for m in ("withdraw", "release", "ceasefire", "resign")]
    must += [("SANCTION", m) for m in ("expel", "embargo", "convict", "discontinue")]
    must += [("MOBILIZE", m) for m in ("troops", "weapons", "police")]
    must += [("REQUEST", m) for m in ("yield", "assist", "meet", "change")]
    assert not [m for m in must if m not in seen]


def test_modality_variants_and_near_misses_present(records):
    mods = Counter(r["modality"] for r in records if r["event_type"] != "NONE")
    for m in MODALITIES - {"asserted"}:
        assert mods[m] >= 10, m
    notes = Counter(r.get("note") for r in records if r["event_type"] == "NONE")
    for kind in ("sports", "business", "metaphor", "weather", "crime", "background", "history", "opinion"):
        assert notes[kind] >= 3, kind


def test_regions_and_actor_types_spread(records):
    countries = Counter((r["source_code"] or "").split(" ")[0] for r in records if r["source_code"])
    assert len(countries) >= 60
    sectors = {c.split(" ")[1] for r in records for c in (r["source_code"], r["target_code"]) if c and " " in c}
    assert {"GOV", "MIL", "COP", "REB", "PRT", "JUD"} <= sectors
    assert sum(1 for r in records if (r["source_code"] or "").startswith(("IGO", "NGO"))) >= 30
