"""A view's heavy parts made in child processes: its Ecosystem's accounts, its Ranker.

Resolving two million accounts to their companies (a join on the run's company ids, a
window for ``listed_since``) takes several times the accounts' size for a moment; done in
the serving process, that memory would stay with it and the work would compete with the
requests. The store writes the lists and the company ids to Parquet straight from DuckDB,
the child resolves them as ``data.resolved_accounts`` does, from file to file (the join
and the window in DuckDB, within a memory limit), and writes the accounts back as
Parquet; the serving process reads them once, at their final size. A column no record
fills is read as a null constant, which takes no memory.

Fitting the Ranker is a minute of mostly Python work at 100,000 accounts: in the serving
process it would hold the GIL every request needs (reads stalled for seconds after each
write). ``fit_apart`` fits it in a child from the Ecosystem written as Parquet and reads
the fitted Ranker back from the pickle the child wrote.
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import fields
from pathlib import Path

import duckdb
import polars as pl

from overlap import schema
from overlap.api.database import quoted
from overlap.api.elsewhere import in_child
from overlap.api.store import Store
from overlap.ecosystem.data import (
    AS_OF,
    LISTED_SINCE,
    VENDOR,
    Ecosystem,
    ecosystem_of,
    listed_accounts,
    opportunity_status,
)
from overlap.ecosystem.ranker import Ranker

__all__ = ["build_ecosystem", "fit_apart", "fit_files", "resolve_files"]

ACCOUNTS = "accounts.parquet"
RANKER = "ranker.pickle"
LIST_ID = "list_id"
JOIN_MEMORY = "256MB"
"""DuckDB's memory in the child that joins the records to their companies; past it, it
spills to disk."""


def build_ecosystem(store: Store) -> Ecosystem:
    """The Ecosystem of the latest lists, resolved by the latest succeeded run.

    The vendor's list, then one list per partner of the directory (empty if it has none).
    """
    latest = store.latest_list_ids()
    partners = store.partner_frame()
    owners = {owner: latest.get(owner) for owner in (VENDOR, *partners[schema.PARTNER_ID])}
    with tempfile.TemporaryDirectory(prefix="overlap-view-") as directory:
        lists, companies = Path(directory) / "lists.parquet", Path(directory) / "companies.parquet"
        store.write_lists(lists, [i for i in owners.values() if i is not None])
        store.write_companies(companies)
        with in_child(resolve_files, lists=lists, owners=owners, company_ids=companies) as (
            empty,
            folder,
        ):
            accounts = _read(folder / ACCOUNTS, empty=empty)
    return ecosystem_of(accounts, partners, store.products(), store.deals())


def resolve_files(
    folder: Path,
    report: Callable[[str, int, int], None],
    *,
    lists: Path,
    owners: Mapping[str, str | None],
    company_ids: Path,
) -> list[str]:
    """In the child: the accounts of ``owners``' lists (owner: list id, or None for no
    list) in ``lists``, resolved by ``company_ids`` as ``data.resolved_accounts`` does,
    written to ``ACCOUNTS`` in ``folder``; the columns no record fills.

    Three passes from file to file, none holding the lists in memory: polars reads the
    records row by row (``data.listed_accounts``), DuckDB joins them to their companies and
    finds each company's ``listed_since`` within ``JOIN_MEMORY`` (spilling to ``folder``
    past it), and polars sets the status row by row.
    """
    scan = pl.scan_parquet(lists)
    frames = {
        owner: pl.LazyFrame(schema=schema.ACCOUNT_SCHEMA)
        if list_id is None
        else scan.filter(pl.col(LIST_ID) == list_id).drop(LIST_ID)
        for owner, list_id in owners.items()
    }
    listed, joined, path = folder / "listed.parquet", folder / "joined.parquet", folder / ACCOUNTS
    listed_accounts(frames).sink_parquet(listed)
    _join_companies(listed, company_ids, joined, spill=folder / "spill")
    pl.scan_parquet(joined).with_columns(opportunity_status()).sink_parquet(path)
    written = pl.scan_parquet(path)
    empty = written.select(pl.all().null_count() == pl.len()).collect().row(0, named=True)
    return [column for column, none in empty.items() if none]


def _join_companies(listed: Path, company_ids: Path, joined: Path, *, spill: Path) -> None:
    """``listed`` with each record's ``company_id`` (its first in ``company_ids``, else
    ``owner:id``) and ``listed_since`` (the first ``as_of`` of its owner and company), in
    the order of ``listed``, written to ``joined``.

    Only the few columns the join and the window need are sorted back into the records'
    order; the records are then read again beside them, by position (three times faster at
    2M records than sorting the whole records, in as little memory).
    """
    owner, record, company = schema.LIST_OWNER, schema.ID, schema.COMPANY_ID
    with duckdb.connect(config={"memory_limit": JOIN_MEMORY, "threads": 2}) as db:
        db.execute(f"SET temp_directory = '{quoted(spill)}'")
        db.execute(
            f"""COPY (
            WITH ids AS (
                SELECT {owner}, {record}, first({company} ORDER BY file_row_number) AS {company}
                FROM read_parquet('{quoted(company_ids)}', file_row_number = true)
                GROUP BY ALL
            ),
            records AS (
                SELECT coalesce(ids.{company}, l.{owner} || ':' || l.{record}) AS {company},
                    l.{owner}, l.{AS_OF}, l.file_row_number
                FROM read_parquet('{quoted(listed)}', file_row_number = true) AS l
                LEFT JOIN ids USING ({owner}, {record})
            ),
            resolved AS (
                SELECT {company},
                    min({AS_OF}) OVER (PARTITION BY {owner}, {company}) AS {LISTED_SINCE}
                FROM records ORDER BY file_row_number
            )
            SELECT l.* EXCLUDE ({AS_OF}), r.{company}, l.{AS_OF}, r.{LISTED_SINCE}
            FROM read_parquet('{quoted(listed)}') AS l POSITIONAL JOIN resolved AS r
            ) TO '{quoted(joined)}' (FORMAT parquet)"""
        )


def _read(path: Path, *, empty: list[str]) -> pl.DataFrame:
    """The accounts in ``path``, the ``empty`` columns as null constants."""
    columns = pl.read_parquet_schema(path)
    filled = [c for c in columns if c not in empty]
    if not filled:  # no record at all: nothing to spare
        return pl.read_parquet(path)
    accounts = pl.read_parquet(path, columns=filled)
    return accounts.select(
        pl.col(c) if c in filled else pl.lit(None, t).alias(c) for c, t in columns.items()
    )


def fit_apart(eco: Ecosystem) -> Ranker:
    """``Ranker().fit(eco)``, fitted in a child process."""
    with tempfile.TemporaryDirectory(prefix="overlap-fit-") as directory:
        written = Path(directory)
        for part in fields(Ecosystem):
            getattr(eco, part.name).write_parquet(written / f"{part.name}.parquet")
        with in_child(fit_files, eco=written) as (_, folder), (folder / RANKER).open("rb") as file:
            ranker: Ranker = pickle.load(file)  # written by our own child just now
    return ranker


def fit_files(folder: Path, report: Callable[[str, int, int], None], *, eco: Path) -> None:
    """In the child: fit a Ranker on the Ecosystem written in ``eco`` and pickle it to
    ``RANKER`` in ``folder``."""
    ecosystem = Ecosystem(
        **{part.name: pl.read_parquet(eco / f"{part.name}.parquet") for part in fields(Ecosystem)}
    )
    ranker = Ranker().fit(ecosystem)
    with (folder / RANKER).open("wb") as file:
        pickle.dump(ranker, file, protocol=pickle.HIGHEST_PROTOCOL)
