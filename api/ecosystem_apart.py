"""A view's heavy parts made in child processes: its Ecosystem's accounts, its Ranker.

Resolving two million accounts to their companies (a join on the run's company ids, a
window for ``listed_since``) takes several times the accounts' size for a moment; done in
the serving process, that memory would stay with it and the work would compete with the
requests. The store writes the lists and the company ids to Parquet straight from DuckDB,
the child resolves them (``data.resolved_accounts``) and writes the accounts back as
Parquet, and the serving process reads them once, at their final size. A column no record
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

import polars as pl

from overlap import schema
from overlap.api.elsewhere import in_child
from overlap.api.store import Store
from overlap.ecosystem.data import VENDOR, Ecosystem, ecosystem_of, resolved_accounts
from overlap.ecosystem.ranker import Ranker

__all__ = ["build_ecosystem", "fit_apart", "fit_files", "resolve_files"]

ACCOUNTS = "accounts.parquet"
RANKER = "ranker.pickle"
LIST_ID = "list_id"


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
    list) in ``lists``, resolved by ``company_ids``, written to ``ACCOUNTS`` in ``folder``;
    the columns no record fills."""
    scan = pl.scan_parquet(lists)
    frames = {
        owner: pl.LazyFrame(schema=schema.ACCOUNT_SCHEMA)
        if list_id is None
        else scan.filter(pl.col(LIST_ID) == list_id).drop(LIST_ID)
        for owner, list_id in owners.items()
    }
    path = folder / ACCOUNTS
    resolved_accounts(frames, pl.scan_parquet(company_ids)).sink_parquet(path)
    written = pl.scan_parquet(path)
    empty = written.select(pl.all().null_count() == pl.len()).collect().row(0, named=True)
    return [column for column, none in empty.items() if none]


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
