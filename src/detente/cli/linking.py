"""``detente link``, ``dyads``, ``dyad``, ``watch``: thin layers over detente.link and detente.analyze."""

from __future__ import annotations

import datetime as dt
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from ..schema import stable_id
from . import app, fail
from .render import (
    ALERT_COLUMNS, ALERT_DEFAULT, DYAD_COLUMNS, DYAD_DEFAULT, SERIES_COLUMNS, SERIES_DEFAULT, columns_help, pick, show,
    table,
)

out = Console()

DbOpt = Annotated[Optional[str], typer.Option(help="store: DuckDB path or postgresql:// (default $DETENTE_DB)")]


class TableFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class AlertFormat(str, Enum):
    table = "table"
    jsonl = "jsonl"


class Freq(str, Enum):
    D = "D"
    W = "W"


def _events(store, since: dt.date | None = None, until: dt.date | None = None):
    """Canonical events when the store has been linked, else report-level events."""
    evs = store.canonical_events(since=since, until=until)
    return evs if evs else store.events(since=since, until=until)


@app.command()
def link(
    db: DbOpt = None,
    since: Annotated[Optional[dt.datetime], typer.Option(formats=["%Y-%m-%d"], help="only (re)link reports dated "
                                                         "on or after this day")] = None,
) -> None:
    """Dedup stored reports across articles into canonical events and chain retaliation episodes."""
    from ..link import link_store
    from ..store import open_store

    with open_store(db) as store:
        stats = link_store(store, since=since.date() if since else None)
    out.print(
        f"reports {stats.reports}   linked {stats.linked}   canonical written {stats.canonical}   "
        f"multi-source {stats.merged}   responses {stats.responses}   episodes {stats.episodes}   "
        f"({stats.seconds:.1f} s)"
    )


@app.command()
def dyads(
    db: DbOpt = None,
    n: Annotated[int, typer.Option("--n", "-n", help="how many dyads")] = 20,
    since: Annotated[Optional[dt.datetime], typer.Option(formats=["%Y-%m-%d"])] = None,
    until: Annotated[Optional[dt.datetime], typer.Option(formats=["%Y-%m-%d"])] = None,
    directed: Annotated[bool, typer.Option(help="count A→B and B→A apart")] = False,
    fmt: Annotated[TableFormat, typer.Option("--format", "-f")] = TableFormat.table,
    columns: Annotated[Optional[str], typer.Option(help=columns_help(DYAD_COLUMNS, DYAD_DEFAULT),
                                                   show_default=False)] = None,
    wide: Annotated[bool, typer.Option("--wide", help="table: every column (adds intensity, balance)")] = False,
) -> None:
    """The most active country pairs (events, cooperation, conflict, intensity, fatalities)."""
    names = _pick(columns, wide, DYAD_COLUMNS, DYAD_DEFAULT)
    from ..analyze import top_dyads
    from ..store import open_store

    s, u = (since.date() if since else None), (until.date() if until else None)
    with open_store(db, read_only=_read_only(db)) as store:
        df = top_dyads(_events(store, s, u), n=n, directed=directed, since=s, until=u)
    if fmt is TableFormat.json:
        sys.stdout.write(df.to_json(orient="records", date_format="iso", indent=1) + "\n")
    elif fmt is TableFormat.csv:
        sys.stdout.write(df.to_csv(index=False))
    else:
        arrow = "→" if directed else "–"
        show(Console(), table([{**r, "arrow": arrow} for r in df.to_dict("records")], names, DYAD_COLUMNS))


@app.command()
def dyad(
    a: Annotated[str, typer.Argument(help="country code or name, e.g. PAK or Pakistan")],
    b: Annotated[str, typer.Argument(help="country code or name, e.g. IRN or Iran")],
    db: DbOpt = None,
    freq: Annotated[Freq, typer.Option(help="D daily, W weekly (weeks start Monday)")] = Freq.D,
    directed: Annotated[bool, typer.Option(help="only events by A against B")] = False,
    out_prefix: Annotated[Optional[Path], typer.Option("--out", help="write <out>.png and <out>.html")] = None,
    columns: Annotated[Optional[str], typer.Option(help=columns_help(SERIES_COLUMNS, SERIES_DEFAULT),
                                                   show_default=False)] = None,
    wide: Annotated[bool, typer.Option("--wide", help="every column (adds q1-q4 and the intensity by side)")]
    = False,
) -> None:
    """Print a dyad's series; with --out also write a PNG and a self-contained HTML chart."""
    names = _pick(columns, wide, SERIES_COLUMNS, SERIES_DEFAULT)
    from ..analyze import dyad_chart, dyad_series
    from ..store import open_store

    a, b = _country(a), _country(b)
    with open_store(db, read_only=_read_only(db)) as store:
        evs = {e.id: e for c in (a, b) for e in store.canonical_events(country=c)}
        if not evs:
            evs = {e.id: e for c in (a, b) for e in store.events(country=c)}
    df = dyad_series(list(evs.values()), a, b, freq=freq.value, directed=directed)
    busy = df[df["events"] > 0]
    out = Console()
    if busy.empty:
        out.print(f"no events between {a} and {b}")
    else:
        rows = [{"date": ts.date(), **row} for ts, row in zip(busy.index, busy.to_dict("records"))]
        show(out, table(rows, names, SERIES_COLUMNS))
        out.print(f"{len(df)} periods, {len(busy)} with events (empty periods omitted here; kept in the chart)")
    if out_prefix is not None:
        png, page = dyad_chart(df, out_prefix, title=f"{a} {'→' if directed else '–'} {b} ({freq.value})")
        out.print(f"wrote {png} and {page}")


@app.command()
def watch(
    rules: Annotated[Path, typer.Option(help="rules YAML (see detente/data/watch/rules.example.yaml)")],
    db: DbOpt = None,
    since: Annotated[Optional[dt.datetime], typer.Option(formats=["%Y-%m-%d"], help="emit alerts dated on or after "
                                                         "this day (default: since the last run)")] = None,
    out_file: Annotated[Optional[Path], typer.Option("--out", help="append alerts to this JSONL file")] = None,
    webhook: Annotated[Optional[str], typer.Option(help="POST alerts as JSON to this URL")] = None,
    fmt: Annotated[AlertFormat, typer.Option("--format", "-f", help="stdout format")] = AlertFormat.table,
    state: Annotated[Optional[Path], typer.Option(help="state file (default: per store and rules file, in the "
                                                  "user state dir)")] = None,
    columns: Annotated[Optional[str], typer.Option(help=columns_help(ALERT_COLUMNS, ALERT_DEFAULT),
                                                   show_default=False)] = None,
    wide: Annotated[bool, typer.Option("--wide", help="table: every column (adds score, rule, id)")] = False,
) -> None:
    """Run alert rules over the store and emit alerts not emitted before."""
    names = _pick(columns, wide, ALERT_COLUMNS, ALERT_DEFAULT)
    from ..analyze import load_rules, post_alerts
    from ..analyze import watch as run_watch
    from ..analyze.watch import alerts_jsonl, load_state, save_state
    from ..store import default_target, open_store

    spec = load_rules(rules)
    state_path = state or _default_state(db or default_target(), rules)
    st = load_state(state_path)
    with open_store(db, read_only=_read_only(db)) as store:
        alerts, new_state = run_watch(store, spec, state=st, since=since.date() if since else None)
    if fmt is AlertFormat.jsonl:
        sys.stdout.write(alerts_jsonl(alerts))
    else:
        if alerts:
            show(Console(), table(alerts, names, ALERT_COLUMNS))
        else:
            Console().print("no new alerts")
    if out_file is not None and alerts:
        out_file.parent.mkdir(parents=True, exist_ok=True)
        with out_file.open("a", encoding="utf-8") as fh:
            fh.write(alerts_jsonl(alerts))
    if webhook and alerts:
        post_alerts(webhook, alerts)
    save_state(state_path, new_state)  # only after every sink succeeded: a failed webhook re-sends next run


def _pick(columns: str | None, wide: bool, catalogue: dict, default: tuple[str, ...]) -> list[str]:
    from ..errors import DetenteError

    try:
        return pick(columns, wide, catalogue, default)
    except DetenteError as exc:
        raise fail(str(exc)) from None


def _country(value: str) -> str:
    """One country code from a code or a name; anything else is a user error (exit 2)."""
    from ..errors import DetenteError
    from ..filters import country_codes

    try:
        code = country_codes(value)
    except DetenteError as exc:
        raise fail(str(exc)) from None
    if code is None or "," in code:
        raise fail(f"give one country (a code such as PAK or a name such as Pakistan), not {value!r}")
    return code


def _read_only(db: str | None) -> bool:
    """Open DuckDB files read-only when they exist (lets several readers share a file)."""
    if db is None or db.startswith(("postgresql://", "postgres://")) or db == ":memory:":
        return False
    return Path(db).exists()


def _default_state(target: str, rules: Path) -> Path:
    from platformdirs import user_state_dir

    key = stable_id(str(target), str(rules.resolve()), n=12)
    return Path(user_state_dir("detente")) / "watch" / f"{key}.json"
