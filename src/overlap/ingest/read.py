"""Files -> a table of text cells under their headers, with each record's line in the file.

Delimited text is decoded once (UTF-8, UTF-8 or UTF-16 with a byte-order mark,
else Windows-1252 / Latin-1) and parsed by polars' CSV reader; Python only looks
at the first few kilobytes, to find the delimiter and the header row.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import fastexcel
import polars as pl

from overlap.errors import EmptyFileError, UnreadableFileError
from overlap.ingest.columns import NAME_LIKE, detect_mapping

DELIMITED = (".csv", ".tsv", ".txt", ".tab")
EXCEL = (".xlsx", ".xlsm", ".xls")
PARQUET = (".parquet", ".pq")
JSON_LINES = (".jsonl", ".ndjson")
SUPPORTED = (*DELIMITED, *EXCEL, *PARQUET, *JSON_LINES)

DELIMITERS = (",", ";", "\t", "|")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
_HEAD_BYTES = 64 * 1024  # enough for the title rows, the header and a few records
_HEAD_RECORDS = 50
_EXPORT_HINT = "Export the list as CSV (UTF-8) or as an Excel .xlsx workbook"


@dataclass(frozen=True)
class Table:
    """Text cells under their headers as written; ``rows`` holds each record's line or sheet
    row, as a spreadsheet numbers it (the header and any title rows counted), and ``sheet``
    the name of the Excel sheet the records are on."""

    frame: pl.DataFrame
    rows: pl.Series
    sheet: str | None = None


def read_table(path: Path) -> Table:
    """Read a delimited, Excel, Parquet or JSON-lines file into a Table of String columns."""
    file = path.name
    if not path.is_file():
        raise UnreadableFileError(
            "file not found" if not path.exists() else "not a file",
            file=str(path),
            hint="Check the path",
        )
    suffix = path.suffix.lower()
    if suffix in DELIMITED:
        return _read_delimited(path.read_bytes(), file=file)
    if suffix in EXCEL:
        return _read_excel(path, file=file)
    if suffix in PARQUET or suffix in JSON_LINES:
        try:
            frame = pl.read_parquet(path) if suffix in PARQUET else pl.read_ndjson(path)
        except (pl.exceptions.PolarsError, OSError) as error:
            raise UnreadableFileError(
                f"cannot be read as {suffix[1:]}: {_first_line(error)}", file=file
            ) from error
        if frame.height == 0:
            raise EmptyFileError("has no rows", file=file, hint="Export at least one account")
        return Table(as_text(frame), pl.int_range(1, frame.height + 1, eager=True))
    raise UnreadableFileError(
        f"unsupported file type {suffix or '(no extension)'!r}",
        file=file,
        hint=f"Supported: {', '.join(SUPPORTED)}",
    )


def as_text(frame: pl.DataFrame) -> pl.DataFrame:
    """Every column as String: lists joined with "; ", structs as JSON, the rest cast."""
    columns = []
    for name, dtype in frame.schema.items():
        column = pl.col(name)
        if isinstance(dtype, pl.List | pl.Array):
            column = column.cast(pl.List(pl.String)).list.join("; ")
        elif isinstance(dtype, pl.Struct):
            column = column.struct.json_encode()
        columns.append(column.cast(pl.String))
    return frame.select(columns)


# --- delimited text ------------------------------------------------------------------


def decode(data: bytes, *, file: str, legacy: bool = False) -> bytes:
    """The file's text as UTF-8 bytes without a byte-order mark.

    UTF-8 is returned as it is, checked on its first 64 KB only (polars checks the
    rest as it parses). UTF-16 (with a byte-order mark, or recognised by its zero
    bytes) and, with ``legacy`` or a head that is not UTF-8, Windows-1252 (else
    Latin-1) are transcoded once. Binary content raises UnreadableFileError.
    """
    if data.startswith(codecs.BOM_UTF8):
        return _check_text(data[len(codecs.BOM_UTF8) :], file=file)
    encoding = _utf16(data)
    if encoding is None and b"\x00" in data:
        kind = "a zip archive (an Excel workbook?)" if data.startswith(b"PK\x03\x04") else "binary"
        raise UnreadableFileError(
            f"is {kind}, not text: it contains zero bytes", file=file, hint=_EXPORT_HINT
        )
    if encoding is None:
        if not legacy and _utf8_head(data):
            return _check_text(data, file=file)
        encoding = "cp1252"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        if encoding != "cp1252":
            raise UnreadableFileError(
                f"is not valid {encoding.upper()} text (byte {error.start})",
                file=file,
                hint=_EXPORT_HINT,
            ) from error
        text = data.decode("latin-1")
    return _check_text(text.removeprefix("\ufeff").encode("utf-8"), file=file)


def _utf8_head(data: bytes) -> bool:
    """True when the first 64 KB are UTF-8 (a character cut at the end is allowed)."""
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data[:_HEAD_BYTES], final=False)
    except UnicodeDecodeError:
        return False
    return True


class _NotUtf8(Exception):
    """Polars found bytes that are not UTF-8 past the head of the file."""


def _utf16(data: bytes) -> str | None:
    """ "utf-16" when the data starts with its byte-order mark or reads as UTF-16 without one."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    head = data[:4096]
    even, odd = head[0::2], head[1::2]
    if len(head) >= 4 and odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if len(head) >= 4 and even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]")


def _check_text(data: bytes, *, file: str) -> bytes:
    head = data[:_HEAD_BYTES]
    if len(_CONTROL.findall(head)) > max(2, len(head) // 200):
        raise UnreadableFileError(
            "is binary, not text: it is full of control characters", file=file, hint=_EXPORT_HINT
        )
    return data


@dataclass(frozen=True)
class _Record:
    line: int  # 1-based line of the record's first line
    end: int  # 1-based line of its last line
    cells: list[str]


def _records(text: str, delimiter: str) -> list[_Record]:
    """Records of the head of a file, quotes respected; stops at the first malformed one."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[_Record] = []
    line = 1
    try:
        for cells in reader:
            records.append(_Record(line, reader.line_num, cells))
            line = reader.line_num + 1
            if len(records) >= _HEAD_RECORDS:
                break
    except csv.Error:
        pass
    return records


def _sniff(text: str) -> tuple[str, list[_Record]]:
    """The delimiter whose records have the most consistent width, and those records."""
    best: tuple[tuple[int, int, int], str, list[_Record]] | None = None
    for order, delimiter in enumerate(DELIMITERS):
        records = _records(text, delimiter)
        widths = Counter(len(r.cells) for r in records if any(c.strip() for c in r.cells))
        width, count = max(widths.items(), key=lambda item: (item[1], item[0]), default=(1, 0))
        score = (count if width > 1 else 0, width, -order)
        if best is None or score > best[0]:
            best = (score, delimiter, records)
    assert best is not None
    return best[1], best[2]


def header_index(rows: Sequence[Sequence[str | None]]) -> int | None:
    """Index of the header among the first rows of a sheet or file; None if all are blank.

    The header is the first row with two or more cells (one, in a one-column file)
    that names an account column ("Account Name", "Website", ...); failing that, the
    first row of two or more cells at least as wide as most rows; failing that, the first
    non-blank row.
    """
    filled = [sum(bool(c and c.strip()) for c in row) for row in rows]
    extent = [max((i + 1 for i, c in enumerate(row) if c and c.strip()), default=0) for row in rows]
    blank = [n == 0 for n in filled]
    if all(blank):
        return None
    several = [i for i, n in enumerate(filled) if n >= 2]
    for i in several or [i for i, b in enumerate(blank) if not b]:
        if _names_accounts(rows[i]):
            return i
    widths = Counter(e for e, b in zip(extent, blank, strict=True) if not b)
    usual = max(widths.items(), key=lambda item: (item[1], item[0]))[0]
    return next((i for i in several if extent[i] >= usual), blank.index(False))


def _names_accounts(header: Sequence[str | None]) -> bool:
    """Whether a row of header cells names a column that identifies accounts."""
    mapping = detect_mapping([(cell or "").strip() for cell in header])
    return any(field in NAME_LIKE for field in mapping.values())


def _read_delimited(data: bytes, *, file: str) -> Table:
    try:
        return _parse_delimited(decode(data, file=file), file=file)
    except _NotUtf8:
        return _parse_delimited(decode(data, file=file, legacy=True), file=file)


def _parse_delimited(body: bytes, *, file: str) -> Table:
    if re.fullmatch(rb"\s*", body[:_HEAD_BYTES]) and re.fullmatch(rb"\s*", body):
        raise EmptyFileError(
            "the file is empty", file=file, hint="Export the list with its header and accounts"
        )
    head = body[:_HEAD_BYTES].decode("utf-8", errors="ignore")
    if len(body) > _HEAD_BYTES:  # the last line of the head may be cut short
        head = head[: head.rfind("\n") + 1] or head
    delimiter, records = _sniff(head)
    found = header_index([r.cells for r in records])
    if found is None:
        raise EmptyFileError("has no header row in its first lines", file=file, hint=_EXPORT_HINT)
    header = records[found]
    above = head.split("\n")[: header.line - 1]
    text = body[len("\n".join([*above, ""]).encode("utf-8")) :] if above else body
    try:
        frame = pl.read_csv(
            text, separator=delimiter, infer_schema=False, truncate_ragged_lines=False
        )
    except pl.exceptions.ComputeError as error:
        if "utf-8" in str(error).lower():
            raise _NotUtf8 from error
        raise _parse_error(text, delimiter, header, file=file, error=error) from error
    if frame.height == 0:
        raise EmptyFileError(
            f"has a header (line {header.line}) but no data rows",
            file=file,
            hint="Export the list with its accounts",
        )
    return Table(frame, _record_lines(frame, text, header=header))


def _record_lines(frame: pl.DataFrame, text: bytes, *, header: _Record) -> pl.Series:
    """Line of each record's first line, counting line breaks inside quoted cells."""
    lines = text.count(b"\n") + (not text.endswith(b"\n")) - (header.end - header.line + 1)
    offsets = pl.int_range(header.end + 1, header.end + 1 + frame.height, eager=True)
    if lines == frame.height:  # no line breaks inside cells
        return offsets
    inside = frame.select(
        pl.sum_horizontal(pl.all().str.count_matches("\n", literal=True).fill_null(0))
    ).to_series()
    return offsets + inside.cum_sum().shift(1, fill_value=0)


def _parse_error(
    text: bytes, delimiter: str, header: _Record, *, file: str, error: Exception
) -> UnreadableFileError:
    """The row polars could not read, found again with Python's csv module (error path only)."""
    name = _DELIMITER_NAMES[delimiter]
    reader = csv.reader(io.StringIO(text.decode("utf-8"), newline=""), delimiter=delimiter)
    line = header.line
    try:
        for cells in reader:
            if len(cells) > len(header.cells):
                return UnreadableFileError(
                    f"has {len(cells)} cells but the header (line {header.line}) has "
                    f"{len(header.cells)}",
                    file=file,
                    row=line,
                    hint=f'Quote cells that contain a {name} ("..."), or remove the extra cells',
                )
            line = header.line + reader.line_num
    except csv.Error:
        pass
    return UnreadableFileError(
        f"cannot be read as {name}-separated text: {_first_line(error)}",
        file=file,
        row=line,
        hint="Check the quotes on this row: a quoted cell must end with a closing quote",
    )


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


# --- Excel -----------------------------------------------------------------------------


def _read_excel(path: Path, *, file: str) -> Table:
    try:
        reader = fastexcel.read_excel(path)
        loaded = (
            (name, reader.load_sheet(name, header_row=None, dtypes="string", skip_rows=0))
            for name in reader.sheet_names
        )
        sheets = [(name, sheet.to_polars()) for name, sheet in loaded]
        sheets = [(name, frame) for name, frame in sheets if _has_cells(frame)]
    except (fastexcel.FastExcelError, OSError) as error:
        raise UnreadableFileError(
            f"is not a readable Excel workbook (damaged or truncated?): {_first_line(error)}",
            file=file,
            hint="Open it in Excel and save it again, or export the list as CSV",
        ) from error
    if not sheets:
        raise EmptyFileError("every sheet is empty", file=file, hint="Export the list again")
    # The accounts are on the first sheet whose header names an account column (a
    # workbook may open on a cover or summary sheet), else on the first sheet.
    heads = [(name, sheet, sheet.head(_HEAD_RECORDS).rows()) for name, sheet in sheets]
    headed = [(name, sheet, head, _header(head)) for name, sheet, head in heads]
    name, sheet, head, found = next((h for h in headed if _names_accounts(h[2][h[3]])), headed[0])
    header = [str(c).strip() if c is not None else "" for c in head[found]]
    body = sheet.slice(found + 1)
    keep = [i for i, cell in enumerate(header) if cell or body[:, i].null_count() < body.height]
    frame = body.select(body.columns[i] for i in keep)
    frame.columns = _unique([header[i] or f"column {i + 1}" for i in keep])
    if frame.height == 0:
        raise EmptyFileError(
            f"has a header (row {found + 1}) but no data rows",
            file=file,
            hint="Export the list with its accounts",
        )
    # Sheet rows are 1-based; the first data row comes right after the header.
    first = found + 2
    return Table(frame, pl.int_range(first, first + frame.height, eager=True), sheet=name)


def _header(head: list[tuple[str | None, ...]]) -> int:
    found = header_index(head)
    assert found is not None  # the sheet has a non-empty cell
    return found


def _has_cells(sheet: pl.DataFrame) -> bool:
    return sheet.height > 0 and not sheet.select(pl.all_horizontal(pl.all().is_null()).all()).item()


def _unique(names: list[str]) -> list[str]:
    """Header cells made unique: a second "Phone" becomes "Phone (2)"."""
    seen: Counter[str] = Counter()
    out = []
    for name in names:
        seen[name] += 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out
