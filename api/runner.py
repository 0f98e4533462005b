"""A match run's matching, carried out in a child process (``elsewhere.in_child``).

The serving process writes the latest lists to a Parquet file straight from DuckDB,
the child reads them, matches them and writes the companies and the review queue
back; the serving process relays the child's progress to the run record meanwhile. A
child killed half way raises ``elsewhere.ChildDied``, and the run is failed with the
previous results still served.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import polars as pl

from overlap import schema
from overlap.api.elsewhere import in_child
from overlap.api.store import REVIEW_SCHEMA, Store
from overlap.ecosystem.data import VENDOR
from overlap.matching.pipeline import Progress, resolve_with_review

__all__ = ["match_apart", "read_lists", "vendor_review"]

LISTS = "lists.parquet"
COMPANIES = "companies.parquet"
REVIEW = "review.parquet"
LIST_OWNER = "list_owner"
"""The column naming the list a record is on in ``LISTS`` (``owner`` is the record's rep)."""


def match_apart(
    store: Store,
    *,
    feedback: pl.DataFrame,
    progress: Progress,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The companies of the store's latest lists and the review queue between the vendor's
    records and the partners' (``vendor_review``), matched in a child process.

    ``progress(stage, done, total)`` is called here as the child reports; an error it
    raises stops the child and goes on.
    """
    with tempfile.TemporaryDirectory(prefix="overlap-run-") as directory:
        lists = Path(directory) / LISTS
        store.write_latest_lists(lists)
        decisions = Path(directory) / "feedback.parquet"
        feedback.write_parquet(decisions)
        with in_child(match_files, progress=progress, lists=lists, feedback=decisions) as (
            _,
            folder,
        ):
            return pl.read_parquet(folder / COMPANIES), pl.read_parquet(folder / REVIEW)


def match_files(folder: Path, report: Progress, *, lists: Path, feedback: Path) -> None:
    """In the child: match the lists in ``lists`` with the decisions in ``feedback``; write
    ``COMPANIES`` and ``REVIEW`` in ``folder``."""
    companies, review = resolve_with_review(
        read_lists(lists), feedback=pl.read_parquet(feedback), progress=report
    )
    companies.write_parquet(folder / COMPANIES)
    vendor_review(review).write_parquet(folder / REVIEW)


def read_lists(path: Path) -> dict[str, pl.DataFrame]:
    """The lists ``Store.write_latest_lists`` wrote to ``path``, by owner."""
    lists = pl.scan_parquet(path)
    owners = lists.select(pl.col(LIST_OWNER).unique().sort()).collect()
    return {
        owner: lists.filter(pl.col(LIST_OWNER) == owner)
        .select(pl.col(c).cast(t) for c, t in schema.ACCOUNT_SCHEMA.items())
        .collect()
        for owner in owners[LIST_OWNER]
    }


def vendor_review(review: pl.DataFrame) -> pl.DataFrame:
    """The pairs of ``resolve_with_review``'s queue between a vendor record and a partner
    record, vendor first, as the store keeps them (``store.REVIEW_SCHEMA``)."""
    left, right = schema.left, schema.right
    owner, account = schema.LIST_OWNER, schema.ID
    vendor_left = pl.col(left(owner)) == VENDOR
    return review.filter(vendor_left | (pl.col(right(owner)) == VENDOR)).select(
        pl.when(vendor_left).then(left(account)).otherwise(right(account)).alias("vendor_id"),
        pl.when(vendor_left).then(right(owner)).otherwise(left(owner)).alias(schema.PARTNER_ID),
        pl.when(vendor_left)
        .then(right(account))
        .otherwise(left(account))
        .alias("partner_account_id"),
        *list(REVIEW_SCHEMA)[3:],
    )
