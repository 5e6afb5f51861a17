"""Build the real-news gold files from the pool and the annotation passes.

    python scripts/realnews/build_gold.py

Reads ``data/gold/realnews/pool.jsonl`` (texts, provenance, split) and ``passes/pass_A.jsonl`` (every article),
``passes/reconciled.jsonl`` (the agreement sample after reconciliation: it replaces pass A for those articles).
Writes ``train.jsonl`` and ``dev.jsonl``: the pool record + category, events, notes and which passes made it.
Articles missing from every pass are left out and listed.
"""

from __future__ import annotations

import json
from pathlib import Path

from detente.gold import parse_article

GOLD = Path(__file__).resolve().parents[2] / "data" / "gold" / "realnews"


def read(path: Path) -> dict[str, dict]:
    if not path.exists():
        return {}
    return {r["id"]: r for r in map(json.loads, filter(str.strip, path.open(encoding="utf-8")))}


def main() -> None:
    pool = read(GOLD / "pool.jsonl")
    pass_a = read(GOLD / "passes" / "pass_A.jsonl")
    pass_b = read(GOLD / "passes" / "pass_B.jsonl")
    reconciled = read(GOLD / "passes" / "reconciled.jsonl")
    out: dict[str, list[dict]] = {"train": [], "dev": []}
    missing = []
    for aid, base in pool.items():
        ann = reconciled.get(aid) or pass_a.get(aid)
        if ann is None:
            missing.append(aid)
            continue
        rec = dict(base)
        if not rec.get("doc_date") and ann.get("doc_date"):
            rec["doc_date"] = ann["doc_date"]
            rec["doc_date_inferred"] = True
        rec.update(category=ann["category"], events=ann.get("events") or [], notes=ann.get("notes") or "",
                   annotation={"passes": ["A", "B"] if aid in pass_b else ["A"],
                               "reconciled": aid in reconciled})
        parse_article(rec)  # every record must follow docs/annotation.md
        out[rec["split"]].append(rec)
    for split, recs in out.items():
        with (GOLD / f"{split}.jsonl").open("w", encoding="utf-8") as fh:
            for rec in recs:
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        n_ev = sum(len(r["events"]) for r in recs)
        print(f"{split}: {len(recs)} articles, {n_ev} events")
    if missing:
        print(f"not yet annotated: {len(missing)} articles")


if __name__ == "__main__":
    main()
