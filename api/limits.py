"""Limits checked before a request's body is read: header size, a key, its role, the body's size.

Plain ASGI: ``BaseHTTPMiddleware`` would cost every request a task and a stream.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from fastapi.responses import JSONResponse
from fastapi.security.utils import get_authorization_scheme_param
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from overlap.api import problems
from overlap.api.deps import failure_throttle, identify, refused_before_body, throttled
from overlap.api.settings import Settings
from overlap.api.web.session import form_may_send

# The routes that take a file (``POST /lists/{owner}``, the web app's upload), and the room
# a multipart body needs around it: its other fields and part headers.
UPLOAD = re.compile(r"/lists/[^/]+/?|/app/upload/?")
MULTIPART_OVERHEAD = 64 * 1024


class BodyTooLarge(Exception):
    """The body passed its limit while the app was reading it."""


def body_limit(scope: Scope, settings: Settings) -> int:
    """The most bytes the body of this request may have."""
    if scope["method"] == "POST" and UPLOAD.fullmatch(scope["path"]):
        return settings.max_upload_bytes + MULTIPART_OVERHEAD
    return settings.max_body_bytes


def has_body(headers: Headers) -> bool:
    return "transfer-encoding" in headers or headers.get("content-length", "0").strip() != "0"


def _refuse(
    status: int, kind: str, detail: str, *, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    response = problems.problem(status, kind, detail, headers=headers)
    # The client may still be sending a body nobody will read: end the connection after.
    response.headers["Connection"] = "close"
    return response


def _too_long(headers: Headers, limit: int) -> JSONResponse | None:
    length = headers.get("content-length", "")
    if length.isdigit() and int(length) > limit:
        return _refuse(
            413,
            "too-large",
            f"the request body is {int(length):,} bytes; the limit here is {limit:,} bytes",
        )
    return None


class RequestLimits:
    """Refuses headers over ``max_header_bytes`` (431), then a body without a valid key or
    a web form's session (401, ``web.session.form_may_send``) or with a key the route
    refuses (403), before a byte of the body is read; and a body over its limit (413): from
    its Content-Length, unread, or else by counting its bytes as they stream, whatever the
    method or encoding, none read past the limit but the chunk that crosses it.
    """

    def __init__(self, app: ASGIApp, *, settings: Callable[[], Settings]) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        settings = self.settings()
        limit = body_limit(scope, settings)
        refusal = await self._refusal(scope, settings, limit)
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        await self._counted(scope, receive, send, limit)

    async def _refusal(self, scope: Scope, settings: Settings, limit: int) -> JSONResponse | None:
        size = sum(len(name) + len(value) for name, value in scope["headers"])
        if size > settings.max_header_bytes:
            return _refuse(
                431,
                "headers-too-large",
                f"the request headers are {size:,} bytes; the limit is "
                f"{settings.max_header_bytes:,}",
            )
        headers = Headers(scope=scope)
        if not has_body(headers):
            return None
        scheme, token = get_authorization_scheme_param(headers.get("authorization"))
        if scheme.lower() != "bearer" or not token:
            if not form_may_send(scope, headers):
                return _refuse(401, "unauthorized", "an API key is required to send a body")
            return _too_long(headers, limit)
        # failed keys count here as in the routes' authentication, under the same throttle
        throttle = failure_throttle(scope["app"], settings)
        client = scope["client"][0] if scope.get("client") else ""
        refusal = throttled(throttle, client)
        if refusal is not None:
            return _refuse(refusal.status, refusal.kind, refusal.detail, headers=refusal.headers)
        principal = await identify(scope["app"].state.service, token)
        if principal is None:
            throttle.failed(client)
            return _refuse(401, "unauthorized", "the API key is unknown or revoked")
        forbidden = refused_before_body(scope["app"], scope, principal)
        if forbidden is not None:
            return _refuse(forbidden.status, forbidden.kind, forbidden.detail)
        return _too_long(headers, limit)

    async def _counted(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        """Run the app, counting the body as it reads it; 413 once the count passes ``limit``."""
        received = 0
        over = started = False

        async def counting_receive() -> Message:
            nonlocal received, over
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    over = True
                    raise BodyTooLarge
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if over:
                return  # the app's answer to a body cut short; the 413 replaces it
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except Exception:
            if not over:
                raise
        if over and not started:
            detail = f"the request body is over {limit:,} bytes, the limit here"
            await _refuse(413, "too-large", detail)(scope, receive, send)
