"""Figures of an earlier coder on the records the current `make eval` scores: the "before" of docs/accuracy.md.

Two steps, because the earlier coder runs from its own checkout and the real-news scorer only exists now:

    git worktree add /tmp/old REV
    .venv/bin/python scripts/eval_before.py ids /tmp/ids.json                 # the ids the current models trained on
    (cd /tmp && PYTHONPATH=/tmp/old/src /work/main/.venv/bin/python /work/main/scripts/eval_before.py old \\
        /tmp/ids.json /tmp/before)                                          # the earlier coder, same records
    .venv/bin/python scripts/eval_before.py score /tmp/before REV           # -> docs/eval/before-REV.json

Every record a current model was trained on is left out on both sides, so before and after are on the same data.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PLAN = [("plover_gsr", "plover_gsr/plover_gsr_dev.jsonl", "plover"),
        ("case2021_task2", "case2021_task2/case2021_task2_dev.jsonl", "acled"),
        ("conflibert_cameo", "conflibert_cameo/conflibert_cameo_train.jsonl", "cameo-quad"),
        ("petrarch2_unittests", "petrarch2_unittests/petrarch2_unittests.jsonl", "cameo-quad"),
        ("muc4", "muc4/muc4_dev.jsonl", "muc4"),
        ("india_police_events", "india_police_events/india_police_events_docs.jsonl", "police"),
        ("semeval2015_timeline", "semeval2015_timeline/semeval2015_timeline_dev.jsonl", "timeline")]
EXAMPLE = "example: pakistan-iran-2024-01"


def numbers(report: dict) -> dict:
    return {k: v for k, v in report.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}


def main(argv: list[str]) -> None:
    step = argv[0]
    if step == "ids":
        from detente.coder import Coder

        Path(argv[1]).write_text(json.dumps(sorted(Coder().trained_ids)))
    elif step == "old":
        from detente.coder import Coder
        from detente.evaluate import evaluate, load_gold
        from detente.evaluate.common import to_article

        drop, out_dir = set(json.loads(Path(argv[1]).read_text())), Path(argv[2])
        out_dir.mkdir(parents=True, exist_ok=True)
        shared = REPO.parent / "shared"
        coder, figures = Coder(), {}
        for name, path, task in PLAN:
            kept = out_dir / f"{name}.jsonl"
            kept.write_text("".join(json.dumps(r) + "\n" for r in load_gold(shared / "data" / path)
                                    if str(r.get("id")) not in drop))
            figures[name] = numbers(evaluate(kept, task, coder=coder))
        figures[EXAMPLE] = numbers(evaluate(shared / "examples" / "pakistan-iran-2024-01.expected.json", "expected",
                                            coder=coder))
        (out_dir / "figures.json").write_text(json.dumps(figures, indent=1))
        with (out_dir / "realnews-dev.coded.jsonl").open("w", encoding="utf-8") as fh:
            for ca in coder.pipe([to_article(r) for r in load_gold(REPO / "data" / "gold" / "realnews" / "dev.jsonl")]):
                fh.write(ca.model_dump_json() + "\n")
    elif step == "score":
        from detente.evaluate import evaluate
        from detente.evaluate.replay import ReplayCoder

        out_dir, rev = Path(argv[1]), argv[2]
        figures = json.loads((out_dir / "figures.json").read_text())
        figures["realnews-dev"] = numbers(evaluate(REPO / "data" / "gold" / "realnews" / "dev.jsonl", "articles",
                                                   coder=ReplayCoder.from_jsonl(out_dir / "realnews-dev.coded.jsonl")))
        note = (f"the coder at commit {rev}, before the learned event model, run by scripts/eval_before.py on the "
                "same records as now, every record a current model was trained on left out on both sides")
        (REPO / "docs" / "eval" / f"before-{rev}.json").write_text(
            json.dumps({"commit": rev, "note": note, "figures": figures}, indent=1) + "\n")
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
