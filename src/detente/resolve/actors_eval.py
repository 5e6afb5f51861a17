"""Measure the actor resolver: country/sector accuracy on gold actor texts, and lookup speed.

Run ``python -m detente.resolve.actors_eval GOLD.jsonl`` on a file in the common gold schema (records with
``source``/``target`` lists of ``{text, code, sector}``, e.g. plover_gsr) or in the real-news gold schema (records
with ``events`` whose ``source``/``target`` are ``{name, country, sector}``, dated by the record's ``doc_date``), and
``--bench`` for lookups per second. ``--half heldout`` (or ``train``) keeps the records of one half of
:func:`detente.detect.train.split_half`, so that a figure can be reported on the half nobody tuned on.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DetenteError
from ..schema import Sector
from .actors import ActorResolver

BENCH_PHRASES = (
    "Pakistan's Foreign Minister Jalil Abbas Jilani", "Iranian counterpart Hossein Amir-Abdollahian",
    "UN Secretary-General Antonio Guterres", "the separatist Baloch Liberation Front", "Islamabad",
    "Tehran's strikes", "militants from the Jaish al Adl (JAA) group", "both nations", "the United States",
    "President Joe Biden", "Israeli troops", "Houthi rebels", "police", "protesters", "Russian forces",
    "the Kremlin", "Ukrainian President Volodymyr Zelensky", "Hamas fighters", "security forces",
    "a local human rights group",
)


@dataclass
class Score:
    """Accuracy counts over gold actor slots."""

    n: int = 0
    country_ok: int = 0
    sector_n: int = 0
    sector_ok: int = 0
    unresolved: int = 0
    errors: Counter[tuple[str, str | None]] = field(default_factory=Counter)

    @property
    def country_accuracy(self) -> float:
        return self.country_ok / self.n if self.n else 0.0

    @property
    def sector_accuracy(self) -> float:
        return self.sector_ok / self.sector_n if self.sector_n else 0.0


def gold_actors(path: str | Path, *, half: str | None = None,
                with_dates: bool = False) -> Iterator[tuple[str, str, str | None]] | Iterator[tuple]:
    """Yield (text, gold code, gold sector or None) for every actor slot with a text and a 3-letter code.

    Both gold schemas are read: slots ``{text, code, sector}`` in ``source``/``target``, and the real-news events'
    ``{name, country, sector}``. ``half`` keeps the records whose id falls in that half of ``split_half``;
    ``with_dates`` adds the record's date (``doc_date``, or None) as a fourth item.
    """
    p = Path(path)
    try:
        lines = p.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise DetenteError("E301", path=str(p), detail=exc.strerror or str(exc)) from exc
    sectors = {s.value for s in Sector}
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DetenteError("E303", path=str(p), line=n, detail=f"not JSON ({exc.msg})") from exc
        if half is not None:
            from ..detect.train import split_half

            if split_half(str(rec.get("id", ""))) != half:
                continue
        on = None
        if rec.get("doc_date"):
            try:
                on = dt.date.fromisoformat(str(rec["doc_date"])[:10])
            except ValueError:
                on = None
        slots = list((rec.get("source") or []) + (rec.get("target") or []))
        for ev in rec.get("events") or []:
            if isinstance(ev, dict):
                slots += list((ev.get("source") or []) + (ev.get("target") or []))
        for slot in slots:
            if not isinstance(slot, dict):
                continue
            text = slot.get("text") or slot.get("name")
            code = slot.get("code") or slot.get("country")
            if not text or not code:
                continue
            code = str(code)
            if len(code) != 3:
                continue
            sector = slot.get("sector")
            sector = sector if sector in sectors else None
            yield (text, code, sector, on) if with_dates else (text, code, sector)


def evaluate(resolver: ActorResolver, path: str | Path, *, half: str | None = None) -> Score:
    """Resolve every gold actor text (on the record's date, when it has one) and count matches."""
    score = Score()
    for text, code, sector, on in gold_actors(path, half=half, with_dates=True):
        ent = resolver.resolve(text, on=on)
        score.n += 1
        got = ent.country if ent else None
        if ent is None or (ent.country is None and ent.sector is None):
            score.unresolved += 1
        if got == code:
            score.country_ok += 1
        else:
            score.errors[(code, got)] += 1
        if sector:
            score.sector_n += 1
            score.sector_ok += int(ent is not None and ent.sector == sector)
    return score


def bench(resolver: ActorResolver, rounds: int = 2000, *, cached: bool = False) -> float:
    """resolve() calls per second over :data:`BENCH_PHRASES` (after one warm-up pass).

    ``cached=False`` clears the phrase cache before every call, so this measures matching and composition.
    """
    import datetime as dt

    on = dt.date(2024, 1, 19)
    for p in BENCH_PHRASES:
        resolver.resolve(p, on=on)
    t0 = time.perf_counter()
    for _ in range(rounds):
        for p in BENCH_PHRASES:
            if not cached:
                resolver._cache.clear()
            resolver.resolve(p, on=on)
    return rounds * len(BENCH_PHRASES) / (time.perf_counter() - t0)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("gold", nargs="*", help="gold JSONL files (common schema)")
    ap.add_argument("--bench", action="store_true", help="measure resolve() calls per second")
    ap.add_argument("--actors", action="append", default=[], help="extra actor tables")
    ap.add_argument("--half", choices=("train", "heldout"), help="only the records of this half (split_half)")
    args = ap.parse_args(argv)
    resolver = ActorResolver(extra_paths=args.actors)
    t0 = time.perf_counter()
    resolver.initialize()
    print(f"loaded {resolver.index.size} aliases in {time.perf_counter() - t0:.2f} s")
    for path in args.gold:
        s = evaluate(resolver, path, half=args.half)
        print(f"{path}{' (' + args.half + ' half)' if args.half else ''}: {s.n} actor slots, country accuracy {s.country_accuracy:.3f}, "
              f"sector accuracy {s.sector_accuracy:.3f} (n={s.sector_n}), no country or sector: {s.unresolved}")
        print("  most frequent misses (gold, got):", s.errors.most_common(12))
    if args.bench:
        print(f"resolve(), uncached: {bench(resolver):,.0f} calls/s; "
              f"repeated phrases (cache hits): {bench(resolver, cached=True):,.0f} calls/s")


if __name__ == "__main__":
    main()
