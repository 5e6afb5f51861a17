"""Dyad analytics and alerts: series per country pair, escalation / tit-for-tat / de-escalation, watch rules."""

from .alerts import KINDS, Alert, de_escalation_alerts, escalation_alerts, tit_for_tat_alerts
from .charts import dyad_chart
from .series import SERIES_COLUMNS, dyad_frame, dyad_series, top_dyads
from .watch import WatchRules, WatchState, load_rules, parse_rules, post_alerts, run_rules, watch

__all__ = [
    "KINDS",
    "SERIES_COLUMNS",
    "Alert",
    "WatchRules",
    "WatchState",
    "de_escalation_alerts",
    "dyad_chart",
    "dyad_frame",
    "dyad_series",
    "escalation_alerts",
    "load_rules",
    "parse_rules",
    "post_alerts",
    "run_rules",
    "tit_for_tat_alerts",
    "top_dyads",
    "watch",
]
