"""``detente eval``: score detente against gold files in the ``../shared/data`` JSONL schema.

A task is a function ``run(records: list[dict], *, task: str, **options) -> dict`` in a module of this package.
Event-coding tasks take ``coder=`` (default: a real ``detente.coder.Coder()``; tests pass a
``detente.evaluate.replay.ReplayCoder``). The report it
returns keeps its headline figures as top-level numbers (``n``, ``accuracy``, ``macro_f1``, ``weighted_f1``; for geo
``exact``, ``acc_161km``, ``median_km``; for actors ``source_country_acc``, ``target_country_acc``) and details nested.
"""

from __future__ import annotations

import importlib
import inspect
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
    "expected": "example",
    "articles": "articles",
    "roles": "roles",
}


def load_gold(path: str | Path, *, limit: int | None = None) -> list[dict[str, Any]]:
    """Read a gold JSONL file; a line that is not a JSON object is an error naming the line.

    A ``.json`` file holding one object (e.g. an expected-events file) is read as a single record, with its path
    kept under ``_path`` so that relative references in it can be resolved.
    """
    if str(path).endswith(".json"):
        from .example import load_expected

        return [load_expected(path)]
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
    params = inspect.signature(module.run).parameters
    if "limit" in params:  # the task applies the limit itself (after leaving out records it cannot score)
        report = module.run(load_gold(path), task=task, limit=limit, **options)
    else:
        report = module.run(load_gold(path, limit=limit), task=task, **options)
    report.setdefault("task", task)
    report.setdefault("file", str(path))
    return report
