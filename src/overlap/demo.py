"""The demo job behind ``make run``: match the sample vendor list with every partner list.

Reads the partner directory (``partners.csv``) of a sample folder, matches the
vendor's list with each partner's, and, where the folder holds ``ground_truth.csv``,
measures the matches against it.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from overlap import schema
from overlap.ecosystem.load import VENDOR_FILE
from overlap.ingest import read_accounts
from overlap.matching.pipeline import Progress, link


def true_pairs(truth: pl.DataFrame, vendor_file: str, partner_file: str) -> pl.DataFrame:
    """(vendor_id, partner_id) of every pair of records of the same entity in two files."""
    side = truth.filter(pl.col("entity_id").is_not_null())
    vendor = side.filter(pl.col("file") == vendor_file).select(
        pl.col("id").alias(schema.VENDOR_ID), "entity_id"
    )
    partner = side.filter(pl.col("file") == partner_file).select(
        pl.col("id").alias(schema.PARTNER_ID), "entity_id"
    )
    return vendor.join(partner, on="entity_id").select(schema.VENDOR_ID, schema.PARTNER_ID)


def pair_quality(predicted: pl.DataFrame, truth: pl.DataFrame) -> dict[str, float]:
    """Pairwise precision, recall and F1 of predicted (vendor_id, partner_id) pairs."""
    keys = [schema.VENDOR_ID, schema.PARTNER_ID]
    found = predicted.select(keys).unique()
    hits = found.join(truth.select(keys).unique(), on=keys).height
    precision = hits / found.height if found.height else 1.0
    recall = hits / truth.height if truth.height else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def summarise(directory: Path, *, progress: Progress | None = None) -> pl.DataFrame:
    """One row per partner: its list, the matches with the vendor, and their quality."""
    partners = pl.read_csv(directory / "partners.csv")
    vendor = read_accounts(directory / VENDOR_FILE).accounts
    truth_file = directory / "ground_truth.csv"
    truth = pl.read_csv(truth_file, infer_schema=False) if truth_file.exists() else None
    rows = []
    for partner in partners.iter_rows(named=True):
        accounts = read_accounts(directory / partner["file"]).accounts
        matches = link(vendor, accounts, progress=progress).matches
        row = {
            "partner": partner["name"],
            "type": partner["type"],
            "accounts": accounts.height,
            "matched_accounts": matches[schema.PARTNER_ID].n_unique(),
            "matched_vendor_accounts": matches[schema.VENDOR_ID].n_unique(),
        }
        if truth is not None:
            row |= pair_quality(matches, true_pairs(truth, VENDOR_FILE, partner["file"]))
        rows.append(row)
    return pl.DataFrame(rows)
