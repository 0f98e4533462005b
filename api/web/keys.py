"""Key administration: create a key (its token shown once), a one-time sign-in link, revoke."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from overlap.api.deps import ServiceDep
from overlap.api.models import KeyRequest
from overlap.api.problems import Problem
from overlap.api.routers import keys
from overlap.api.security import create_sign_in_link
from overlap.api.store import StoreError
from overlap.api.web.bridge import PageProblem, allow, call
from overlap.api.web.render import render
from overlap.api.web.session import SessionDep
from overlap.schema import Role

router = APIRouter()


async def _page(
    request: Request, service: ServiceDep, session: SessionDep, **shown: Any
) -> Response:
    found = await call(keys.list_keys, session.principal, service=service)
    return render(
        request,
        "keys.html",
        session,
        title="Keys",
        keys=found,
        roles=list(Role),
        partners=sorted(p["partner_id"] for p in service.store.partners()),
        **shown,
    )


@router.get("/app/keys", response_class=HTMLResponse)
async def key_list(request: Request, service: ServiceDep, session: SessionDep) -> Response:
    return await _page(request, service, session)


@router.post("/app/keys", response_class=HTMLResponse)
async def new_key(
    request: Request,
    service: ServiceDep,
    session: SessionDep,
    role: Annotated[Role, Form()],
    partner_id: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """Create a key and show its token, this once."""
    wanted = KeyRequest(role=role, partner_id=partner_id if role == Role.PARTNER else None)
    created = await call(
        keys.new_key, session.principal, service=service, request=wanted, response=Response()
    )
    return await _page(request, service, session, created=created)


@router.post("/app/keys/{key_id}/link", response_class=HTMLResponse)
async def sign_in_link(
    request: Request, service: ServiceDep, session: SessionDep, key_id: str
) -> Response:
    """A one-time sign-in link for a key: to hand to its user rather than the token."""
    allow(keys.new_key, session.principal)  # a link is as good as a new key
    try:
        path = await run_in_threadpool(create_sign_in_link, service.store, key_id)
    except StoreError as error:
        raise PageProblem(Problem(404, "not-found", str(error))) from error
    link = str(request.base_url).rstrip("/") + path
    return await _page(request, service, session, link=link, link_key=key_id)


@router.post("/app/keys/{key_id}/revoke")
async def revoke(service: ServiceDep, session: SessionDep, key_id: str) -> Response:
    await call(keys.revoke_key, session.principal, service=service, key_id=key_id)
    return RedirectResponse("/app/keys", status_code=303)
