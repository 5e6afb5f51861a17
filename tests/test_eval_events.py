"""plover / acled / cameo-quad scoring with a replay coder and tiny hand-made gold."""

from __future__ import annotations

import pytest

from detente.errors import DetenteError
from detente.evaluate import events as ev
from detente.evaluate.replay import ReplayCoder


def plover_rec(i, text, etype, src, tgt, **extra):
    return {"id": f"p{i}", "dataset": "toy", "text": text, "doc_date": None, "event_type": etype,
            "source": [{"text": "x", "code": c} for c in src], "target": [{"text": "y", "code": c} for c in tgt],
            "gold_extra": {"mode": None, "context": None, "reciprocal_source_target": False, **extra}}


def E(etype, conf=0.5, actor=(), recipient=(), **kw):
    return {"event_type": etype, "confidence": conf, "actor": [{"text": c, "country": c} for c in actor],
            "recipient": [{"text": c, "country": c} for c in recipient], **kw}


PLOVER_GOLD = [
    plover_rec(1, "Iran struck Pakistan.", "ASSAULT", ["IRN"], ["PAK"], mode="heavy-weapons", context="military"),
    plover_rec(2, "Pakistan and Iran agreed.", "AGREE", ["PAK", "IRN"], [], reciprocal_source_target=True),
    plover_rec(3, "The US urged restraint.", "REQUEST", ["USA"], ["PAK"]),
    plover_rec(4, "Nothing coded here.", "ACCUSE", ["USA"], ["IRN"]),
]


def test_plover_scores_against_hand_computation():
    coder = ReplayCoder(events={
        # top event by confidence is the ASSAULT; a lower THREATEN is ignored for the label
        "Iran struck Pakistan.": [E("THREATEN", 0.4), E("ASSAULT", 0.9, ["IRN"], ["PAK"], mode="heavy-weapons",
                                                       context=["military"])],
        # reciprocal: PAK as actor, IRN as recipient still covers the gold source set
        "Pakistan and Iran agreed.": [E("AGREE", 0.8, ["PAK"], ["IRN"])],
        # wrong type, right actors
        "The US urged restraint.": [E("ACCUSE", 0.7, ["USA"], ["IRN"]), E("REQUEST", 0.3, ["USA"], ["PAK"])],
        # negated events do not count
        "Nothing coded here.": [E("ACCUSE", 0.9, ["USA"], ["IRN"], modality="negated")],
    })
    r = ev.run(PLOVER_GOLD, task="plover", coder=coder)
    assert r["n"] == 4
    assert r["accuracy"] == 0.5  # ASSAULT and AGREE right
    assert r["any_match"] == 0.75  # REQUEST is among record 3's types
    assert r["no_event_rate"] == 0.25
    # source: gold codes on all 4; hits on 1, 2, 3 (record 4 has no usable event)
    assert r["source_country_acc"] == 0.75
    # target: gold on 1, 3, 4; hit on 1 only (record 3's top event targets IRN)
    assert r["target_country_acc"] == pytest.approx(1 / 3, abs=1e-4)
    assert r["mode_acc"] == 1.0 and r["context_acc"] == 1.0
    # per class: ACCUSE predicted once (wrong) and gold once (missed) -> F1 0
    per = r["details"]["type"]["per_class"]
    assert per["ACCUSE"]["f1"] == 0.0 and per["ASSAULT"]["f1"] == 1.0
    assert r["macro_f1"] == pytest.approx((0 + 1 + 1 + 0) / 4, abs=1e-4)
    assert {x["id"] for x in r["examples"]} == {"p3", "p4"}


def test_plover_mode_mapped_from_gsr_names():
    gold = [plover_rec(1, "Hunger strike began.", "PROTEST", ["IND"], [], mode="strike-hun")]
    coder = ReplayCoder(events={"Hunger strike began.": [E("PROTEST", 0.9, ["IND"], mode="hunger")]})
    assert ev.run(gold, task="plover", coder=coder)["mode_acc"] == 1.0


def test_plover_leaves_out_trained_ids_and_applies_limit():
    coder = ReplayCoder(events={})
    coder.trained_ids = frozenset({"p1", "p2"})
    r = ev.run(PLOVER_GOLD, task="plover", coder=coder, limit=1)
    assert r["n"] == 1 and r["excluded_trained"] == 2
    assert "held-out part" in r["training_note"]
    r2 = ev.run(PLOVER_GOLD, task="plover", coder=coder, include_trained=True)
    assert r2["n"] == 4 and r2["excluded_trained"] == 0


def test_coder_failure_costs_one_record():
    coder = ReplayCoder(events={"Iran struck Pakistan.": [E("ASSAULT", 0.9, ["IRN"], ["PAK"])]},
                        fail_on={"The US urged restraint."})
    r = ev.run(PLOVER_GOLD, task="plover", coder=coder)
    assert r["n"] == 4 and r["coder_errors"] == 1
    assert "E804" in r["problems"]["coder_errors"][0]["error"]


def test_record_without_text_is_skipped():
    recs = PLOVER_GOLD[:1] + [{**PLOVER_GOLD[1], "text": "  "}]
    r = ev.run(recs, task="plover", coder=ReplayCoder(events={}))
    assert r["n"] == 1 and r["skipped"] == 1


def acled_rec(i, text, code, label_set="ACLED"):
    return {"id": f"a{i}", "text": text, "event_type": code, "gold_extra": {"label_set": label_set}}


def test_acled_with_stub_mapper():
    def mapper(event_type, mode, actor_sectors, recipient_sectors):
        if event_type == "ASSAULT":
            return "AIR_STRIKE" if mode == "aerial" else "ARMED_CLASH"
        if event_type == "PROTEST":
            return "PEACE_PROTEST"
        return None  # e.g. CONSULT has no ACLED class

    gold = [acled_rec(1, "Jets bombed a town.", "AIR_STRIKE"), acled_rec(2, "Troops fought rebels.", "ARMED_CLASH"),
            acled_rec(3, "Crowds marched.", "PEACE_PROTEST"), acled_rec(4, "Ministers met.", "DIPLO", "unseen")]
    coder = ReplayCoder(events={
        "Jets bombed a town.": [E("ASSAULT", 0.9, mode="aerial")],
        # the top event (CONSULT) has no CASE code: the next event that maps is used
        "Troops fought rebels.": [E("CONSULT", 0.9), E("ASSAULT", 0.5, mode="firearms")],
        "Crowds marched.": [E("ASSAULT", 0.6, mode="firearms")],
        "Ministers met.": [E("CONSULT", 0.9)],
    })
    r = ev.run(gold, task="acled", coder=coder, case_mapper=mapper)
    assert r["accuracy"] == 0.5
    assert r["details"]["type"]["confusion"]["PEACE_PROTEST"] == {"ARMED_CLASH": 1}
    assert r["details"]["type"]["confusion"]["DIPLO"] == {"NONE": 1}
    # ARMED_CLASH: tp 1, fp 1 -> F1 2/3; AIR_STRIKE 1; others 0; weighted = mean over 4 singletons
    assert r["weighted_f1"] == pytest.approx((1 + 2 / 3) / 4, abs=1e-4)
    assert r["details"]["seen"]["n"] == 3
    assert r["details"]["seen"]["accuracy"] == pytest.approx(2 / 3, abs=1e-4)
    assert r["mapping"] == "case_mapper option"


def test_acled_default_mapper_is_the_ontology():
    pytest.importorskip("detente.ontology")
    gold = [acled_rec(1, "A suicide bomber struck.", "SUIC_BOMB")]
    coder = ReplayCoder(events={"A suicide bomber struck.": [E("ASSAULT", 0.9, mode="suicide-attack")]})
    r = ev.run(gold, task="acled", coder=coder)
    assert r["accuracy"] == 1.0 and "ontology" in r["mapping"]


def test_cameo_quad_conflibert_style():
    gold = [
        {"id": "c1", "text": "Troops attacked.", "event_type": "Material Conflict"},
        {"id": "c2", "text": "They praised the deal.", "event_type": "Verbal Cooperation"},
        {"id": "c3", "text": "He said hello.", "event_type": "Make a Statement"},
    ]
    coder = ReplayCoder(events={
        "Troops attacked.": [E("ASSAULT", 0.9, quad_class=4)],
        # no quad_class: falls back to the CAMEO code's quad
        "They praised the deal.": [E("SUPPORT", 0.9, cameo_code="051")],
    })
    r = ev.run(gold, task="cameo-quad", coder=coder)
    # statement counted as Verbal Cooperation by default -> missed (no event)
    assert r["n"] == 3 and r["accuracy"] == pytest.approx(2 / 3, abs=1e-4)
    r_none = ev.run(gold, task="cameo-quad", coder=coder, statement="none")
    assert r_none["accuracy"] == 1.0
    r_ex = ev.run(gold, task="cameo-quad", coder=coder, statement="exclude")
    assert r_ex["n"] == 2 and r_ex["details"]["skipped_unscorable"] == 1
    with pytest.raises(DetenteError):
        ev.run(gold, task="cameo-quad", coder=coder, statement="bogus")


def test_cameo_quad_petrarch_style_multi_event_and_roots():
    gold = [
        {"id": "u1", "text": "A met B and B attacked C.", "events": [
            {"event_code": "040", "is_standard_cameo": True}, {"event_code": "190", "is_standard_cameo": True}]},
        {"id": "u2", "text": "Nothing.", "events": [], "gold_extra": {"no_events_expected": True}},
        {"id": "u3", "text": "Odd code.", "events": [{"event_code": "904", "is_standard_cameo": False}]},
        {"id": "u4", "text": "A threatened B.", "event_code": "138"},
    ]
    coder = ReplayCoder(events={
        "A met B and B attacked C.": [E("ASSAULT", 0.9, quad_class=4, cameo_code="193")],
        "Nothing.": [],
        "A threatened B.": [E("ASSAULT", 0.9, quad_class=4, cameo_code="190")],
    })
    r = ev.run(gold, task="cameo-quad", coder=coder, from_cameo=lambda c: ("ASSAULT", None) if c.startswith("19")
               else ("THREATEN", None) if c.startswith("13") else ("CONSULT", None))
    assert r["n"] == 3  # u3 has only a non-standard code
    assert r["accuracy"] == pytest.approx(2 / 3, abs=1e-4)  # u1 (any gold quad) and u2 (NONE) right
    assert r["details"]["multi_quad_records"] == 1
    assert r["cameo_root_acc"] == 0.5  # u1 root 19 among {04, 19}; u4 19 != 13
    assert r["plover_from_cameo_acc"] == 0.5


def test_unknown_task_and_empty_gold():
    with pytest.raises(DetenteError) as exc:
        ev.run(PLOVER_GOLD, task="nope", coder=ReplayCoder())
    assert exc.value.code == "E800"
    with pytest.raises(DetenteError) as exc:
        ev.run([{"id": "x", "text": "t"}], task="plover", coder=ReplayCoder())
    assert exc.value.code == "E808"


def test_cameo_root_helper():
    assert ev.cameo_root("0231") == "02"
    assert ev.cameo_root("212") is None
    assert ev.quad_of_code("173") == "Material Conflict"


def test_gold_standard_context_labels_map_to_plover_2_contexts():
    from detente import ontology
    from detente.evaluate.events import _context_table

    table = _context_table()
    assert "migration" in table["refugee"] and "natural_resource" in table["resource"]
    for accepted in table.values():  # every target is a PLOVER 2.0 context
        ontology.validate("ASSAULT", None, accepted)


def test_acled_falls_back_on_incidents():
    def mapper(event_type, mode, actor_sectors, recipient_sectors):
        return "ARMED_CLASH" if event_type == "ASSAULT" else None

    gold = [acled_rec(1, "A volcano erupted.", "NATURAL_DISASTER", "unseen"),
            acled_rec(2, "Troops sent to the flood fought rebels.", "ARMED_CLASH"),
            acled_rec(3, "A tanker leaked oil.", "MAN_MADE_DISASTER", "unseen"),
            acled_rec(4, "Ministers met.", "DIPLO", "unseen")]
    coder = ReplayCoder(
        events={"Troops sent to the flood fought rebels.": [E("MOBILIZE", 0.9), E("ASSAULT", 0.5)],
                "A tanker leaked oil.": [E("CONSULT", 0.9)]},
        incidents={"A volcano erupted.": [{"kind": "natural_disaster", "hazard": "volcano"}],
                   # an event that maps wins over the incident
                   "Troops sent to the flood fought rebels.": [{"kind": "natural_disaster", "hazard": "flood"}],
                   # an event that does not map (CONSULT) leaves the record to its incident
                   "A tanker leaked oil.": [{"kind": "man_made_disaster", "hazard": "leaked"}]})
    r = ev.run(gold, task="acled", coder=coder, case_mapper=mapper)
    assert r["accuracy"] == 0.75
    assert r["details"]["type"]["confusion"]["DIPLO"] == {"NONE": 1}
    # without the incidents the two disasters are misses
    r = ev.run(gold, task="acled", coder=ReplayCoder(events=coder.events), case_mapper=mapper)
    assert r["accuracy"] == 0.25


def test_attribution_reads_responsibility_claims_and_accusations():
    from detente.schema import Entity, Event, Evidence

    def event(text, etype, mode=None, modality="asserted", actor=None, claimant=None):
        return Event(article_id="a", event_type=etype, mode=mode, modality=modality,
                     actor=[Entity(text=actor)] if actor else [],
                     claimant=Entity(text=claimant) if claimant else None,
                     evidence=Evidence(text=text, start=0, end=len(text)))

    claim = "Islamic State claimed responsibility for a car bomb that killed eight people."
    assert ev.attribution(event(claim, "ASSAULT", modality="claimed", actor="Islamic State",
                                claimant="Islamic State")) == "ATTRIB"
    # a third party blaming someone in a report of the attack: the attack is what CASE labels
    report = "Three suicide bombers killed 19 people, militia leaders said, in an attack blamed on Boko Haram."
    assert ev.attribution(event(report, "ASSAULT", modality="claimed", actor="Three suicide bombers",
                                claimant="militia leaders")) is None
    # a claim without responsibility words ("Iran said its forces struck") is the strike
    assert ev.attribution(event("Iran said its forces struck militant bases.", "ASSAULT", modality="claimed",
                                actor="Iran", claimant="Iran")) is None
    # accusations: of responsibility -> ATTRIB; of a wrongdoing -> "" (score the wrongdoing instead)
    assert ev.attribution(event("The minister said Iran is responsible for the Aramco attacks.", "ACCUSE",
                                "allege")) == "ATTRIB"
    assert ev.attribution(event("Rights groups accused the army of widespread rape.", "ACCUSE", "allege")) == ""
    assert ev.attribution(event("Troops fought rebels.", "ASSAULT", "firearms")) is None


def test_acled_accusation_without_responsibility_falls_to_the_wrongdoing():
    gold = [acled_rec(1, "HRW accused the forces of rape.", "SEX_VIOL")]
    coder = ReplayCoder(events={"HRW accused the forces of rape.": [
        E("ACCUSE", 0.9, mode="allege"), E("ASSAULT", 0.5, mode="sexual")]})
    assert ev.run(gold, task="acled", coder=coder)["accuracy"] == 1.0


def test_acled_reads_unattributed_events_last():
    def mapper(event_type, mode, actor_sectors, recipient_sectors):
        return {"ASSAULT": "PROPERTY_DISTRUCT", "PROTEST": "PEACE_PROTEST"}.get(event_type)

    gold = [acled_rec(1, "Shops were looted.", "PROPERTY_DISTRUCT"),
            acled_rec(2, "A flood hit; shops were looted.", "NATURAL_DISASTER", "unseen"),
            acled_rec(3, "Crowds marched; shops were looted.", "PEACE_PROTEST")]
    coder = ReplayCoder(
        events={"Shops were looted.": [E("ASSAULT", 0.0)],
                "A flood hit; shops were looted.": [E("ASSAULT", 0.0)],
                "Crowds marched; shops were looted.": [E("ASSAULT", 0.0), E("PROTEST", 0.2)]},
        incidents={"A flood hit; shops were looted.": [{"kind": "natural_disaster", "hazard": "flood"}]})
    r = ev.run(gold, task="acled", coder=coder, case_mapper=mapper)
    assert r["accuracy"] == 1.0  # an event nobody did comes after the incident and after any attributed event


def test_acled_task_asks_the_default_coder_for_unattributed_events(monkeypatch):
    from detente.evaluate import common

    asked = []

    def fake_get_coder(coder=None, **settings):
        asked.append(settings)
        return ReplayCoder(events={})

    monkeypatch.setattr(common, "get_coder", fake_get_coder)
    ev.run([acled_rec(1, "Shops were looted.", "PROPERTY_DISTRUCT")], task="acled")
    ev.run(PLOVER_GOLD[:1], task="plover")
    assert asked == [{"min_confidence": 0.0, "keep_actorless": True}, {"min_confidence": 0.0}]  # no output cut


def test_acled_task_reconfigures_a_shared_coder():
    class Config:
        keep_actorless = False
        min_confidence = 0.5

    class Shared(ReplayCoder):
        config = Config()

        def with_config(self, **overrides):
            clone = ReplayCoder(events={"Shops were looted.": [E("ASSAULT", 0.0)]})
            clone.overrides = overrides
            self.clones.append(clone)
            return clone

    shared = Shared(events={})
    shared.clones = []
    r = ev.run([acled_rec(1, "Shops were looted.", "PROPERTY_DISTRUCT")], task="acled", coder=shared,
               case_mapper=lambda *a: "PROPERTY_DISTRUCT")
    assert [c.overrides for c in shared.clones] == [{"min_confidence": 0.0, "keep_actorless": True}]
    assert r["accuracy"] == 1.0
