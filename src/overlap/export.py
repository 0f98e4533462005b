"""Write result frames for spreadsheets, with formula injection neutralised.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
read as a formula by Excel, LibreOffice and Google Sheets; an account name such
as ``=HYPERLINK(...)`` coming from a partner's file must not run on a reviewer's
machine. Such string cells get a leading ``'`` (OWASP's advice), and so do headers.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula."""

_FORMULA = "^[" + "".join(FORMULA_STARTS).replace("-", r"\-") + "]"


def neutralise(expr: pl.Expr) -> pl.Expr:
    """A String expression with ``'`` put before every value a spreadsheet would run.

    >>> pl.select(neutralise(pl.lit("=1+1"))).item()
    "'=1+1"
    """
    return pl.when(expr.str.contains(_FORMULA)).then(pl.lit("'") + expr).otherwise(expr)


def neutralised(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with every String column and every header neutralised."""
    strings = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    safe = frame.with_columns(neutralise(pl.col(name)).alias(name) for name in strings)
    return safe.rename({name: _safe_header(name) for name in frame.columns})


def _safe_header(name: str) -> str:
    return "'" + name if name.startswith(FORMULA_STARTS) else name


def write_csv(frame: pl.DataFrame, path: str | Path) -> None:
    """Write ``frame`` as UTF-8 CSV, formulas neutralised."""
    neutralised(frame).write_csv(Path(path))


def write_excel(frame: pl.DataFrame, path: str | Path) -> None:
    """Write ``frame`` as an .xlsx workbook of one sheet, formulas neutralised."""
    neutralised(frame).write_excel(Path(path), autofit=True)
