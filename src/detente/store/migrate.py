"""Numbered SQL migrations shipped in ``detente/store/sql/NNN_name.sql``, applied on open.

A file is split into statements at a ``;`` that ends a line. ``JSONDOC`` becomes the backend's JSON type. A statement
preceded by a ``-- dialect: postgres`` (or ``duckdb``) line runs on that backend only.

>>> [m.version for m in load_migrations()][:1]
[1]
>>> split_statements("CREATE TABLE a (x JSONDOC);\\n-- dialect: postgres\\nCREATE INDEX i ON a (x);\\n", "duckdb")
['CREATE TABLE a (x JSON)']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

_FILE = re.compile(r"^(\d{3})_([a-z0-9_]+)\.sql$")
_SPLIT = re.compile(r";[ \t]*(?:\n|$)")
_DIALECT = re.compile(r"^--\s*dialect:\s*(\w+)\s*$", re.MULTILINE)
JSON_TYPES = {"duckdb": "JSON", "postgres": "JSONB"}


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


@lru_cache(maxsize=1)
def load_migrations() -> tuple[Migration, ...]:
    """All shipped migrations, in version order."""
    out = []
    for item in resources.files("detente.store").joinpath("sql").iterdir():
        m = _FILE.match(item.name)
        if m:
            out.append(Migration(int(m.group(1)), item.name, item.read_text(encoding="utf-8")))
    out.sort(key=lambda m: m.version)
    versions = [m.version for m in out]
    if len(set(versions)) != len(versions):
        raise RuntimeError(f"duplicate migration versions in detente/store/sql: {versions}")
    return tuple(out)


def latest_version() -> int:
    migrations = load_migrations()
    return migrations[-1].version if migrations else 0


def split_statements(sql: str, dialect: str) -> list[str]:
    """The statements of one migration file that apply to ``dialect``, with JSONDOC replaced."""
    out = []
    for chunk in _SPLIT.split(sql):
        only = _DIALECT.search(chunk)
        if only and only.group(1) != dialect:
            continue
        lines = [ln for ln in chunk.splitlines() if not ln.strip().startswith("--")]
        stmt = "\n".join(lines).strip()
        if stmt:
            out.append(stmt.replace("JSONDOC", JSON_TYPES[dialect]))
    return out
