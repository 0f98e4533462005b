"""Security headers on every response: no sniffing, no framing, no referrer, a strict CSP."""

from __future__ import annotations

from collections.abc import Collection

from starlette.types import ASGIApp, Message, Receive, Scope, Send

API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
"""The JSON API loads nothing: a response rendered by mistake as a page can run nothing."""

DOCS_POLICY = (
    "default-src 'none'; "
    # /docs and /redoc load the app's own copies of Swagger UI and ReDoc and start them
    # with an inline script; ReDoc runs its search in a worker made from a blob.
    "script-src 'self' 'unsafe-inline'; "
    "style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; "
    "connect-src 'self'; worker-src blob:; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)
"""What the documentation pages need, and nothing else: the OpenAPI document from 'self'."""

COMMON = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
)


API_HEADERS = {
    **{name.decode(): value.decode() for name, value in COMMON},
    "Content-Security-Policy": API_POLICY,
}
"""The headers of an API response, for the one answer ``SecurityHeaders`` never sees: the
500 that Starlette's outermost middleware sends for an unexpected error."""


class SecurityHeaders:
    """Adds ``COMMON`` and a Content-Security-Policy to every HTTP response.

    ``docs`` are the paths of the documentation pages, which get ``DOCS_POLICY``;
    every other response gets ``API_POLICY``. Plain ASGI, like ``UploadLimit``.
    """

    def __init__(self, app: ASGIApp, *, docs: Collection[str]) -> None:
        self.app = app
        self.docs = frozenset(docs)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = DOCS_POLICY if scope["path"] in self.docs else API_POLICY
        added = (*COMMON, (b"content-security-policy", policy.encode()))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(name, value) for name, value in added if name not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)
