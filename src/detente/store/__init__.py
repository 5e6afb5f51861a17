"""Where coded articles live: DuckDB by default (one file), PostgreSQL for servers, one interface.

>>> from detente.store import open_store
>>> with open_store(":memory:") as store:
...     store.has_article("art-0")
False
"""

from __future__ import annotations

import os
from pathlib import Path

from .base import Store
from .duck import DuckDBStore
from .flat import FLAT_COLUMNS, flatten
from .migrate import latest_version

__all__ = ["open_store", "default_target", "Store", "DuckDBStore", "PostgresStore", "FLAT_COLUMNS", "flatten",
           "latest_version"]

_PG_PREFIXES = ("postgresql://", "postgres://")


def default_target() -> str:
    """``$DETENTE_DB`` if set, else ``<user data dir>/detente.duckdb`` (platformdirs)."""
    env = os.environ.get("DETENTE_DB")
    if env:
        return env
    from platformdirs import user_data_dir

    return str(Path(user_data_dir("detente")) / "detente.duckdb")


def open_store(target: str | os.PathLike[str] | None = None, *, read_only: bool = False) -> Store:
    """Open (creating and migrating when writable) the store at ``target``.

    Parameters
    ----------
    target
        None -> ``$DETENTE_DB``, else the platform user data dir; a path -> DuckDB file; ``":memory:"`` ->
        in-memory DuckDB; ``"postgresql://..."`` -> PostgreSQL.
    read_only
        Only read: DuckDB opens the file shared (other read-only processes may open it too); the schema must
        already be current.
    """
    tgt = default_target() if target is None else os.fspath(target)
    if tgt.startswith(_PG_PREFIXES):
        from .pg import PostgresStore

        store: Store = PostgresStore(target=tgt, read_only=read_only)
    else:
        store = DuckDBStore(target=tgt, read_only=read_only)
    return store.initialize()


def __getattr__(name: str):  # PostgresStore imports lazily so psycopg stays optional
    if name == "PostgresStore":
        from .pg import PostgresStore

        return PostgresStore
    raise AttributeError(name)
