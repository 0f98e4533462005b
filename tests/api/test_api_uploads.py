"""Uploads: a good file gives its ingest report; a broken one a clear 4xx and nothing stored."""

from __future__ import annotations

import gzip
import io
import json
import zipfile
from typing import Any

import polars as pl
import pytest
from api_world import SAMPLES, Api

from overlap import schema

OWNER = "PRT-004"
XLSX = (SAMPLES / "partner_meridian_dynamics.xlsx").read_bytes()
PARQUET = (SAMPLES / "partner_tessellate_pipedrive.parquet").read_bytes()


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _parquet(frame: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.write_parquet(buffer)
    return buffer.getvalue()


GOOD = "Company,Website,Country,Status\nAcme Widgets,acme.example,US,Customer\n"

# id, file name, content, extra form fields, a word the problem's detail must contain
BROKEN: list[tuple[str, str, bytes, dict[str, str], str]] = [
    ("empty file", "a.csv", b"", {}, "empty"),
    ("header only", "a.csv", b"Company,Website\n", {}, "a.csv"),
    ("blank lines only", "a.csv", b"\n\n\n", {}, "a.csv"),
    ("binary garbage", "a.csv", bytes(range(256)) * 40, {}, "a.csv"),
    ("png named csv", "a.csv", b"\x89PNG\r\n\x1a\n" + b"\x00" * 500, {}, "a.csv"),
    ("gzip named csv", "a.csv", gzip.compress(GOOD.encode()), {}, "a.csv"),
    ("nul bytes", "a.csv", b"Company\x00,Web\nAc\x00me,\x00\x00\n", {}, "a.csv"),
    ("utf-32 text", "a.csv", GOOD.encode("utf-32"), {}, "a.csv"),
    ("no name column", "a.csv", b"foo,bar\n1,2\n3,4\n", {}, "name"),
    ("only unknown headers", "a.csv", b"x;y;z\n1;2;3\n", {}, "a.csv"),
    ("duplicate ids", "a.csv", b"Id,Company\n1,Acme\n1,Beta\n", {}, "1"),
    ("no usable row", "a.csv", b"Company,Country\n,US\n,FR\n", {}, "no row"),
    (
        "huge cell",
        "a.csv",
        b"Company,Website\n" + b"A" * 5_000 + b",acme.example\n",
        {},
        "characters",
    ),
    ("over the size limit", "a.csv", b"Company\n" + b"Acme Widgets\n" * 20_000, {}, "limit"),
    ("mapping not json", "a.csv", GOOD.encode(), {"mapping": "{not json"}, "mapping"),
    ("mapping not an object", "a.csv", GOOD.encode(), {"mapping": "[1, 2]"}, "mapping"),
    ("mapping of numbers", "a.csv", GOOD.encode(), {"mapping": '{"Company": 3}'}, "mapping"),
    (
        "mapping onto an unknown field",
        "a.csv",
        GOOD.encode(),
        {"mapping": json.dumps({"Company": "nonsense"})},
        "nonsense",
    ),
    (
        "mapping the name away",
        "a.csv",
        GOOD.encode(),
        {"mapping": json.dumps({"Company": "ignore", "Website": "ignore"})},
        "a.csv",
    ),
    ("unknown extension", "a.exe", GOOD.encode(), {}, ".exe"),
    ("no extension", "accounts", GOOD.encode(), {}, "no extension"),
    ("truncated xlsx", "a.xlsx", XLSX[: len(XLSX) // 2], {}, "a.xlsx"),
    ("csv named xlsx", "a.xlsx", GOOD.encode(), {}, "a.xlsx"),
    ("empty zip named xlsx", "a.xlsx", _zip({}), {}, "a.xlsx"),
    ("zip of junk named xlsx", "a.xlsx", _zip({"junk.txt": b"hello"}), {}, "a.xlsx"),
    ("zip bomb named xlsx", "a.xlsx", _zip({"xl/bomb.xml": b"\0" * 3_000_000}), {}, "expands"),
    ("text named parquet", "a.parquet", GOOD.encode(), {}, "a.parquet"),
    ("truncated parquet", "a.parquet", PARQUET[: len(PARQUET) // 2], {}, "a.parquet"),
    (
        "parquet without names",
        "a.parquet",
        _parquet(pl.DataFrame({"x": [1, 2], "y": [3, 4]})),
        {},
        "a.parquet",
    ),
    ("broken jsonl", "a.jsonl", b'{"name": "Acme"\n{oops}\n', {}, "a.jsonl"),
    ("jsonl of empty objects", "a.jsonl", b"{}\n{}\n", {}, "a.jsonl"),
    ("unterminated quote", "a.csv", b'Company,Website\n"Acme,acme.example\n', {}, "a.csv"),
]


def _versions(api: Api) -> list[dict[str, Any]]:
    return api.client.get(f"/lists?owner={OWNER}", headers=api.headers("admin")).json()


@pytest.mark.parametrize(
    ("name", "content", "form", "needle"),
    [pytest.param(n, c, f, w, id=i) for i, n, c, f, w in BROKEN],
)
def test_a_broken_upload_is_refused_with_a_clear_problem_and_nothing_is_stored(
    api: Api, name: str, content: bytes, form: dict[str, str], needle: str
) -> None:
    before = _versions(api)
    response = api.client.post(
        f"/lists/{OWNER}",
        headers=api.headers("admin"),
        files={"file": (name, content, "application/octet-stream")},
        data=form,
    )
    assert 400 <= response.status_code < 500, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert set(problem) >= {"type", "title", "status", "detail"}
    assert needle.lower() in problem["detail"].lower(), problem["detail"]
    assert "Traceback" not in response.text and "/tmp" not in response.text
    assert _versions(api) == before


def test_an_upload_without_a_file_part_is_a_validation_problem(api: Api) -> None:
    response = api.client.post(f"/lists/{OWNER}", headers=api.headers("admin"), data={"x": "1"})
    assert response.status_code == 422
    assert "file" in response.json()["detail"]


def test_an_upload_over_the_limit_is_413(api: Api) -> None:
    response = api.client.post(
        f"/lists/{OWNER}",
        headers=api.headers("admin"),
        files={"file": ("big.csv", b"Company\n" + b"Acme\n" * 60_000, "text/csv")},
    )
    assert response.status_code == 413
    assert "limit" in response.json()["detail"]


def test_an_upload_for_an_unknown_partner_is_404(api: Api) -> None:
    response = api.client.post(
        "/lists/PRT-404",
        headers=api.headers("admin"),
        files={"file": ("a.csv", GOOD.encode(), "text/csv")},
    )
    assert response.status_code == 404


def test_a_good_upload_reports_its_mapping_and_rejected_rows_and_adds_a_version(
    api: Api,
) -> None:
    before = len(_versions(api))
    content = GOOD + ",,FR,Prospect\nBeta Tools,beta.example,DE,Prospect\n"
    response = api.client.post(
        f"/lists/{OWNER}",
        headers=api.headers("ecosystem"),
        files={"file": ("brightline.csv", content.encode(), "text/csv")},
    )
    assert response.status_code == 201, response.text
    report = response.json()
    assert report["mapping"]["Company"] == "name"
    assert (report["rows_read"], report["rows_accepted"]) == (3, 2)
    assert report["rejected"][0]["source_row"] == 3
    assert report["version"] == before + 1
    assert len(_versions(api)) == before + 1


def _upload(api: Api, name: str, content: bytes, **form: str) -> Any:
    """An admin's upload of ``content`` as ``name`` to ``OWNER``, with form fields."""
    return api.client.post(
        f"/lists/{OWNER}",
        headers=api.headers("admin"),
        files={"file": (name, content, "text/csv")},
        data=form,
    )


def test_an_explicit_mapping_overrides_detection(api: Api) -> None:
    content = b"Org,Web\nAcme Widgets,acme.example\n"
    mapping = json.dumps({"Org": "name", "Web": "website"})
    response = _upload(api, "org.csv", content, mapping=mapping)
    assert response.status_code == 201, response.text
    assert response.json()["mapping"] == {"Org": "name", "Web": "website"}


def test_a_status_field_reads_a_list_of_customers_only_as_customers(api: Api) -> None:
    content = b"Company,Website,Status\nAcme Widgets,acme.example,\nBeta Tools,beta.example,Lead\n"
    response = _upload(api, "customers.csv", content, status="customer")
    assert response.status_code == 201, response.text
    stored = api.store.latest_lists()[OWNER]
    assert stored[schema.STATUS].to_list() == ["customer", "prospect"]


def test_a_status_field_that_is_no_status_is_a_validation_problem(api: Api) -> None:
    response = _upload(api, "customers.csv", GOOD.encode(), status="client")
    assert response.status_code == 422


def test_a_partner_key_uploads_only_its_own_list(api: Api) -> None:
    files = {"file": ("a.csv", GOOD.encode(), "text/csv")}
    mine = api.client.post("/lists/PRT-001", headers=api.headers("own"), files=files)
    theirs = api.client.post("/lists/PRT-002", headers=api.headers("own"), files=files)
    assert (mine.status_code, theirs.status_code) == (201, 403)


def test_an_upload_is_a_snapshot_dated_by_its_as_of_field_else_by_the_upload_day(
    api: Api,
) -> None:
    content = b"Company,Web\nAcme Widgets,acme.example\n"
    assert _upload(api, "old.csv", content, as_of="2024-01-31").status_code == 201
    assert _upload(api, "new.csv", content).status_code == 201
    dated, today = _versions(api)[-2:]
    assert dated["as_of"] == "2024-01-31"
    assert today["as_of"] == today["uploaded_at"][:10]
