"""Terminal tables at 80 and 160 columns: nothing cut with "…" in the default views, dates and types whole,
--columns / --wide / --evidence (issue 13)."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from store_fixtures import all_events, coded_articles
from rich.console import Console
from typer.testing import CliRunner

from detente import cli
from detente.cli.render import (
    EVENT_COLUMNS, EVENT_DEFAULT, SERIES_COLUMNS, event_date, pick, show, table,
)
from detente.schema import Count, Entity, Event, Evidence, Place, Toll
from detente.store import open_store

cli._register()
runner = CliRunner()

LONG = "The Commander of the Joint Operations Command of the Armed Forces"


def crowded() -> list[Event]:
    """The fixture events plus one with long names, several actors and a month-precision date."""
    text = "A long sentence that an analyst only wants to see when asking for the evidence of this event."
    big = Event(article_id="art-x", event_type="COOPERATE", mode="military", date=dt.date(2024, 1, 1),
                date_precision="month",
                actor=[Entity(text=LONG, name=LONG, country="PAK", sector="MIL"), Entity(text="Iran", country="IRN")],
                recipient=[Entity(text="Baloch Liberation Army-Jeeyand", name="Baloch Liberation Army-Jeeyand",
                                  country="PAK")],
                location=Place(name="Dera Ismail Khan District", country="PAK"),
                toll=Toll(killed=Count(best=1234)), evidence=Evidence(text=text, start=0, end=len(text)))
    return [*all_events(), big]


def render(tbl, width: int) -> str:
    console = Console(width=width, file=io.StringIO(), color_system=None, legacy_windows=False)
    show(console, tbl)
    return console.file.getvalue()


@pytest.mark.parametrize("width", [80, 160])
def test_default_event_table_reads_at_80_and_160_columns(width):
    events = crowded()
    out = render(table(events, EVENT_DEFAULT, EVENT_COLUMNS), width)
    lines = out.splitlines()
    assert "…" not in out
    assert max(len(line) for line in lines) <= width
    header = lines[0]
    for name in ("date", "type", "place", "killed"):
        assert re.search(rf"\b{name}\b", header), header
    assert "actor" in header and ("recipient" in header or "recipient" in lines[1])
    for ev in events:  # dates and types whole, each on the row's first line
        assert any(line.startswith(event_date(ev)) and ev.event_type in line.split() for line in lines), ev
    assert "2024-01 " in out  # a month-precision date is shown as a month, not as the 1st
    assert "1234" in out and "evidence" not in header and "A long sentence" not in out
    if width == 160:  # room enough: one line per event, but for the crowded one
        assert len(lines) <= len(events) + 3


def test_every_column_at_160_and_pick():
    out = render(table(crowded(), list(EVENT_COLUMNS), EVENT_COLUMNS), 160)
    assert "…" not in out and "evidence" in out[:out.index("─")] and "A long" in out
    assert pick("TYPE, date", False, EVENT_COLUMNS, EVENT_DEFAULT) == ["type", "date"]
    assert pick(None, True, EVENT_COLUMNS, EVENT_DEFAULT, evidence=True)[-1] == "evidence"
    with pytest.raises(Exception, match="unknown column bogus; columns: date, type"):
        pick("date,bogus", False, EVENT_COLUMNS, EVENT_DEFAULT)


def test_a_table_wider_than_the_terminal_is_printed_whole_not_cut():
    row = {"date": dt.date(2024, 3, 4), "events": 3, "q1": 0, "q2": 0, "q3": 1, "q4": 2, "coop": 0, "conflict": 3,
           "intensity": -20.0, "conflict_intensity": -20.0, "coop_intensity": 0.0, "killed": 3, "balance": -1.0}
    out = render(table([row], list(SERIES_COLUMNS), SERIES_COLUMNS), 80)
    assert "…" not in out and "2024-03-04" in out and "coop_intensity" in out


# --- through the commands ---------------------------------------------------------------------------------------


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "render.duckdb"
    with open_store(path) as s:
        for c in coded_articles():
            s.write(c)
    return str(path)


def run(*args: str, width: int = 80):
    return runner.invoke(cli.app, list(args), env={"COLUMNS": str(width)})


@pytest.mark.parametrize("width", [80, 160])
@pytest.mark.parametrize("args", [("events", "--format", "table"), ("dyads",), ("dyad", "PAK", "Kenya"),
                                  ("dyad", "USA", "CHN", "--freq", "W")])
def test_commands_default_tables_are_not_cut(db, args, width):
    res = run(*args, "--db", db, width=width)
    assert res.exit_code == 0, res.output
    assert "…" not in res.stdout
    assert max(len(line) for line in res.stdout.splitlines()) <= width


def test_events_columns_wide_and_evidence(db):
    default = run("events", "--db", db, "--format", "table").stdout
    assert "tear gas" not in default and "2024-03-04" in default and "ASSAULT" in default
    with_evidence = run("events", "--db", db, "--format", "table", "--evidence", width=160).stdout
    assert "Police fired tear gas at the crowd." in with_evidence
    chosen = run("events", "--db", db, "--format", "table", "--columns", "type,id").stdout
    assert chosen.splitlines()[0].split() == ["type", "id"]
    wide = run("events", "--db", db, "--format", "table", "--wide", width=160).stdout
    assert {"mode", "modality", "conf", "injured"} <= set(wide.splitlines()[0].split())
    res = run("events", "--db", db, "--format", "table", "--columns", "date,bogus")
    assert res.exit_code == 2 and "unknown column bogus" in res.output
