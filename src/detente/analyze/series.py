"""Dyad series: what two countries did to each other, day by day or week by week.

Dyads come from :func:`detente.link.features.directed_dyads`: (actor country, target country), where the target
is the recipient's country, or the event's place when the recipient is on the actor's own side (a strike by Iran on
Iranian militants inside Pakistan counts as IRN→PAK). Joint actions of several actor countries (``PAK``+``IRN``
AGREE) count for the pair in both directions.

Columns of a series (one row per day, or per week starting Monday; empty periods are zero-filled):

``events`` number of events; ``q1``…``q4`` counts by quad class; ``coop`` = q1 + q2; ``conflict`` = q3 + q4;
``intensity`` sum of PLOVER intensities (conflict negative, a Goldstein-like net score); ``conflict_intensity`` sum
of the negative ones; ``coop_intensity`` sum of the positive ones; ``killed`` sum of fatality bests;
``balance`` = (coop − conflict) / (coop + conflict) in [−1, 1] (NaN when no coop or conflict event).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..errors import DetenteError
from ..link import features as F
from ..schema import Event

SERIES_COLUMNS = [
    "events", "q1", "q2", "q3", "q4", "coop", "conflict",
    "intensity", "conflict_intensity", "coop_intensity", "killed", "balance",
]
FREQS = ("D", "W")


def country_code(value: str) -> str:
    """Normalise and check a country code (3 letters).

    >>> country_code("pak")
    'PAK'
    """
    v = value.strip().upper()
    if len(v) != 3 or not v.isalpha():
        raise DetenteError("E705", value=value)
    return v


def dyad_frame(events: Sequence[Event], *, directed: bool = True) -> pd.DataFrame:
    """One row per (event, dyad): ``a``, ``b``, ``date``, ``event_id``, ``event_type``, ``quad``, ``intensity``,
    ``killed``. Undirected rows have ``a < b`` and count each event once per pair. Undated events are left out."""
    rows = []
    for e in events:
        if e.date is None:
            continue
        pairs = F.directed_dyads(e) if directed else F.undirected_dyads(e)
        if not pairs:
            continue
        killed = e.toll.killed.best if e.toll and e.toll.killed and e.toll.killed.best is not None else 0
        q, inten = F.quad_of(e), F.intensity_of(e)
        for a, b in pairs:
            rows.append((a, b, e.date, e.id, e.event_type, q, inten, killed))
    cols = ["a", "b", "date", "event_id", "event_type", "quad", "intensity", "killed"]
    df = pd.DataFrame(rows, columns=cols)
    df["date"] = pd.to_datetime(df["date"])
    return df


def _period(dates: pd.Series, freq: str) -> pd.Series:
    if freq == "D":
        return dates.dt.normalize()
    return (dates - pd.to_timedelta(dates.dt.day_of_week, unit="D")).dt.normalize()


def _aggregate(df: pd.DataFrame, freq: str) -> pd.DataFrame:
    df = df.assign(period=_period(df["date"], freq))
    for q in (1, 2, 3, 4):
        df[f"q{q}"] = (df["quad"] == q).astype(int)
    df["conflict_intensity"] = df["intensity"].clip(upper=0)
    df["coop_intensity"] = df["intensity"].clip(lower=0)
    g = df.groupby("period")
    out = pd.DataFrame({
        "events": g.size(),
        "q1": g["q1"].sum(), "q2": g["q2"].sum(), "q3": g["q3"].sum(), "q4": g["q4"].sum(),
        "intensity": g["intensity"].sum(),
        "conflict_intensity": g["conflict_intensity"].sum(),
        "coop_intensity": g["coop_intensity"].sum(),
        "killed": g["killed"].sum(),
    })
    return out


def dyad_series(
    events: Sequence[Event],
    a: str,
    b: str,
    freq: str = "D",
    directed: bool = False,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> pd.DataFrame:
    """The daily (``freq="D"``) or weekly (``"W"``, weeks start on Monday) series of a dyad.

    Parameters
    ----------
    events : sequence of Event
        Preferably canonical (deduplicated) events.
    a, b : str
        Country codes; with ``directed=True`` only events by ``a`` against ``b`` count.
    start, end : date, optional
        Range of the index (default: first to last event of the dyad).

    Returns
    -------
    pandas.DataFrame indexed by period start (``DatetimeIndex`` named ``date``), columns ``SERIES_COLUMNS``.

    Examples
    --------
    >>> import datetime as dt
    >>> from detente.schema import Event, Evidence, Entity
    >>> mk = lambda t, a, b, d: Event(article_id="x", event_type=t, date=dt.date(2024, 1, d),
    ...     actor=[Entity(text=a, country=a)], recipient=[Entity(text=b, country=b)],
    ...     evidence=Evidence(text=t, start=0, end=1))
    >>> s = dyad_series([mk("ASSAULT", "IRN", "PAK", 16), mk("CONSULT", "PAK", "IRN", 18)], "PAK", "IRN")
    >>> s[["events", "coop", "conflict"]].sum().tolist(), len(s)
    ([2, 1, 1], 3)
    """
    freq = freq.upper()
    if freq not in FREQS:
        raise DetenteError("E704", freq=freq)
    a, b = country_code(a), country_code(b)
    df = dyad_frame(events, directed=directed)
    if directed:
        df = df[(df["a"] == a) & (df["b"] == b)]
    else:
        lo, hi = sorted((a, b))
        df = df[(df["a"] == lo) & (df["b"] == hi)]
    if df.empty and (start is None or end is None):
        out = pd.DataFrame(columns=SERIES_COLUMNS, index=pd.DatetimeIndex([], name="date"))
        return out.astype(float)
    agg = _aggregate(df, freq) if not df.empty else None
    first = pd.Timestamp(start) if start else agg.index.min()  # type: ignore[union-attr]
    last = pd.Timestamp(end) if end else agg.index.max()  # type: ignore[union-attr]
    if freq == "W":
        first = first - pd.Timedelta(days=first.weekday())
    index = pd.date_range(first, last, freq="D" if freq == "D" else "W-MON", name="date")
    if agg is None:
        agg = pd.DataFrame(columns=[c for c in SERIES_COLUMNS if c not in ("coop", "conflict", "balance")])
    out = agg.reindex(index, fill_value=0)
    int_cols = ["events", "q1", "q2", "q3", "q4", "killed"]
    out[int_cols] = out[int_cols].astype(int)
    out["coop"] = out["q1"] + out["q2"]
    out["conflict"] = out["q3"] + out["q4"]
    denom = (out["coop"] + out["conflict"]).replace(0, np.nan)
    out["balance"] = (out["coop"] - out["conflict"]) / denom
    return out[SERIES_COLUMNS]


def top_dyads(
    events: Sequence[Event],
    n: int = 20,
    *,
    directed: bool = False,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> pd.DataFrame:
    """The ``n`` dyads with most events: columns ``a``, ``b``, ``events``, ``coop``, ``conflict``, ``intensity``,
    ``killed``, ``balance``, ``first``, ``last`` (sorted by events, then conflict, then codes)."""
    df = dyad_frame(events, directed=directed)
    if since is not None:
        df = df[df["date"] >= pd.Timestamp(since)]
    if until is not None:
        df = df[df["date"] <= pd.Timestamp(until)]
    cols = ["a", "b", "events", "coop", "conflict", "intensity", "killed", "balance", "first", "last"]
    if df.empty:
        return pd.DataFrame(columns=cols)
    df = df.assign(coop=df["quad"].isin([1, 2]).astype(int), conflict=df["quad"].isin([3, 4]).astype(int))
    g = df.groupby(["a", "b"])
    out = pd.DataFrame({
        "events": g.size(),
        "coop": g["coop"].sum(),
        "conflict": g["conflict"].sum(),
        "intensity": g["intensity"].sum(),
        "killed": g["killed"].sum(),
        "first": g["date"].min().dt.date,
        "last": g["date"].max().dt.date,
    }).reset_index()
    denom = (out["coop"] + out["conflict"]).replace(0, np.nan)
    out["balance"] = (out["coop"] - out["conflict"]) / denom
    out = out.sort_values(["events", "conflict", "a", "b"], ascending=[False, False, True, True]).head(n)
    return out[cols].reset_index(drop=True)
