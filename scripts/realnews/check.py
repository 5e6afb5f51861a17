"""Check an annotation pass (or a gold file) against docs/annotation.md.

    .venv/bin/python scripts/realnews/check.py PASS.jsonl [POOL.jsonl]

A pass line is ``{"id", "category", "events", "notes"}``; the text comes from the pool (data/gold/realnews/pool.jsonl)
when the line has none. Prints one line per problem and a summary; exits 1 when any record is wrong.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pycountry

from detente.gold import GoldError, parse_article

REPO = Path(__file__).resolve().parents[2]
EXTRA_CODES = {"XKX"}  # Kosovo: used by the World Bank and EU, not in ISO 3166-1


def main(path: Path, pool_path: Path) -> int:
    pool = {r["id"]: r for r in map(json.loads, pool_path.open(encoding="utf-8"))}
    bad = n_events = n_art = 0
    for lineno, line in enumerate(path.open(encoding="utf-8"), 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            print(f"line {lineno}: not JSON ({exc.msg})")
            bad += 1
            continue
        base = dict(pool.get(rec.get("id"), {}))
        if not base and "text" not in rec:
            print(f"line {lineno}: id {rec.get('id')!r} is not in the pool")
            bad += 1
            continue
        base.update(rec)
        try:
            art = parse_article(base)
        except GoldError as exc:
            print(f"line {lineno}: {exc}")
            bad += 1
            continue
        n_art += 1
        for i, ev in enumerate(art.events):
            n_events += 1
            codes = [p.country for p in ev.source + ev.target if p.country]
            codes += [ev.location.country] if ev.location and ev.location.country else []
            for code in codes:
                if code not in EXTRA_CODES and pycountry.countries.get(alpha_3=code) is None:
                    print(f"line {lineno}: {art.id} event {i}: {code} is not an ISO 3166-1 alpha-3 code")
                    bad += 1
    print(f"{n_art} articles, {n_events} events, {bad} problems")
    return 1 if bad else 0


if __name__ == "__main__":
    pool = Path(sys.argv[2]) if len(sys.argv) > 2 else REPO / "data" / "gold" / "realnews" / "pool.jsonl"
    sys.exit(main(Path(sys.argv[1]), pool))
