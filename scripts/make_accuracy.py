"""`make eval`: run every eval task on every shared gold set it applies to and regenerate docs/accuracy.md.

Usage: python scripts/make_accuracy.py [--shared PATH] [--limit N] [--only NAME ...] [--out docs/accuracy.md]

The shared gold folder is --shared, else $DETENTE_SHARED_DATA, else ../shared/data beside the repo. Reports are
saved as JSON under docs/eval/ for diffing. A failing task is recorded in the document; the script goes on.
"""

from __future__ import annotations

import argparse
import logging
import subprocess
import sys
from pathlib import Path

from detente.errors import DetenteError
from detente.evaluate.report import render_markdown
from detente.evaluate.suite import run_suite, shared_data_dir, today

REPO = Path(__file__).resolve().parents[1]


def commit() -> str:
    try:
        out = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True,
                             text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, check=True).stdout.strip()
        return out + ("+uncommitted changes" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def realnews_notes() -> list[str]:
    """What frames the real-news figures: the inter-annotator ceiling and the coder before the learned model."""
    import json

    gold = REPO / "data" / "gold" / "realnews"
    notes = ["**Headline: whole articles of real news** (`realnews-dev`, the team's gold, docs/annotation.md): "
             "every event an analyst would code from each article, scored one to one (docs/eval.md, `articles`). "
             "The dev split is never trained on and no rule is written from its errors."]
    agree = gold / "agreement.json"
    if agree.is_file():
        a = json.loads(agree.read_text(encoding="utf-8"))
        notes.append(f"Ceiling: two annotators who never saw each other's work agree at strict F1 {a['f1']:.3f} "
                     f"(lenient {a['lenient_f1']:.3f}) on {a['n_articles']} doubly annotated articles "
                     "(docs/annotation.md §7).")
    return notes


def before_after(results: list[dict]) -> list[str]:
    """A table of each set's headline figure before the current coder (docs/eval/before-*.json: the earlier
    coder run on the same records by scripts/eval_before.py) and now."""
    import json

    from detente.evaluate.report import _PREFERRED, fmt

    files = sorted((REPO / "docs" / "eval").glob("before-*.json"))
    if not files:
        return []
    before = json.loads(files[-1].read_text(encoding="utf-8"))
    rows = []
    for r in results:
        rep, old = r.get("report") or {}, before.get("figures", {}).get(r["dataset"])
        if not rep or not old or r["task"] == "roles":  # the roles task is new with the role-tagging model
            continue
        key = (r.get("target") or (None,))[0] or next((k for k in _PREFERRED if k in rep), None)
        extra = ""
        if r["task"] == "articles":
            extra = (f"P {fmt(old.get('precision'))} → {fmt(rep.get('precision'))}, R {fmt(old.get('recall'))} → "
                     f"{fmt(rep.get('recall'))}; wrong events per non-political article "
                     f"{fmt(old.get('spurious_per_nonpolitical_article'))} → "
                     f"{fmt(rep.get('spurious_per_nonpolitical_article'))}")
        elif r["task"] == "expected":
            extra = f"matched {old.get('matched')} → {rep.get('matched')}, extra {old.get('extra')} → {rep.get('extra')}"
        rows.append(f"| {r['dataset']} | {old.get('n')} / {rep.get('n')} | {key} | {fmt(old.get(key))} | "
                    f"{fmt(rep.get(key))} | {extra} |")
    return [f"**Before and after** ({before['note']}):\n\n| data set | n before / now | figure | before | now | |\n"
            "|---|---|---|---|---|---|\n" + "\n".join(rows)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", help="shared gold data folder")
    ap.add_argument("--limit", type=int, default=None, help="score at most N records per set (default: all)")
    ap.add_argument("--only", nargs="*", help="data-set or task names to run (default: all)")
    ap.add_argument("--out", default=str(REPO / "docs" / "accuracy.md"))
    ap.add_argument("--json-dir", default=str(REPO / "docs" / "eval"))
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    try:
        shared = shared_data_dir(args.shared, repo=REPO)
    except DetenteError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    results = run_suite(shared, out_dir=Path(args.json_dir), limit=args.limit,
                        only=set(args.only) if args.only else None)
    notes = realnews_notes() + [
        "Training overlap: the word classifier is trained partly on the dev sets (a hash-split half of "
        "plover_gsr, case2021_task2 and petrarch2_unittests, `detente.detect.train`); the event model "
        "(docs/model.md) on the same halves, the real-news train split and the india_police_events sentences of "
        "the training half of its documents. Every task leaves out each record whose id is in a model manifest's "
        "`trained_ids`, so those figures are on the held-out part (the column says how many were left out). The "
        "ACLED sub-event classifier uses the same training half of case2021_task2.",
        "Never trained on: conflibert_cameo, muc4, lgl, geovirus, tempeval3_tbaq, semeval2015_timeline, the example "
        "article, the real-news dev split. Rules and lexicons were developed looking at error analyses of "
        "plover_gsr, case2021_task2, india_police_events (police vocabulary and mapping rules, earlier sessions), "
        "lgl and geovirus (place-point conventions, aliases), so treat those figures as optimistic.",
        "Output threshold: the real-news task and the example article use the coder as shipped (events below "
        "`min_confidence` 0.5 left out). The detection tasks — sentence typing (plover, acled, cameo-quad), police "
        "actions and MUC-4 templates — score the coder with no output threshold (`evaluate.common.DETECTION`): "
        "the threshold is the product's precision knob, chosen on whole articles (with it, police-action recall "
        "falls: india_police_events macro-F1 0.578 instead of 0.700, measured once on the same 442 documents "
        "before the model's trigger-less events were added).",
        "Speed and memory: `make bench` (bench/results.md).",
    ]
    notes[1:1] = before_after(results)
    if args.limit:
        notes.append(f"**Sampled run:** at most {args.limit} records per set (`--limit {args.limit}`).")
    text = render_markdown(results, date=today(), commit=commit(), notes=notes)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(text, encoding="utf-8")
    failed = [r for r in results if r["report"] is None]
    print(f"wrote {args.out}: {len(results) - len(failed)} ok, {len(failed)} failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
