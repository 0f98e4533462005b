"""Signed-in sessions of the web app: a random token in a cookie, a CSRF token per session.

The cookie is HttpOnly, SameSite=Strict and Secure over https. A session is kept in
the store (a restart signs nobody out), holds the principal of the key it was opened
with and ends at sign-out, after ``LIFETIME`` seconds, or as soon as that key is
revoked. Every request that is not a read must
carry the session's CSRF token (form field ``csrf`` or header ``X-CSRF-Token``).
"""

from __future__ import annotations

import hmac
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
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
from overlap.api.store import Store
from overlap.api.web.bridge import PageProblem
from overlap.schema import Role

SESSION_COOKIE = "overlap_session"
SIGN_IN_COOKIE = "overlap_sign_in"
"""The pre-session token a sign-in form must echo: no page elsewhere can sign one in."""
LIFETIME = 8 * 3600.0
"""Seconds a session lasts from sign-in."""
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Session:
    """Who is signed in, the token its forms must send back, and when it ends."""

    principal: Principal
    csrf: str
    expires: float


def _stored(seconds: float) -> datetime:
    """A time of ``Sessions.clock`` as the store keeps times (UTC, no time zone)."""
    return datetime.fromtimestamp(seconds, UTC).replace(tzinfo=None)


class Sessions:
    """The sessions of one store, by the hash of their cookie's token.

    They are kept in the store (``store_sessions``): a restart signs nobody out.
    """

    def __init__(
        self, store: Store, *, lifetime: float = LIFETIME, clock: Callable[[], float] = time.time
    ) -> None:
        self.store = store
        self.lifetime = lifetime
        self.clock = clock

    def open(self, principal: Principal) -> tuple[str, Session]:
        """A new session of ``principal``: its cookie token and itself."""
        now = self.clock()
        token = secrets.token_urlsafe(32)
        session = Session(principal, secrets.token_urlsafe(24), now + self.lifetime)
        self.store.put_session(
            token_hash=hash_secret(token),
            key_id=principal.key_id,
            csrf=session.csrf,
            at=_stored(now),
            expires_at=_stored(session.expires),
        )
        return token, session

    def get(self, token: str) -> Session | None:
        """The session of a cookie token while it lasts and its key is not revoked, or None."""
        found = self.store.session(hash_secret(token), at=_stored(self.clock()))
        if found is None:
            return None
        principal = Principal(found.key_id, Role(found.role), found.partner_id)
        expires = found.expires_at.replace(tzinfo=UTC).timestamp()
        return Session(principal, found.csrf, expires)

    def close(self, token: str) -> None:
        self.store.end_session(hash_secret(token))


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
    """The sessions of the store the app serves."""
    return Sessions(request.app.state.service.store)


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
        token is not None
        and hasattr(state, "service")
        and Sessions(state.service.store).get(token) is not None
    )


async def get_session(request: Request, service: ServiceDep) -> Session:
    """The request's live session; else the sign-in page, or 403 for a write without CSRF."""
    token = request.cookies.get(SESSION_COOKIE)
    session = await run_in_threadpool(Sessions(service.store).get, token) if token else None
    if session is None:
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
