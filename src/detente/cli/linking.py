"""``detente link``, ``dyads``, ``dyad``, ``watch``: thin layers over detente.link and detente.analyze."""

from __future__ import annotations

import datetime as dt
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from ..schema import stable_id
from . import app, fail

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
) -> None:
    """The most active country pairs (events, cooperation, conflict, intensity, fatalities)."""
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
        table = Table("dyad", "events", "coop", "conflict", "intensity", "killed", "balance", "first", "last")
        arrow = "→" if directed else "–"
        for r in df.itertuples():
            bal = "" if r.balance != r.balance else f"{r.balance:+.2f}"
            table.add_row(f"{r.a}{arrow}{r.b}", str(r.events), str(r.coop), str(r.conflict), f"{r.intensity:g}",
                          str(r.killed), bal, str(r.first), str(r.last))
        out.print(table)


@app.command()
def dyad(
    a: Annotated[str, typer.Argument(help="country code or name, e.g. PAK or Pakistan")],
    b: Annotated[str, typer.Argument(help="country code or name, e.g. IRN or Iran")],
    db: DbOpt = None,
    freq: Annotated[Freq, typer.Option(help="D daily, W weekly (weeks start Monday)")] = Freq.D,
    directed: Annotated[bool, typer.Option(help="only events by A against B")] = False,
    out_prefix: Annotated[Optional[Path], typer.Option("--out", help="write <out>.png and <out>.html")] = None,
) -> None:
    """Print a dyad's series; with --out also write a PNG and a self-contained HTML chart."""
    from ..analyze import dyad_chart, dyad_series
    from ..store import open_store

    a, b = _country(a), _country(b)
    with open_store(db, read_only=_read_only(db)) as store:
        evs = {e.id: e for c in (a, b) for e in store.canonical_events(country=c)}
        if not evs:
            evs = {e.id: e for c in (a, b) for e in store.events(country=c)}
    df = dyad_series(list(evs.values()), a, b, freq=freq.value, directed=directed)
    busy = df[df["events"] > 0]
    if busy.empty:
        out.print(f"no events between {a} and {b}")
    else:
        table = Table("date", *busy.columns)
        for ts, row in busy.iterrows():
            table.add_row(str(ts.date()), *("" if v != v else f"{v:.3g}" for v in row))
        out.print(table)
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
) -> None:
    """Run alert rules over the store and emit alerts not emitted before."""
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
        table = Table("date", "kind", "dyad", "score", "message", "rule")
        for al in alerts:
            table.add_row(str(al.date), al.kind, "–".join(al.dyad), f"{al.score:g}", al.message, al.rule)
        out.print(table if alerts else "no new alerts")
    if out_file is not None and alerts:
        out_file.parent.mkdir(parents=True, exist_ok=True)
        with out_file.open("a", encoding="utf-8") as fh:
            fh.write(alerts_jsonl(alerts))
    if webhook and alerts:
        post_alerts(webhook, alerts)
    save_state(state_path, new_state)  # only after every sink succeeded: a failed webhook re-sends next run


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
