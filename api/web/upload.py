"""Upload a list: preview the detected column mapping, override it, see rejected rows, confirm.

The preview reads the file as the API's upload does (``lists.read_saved``) and keeps
it, for its uploader only, until it is confirmed through the API's own upload route.
"""

from __future__ import annotations

import json
import secrets
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import polars as pl
from fastapi import APIRouter, BackgroundTasks, File, Form, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from overlap import schema
from overlap.api.deps import ServiceDep, SettingsDep
from overlap.api.expansion import parsing
from overlap.api.problems import Problem
from overlap.api.responses import without_bidi_controls
from overlap.api.routers import lists
from overlap.api.web.bridge import PageProblem, call
from overlap.api.web.render import render
from overlap.api.web.session import Session, SessionDep
from overlap.ecosystem.data import VENDOR
from overlap.ingest import IGNORE, TARGETS
from overlap.schema import Role

router = APIRouter()

PREVIEW_ROWS = 5
REJECTED_SHOWN = 100
PENDING_SECONDS = 3600.0
"""How long a previewed file waits for its confirmation."""


@dataclass(frozen=True)
class Pending:
    """A previewed upload: whose, for which list, and where the file waits."""

    key_id: str
    owner: str
    path: Path
    status: str | None
    since: float


class PendingUploads:
    """Previewed files in one temporary folder, each until confirmed or ``PENDING_SECONDS``."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="overlap-web-uploads-"))
        self._pending: dict[str, Pending] = {}

    def add(self, key_id: str, owner: str, name: str, status: str | None) -> tuple[str, Path]:
        self._forget_old()
        upload_id = secrets.token_urlsafe(16)
        (self.folder / upload_id).mkdir()
        path = self.folder / upload_id / name
        self._pending[upload_id] = Pending(key_id, owner, path, status, time.monotonic())
        return upload_id, path

    def get(self, upload_id: str, key_id: str) -> Pending | None:
        found = self._pending.get(upload_id)
        return found if found is not None and found.key_id == key_id else None

    def drop(self, upload_id: str) -> None:
        self._pending.pop(upload_id, None)
        shutil.rmtree(self.folder / Path(upload_id).name, ignore_errors=True)

    def _forget_old(self) -> None:
        now = time.monotonic()
        for upload_id in [k for k, p in self._pending.items() if now - p.since > PENDING_SECONDS]:
            self.drop(upload_id)


def pending_uploads(request: Request) -> PendingUploads:
    state = request.app.state
    if not hasattr(state, "web_uploads"):
        state.web_uploads = PendingUploads()
    found: PendingUploads = state.web_uploads
    return found


def _owners(service: ServiceDep, session: Session) -> list[str]:
    if session.principal.role == Role.PARTNER:
        return [str(session.principal.partner_id)]
    return [VENDOR, *sorted(p[schema.PARTNER_ID] for p in service.store.partners())]


@router.get("/app/upload", response_class=HTMLResponse)
def upload_form(request: Request, service: ServiceDep, session: SessionDep) -> Response:
    return render(
        request,
        "upload.html",
        session,
        title="Upload a list",
        owners=_owners(service, session),
        statuses=schema.STATUSES,
    )


def _shown(frame: pl.DataFrame) -> list[dict[str, Any]]:
    """Rows of an uploaded file for a page: as text, without bidi controls (autoescaped later)."""
    text = frame.select(pl.all().cast(pl.String))
    return without_bidi_controls(text).to_dicts()


@router.post("/app/upload", response_class=HTMLResponse)
async def preview(
    request: Request,
    service: ServiceDep,
    settings: SettingsDep,
    session: SessionDep,
    owner: Annotated[str, Form(max_length=64)],
    file: Annotated[UploadFile, File()],
    status: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """The columns as detected, each with a dropdown to override it, and the rejected rows."""
    uploads = pending_uploads(request)
    name = await call(
        lists.upload,
        session.principal,
        via=lists.checked_name,
        service=service,
        owner=owner,
        file_name=file.filename,
    )
    upload_id, path = uploads.add(session.principal.key_id, owner, name, status or None)
    try:
        await run_in_threadpool(lists.save_upload, file, path, settings)
        with parsing(request.app.state, settings):
            result = await run_in_threadpool(
                lists.read_saved, path, settings, mapping=None, status=status or None
            )
    except Problem as problem:
        uploads.drop(upload_id)
        raise PageProblem(problem) from problem
    columns = [*result.mapping.items(), *((h, IGNORE) for h in result.ignored)]
    return render(
        request,
        "preview.html",
        session,
        title=f"Check the columns of {name}",
        upload_id=upload_id,
        owner=owner,
        name=name,
        columns=columns,
        targets=TARGETS,
        rows_read=result.rows_read,
        accepted=result.accounts.height,
        sample=_shown(result.accounts.head(PREVIEW_ROWS)),
        rejected=_shown(result.rejected.head(REJECTED_SHOWN)),
        rejected_total=result.rejected.height,
    )


@router.post("/app/upload/{upload_id}", response_class=HTMLResponse)
async def confirm(
    request: Request,
    background: BackgroundTasks,
    service: ServiceDep,
    settings: SettingsDep,
    session: SessionDep,
    upload_id: str,
) -> Response:
    """Store the previewed file as a new version, read with the mapping chosen."""
    uploads = pending_uploads(request)
    pending = uploads.get(upload_id, session.principal.key_id)
    if pending is None:
        raise PageProblem(Problem(404, "not-found", "that upload is gone: upload the file again"))
    form = await request.form()
    headers = [str(h) for h in form.getlist("column")]
    fields = [str(f) for f in form.getlist("field")]
    mapping = dict(zip(headers, fields, strict=False))
    with pending.path.open("rb") as handle:
        report = await call(
            lists.upload,
            session.principal,
            request=request,
            background=background,
            service=service,
            settings=settings,
            owner=pending.owner,
            file=UploadFile(handle, filename=pending.path.name),
            mapping=json.dumps(mapping),
            status=pending.status,
        )
    uploads.drop(upload_id)
    rejected = [r.model_dump() for r in report.rejected[:REJECTED_SHOWN]]
    return render(
        request,
        "uploaded.html",
        session,
        title=f"{report.file_name}: version {report.version} of {report.owner}",
        report=report,
        rejected=_shown(pl.DataFrame(rejected)) if rejected else [],
    )
