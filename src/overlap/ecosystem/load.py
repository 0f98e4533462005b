"""Read an ecosystem folder laid out like ``data/samples`` and resolve it to companies.

The folder holds ``partners.csv`` (the partner directory; its ``file`` column names
each partner's list), the vendor's list ``vendor_crm.csv``, the partners' lists,
``products.csv`` and ``deals.csv``, and may hold ``ground_truth.csv``. The readers
here are shared by ``load_ecosystem`` and the service's loader.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Literal

import polars as pl

from overlap import schema
from overlap.ecosystem.data import (
    DEAL_SCHEMA,
    PARTNER_SCHEMA,
    PRODUCT_SCHEMA,
    VENDOR,
    Ecosystem,
    ecosystem_from_frames,
)
from overlap.ingest import read_accounts
from overlap.matching.pipeline import Progress, resolve_companies

PARTNERS_FILE = "partners.csv"
VENDOR_FILE = "vendor_crm.csv"
PRODUCTS_FILE = "products.csv"
DEALS_FILE = "deals.csv"
TRUTH_FILE = "ground_truth.csv"
LIST_FILE = "file"


def read_partners(directory: Path) -> pl.DataFrame:
    """The partner directory: ``PARTNER_SCHEMA`` and ``file``, the name of the partner's list.

    ``certifications`` are written separated by ";"; a column left out is null.
    """
    partners = pl.read_csv(Path(directory) / PARTNERS_FILE, infer_schema=False)
    if "certifications" in partners.columns:
        partners = partners.with_columns(
            pl.col("certifications")
            .str.split(";")
            .list.eval(pl.element().str.strip_chars())
            .list.eval(pl.element().filter(pl.element() != ""))
        )
    return partners.select(
        *(
            pl.col(c).cast(t) if c in partners.columns else pl.lit(None, t).alias(c)
            for c, t in PARTNER_SCHEMA.items()
        ),
        LIST_FILE,
    )


def list_files(partners: pl.DataFrame) -> dict[str, str]:
    """The file of each owner's list, the vendor's first, from ``read_partners``."""
    files = zip(partners["partner_id"], partners[LIST_FILE], strict=True)
    return {VENDOR: VENDOR_FILE, **dict(files)}


def read_lists(directory: Path, partners: pl.DataFrame) -> Iterator[tuple[str, str, pl.DataFrame]]:
    """(owner, file name, account frame) of every list, the vendor's first, read one by one."""
    for owner, file in list_files(partners).items():
        yield owner, file, read_accounts(Path(directory) / file).accounts


def read_catalogue(directory: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The products (``PRODUCT_SCHEMA``) and the deals (``DEAL_SCHEMA``)."""
    directory = Path(directory)
    return (
        pl.read_csv(directory / PRODUCTS_FILE, schema_overrides=PRODUCT_SCHEMA),
        pl.read_csv(directory / DEALS_FILE, schema_overrides=DEAL_SCHEMA),
    )


def load_ecosystem(
    directory: Path,
    *,
    companies: Literal["match", "truth"] = "match",
    progress: Progress | None = None,
) -> Ecosystem:
    """Read a directory laid out like ``data/samples`` and resolve its records to companies.

    ``companies="match"`` resolves companies with ``pipeline.resolve_companies``;
    ``"truth"`` reads them from ``ground_truth.csv`` (``file``, ``id``, ``entity_id``).
    """
    directory = Path(directory)
    partners = read_partners(directory)
    lists = {owner: accounts for owner, _, accounts in read_lists(directory, partners)}
    if companies == "truth":
        company_ids = _truth(directory / TRUTH_FILE, list_files(partners))
    else:
        company_ids = resolve_companies(lists, progress=progress)
    vendor = lists.pop(VENDOR)
    return ecosystem_from_frames(
        vendor, lists, partners, *read_catalogue(directory), company_ids=company_ids
    )


def _truth(path: Path, files: Mapping[str, str]) -> pl.DataFrame:
    """``owner``, ``id``, ``company_id`` from a ground-truth file (file, id, entity_id)."""
    owners = pl.DataFrame({schema.LIST_OWNER: list(files), LIST_FILE: list(files.values())})
    truth = pl.read_csv(path, infer_schema=False)
    return truth.join(owners, on=LIST_FILE).select(
        schema.LIST_OWNER, schema.ID, pl.col("entity_id").alias(schema.COMPANY_ID)
    )
