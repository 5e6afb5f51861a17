"""PostgreSQL backend (psycopg 3): many concurrent writers, JSONB records, secondary indexes."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import pandas as pd

from ..errors import DetenteError
from .base import Store


@lru_cache(maxsize=256)
def _pg(sql: str) -> str:
    """``?`` placeholders -> ``%s`` (store SQL never contains a literal ``?`` or ``%``)."""
    return sql.replace("?", "%s")


class PostgresStore(Store):
    """A store in a PostgreSQL database given by a ``postgresql://`` DSN."""

    dialect = "postgres"

    def _connect(self) -> Any:
        try:
            import psycopg
        except ImportError as exc:
            raise DetenteError("E202") from exc
        try:
            conn = psycopg.connect(self.target, autocommit=True)
        except psycopg.Error as exc:
            raise DetenteError("E200", target=_redact(self.target), detail=str(exc).strip()) from exc
        conn.execute("SET TIME ZONE 'UTC'")
        if self.read_only:
            conn.execute("SET default_transaction_read_only = on")
        return conn

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        try:
            self._conn.execute(_pg(sql), tuple(params) or None)
        except Exception as exc:
            self._raise_failure(exc)
            raise

    def _executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        try:
            with self._conn.cursor() as cur:
                cur.executemany(_pg(sql), rows)
        except Exception as exc:
            self._raise_failure(exc)
            raise

    def _fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        try:
            with self._conn.cursor() as cur:
                cur.execute(_pg(sql), tuple(params) or None)
                return cur.fetchall() if cur.description else []
        except Exception as exc:
            self._raise_failure(exc)
            raise

    def _fetch_df(self, sql: str, params: Sequence[Any] = ()) -> pd.DataFrame:
        try:
            with self._conn.cursor() as cur:
                cur.execute(_pg(sql), tuple(params) or None)
                cols = [d.name for d in cur.description]
                return pd.DataFrame.from_records(cur.fetchall(), columns=cols)
        except Exception as exc:
            self._raise_failure(exc)
            raise

    def _store_failure(self, exc: BaseException) -> bool:
        import psycopg

        return super()._store_failure(exc) or isinstance(exc, (psycopg.OperationalError, psycopg.InterfaceError))

    def _name(self) -> str:
        return _redact(self.target)

    def _lock_migrations(self) -> None:
        self._execute("SELECT pg_advisory_xact_lock(7301946)")

    def __repr__(self) -> str:
        return f"PostgresStore(target={_redact(self.target)!r}, read_only={self.read_only})"


def _redact(dsn: str) -> str:
    """The DSN without its password, for messages."""
    try:
        from urllib.parse import urlsplit, urlunsplit

        parts = urlsplit(dsn)
        if parts.password:
            host = parts.hostname or ""
            netloc = f"{parts.username}:***@{host}" + (f":{parts.port}" if parts.port else "")
            return urlunsplit(parts._replace(netloc=netloc))
    except ValueError:
        pass
    return dsn
