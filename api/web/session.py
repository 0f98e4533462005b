"""Signed-in sessions of the web app: a random token in a cookie, a CSRF token per session.

The cookie is HttpOnly, SameSite=Strict and Secure over https. A session holds the
principal of the key it was opened with and ends at sign-out, after ``LIFETIME``
seconds, or as soon as that key is revoked. Every request that is not a read must
carry the session's CSRF token (form field ``csrf`` or header ``X-CSRF-Token``).
"""

from __future__ import annotations

import hmac
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse
from starlette.datastructures import Headers
from starlette.requests import cookie_parser
from starlette.types import Scope

from overlap.api.deps import ServiceDep
from overlap.api.problems import Problem
from overlap.api.security import Principal, hash_secret
from overlap.api.web.bridge import PageProblem

SESSION_COOKIE = "overlap_session"
SIGN_IN_COOKIE = "overlap_sign_in"
"""The pre-session token a sign-in form must echo: no page elsewhere can sign one in."""
LIFETIME = 8 * 3600.0
"""Seconds a session lasts from sign-in."""
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MAX_SESSIONS = 10_000


@dataclass(frozen=True)
class Session:
    """Who is signed in, the token its forms must send back, and when it ends."""

    principal: Principal
    csrf: str
    expires: float


class Sessions:
    """The live sessions of one app, by the hash of their cookie's token (in memory)."""

    def __init__(self, *, lifetime: float = LIFETIME, clock: Callable[[], float] = time.time):
        self.lifetime = lifetime
        self.clock = clock
        self._sessions: dict[str, Session] = {}

    def open(self, principal: Principal) -> tuple[str, Session]:
        """A new session of ``principal``: its cookie token and itself."""
        now = self.clock()
        if len(self._sessions) >= MAX_SESSIONS:
            self._sessions = {k: s for k, s in self._sessions.items() if s.expires > now}
        token = secrets.token_urlsafe(32)
        session = Session(principal, secrets.token_urlsafe(24), now + self.lifetime)
        self._sessions[hash_secret(token)] = session
        return token, session

    def get(self, token: str) -> Session | None:
        """The live session of a cookie token, or None (an expired one is forgotten)."""
        key = hash_secret(token)
        session = self._sessions.get(key)
        if session is not None and session.expires <= self.clock():
            del self._sessions[key]
            return None
        return session

    def close(self, token: str) -> None:
        self._sessions.pop(hash_secret(token), None)


class NotSignedIn(Exception):
    """The request needs a session and has none: the browser is sent to sign in."""

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(path)


async def to_sign_in(request: Request, error: NotSignedIn) -> Response:
    target = f"/signin?next={quote(error.path, safe='/')}"
    if request.headers.get("HX-Request"):  # htmx follows this header, not a redirect
        return Response(status_code=204, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


def sessions_of(request: Request) -> Sessions:
    found: Sessions = request.app.state.web_sessions
    return found


def same_token(sent: object, expected: str) -> bool:
    return isinstance(sent, str) and hmac.compare_digest(sent.encode(), expected.encode())


async def sent_token(request: Request, field: str) -> object:
    """The token a request sends in header ``X-CSRF-Token`` or, else, in form ``field``."""
    header = request.headers.get("X-CSRF-Token")
    if header is not None:
        return header
    return (await request.form()).get(field)


SIGN_IN_FORMS = re.compile(r"/signin(/link/[^/]+)?")


def form_may_send(scope: Scope, headers: Headers) -> bool:
    """Whether a request without a key may send a body: a sign-in form, or a live session.

    (The session's key and CSRF token are checked by ``get_session`` when the page runs.)
    """
    if scope["method"] == "POST" and SIGN_IN_FORMS.fullmatch(scope["path"]):
        return True
    token = cookie_parser(headers.get("cookie", "")).get(SESSION_COOKIE)
    state = scope["app"].state
    return (
        token is not None and hasattr(state, "web_sessions") and bool(state.web_sessions.get(token))
    )


async def get_session(request: Request, service: ServiceDep) -> Session:
    """The request's live session; else the sign-in page, or 403 for a write without CSRF."""
    token = request.cookies.get(SESSION_COOKIE)
    sessions = sessions_of(request)
    session = sessions.get(token) if token else None
    if token is None or session is None:
        raise NotSignedIn(request.url.path)
    key = await run_in_threadpool(service.store.key, session.principal.key_id)
    if key is None or key.revoked_at is not None:
        sessions.close(token)
        raise NotSignedIn(request.url.path)
    if request.method not in SAFE_METHODS and not same_token(
        await sent_token(request, "csrf"), session.csrf
    ):
        raise PageProblem(
            Problem(403, "forbidden", "the form's CSRF token is missing or wrong: reload the page")
        )
    return session


SessionDep = Annotated[Session, Depends(get_session)]


def set_cookie(response: Response, request: Request, name: str, value: str, age: float) -> None:
    """A cookie no script can read, sent to this site only, over https when served so."""
    response.set_cookie(
        name,
        value,
        max_age=int(age),
        path="/",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
