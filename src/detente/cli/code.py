"""``detente code``, ``detente schema``, ``detente demo``."""

from __future__ import annotations

import json
import sys
from enum import Enum
from importlib import resources
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from ..detect.event_model import DEFAULT_MIN_CONFIDENCE
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from ..errors import DetenteError
from . import app, fail
from .render import (
    ALERT_COLUMNS, ALERT_DEFAULT, DYAD_COLUMNS, DYAD_DEFAULT, EVENT_COLUMNS, EVENT_DEFAULT, EVENT_WIDE,
    INCIDENT_COLUMNS, columns_help, pick, show, table,
)

err = Console(stderr=True)


class OutFormat(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    none = "none"


@app.command("code")
def code_cmd(
    inputs: Annotated[list[str], typer.Argument(help="files, directories, globs, or - for stdin")],
    published: Annotated[Optional[str], typer.Option(help="publication date for inputs that carry none")] = None,
    source: Annotated[Optional[str], typer.Option(help="source/outlet for inputs that carry none")] = None,
    url: Annotated[Optional[str], typer.Option(help="URL for inputs that carry none")] = None,
    fmt: Annotated[Optional[str], typer.Option("--input-format", help="force the input format (txt, jsonl, csv, "
                                               "tsv, html, feed)")] = None,
    text_col: Annotated[Optional[str], typer.Option(help="JSONL/CSV key holding the text")] = None,
    date_col: Annotated[Optional[str], typer.Option(help="JSONL/CSV key holding the publication date")] = None,
    output: Annotated[OutFormat, typer.Option("--format", "-f", help="output format")] = OutFormat.table,
    db: Annotated[Optional[str], typer.Option(help="also store into this database (DuckDB path or postgresql://)")]
    = None,
    actors: Annotated[Optional[list[Path]], typer.Option(help="extra actor dictionary (repeatable)")] = None,
    min_confidence: Annotated[float, typer.Option(help="leave out events less confident than this (0 keeps every "
                                                  "event; default chosen on the real-news dev split)")]
    = DEFAULT_MIN_CONFIDENCE,
    minilm: Annotated[Optional[bool], typer.Option("--minilm/--no-minilm", help="ACLED sub-event typing with "
                      "MiniLM (default: when its weights are installed; --no-minilm is faster)")] = None,
    workers: Annotated[int, typer.Option(help="code on a Dask cluster with this many workers (1 = in process)")] = 1,
    cluster: Annotated[str, typer.Option(help="Dask cluster: local, slurm, kubernetes, or a scheduler address "
                                         "(tcp://host:8786)")] = "local",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="no progress bar or summary")] = False,
    columns: Annotated[Optional[str], typer.Option(help=columns_help(EVENT_COLUMNS, EVENT_DEFAULT) + " Table only.",
                                                   show_default=False)] = None,
    wide: Annotated[bool, typer.Option("--wide", help="table: every column but the evidence ("
                                       + ",".join(EVENT_WIDE) + ")")] = False,
    evidence: Annotated[bool, typer.Option("--evidence", help="table: add the evidence sentence")] = False,
) -> None:
    """Code news articles into PLOVER events (printed; with --db also stored).

    The table shows date, type, actor → recipient, place and killed; --wide, --columns and --evidence show more.
    """
    from ..coder import Coder
    from ..ingest import read
    from ..pipeline import RunStats, code_stream

    _check_inputs(inputs)
    try:
        names = pick(columns, wide, EVENT_COLUMNS, EVENT_DEFAULT, EVENT_WIDE, evidence=evidence)
    except DetenteError as exc:
        raise fail(str(exc)) from None
    mapping = {k: v for k, v in {"text": text_col, "published": date_col}.items() if v}
    records = read(inputs, fmt=fmt, published=published, source=source, url=url, mapping=mapping or None)
    coder = Coder(min_confidence=min_confidence, actors=list(actors or []), minilm=minilm)
    store = None
    if db:
        from ..store import open_store

        store = open_store(db)
    stats = RunStats()
    rows: list = []
    incidents: list = []
    progress = not quiet and err.is_terminal
    with Progress(TextColumn("coding"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[rate]}"),
                  TimeElapsedColumn(), TimeRemainingColumn(), console=err, disable=not progress, transient=True) as prog:
        task = prog.add_task("code", total=None, rate="")
        import time

        t0 = time.perf_counter()

        def tick(_article) -> None:
            done = stats.coded + stats.skipped
            rate = done / max(time.perf_counter() - t0, 1e-6)
            prog.update(task, completed=done, rate=f"{rate:.1f} articles/s")

        def on_reject(rej) -> None:
            err.print(f"[yellow]rejected[/] {rej.origin}: [{rej.code}] {rej.reason}", highlight=False)

        if workers > 1 or cluster != "local":
            from ..coder import CoderConfig
            from ..scale import iter_archive

            if store is not None:
                store.close()
                store = None  # the driver opens it itself: it is the single writer
            stream = iter_archive(inputs, db=db, n_workers=workers, cluster=cluster, stats=stats,
                                  coder_config=CoderConfig(min_confidence=min_confidence, actors=list(actors or []),
                                                          minilm=minilm),
                                  read_options=dict(fmt=fmt, published=published, source=source, url=url,
                                                    mapping=mapping or None))
        else:
            stream = code_stream(records, coder=coder, store=store, on_reject=on_reject if not quiet else None,
                                 on_progress=tick, stats=stats)
        for coded in stream:
            for w in coded.warnings:
                if not quiet:
                    err.print(f"[yellow]warning[/] {coded.article.origin or coded.article.id}: {w}", highlight=False)
            for e in coded.events:
                if output in (OutFormat.jsonl,):
                    sys.stdout.write(e.model_dump_json(exclude_none=False) + "\n")
                else:
                    rows.append(e)
            incidents.extend(coded.incidents)
    if store is not None:
        store.close()
    _emit(rows, output, names)
    if output == OutFormat.table and incidents:  # json/jsonl/csv stay one event per record (scripts read them)
        show(Console(), table(incidents, list(INCIDENT_COLUMNS), INCIDENT_COLUMNS,
                              title="disasters and accidents (not events)"))
    if not quiet:
        err.print(f"{stats.articles} articles ({stats.skipped} already stored), {stats.events} events, "
                  f"{stats.incidents} disasters or accidents, {stats.rejects} rejected", highlight=False)
    if stats.rejects:
        raise typer.Exit(1)


def _check_inputs(inputs: list[str]) -> None:
    """A path that does not exist (or a pattern that matches nothing) is a user error: exit 2 before any work."""
    import glob

    missing = [i for i in inputs if i != "-" and not Path(i).exists() and not Path(i).is_symlink()
               and not (glob.has_magic(i) and glob.glob(i, recursive=True))]
    if missing:
        raise fail("no such file or directory: " + ", ".join(missing))


def _emit(events: list, output: OutFormat, names: list[str]) -> None:
    if output == OutFormat.json:
        sys.stdout.write(json.dumps([e.model_dump(mode="json") for e in events], indent=1) + "\n")
    elif output == OutFormat.csv:  # the store's flat columns, as `detente export --format csv` writes them
        from ..export import export

        export(events, sys.stdout, "csv")
    elif output == OutFormat.table and events:
        show(Console(), table(events, names, EVENT_COLUMNS))


@app.command("schema")
def schema_cmd() -> None:
    """Print the JSON Schema of detente's records (Article, Reject, Event, CodedArticle)."""
    from ..schema import json_schema

    sys.stdout.write(json.dumps(json_schema(), indent=2) + "\n")


@app.command("demo")
def demo_cmd(
    db: Annotated[str, typer.Option(help="DuckDB file to code the sample corpus into")] = ".demo/detente.duckdb",
) -> None:
    """Code the bundled sample corpus into a store, link it, and print a summary."""
    from ..coder import Coder
    from ..ingest import read
    from ..pipeline import RunStats, code_stream
    from ..store import open_store

    sample = resources.files("detente") / "data" / "sample"
    Path(db).parent.mkdir(parents=True, exist_ok=True)
    stats = RunStats()
    with open_store(db) as store:
        with Progress(TextColumn("coding the sample corpus"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=err, transient=True) as prog:
            files = sorted(p for p in Path(str(sample)).glob("*.txt"))
            task = prog.add_task("demo", total=len(files))
            for _ in code_stream(read([str(p) for p in files]), coder=Coder(), store=store, stats=stats,
                                 on_progress=lambda a: prog.advance(task)):
                pass
        linked = None
        try:
            from ..link import link_store

            linked = link_store(store)
        except ImportError:
            pass
        summary = store.stats()
    out = Console()
    out.rule("detente demo")
    out.print(f"articles coded: {stats.coded}   events: {stats.events}   rejects: {stats.rejects}")
    if linked is not None:
        out.print(f"after linking: {linked.linked} of {linked.reports} reports -> {linked.canonical} events "
                  f"({linked.merged} reported by several articles), {linked.responses} responses, "
                  f"{linked.episodes} episodes", highlight=False)
    t = Table(title="events by PLOVER type")
    t.add_column("type")
    t.add_column("events", justify="right")
    for k, v in sorted(stats.event_types.items(), key=lambda kv: -kv[1]):
        t.add_row(k, str(v))
    out.print(t)
    from ..analyze import top_dyads

    with open_store(db) as store:
        dyads = top_dyads(store.events(), n=10)
    if len(dyads):
        show(out, table([{**r, "arrow": "–"} for r in dyads.to_dict("records")], DYAD_DEFAULT, DYAD_COLUMNS,
                        title="most active actor pairs (countries, both directions)"))
    from ..analyze import load_rules, run_rules

    with open_store(db) as store:
        canonical = store.canonical_events() or store.events()
    rules_path = Path(str(resources.files("detente") / "data" / "watch" / "rules.example.yaml"))
    rules = load_rules(rules_path)
    alerts = sorted(run_rules(canonical, rules), key=lambda a: (str(a.date), a.kind))
    if alerts:
        show(out, table(alerts, ALERT_DEFAULT, ALERT_COLUMNS, title="alerts (the example rules)"))
        out.print(f"rules: {rules_path}", soft_wrap=True, highlight=False)
    out.print(f"rejects: {summary.get('rejects', stats.rejects)}   store: {db}", soft_wrap=True, highlight=False)
    out.print(f"next: detente events --db {db}   |   detente dyads --db {db}", soft_wrap=True, highlight=False)
