"""The application factory: ``uvicorn --factory api.main:create_app``."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from overlap import __version__
from overlap.api import problems, web
from overlap.api.headers import SecurityHeaders
from overlap.api.limits import RequestLimits
from overlap.api.models import PROBLEMS
from overlap.api.routers import (
    accounts,
    feedback,
    health,
    keys,
    lists,
    matrix,
    opportunities,
    partners,
    private,
    runs,
    scorecards,
)
from overlap.api.service import Service
from overlap.api.settings import Settings, get_settings
from overlap.api.store import Store
from overlap.api.warmup import WarmUp

DESCRIPTION = """Partner-to-account overlap and co-sell, over HTTP.

Every endpoint but `/health` and `/ready` needs an API key: `Authorization: Bearer ovl_...`.
Keys have a role (admin, ecosystem, sales, partner); account-level data is filtered by
each partner's sharing rules. Errors are `application/problem+json`.
"""


def create_app(*, store: Store | None = None, settings: Settings | None = None) -> FastAPI:
    """The FastAPI app over ``store`` (default: the database named by the settings).

    An app that opens its own store builds its first view, and every new view's heavy
    parts, in the background from startup (``api.warmup``); one handed a ``store`` (a
    test's) builds them when first asked for.
    """

    def current_settings() -> Settings:
        return settings if settings is not None else get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        opened = None
        if not hasattr(app.state, "service"):
            opened = Store.open(current_settings().db)
            app.state.service = Service(opened)
        # The modules loaded by now are some 150,000 objects that live as long as the
        # process; a full garbage collection would walk them all (~0.1 s, every request
        # waiting) whenever it runs. Frozen, they are left out of every collection.
        gc.collect()
        gc.freeze()
        if opened is not None:
            app.state.warm_up = WarmUp()
            app.state.warm_up.start(app.state.service)
        yield
        if opened is not None:
            opened.close()

    # /docs and /redoc are the web app's: served from its own copies, they work offline
    app = FastAPI(
        title="overlap",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    if store is not None:
        app.state.service = Service(store)
    if settings is not None:
        app.dependency_overrides[get_settings] = current_settings
    problems.install(app)

    app.add_middleware(RequestLimits, settings=current_settings)
    app.add_middleware(SecurityHeaders, docs=web.DOCS)

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
        private,
    ):
        app.include_router(module.router, responses=PROBLEMS)
    web.install(app)
    return app
