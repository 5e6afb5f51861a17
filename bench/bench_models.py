"""Time the pieces chosen for speed: the numpy MiniLM encoder, the fast attribute ruler, and the coder with and
without MiniLM re-reading. One process, one BLAS thread (as a Dask worker runs), best of ``--repeat`` tries.

    .venv/bin/python bench/bench_models.py [--n 120] [--repeat 3] [--out bench/results-models.md]

Corpus: the first ``n`` articles of the generated bench corpus (bench/corpus.py, ~600 words each).
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import sys
import time
from pathlib import Path

from threadpoolctl import threadpool_limits

HERE = Path(__file__).resolve().parent


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=120)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", default=str(HERE / "results-models.md"))
    args = ap.parse_args()
    threadpool_limits(1)
    sys.path.insert(0, str(HERE))
    import spacy
    from corpus import write_corpus

    from detente.annotate import MODEL_NAMES, speed_up, split_sentences
    from detente.coder import Coder
    from detente.detect import minilm
    from detente.schema import Article

    path = write_corpus(HERE / "out" / "corpus.jsonl", max(args.n, 300))
    import json

    texts = [json.loads(line)["text"] for line in open(path, encoding="utf-8")][:args.n]
    sents = [t[s:e] for t in texts for s, e in split_sentences(t)]
    lines = [f"# Model pieces: speed (one thread, best of {args.repeat})\n",
             f"Run {dt.date.today()} on {platform.machine()}, Python {platform.python_version()}; {len(texts)} "
             f"generated articles, {len(sents)} sentences (`bench/bench_models.py`).\n",
             "| what | figure |", "|---|---|"]

    # 1. spaCy parse (no NER) with the model's attribute ruler and with detente.annotate.speed_up
    name = next(n for n in MODEL_NAMES if spacy.util.is_package(n))
    base = spacy.load(name, disable=["ner"])
    fast = speed_up(spacy.load(name, disable=["ner"]))
    t_base = best(lambda: list(base.pipe(sents, batch_size=64)), args.repeat)
    t_fast = best(lambda: list(fast.pipe(sents, batch_size=64)), args.repeat)
    pairs = [(x, y) for a, b in zip(base.pipe(sents), fast.pipe(sents)) for x, y in zip(a, b)]
    differ = sum((x.pos_, x.tag_, x.dep_, x.lemma_, str(x.morph)) != (y.pos_, y.tag_, y.dep_, y.lemma_, str(y.morph))
                 for x, y in pairs)
    lines.append(f"| spaCy parse, attribute_ruler → annotate.speed_up | {len(sents) / t_base:.0f} → {len(sents) / t_fast:.0f} "
                 f"sentences/s ({100 * (1 - t_fast / t_base):.0f} % less time); tokens whose POS, tag, dependency, "
                 f"lemma or morphology differ: {differ} of {len(pairs):,} |")

    # 2. MiniLM encoder (numpy)
    if minilm.available():
        sample = list(dict.fromkeys(sents))[:400]  # distinct sentences: the encoder encodes each once
        enc = minilm.MiniLM(cache_size=0).initialize()
        t = best(lambda: enc.encode(sample), args.repeat)
        lines.append(f"| MiniLM (numpy), {len(sample)} distinct sentences | {len(sample) / t:.0f} sentences/s |")

    # 2b. the event model (onnxruntime, int8), one thread: sentences with their context (as the coder reads them)
    # and alone (what the context costs)
    from detente.detect.event_model import EventModel, context_of, shipped

    if shipped():
        model = EventModel(threads=1).initialize()
        spans = [(t, split_sentences(t)) for t in texts]
        ctx = [context_of(None, t, sp, i) for t, sp in spans for i in range(len(sp))]
        t_ctx = best(lambda: model.read(sents, ctx), args.repeat)
        t_alone = best(lambda: model.read(sents), args.repeat)
        lines.append(f"| event model (onnxruntime int8), {len(sents)} sentences | {len(sents) / t_ctx:.0f} sentences/s "
                     f"with context, {len(sents) / t_alone:.0f} without |")

    # 3. the coder: MiniLM off, the default (unsure events, ≤ 2 sentences per article), every event
    arts = [Article(text=t, published=dt.date(2024, 1, 19)) for t in texts]
    for label, cfg in (("coder, --no-minilm", dict(minilm=False)), ("coder, default", {}),
                       ("coder, MiniLM for every mappable event", dict(minilm_below=1.0, minilm_per_article=10_000))):
        if cfg.get("minilm") is not False and not minilm.available():
            continue
        coder = Coder(**cfg).initialize()
        coder.code(Article(text="Warm up: Iran struck Pakistan."))

        def run(coder=coder):
            if minilm.available():
                minilm.load_minilm()._cache.clear()
            list(coder.pipe(arts))

        t = best(run, args.repeat)
        lines.append(f"| {label} | {len(arts) / t:.2f} articles/s |")
    text = "\n".join(lines) + "\n"
    Path(args.out).write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
