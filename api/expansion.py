"""How far an uploaded file expands, measured before it is parsed: decompression bombs.

An upload is at most ``max_upload_bytes``, but a Parquet file or a workbook (a zip) of
that size can expand to gigabytes. Each format is measured without being expanded in
memory, then refused (413) past ``max_rows`` rows or ``max_uncompressed_bytes`` bytes:

* Parquet: the row count and sizes its metadata declares, then the bytes its values would
  take once read, text columns read a few thousand rows at a time as dictionaries, so a
  value stored once and repeated by every row is never expanded;
* xlsx: every zip entry inflated as a stream from its local header, whatever sizes the
  archive declares, counting bytes and the ``<row`` elements of its sheets;
* delimited text and JSON lines: not compressed, so their lines bound their rows.

``parsing`` caps how many uploads are parsed at once (429 when all slots are taken).
"""

from __future__ import annotations

import struct
import threading
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from starlette.datastructures import State

from overlap.api.problems import Problem
from overlap.api.settings import Settings
from overlap.ingest.read import DELIMITED, JSON_LINES, PARQUET

CHUNK = 1024 * 1024
BATCH_ROWS = 4096
"""Parquet rows materialised at a time while their size is measured."""
TITLE_LINES = 100
"""Lines a text file may have beyond ``max_rows``: a header, title rows, blank lines."""
_LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature ... file name length, extra length
_ROW = b"<row"


def _too_large(name: str, what: str, limit: int, unit: str) -> Problem:
    return Problem(413, "too-large", f"file {name} {what}; the limit is {limit:,} {unit}")


def check_expansion(path: Path, settings: Settings) -> None:
    """Refuse (413) a file that would expand past the row or byte limits; 422 if unreadable."""
    suffix = path.suffix.lower()
    if suffix in PARQUET:
        _check_parquet(path, settings)
    elif suffix in (".xlsx", ".xlsm"):
        _check_workbook(path, settings)
    elif suffix in DELIMITED or suffix in JSON_LINES:
        _check_lines(path, settings)


def _check_lines(path: Path, settings: Settings) -> None:
    lines = 0
    with path.open("rb") as file:
        while chunk := file.read(CHUNK):
            lines += chunk.count(b"\n")
    if lines > settings.max_rows + TITLE_LINES:
        raise _too_large(path.name, f"has {lines:,} lines", settings.max_rows, "rows")


def _check_parquet(path: Path, settings: Settings) -> None:
    try:
        file = pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as error:
        raise Problem(
            422, "invalid-input", f"file {path.name}: not a readable Parquet file"
        ) from error
    meta = file.metadata
    if meta.num_rows > settings.max_rows:
        raise _too_large(path.name, f"declares {meta.num_rows:,} rows", settings.max_rows, "rows")
    declared = sum(
        meta.row_group(g).column(c).total_uncompressed_size
        for g in range(meta.num_row_groups)
        for c in range(meta.num_columns)
    )
    limit = settings.max_uncompressed_bytes
    if declared > limit:
        raise _too_large(path.name, f"declares {declared:,} bytes of data", limit, "bytes")
    # dictionary encoding stores a repeated value once: read text columns as dictionaries
    # (never expanded) and add up the lengths their indices point to
    fields = [(f.name, _value_type(f.type)) for f in file.schema_arrow]
    text = [name for name, kind in fields if _is_text(kind)]
    widths = sum(f.type.bit_width // 8 for f in file.schema_arrow if pa.types.is_primitive(f.type))
    expanded = meta.num_rows * widths
    try:
        reader = pq.ParquetFile(path, read_dictionary=text)
        for batch in reader.iter_batches(batch_size=BATCH_ROWS, columns=text):
            expanded += sum(_text_bytes(column) for column in batch.columns)
            if expanded > limit:
                raise _too_large(path.name, f"expands past {limit:,} bytes", limit, "bytes")
    except (pa.ArrowException, OSError) as error:
        raise Problem(
            422, "invalid-input", f"file {path.name}: not a readable Parquet file"
        ) from error
    if expanded > limit:
        raise _too_large(path.name, f"expands past {limit:,} bytes", limit, "bytes")


def _value_type(kind: pa.DataType) -> pa.DataType:
    return kind.value_type if pa.types.is_dictionary(kind) else kind


def _is_text(kind: pa.DataType) -> bool:
    return any(
        check(kind) for check in (pa.types.is_string, pa.types.is_large_string, pa.types.is_binary)
    )


def _text_bytes(column: pa.Array) -> int:
    """Bytes of a text column's values once expanded, counted without expanding them."""
    if isinstance(column, pa.DictionaryArray):
        lengths = pc.binary_length(column.dictionary)
        total = pc.sum(pc.take(lengths, column.indices)).as_py()
        return int(total or 0)
    return int(column.nbytes)


def _check_workbook(path: Path, settings: Settings) -> None:
    limit = settings.max_uncompressed_bytes
    try:
        with zipfile.ZipFile(path) as archive, path.open("rb") as raw:
            expanded = 0
            for info in archive.infolist():
                sheet = info.filename.startswith("xl/worksheets/")
                left = limit - expanded
                size, rows = _inflated(raw, info, left=left, count_rows=sheet)
                expanded += size
                if expanded > limit:
                    raise _too_large(path.name, f"expands past {limit:,} bytes", limit, "bytes")
                if rows > settings.max_rows + TITLE_LINES:
                    raise _too_large(
                        path.name, f"has {rows:,} rows on a sheet", settings.max_rows, "rows"
                    )
    except (zipfile.BadZipFile, zlib.error, OSError, struct.error) as error:
        raise Problem(422, "invalid-input", f"file {path.name}: not a readable workbook") from error


def _inflated(
    raw: BinaryIO, info: zipfile.ZipInfo, *, left: int, count_rows: bool
) -> tuple[int, int]:
    """Bytes of one zip entry once inflated (stopping just past ``left``), and its ``<row``s.

    Read from the entry's local header to the end of its deflate stream, so sizes the
    archive declares falsely change nothing.
    """
    raw.seek(info.header_offset)
    signature, name_length, extra_length = _LOCAL_HEADER.unpack(raw.read(_LOCAL_HEADER.size))
    if signature != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"no local header for {info.filename}")
    raw.seek(name_length + extra_length, 1)
    if info.compress_type == zipfile.ZIP_STORED:
        return info.compress_size, 0
    if info.compress_type != zipfile.ZIP_DEFLATED:
        raise zipfile.BadZipFile(f"{info.filename}: unsupported compression")
    inflate = zlib.decompressobj(-zlib.MAX_WBITS)
    size = rows = 0
    tail = b""
    pending = b""
    while not inflate.eof and size <= left:
        if not pending:
            pending = raw.read(CHUNK)
            if not pending:
                break
        data = inflate.decompress(pending, CHUNK)
        pending = inflate.unconsumed_tail
        size += len(data)
        if count_rows:
            # a "<row" cut by the chunk's end is found in the tail joined to the next chunk
            joined = tail + data
            rows += joined.count(_ROW)
            tail = joined[-(len(_ROW) - 1) :]  # too short to hold a "<row" counted already
    return size, rows


def parse_slots(state: State, settings: Settings) -> threading.BoundedSemaphore:
    """The app's uploads parsed at once, made from the settings on first use."""
    if not hasattr(state, "parse_slots"):
        state.parse_slots = threading.BoundedSemaphore(settings.max_parallel_uploads)
    slots: threading.BoundedSemaphore = state.parse_slots
    return slots


@contextmanager
def parsing(state: State, settings: Settings) -> Iterator[None]:
    """One of the app's parse slots for the block; 429 with Retry-After when none is free."""
    slots = parse_slots(state, settings)
    if not slots.acquire(blocking=False):
        raise Problem(
            429,
            "too-many-requests",
            f"{settings.max_parallel_uploads} uploads are being read; try again shortly",
            headers={"Retry-After": "5"},
        )
    try:
        yield
    finally:
        slots.release()
