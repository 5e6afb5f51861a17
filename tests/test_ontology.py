"""Tests of detente.ontology: the data tables and the lookup API."""

from __future__ import annotations

import csv
import json
from importlib import resources
from pathlib import Path

import pytest

from detente import ontology
from detente.errors import DetenteError

MANUAL_TYPES = ("AGREE CONSULT SUPPORT CONCEDE COOPERATE AID RETREAT REQUEST ACCUSE REJECT THREATEN PROTEST "
                "SANCTION MOBILIZE COERCE ASSAULT").split()
CASE_DEV = Path("/work/shared/data/case2021_task2/case2021_task2_dev.jsonl")


def _csv(name: str) -> list[dict[str, str]]:
    text = resources.files("detente.ontology").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def test_plover_types_are_the_16_of_the_manual_in_order():
    assert ontology.PLOVER_TYPES == tuple(MANUAL_TYPES)


@pytest.mark.parametrize("t,q", [("AGREE", 1), ("CONCEDE", 1), ("AID", 2), ("RETREAT", 2), ("REQUEST", 3),
                                 ("THREATEN", 3), ("PROTEST", 4), ("SANCTION", 4), ("ASSAULT", 4)])
def test_quad_classes(t, q):
    assert ontology.type_info(t).quad_class == q
    assert ontology.quad_class(t) == q


@pytest.mark.parametrize("t,score", [("AGREE", 2.5), ("SUPPORT", 5), ("COOPERATE", 9.5), ("AID", 10),
                                     ("REQUEST", 0), ("ACCUSE", -3), ("MOBILIZE", -5.5), ("ASSAULT", -9)])
def test_type_intensities(t, score):
    assert ontology.intensity(t) == score


def test_mode_intensity_inherits_or_overrides():
    assert ontology.intensity("ASSAULT", "firearms") == -9
    assert ontology.intensity("ASSAULT", "unconventional") == -10
    assert ontology.intensity("ACCUSE", "disapprove") == -2


def test_recipient_required_only_for_three_types():
    required = {t for t in MANUAL_TYPES if ontology.type_info(t).recipient_required}
    assert required == {"COOPERATE", "AID", "SANCTION"}


def test_manual_modes_present():
    assert ontology.modes("PROTEST") == ("demo", "riot", "strike", "hunger", "boycott", "obstruct", "vandalize")
    assert set(ontology.modes("RETREAT")) == {"withdraw", "release", "disarm", "ceasefire", "access", "resign"}
    assert set(ontology.modes("REQUEST")) == set(ontology.modes("REJECT")) == {"assist", "change", "yield", "meet"}
    assert len(ontology.modes("ASSAULT")) == 15
    assert ontology.modes("AGREE") == ()


def test_contexts_and_quad_names():
    assert len(ontology.CONTEXTS) == 37 and "peacekeeping" in ontology.CONTEXTS
    assert ontology.quad_name(1) == "Verbal cooperation"
    assert ontology.quad_name(4) == "Material conflict"
    with pytest.raises(DetenteError) as e:
        ontology.quad_name(5)
    assert e.value.code == "E605"


def test_validate_names_the_allowed_values():
    ontology.validate("ASSAULT", "drone", ["military", "terrorism"])
    ontology.validate("AGREE")
    with pytest.raises(DetenteError) as e:
        ontology.validate("ATTACK")
    assert e.value.code == "E600" and "ASSAULT" in str(e.value)
    with pytest.raises(DetenteError) as e:
        ontology.validate("CONSULT", "drone")
    assert e.value.code == "E601" and "phone" in str(e.value)
    with pytest.raises(DetenteError) as e:
        ontology.validate("AGREE", "visit")
    assert e.value.code == "E601" and "mode=None" in str(e.value)
    with pytest.raises(DetenteError) as e:
        ontology.validate("AGREE", None, ["war"])
    assert e.value.code == "E602" and "military" in str(e.value)


@pytest.mark.parametrize("t,m,code", [("PROTEST", "hunger", "142"), ("ASSAULT", "firearms", "193"),
                                      ("ASSAULT", "suicide-attack", "1831"), ("RETREAT", "ceasefire", "0871"),
                                      ("ACCUSE", "investigate", "090"), ("COERCE", "curfew", "1723"),
                                      ("CONSULT", None, "040"), ("REQUEST", None, "100")])
def test_cameo_code_is_a_string_with_leading_zeros(t, m, code):
    assert ontology.cameo_code(t, m) == code


@pytest.mark.parametrize("code,expected", [
    ("010", None), ("01", None), ("0151", None),  # statements and responsibility claims: no PLOVER event
    ("020", ("REQUEST", None)), ("0233", ("REQUEST", "assist")), ("107", ("REQUEST", "yield")),
    ("036", ("AGREE", None)), ("057", ("AGREE", None)), ("051", ("SUPPORT", None)), ("055", ("CONCEDE", None)),
    ("0841", ("RETREAT", "release")), ("081", ("CONCEDE", None)), ("0831", ("RETREAT", "resign")),
    ("090", ("ACCUSE", "investigate")), ("1121", ("ACCUSE", "allege")), ("116", ("SANCTION", "convict")),
    ("145", ("PROTEST", "riot")), ("192", ("COERCE", "seize")), ("1952", ("ASSAULT", "drone")),
    ("195", ("ASSAULT", "aerial")), ("2042", ("ASSAULT", "unconventional")), ("173", ("COERCE", "arrest")),
])
def test_from_cameo(code, expected):
    assert ontology.from_cameo(code) == expected


@pytest.mark.parametrize("bad", ["21", "9", "abc", "19999", 190, "", "00"])
def test_from_cameo_rejects_non_codes(bad):
    with pytest.raises(DetenteError) as e:
        ontology.from_cameo(bad)
    assert e.value.code == "E603"


def test_every_cameo_root_01_to_20_is_mapped_and_roundtrips_to_its_type():
    for root in range(1, 21):
        ontology.from_cameo(f"{root:02d}")
    for t in MANUAL_TYPES:
        back = ontology.from_cameo(ontology.cameo_code(t))
        assert back is not None and back[0] == t, t


def test_mode_cameo_codes_map_back_to_same_type():
    for row in _csv("plover_modes.csv"):
        back = ontology.from_cameo(row["cameo_code"])
        assert back is not None and back[0] == row["event_type"], row


@pytest.mark.parametrize("args,kw,expected", [
    (("ASSAULT", "aerial"), {}, ("Explosions/Remote violence", "Air/drone strike")),
    (("ASSAULT", "drone"), {}, ("Explosions/Remote violence", "Air/drone strike")),
    (("ASSAULT", "firearms"), {"actor_sectors": ["REB"], "recipient_sectors": ["MIL"]}, ("Battles", "Armed clash")),
    (("ASSAULT", "firearms"), {"actor_sectors": ["UAF"], "recipient_sectors": ["CVL"]},
     ("Violence against civilians", "Attack")),
    (("ASSAULT", None), {"actor_sectors": ["MIL"], "recipient_sectors": ["REB"], "context": ["territory"]},
     ("Battles", "Government regains territory")),
    (("ASSAULT", "primitive"), {"actor_sectors": ["CVL"]}, ("Riots", "Mob violence")),
    (("ASSAULT", "crowd-control"), {"actor_sectors": ["COP"], "recipient_sectors": ["PRT"]},
     ("Protests", "Excessive force against protesters")),
    (("PROTEST", "strike"), {}, ("Protests", "Peaceful protest")),
    (("PROTEST", "riot"), {}, ("Riots", "Violent demonstration")),
    (("COERCE", "arrest"), {"actor_sectors": ["COP"], "recipient_sectors": ["PRT"]},
     ("Protests", "Protest with intervention")),
    (("COERCE", "arrest"), {"actor_sectors": ["COP"], "recipient_sectors": ["JRN"]},
     ("Strategic developments", "Arrests")),
    (("AGREE", None), {}, ("Strategic developments", "Agreement")),
    (("RETREAT", "withdraw"), {}, ("Strategic developments", "Non-violent transfer of territory")),
])
def test_acled_rules(args, kw, expected):
    assert ontology.acled(*args, **kw) == expected


@pytest.mark.parametrize("t", ["CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "REQUEST", "ACCUSE",
                               "REJECT", "THREATEN", "SANCTION"])
def test_acled_none_for_non_acled_types(t):
    assert ontology.acled(t) is None


def test_acled_rejects_unknown_mode():
    with pytest.raises(DetenteError) as e:
        ontology.acled("ASSAULT", "airstrike")
    assert e.value.code == "E601"


def test_case2021_labels_roundtrip_through_acled():
    labels = ontology.case2021_labels()
    assert len(labels) == 30
    # Every ACLED-class label except GRENADE (same mode as REM_EXPLOS) is reproduced by its own PLOVER reading,
    # given plausible sectors.
    sectors = {"ARMED_CLASH": (["MIL"], ["REB"]), "ATTACK": (["REB"], ["CVL"]), "MOB_VIOL": (["CVL"], ["CVL"]),
               "PROTEST_WITH_INTER": (["COP"], ["PRT"]), "DISR_WEAP": (["MIL"], ["REB"]),
               "GOV_REGAINS_TERIT": (["MIL"], ["REB"]), "NON_STATE_ACTOR_OVERTAKES_TER": (["REB"], ["MIL"])}
    ctx = {"GOV_REGAINS_TERIT": ["territory"], "NON_STATE_ACTOR_OVERTAKES_TER": ["territory"]}
    for label in labels:
        t, m = ontology.from_case2021(label)
        assert t == "NONE" or t in MANUAL_TYPES
        if m is not None:
            ontology.validate(t, m)
        if label in {"GRENADE", "OTHER", "PROTEST_WITH_INTER", "CHANGE_TO_GROUP_ACT"} or t == "NONE":
            continue
        if label in {"DIPLO", "ATTRIB", "ORG_CRIME"}:
            continue
        a, r = sectors.get(label, ([], []))
        if label == "PROTEST_WITH_INTER":
            continue
        got = ontology.case2021_code(t, m, a, r, context=ctx.get(label, []))
        assert got == label, (label, t, m, got)


def test_case2021_intervention_and_grenade():
    assert ontology.case2021_code("COERCE", "arrest", ["COP"], ["PRT"]) == "PROTEST_WITH_INTER"
    assert ontology.from_case2021("GRENADE") == ("ASSAULT", "explosives")
    assert ontology.case2021_code("ASSAULT", "explosives") == "REM_EXPLOS"
    assert ontology.case2021_code("CONSULT", "visit") is None
    assert "CONSULT" in ontology.case2021_types("DIPLO")
    with pytest.raises(DetenteError) as e:
        ontology.from_case2021("AIRSTRIKE")
    assert e.value.code == "E604"


@pytest.mark.skipif(not CASE_DEV.exists(), reason="shared dev data not mounted")
def test_case2021_mapping_covers_every_dev_label_and_acled_names_agree():
    with CASE_DEV.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            label = rec["event_type"]
            t, _ = ontology.from_case2021(label)
            extra = rec["gold_extra"]
            row = ontology._ont().case[label]
            if extra["acled_sub_event_type"]:
                assert row.acled == (extra["acled_event_type"], extra["acled_sub_event_type"]), label
            else:
                assert row.acled is None, label


def test_acled_sub_event_types_are_the_25_of_the_codebook():
    subs = {r["acled_sub_event_type"] for r in _csv("case2021_labels.csv") if r["acled_sub_event_type"]}
    assert len(subs) == 25
    rows = _csv("acled_map.csv")
    produced = {r["acled_sub_event_type"] for r in rows if r["acled_sub_event_type"]}
    assert produced <= subs
    assert subs - produced == {"Grenade"}
    # rows without ACLED names say "not an ACLED event": only ever under a condition (ordinary crime)
    assert all(r["context"] for r in rows if not r["acled_sub_event_type"])


def test_an_arrest_for_ordinary_crime_is_no_acled_event():
    assert ontology.acled("COERCE", "arrest", context=["crime"]) is None
    assert ontology.acled("COERCE", "arrest") == ("Strategic developments", "Arrests")
    assert ontology.case2021_code("COERCE", "arrest", context=["illegal_drugs"]) == "ORG_CRIME"
    assert ontology.case2021_code("COERCE", "arrest") == "ARREST"


def test_no_work_at_import_and_cache():
    import importlib
    import sys

    sys.modules.pop("detente.ontology", None)
    mod = importlib.import_module("detente.ontology")
    assert mod._ont.cache_info().currsize == 0
    mod.type_info("AGREE")
    mod.type_info("ASSAULT")
    assert mod._ont.cache_info().misses == 1


def test_tables_are_consistent():
    types = {r["event_type"] for r in _csv("plover_types.csv")}
    for row in _csv("plover_modes.csv"):
        assert row["event_type"] in types and row["origin"] in {"plover", "detente"}
    for row in _csv("cameo_to_plover.csv"):
        assert row["cameo"].isdigit() and 2 <= len(row["cameo"]) <= 4
        if row["event_type"]:
            ontology.validate(row["event_type"], row["mode"] or None)
    for row in _csv("acled_map.csv"):
        for m in row["mode"].split("|") if row["mode"] else []:
            if m != "-":
                ontology.validate(row["event_type"], m)


def test_acled_conventions_follow_the_actors():
    from detente.ontology import acled_conventions

    out = acled_conventions(actor_sectors=["REB"], recipient_sectors=["CVL"])
    assert {"Government regains territory", "Armed clash", "Mob violence"} <= out
    assert "Non-state actor overtakes territory" not in out and "Attack" not in out
    out = acled_conventions(actor_sectors=["MIL", None], recipient_sectors=["REB"])
    assert "Non-state actor overtakes territory" in out and "Government regains territory" not in out
    assert "Attack" in out  # rebels are armed: violence against them is not violence against civilians
    # unknown sides rule nothing out, except through the mode
    assert acled_conventions(None) == frozenset()
    assert acled_conventions("riot") == frozenset({"Peaceful protest"})
    # protesters detained at their protest: ACLED's protest with intervention, not its "Arrests"
    assert "Arrests" in acled_conventions("arrest", actor_sectors=["COP"], recipient_sectors=["PRT"])
    assert "Arrests" not in acled_conventions("arrest", actor_sectors=["COP"], recipient_sectors=["OPP"])


def test_assembly_behaviour_is_read_from_the_type_table():
    # the columns the coder reads instead of per-module sets (docs/ontology.md)
    assert ontology.types_where("material") == {"ASSAULT", "COERCE"}
    assert ontology.types_where("speech_act") == {"AGREE", "SUPPORT", "REQUEST", "ACCUSE", "REJECT", "THREATEN"}
    assert ontology.type_info("ASSAULT").state_sector == "MIL" and ontology.type_info("COERCE").state_sector == "GOV"
    assert ontology.type_info("PROTEST").default_source_sector == "PRT"
    assert ontology.type_info("AGREE").default_source_sector is None
    assert ontology.type_info("SANCTION").threat_mode == "relations"
    for t in ontology.PLOVER_TYPES:
        info = ontology.type_info(t)
        assert info.of_role in (None, "source", "target")
        if info.threat_mode:
            assert ontology.quad_class(t) == 4 and info.threat_mode in ontology.modes("THREATEN")


def test_argument_roles_have_a_side():
    assert ontology.argument_side("Attacker") == "source" and ontology.argument_side("victim") == "target"
    assert ontology.argument_side("place") is None and ontology.argument_side("instrument") is None
    for row in _csv("argument_roles.csv"):
        assert row["side"] in ("source", "target") and row["role"] == row["role"].lower()
