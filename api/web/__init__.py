"""The web app: server-rendered pages over the same routes, roles and sharing as the API.

``install(app)`` mounts the pages, their static assets and the offline ``/docs`` and
``/redoc``. A page never decides who may see what: it calls the JSON routes' own
functions (``bridge.call``) with the principal of its session, and each call passes
the role check that route declares.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from overlap.api.web import auth, docs, ecosystem, keys, partners, review, runs, sales, upload
from overlap.api.web.bridge import PageProblem
from overlap.api.web.render import STATIC, page_problem
from overlap.api.web.session import NotSignedIn, to_sign_in

DOCS = ("/docs", "/redoc")
"""The documentation pages (``headers.DOCS_POLICY``)."""


def install(app: FastAPI) -> None:
    """Add the pages, ``/static`` and the documentation pages to ``app``."""
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_exception_handler(NotSignedIn, to_sign_in)  # type: ignore[arg-type]
    app.add_exception_handler(PageProblem, page_problem)  # type: ignore[arg-type]
    for module in (auth, docs, sales, ecosystem, runs, upload, review, partners, keys):
        app.include_router(module.router, include_in_schema=False)
