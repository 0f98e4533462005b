"""Columns that let a person check the match and dedupe CSVs without opening the lists:
each record's name, and its row as a spreadsheet shows it (``22``, or ``Accounts!22``)."""

from __future__ import annotations

import re

import polars as pl

from overlap import schema
from overlap.ingest import IngestResult

NAME = "name"
ROW = "row"


def sheet_row(result: IngestResult) -> pl.DataFrame:
    """``id``, ``name`` and ``row`` of each account of a list read: the line of the file
    (header and title rows counted), prefixed with the sheet as Excel writes a reference
    (``Accounts!22``, ``'Q3 list'!22``) when the list came from a workbook."""
    row = pl.col(schema.ROW).cast(pl.String)
    if result.sheet is not None:
        sheet = result.sheet
        if not re.fullmatch(r"\w+", sheet):
            sheet = "'" + sheet.replace("'", "''") + "'"
        row = pl.lit(f"{sheet}!") + row
    return result.accounts.select(schema.ID, pl.col(schema.NAME).alias(NAME), row.alias(ROW))


def reviewable_matches(
    matches: pl.DataFrame, vendor: IngestResult, partner: IngestResult
) -> pl.DataFrame:
    """``matches`` (its columns first, rows and values unchanged), then both records'
    names and rows: ``vendor_name``, ``partner_name``, ``vendor_row``, ``partner_row``."""
    sides = {schema.VENDOR_ID: (vendor, "vendor"), schema.PARTNER_ID: (partner, "partner")}
    out = matches
    for id_column, (result, side) in sides.items():
        rows = sheet_row(result).rename(
            {schema.ID: id_column, NAME: f"{side}_{NAME}", ROW: f"{side}_{ROW}"}
        )
        out = out.join(rows, on=id_column, how="left", maintain_order="left")
    return out.select(*matches.columns, "vendor_name", "partner_name", "vendor_row", "partner_row")


def reviewable_clusters(clusters: pl.DataFrame, accounts: IngestResult) -> pl.DataFrame:
    """``clusters`` (its columns first, unchanged), then each record's ``name`` and ``row``."""
    return clusters.join(sheet_row(accounts), on=schema.ID, how="left", maintain_order="left")
