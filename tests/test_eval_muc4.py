"""muc4: template building, matching and per-slot scoring on hand-made gold."""

from __future__ import annotations

import datetime as dt

from detente.evaluate import muc4
from detente.evaluate.replay import ReplayCoder


def gold_event(etype, *, perp=(), orgs=(), humans=(), phys=(), loc="EL SALVADOR: SAN SALVADOR (CITY)",
               on="1990-02-02", deaths=None, death_effect=False):
    return {
        "event_type": etype,
        "date": {"on": on, "raw": "x"} if on else {"from": None, "to": "1990-02-04", "raw": "- 04 FEB 90"},
        "location": {"raw": loc, "alternatives": [loc], "country": loc.split(":")[0], "optional": False},
        "source": {"individuals": [list(p) for p in perp], "organizations": [list(o) for o in orgs]},
        "target": {"human_names": [list(h) for h in humans], "human_descriptions": [], "physical_ids":
                   [list(p) for p in phys],
                   "human_effects": [{"key": "DEATH", "refs": [], "optional": False}] if death_effect else []},
        "fatalities_derived": deaths,
    }


DOC = {
    "id": "d1", "text": "SAN SALVADOR, 3 FEB 90 -- GUERRILLAS KILLED TWO SOLDIERS. A BOMB DAMAGED A BANK.",
    "doc_date": "1990-02-03",
    "events": [
        gold_event("ATTACK", perp=[["GUERRILLAS"]], orgs=[["FARABUNDO MARTI NATIONAL LIBERATION FRONT", "FMLN"]],
                   humans=[["SOLDIERS"]], deaths=2, death_effect=True),
        gold_event("BOMBING", phys=[["BANK"]], on=None),
    ],
}
IRRELEVANT = {"id": "d2", "text": "THE PRESIDENT SPOKE.", "doc_date": "1990-02-03", "events": []}


def test_gold_template_fills():
    g = muc4.gold_template(DOC["events"][0])
    assert g["perpetrator"] == [["GUERRILLAS"], ["FARABUNDO MARTI NATIONAL LIBERATION FRONT", "FMLN"]]
    assert g["deaths"] == 2 and not g["deaths_unknown"]
    assert g["date"] == (dt.date(1990, 2, 2),) * 3
    g2 = muc4.gold_template(DOC["events"][1])
    assert g2["date"] == (None, None, dt.date(1990, 2, 4))
    assert g2["deaths"] == 0


def test_type_mapping_from_data_file():
    assert muc4.muc_type("ASSAULT", "explosives") == "BOMBING"
    assert muc4.muc_type("ASSAULT", "abduct") == "KIDNAPPING"
    assert muc4.muc_type("ASSAULT", "beat") == "ATTACK"
    assert muc4.muc_type("CONSULT", "phone") is None


def test_muc4_end_to_end_hand_counts():
    coder = ReplayCoder(events={
        DOC["text"]: [
            {"event_type": "ASSAULT", "mode": "firearms", "confidence": 0.9,
             "actor": [{"text": "guerrillas"}], "recipient": [{"text": "two soldiers"}],
             "location": {"name": "San Salvador", "country": "SLV"}, "date": "1990-02-02",
             "toll": {"killed": {"best": 2}}},
            # bombing on 3 Feb: inside the gold range "- 04 FEB 90"; no target resolved
            {"event_type": "ASSAULT", "mode": "explosives", "confidence": 0.8, "date": "1990-02-03"},
            {"event_type": "CONSULT", "confidence": 0.9},  # not a MUC incident
        ],
        IRRELEVANT["text"]: [{"event_type": "ASSAULT", "mode": "abduct", "confidence": 0.5}],
    })
    r = muc4.run([DOC, IRRELEVANT], coder=coder)
    assert r["n"] == 2
    assert r["templates"] == {"gold": 2, "predicted": 3, "matched": 2}
    assert r["type_acc"] == 1.0
    slots = r["details"]["per_slot"]
    # type: 2 right, 1 spurious (the kidnapping in the irrelevant doc)
    assert (slots["type"]["tp"], slots["type"]["fp"], slots["type"]["fn"]) == (2, 1, 0)
    # perpetrator: guerrillas matched; FMLN missed
    assert (slots["perpetrator"]["tp"], slots["perpetrator"]["fp"], slots["perpetrator"]["fn"]) == (1, 0, 1)
    # target: soldiers matched; bank missed
    assert (slots["target"]["tp"], slots["target"]["fn"]) == (1, 1)
    # location: the attack's matched; the bombing had none predicted
    assert (slots["location"]["tp"], slots["location"]["fp"], slots["location"]["fn"]) == (1, 0, 1)
    assert (slots["date"]["tp"], slots["date"]["fp"], slots["date"]["fn"]) == (2, 0, 0)
    assert (slots["deaths"]["tp"], slots["deaths"]["fp"], slots["deaths"]["fn"]) == (1, 0, 0)
    assert r["details"]["relevance"] == {"precision": 0.5, "recall": 1.0, "f1": 0.6667}
    kinds = {x.get("kind") for x in r["examples"]}
    assert "spurious template" in kinds


def test_wrong_death_count_is_fp_and_fn_and_unknown_count_not_scored():
    p = {"type": "ATTACK", "deaths": 3}
    g = muc4.gold_template(gold_event("ATTACK", deaths=2, death_effect=True))
    c = muc4.slot_counts(p, g)
    assert (c["deaths"]["tp"], c["deaths"]["fp"], c["deaths"]["fn"]) == (0, 1, 1)
    g_unknown = muc4.gold_template(gold_event("ATTACK", deaths=None, death_effect=True))
    assert sum(muc4.slot_counts(p, g_unknown)["deaths"].values()) == 0


def test_events_of_one_incident_merge_into_one_template():
    from detente.schema import Evidence, Event

    def mk(text):
        return Event(article_id="a", event_type="ASSAULT", actor=[{"text": text}], date=dt.date(1990, 1, 1),
                     evidence=Evidence(text=text, start=0, end=1))

    tpls = muc4.predicted_templates([mk("FMLN"), mk("guerrillas")])
    assert len(tpls) == 1 and tpls[0]["perpetrator"] == [["FMLN"], ["guerrillas"]]
