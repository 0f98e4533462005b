"""Account list uploads (a new version per upload) and their history."""

from __future__ import annotations

import json
import re
import tempfile
import zipfile
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

import polars as pl
from fastapi import APIRouter, File, Form, Query, UploadFile, status

from overlap import schema
from overlap.api.deps import Limit, Offset, ServiceDep, SettingsDep, StaffOrPartner, own_partner
from overlap.api.models import IngestReport, ListVersion, problems
from overlap.api.problems import Problem
from overlap.api.settings import Settings
from overlap.ecosystem.data import VENDOR
from overlap.errors import OverlapError
from overlap.ingest import SUPPORTED, IngestResult, read_accounts
from overlap.schema import Role

router = APIRouter(prefix="/lists", tags=["lists"])

CHUNK = 1024 * 1024
Status = Literal["customer", "opportunity", "prospect", "churned", "partner"]
"""schema.STATUSES (a test holds them equal)."""


def _safe_name(name: str | None) -> str:
    """The uploaded file's base name, reduced to characters safe on any file system."""
    base = Path(name or "").name
    cleaned = re.sub(r"[^A-Za-z0-9._ -]", "_", base).strip(" .")[:120]
    if not cleaned:
        raise Problem(422, "invalid-input", "the upload has no file name; name the file part")
    return cleaned


def _mapping(text: str | None) -> dict[str, str] | None:
    if text is None or not text.strip():
        return None
    try:
        mapping = json.loads(text)
    except json.JSONDecodeError as error:
        raise Problem(
            422, "invalid-mapping", f'mapping is not JSON ({error.msg}); send {{"Header": "field"}}'
        ) from error
    if not isinstance(mapping, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in mapping.items()
    ):
        raise Problem(
            422, "invalid-mapping", 'mapping must be a JSON object of {"Header": "field"} strings'
        )
    return mapping


def _save(upload: UploadFile, path: Path, settings: Settings) -> int:
    """Copy the upload to ``path``; 413 past the size limit. Returns its size."""
    size = 0
    with path.open("wb") as out:
        while chunk := upload.file.read(CHUNK):
            size += len(chunk)
            if size > settings.max_upload_bytes:
                raise Problem(
                    413,
                    "too-large",
                    f"{path.name} is larger than the upload limit of "
                    f"{settings.max_upload_bytes:,} bytes",
                )
            out.write(chunk)
    if size == 0:
        raise Problem(422, "invalid-input", f"file {path.name}: the file is empty")
    return size


def _check_archive(path: Path, settings: Settings) -> None:
    """Refuse an .xlsx (a zip) that would expand past the limit: a zip bomb."""
    if path.suffix.lower() not in (".xlsx", ".xlsm") or not zipfile.is_zipfile(path):
        return
    try:
        with zipfile.ZipFile(path) as archive:
            expanded = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as error:
        raise Problem(422, "invalid-input", f"file {path.name}: not a readable workbook") from error
    if expanded > settings.max_uncompressed_bytes:
        raise Problem(
            413,
            "too-large",
            f"file {path.name} expands to {expanded:,} bytes, more than the limit of "
            f"{settings.max_uncompressed_bytes:,}",
        )


def _check_result(result: IngestResult, name: str, settings: Settings) -> None:
    accounts = result.accounts
    if accounts.height > settings.max_rows:
        raise Problem(
            413,
            "too-large",
            f"file {name} has {accounts.height:,} rows; the limit is {settings.max_rows:,}",
        )
    if accounts.is_empty():
        reasons = result.rejected[schema.REASON].unique().to_list()[:3]
        raise Problem(
            422,
            "invalid-input",
            f"file {name}: no row could be used ({result.rows_read} read"
            + (f"; rejected: {'; '.join(str(r) for r in reasons)}" if reasons else "")
            + ")",
        )
    text = [c for c, t in accounts.schema.items() if t == pl.String]
    if text:
        longest = accounts.select(pl.col(text).str.len_chars().max()).row(0)
        for column, length in zip(text, longest, strict=True):
            if length is not None and length > settings.max_cell_chars:
                row = accounts.filter(pl.col(column).str.len_chars() == length)[schema.ROW][0]
                raise Problem(
                    422,
                    "invalid-input",
                    f"file {name}, row {row}, column {column!r}: a cell of {length:,} characters; "
                    f"cells are limited to {settings.max_cell_chars:,}",
                )


def _report(owner: str, version: int, name: str, result: IngestResult) -> IngestReport:
    rejected: list[dict[str, Any]] = result.rejected.to_dicts()
    return IngestReport(
        owner=owner,
        version=version,
        file_name=name,
        mapping=dict(result.mapping),
        ignored=list(result.ignored),
        rows_read=result.rows_read,
        rows_accepted=result.accounts.height,
        rejected=rejected,  # type: ignore[arg-type]
    )


@router.post(
    "/{owner}",
    status_code=status.HTTP_201_CREATED,
    summary="Upload a new version of a list (CSV, TSV, TXT, XLSX, Parquet, JSONL)",
    responses=problems(
        {
            413: "The file is over the upload limit",
            422: "The file cannot be used; the detail says where and why",
        }
    ),
)
def upload(
    service: ServiceDep,
    settings: SettingsDep,
    principal: StaffOrPartner,
    owner: str,
    file: Annotated[UploadFile, File(description="The account list")],
    mapping: Annotated[
        str | None,
        Form(
            description='JSON {"Source header": "field"} overriding detected columns',
            examples=['{"Company": "name", "Web": "website"}'],
        ),
    ] = None,
    status: Annotated[
        Status | None,
        Form(
            description="The status of the records that give none: a list of customers "
            "only is read as one population",
            examples=["customer"],
        ),
    ] = None,
    as_of: Annotated[
        date | None,
        Form(
            description="The day the list was exported on (default: the upload's day); "
            "a later version is a new snapshot of the partner's accounts",
            examples=["2026-01-02"],
        ),
    ] = None,
) -> IngestReport:
    own_partner(principal, owner)
    if owner != VENDOR and service.store.partner(owner) is None:
        raise Problem(
            404, "not-found", f"no partner {owner!r}; lists belong to 'vendor' or a partner"
        )
    if owner == VENDOR and principal.role == Role.PARTNER:
        raise Problem(403, "forbidden", "a partner key cannot upload the vendor's list")
    explicit = _mapping(mapping)
    name = _safe_name(file.filename)
    if Path(name).suffix.lower() not in SUPPORTED:
        raise Problem(
            422,
            "invalid-input",
            f"file {name}: unknown format {Path(name).suffix or '(no extension)'}; "
            f"supported: {', '.join(SUPPORTED)}",
        )
    with tempfile.TemporaryDirectory(prefix="overlap-upload-") as directory:
        path = Path(directory) / name
        _save(file, path, settings)
        _check_archive(path, settings)
        try:
            result = read_accounts(path, mapping=explicit, status=status)
        except OverlapError as error:
            raise Problem(422, "invalid-input", str(error).replace(str(path), name)) from error
        except Exception as error:  # a reader library's own error on a broken file
            raise Problem(
                422,
                "invalid-input",
                f"file {name}: cannot be read as {path.suffix} ({type(error).__name__})",
            ) from error
    _check_result(result, name, settings)
    version = service.store.put_list(owner, result.accounts, file_name=name, as_of=as_of)
    return _report(owner, version, name, result)


@router.get("", summary="List versions, newest last (a partner key: its own)")
def list_versions(
    service: ServiceDep,
    principal: StaffOrPartner,
    owner: Annotated[str | None, Query(max_length=64)] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[ListVersion]:
    if principal.role == Role.PARTNER:
        if owner is not None:
            own_partner(principal, owner)
        owner = principal.partner_id
    rows = service.store.list_versions(owner)
    return [ListVersion.model_validate(r) for r in rows[offset : offset + limit]]
