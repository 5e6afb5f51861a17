"""``detente eval``: score detente against a gold file and print/save the report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.console import Console
from rich.table import Table

from ..errors import DetenteError
from . import app, fail

out = Console()


def _summary(report: dict[str, Any]) -> None:
    from ..evaluate.report import fmt, headline, per_class_rows

    title = f"{report.get('task')} on {Path(str(report.get('file', ''))).name}"
    head = Table(title=title, show_header=True, header_style="bold")
    head.add_column("figure")
    head.add_column("value", justify="right")
    for k, v in headline(report).items():
        head.add_row(k, fmt(v))
    out.print(head)
    errors = (report.get("problems") or {}).get("coder_errors") or []
    if errors:
        out.print(f"[bold red]{report.get('coder_errors')} records failed in the coder[/], e.g. {errors[0]['error']}",
                  highlight=False)
    for key in ("training_note", "mapping"):
        if report.get(key):
            out.print(f"[dim]{key.replace('_', ' ')}:[/] {report[key]}", highlight=False)
    rows = per_class_rows(report)
    if rows:
        t = Table(show_header=True, header_style="bold")
        for c in ("class", "precision", "recall", "F1", "support"):
            t.add_column(c, justify="left" if c == "class" else "right")
        for r in rows:
            t.add_row(str(r["label"]), fmt(r["precision"]), fmt(r["recall"]), fmt(r["f1"]), fmt(r["support"]))
        out.print(t)
    curve = (report.get("details") or {}).get("thresholds") or []
    if curve:
        t = Table(title="by confidence threshold", show_header=True, header_style="bold")
        for c in ("min confidence", "outputs", "precision", "recall", "F1"):
            t.add_column(c, justify="right")
        for r in curve:
            t.add_row(fmt(r["threshold"]), fmt(r["n_output"]), fmt(r["precision"]), fmt(r["recall"]), fmt(r["f1"]))
        out.print(t)
    examples = report.get("examples") or []
    if examples:
        out.print(f"[dim]{len(examples)} error examples in the JSON report (--out).[/]")


@app.command("eval")
def eval_cmd(
    file: Annotated[Path, typer.Argument(help="gold file: JSONL in the shared schema, or an expected-events .json")],
    task: Annotated[str, typer.Option("--task", "-t", help="plover, acled, cameo-quad, muc4, police, geo, timex, "
                                                           "timeline, expected, articles")],
    out_path: Annotated[Optional[Path], typer.Option("--out", "-o", help="write the full JSON report here")] = None,
    limit: Annotated[Optional[int], typer.Option("--limit", "-n", min=1, help="score at most N records")] = None,
    coded: Annotated[Optional[Path], typer.Option(
        "--coded", help="score events coded earlier (CodedArticle JSONL from `detente code`) instead of running "
                        "the coder")] = None,
    include_trained: Annotated[bool, typer.Option(
        "--include-trained", help="also score records the classifier was trained on")] = False,
) -> None:
    """Score detente on a gold file: headline figures and a per-class table; the full report with --out."""
    from ..evaluate import TASKS, evaluate

    if not file.is_file():
        raise fail(f"gold file not found: {file}")
    if task not in TASKS:
        raise DetenteError("E800", task=task, allowed=", ".join(sorted(TASKS)))
    options: dict[str, Any] = {}
    if coded is not None:
        from ..evaluate.replay import ReplayCoder

        if not coded.is_file():
            raise fail(f"coded file not found: {coded}")
        options["coder"] = ReplayCoder.from_jsonl(coded)
    if include_trained:
        options["include_trained"] = True
    report = evaluate(file, task, limit=limit, **options)
    _summary(report)
    if out_path is not None:
        out_path.parent.mkdir(parents=True, exist_ok=True)
        out_path.write_text(json.dumps(report, indent=1, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
        out.print(f"report written to {out_path}")
