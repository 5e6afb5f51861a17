"""Build ``data/gold/realnews/role_spans.jsonl``: where each train-split event's source and target are named.

    .venv/bin/python scripts/realnews/role_spans.py worklist   # write one worklist per annotator folder
    .venv/bin/python scripts/realnews/role_spans.py build DIR…  # merge the annotators' spans.jsonl, checked

The real-news gold names participants by code and description ("GBR REB = killers of Constable Carroll"), not by
position. For the event model's role tags (docs/model.md) annotators mark, in the sentence that holds each
non-optional **train** event's evidence, the exact words naming its source and its target (docs/annotation.md §8).
Only the train split: the dev split is never annotated for training. Every span is checked to be a substring of its
sentence; a line that fails is dropped with a message, never kept half right.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from detente.annotate import split_sentences
from detente.gold import parse_article

GOLD = Path(__file__).resolve().parents[2] / "data" / "gold" / "realnews"


def evidence_sentence(art, g) -> tuple[int, int] | None:
    spans = split_sentences(art.text)
    for ev in g.evidence:
        at = art.text.find(ev)
        if at >= 0:
            return next(((s, e) for s, e in spans if s <= at < e), None)
    return None


def worklist(out: Path, parts: int = 2) -> None:
    rows = []
    for line in (GOLD / "train.jsonl").open(encoding="utf-8"):
        art = parse_article(json.loads(line))
        spans = split_sentences(art.text)
        for k, g in enumerate(art.events):
            sent = None if g.optional else evidence_sentence(art, g)
            if sent is None:
                continue
            i = spans.index(sent)
            prev = art.text[spans[i - 1][0]:spans[i - 1][1]].strip() if i else ""
            rows.append({"article": art.id, "event": k, "type": g.event_type,
                         "source": [f"{p.country or ''} {p.sector or ''} = {p.name or ''}".strip() for p in g.source],
                         "target": [f"{p.country or ''} {p.sector or ''} = {p.name or ''}".strip() for p in g.target],
                         "evidence": g.evidence[0], "previous_sentence": prev, "sentence": art.text[slice(*sent)]})
    articles = sorted({r["article"] for r in rows})
    for n in range(parts):
        mine = set(articles[n::parts])
        folder = out / f"batch{n + 1}"
        folder.mkdir(parents=True, exist_ok=True)
        with (folder / "worklist.jsonl").open("w", encoding="utf-8") as fh:
            for r in rows:
                if r["article"] in mine:
                    fh.write(json.dumps(r, ensure_ascii=False) + "\n")


def build(folders: list[Path]) -> None:
    out, dropped = [], 0
    for folder in folders:
        work = [json.loads(x) for x in (folder / "worklist.jsonl").open(encoding="utf-8") if x.strip()]
        done = [json.loads(x) for x in (folder / "spans.jsonl").open(encoding="utf-8") if x.strip()]
        for w, d in zip(work, done):
            if (w["article"], w["event"]) != (d.get("article"), d.get("event")):
                print(f"{folder}: out of order at {w['article']}#{w['event']}", file=sys.stderr)
                dropped += 1
                continue
            spans = [("source", s) for s in d.get("source_spans") or []] + \
                    [("target", s) for s in d.get("target_spans") or []]
            if any(not s or s not in w["sentence"] for _, s in spans):
                print(f"{folder}: a span is not in the sentence at {w['article']}#{w['event']}", file=sys.stderr)
                dropped += 1
                continue
            out.append({"article": w["article"], "event": w["event"], "sentence": w["sentence"],
                        "source": [s for side, s in spans if side == "source"],
                        "target": [s for side, s in spans if side == "target"],
                        "annotator": folder.name})
    out.sort(key=lambda r: (r["article"], r["event"]))
    with (GOLD / "role_spans.jsonl").open("w", encoding="utf-8") as fh:
        for r in out:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"{len(out)} events with role spans -> {GOLD / 'role_spans.jsonl'} ({dropped} dropped)")


if __name__ == "__main__":
    if sys.argv[1:2] == ["worklist"]:
        worklist(Path(sys.argv[2]) if len(sys.argv) > 2 else Path("build/role_annotation"))
    elif sys.argv[1:2] == ["build"]:
        build([Path(p) for p in sys.argv[2:]])
    else:
        sys.exit(__doc__)
