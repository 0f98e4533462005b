"""Files -> validated account frames: formats, encodings, header mapping, typed values.

``read_accounts`` reads CSV/TSV/TXT (any of , ; tab |; UTF-8, UTF-16, Windows-1252),
Excel, Parquet and JSON-lines files; ``accounts_from_frame`` applies the same
mapping and checks to a frame already in memory. Both return an IngestResult whose
``accounts`` follow ``schema.ACCOUNT_SCHEMA``. Rows without a name, website or
e-mail are kept aside in ``rejected`` with a reason, never dropped silently; status
and country values that cannot be read are counted in ``unrecognised``; files that
cannot be used raise an ``InputError`` naming the file, row and column.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from overlap import schema
from overlap.errors import (
    ConfigError,
    DuplicateIdError,
    EmptyFileError,
    MappingError,
    UnreadableFileError,
)
from overlap.ingest import values
from overlap.ingest.columns import (
    ALIASES,
    IGNORE,
    LOCATION,
    MAP_OPTIONS_OF_MATCH,
    TARGETS,
    detect_mapping,
    header_key,
    names_an_id,
    require_name_like,
    resolve_mapping,
)
from overlap.ingest.read import SUPPORTED, Table, as_text, read_table
from overlap.normalise import country_code
from overlap.normalise.domains import domain_from
from overlap.normalise.names import is_placeholder

__all__ = [
    "ALIASES",
    "IGNORE",
    "LOCATION",
    "REJECTED_SCHEMA",
    "SUPPORTED",
    "TARGETS",
    "UNRECOGNISED_SCHEMA",
    "IngestResult",
    "accounts_from_frame",
    "detect_mapping",
    "read_accounts",
    "read_mapping_file",
]

REASON_NO_NAME = "no name and no website or e-mail"
REASON_PLACEHOLDER = "a name that stands for no company, and no website or e-mail"
REASON_FOOTER = "a report footer: one cell a line, below a blank line under the accounts"
REASON_REPEATED = "the same line again, cell for cell"
REASON_SAME_ACCOUNT = "the id and name of an earlier row again: read as that account"

REJECTED_SCHEMA: dict[str, pl.DataType] = {
    schema.ROW: pl.Int64(),
    schema.REASON: pl.String(),
    schema.NAME: pl.String(),
    schema.WEBSITE: pl.String(),
    schema.EMAIL: pl.String(),
}
"""Columns of ``IngestResult.rejected``: the row, why, and the raw name, website and e-mail."""

UNRECOGNISED_SCHEMA: dict[str, pl.DataType] = {
    "column": pl.String(),
    "field": pl.String(),
    "value": pl.String(),
    "rows": pl.UInt32(),
}
"""Columns of ``IngestResult.unrecognised``: a status or country value that is read as none,
the column it is in (as headed in the file), its field and the accepted rows holding it."""

_PLACES = (schema.CITY, schema.STATE, schema.COUNTRY)
_NUMBERS = (schema.EMPLOYEES, schema.ANNUAL_REVENUE, schema.AMOUNT)
_DATES = (schema.CLOSE_DATE, schema.CREATED_DATE)


@dataclass(frozen=True)
class IngestResult:
    """One list read and checked.

    ``accounts`` has exactly the columns of ``schema.ACCOUNT_SCHEMA``; ``mapping`` is
    {source header: field} (field may be ``"location"``, split into city/state/country);
    ``rejected`` (``REJECTED_SCHEMA``) holds rows kept out of ``accounts`` and why;
    ``rows_read`` counts non-blank records; ``ignored`` lists the unmapped headers;
    ``unrecognised`` (``UNRECOGNISED_SCHEMA``) counts the status and country values that
    could not be read, left empty in rows that keep their other data, most frequent first.
    ``sheet`` names the Excel sheet the accounts were read from.
    """

    accounts: pl.DataFrame
    mapping: dict[str, str]
    rejected: pl.DataFrame
    file: str
    rows_read: int
    ignored: tuple[str, ...] = ()
    unrecognised: pl.DataFrame = field(
        default_factory=lambda: pl.DataFrame(schema=UNRECOGNISED_SCHEMA)
    )
    sheet: str | None = None


def read_accounts(
    path: str | Path, *, mapping: Mapping[str, str] | None = None, status: str | None = None
) -> IngestResult:
    """Read one account list from a file.

    ``mapping`` ({header: field}) overrides detection for the headers it names; map a
    header to ``"ignore"`` to leave it out. ``status`` (one of ``schema.STATUSES``) is
    the status of the records that give none, as a list of customers only would.
    ``source_row`` is the line in the file of each record's first line (counting title
    rows and the header), or the sheet row. Raises UnreadableFileError, EmptyFileError,
    MappingError or DuplicateIdError, and ConfigError for an unknown ``status``.
    """
    path = Path(path)
    _check_status(status)
    table = read_table(path)
    return _accounts(table, file=path.name, mapping=mapping, status=status)


def accounts_from_frame(
    frame: pl.DataFrame,
    *,
    file: str = "<frame>",
    mapping: Mapping[str, str] | None = None,
    status: str | None = None,
) -> IngestResult:
    """Map and check a frame already in memory as ``read_accounts`` does a file.

    Columns may have any type (they are read as text); ``source_row`` is the 1-based
    row number and ``file`` names the frame in messages.
    """
    _check_status(status)
    if frame.height == 0:
        raise EmptyFileError("has no rows", file=file, hint="Pass at least one account")
    rows = pl.int_range(1, frame.height + 1, eager=True)
    return _accounts(Table(as_text(frame), rows), file=file, mapping=mapping, status=status)


def read_mapping_file(path: str | Path) -> dict[str, str]:
    """Read an explicit mapping: a JSON object {"Source header": "field"}."""
    path = Path(path)
    try:
        loaded = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError as error:
        raise UnreadableFileError("mapping file not found", file=str(path)) from error
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise MappingError(
            f"is not valid JSON: {error}",
            file=path.name,
            hint='Write the mapping as {"Source header": "field", ...}',
        ) from error
    if not isinstance(loaded, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in loaded.items()
    ):
        raise MappingError(
            "must be a JSON object of header -> field names",
            file=path.name,
            hint=f'Write {{"Source header": "field", ...}}; fields: {", ".join(TARGETS)}',
        )
    return loaded


def _check_status(status: str | None) -> None:
    if status is not None and status not in schema.STATUSES:
        raise ConfigError(f"status {status!r} is not one of {', '.join(schema.STATUSES)}")


def _accounts(
    table: Table, *, file: str, mapping: Mapping[str, str] | None, status: str | None
) -> IngestResult:
    headers = table.frame.columns
    resolved = resolve_mapping(headers, mapping, file=file)
    require_name_like(resolved, headers, file=file)
    frame = table.frame.with_columns(table.rows.cast(pl.Int64).alias(schema.ROW))
    frame, footer = _split_footer(frame, headers)
    # Blank lines in the file: rows without a cell, which only a list with a null in
    # every column can have.
    if all(frame[header].null_count() for header in headers):
        frame = frame.filter(~pl.all_horizontal(pl.col(headers).is_null()))
    if frame.height == 0:
        raise EmptyFileError("has a header but only blank rows", file=file, hint="Add accounts")
    named = {header_key(h) for h in mapping or {}}  # an explicit mapping's headers stand
    if schema.ID not in resolved.values() and (found := _id_by_values(frame, resolved, named)):
        resolved = {h: resolved.get(h) or schema.ID for h in headers if h in resolved or h == found}
    column = {field: header for header, field in resolved.items()}
    id_column = column.get(schema.ID)
    # A line an export wrote twice, to the letter, or an account written once per contact
    # or deal (its id and name again, other cells not): the first stands, the id is not
    # repeated.
    repeated = frame.clear().with_columns(pl.lit(None, pl.String).alias(schema.REASON))
    if id_column and frame[id_column].is_duplicated().any():
        cases = [(~pl.struct(headers).is_first_distinct(), REASON_REPEATED)]
        if name_column := column.get(schema.NAME):
            account = pl.struct(
                pl.col(id_column).str.strip_chars(),
                pl.col(name_column).str.strip_chars().str.to_lowercase(),
            )
            cases.append((~account.is_first_distinct(), REASON_SAME_ACCOUNT))
        # the first case that holds
        why = frame.select(pl.coalesce(pl.when(c).then(pl.lit(r)) for c, r in cases)).to_series()
        repeated = frame.filter(why.is_not_null()).with_columns(
            why.drop_nulls().alias(schema.REASON)
        )
        frame = frame.filter(why.is_null())
    cells = frame.select(
        schema.ROW,
        pl.col(id_column).str.strip_chars().replace("", None).alias(schema.ID)
        if id_column
        else pl.int_range(1, pl.len() + 1).cast(pl.String).alias(schema.ID),
        *(_cell(f, pl.col(h)).alias(f) for f, h in column.items() if f != schema.ID),
        *(pl.lit(None, pl.String).alias(f) for f in _INPUTS if f not in column),
    )
    located = _places(_web_or_email(cells), mapped=column)
    accounts = _typed(located)
    if status is not None:  # where a row says nothing: a status not understood stays unknown
        said = pl.lit(located[schema.STATUS].is_not_null()) | pl.col(schema.STATUS).is_not_null()
        accounts = accounts.with_columns(
            pl.when(said).then(schema.STATUS).otherwise(pl.lit(status)).alias(schema.STATUS)
        )
    _check_unique_ids(accounts, file=file, column=id_column)
    reason = accounts.select(
        pl.concat_str(
            pl.when(pl.all_horizontal(pl.col(f).is_null() for f in _IDENTIFYING))
            .then(pl.lit(REASON_NO_NAME))
            .when(
                is_placeholder(pl.col(schema.NAME))
                & pl.all_horizontal(pl.col(f).is_null() for f in _IDENTIFYING[1:])
            )
            .then(pl.lit(REASON_PLACEHOLDER)),
            pl.when(pl.col(schema.ID).is_null()).then(pl.lit(f"no id in column {id_column!r}")),
            separator="; ",
            ignore_nulls=True,
        ).replace("", None)
    ).to_series()
    as_written = [
        pl.col(column[f]).str.strip_chars().alias(f)
        if f in column
        else pl.lit(None, pl.String).alias(f)
        for f in _IDENTIFYING
    ]
    return IngestResult(
        accounts=accounts.filter(reason.is_null()).select(
            pl.col(c).cast(t) for c, t in schema.ACCOUNT_SCHEMA.items()
        ),
        mapping=resolved,
        rejected=pl.concat(
            [
                frame.filter(reason.is_not_null()).select(
                    schema.ROW, reason.drop_nulls().alias(schema.REASON), *as_written
                ),
                footer.select(schema.ROW, pl.lit(REASON_FOOTER).alias(schema.REASON), *as_written),
                repeated.select(schema.ROW, schema.REASON, *as_written),
            ]
        ).sort(schema.ROW),
        file=file,
        rows_read=frame.height + footer.height + repeated.height,
        ignored=tuple(h for h in headers if h not in resolved),
        unrecognised=_unrecognised(located.filter(reason.is_null()), column),
        sheet=table.sheet,
    )


# The fields whose values are read into a closed vocabulary, and how.
_READERS: dict[str, Callable[[pl.Expr], pl.Expr]] = {
    schema.STATUS: values.relationship_status,
    schema.COUNTRY: country_code,
}


def _unrecognised(cells: pl.DataFrame, column: Mapping[str, str]) -> pl.DataFrame:
    """The values of ``_READERS``' fields that their reader reads as none, counted
    (``UNRECOGNISED_SCHEMA``); ``column`` is {field: header}."""
    found = [pl.DataFrame(schema=UNRECOGNISED_SCHEMA)]
    for name, read in _READERS.items():
        header = column.get(name) or (column.get(LOCATION) if name in _PLACES else None)
        if header is None:
            continue
        counted = cells.group_by(pl.col(name).alias("value")).len("rows").drop_nulls("value")
        found.append(
            counted.filter(read(pl.col("value")).is_null()).select(
                pl.lit(header).alias("column"), pl.lit(name).alias("field"), "value", "rows"
            )
        )
    unread = pl.concat(found).cast(pl.Schema(UNRECOGNISED_SCHEMA))
    return unread.sort("rows", "value", descending=[True, False])


def _id_by_values(frame: pl.DataFrame, mapping: Mapping[str, str], named: set[str]) -> str | None:
    """The column of ids in a list whose id header no alias knows: the first header left
    unmapped that names ids ("person_id", "Acct #") and holds one in every row, each once;
    else the file's first column, if left unmapped and holding in every row one word of its
    own ("0015g00000XyZ", "7f3c-a9"); None if neither. ("True Id", the same on several
    rows, is no id.) Headers an explicit mapping ``named`` (by key) are not taken."""
    free = [
        header
        for header in frame.columns
        if header not in mapping and header != schema.ROW and header_key(header) not in named
    ]

    def each_once(header: str) -> bool:
        cells = frame[header].str.strip_chars()
        return cells.null_count() == 0 and (cells != "").all() and cells.is_unique().all()

    if named_id := next((h for h in free if names_an_id(h) and each_once(h)), None):
        return named_id
    first = frame.columns[0]
    if first in free and each_once(first) and not frame[first].str.contains(r"\S\s+\S").any():
        return first
    return None


# Fields compared by their words, where text a system once decoded with the wrong
# encoding shows ("SociÃ©tÃ©") and would spoil a match.
_WORDS = (schema.NAME, schema.ADDRESS, schema.CITY, schema.STATE, LOCATION)


def _cell(field: str, cell: pl.Expr) -> pl.Expr:
    return values.repaired(values.text(cell)) if field in _WORDS else values.text(cell)


_IDENTIFYING = (schema.NAME, schema.WEBSITE, schema.EMAIL)  # a row needs one of these
_INPUTS = (*(f for f in schema.ACCOUNT_FIELDS if f != schema.ID), LOCATION)


def _split_footer(frame: pl.DataFrame, headers: list[str]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(the rows, the report footer): the rows of one cell at most that follow a blank
    line after the last row of several cells, as a CRM report writes its totals,
    copyright and "Generated by" lines below the accounts."""
    cells = pl.sum_horizontal(pl.col(h).is_not_null() for h in headers)
    last = frame.select((cells > 1).arg_true().max()).item()
    if last is None or last + 1 >= frame.height:
        return frame, frame.clear()
    after = frame.slice(last + 1)
    if after.select(cells.first()).item() > 0:  # no blank line between them
        return frame, frame.clear()
    return pl.concat([frame.head(last + 1), after.filter(cells == 0)]), after.filter(cells > 0)


def _web_or_email(cells: pl.DataFrame) -> pl.DataFrame:
    """Move an e-mail found in the website column to email, and a web address the other way;
    a name that is a web address ("acme.com", as CRMs name the companies they create from
    a domain) is the website too, where there is none."""
    web, mail, name = pl.col(schema.WEBSITE), pl.col(schema.EMAIL), pl.col(schema.NAME)
    mail_in_web = values.is_email(web) & mail.is_null()
    web_in_mail = values.is_url(mail) & web.is_null()
    named = cells.select(values.is_url(name) & web.is_null() & mail.is_null()).to_series()
    if named.any():  # "N.V.NUTRICIA" looks like one too: only a registrable domain counts
        hosts = cells.filter(named).select(domain_from(name)).to_series()
        named = named.scatter(named.arg_true(), hosts.is_not_null())
    web_in_name = pl.lit(named)
    return cells.with_columns(
        pl.when(mail_in_web)
        .then(None)
        .when(web_in_mail)
        .then(mail)
        .when(web_in_name)
        .then(name)
        .otherwise(web)
        .alias(schema.WEBSITE),
        pl.when(mail_in_web)
        .then(values.without_mailto(web))
        .when(web_in_mail)
        .then(None)
        .otherwise(values.without_mailto(mail))
        .alias(schema.EMAIL),
    )


def _places(cells: pl.DataFrame, *, mapped: Mapping[str, str]) -> pl.DataFrame:
    """City, state and country from a location cell, for those without a column of their own."""
    if LOCATION not in mapped:
        return cells
    split = dict(zip(_PLACES, values.split_location(pl.col(LOCATION)), strict=True))
    return cells.with_columns(split[f].alias(f) for f in _PLACES if f not in mapped)


def _typed(cells: pl.DataFrame) -> pl.DataFrame:
    """Numbers, dates and status parsed from their text."""
    # The cheap parsers read every column at once (in parallel); the full ones see only
    # the cells those could not read.
    quick = cells.select(
        *(values.plain_number(pl.col(f)).alias(f) for f in _NUMBERS),
        *(values.plain_date(pl.col(f)).alias(f) for f in _DATES),
        pl.coalesce(
            _per_distinct(cells[schema.STATUS], values.relationship_status),
            _per_distinct(cells[schema.STAGE], values.stage_status),
        ).alias(schema.STATUS),
    )
    parsed = {
        **{f: _read_the_rest(quick[f], cells[f], values.number) for f in _NUMBERS},
        **{f: _read_the_rest(quick[f], cells[f], values.date) for f in _DATES},
    }
    employees = parsed.pop(schema.EMPLOYEES).round(0).cast(pl.Int64, strict=False)
    return cells.with_columns(employees, *parsed.values(), quick[schema.STATUS])


def _read_the_rest(
    parsed: pl.Series, cells: pl.Series, full: Callable[[pl.Expr], pl.Expr]
) -> pl.Series:
    """``parsed`` with ``full`` applied to the cells it left null."""
    todo = (parsed.is_null() & cells.is_not_null()).arg_true()
    if todo.len() == 0:
        return parsed
    return parsed.scatter(todo, pl.select(full(pl.lit(cells.gather(todo)))).to_series())


def _per_distinct(cells: pl.Series, function: Callable[[pl.Expr], pl.Expr]) -> pl.Expr:
    """``function`` of the column ``cells`` came from, computed once per distinct value.

    Statuses repeat a handful of words: the expression looks each cell up.
    """
    distinct = cells.drop_nulls().unique()
    mapped = pl.select(function(pl.lit(distinct))).to_series()
    return pl.col(cells.name).replace_strict(distinct, mapped, default=None, return_dtype=pl.String)


def _check_unique_ids(accounts: pl.DataFrame, *, file: str, column: str | None) -> None:
    """Raise DuplicateIdError for the first id written on two rows."""
    if column is None:
        return
    ids = accounts.select(schema.ID, schema.ROW).drop_nulls(schema.ID)
    repeated = ids.filter(~pl.col(schema.ID).is_first_distinct())
    if repeated.height == 0:
        return
    second = repeated.row(0, named=True)
    first = ids.filter(pl.col(schema.ID) == second[schema.ID]).row(0, named=True)
    raise DuplicateIdError(
        f"id {second[schema.ID]!r} is on row {first[schema.ROW]} and again on row "
        f"{second[schema.ROW]}",
        file=file,
        row=second[schema.ROW],
        column=column,
        hint=f'Make the ids unique, or map the column to "ignore" to number the rows instead '
        f'({{"{column}": "ignore"}} in a mapping JSON, or --map "{column}=ignore"'
        f"{MAP_OPTIONS_OF_MATCH})",
    )
