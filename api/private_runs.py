"""Store a private match as a run, so that the matrix and the sharing layer treat it like
any other: the partner's list is its account ids alone (its encodings hold nothing more),
each partner account matched on encodings joins the company of its best vendor account,
and every other record keeps the company the latest succeeded run gave it.

The matched pairs are kept too (``store_private``), so that a later run of the plaintext
engine, which finds nothing in a list of ids, puts them back (``with_private_matches``).
"""

from __future__ import annotations

import polars as pl

from overlap import schema
from overlap.api.store import Store
from overlap.ecosystem.data import VENDOR

REASON = "private match on Bloom-filter encodings"


def private_companies(
    previous: pl.DataFrame, partner_id: str, matches: pl.DataFrame
) -> pl.DataFrame:
    """``previous`` companies (``store.COMPANY_COLUMNS``) with ``partner_id``'s records
    replaced by its matched accounts, each in the company of its best-scored vendor account.

    ``matches`` has ``vendor_id``, ``partner_id`` (the partner's account id) and ``score``.
    A vendor record absent from ``previous`` is a company of its own, ``vendor:id``.
    """
    vendor_company = previous.filter(pl.col(schema.LIST_OWNER) == VENDOR).select(
        pl.col(schema.ID).alias(schema.VENDOR_ID), schema.COMPANY_ID
    )
    linked = (
        matches.sort(schema.SCORE, schema.VENDOR_ID, descending=[True, False])
        .unique(schema.PARTNER_ID, keep="first", maintain_order=True)
        .join(vendor_company, on=schema.VENDOR_ID, how="left")
        .select(
            pl.lit(partner_id).alias(schema.LIST_OWNER),
            pl.col(schema.PARTNER_ID).alias(schema.ID),
            pl.coalesce(
                schema.COMPANY_ID, pl.concat_str(pl.lit(f"{VENDOR}:"), schema.VENDOR_ID)
            ).alias(schema.COMPANY_ID),
            pl.col(schema.SCORE).cast(pl.Float64),
            pl.lit(REASON).alias(schema.REASON),
        )
    )
    kept = previous.filter(pl.col(schema.LIST_OWNER) != partner_id)
    return pl.concat([kept.select(linked.columns), linked], how="vertical_relaxed")


def store_private_match(
    store: Store, partner_id: str, account_ids: list[str], matches: pl.DataFrame
) -> str:
    """Keep ``partner_id``'s list as ``account_ids`` and a succeeded run of ``matches``;
    the run's id. StoreError while another run is queued or running."""
    version = store.put_list(
        partner_id, pl.DataFrame({schema.ID: account_ids}), file_name="encodings"
    )
    store.put_private_matches(partner_id, f"{partner_id}@{version}", matches)
    previous = store.companies()
    run_id = str(store.create_run()["run_id"])
    store.start_run(run_id)
    try:
        store.finish_run(run_id, private_companies(previous, partner_id, matches))
    except Exception as error:  # the run is marked failed, and the error still told
        store.fail_run(run_id, f"{type(error).__name__}: {error}")
        raise
    return run_id


def with_private_matches(store: Store, companies: pl.DataFrame) -> pl.DataFrame:
    """A run's ``companies`` with the kept private matches of every partner whose latest
    list is the one they were matched for, as ``private_companies`` puts them.

    A pair whose vendor record is no longer on the vendor's list is dropped: it would
    otherwise stand as a company of a record the vendor removed.
    """
    vendor_ids = companies.filter(pl.col(schema.LIST_OWNER) == VENDOR).select(
        pl.col(schema.ID).alias(schema.VENDOR_ID)
    )
    for partner_id, matches in store.private_matches().items():
        kept = matches.join(vendor_ids, on=schema.VENDOR_ID, how="semi")
        companies = private_companies(companies, partner_id, kept)
    return companies
