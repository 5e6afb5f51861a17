"""Inter-annotator agreement on the doubly annotated real-news articles (docs/annotation.md §7).

    python scripts/realnews/agreement.py

Scores pass B against pass A and pass A against pass B with the article scorer (``detente eval --task articles``
rules) and reports the mean of the two directions: event-level strict and lenient F1 and the field accuracies on
matched pairs. Writes ``data/gold/realnews/agreement.json`` and the table in docs/annotation.md.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from detente.evaluate.articles import FIELDS, score_articles
from detente.gold import GoldArticle, GoldEvent, parse_article
from detente.schema import Count, Entity, Event, Evidence, Place, Toll

REPO = Path(__file__).resolve().parents[2]
GOLD = REPO / "data" / "gold" / "realnews"
DOC = REPO / "docs" / "annotation.md"


def as_output(g: GoldEvent, art: GoldArticle) -> Event:
    """A gold event of one pass as if a coder had produced it, to be scored against the other pass."""
    ev = next((e for e in g.evidence if e in art.text), None)
    start = art.text.find(ev) if ev else 0
    end = start + len(ev) if ev else len(art.text)

    def ents(parties):
        return [Entity(text=p.name or "?", country=p.country, sector=p.sector) for p in parties]

    def count(c):
        return Count(low=c.low, best=c.best, high=c.high) if c else None

    loc = g.location
    return Event(
        article_id=art.id, event_type=g.event_type, mode=g.mode, modality=g.modality, confidence=1.0,
        actor=ents(g.source), recipient=ents(g.target), date=g.date, date_precision=g.date_precision,
        location=Place(name=loc.name or "?", country=loc.country, admin1=loc.admin1) if loc else None,
        toll=Toll(killed=count(g.killed), injured=count(g.injured)) if (g.killed or g.injured) else None,
        evidence=Evidence(text=art.text[start:end], start=start, end=end),
    )


def load(name: str, pool: dict[str, dict]) -> dict[str, GoldArticle]:
    out = {}
    for line in (GOLD / "passes" / name).open(encoding="utf-8"):
        if line.strip():
            rec = json.loads(line)
            out[rec["id"]] = parse_article({**pool[rec["id"]], **rec})
    return out


def compare(gold: list[GoldArticle], other: list[GoldArticle]) -> dict:
    outputs = [[as_output(g, o) for g in o.events if not g.optional] for o in other]
    return score_articles(gold, outputs)


def main() -> None:
    pool = {r["id"]: r for r in map(json.loads, (GOLD / "pool.jsonl").open(encoding="utf-8"))}
    a, b = load("pass_A.jsonl", pool), load("pass_B.jsonl", pool)
    ids = sorted(set(a) & set(b))
    ab = compare([a[i] for i in ids], [b[i] for i in ids])
    ba = compare([b[i] for i in ids], [a[i] for i in ids])
    keys = ["f1", "lenient_f1"] + [f"{f}_acc" for f in FIELDS]
    result = {"n_articles": len(ids), "events_A": ab["n_gold"], "events_B": ba["n_gold"],
              "optional_A": ab["n_optional"], "optional_B": ba["n_optional"],
              "category_agreement": round(sum(a[i].category == b[i].category for i in ids) / len(ids), 4)}
    for k in keys:
        vals = [r[k] for r in (ab, ba) if r[k] is not None]
        result[k] = round(sum(vals) / len(vals), 4) if vals else None
    result["directions"] = {"B_scored_against_A": {k: ab[k] for k in ["precision", "recall", *keys]},
                            "A_scored_against_B": {k: ba[k] for k in ["precision", "recall", *keys]}}
    (GOLD / "agreement.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    rows = [f"| {k} | {result[k] if result[k] is not None else '–'} |" for k in
            ["n_articles", "events_A", "events_B", "optional_A", "optional_B", "category_agreement", *keys]]
    table = ("Measured by `scripts/realnews/agreement.py` (mean of scoring B against A and A against B, article-scorer "
             "rules; field accuracies on lenient-matched pairs):\n\n| figure | value |\n|---|---|\n" + "\n".join(rows))
    doc = DOC.read_text(encoding="utf-8")
    doc = re.sub(r"<!-- agreement:start -->.*<!-- agreement:end -->",
                 f"<!-- agreement:start -->\n{table}\n<!-- agreement:end -->", doc, flags=re.S)
    DOC.write_text(doc, encoding="utf-8")
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
