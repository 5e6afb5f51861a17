"""DuckDB backend: one file (or ``:memory:``), one writer process at a time, any number of read-only readers."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from ..errors import DetenteError
from .base import Store

_BULK_MIN = 24  # rows; below this a prepared INSERT costs less than building an Arrow table


class DuckDBStore(Store):
    """A store in a DuckDB file. ``read_only=True`` lets queries run while another process writes elsewhere."""

    dialect = "duckdb"

    def _connect(self) -> Any:
        memory = self.target == ":memory:"
        if not memory:
            path = Path(self.target)
            if self.read_only and not path.exists():
                raise DetenteError("E204", path=self.target)
            if not self.read_only:
                path.parent.mkdir(parents=True, exist_ok=True)
        try:
            con = duckdb.connect(self.target, read_only=self.read_only and not memory)
        except duckdb.IOException as exc:
            if "lock" in str(exc).lower():
                raise DetenteError("E201", path=self.target, detail=str(exc).splitlines()[0]) from exc
            raise DetenteError("E200", target=self.target, detail=exc) from exc
        except duckdb.Error as exc:
            raise DetenteError("E200", target=self.target, detail=exc) from exc
        con.execute("SET TimeZone = 'UTC'")
        return con

    def _store_failure(self, exc: BaseException) -> bool:
        return super()._store_failure(exc) or isinstance(exc, (
            duckdb.IOException, duckdb.OutOfMemoryException, duckdb.FatalException, duckdb.InternalException,
            duckdb.ConnectionException, duckdb.PermissionException)) or (
            isinstance(exc, duckdb.Error) and "corrupt" in str(exc).lower())

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        try:
            self._conn.execute(sql, list(params))
        except duckdb.Error as exc:
            self._raise_failure(exc)
            raise

    def _executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        try:
            self._conn.executemany(sql, [list(r) for r in rows])
        except duckdb.Error as exc:
            self._raise_failure(exc)
            raise

    def _insert_rows(self, table: str, cols: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        """Few rows: a prepared INSERT; many: one Arrow table scanned by a single INSERT (about 50x faster)."""
        if len(rows) < _BULK_MIN:
            super()._insert_rows(table, cols, rows)
            return
        import pyarrow as pa

        data = pa.table({c: pa.array([r[i] for r in rows]) for i, c in enumerate(cols)})
        self._conn.register("_detente_rows", data)
        try:
            self._conn.execute(f"INSERT INTO {table} ({', '.join(cols)}) SELECT * FROM _detente_rows")
        finally:
            self._conn.unregister("_detente_rows")

    def _fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        try:
            return self._conn.execute(sql, list(params)).fetchall()
        except duckdb.Error as exc:
            self._raise_failure(exc)
            raise

    def _fetch_df(self, sql: str, params: Sequence[Any] = ()) -> pd.DataFrame:
        try:
            return self._conn.execute(sql, list(params)).df()
        except duckdb.Error as exc:
            self._raise_failure(exc)
            raise
