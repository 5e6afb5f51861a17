"""``detente gazetteer``: build, import, inspect the place index."""

from __future__ import annotations

import time
from pathlib import Path

import typer
from rich.console import Console

from . import app

out = Console()


@app.command("gazetteer")
def gazetteer_cli(
    build: bool = typer.Option(False, "--build", help="(Re)build the default index from the bundled packages."),
    geonames: Path | None = typer.Option(None, "--geonames", help="Import a GeoNames dump (allCountries.txt, "
                                         "citiesN.txt: 19 tab-separated columns)."),
    alternate_names: Path | None = typer.Option(None, "--alternate-names", help="alternateNamesV2.txt to add "
                                                "English alternate names to an import."),
    min_population: int = typer.Option(0, "--min-population", help="Skip populated places below this (import)."),
    out_path: Path | None = typer.Option(None, "--out", help="Where to write the index (default: user cache dir)."),
    lookup: list[str] = typer.Option([], "--lookup", "-l", help="Print the candidates for a name (repeatable)."),
) -> None:
    """Build the gazetteer index, import a GeoNames dump into it, or look names up."""
    from ..resolve import gazetteer as gz

    if geonames is not None:
        t = time.perf_counter()
        state = gz.import_geonames(geonames, alternate_names=alternate_names, min_population=min_population)
        path = gz.save_state(state, out_path or gz.imported_cache_path())
        out.print(f"imported {len(state['cols']['gid']):,} places, {len(state['index']):,} names from {geonames} "
                  f"in {time.perf_counter() - t:.1f} s -> {path}")
    elif build:
        t = time.perf_counter()
        state = gz.build_default()
        path = gz.save_state(state, out_path or gz.default_cache_path())
        out.print(f"built {len(state['cols']['gid']):,} places, {len(state['index']):,} names "
                  f"in {time.perf_counter() - t:.1f} s -> {path}")
    g = gz.Gazetteer(path=out_path if out_path and out_path.exists() else None)
    for name in lookup:
        cands = g.candidates(name)
        out.print(f"[bold]{name}[/] ({len(cands)} candidates)")
        for c in cands[:10]:
            where = ", ".join(x for x in (c.admin1, c.country) if x)
            out.print(f"  {c.name} [{c.feature_code}] {where} pop={c.population:,} "
                      f"({c.lat if c.lat is None else round(c.lat, 3)}, {c.lon if c.lon is None else round(c.lon, 3)})"
                      f" id={c.geonames_id} {c.admin1_code or ''}")
    if not (geonames or build or lookup):
        t = time.perf_counter()
        g.initialize()
        out.print(f"gazetteer: {len(g):,} places, source {g.meta.get('source')}, loaded in "
                  f"{time.perf_counter() - t:.2f} s")
