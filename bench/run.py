"""``make bench``: ingest → code → store on a generated corpus, against raw spaCy ``nlp.pipe`` on the same text.

Each measured run is its own subprocess, so peak memory (ru_maxrss) is that run's alone. Results go to
bench/results.md (and bench/results.json); the README and docs quote them.

    python bench/run.py [--n 200] [--workers 2]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"


def _child(kind: str, corpus: str, workers: int) -> dict:
    code = f"import sys; sys.path.insert(0, {str(HERE)!r}); import run; run.measure({kind!r}, {corpus!r}, {workers})"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if proc.returncode != 0:
        return {"kind": kind, "workers": workers, "error": proc.stderr[-2000:]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def measure(kind: str, corpus: str, workers: int) -> None:
    import resource

    import spacy

    texts = [json.loads(line)["text"] for line in open(corpus, encoding="utf-8")]
    tokens = sum(len(d) for d in spacy.blank("en").pipe(texts))
    extra: dict = {}
    if kind == "spacy":
        from detente.annotate import load_nlp

        nlp = load_nlp()
        nlp.pipe(["warm up"])
        t0 = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=64, n_process=workers):
            pass
        seconds = time.perf_counter() - t0
    else:
        import tempfile

        from detente.coder import Coder
        from detente.ingest import read
        from detente.pipeline import RunStats, code_stream
        from detente.store import open_store

        db = os.path.join(tempfile.mkdtemp(), "bench.duckdb")
        stats = RunStats()
        if workers == 1:
            coder = Coder().initialize()
            timers = _instrument(coder)
            coder.code(__import__("detente.schema", fromlist=["Article"]).Article(text="Warm up: Iran struck Pakistan."))
            for k in timers:
                timers[k] = 0.0
            t0 = time.perf_counter()
            with open_store(db) as store:
                for _ in code_stream(read(corpus), coder=coder, store=store, stats=stats):
                    pass
            seconds = time.perf_counter() - t0
            from detente.annotate import split_sentences

            model_seconds = timers.pop("event_model", 0.0)
            timers["event_model"] = 0.0  # the parsed-share reading below is not part of the run
            extra["model_seconds"] = round(model_seconds, 2)
            extra["model_share"] = round(model_seconds / seconds, 3)
            spans = [(t, s, e) for t in texts for s, e in split_sentences(t)]
            if coder.events_ is not None:  # the event model decides which sentences are parsed
                best = [r.best()[1] for r in coder.events_.read([t[s:e] for t, s, e in spans])]
                parsed = sum(p >= coder.config.parse_min for p in best)
            else:
                parsed = sum(coder.detector_.lexicon_.may_contain(t[s:e]) for t, s, e in spans)
            extra["parsed_share"] = round(parsed / max(len(spans), 1), 3)
            timers.pop("event_model", None)
            extra["resolve_seconds"] = round(sum(timers.values()), 2)
            extra["resolve_share"] = round(sum(timers.values()) / seconds, 3)
            extra["resolve_breakdown"] = {k: round(v, 2) for k, v in timers.items()}
        else:
            from detente.scale import code_archive

            t0 = time.perf_counter()
            result = code_archive([corpus], db=db, n_workers=workers, progress=False)
            seconds = time.perf_counter() - t0
            stats.articles, stats.events = result.articles, result.events
        extra["events"] = stats.events
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if workers > 1:
        rss_mb += resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"kind": kind, "workers": workers, "articles": len(texts), "tokens": tokens,
                      "seconds": round(seconds, 2), "articles_per_s": round(len(texts) / seconds, 2),
                      "tokens_per_s": round(tokens / seconds), "peak_rss_mb": round(rss_mb), **extra}))


def _instrument(coder) -> dict[str, float]:
    """Wrap the resolvers with timers (to report what resolution adds to coding time)."""
    import detente.coder as coder_mod

    timers: dict[str, float] = {}

    def wrap(owner, name, label):
        fn = getattr(owner, name)
        timers[label] = 0.0

        def timed(*a, **k):
            t = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                timers[label] += time.perf_counter() - t

        setattr(owner, name, timed)

    if coder.events_ is not None:
        wrap(coder.events_, "read", "event_model")
    wrap(coder.actors_, "resolve", "actors")
    wrap(coder.actors_, "find", "actor_scan")
    wrap(coder.places_, "resolve", "places")
    wrap(coder_mod, "find_dates", "dates")
    wrap(coder_mod, "find_tolls", "tolls")
    return timers


def _best(tries: list[dict]) -> dict:
    ok = [t for t in tries if "error" not in t]
    if not ok:
        return tries[0]
    best = dict(min(ok, key=lambda t: t["seconds"]))
    best["tries"] = len(tries)
    return best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=300, help="articles in the generated corpus")
    ap.add_argument("--workers", type=int, default=2, help="also measure with this many workers (Dask)")
    ap.add_argument("--repeat", type=int, default=3, help="tries of each single-process run; the fastest is kept")
    args = ap.parse_args()
    sys.path.insert(0, str(HERE))
    from corpus import write_corpus

    OUT.mkdir(exist_ok=True)
    corpus = str(write_corpus(OUT / "corpus.jsonl", args.n))
    # single-process runs are repeated and the fastest kept (as timeit does): the machine's noise only ever slows
    # a run down, and both sides get the same number of tries. The tries alternate (detente, spaCy, detente …) so
    # that a slow spell of this shared machine hits both sides; each pair's speed ratio is kept too
    tries: dict[str, list[dict]] = {"detente": [], "spacy": []}
    for _ in range(args.repeat):
        for kind in ("detente", "spacy"):
            tries[kind].append(_child(kind, corpus, 1))
    runs = [_best(tries["detente"]), _best(tries["spacy"])]
    pairs = [(d, s) for d, s in zip(tries["detente"], tries["spacy"]) if "error" not in d and "error" not in s]
    runs[0]["pair_ratios"] = [round(d["articles_per_s"] / s["articles_per_s"], 2) for d, s in pairs]
    if args.workers > 1:
        runs += [_child("detente", corpus, args.workers), _child("spacy", corpus, args.workers)]
    real = HERE.parent / "data" / "gold" / "realnews" / "pool.jsonl"
    if real.is_file():  # real news: the team's gold articles (texts only), as sold to analysts
        sample = OUT / "realnews.jsonl"
        with sample.open("w", encoding="utf-8") as fh:
            for line in real.open(encoding="utf-8"):
                fh.write(json.dumps({"text": json.loads(line)["text"]}) + "\n")
        real_tries: dict[str, list[dict]] = {"detente": [], "spacy": []}
        for _ in range(max(1, args.repeat - 1)):
            for kind in ("detente", "spacy"):
                real_tries[kind].append(_child(kind, str(sample), 1))
        runs += [dict(_best(real_tries[k]), corpus="real news") for k in ("detente", "spacy")]
    result = {"date": time.strftime("%Y-%m-%d"), "machine": f"{platform.machine()}, {os.cpu_count()} cores",
              "python": platform.python_version(), "runs": runs}
    (HERE / "results.json").write_text(json.dumps(result, indent=1) + "\n")
    (HERE / "results.md").write_text(render(result))
    print(render(result))


def render(result: dict) -> str:
    lines = [f"# Benchmark: ingest → code → store vs raw spaCy\n",
             f"Run {result['date']} on {result['machine']}, Python {result['python']} (`make bench`, "
             f"generated ~600-word news-like articles, bench/corpus.py, and the 216 real-news gold articles; "
             f"single-process runs: best of "
             f"{max((r.get('tries', 1) for r in result['runs']), default=1)}).\n",
             "| run | workers | articles | seconds | articles/s | tokens/s | peak RSS MB | notes |",
             "|---|---|---|---|---|---|---|---|"]
    by = {(r["kind"], r["workers"], r.get("corpus")): r for r in result["runs"]}
    for r in result["runs"]:
        name = r["kind"] + (f" ({r['corpus']})" if r.get("corpus") else "")
        if "error" in r:
            lines.append(f"| {name} | {r['workers']} | – | – | – | – | – | error: "
                         f"{r['error'].strip().splitlines()[-1][:120]} |")
            continue
        note = ""
        ref = by.get(("spacy", r["workers"], r.get("corpus")))
        if r["kind"] == "detente" and ref and "error" not in ref:
            note = f"{r['articles_per_s'] / ref['articles_per_s']:.2f}× raw spaCy; {r.get('events', '?')} events"
            if "resolve_share" in r:
                note += f"; resolution {100 * r['resolve_share']:.0f}% of time"
            if "parsed_share" in r:
                note += f"; {100 * r['parsed_share']:.0f}% of sentences parsed"
            if r.get("model_share") is not None:
                note += f"; event model {100 * r['model_share']:.0f}% of time"
            if r.get("pair_ratios"):
                ratios = sorted(r["pair_ratios"])
                note += f"; ratio per alternating pair {', '.join(map(str, r['pair_ratios']))} " \
                        f"(median {ratios[len(ratios) // 2]})"
        lines.append(f"| {name} | {r['workers']} | {r['articles']} | {r['seconds']} | {r['articles_per_s']} | "
                     f"{r['tokens_per_s']} | {r['peak_rss_mb']} | {note} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
