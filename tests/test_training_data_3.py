"""Checks for the third batch of team-written training sentences (data/training/plover_sentences_3.jsonl).

The batch covers South Asian local police news (arrests, force, encounters, curfews, deployments, police inaction,
bandhs, riots, lower-cased archive style), the ACLED sub-event classes the ACLED classifier is weak on, and hard
negatives. Every line is held to the ontology and the README's conventions; the batch to the counts its README
promises and to the ACLED classes it is meant to feed (through ``ontology.acled``, as ``detect.train_acled`` does).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from importlib import resources

import pytest
from _helpers import lexicon_coverage

from detente import ontology
from detente.errors import DetenteError
from detente.detect.train_acled import rule_label, team_label

BATCH = "training/plover_sentences_3.jsonl"
EARLIER = ("training/plover_sentences.jsonl", "training/plover_sentences_2.jsonl")
FIELDS = frozenset({"text", "event_type", "mode", "context", "trigger", "source", "target", "source_code",
                    "target_code", "modality", "note"})
MODALITIES = frozenset({"asserted", "negated", "hypothetical", "future", "claimed", "denied"})
CODE = re.compile(r"[A-Z]{3}(?: [A-Z]{3})?")
SOUTH_ASIA = frozenset({"IND", "PAK", "BGD", "NPL", "LKA"})
# phrases that report the police not acting: never an asserted act of force or arrest
INACTION = re.compile(r"\b(?:mute spectators?|silent spectators?|did not (?:intervene|act)|did nothing|"
                      r"looked the other way|turned a blind eye|failed to (?:act|prevent|intervene))\b", re.I)
PROTEST_WORDS = re.compile(r"^(?:protest(?:s|ed)?|march(?:es|ed)?|rall(?:y|ied)|demonstrat(?:ed|ion)|sit-in|"
                           r"dharna|bandh|vigil)$", re.I)


def _load(name: str) -> list[dict]:
    raw = resources.files("detente.data").joinpath(name).read_text(encoding="utf-8")
    return [json.loads(line) for line in raw.splitlines() if line.strip()]


def _sectors(code: str | None) -> list[str]:
    return (code or "").split()[1:]


def _acled(rec: dict) -> str | None:
    """ACLED sub-event type the record teaches (None for NONE, negated/denied and unmapped types)."""
    return team_label(rec)


def issues(rec: dict) -> list[str]:
    """Everything wrong with one record (empty when valid)."""
    if set(rec) - {"acled_sub_event_type"} != FIELDS:
        return [f"fields differ: {sorted((set(rec) - {'acled_sub_event_type'}) ^ FIELDS)}"]
    out: list[str] = []
    text, trig = rec["text"], rec["trigger"]
    if not 12 <= len(text.split()) <= 45:
        out.append("not 12-45 words")
    if rec["event_type"] == "NONE":
        if rec["mode"] is not None or rec["context"] or not rec["note"]:
            out.append("NONE: mode must be null, context empty, note set")
        if any(rec[k] for k in ("source", "target", "source_code", "target_code")):
            out.append("NONE with actors")
    else:
        try:
            ontology.validate(rec["event_type"], rec["mode"], rec["context"])
        except DetenteError as exc:
            out.append(str(exc))
        if rec["note"] is not None:
            out.append("note on an event")
    if rec["modality"] not in MODALITIES:
        out.append(f"modality {rec['modality']!r}")
    if not trig or trig not in text:
        out.append(f"trigger {trig!r} not in text")
    else:
        lower, first = text.lower(), trig.lower().split()[0]
        if lower.find(first) != lower.find(trig.lower()):
            out.append(f"trigger word {first!r} occurs before the trigger")
    for role in ("source", "target"):
        if rec[role] is not None and (not rec[role] or rec[role] not in text):
            out.append(f"{role} {rec[role]!r} not in text")
    for role in ("source_code", "target_code"):
        if rec[role] is not None and not CODE.fullmatch(rec[role]):
            out.append(f"{role} {rec[role]!r} malformed")
    return out


@pytest.fixture(scope="module")
def batch() -> list[dict]:
    return _load(BATCH)


def test_issue_finder_rejects_broken_records():
    ok = {"text": "Police in Patna lathi-charged teachers demanding regular pay outside the education department on "
                  "Monday, injuring several.", "event_type": "ASSAULT", "mode": "crowd-control",
          "context": ["economic"], "trigger": "lathi-charged", "source": "Police in Patna", "target": "teachers",
          "source_code": "IND COP", "target_code": "IND LAB", "modality": "asserted", "note": None}
    assert issues(ok) == []
    assert issues({**ok, "mode": "lathi"})
    assert issues({**ok, "context": ["policing"]})
    assert issues({**ok, "trigger": "Police"}) == []  # first occurrence is fine
    assert issues({**ok, "trigger": "teachers"}) == []
    assert issues({**ok, "text": "Police lathi-charged teachers in Patna, and later police lathi-charged nurses "
                                 "outside the hospital.", "trigger": "lathi-charged nurses", "source": None,
                   "target": None})
    assert issues({**ok, "source": "police in Patna"})
    assert issues({**ok, "target_code": "India LAB"})
    assert issues({**ok, "modality": "alleged"})
    assert issues({**ok, "event_type": "NONE", "mode": None, "context": [], "note": "crime"})
    assert issues({**ok, "note": "police"})
    assert issues({k: v for k, v in ok.items() if k != "note"})


def test_every_line_is_valid(batch):
    bad = {n: p for n, rec in enumerate(batch, 1) if (p := issues(rec))}
    assert not bad, dict(list(bad.items())[:10])


def test_size_uniqueness_and_novelty(batch):
    texts = [r["text"] for r in batch]
    assert len(batch) >= 450
    assert len(set(texts)) == len(texts), [t for t, c in Counter(texts).items() if c > 1][:5]
    earlier = {r["text"] for name in EARLIER for r in _load(name)}
    assert not earlier & set(texts)
    assert sum(r["event_type"] == "NONE" for r in batch) >= 80


def test_south_asian_police_section(batch):
    local = [r for r in batch if r["event_type"] != "NONE"
             and {(r["source_code"] or "")[:3], (r["target_code"] or "")[:3]} & SOUTH_ASIA]
    assert len(local) >= 150
    police = [r for r in local if "COP" in (r["source_code"] or "")]
    assert len(police) >= 90
    kinds = Counter((r["event_type"], r["mode"]) for r in local)
    assert kinds[("COERCE", "arrest")] >= 40
    assert kinds[("ASSAULT", "crowd-control")] >= 20
    assert kinds[("ASSAULT", "firearms")] >= 10  # encounters, firing
    assert kinds[("COERCE", "curfew")] + kinds[("COERCE", "restrict")] >= 12
    assert kinds[("MOBILIZE", "police")] + kinds[("MOBILIZE", "troops")] >= 12
    assert kinds[("PROTEST", "riot")] >= 5 and kinds[("PROTEST", "strike")] >= 5
    lower = [r for r in batch if r["text"] == r["text"].lower()]
    assert sum(r["event_type"] != "NONE" for r in lower) >= 25
    assert all(r["trigger"] == r["trigger"].lower() for r in lower)


def test_police_inaction_is_never_an_asserted_act(batch):
    hits = [r for r in batch if INACTION.search(r["trigger"])]
    assert len(hits) >= 6
    for rec in hits:
        assert rec["event_type"] in ("REJECT", "ACCUSE"), rec["text"]
    negated = [r for r in batch if r["modality"] in ("negated", "denied") and "COP" in (r["source_code"] or "")]
    assert all(r["event_type"] in ("ASSAULT", "COERCE") for r in negated) and len(negated) >= 3


def test_protest_triggers_are_protests(batch):
    for rec in batch:
        if rec["event_type"] != "NONE" and PROTEST_WORDS.match(rec["trigger"]):
            assert rec["event_type"] == "PROTEST", rec["text"]


@pytest.mark.parametrize("sub_event, minimum", [
    ("Government regains territory", 15), ("Non-state actor overtakes territory", 15), ("Mob violence", 12),
    ("Sexual violence", 8), ("Peaceful protest", 12), ("Protest with intervention", 12),
    ("Excessive force against protesters", 12), ("Violent demonstration", 10), ("Disrupted weapons use", 12),
    ("Headquarters or base established", 10), ("Change to group/activity", 10),
    ("Looting/property destruction", 12), ("Chemical weapon", 6), ("Remote explosive/landmine/IED", 8),
    ("Agreement", 12), ("Non-violent transfer of territory", 10)])
def test_weak_acled_classes_are_fed(batch, sub_event, minimum):
    assert sum(_acled(r) == sub_event for r in batch) >= minimum


def test_protest_with_intervention_is_state_action_on_protesters(batch):
    for rec in batch:
        if _acled(rec) == "Protest with intervention":
            assert rec["event_type"] in ("COERCE", "ASSAULT")  # arrests, or tear gas and batons (no serious harm)
            assert set(_sectors(rec["source_code"])) & {"COP", "MIL", "GOV", "JUD", "SPY"}, rec["text"]


def test_regions_and_negatives(batch):
    countries = {(r["source_code"] or "")[:3] for r in batch if r["source_code"]}
    assert len(countries) >= 50
    for region in ({"MLI", "BFA", "NER"}, {"SOM", "ETH", "SDN"}, {"COD", "RWA", "BDI"}, {"SYR", "IRQ", "YEM"},
                   {"COL", "MEX", "PER"}, {"MMR", "PHL", "THA"}):
        assert len(region & countries) >= 2, region
    notes = Counter(r["note"] for r in batch if r["event_type"] == "NONE")
    for kind, least in (("accident", 10), ("disaster", 4), ("crime", 5), ("history", 3), ("routine", 8),
                        ("legal_procedure", 4)):
        assert notes[kind] >= least, kind


@pytest.mark.model
def test_most_triggers_are_lexicon_candidates(batch, nlp):
    """Triggers the lexicon cannot propose are listed in the README as gaps; the rest must be candidates."""
    covered, n = lexicon_coverage(batch, nlp)
    assert covered >= 0.75 * n, (covered, n)


def test_explicit_acled_labels_are_acled_and_fit_their_type():
    """A team sentence's explicit ACLED sub-event (for the protest family's codebook distinctions) must be one of
    ACLED's, one its PLOVER type can express, and differ from what the rules would say (else it is noise)."""
    from detente.detect.train_acled import MAPPABLE

    subtypes = {row.acled[1] for row in ontology._ont().case.values() if row.acled}
    found = 0
    for name in (BATCH, *EARLIER):
        for n, rec in enumerate(_load(name), 1):
            label = rec.get("acled_sub_event_type")
            if label is None:
                continue
            found += 1
            assert label in subtypes, (name, n, label)
            case = next(c for c in ontology._ont().case.values() if c.acled and c.acled[1] == label)
            assert rec["event_type"] in case.also, (name, n, label, "type cannot express it")
            assert rec["event_type"] in MAPPABLE and rec["modality"] not in ("negated", "denied"), (name, n)
            assert rule_label(rec) != label, (name, n, "same as the rule")
            assert team_label(rec) == label
    assert found >= 30
