"""One DuckDB connection behind one lock: transactions that count writes, and reads."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import polars as pl


class Database:
    """A DuckDB connection shared by threads; ``generation`` counts its committed writes,
    ``data_generation`` those that changed data (see ``api.store``) and ``keys_generation``
    those that changed API keys."""

    def __init__(self, connection: duckdb.DuckDBPyConnection) -> None:
        self._db = connection
        self._lock = threading.RLock()
        self.generation = 0
        self.data_generation = 0
        self.keys_generation = 0

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def _transaction(
        self, *, data: bool = True, keys: bool = False
    ) -> Iterator[duckdb.DuckDBPyConnection]:
        """One transaction; ``data=False`` for writes that change no list, partner or run,
        ``keys=True`` for those that change a key."""
        with self._lock:
            self._db.execute("BEGIN TRANSACTION")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
            self.generation += 1
            self.data_generation += int(data)
            self.keys_generation += int(keys)

    def _frame(self, sql: str, params: Sequence[Any] = ()) -> pl.DataFrame:
        with self._lock:
            return self._db.sql(sql, params=list(params)).pl()

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._db.execute(sql, list(params)).fetchall()


def quote(column: str) -> str:
    """``column`` as a SQL identifier."""
    return f'"{column}"'


def quoted(path: Path) -> str:
    """``path`` inside a SQL string literal (COPY takes no parameter for its file)."""
    return str(path).replace("'", "''")
