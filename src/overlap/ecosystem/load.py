"""Read an ecosystem folder laid out like ``data/samples`` and resolve it to companies."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Literal

import polars as pl

from overlap import schema
from overlap.ecosystem.data import (
    DEAL_SCHEMA,
    PRODUCT_SCHEMA,
    VENDOR,
    Ecosystem,
    ecosystem_from_frames,
)
from overlap.ingest import read_accounts
from overlap.matching.pipeline import Progress, resolve_companies

VENDOR_FILE = "vendor_crm.csv"
TRUTH_FILE = "ground_truth.csv"


def load_ecosystem(
    directory: Path,
    *,
    companies: Literal["match", "truth"] = "match",
    progress: Progress | None = None,
) -> Ecosystem:
    """Read a directory laid out like ``data/samples`` and resolve its records to companies.

    ``partners.csv`` names each partner's list in its ``file`` column; the vendor's list
    is ``vendor_crm.csv``. ``companies="match"`` resolves companies with
    ``pipeline.resolve_companies``; ``"truth"`` reads them from ``ground_truth.csv``
    (``file``, ``id``, ``entity_id``).
    """
    directory = Path(directory)
    partner_directory = pl.read_csv(directory / "partners.csv", infer_schema=False)
    files = dict(zip(partner_directory["partner_id"], partner_directory["file"], strict=True))
    vendor = read_accounts(directory / VENDOR_FILE).accounts
    partner_lists = {pid: read_accounts(directory / f).accounts for pid, f in files.items()}
    if companies == "truth":
        company_ids = _truth(directory / TRUTH_FILE, {VENDOR: VENDOR_FILE, **files})
    else:
        company_ids = resolve_companies({VENDOR: vendor, **partner_lists}, progress=progress)
    return ecosystem_from_frames(
        vendor,
        partner_lists,
        partner_directory.with_columns(
            pl.col("certifications").str.split(";").list.eval(pl.element().str.strip_chars())
        ),
        pl.read_csv(directory / "products.csv", schema_overrides=PRODUCT_SCHEMA),
        pl.read_csv(directory / "deals.csv", schema_overrides=DEAL_SCHEMA),
        company_ids=company_ids,
    )


def _truth(path: Path, files: Mapping[str, str]) -> pl.DataFrame:
    """``owner``, ``id``, ``company_id`` from a ground-truth file (file, id, entity_id)."""
    owners = pl.DataFrame({schema.LIST_OWNER: list(files), "file": list(files.values())})
    truth = pl.read_csv(path, infer_schema=False)
    return truth.join(owners, on="file").select(
        schema.LIST_OWNER, schema.ID, pl.col("entity_id").alias(schema.COMPANY_ID)
    )
