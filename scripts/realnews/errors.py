"""Error analysis on the real-news **train** split: what the coder misses, invents, or gets half right.

    .venv/bin/python scripts/realnews/errors.py [--limit N] [--kind missed|spurious|half]

Rules are written from these errors only; the dev split is the reported one and its errors are never read
(docs/annotation.md §6). The script therefore reads train.jsonl and nothing else. The event model was trained on the
same split, so its readings here are optimistic: measure a rule's effect on train, then once on dev.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from detente.coder import Coder
from detente.evaluate.articles import _describe_gold, _describe_out, _found, match_article
from detente.evaluate.common import code_records, usable
from detente.gold import parse_article

TRAIN = Path(__file__).resolve().parents[2] / "data" / "gold" / "realnews" / "train.jsonl"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kind", choices=("missed", "spurious", "half"), default="half")
    ap.add_argument("--limit", type=int, default=40)
    args = ap.parse_args()
    recs = [json.loads(line) for line in TRAIN.open(encoding="utf-8")]
    outputs, _ = code_records(recs, Coder())
    shapes: Counter[tuple] = Counter()
    shown = 0
    for rec, evs in zip(recs, outputs):
        art, evs = parse_article(rec), usable(evs or [])
        strict = match_article(art.events, evs, art.text)
        lenient = match_article(art.events, evs, art.text, lenient=True)
        right = {j for _, j in strict.right}
        rows = []
        if args.kind == "missed":
            rows = [("missed", _describe_gold(art.events[i])) for i in strict.missed]
        elif args.kind == "spurious":
            rows = [("spurious", _describe_out(evs[j])) for j in strict.spurious]
        else:  # right quad class and a participant, but not strictly right: which part is wrong
            for i, j in lenient.right:
                if j in right:
                    continue
                g, o = art.events[i], evs[j]
                shape = ("type ok" if g.event_type == o.event_type else "type differs",
                         "source ok" if all(_found(p, o.actor) for p in g.source) else
                         "source missing" if not o.actor else "source wrong",
                         "target ok" if all(_found(p, o.recipient) for p in g.target) else
                         "target missing" if not o.recipient else "target wrong")
                shapes[shape] += 1
                rows.append((" / ".join(shape), {"gold": _describe_gold(g), "coded": _describe_out(o)}))
        for kind, row in rows:
            if shown < args.limit:
                print(f"[{art.id}] {kind}: {json.dumps(row, ensure_ascii=False)}")
                shown += 1
    for shape, n in shapes.most_common():
        print(n, " / ".join(shape))


if __name__ == "__main__":
    main()
