"""scripts/build_actor_kb.py: the CAMEO dictionary conversion, on a snippet written for the test."""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from collections import Counter
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "build_actor_kb.py"


@pytest.fixture(scope="module")
def build():
    spec = importlib.util.spec_from_file_location("build_actor_kb", SCRIPT)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look their module up
    try:
        spec.loader.exec_module(mod)
        yield mod
    finally:
        sys.modules.pop(spec.name, None)


SNIPPET = """
# a comment
RURITANIA_  [RUR]
+STRELSAU_

RUDOLF_ELPHBERG_  # CountryInfo.txt
+KING_RUDOLF_
+ELPHBERG
\t[RURELI 500101-941231]
\t[RURGOV 950101-051231]
\t[RURGOVMIL >060101]
\t[RURELI]
OSCAR_ARIAS_SANCHEZ_  # CountryInfo.txt
\t[CRIGOV 860508-900508]
NATIONAL_INSTITUTIONS_THING_
+SENATE_
\t[RURLEG]
"""


def test_parse_keeps_people_not_places_or_institutions(build) -> None:
    entries = build.parse(SNIPPET)
    assert [e.name for e in entries] == ["RUDOLF_ELPHBERG_", "OSCAR_ARIAS_SANCHEZ_"]
    rudolf = entries[0]
    assert rudolf.aliases == ["KING_RUDOLF_", "ELPHBERG"]
    assert ("RUR", "GOV", dt.date(1995, 1, 1), dt.date(2005, 12, 31)) in rudolf.codes
    assert ("RUR", "GOV", dt.date(2006, 1, 1), None) in rudolf.codes  # GOVMIL: the primary role


def test_periods_are_closed_cut_and_filled(build) -> None:
    rudolf = build.parse(SNIPPET)[0]
    rows = build.rows_for(rudolf, dt.date(1945, 1, 1), keep_open=False)
    # ELI until 1995 (the dated ELI and the default before it merge), GOV from the first day in office (1995-2005
    # and the open GOVMIL period from 2006 merge; the open period is closed at the source date), then the default ELI
    assert rows == [
        ("RUR", "ELI", None, dt.date(1995, 1, 1)),
        ("RUR", "GOV", dt.date(1995, 1, 1), build.SOURCE_DATE),
        ("RUR", "ELI", build.SOURCE_DATE, None),
    ]
    for a, b in zip(rows, rows[1:]):
        assert a[3] is not None and b[2] is not None and a[3] <= b[2]
    kept_open = build.rows_for(rudolf, dt.date(1945, 1, 1), keep_open=True)
    assert any(r[1] == "GOV" and r[3] is None for r in kept_open)


def test_old_people_and_unknown_codes_are_left_out(build) -> None:
    old = build.Entry(name="X_", codes=[("RUS", "GOV", dt.date(1920, 1, 1), dt.date(1930, 1, 1))], person=True)
    assert build.rows_for(old, dt.date(1945, 1, 1), keep_open=False) == []
    soviet = build.Entry(name="Y_", codes=[("SUN", "GOV", dt.date(1960, 1, 1), dt.date(1970, 1, 1))], person=True)
    assert build.rows_for(soviet, dt.date(1945, 1, 1), keep_open=False) == []
    timor = build.Entry(name="Z_", codes=[("TMP", "GOV", dt.date(2002, 5, 20), dt.date(2007, 5, 19))], person=True)
    assert build.rows_for(timor, dt.date(1945, 1, 1), keep_open=False)[0][0] == "TLS"


@pytest.mark.parametrize(
    ("raw", "pretty"),
    [("SERGEY_VIKTOROVICH_LAVROV_", "Sergey Viktorovich Lavrov"), ("ABU_BAKR_AL-BAGHDADI", "Abu Bakr al-Baghdadi"),
     ("K.R._NARAYANAN_", "K.R. Narayanan"), ("SUDAN_PEOPLE'S_LIBERATION_ARMY", "Sudan People's Liberation Army"),
     ("JOHN_MCCAIN", "John McCain")],
)
def test_pretty_names(build, raw: str, pretty: str) -> None:
    assert build.pretty(raw) == pretty


def test_news_forms_of_names(build) -> None:
    firsts = Counter({"juan": 2, "manuel": 1})
    assert build.derived_aliases("Oscar Arias Sanchez", "CRI", firsts) == ["Oscar Arias"]
    assert build.derived_aliases("Juan Manuel Santos", "COL", firsts) == []  # "Manuel" is a first name
    assert build.derived_aliases("Luiz Inacio Lula da Silva", "BRA", firsts) == []  # Portuguese order
    assert build.derived_aliases("K.R. Narayanan", "IND", firsts) == ["K. R. Narayanan"]
