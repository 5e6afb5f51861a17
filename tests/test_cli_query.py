"""`detente events | export | stats` through the CLI entry point (typer CliRunner on detente.cli.app)."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from store_fixtures import REJECT, coded_articles, kenya, pakistan
from typer.testing import CliRunner

from detente import cli
from detente.store import open_store

cli._register()
runner = CliRunner()


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "cli.duckdb"
    with open_store(path) as s:
        for c in coded_articles():
            s.write(c)
        s.write_reject(REJECT)
    return str(path)


def run(*args: str):
    return runner.invoke(cli.app, list(args))


def test_cli_events_jsonl_filters(db):
    res = run("events", "--db", db, "--country", "KEN", "--format", "jsonl")
    assert res.exit_code == 0, res.output
    recs = [json.loads(line) for line in res.stdout.splitlines()]
    assert {r["id"] for r in recs} == {e.id for e in kenya().events}
    res = run("events", "--db", db, "--type", "assault", "--since", "2024-06-01", "--format", "json")
    assert [r["id"] for r in json.loads(res.stdout)] == [kenya().events[1].id]
    res = run("events", "--db", db, "--actor", "baloch", "--until", "2024-03-04", "--format", "csv")
    rows = res.stdout.splitlines()
    assert len(rows) == 2 and rows[0].startswith("id,article_id,event_type") and pakistan().events[0].id in rows[1]
    res = run("events", "--db", db, "--text", "tear gas", "--limit", "5", "--format", "jsonl")
    assert len(res.stdout.splitlines()) == 1


def test_cli_events_table(db):
    res = run("events", "--db", db, "--format", "table", "--limit", "2")
    assert res.exit_code == 0
    assert "CONSULT" in res.stdout and "ASSAULT" in res.stdout and "PROTEST" not in res.stdout
    assert "2 events" in res.stdout


def test_cli_user_errors_exit_2(db, tmp_path):
    res = run("events", "--db", str(tmp_path / "missing.duckdb"))
    assert res.exit_code == 2 and "E204" in res.output
    res = run("events", "--db", db, "--since", "yesterday")
    assert res.exit_code == 2
    res = run("export", "-", "--format", "parquet", "--db", db)
    assert res.exit_code == 2 and "E210" in res.output


def test_cli_export_files(db, tmp_path):
    out = tmp_path / "ev.parquet"
    res = run("export", str(out), "--db", db, "--country", "PAK")  # format from the suffix
    assert res.exit_code == 0, res.output
    df = pd.read_parquet(out)
    assert sorted(df["event_type"]) == ["ACCUSE", "ASSAULT"]
    res = run("export", "-", "--format", "acled", "--db", db)
    assert res.exit_code == 0
    lines = res.stdout.splitlines()
    assert lines[0].startswith("event_id_cnty,event_date,year,time_precision,disorder_type")
    assert len(lines) == 4 and any(",Dawn," in ln for ln in lines)  # source from the stored article
    res = run("export", "-", "--format", "plover", "--db", db, "--type", "PROTEST")
    assert json.loads(res.stdout)["event"] == ["PROTEST"]


def test_cli_export_canonical(db, tmp_path):
    ev = pakistan().events[0]
    with open_store(db) as s:
        s.write_canonical([ev.model_copy(update={"id": "can-1", "sources": [ev.article_id, "art-2"]})])
    out = tmp_path / "can.geojson"
    res = run("export", str(out), "--canonical", "--db", db)
    assert res.exit_code == 0, res.output
    fc = json.loads(out.read_text())
    assert [f["id"] for f in fc["features"]] == ["can-1"]
    assert fc["features"][0]["properties"]["n_sources"] == 2


def test_cli_stats(db):
    res = run("stats", "--db", db, "--format", "json")
    assert res.exit_code == 0
    s = json.loads(res.stdout)
    assert (s["articles"], s["events"], s["rejects"]) == (3, 6, 1)
    assert s["rejects_by_code"] == {"E101": 1}
    res = run("stats", "--db", db)
    assert res.exit_code == 0 and "events by type" in res.stdout and "E101" in res.stdout


def test_cli_db_from_environment(db, monkeypatch):
    monkeypatch.setenv("DETENTE_DB", db)
    res = run("stats", "--format", "json")
    assert json.loads(res.stdout)["events"] == 6


# --- unknown filter values are user errors (issue 13) ------------------------------------------------------------


@pytest.mark.parametrize(("args", "needles"), [
    (("--type", "BOMBING"), ["not a PLOVER event type", "ASSAULT", "Accepted: AGREE"]),
    (("--type", "asault"), ["Did you mean ASSAULT?"]),
    (("--country", "Pakistn"), ["not a country", "Pakistan (PAK)"]),
    (("--country", "XYZ"), ["not a country", "ISO 3166-1 alpha-3"]),
])
@pytest.mark.parametrize("command", ["events", "export"])
def test_cli_unknown_filter_values_exit_2_naming_the_right_ones(db, command, args, needles):
    res = run(command, *(["-"] if command == "export" else []), "--db", db, *args, "--format", "jsonl")
    assert res.exit_code == 2, res.output
    assert res.stdout == ""
    flat = " ".join(res.output.split())  # rich wraps stderr at the terminal width
    for needle in needles:
        assert needle in flat, flat


def test_cli_country_names_map_to_codes(db):
    by_code = run("events", "--db", db, "--country", "KEN", "--format", "jsonl").stdout
    assert by_code
    for name in ("Kenya", "kenyan", "ken"):
        assert run("events", "--db", db, "--country", name, "--format", "jsonl").stdout == by_code


def test_cli_dyad_takes_country_names_and_refuses_unknown_ones(db):
    res = run("dyad", "Pakistan", "United States", "--db", db)
    assert res.exit_code == 0, res.output
    res = run("dyad", "Pakistan", "Atlantis", "--db", db)
    assert res.exit_code == 2 and "not a country" in res.output
