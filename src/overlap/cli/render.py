"""Result frames as text for the command line: a rich table, CSV or JSON.

Nested columns (lists, structs) are flattened for the table and CSV: a list of
strings is joined with ``"; "``, anything else nested becomes JSON. CSV cells a
spreadsheet would run as a formula are neutralised (``overlap.export``). Tables
show money (amounts, pipelines, deal sizes) in whole units: the lists carry no
currency, so none is shown.
"""

from __future__ import annotations

import io
import json
import re

import polars as pl
from rich.console import Console
from rich.table import Table

from overlap.errors import ConfigError
from overlap.export import neutralised

FORMATS = ("table", "csv", "json")
TABLE_WIDTH = 160
# Columns of money, by name: amount, open_pipeline, overlap_pipeline, avg_deal_size_with...
_MONEY = re.compile(r"(^|_)(amount|pipeline|revenue)$|^avg_deal_size")


def render(frame: pl.DataFrame, fmt: str, *, title: str) -> str:
    """``frame`` as ``fmt`` (one of ``FORMATS``); ``title`` heads the table only."""
    if fmt == "json":
        # NaN is not JSON; say null instead.
        rows = frame.with_columns(pl.selectors.float().fill_nan(None)).to_dicts()
        return json.dumps(rows, default=str, ensure_ascii=False, indent=2)
    if fmt == "csv":
        return neutralised(flat(frame)).write_csv()
    if fmt == "table":
        return _table(flat(frame), title=title)
    raise ConfigError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def flat(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with every nested column as text: string lists joined, the rest JSON."""
    return frame.with_columns(
        _flat_column(name, dtype) for name, dtype in frame.schema.items() if dtype.is_nested()
    )


def _flat_column(name: str, dtype: pl.DataType) -> pl.Expr:
    column = pl.col(name)
    if isinstance(dtype, pl.List) and dtype.inner == pl.String:
        return column.list.join("; ")
    # struct.json_encode wraps the value as {"name": value}; keep the value only.
    wrapped = pl.struct(column).struct.json_encode()
    return wrapped.str.slice(len(json.dumps(name)) + 2).str.strip_suffix("}").alias(name)


def cards(frame: pl.DataFrame, *, title: str, heading: str) -> str:
    """Each row of ``frame`` as a vertical table of field and value, titled ``title`` and
    the row's ``heading`` column: for rows too wide for a terminal."""
    flattened = flat(frame)
    tables = []
    for row in flattened.iter_rows(named=True):
        table = Table(title=f"{title}: {row[heading]}")
        table.add_column("field")
        table.add_column("value", justify="right")
        for name, value in row.items():
            table.add_row(name, _cell(value, money=bool(_MONEY.search(name))))
        tables.append(_printed(table))
    return "".join(tables)


def _table(frame: pl.DataFrame, *, title: str) -> str:
    table = Table(title=title)
    for name, dtype in frame.schema.items():
        table.add_column(name, justify="right" if dtype.is_numeric() else "left")
    money = [bool(_MONEY.search(name)) for name in frame.columns]
    for row in frame.iter_rows():
        table.add_row(*(_cell(value, money=m) for value, m in zip(row, money, strict=True)))
    return _printed(table)


def _printed(table: Table) -> str:
    out = io.StringIO()
    Console(file=out, width=TABLE_WIDTH, color_system=None).print(table)
    return out.getvalue()


def _cell(value: object, *, money: bool = False) -> str:
    if value is None:
        return ""
    if money and isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:,.0f}"
    if isinstance(value, float):
        return f"{value:,.3f}"
    return str(value)
