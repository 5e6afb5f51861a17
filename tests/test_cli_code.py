"""`detente code`, `detente schema`, `detente demo` through the CLI entry point."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from detente.cli import _register, app
from detente.schema import Event

_register()
runner = CliRunner()


def test_schema_is_json_schema_with_event():
    res = runner.invoke(app, ["schema"])
    assert res.exit_code == 0, res.output
    schema = json.loads(res.stdout)
    assert "Event" in schema["$defs"]
    assert "event_type" in schema["$defs"]["Event"]["properties"]


@pytest.mark.model
def test_code_jsonl_contract(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("Israeli troops shot dead two Palestinians in Jenin on Monday, the health ministry said.\n\n"
                 "Egypt and Qatar called for an immediate ceasefire.\n")
    res = runner.invoke(app, ["code", str(f), "--published", "2024-03-06", "--format", "jsonl", "--quiet"])
    assert res.exit_code == 0, res.output
    lines = [line for line in res.stdout.splitlines() if line.strip()]
    assert lines, "no events printed"
    events = [Event.model_validate_json(line) for line in lines]
    types = {e.event_type for e in events}
    assert "ASSAULT" in types
    assault = next(e for e in events if e.event_type == "ASSAULT")
    assert assault.date.isoformat() == "2024-03-04"  # "on Monday" before a Wednesday publication
    assert assault.evidence.text in f.read_text()


@pytest.mark.model
def test_code_stores_and_rejects_with_exit_status(tmp_path):
    good = tmp_path / "in.jsonl"
    good.write_text(json.dumps({"text": "Police arrested 12 protesters in Nairobi.", "published": "2024-05-02"}) + "\n"
                    + "{not json\n")
    db = tmp_path / "x.duckdb"
    res = runner.invoke(app, ["code", str(good), "--db", str(db), "--format", "none", "--quiet"])
    assert res.exit_code == 1  # one record was rejected
    from detente.store import open_store

    with open_store(str(db)) as store:
        assert len(store.articles()) == 1
        assert len(store.rejects()) == 1
    # idempotent: the same input again adds nothing
    res = runner.invoke(app, ["code", str(good), "--db", str(db), "--format", "none", "--quiet"])
    with open_store(str(db)) as store:
        assert len(store.articles()) == 1


def test_user_error_is_plain_words(tmp_path):
    res = runner.invoke(app, ["code", str(tmp_path / "missing.txt"), "--format", "none", "--quiet"])
    assert "Traceback" not in res.output


def test_an_article_that_breaks_the_coder_is_kept_as_a_reject(tmp_path):
    from detente.pipeline import RunStats, code_stream
    from detente.schema import Article, CodedArticle

    class Fragile:
        def pipe(self, articles, batch_size=32):
            out = [self.code(a) for a in articles]
            yield from out

        def code(self, article):
            if "boom" in article.text:
                raise RuntimeError("parser exploded")
            return CodedArticle(article=article)

    stats = RunStats()
    arts = [Article(text="fine one"), Article(text="boom here"), Article(text="fine two")]
    coded = list(code_stream(arts, coder=Fragile(), stats=stats))
    assert [c.article.text for c in coded] == ["fine one", "fine two"]
    assert stats.rejects == 1 and stats.reject_codes == {"E610": 1}


@pytest.mark.model
def test_user_actor_table_extends_the_knowledge_base(tmp_path):
    table = tmp_path / "mine.tsv"
    table.write_text("id\tname\taliases\tcs_aliases\tcountry\tsector\ttype\toffice\tvalid_from\tvalid_to\twikidata\tnotes\n"
                     "zx\tZorvan Liberation Front\tZorvan Front\tZLF\tMLI\tREB\tgroup\t\t\t\t\ttest\n")
    src = tmp_path / "a.txt"
    src.write_text("The Zorvan Liberation Front attacked an army post near Gao on Monday.")
    res = runner.invoke(app, ["code", str(src), "--published", "2024-06-12", "--actors", str(table),
                              "--format", "jsonl", "--quiet"])
    assert res.exit_code == 0, res.output
    ev = Event.model_validate_json(res.stdout.splitlines()[0])
    assert (ev.actor[0].country, ev.actor[0].sector, ev.actor[0].name) == ("MLI", "REB", "Zorvan Liberation Front")
    assert ev.location is not None and ev.location.country == "MLI"


@pytest.mark.model
def test_code_reports_and_stores_disasters_apart_from_events(tmp_path):
    f = tmp_path / "quake.txt"
    f.write_text("A 6.4 magnitude earthquake struck eastern Turkey on Tuesday, killing at least 12 people, officials "
                 "said.\n")
    db = tmp_path / "q.duckdb"
    res = runner.invoke(app, ["code", str(f), "--published", "2024-03-06", "--db", str(db), "--format", "table"],
                        env={"COLUMNS": "160"})
    assert res.exit_code == 0, res.output
    assert "disasters and accidents" in res.stdout and "earthquake" in res.stdout
    assert "0 events, 1 disasters or accidents" in res.stderr
    res = runner.invoke(app, ["code", str(f), "--published", "2024-03-06", "--format", "jsonl", "--quiet"])
    assert res.stdout.strip() == ""  # the jsonl contract stays one event per line: a disaster is no event
    from detente.store import open_store

    with open_store(str(db)) as store:
        [quake] = store.incidents()
    assert quake.kind == "natural_disaster" and quake.toll.killed.best == 12 and quake.location.country == "TUR"


# --- plain behaviour (issue 13) ----------------------------------------------------------------------------------


def test_missing_input_file_is_a_user_error_exit_2(tmp_path):
    for args in ([str(tmp_path / "missing.txt")], [str(tmp_path / "nothing-*.txt")]):
        res = runner.invoke(app, ["code", *args, "--format", "none", "--quiet"])
        assert res.exit_code == 2, res.output
        assert "no such file or directory" in res.output and "Traceback" not in res.output


@pytest.mark.model
def test_code_csv_has_the_export_csv_columns_and_values(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("Israeli troops shot dead two Palestinians in Jenin on Monday, the health ministry said.\n\n"
                 "Egypt and Qatar called for an immediate ceasefire.\n")
    db = str(tmp_path / "x.duckdb")
    coded = runner.invoke(app, ["code", str(f), "--published", "2024-03-06", "--format", "csv", "--quiet",
                                "--db", db])
    assert coded.exit_code == 0, coded.output
    exported = runner.invoke(app, ["export", "-", "--format", "csv", "--db", db])
    assert exported.exit_code == 0, exported.output
    code_rows, export_rows = coded.stdout.splitlines(), exported.stdout.splitlines()
    assert code_rows[0] == export_rows[0]  # one column set
    assert len(code_rows) > 1 and sorted(code_rows) == sorted(export_rows)  # and the same values


@pytest.mark.model
def test_demo_prints_summaries_not_reprs_and_only_paths_that_exist(tmp_path, monkeypatch):
    import re
    from pathlib import Path

    monkeypatch.chdir(tmp_path)
    res = runner.invoke(app, ["demo", "--db", "out/demo.duckdb"])
    assert res.exit_code == 0, res.output
    assert "LinkStats(" not in res.output and "Stats(" not in res.output
    assert "after linking:" in res.output and "reports ->" in res.output
    paths = re.findall(r"[\w./-]+\.(?:duckdb|yaml|yml)\b", res.output)
    assert paths and any(p.endswith(".yaml") for p in paths)
    for p in paths:
        assert Path(p).exists(), f"the demo names {p}, which does not exist"
