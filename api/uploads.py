"""An uploaded file read in a child process, its accounts left in a Parquet file.

Reading a list of two million rows takes several times its size for a moment; read in
the serving process, that memory would stay with it (the allocator keeps what it was
given) and the parse would hold the GIL every request needs. The child reads and checks
the file (``read_saved``, ``check_result``), writes the accepted accounts as Parquet, and
exits; ``Store.put_list`` has DuckDB insert them from that file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from overlap import schema
from overlap.api.elsewhere import in_child
from overlap.api.expansion import check_expansion
from overlap.api.problems import Problem
from overlap.api.settings import Settings
from overlap.errors import OverlapError
from overlap.ingest import IngestResult, read_accounts

__all__ = ["Read", "check_result", "read_apart", "read_saved"]

ACCOUNTS = "accounts.parquet"


@dataclass(frozen=True)
class Read:
    """What reading an upload found, but its accounts: those are in ``accounts`` (Parquet)."""

    accounts: Path
    rows_accepted: int
    mapping: dict[str, str]
    ignored: tuple[str, ...]
    rows_read: int
    rejected: list[dict[str, Any]]


def read_saved(
    path: Path, settings: Settings, *, mapping: dict[str, str] | None, status: str | None
) -> IngestResult:
    """Read a saved upload as ``read_accounts`` does; 413/422 naming only the file's name."""
    check_expansion(path, settings)
    return _parsed(path, mapping=mapping, status=status)


def _parsed(path: Path, *, mapping: dict[str, str] | None, status: str | None) -> IngestResult:
    name = path.name
    try:
        return read_accounts(path, mapping=mapping, status=status)
    except OverlapError as error:
        raise Problem(422, "invalid-input", str(error).replace(str(path), name)) from error
    except Exception as error:  # a reader library's own error on a broken file
        raise Problem(
            422,
            "invalid-input",
            f"file {name}: cannot be read as {path.suffix} ({type(error).__name__})",
        ) from error


def check_result(result: IngestResult, name: str, settings: Settings) -> None:
    """413 past ``max_rows`` accepted rows, 422 without any, or with a cell too long."""
    accounts = result.accounts
    if accounts.height > settings.max_rows:
        raise Problem(
            413,
            "too-large",
            f"file {name} has {accounts.height:,} rows; the limit is {settings.max_rows:,}",
        )
    if accounts.is_empty():
        reasons = result.rejected[schema.REASON].unique().to_list()[:3]
        raise Problem(
            422,
            "invalid-input",
            f"file {name}: no row could be used ({result.rows_read} read"
            + (f"; rejected: {'; '.join(str(r) for r in reasons)}" if reasons else "")
            + ")",
        )
    text = [c for c, t in accounts.schema.items() if t == pl.String]
    if text:
        longest = accounts.select(pl.col(text).str.len_chars().max()).row(0)
        for column, length in zip(text, longest, strict=True):
            if length is not None and length > settings.max_cell_chars:
                row = accounts.filter(pl.col(column).str.len_chars() == length)[schema.ROW][0]
                raise Problem(
                    422,
                    "invalid-input",
                    f"file {name}, row {row}, column {column!r}: a cell of {length:,} characters; "
                    f"cells are limited to {settings.max_cell_chars:,}",
                )


@contextmanager
def read_apart(
    path: Path, settings: Settings, *, mapping: dict[str, str] | None, status: str | None
) -> Iterator[Read]:
    """``read_saved`` and ``check_result`` of ``path`` in a child process; what it read,
    its accounts in a Parquet file for the block. Raises their Problems as they do.

    A file that would expand past the limits is refused here, before a process is started.
    """
    check_expansion(path, settings)
    with in_child(_read_file, path=path, settings=settings, mapping=mapping, status=status) as (
        found,
        folder,
    ):
        yield Read(accounts=folder / ACCOUNTS, **found)


def _read_file(
    folder: Path,
    report: Callable[[str, int, int], None],
    *,
    path: Path,
    settings: Settings,
    mapping: dict[str, str] | None,
    status: str | None,
) -> dict[str, Any]:
    """In the child: read and check ``path``, measured already, write its accounts in
    ``folder``."""
    result = _parsed(path, mapping=mapping, status=status)
    check_result(result, path.name, settings)
    result.accounts.write_parquet(folder / ACCOUNTS)
    return {
        "rows_accepted": result.accounts.height,
        "mapping": dict(result.mapping),
        "ignored": tuple(result.ignored),
        "rows_read": result.rows_read,
        "rejected": result.rejected.to_dicts(),
    }
