"""Tiny account frames built in the test that reads them."""

from __future__ import annotations

from typing import Any

import polars as pl

from overlap import schema


def make_accounts(rows: list[dict[str, Any]]) -> pl.DataFrame:
    """An account frame (schema.ACCOUNT_SCHEMA) from a few dicts; ids default to row numbers."""
    filled = [
        {
            column: row.get(column, str(number) if column == schema.ID else None)
            for column in schema.ACCOUNT_SCHEMA
        }
        for number, row in enumerate(rows, start=1)
    ]
    for number, row in enumerate(filled, start=1):
        row[schema.ROW] = number
    return pl.DataFrame(filled, schema=schema.ACCOUNT_SCHEMA)
