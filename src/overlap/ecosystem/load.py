"""Read an ecosystem folder laid out like ``data/samples`` and resolve it to companies.

A folder needs the vendor's list (``vendor_crm.csv``, or ``vendor_crm`` in any format
``read_accounts`` reads), ``partners.csv`` (the partner directory; its ``file`` column
names each partner's list, its optional ``as_of`` the list's export date: a partner
given on several rows with different dates has several snapshots) and the partners'
lists. ``products.csv``, ``deals.csv`` and
``ground_truth.csv`` are optional. ``PARTNERS``, ``PRODUCTS``, ``DEALS`` and ``TRUTH``
declare each file, its columns and what it makes available, for the loader and for
``overlap check`` (``survey``).
Headers are compared by their key ("Partner ID" is ``partner_id``). The readers here are
shared by ``load_ecosystem`` and the service's loader.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Literal

import polars as pl

from overlap import schema
from overlap.ecosystem.data import (
    AS_OF,
    DEAL_SCHEMA,
    PARTNER_SCHEMA,
    PRODUCT_SCHEMA,
    VENDOR,
    Ecosystem,
    ecosystem_from_frames,
)
from overlap.errors import ColumnError, DuplicateIdError, UnreadableFileError
from overlap.ingest import SUPPORTED, IngestResult, read_accounts
from overlap.ingest.columns import header_key
from overlap.ingest.values import relationship_status
from overlap.matching.pipeline import Progress, resolve_companies

PARTNERS_FILE = "partners.csv"
VENDOR_FILE = "vendor_crm.csv"
PRODUCTS_FILE = "products.csv"
DEALS_FILE = "deals.csv"
TRUTH_FILE = "ground_truth.csv"
LIST_FILE = "file"
LIST_STATUS = "status"
"""partners.csv: the status of the records of a partner's list that give none."""


@dataclass(frozen=True)
class FolderFile:
    """A table of an ecosystem folder: its columns (typed), those it must have, its use.

    ``uses`` names what the file makes available, ``column_uses`` what each optional
    column adds; a file that is not ``required`` may be left out.
    """

    name: str
    columns: Mapping[str, pl.DataType]
    required_columns: tuple[str, ...]
    uses: str
    column_uses: Mapping[str, str]
    required: bool = False


_STRENGTH = "programme strength: a factor of co-sell and recommend, and of new accounts' score"
PARTNERS = FolderFile(
    PARTNERS_FILE,
    {**PARTNER_SCHEMA, LIST_FILE: pl.String(), LIST_STATUS: pl.String(), AS_OF: pl.Date()},
    ("partner_id", LIST_FILE),
    "the partners and the file of each one's list",
    {
        "name": "the partner's name in every output (else its id)",
        "type": "the partner's kind in reasons; a reseller resells every product",
        "role": "the role-fit factor (sell, service, advise, manage, build) of co-sell "
        "and recommend",
        "tier": _STRENGTH,
        "points": _STRENGTH,
        "certifications": "the certification factor (product names, separated by ';')",
        LIST_STATUS: "the status of the records in the partner's list that give none "
        f"({', '.join(schema.STATUSES)}), e.g. customer for a list of customers",
        AS_OF: "the list's export date: what was known when (the backtest reads only lists "
        "exported before each deal; without it, lists are read as exported at the end)",
    },
    required=True,
)
PRODUCTS = FolderFile(
    PRODUCTS_FILE,
    PRODUCT_SCHEMA,
    ("product_id", "name"),
    "the product catalogue: product nodes of the graph, implementation-heavy families "
    "in partner points (certifications work on product names without it)",
    {"family": "implementation-heavy families in partner points", "list_price": "the graph"},
)
DEALS = FolderFile(
    DEALS_FILE,
    DEAL_SCHEMA,
    ("deal_id", "account_id", "outcome"),
    "closed deals: win rates, attribution and net-new logos in the scorecards, partner "
    "lift, the win-rate factor of co-sell and recommend, the backtest",
    {
        "product": "lift adjusted by product; the backtest",
        "amount": "deal sizes, sourced and influenced pipeline",
        "created_date": "attribution (sourced or influenced); the backtest's cutoff",
        "close_date": "attribution, days to close, net-new logos",
        "partner_id": "deals with and without each partner: every deal figure per partner",
        "partner_touch_date": "attribution (sourced or influenced)",
    },
)
TRUTH = FolderFile(
    TRUTH_FILE,
    {LIST_FILE: pl.String(), schema.ID: pl.String(), "entity_id": pl.String()},
    (LIST_FILE, schema.ID, "entity_id"),
    "the known company of each record: `--truth` instead of matching",
    {},
)


def read_folder_file(directory: Path, spec: FolderFile) -> pl.DataFrame:
    """The file ``spec`` of ``directory`` with exactly ``spec.columns``, typed.

    Headers are matched by key; a column left out is null, an empty file (header only)
    has no rows, and a file left out that is not required is an empty frame.
    Raises UnreadableFileError, or ColumnError for a required column left out or a
    value not of its column's type (naming the file, row and column).
    """
    path = Path(directory) / spec.name
    if not path.is_file():
        if spec.required:
            raise UnreadableFileError("file not found", file=str(path), hint=_LAYOUT_HINT)
        return pl.DataFrame(schema=dict(spec.columns))
    try:
        text = pl.read_csv(path, infer_schema=False)
    except (pl.exceptions.PolarsError, OSError) as error:
        raise UnreadableFileError(
            f"cannot be read as UTF-8 CSV: {str(error).splitlines()[0]}", file=spec.name
        ) from error
    keys = {header_key(c): c for c in reversed(text.columns)}  # the first of a key stands
    for column in spec.required_columns:
        if header_key(column) not in keys:
            raise ColumnError(
                f"is missing (the file's columns: {', '.join(text.columns) or 'none'})",
                file=spec.name,
                column=column,
                hint=f"Name its columns {', '.join(spec.required_columns)} (and optionally "
                f"{', '.join(c for c in spec.columns if c not in spec.required_columns)})",
            )
    frame = text.select(
        pl.col(keys[header_key(c)]).str.strip_chars().replace("", None).alias(c)
        if header_key(c) in keys
        else pl.lit(None, pl.String).alias(c)
        for c in spec.columns
    )
    return _typed(frame, spec)


def read_partners(directory: Path) -> pl.DataFrame:
    """The partner directory: ``PARTNER_SCHEMA``, ``file`` (the partner's list),
    ``status`` (of its records that give none; null if not given) and ``as_of`` (the
    list's export date; null if not given), one row per list: partners in the file's
    order, each one's snapshots oldest first.

    ``certifications`` are written separated by ";"; a partner without a name is named
    by its id. A partner may have several rows only with a different ``as_of`` on each
    (snapshots of its list); ``directory_rows`` keeps one row per partner.
    """
    partners = read_folder_file(directory, PARTNERS)
    status = relationship_status(pl.col(LIST_STATUS))
    problem = _first_problem(
        partners,
        {
            "partner_id": pl.col("partner_id").is_null(),
            LIST_FILE: pl.col(LIST_FILE).is_null(),
            LIST_STATUS: pl.col(LIST_STATUS).is_not_null() & status.is_null(),
        },
    )
    if problem is not None:
        row, column = problem
        raise ColumnError(
            "is empty" if column != LIST_STATUS else "is not a status",
            file=PARTNERS_FILE,
            row=row,
            column=column,
            hint=f"Write one of {', '.join(schema.STATUSES)}, or leave it empty"
            if column == LIST_STATUS
            else "Give every partner an id and the file of its list",
        )
    twice = pl.col("partner_id").is_duplicated() & (
        pl.col(AS_OF).is_null() | pl.struct("partner_id", AS_OF).is_duplicated()
    )
    repeated = partners.filter(twice)
    if repeated.height:
        raise DuplicateIdError(
            f"partner {repeated['partner_id'][0]!r} is listed twice",
            file=PARTNERS_FILE,
            column="partner_id",
            hint=f"Give each snapshot of a partner's list its own {AS_OF} date",
        )
    first_row = pl.int_range(pl.len()).min().over("partner_id")
    partners = partners.sort(first_row, AS_OF, nulls_last=False, maintain_order=True)
    return partners.with_columns(
        pl.col("certifications")
        .str.split(";")
        .list.eval(pl.element().str.strip_chars())
        .list.eval(pl.element().filter(pl.element() != "")),
        pl.coalesce("name", "partner_id").alias("name"),
        status.alias(LIST_STATUS),
    )


def directory_rows(partners: pl.DataFrame) -> pl.DataFrame:
    """One row per partner of ``read_partners``: its latest snapshot's row."""
    return partners.group_by("partner_id", maintain_order=True).last()


def vendor_file(directory: Path) -> str:
    """The name of the vendor's list: ``vendor_crm.csv``, else ``vendor_crm`` in another
    format ``read_accounts`` reads."""
    stem = Path(VENDOR_FILE).stem
    found = [f"{stem}{s}" for s in SUPPORTED if (Path(directory) / f"{stem}{s}").is_file()]
    if not found:
        raise UnreadableFileError(
            "no vendor list",
            file=str(Path(directory) / VENDOR_FILE),
            hint=f"Name the vendor's list {VENDOR_FILE} (or {stem}.xlsx, .parquet, ...). "
            + _LAYOUT_HINT,
        )
    return found[0]


@dataclass(frozen=True)
class ListFile:
    """One list of a folder: whose, its file, its status default and export date."""

    owner: str
    file: str
    status: str | None = None
    as_of: date | None = None


def list_files(directory: Path, partners: pl.DataFrame) -> list[ListFile]:
    """Every list of the folder, the vendor's first, from ``read_partners``."""
    rows = partners.select("partner_id", LIST_FILE, LIST_STATUS, AS_OF).iter_rows()
    return [ListFile(VENDOR, vendor_file(directory)), *(ListFile(*row) for row in rows)]


def read_lists(directory: Path, partners: pl.DataFrame) -> Iterator[tuple[str, str, pl.DataFrame]]:
    """(owner, file name, account frame) of every list, the vendor's first, read one by one.

    A partner's records without a status take its ``status`` in ``partners``, if any.
    A snapshot's frame (``as_of`` in ``partners``) has an ``as_of`` column as well.
    """
    for listed, result in _ingested(directory, partners):
        accounts = result.accounts
        if listed.as_of is not None:
            accounts = accounts.with_columns(pl.lit(listed.as_of).alias(AS_OF))
        yield listed.owner, listed.file, accounts


def _ingested(directory: Path, partners: pl.DataFrame) -> Iterator[tuple[ListFile, IngestResult]]:
    """Every list with its ingest result, the vendor's first."""
    for listed in list_files(directory, partners):
        yield listed, read_accounts(Path(directory) / listed.file, status=listed.status)


def read_catalogue(directory: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The products (``PRODUCT_SCHEMA``) and the deals (``DEAL_SCHEMA``); empty if left out."""
    return read_folder_file(directory, PRODUCTS), read_folder_file(directory, DEALS)


def load_ecosystem(
    directory: Path,
    *,
    companies: Literal["match", "truth"] = "match",
    progress: Progress | None = None,
) -> Ecosystem:
    """Read a directory laid out like ``data/samples`` and resolve its records to companies.

    ``companies="match"`` resolves companies with ``pipeline.resolve_companies``;
    ``"truth"`` reads them from ``ground_truth.csv`` (``file``, ``id``, ``entity_id``).
    Without ``products.csv`` or ``deals.csv`` the ecosystem has none.
    """
    directory = Path(directory)
    partners = read_partners(directory)
    snapshots: dict[str, list[pl.DataFrame]] = {}
    for owner, _, accounts in read_lists(directory, partners):
        snapshots.setdefault(owner, []).append(accounts)
    lists = {owner: pl.concat(frames, how="diagonal") for owner, frames in snapshots.items()}
    if companies == "truth":
        company_ids = _truth(directory, list_files(directory, partners))
    else:
        undated = {owner: frame.drop(AS_OF, strict=False) for owner, frame in lists.items()}
        company_ids = resolve_companies(undated, progress=progress)
    vendor = lists.pop(VENDOR)
    return ecosystem_from_frames(
        vendor,
        lists,
        directory_rows(partners),
        *read_catalogue(directory),
        company_ids=company_ids,
    )


def left_out(directory: Path) -> tuple[FolderFile, ...]:
    """The optional files (products, deals) that ``directory`` does not hold."""
    return tuple(s for s in (PRODUCTS, DEALS) if not (Path(directory) / s.name).is_file())


def survey(directory: Path) -> pl.DataFrame:
    """What ``directory`` holds of an ecosystem folder, file by file, every list read.

    Columns: ``file``, ``content``, ``rows`` (null if missing), ``found`` and ``note``:
    for a list, its accounts and what its statuses make of it; for another file, what
    it makes available, or what is not available without it. Raises as the loader does
    for a file that cannot be used.
    """
    directory = Path(directory)
    partners = read_partners(directory)
    names = dict(zip(partners["partner_id"], partners["name"], strict=True))
    rows: list[tuple[str, str, int | None, bool, str]] = []
    for listed, result in _ingested(directory, partners):
        owner = listed.owner
        content = "vendor list" if owner == VENDOR else f"list of {names[owner]} ({owner})"
        if listed.as_of is not None:
            content += f" exported {listed.as_of}"
        note = _list_note(result, owner)
        rows.append((listed.file, content, result.accounts.height, True, note))
    rows.append(
        (PARTNERS_FILE, "partner directory", partners.height, True, _directory_note(directory))
    )
    for spec in (PRODUCTS, DEALS, TRUTH):
        found = (directory / spec.name).is_file()
        height = read_folder_file(directory, spec).height if found else None
        note = f"gives {spec.uses}" if found else f"not available: {spec.uses}"
        rows.append(
            (spec.name, spec.name.removesuffix(".csv").replace("_", " "), height, found, note)
        )
    return pl.DataFrame(
        rows,
        schema={
            "file": pl.String,
            "content": pl.String,
            "rows": pl.Int64,
            "found": pl.Boolean,
            "note": pl.String,
        },
        orient="row",
    )


def _list_note(result: IngestResult, owner: str) -> str:
    """The rows left out of a list, the values not understood, and how many give a status."""
    accounts = result.accounts
    with_status = accounts.height - accounts[schema.STATUS].null_count()
    rejected, unread = result.rejected.height, result.unrecognised["rows"].sum()
    note = f"{rejected:,} rows left out (overlap ingest lists them); " if rejected else ""
    if unread:
        note += f"{unread:,} statuses or countries not understood (overlap ingest lists them); "
    if with_status == accounts.height:
        return note + "every account has a status"
    if with_status or owner == VENDOR:
        return note + f"{with_status:,} of {accounts.height:,} accounts have a status"
    return note + (
        "no status: its companies are in the matrix's 'unknown' population and none is a "
        f"customer for new accounts (a status column in {PARTNERS_FILE} sets one)"
    )


def partner_columns(directory: Path) -> pl.DataFrame:
    """The partner directory's optional columns: ``column``, ``found``, ``use`` (what it adds)."""
    header = pl.read_csv(Path(directory) / PARTNERS_FILE, n_rows=0).columns
    present = {header_key(c) for c in header}
    uses = PARTNERS.column_uses
    return pl.DataFrame(
        {
            "column": list(uses),
            "found": [header_key(c) in present for c in uses],
            "use": list(uses.values()),
        }
    )


def _directory_note(directory: Path) -> str:
    columns = partner_columns(directory).filter(~pl.col("found"))["column"]
    return f"optional columns left out: {', '.join(columns)}" if len(columns) else "every column"


_LAYOUT_HINT = "README.md, 'Bring your own data', describes the folder"


def _truth(directory: Path, files: list[ListFile]) -> pl.DataFrame:
    """``owner``, ``id``, ``company_id`` from a ground-truth file (file, id, entity_id)."""
    owners = pl.DataFrame(
        {schema.LIST_OWNER: [f.owner for f in files], LIST_FILE: [f.file for f in files]}
    ).unique(maintain_order=True)
    truth = read_folder_file(directory, replace(TRUTH, required=True))
    return truth.join(owners, on=LIST_FILE).select(
        schema.LIST_OWNER, schema.ID, pl.col("entity_id").alias(schema.COMPANY_ID)
    )


def _typed(frame: pl.DataFrame, spec: FolderFile) -> pl.DataFrame:
    """``frame`` (text) with each column of ``spec`` of its type; lists stay text."""
    casts = {
        c: pl.col(c).str.to_date("%Y-%m-%d", strict=False)
        if t == pl.Date()
        else pl.col(c).cast(t, strict=False)
        for c, t in spec.columns.items()
        if t != pl.String() and not isinstance(t, pl.List)
    }
    bad = {c: pl.col(c).is_not_null() & cast.is_null() for c, cast in casts.items()}
    if (problem := _first_problem(frame, bad)) is not None:
        row, column = problem
        kind = spec.columns[column]
        raise ColumnError(
            f"{frame[column][row - 2]!r} is not a {_KINDS.get(type(kind), str(kind))}",
            file=spec.name,
            row=row,
            column=column,
            hint=_HINTS.get(type(kind)),
        )
    return frame.with_columns(cast.alias(c) for c, cast in casts.items())


_KINDS = {pl.Date: "date", pl.Float64: "number", pl.Int64: "whole number"}
_HINTS = {
    pl.Date: "Write dates as 2024-01-31",
    pl.Float64: "Write numbers with a decimal point and no thousands separator: 12500.50",
    pl.Int64: "Write whole numbers without separators: 4200",
}


def _first_problem(frame: pl.DataFrame, bad: Mapping[str, pl.Expr]) -> tuple[int, str] | None:
    """(line in the file, column) of the first cell, row by row, where ``bad`` holds."""
    flags = frame.select(e.fill_null(False).alias(c) for c, e in bad.items())
    rows = flags.with_row_index("_index").filter(pl.any_horizontal(*bad)) if bad else flags
    if rows.height == 0:
        return None
    first = rows.row(0, named=True)
    return first["_index"] + 2, next(c for c in bad if first[c])  # line 1 is the header
