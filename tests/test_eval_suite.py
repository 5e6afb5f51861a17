"""The accuracy suite: runs what applies, records failures, renders docs/accuracy.md."""

from __future__ import annotations

import json

import pytest

from detente.errors import DetenteError
from detente.evaluate.replay import ReplayCoder
from detente.evaluate.report import headline, render_markdown, target_status
from detente.evaluate.suite import SuiteItem, run_suite, shared_data_dir


def test_suite_runs_records_failures_and_renders(tmp_path):
    shared = tmp_path / "data"
    (shared / "toy").mkdir(parents=True)
    (shared / "toy" / "toy.jsonl").write_text(json.dumps(
        {"id": "t1", "dataset": "toy", "text": "Iran struck Pakistan.", "event_type": "ASSAULT",
         "source": [{"code": "IRN"}], "target": [{"code": "PAK"}]}) + "\n")
    (shared / "toy" / "bad.jsonl").write_text(json.dumps({"id": "b1", "text": "x"}) + "\n")
    plan = (
        SuiteItem("toy", "toy/toy.jsonl", "plover", ("macro_f1", 0.70)),
        SuiteItem("toy-bad", "toy/bad.jsonl", "police", ("macro_f1", 0.70)),  # no labels -> E808, recorded
        SuiteItem("absent", "absent/absent.jsonl", "acled"),
    )
    coder = ReplayCoder(events={"Iran struck Pakistan.": [
        {"event_type": "ASSAULT", "confidence": 0.9, "actor": [{"text": "Iran", "country": "IRN"}]}]})
    coder.trained_ids = frozenset()
    results = run_suite(shared, out_dir=tmp_path / "eval", coder=coder, plan=plan)
    assert [r["report"] is not None for r in results] == [True, False, False]
    assert "E808" in results[1]["error"] and "no gold file" in results[2]["error"]
    saved = json.loads((tmp_path / "eval" / "toy.plover.json").read_text())
    assert saved["accuracy"] == 1.0 and saved["file"] == "data/toy/toy.jsonl"

    md = render_markdown(results, date="2025-01-01", commit="abc123", notes=["A note."])
    assert "commit `abc123`" in md and "2025-01-01" in md
    assert "macro_f1 1.000 ≥ 0.70 ✓" in md
    assert "**failed**" in md and "A note." in md
    assert "| ASSAULT | 1.000 | 1.000 | 1.000 | 1 |" in md


def test_suite_only_filter(tmp_path):
    results = run_suite(tmp_path, coder=ReplayCoder(), only={"nothing-matches"})
    assert results == []


def test_target_status_and_headline():
    assert target_status({"macro_f1": 0.5}, ("macro_f1", 0.7)) == "macro_f1 0.500 < 0.70 ✗"
    assert "not measured" in target_status(None, ("acc_161km", 0.85))
    assert target_status({}, None) == ""
    assert headline({"n": 1, "x": 0.2, "details": {"a": 1}, "note": "s", "flag": True}) == {"n": 1, "x": 0.2}


def test_shared_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("DETENTE_SHARED_DATA", str(tmp_path))
    assert shared_data_dir() == tmp_path
    monkeypatch.setenv("DETENTE_SHARED_DATA", str(tmp_path / "missing"))
    with pytest.raises(DetenteError) as exc:
        shared_data_dir(repo=tmp_path / "repo")
    assert exc.value.code == "E809"
