"""Dyad series and top dyads against hand computations on the Pakistan–Iran story."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from _linkdata import story

from detente.analyze import SERIES_COLUMNS, dyad_chart, dyad_series, top_dyads
from detente.errors import DetenteError
from detente.link import link_events

# fixed intensities so the hand computation does not depend on the ontology's table
INTENSITY = {"ASSAULT": -9.0, "CONSULT": 2.0, "AGREE": 3.0}


@pytest.fixture()
def canon():
    evs = [e.model_copy(update={"intensity": INTENSITY[e.event_type]}) for e in story()]
    return link_events(evs).canonical


def test_daily_undirected(canon):
    s = dyad_series(canon, "PAK", "IRN", freq="D")
    assert list(s.columns) == SERIES_COLUMNS
    assert [d.day for d in s.index] == [16, 17, 18, 19]
    assert s["events"].tolist() == [1, 0, 1, 2]
    assert s["q4"].tolist() == [1, 0, 1, 0]
    assert s["q1"].tolist() == [0, 0, 0, 2]
    assert s["intensity"].tolist() == [-9, 0, -9, 5]
    assert s["conflict_intensity"].tolist() == [-9, 0, -9, 0]
    assert s["coop_intensity"].tolist() == [0, 0, 0, 5]
    assert s["killed"].tolist() == [2, 0, 9, 0]  # merged toll of the Iranian strike: best = min(2, 3)
    bal = s["balance"].tolist()
    assert bal[0] == -1 and math.isnan(bal[1]) and bal[2] == -1 and bal[3] == 1


def test_directed_and_weekly(canon):
    pak_irn = dyad_series(canon, "PAK", "IRN", directed=True)
    assert [d.day for d in pak_irn.index] == [18, 19]
    assert pak_irn["events"].tolist() == [1, 2]  # strike; call + joint agreement
    irn_pak = dyad_series(canon, "IRN", "PAK", directed=True)
    assert irn_pak.loc["2024-01-19", "events"] == 1  # only the joint agreement
    assert irn_pak["intensity"].sum() == -9 + 3
    w = dyad_series(canon, "PAK", "IRN", freq="W")
    assert list(w.index) == [pd.Timestamp("2024-01-15")]  # a Monday
    row = w.iloc[0]
    assert (row["events"], row["coop"], row["conflict"], row["killed"], row["intensity"]) == (4, 2, 2, 11, -13)
    assert row["balance"] == 0


def test_empty_and_bad_freq(canon):
    assert dyad_series(canon, "FRA", "MLI").empty
    with pytest.raises(DetenteError, match="E704"):
        dyad_series(canon, "PAK", "IRN", freq="M")
    with pytest.raises(DetenteError, match="E705"):
        dyad_series(canon, "PAKISTAN", "IRN")


def test_top_dyads(canon):
    top = top_dyads(canon, n=5)
    assert list(zip(top["a"], top["b"], top["events"])) == [("IRN", "PAK", 4), ("RUS", "UKR", 1)]
    assert top.iloc[0]["killed"] == 11 and top.iloc[0]["conflict"] == 2
    assert len(top_dyads(canon, n=1)) == 1


def test_chart_files(canon, tmp_path):
    s = dyad_series(canon, "PAK", "IRN")
    png, page = dyad_chart(s, tmp_path / "charts" / "pak-irn.png", title="PAK–IRN")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    text = page.read_text()
    assert "<svg" in text and "PAK–IRN" in text
    assert "http://" not in text.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "<script" not in text and 'src="' not in text  # self-contained
