"""Signing in with an API key or a one-time link, and signing out."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from overlap.api.deps import ServiceDep, SettingsDep, failure_throttle, identify, throttled
from overlap.api.security import Principal, use_sign_in_link
from overlap.api.web.bridge import PageProblem
from overlap.api.web.render import render
from overlap.api.web.session import (
    SESSION_COOKIE,
    SIGN_IN_COOKIE,
    SessionDep,
    same_token,
    sessions_of,
    set_cookie,
)

router = APIRouter()

SIGN_IN_FORM_AGE = 3600.0
"""Seconds a sign-in form may wait before it is sent."""


def _local(path: str | None) -> str:
    """``path`` if it is a path of this site, else ``/``: no sign-in sends the user away."""
    if path and path.startswith("/") and not path.startswith("//") and "\\" not in path:
        return path
    return "/"


def _form(request: Request, template: str, *, status: int = 200, **context: object) -> Response:
    """A sign-in form with a fresh pre-session token, in its cookie and in the form."""
    token = secrets.token_urlsafe(24)
    response = render(request, template, None, status=status, sign_in=token, **context)
    set_cookie(response, request, SIGN_IN_COOKIE, token, SIGN_IN_FORM_AGE)
    return response


async def _signed_in(request: Request, principal: Principal, target: str) -> Response:
    # the session is written to the store: in a worker thread, off the event loop
    token, _ = await run_in_threadpool(sessions_of(request).open, principal)
    response = RedirectResponse(_local(target), status_code=303)
    set_cookie(response, request, SESSION_COOKIE, token, sessions_of(request).lifetime)
    response.delete_cookie(SIGN_IN_COOKIE, path="/", httponly=True, samesite="strict")
    return response


def _from_this_form(request: Request, sent: str) -> bool:
    return same_token(sent, request.cookies.get(SIGN_IN_COOKIE) or "") and bool(sent)


@router.get("/signin", response_class=HTMLResponse)
def sign_in_page(request: Request, next: str = "/") -> Response:
    return _form(request, "signin.html", next=_local(next))


@router.post("/signin")
async def sign_in(
    request: Request,
    service: ServiceDep,
    settings: SettingsDep,
    key: Annotated[str, Form(max_length=200)],
    sign_in: Annotated[str, Form(max_length=100)],
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    """Open a session for an API key: the same check and throttle as a bearer token's."""
    throttle = failure_throttle(request.app, settings)
    client = request.client.host if request.client is not None else ""
    refusal = throttled(throttle, client)
    if refusal is not None:
        raise PageProblem(refusal)
    principal = await identify(service, key.strip()) if _from_this_form(request, sign_in) else None
    if principal is None:
        throttle.failed(client)
        return _form(
            request,
            "signin.html",
            status=401,
            next=_local(next),
            error="That key is unknown or revoked, or the form had expired. Try again.",
        )
    return await _signed_in(request, principal, next)


@router.get("/signin/link/{secret}", response_class=HTMLResponse)
def link_page(request: Request, secret: str) -> Response:
    """A button that uses the link: a link preview or a scanner that follows it uses nothing."""
    return _form(request, "link.html", secret=secret)


@router.post("/signin/link/{secret}")
async def use_link(
    request: Request,
    service: ServiceDep,
    secret: str,
    sign_in: Annotated[str, Form(max_length=100)],
) -> Response:
    principal = None
    if _from_this_form(request, sign_in):
        principal = await run_in_threadpool(use_sign_in_link, service.store, secret)
    if principal is None:
        return _form(
            request,
            "signin.html",
            status=401,
            next="/",
            error="That sign-in link is used, expired or unknown. Sign in with a key, "
            "or ask an admin for a new link.",
        )
    return await _signed_in(request, principal, "/")


@router.post("/signout")
def sign_out(request: Request, session: SessionDep) -> Response:
    sessions_of(request).close(request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse("/signin", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict")
    return response
