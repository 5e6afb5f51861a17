"""The accuracy suite behind ``make eval``: every task on every shared gold set it applies to, plus the
example-article check; one failing task is recorded, not fatal."""

from __future__ import annotations

import datetime as dt
import inspect
import json
import logging
import os
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import DetenteError
from . import TASKS, evaluate

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SuiteItem:
    """One row of the suite: a gold file (relative to the shared data folder), a task and an optional target."""

    dataset: str
    path: str
    task: str
    target: tuple[str, float] | None = None
    options: dict[str, Any] = field(default_factory=dict)


# Targets are the project's acceptance figures (issue tracker); None = reported without a target.
PLAN: tuple[SuiteItem, ...] = (
    # the team's real-news gold, dev split (docs/annotation.md): a path with "repo:" is inside this repository
    SuiteItem("realnews-dev", "repo:data/gold/realnews/dev.jsonl", "articles", ("f1", 0.60)),
    SuiteItem("plover_gsr", "plover_gsr/plover_gsr_dev.jsonl", "plover", ("macro_f1", 0.70)),
    SuiteItem("case2021_task2", "case2021_task2/case2021_task2_dev.jsonl", "acled", ("weighted_f1", 0.70)),
    SuiteItem("conflibert_cameo", "conflibert_cameo/conflibert_cameo_train.jsonl", "cameo-quad"),
    # the event model's source/target phrases on held-out sentences that mark them
    SuiteItem("plover_gsr", "plover_gsr/plover_gsr_dev.jsonl", "roles"),
    SuiteItem("conflibert_cameo", "conflibert_cameo/conflibert_cameo_train.jsonl", "roles"),
    SuiteItem("petrarch2_unittests", "petrarch2_unittests/petrarch2_unittests.jsonl", "cameo-quad"),
    SuiteItem("muc4", "muc4/muc4_dev.jsonl", "muc4"),
    SuiteItem("india_police_events", "india_police_events/india_police_events_docs.jsonl", "police",
              ("macro_f1", 0.70)),
    SuiteItem("lgl", "lgl/lgl.jsonl", "geo", ("acc_161km", 0.85)),
    SuiteItem("geovirus", "geovirus/geovirus.jsonl", "geo", ("acc_161km", 0.85)),
    SuiteItem("tempeval3_tbaq", "tempeval3_tbaq/tempeval3_tbaq.jsonl", "timex", ("accuracy", 0.80)),
    SuiteItem("semeval2015_timeline", "semeval2015_timeline/semeval2015_timeline_dev.jsonl", "timeline",
              ("accuracy", 0.70)),
    SuiteItem("example: pakistan-iran-2024-01", "../examples/pakistan-iran-2024-01.expected.json", "expected"),
)


REPO = Path(__file__).resolve().parents[3]


def shared_data_dir(explicit: str | Path | None = None, *, repo: Path | None = None) -> Path:
    """The shared gold folder: ``explicit``, else $DETENTE_SHARED_DATA, else ``<repo>/../shared/data``."""
    repo = repo or Path(__file__).resolve().parents[3]
    for cand in (explicit, os.environ.get("DETENTE_SHARED_DATA"), repo.parent / "shared" / "data"):
        if cand and Path(cand).is_dir():
            return Path(cand)
    raise DetenteError("E809", path=explicit or os.environ.get("DETENTE_SHARED_DATA") or repo.parent / "shared" / "data")


def _takes(task: str, name: str) -> bool:
    import importlib

    try:
        module = importlib.import_module(f"{__package__}.{TASKS[task]}")
    except ImportError:
        return False
    return name in inspect.signature(module.run).parameters


def run_suite(shared: Path, *, out_dir: Path | None = None, limit: int | None = None, coder: Any = None,
              only: set[str] | None = None, plan: tuple[SuiteItem, ...] = PLAN) -> list[dict[str, Any]]:
    """Run each plan item whose file exists; save each report as JSON in ``out_dir``; never stop on a failure.

    ``only`` restricts to data-set names or task names. A missing file is recorded as an error row.
    """
    results = []
    shared_coder = coder
    for item in plan:
        if only and item.dataset not in only and item.task not in only:
            continue
        path = (REPO / item.path[5:] if item.path.startswith("repo:") else shared / item.path).resolve()
        base = REPO if item.path.startswith("repo:") else shared.parent
        row: dict[str, Any] = {"dataset": item.dataset, "task": item.task, "file": _relative(path, base),
                               "target": item.target,
                               "report": None, "error": None, "seconds": None, "json": None}
        t0 = time.time()
        try:
            if not path.is_file():
                raise FileNotFoundError(f"no gold file {path}")
            options = dict(item.options)
            if _takes(item.task, "coder"):
                if shared_coder is None:
                    from .common import get_coder

                    shared_coder = get_coder(None)
                options["coder"] = shared_coder
            log.info("eval %s on %s", item.task, path)
            report = evaluate(path, item.task, limit=limit, **options)
            row["report"] = report
        except Exception as exc:  # noqa: BLE001 - record and go on with the next task
            row["error"] = f"{type(exc).__name__}: {exc}"
            log.warning("eval %s on %s failed:\n%s", item.task, path, traceback.format_exc())
        row["seconds"] = round(time.time() - t0, 1)
        if out_dir is not None and row["report"] is not None:
            out_dir.mkdir(parents=True, exist_ok=True)
            name = item.dataset.replace(":", "").replace(" ", "_") + f".{item.task}.json"
            target = out_dir / name
            target.write_text(json.dumps(_portable(row["report"], shared), indent=1, sort_keys=True,
                                         ensure_ascii=False, default=str) + "\n", encoding="utf-8")
            row["json"] = _relative(target, out_dir.parent)
        results.append(row)
    return results


def _relative(path: Path, base: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(Path(base).resolve()))
    except ValueError:
        return str(path)


def _portable(report: dict[str, Any], shared: Path) -> dict[str, Any]:
    """The report with machine-specific paths made relative to the shared folder (stable diffs)."""
    out = dict(report)
    if isinstance(out.get("file"), str):
        try:
            out["file"] = str(Path(out["file"]).resolve().relative_to(shared.resolve().parent))
        except ValueError:
            pass
    return out


def today() -> str:
    return dt.date.today().isoformat()
