"""Escalation, tit-for-tat and de-escalation alerts on the Pakistan–Iran story."""

from __future__ import annotations

import datetime as dt

from _linkdata import mk, story

from detente.analyze import de_escalation_alerts, escalation_alerts, tit_for_tat_alerts
from detente.link import link_events


def _canon():
    evs = [e.model_copy(update={"intensity": -9.0}) if e.event_type == "ASSAULT" else e for e in story()]
    canon = link_events(evs).canonical
    iran = next(c for c in canon if c.event_type == "ASSAULT" and c.actor[0].country == "IRN")
    pak = next(c for c in canon if c.event_type == "ASSAULT" and c.actor[0].country == "PAK")
    return canon, iran, pak


def test_tit_for_tat():
    canon, iran, pak = _canon()
    (al,) = tit_for_tat_alerts(canon)
    assert al.kind == "tit_for_tat" and al.dyad == ("PAK", "IRN") and al.date == dt.date(2024, 1, 18)
    assert al.event_ids == [iran.id, pak.id]
    assert "2 day(s)" in al.message


def test_de_escalation_after_strikes():
    canon, _, pak = _canon()
    (al,) = de_escalation_alerts(canon)
    assert al.kind == "de_escalation" and al.dyad == ("IRN", "PAK") and al.date == dt.date(2024, 1, 19)
    assert pak.id in al.event_ids
    coop = {c.id for c in canon if c.event_type in ("CONSULT", "AGREE")}
    assert coop <= set(al.event_ids)
    assert de_escalation_alerts(canon, types=["AID"]) == []
    assert de_escalation_alerts(canon, after_days=0) == []  # the talks came a day later


def test_escalation_cusum_first_strike():
    canon, iran, _ = _canon()
    alerts = [a for a in escalation_alerts(canon) if a.dyad == ("IRN", "PAK")]
    # day 16: baseline all zeros -> mu 0, sigma floored at 1: S = (9 - 0) / 1 - 0.5 = 8.5 >= 5
    assert alerts[0].date == dt.date(2024, 1, 16) and alerts[0].score == 8.5
    assert alerts[0].event_ids == [iran.id]
    thr = [a.date.day for a in escalation_alerts(canon, method="threshold", threshold=9) if a.dyad == ("IRN", "PAK")]
    assert thr == [16, 18]
    assert escalation_alerts(canon, method="threshold", threshold=9.5) == []


def test_cusum_quiet_series_does_not_fire_on_routine_level():
    # one low-level clash every day for 40 days: after the first alert the baseline absorbs the routine
    evs = [mk(f"a{d}", "ASSAULT", [("IND", None)], [("PAK", None)], d, text=f"shelling {d}", intensity=-3.0)
           for d in range(1, 29)]
    alerts = escalation_alerts(evs, baseline_days=7)
    assert len(alerts) == 1 and alerts[0].date.day <= 3
    big = mk("big", "ASSAULT", [("IND", None)], [("PAK", None)], 29, text="air strike", intensity=-30.0)
    later = [a for a in escalation_alerts(evs + [big], baseline_days=7) if a.date.day > 3]
    assert [a.date.day for a in later] == [29]
    assert big.id in later[0].event_ids


def test_alert_ids_are_deterministic():
    canon, _, _ = _canon()
    a1 = [a.id for a in tit_for_tat_alerts(canon) + de_escalation_alerts(canon)]
    a2 = [a.id for a in tit_for_tat_alerts(list(reversed(canon))) + de_escalation_alerts(list(reversed(canon)))]
    assert a1 == a2 and len(set(a1)) == 2
