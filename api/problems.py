"""Errors as problem+json (RFC 9457): ``type``, ``title``, ``status``, ``detail``; no traces."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from functools import partial
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import iter_route_contexts
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import compile_path

from overlap.api.headers import API_HEADERS
from overlap.api.store import StoreError
from overlap.errors import ConfigError, InputError, ModelError, OverlapError

MEDIA_TYPE = "application/problem+json"
log = logging.getLogger("overlap.api")


class Problem(Exception):
    """An HTTP error with a problem type: ``raise Problem(413, "too-large", "...")``."""

    def __init__(
        self, status: int, kind: str, detail: str, *, headers: Mapping[str, str] | None = None
    ) -> None:
        self.status = status
        self.kind = kind
        self.detail = detail
        self.headers = headers
        super().__init__(detail)

    def __reduce__(self) -> tuple[Any, ...]:
        # raised in a child process (api.elsewhere) and again in the server's
        return (partial(Problem, headers=self.headers), (self.status, self.kind, self.detail))


def problem(
    status: int, kind: str, detail: str, *, headers: Mapping[str, str] | None = None, **extra: Any
) -> JSONResponse:
    body = {
        "type": f"/problems/{kind}",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        **extra,
    }
    if status == 401:
        headers = {**(headers or {}), "WWW-Authenticate": "Bearer"}
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def allowed_methods(request: Request) -> str:
    """The methods of every route at the request's path (Starlette names only the first's)."""
    methods: set[str] = set()
    for route in iter_route_contexts(request.app.router.routes):
        if route.path is not None and compile_path(route.path)[0].match(request.url.path):
            methods |= route.methods or set()
    return ", ".join(sorted(methods))


def _overlap_status(error: OverlapError) -> tuple[int, str]:
    if isinstance(error, InputError):
        return 422, "invalid-input"
    if isinstance(error, StoreError):
        return 409, "conflict"
    if isinstance(error, ConfigError | ModelError):
        return 422, "invalid-configuration"
    return 400, "bad-request"


def install(app: FastAPI) -> None:
    """Turn every error the app can meet into a problem+json response."""

    @app.exception_handler(Problem)
    async def _problem(request: Request, error: Problem) -> JSONResponse:
        return problem(error.status, error.kind, error.detail, headers=error.headers)

    @app.exception_handler(OverlapError)
    async def _overlap(request: Request, error: OverlapError) -> JSONResponse:
        status, kind = _overlap_status(error)
        return problem(status, kind, str(error))

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, error: RequestValidationError) -> JSONResponse:
        errors = [
            {"loc": [str(part) for part in e.get("loc", ())], "msg": str(e.get("msg", ""))}
            for e in error.errors()
        ]
        detail = "; ".join(f"{'.'.join(e['loc'])}: {e['msg']}" for e in errors)
        return problem(422, "validation-error", detail, errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: StarletteHTTPException) -> JSONResponse:
        kinds = {401: "unauthorized", 403: "forbidden", 404: "not-found", 405: "method-not-allowed"}
        headers = dict(error.headers or {})
        if error.status_code == 405:
            headers["Allow"] = allowed_methods(request)
        return problem(
            error.status_code,
            kinds.get(error.status_code, "http-error"),
            str(error.detail),
            headers=headers,
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        detail = "the server met an unexpected error"
        return problem(500, "internal-error", detail, headers=API_HEADERS)
