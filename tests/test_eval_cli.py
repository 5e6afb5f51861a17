"""`detente eval` through the installed entry point, scoring a pre-coded file (no models)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from detente.schema import Article, CodedArticle, Entity, Event, Evidence

BIN = Path(sys.executable).with_name("detente")


def _write(tmp_path: Path) -> tuple[Path, Path]:
    gold = tmp_path / "gold.jsonl"
    recs = [
        {"id": "g1", "text": "Iran struck Pakistan.", "event_type": "ASSAULT", "source": [{"code": "IRN"}],
         "target": [{"code": "PAK"}]},
        {"id": "g2", "text": "Pakistan protested.", "event_type": "ACCUSE", "source": [{"code": "PAK"}],
         "target": [{"code": "IRN"}]},
    ]
    gold.write_text("\n".join(json.dumps(r) for r in recs) + "\n", encoding="utf-8")
    art = Article(text="Iran struck Pakistan.")
    coded = CodedArticle(article=art, events=[Event(
        article_id=art.id, event_type="ASSAULT", confidence=0.9, actor=[Entity(text="Iran", country="IRN")],
        recipient=[Entity(text="Pakistan", country="PAK")], evidence=Evidence(text=art.text, start=0, end=21))])
    coded_path = tmp_path / "coded.jsonl"
    coded_path.write_text(coded.model_dump_json() + "\n", encoding="utf-8")
    return gold, coded_path


def test_cli_eval_prints_and_writes_report(tmp_path):
    gold, coded = _write(tmp_path)
    out = tmp_path / "r" / "report.json"
    proc = subprocess.run([str(BIN), "eval", str(gold), "--task", "plover", "--coded", str(coded), "--out", str(out)],
                          capture_output=True, text=True, env={**os.environ, "COLUMNS": "120"}, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "macro_f1" in proc.stdout and "ASSAULT" in proc.stdout
    report = json.loads(out.read_text())
    assert report["n"] == 2 and report["accuracy"] == 0.5
    assert report["task"] == "plover" and report["source_country_acc"] == 0.5


def test_cli_eval_limit_and_bad_task(tmp_path):
    gold, coded = _write(tmp_path)
    out = tmp_path / "report.json"
    proc = subprocess.run([str(BIN), "eval", str(gold), "--task", "plover", "--coded", str(coded), "--limit", "1",
                           "--out", str(out)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(out.read_text())["n"] == 1
    proc = subprocess.run([str(BIN), "eval", str(gold), "--task", "nope"], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 2 and "E800" in proc.stderr


def test_cli_eval_bad_gold_line(tmp_path):
    _, coded = _write(tmp_path)
    gold = tmp_path / "broken.jsonl"
    gold.write_text('{"id": 1}\nnot json\n')
    proc = subprocess.run([str(BIN), "eval", str(gold), "--task", "plover", "--coded", str(coded)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "E801" in proc.stderr and ":2" in proc.stderr
