"""Templates, the pages' security policy, and the page shown for a route's refusal."""

from __future__ import annotations

from http import HTTPStatus
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from overlap.api.web.bridge import PageProblem
from overlap.api.web.session import SESSION_COOKIE, Session, sessions_of
from overlap.schema import Role

HERE = Path(__file__).parent
STATIC = HERE / "static"
templates = Jinja2Templates(directory=HERE / "templates")

PAGE_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
"""Pages load only the app's own files: no inline script or style can run in them."""

MENUS: dict[Role, tuple[tuple[str, str], ...]] = {
    Role.ADMIN: (
        ("/app/matrix", "Matrix"),
        ("/app/runs", "Match runs"),
        ("/app/upload", "Upload"),
        ("/app/review", "Review"),
        ("/app/partners", "Partners"),
        ("/app/keys", "Keys"),
        ("/app/search", "Search"),
        ("/app/opportunities", "Co-sell"),
    ),
    Role.ECOSYSTEM: (
        ("/app/matrix", "Matrix"),
        ("/app/runs", "Match runs"),
        ("/app/upload", "Upload"),
        ("/app/review", "Review"),
        ("/app/partners", "Partners"),
        ("/app/search", "Search"),
        ("/app/opportunities", "Co-sell"),
    ),
    Role.SALES: (("/app/search", "Search"), ("/app/opportunities", "My co-sell")),
    Role.PARTNER: (("/app/matrix", "Overlap"), ("/app/search", "Search")),
}
"""The menu of each role: only pages whose routes the role may call."""


def render(
    request: Request,
    template: str,
    session: Session | None,
    *,
    status: int = 200,
    **context: Any,
) -> HTMLResponse:
    """``template`` rendered (autoescaped) for ``session``, never cached, under ``PAGE_POLICY``."""
    menu = MENUS[session.principal.role] if session is not None else ()
    response = templates.TemplateResponse(
        request,
        template,
        {"session": session, "menu": menu, **context},
        status_code=status,
    )
    response.headers["Content-Security-Policy"] = PAGE_POLICY
    response.headers["Cache-Control"] = "no-store"
    return response


async def page_problem(request: Request, error: PageProblem) -> HTMLResponse:
    """A route's refusal as a page, with the session's menu when there is one."""
    token = request.cookies.get(SESSION_COOKIE)
    session = sessions_of(request).get(token) if token else None
    problem = error.problem
    return render(
        request,
        "problem.html",
        session,
        status=problem.status,
        title=HTTPStatus(problem.status).phrase,
        detail=problem.detail,
    )
