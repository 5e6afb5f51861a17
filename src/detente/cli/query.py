"""``detente events``, ``detente export`` and ``detente stats``: thin layers over detente.store and detente.export."""

from __future__ import annotations

import datetime as dt
import errno
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from ..errors import DetenteError
from . import app, err, fail
from .render import EVENT_COLUMNS, EVENT_DEFAULT, EVENT_WIDE, columns_help, pick, show, table

DbOpt = Annotated[str | None, typer.Option("--db", help="Store: DuckDB path or postgresql:// DSN [env DETENTE_DB; "
                                                         "default: the user data dir].", show_default=False)]
ActorOpt = Annotated[str | None, typer.Option(help="Actor or recipient name contains this (any case).")]
CountryOpt = Annotated[str | None, typer.Option(help="Actor or recipient country: ISO3 code or name, e.g. PAK or "
                                                    "Pakistan (comma-separated: any).")]
TypeOpt = Annotated[str | None, typer.Option("--type", help="PLOVER event type, e.g. ASSAULT (comma-separated: any).")]
SinceOpt = Annotated[dt.datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Events on or after this date.")]
UntilOpt = Annotated[dt.datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Events on or before this date.")]
TextOpt = Annotated[str | None, typer.Option(help="Evidence sentence contains this (any case).")]
ColumnsOpt = Annotated[str | None, typer.Option(help=columns_help(EVENT_COLUMNS, EVENT_DEFAULT) + " Table only.",
                                                show_default=False)]
WideOpt = Annotated[bool, typer.Option("--wide", help="Table: every column but the evidence (" + ",".join(EVENT_WIDE)
                                       + "); use with a wide terminal.")]
EvidenceOpt = Annotated[bool, typer.Option("--evidence", help="Table: add the evidence sentence.")]


class EventsFormat(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


class ExportFormat(str, Enum):
    csv = "csv"
    jsonl = "jsonl"
    parquet = "parquet"
    geojson = "geojson"
    plover = "plover"
    acled = "acled"


class StatsFormat(str, Enum):
    table = "table"
    json = "json"


_SUFFIX = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet", ".pq": "parquet",
           ".geojson": "geojson"}


@contextmanager
def _store(db: str | None) -> Iterator[Any]:
    """The store opened read-only; DetenteError becomes a plain-words exit 2."""
    from ..store import open_store

    try:
        with open_store(db, read_only=True) as store:
            yield store
    except DetenteError as exc:
        raise fail(str(exc)) from None


def _filters(store: Any, actor: str | None, country: str | None, type_: str | None, since: dt.datetime | None,
             until: dt.datetime | None, text: str | None) -> dict[str, Any]:
    """The store's filter keywords; an unknown country or type is a user error (exit 2) naming the right values
    (types the store holds are accepted too)."""
    from ..filters import country_codes, event_types

    try:
        country = country_codes(country)
        type_ = event_types(type_, also=lambda: store.stats()["events_by_type"])
    except DetenteError as exc:
        raise fail(str(exc)) from None
    return {"actor": actor, "country": country, "event_type": type_, "since": since.date() if since else None,
            "until": until.date() if until else None, "text": text}


@app.command("events")
def events_cmd(
    actor: ActorOpt = None, country: CountryOpt = None, type_: TypeOpt = None, since: SinceOpt = None,
    until: UntilOpt = None, text: TextOpt = None,
    limit: Annotated[int | None, typer.Option(min=0, help="At most this many events [default: 50 for the table, "
                                                          "all otherwise].", show_default=False)] = None,
    fmt: Annotated[EventsFormat | None, typer.Option("--format", help="table (default on a terminal) | json | "
                                                     "jsonl (default when piped) | csv.", show_default=False)] = None,
    columns: ColumnsOpt = None, wide: WideOpt = False, evidence: EvidenceOpt = False,
    db: DbOpt = None,
) -> None:
    """List stored events, oldest first, filtered by actor, country, type, dates or text.

    The table shows date, type, actor → recipient, place and killed; --wide, --columns and --evidence show more.
    """
    out = Console()
    fmt = fmt or (EventsFormat.table if sys.stdout.isatty() else EventsFormat.jsonl)
    try:
        names = pick(columns, wide, EVENT_COLUMNS, EVENT_DEFAULT, EVENT_WIDE, evidence=evidence)
    except DetenteError as exc:
        raise fail(str(exc)) from None
    if limit is None and fmt is EventsFormat.table:
        limit = 50
    with _store(db) as store:
        filters = _filters(store, actor, country, type_, since, until, text)
        try:
            found = store.events(**filters, limit=limit)
        except DetenteError as exc:
            raise fail(str(exc)) from None
    if fmt is EventsFormat.table:
        hint = f"{len(found)} events" + (f" (--limit {limit})" if limit is not None and len(found) == limit else "")
        show(out, table(found, names, EVENT_COLUMNS, caption=hint))
    elif fmt is EventsFormat.json:
        sys.stdout.write(json.dumps([ev.model_dump(mode="json") for ev in found], ensure_ascii=False, indent=1))
        sys.stdout.write("\n")
    else:
        from ..export import export

        export(found, sys.stdout, fmt.value)


@app.command("export")
def export_cmd(
    out: Annotated[str, typer.Argument(help="Output file, or - for standard output (text formats).")],
    fmt: Annotated[ExportFormat | None, typer.Option("--format", help="csv | jsonl | parquet | geojson | plover "
                                                     "| acled [default: from OUT's suffix, else jsonl].",
                                                     show_default=False)] = None,
    canonical: Annotated[bool, typer.Option("--canonical", help="Export merged (linked) events instead of "
                                                                "one row per report.")] = False,
    actor: ActorOpt = None, country: CountryOpt = None, type_: TypeOpt = None, since: SinceOpt = None,
    until: UntilOpt = None, text: TextOpt = None,
    limit: Annotated[int | None, typer.Option(min=0, help="At most this many events.")] = None,
    db: DbOpt = None,
) -> None:
    """Write stored events to a file in an analysis or exchange format (ACLED and PLOVER names included)."""
    from ..export import export

    name = ExportFormat(fmt).value if fmt else _SUFFIX.get(Path(out).suffix.lower(), "jsonl")
    with _store(db) as store:
        filters = _filters(store, actor, country, type_, since, until, text)
        try:
            events = (store.canonical_events(**filters, limit=limit) if canonical
                      else store.events(**filters, limit=limit))
            sources = store.article_sources() if name == "acled" else None
            n = export(events, sys.stdout if out == "-" else out, name, sources=sources)
        except DetenteError as exc:
            raise fail(str(exc)) from None
        except OSError as exc:
            if exc.errno == errno.EPIPE:
                raise  # the reader went away (`| head`): click ends quietly, main() exits 0
            raise fail(f"cannot write {out}: {exc.strerror or exc}") from None
    skipped = (f" ({len(events) - n} undated, without an ACLED type or not reported as happened)"
               if n < len(events) else "")
    err.print(f"wrote {n} {'canonical ' if canonical else ''}events as {name} to "
              f"{'stdout' if out == '-' else out}{skipped}", highlight=False)


@app.command("stats")
def stats_cmd(
    fmt: Annotated[StatsFormat, typer.Option("--format", help="table | json.")] = StatsFormat.table,
    top: Annotated[int, typer.Option(min=1, help="How many actor pairs to list.")] = 10,
    db: DbOpt = None,
) -> None:
    """Summarise the store: articles, events by type, top actor pairs, rejects by code."""
    with _store(db) as store:
        s = store.stats(top=top)
    if fmt is StatsFormat.json:
        sys.stdout.write(json.dumps(s, ensure_ascii=False, indent=1) + "\n")
        return
    out = Console()
    totals = Table(title="store", show_header=False)
    totals.add_column("what")
    totals.add_column("n", justify="right")
    for key in ("articles", "events", "linked_events", "canonical_events", "entities", "places", "rejects"):
        totals.add_row(key.replace("_", " "), f"{s[key]:,}")
    totals.add_row("dates", f"{s['first_date'] or '?'} … {s['last_date'] or '?'}")
    out.print(totals)
    for title, rows, cols in (
        ("events by type", list(s["events_by_type"].items()), ("type", "events")),
        ("top actor pairs", [(f"{d['actor']} → {d['recipient']}", d["events"]) for d in s["top_dyads"]],
         ("actor → recipient", "events")),
        ("rejects by code", list(s["rejects_by_code"].items()), ("code", "records")),
    ):
        if not rows:
            continue
        t = Table(title=title)
        t.add_column(cols[0])
        t.add_column(cols[1], justify="right")
        for k, v in rows:
            t.add_row(str(k), f"{v:,}")
        out.print(t)
