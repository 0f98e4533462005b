"""The application factory: ``uvicorn --factory api.main:create_app``."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response

from api import problems
from api.models import PROBLEMS
from api.routers import (
    accounts,
    feedback,
    health,
    keys,
    lists,
    matrix,
    opportunities,
    partners,
    runs,
    scorecards,
)
from api.service import Service
from api.settings import Settings, get_settings
from overlap.store import Store

DESCRIPTION = """Partner-to-account overlap and co-sell, over HTTP.

Every endpoint but `/health` and `/ready` needs an API key: `Authorization: Bearer ovl_...`.
Keys have a role (admin, ecosystem, sales, partner); account-level data is filtered by
each partner's sharing rules. Errors are `application/problem+json`.
"""


def create_app(*, store: Store | None = None, settings: Settings | None = None) -> FastAPI:
    """The FastAPI app over ``store`` (default: the database named by the settings)."""

    def current_settings() -> Settings:
        return settings if settings is not None else get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        opened = None
        if not hasattr(app.state, "service"):
            opened = Store.open(current_settings().db)
            app.state.service = Service(opened)
        yield
        if opened is not None:
            opened.close()

    app = FastAPI(title="overlap", version="0.1.0", description=DESCRIPTION, lifespan=lifespan)
    if store is not None:
        app.state.service = Service(store)
    if settings is not None:
        app.dependency_overrides[get_settings] = current_settings
    problems.install(app)

    @app.middleware("http")
    async def limit_upload(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        # refuse an oversized upload before its body is read
        length = request.headers.get("content-length", "")
        limit = current_settings().max_upload_bytes + 64 * 1024
        if request.method == "POST" and length.isdigit() and int(length) > limit:
            return problems.problem(
                413,
                "too-large",
                f"the request is {int(length):,} bytes; uploads are limited to "
                f"{current_settings().max_upload_bytes:,} bytes",
            )
        return await call_next(request)

    for module in (
        health,
        partners,
        keys,
        lists,
        runs,
        feedback,
        matrix,
        accounts,
        opportunities,
        scorecards,
    ):
        app.include_router(module.router, responses=PROBLEMS)
    return app
