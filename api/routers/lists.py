"""Account list uploads (a new version per upload) and their history."""

from __future__ import annotations

import json
import re
import tempfile
from datetime import date
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, BackgroundTasks, File, Form, Query, Request, UploadFile, status

from overlap.api.deps import Limit, Offset, ServiceDep, SettingsDep, StaffOrPartner, own_partner
from overlap.api.expansion import parsing
from overlap.api.models import IngestReport, ListVersion, problems
from overlap.api.problems import Problem
from overlap.api.security import Principal
from overlap.api.settings import Settings
from overlap.api.uploads import Read, read_apart
from overlap.api.uploads import read_saved as read_saved  # the web app's preview reads as this
from overlap.ecosystem.data import VENDOR
from overlap.ingest import SUPPORTED
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


def checked_name(
    service: ServiceDep, principal: Principal, owner: str, file_name: str | None
) -> str:
    """The upload's safe file name, once ``principal`` may upload ``owner``'s list.

    403 or 404 for a list the key may not upload, 422 for a name of no known format.
    """
    own_partner(principal, owner)
    if owner != VENDOR and service.store.partner(owner) is None:
        raise Problem(
            404, "not-found", f"no partner {owner!r}; lists belong to 'vendor' or a partner"
        )
    if owner == VENDOR and principal.role == Role.PARTNER:
        raise Problem(403, "forbidden", "a partner key cannot upload the vendor's list")
    name = _safe_name(file_name)
    if Path(name).suffix.lower() not in SUPPORTED:
        raise Problem(
            422,
            "invalid-input",
            f"file {name}: unknown format {Path(name).suffix or '(no extension)'}; "
            f"supported: {', '.join(SUPPORTED)}",
        )
    return name


def save_upload(upload: UploadFile, path: Path, settings: Settings) -> int:
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


def _report(owner: str, version: int, name: str, read: Read) -> IngestReport:
    return IngestReport(
        owner=owner,
        version=version,
        file_name=name,
        mapping=read.mapping,
        ignored=list(read.ignored),
        rows_read=read.rows_read,
        rows_accepted=read.rows_accepted,
        rejected=read.rejected,  # type: ignore[arg-type]
    )


@router.post(
    "/{owner}",
    status_code=status.HTTP_201_CREATED,
    summary="Upload a new version of a list (CSV, TSV, TXT, XLSX, Parquet, JSONL); answered "
    "once it is stored, the views that read it rebuilt after (view: pending)",
    responses=problems(
        {
            413: "The file is over the upload limit, or would expand past the row or byte limits",
            429: "Too many uploads are being read at once",
            422: "The file cannot be used; the detail says where and why",
        }
    ),
)
def upload(
    request: Request,
    background: BackgroundTasks,
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
    explicit = _mapping(mapping)
    name = checked_name(service, principal, owner, file.filename)
    with tempfile.TemporaryDirectory(prefix="overlap-upload-") as directory:
        path = Path(directory) / name
        save_upload(file, path, settings)
        with (
            parsing(request.app.state, settings),
            read_apart(path, settings, mapping=explicit, status=status) as read,
        ):
            version = service.store.put_list(owner, read.accounts, file_name=name, as_of=as_of)
    # stored: answered now; the views are rebuilt once the answer is sent, the previous
    # one served meanwhile
    background.add_task(service.refresh)
    return _report(owner, version, name, read)


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
