"""Issue 21, defect 3: a small file that expands to millions of rows or gigabytes is refused
before it is parsed, whatever sizes it declares; and only so many uploads are parsed at once."""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from conftest_h10 import TestClient, admin_token, clients

from overlap.api import uploads as uploads_module
from overlap.api.expansion import parse_slots
from overlap.api.settings import Settings
from overlap.api.store import Store

LIMITS = Settings(
    db=":memory:",
    max_upload_bytes=200_000,
    max_rows=1_000,
    max_uncompressed_bytes=1_000_000,
    max_parallel_uploads=1,
)
SHEET = "xl/worksheets/sheet1.xml"


@pytest.fixture
def upload(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """``upload(name, content)``: the app's answer to a vendor list upload; a file that
    reaches the parser (in a child process) fails the test."""

    def parsed(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the file was parsed")

    monkeypatch.setattr(uploads_module, "in_child", parsed)
    store = Store.open(":memory:")
    headers = {"Authorization": f"Bearer {admin_token(store)}"}
    (client,) = clients(store, settings=LIMITS)

    def send(name: str, content: bytes) -> Any:
        return client.post("/lists/vendor", files={"file": (name, content)}, headers=headers)

    send.client = client  # type: ignore[attr-defined]
    yield send
    store.close()


def _refused(response: Any, words: str) -> None:
    assert response.status_code == 413, response.text
    assert words in response.json()["detail"]


def _parquet(frame: pl.DataFrame) -> bytes:
    out = io.BytesIO()
    frame.write_parquet(out, compression="zstd")
    return out.getvalue()


def test_a_parquet_file_declaring_more_rows_than_the_limit_is_refused_unread(upload: Any) -> None:
    bomb = _parquet(pl.DataFrame({"name": ["Acme Corp"] * 300_000}))
    assert len(bomb) < 20_000
    _refused(upload("bomb.parquet", bomb), "declares 300,000 rows")


def test_a_parquet_file_of_few_rows_whose_values_expand_past_the_limit_is_refused(
    upload: Any,
) -> None:
    # one long value, stored once in a dictionary and repeated by every row
    bomb = _parquet(pl.DataFrame({"name": ["Acme " * 4_000] * 500}))
    assert len(bomb) < 20_000
    _refused(upload("bomb.parquet", bomb), "expands past 1,000,000 bytes")


def test_a_csv_file_of_more_lines_than_the_row_limit_is_refused_unparsed(upload: Any) -> None:
    _refused(upload("big.csv", b"Company\n" + b"Acme\n" * 5_000), "has 5,001 lines")


def _central_entry(data: bytes, name: str) -> int:
    return data.rindex(name.encode()) - 46


def _workbook(rows: int, tmp_path: Path) -> bytes:
    path = tmp_path / "book.xlsx"
    pl.DataFrame({"Company": [f"Company {i} of a long name" for i in range(rows)]}).write_excel(
        path
    )
    return path.read_bytes()


def _with_false_sizes(workbook: bytes) -> bytes:
    data = bytearray(workbook)
    info = zipfile.ZipFile(io.BytesIO(workbook)).getinfo(SHEET)
    struct.pack_into("<I", data, info.header_offset + 22, 100)  # the local header's size
    struct.pack_into("<I", data, _central_entry(workbook, SHEET) + 24, 100)
    assert zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo(SHEET).file_size == 100
    return bytes(data)


def test_a_workbook_declaring_false_sizes_is_refused_for_the_rows_its_sheet_holds(
    upload: Any, tmp_path: Path
) -> None:
    bomb = _with_false_sizes(_workbook(5_000, tmp_path))
    _refused(upload("bomb.xlsx", bomb), "has 5,001 rows on a sheet")


def test_a_workbook_declaring_false_sizes_is_refused_for_the_bytes_it_inflates_to(
    upload: Any, tmp_path: Path
) -> None:
    workbook = _workbook(900, tmp_path)
    padded = zipfile.ZipFile(io.BytesIO(workbook))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in padded.infolist():
            content = padded.read(info)
            if info.filename == SHEET:  # whitespace inside the XML: inflates, adds no row
                content = content.replace(b"<sheetData>", b"<sheetData>" + b" " * 3_000_000)
            archive.writestr(info.filename, content)
    _refused(upload("bomb.xlsx", _with_false_sizes(out.getvalue())), "expands past")


def test_an_upload_while_every_parse_slot_is_taken_is_answered_429(upload: Any) -> None:
    client: TestClient = upload.client
    slots = parse_slots(client.app.state, LIMITS)  # type: ignore[attr-defined]
    assert slots.acquire(blocking=False)
    try:
        response = upload("a.csv", b"Company\nAcme\n")
    finally:
        slots.release()
    assert response.status_code == 429, response.text
    assert response.headers["retry-after"] == "5"
