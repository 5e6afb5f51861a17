"""``detente eval``: score detente against gold files in the ``../shared/data`` JSONL schema.

A task is a function ``run(records: list[dict], **options) -> dict`` in a module of this package. The report it
returns keeps its headline figures as top-level numbers (``n``, ``accuracy``, ``macro_f1``, ``weighted_f1``; for geo
``exact``, ``acc_161km``, ``median_km``; for actors ``source_country_acc``, ``target_country_acc``) and details nested.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

from ..errors import DetenteError

# task name -> module that defines `run(records, task=..., **options)`
TASKS: dict[str, str] = {
    "plover": "events",
    "acled": "events",
    "cameo-quad": "events",
    "muc4": "muc4",
    "police": "police",
    "geo": "geo",
    "timex": "timex",
    "timeline": "timeline",
}


def load_gold(path: str | Path, *, limit: int | None = None) -> list[dict[str, Any]]:
    """Read a gold JSONL file; a line that is not a JSON object is an error naming the line."""
    records = []
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DetenteError("E801", path=path, line=lineno, detail=exc.msg) from None
            if not isinstance(rec, dict):
                raise DetenteError("E801", path=path, line=lineno, detail="not a JSON object")
            records.append(rec)
            if limit and len(records) >= limit:
                break
    return records


def evaluate(path: str | Path, task: str, *, limit: int | None = None, **options: Any) -> dict[str, Any]:
    """Run one task on one gold file and return its report."""
    if task not in TASKS:
        raise DetenteError("E800", task=task, allowed=", ".join(sorted(TASKS)))
    module = importlib.import_module(f"{__name__}.{TASKS[task]}")
    report = module.run(load_gold(path, limit=limit), task=task, **options)
    report.setdefault("task", task)
    report.setdefault("file", str(path))
    return report
