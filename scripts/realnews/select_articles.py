"""Pick the real-news gold articles from the shared data sets (deterministic: same data -> same pool).

Writes ``data/gold/realnews/pool.jsonl``: one record per article with its provenance and split, no events.
The split is fixed by a hash of the article id (about 60 % train, 40 % dev) and never moves afterwards.

    python scripts/realnews/select_articles.py [SHARED_DATA_DIR]
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "data" / "gold" / "realnews" / "pool.jsonl"

# data set -> (file, how many, min chars, max chars)
PLAN = {
    "lgl": ("lgl/lgl.jsonl", 40, 400, 3500),
    "geovirus": ("geovirus/geovirus.jsonl", 14, 400, 3000),
    "india_police_events": ("india_police_events/india_police_events_docs.jsonl", 30, 300, 3500),
    "muc4": ("muc4/muc4_dev.jsonl", 28, 400, 3200),
    "wikievents": ("wikievents/wikievents_dev.jsonl", 12, 400, 4500),
    "rams": ("rams/rams_dev.jsonl", 16, 300, 3000),
    "semeval2015_timeline": ("semeval2015_timeline/semeval2015_timeline_dev.jsonl", 14, 400, 3500),
    "tempeval3_tbaq": ("tempeval3_tbaq/tempeval3_tbaq.jsonl", 30, 400, 3500),
    "ucdp_ged_headlines": ("ucdp_ged_headlines/ucdp_ged_headlines_train.jsonl", 14, 60, 1500),
    "wikitimes_cep_2015_09": ("wikitimes_cep_2015_09/wikitimes_cep_2015_09_train.jsonl", 18, 60, 1500),
}


def digest(text: str) -> int:
    return int(hashlib.sha1(text.encode("utf-8")).hexdigest(), 16)


def split_of(article_id: str) -> str:
    """``train`` for about 60 % of ids, ``dev`` for the rest; fixed by the id alone."""
    return "train" if digest("split:" + article_id) % 100 < 60 else "dev"


def usable(rec: dict, dataset: str, lo: int, hi: int) -> bool:
    text = rec.get("text") or ""
    if not lo <= len(text) <= hi:
        return False
    if dataset == "ucdp_ged_headlines":
        agree = (rec.get("gold_extra") or {}).get("headline_agreement") or {}
        # headlines that say something of the event (a place or a toll), in English letters
        return bool(agree.get("place_in_text") or agree.get("toll_in_text")) and text.isascii()
    return True


def main(shared: Path) -> None:
    pool = []
    for dataset, (path, n, lo, hi) in PLAN.items():
        rows = [json.loads(line) for line in (shared / path).open(encoding="utf-8")]
        seen_text = set()
        cands = []
        for rec in rows:
            if not usable(rec, dataset, lo, hi):
                continue
            key = rec["text"][:200]
            if key in seen_text:  # RAMS and UCDP repeat one document for several events
                continue
            seen_text.add(key)
            cands.append(rec)
        cands.sort(key=lambda r: digest("pick:" + str(r["id"])))
        for rec in cands[:n]:
            meta = rec.get("meta") or {}
            aid = "rn-" + hashlib.sha1(f"{dataset}:{rec['id']}".encode()).hexdigest()[:10]
            doc_date = rec.get("doc_date")
            pool.append({
                "id": aid,
                "split": split_of(aid),
                "provenance": {"dataset": dataset, "file": path, "record_id": rec["id"],
                               "url": meta.get("url") or meta.get("source_url"), "title": meta.get("title")},
                "title": meta.get("title"),
                "doc_date": doc_date if doc_date and doc_date != "None" else None,
                "text": rec["text"],
            })
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as fh:
        for rec in pool:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    n_train = sum(r["split"] == "train" for r in pool)
    print(f"{len(pool)} articles -> {OUT} (train {n_train}, dev {len(pool) - n_train})")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else REPO.parent / "shared" / "data")
