"""Time cross-article dedup (+ episodes) on synthetic stored-like report events.

    .venv/bin/python bench/bench_link.py [--n 100000] [--out bench/results-link.md]

The corpus: ``n`` reports of about n/2.5 real events (1–4 reports each, days ±1 lag, tolls varying) spread over
60 countries, 16 PLOVER types and 365 days, with places on 5 admin1 units per country; evidence sentences share
words within an event. Truth is known, so pairwise precision/recall of the merge is reported too.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import random
import time
from collections import defaultdict
from pathlib import Path

from detente.link import assign_episodes, link_events
from detente.schema import Count, Entity, Event, Evidence, Place, Toll

TYPES = ["ASSAULT", "COERCE", "MOBILIZE", "SANCTION", "PROTEST", "THREATEN", "ACCUSE", "REJECT", "REQUEST",
         "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT"]
WORDS = ("strike attack forces militants border talks minister agreement protest troops village rebels convoy "
         "missile drone shelling police capital envoy summit ceasefire aid sanctions").split()


def corpus(n: int, seed: int = 0) -> tuple[list[Event], dict[str, int]]:
    rng = random.Random(seed)
    countries = [f"C{i:02d}" for i in range(60)]
    start = dt.date(2024, 1, 1)
    events: list[Event] = []
    truth: dict[str, int] = {}
    k = 0
    while len(events) < n:
        a, b = rng.sample(countries, 2)
        etype = rng.choice(TYPES)
        day = start + dt.timedelta(days=rng.randrange(365))
        adm = f"{b}-A{rng.randrange(5)}"
        killed = rng.randrange(0, 30) if etype == "ASSAULT" else None
        words = rng.sample(WORDS, 6)
        for r in range(rng.choice((1, 1, 2, 2, 3, 4))):
            if len(events) >= n:
                break
            lag = rng.choice((0, 0, 0, 1))
            text = " ".join(words[:5] + [rng.choice(WORDS), f"report{r}"])
            kk = None if killed is None else max(0, killed + rng.randint(-2, 2))
            ev = Event(
                article_id=f"art-{k}-{r}", event_type=etype,
                actor=[Entity(text=a, country=a, sector="MIL")], recipient=[Entity(text=b, country=b)],
                date=day + dt.timedelta(days=lag), date_precision="day",
                location=Place(name=adm, country=b, admin1=adm, precision="admin1"),
                toll=Toll(killed=Count(low=kk, best=kk, high=kk)) if kk is not None else None,
                evidence=Evidence(text=text, start=0, end=len(text)), confidence=0.5,
            )
            events.append(ev)
            truth[ev.id] = k
        k += 1
    return events, truth


def pair_scores(truth: dict[str, int], mapping: dict[str, str]) -> tuple[float, float]:
    def pairs(groups: dict) -> set[tuple[str, str]]:
        inv = defaultdict(list)
        for e, g in groups.items():
            inv[g].append(e)
        return {(x, y) for ms in inv.values() for i, x in enumerate(sorted(ms)) for y in sorted(ms)[i + 1:]}

    t, p = pairs(truth), pairs(mapping)
    tp = len(t & p)
    return (tp / len(p) if p else 1.0), (tp / len(t) if t else 1.0)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--out", type=Path, default=Path(__file__).with_name("results-link.md"))
    args = ap.parse_args()
    t0 = time.perf_counter()
    evs, truth = corpus(args.n)
    t_gen = time.perf_counter() - t0
    t1 = time.perf_counter()
    res = link_events(evs)
    t_link = time.perf_counter() - t1
    t2 = time.perf_counter()
    epi = assign_episodes(res.canonical)
    t_epi = time.perf_counter() - t2
    half = len(evs) // 2
    t3 = time.perf_counter()
    r1 = link_events(evs[:half])
    t_half = time.perf_counter() - t3
    t4 = time.perf_counter()
    link_events(evs[half:], r1.canonical)
    t_inc = time.perf_counter() - t4
    prec, rec = pair_scores(truth, res.report_to_canonical)
    lines = [
        "# bench_link results",
        "",
        f"- machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}, "
        f"{platform.system()}; run {dt.date.today()}",
        f"- reports: {len(evs):,} (true events {len(set(truth.values())):,}); generation {t_gen:.1f} s (not timed below)",
        f"- dedup `link_events` (batch): **{t_link:.1f} s** ({len(evs) / t_link:,.0f} reports/s) → "
        f"{len(res.canonical):,} canonical events",
        f"- pairwise precision {prec:.3f}, recall {rec:.3f} against the generator's truth",
        f"- episodes `assign_episodes` on the canonical events: {t_epi:.1f} s, {len(epi.responses):,} responses, "
        f"{len(set(epi.episode_of.values())):,} episodes",
        f"- incremental: first half {t_half:.1f} s, second half against the {len(r1.canonical):,} canonical events "
        f"of the first: {t_inc:.1f} s",
        "",
    ]
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
