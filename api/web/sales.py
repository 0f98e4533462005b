"""The start page and the sales rep's pages: search, an account, my co-sell opportunities."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from overlap import schema
from overlap.api.deps import ViewDep
from overlap.api.lookups import account_owners
from overlap.api.models import Page
from overlap.api.routers import accounts, opportunities
from overlap.api.service import View
from overlap.api.warmup import WarmUp
from overlap.api.web.bridge import allow, call
from overlap.api.web.render import render
from overlap.api.web.session import SessionDep
from overlap.ecosystem.data import VENDOR

router = APIRouter()

PAGE_ROWS = 50
SUGGESTED = 8
Text = Annotated[str, Query(max_length=200)]


@router.get("/", response_class=HTMLResponse)
def home(request: Request, session: SessionDep) -> Response:
    return render(request, "home.html", session, title="overlap")


@router.get("/app/search", response_class=HTMLResponse)
async def search(request: Request, view: ViewDep, session: SessionDep, q: Text = "") -> Response:
    rows = await _found(accounts.search, view, session, q, limit=PAGE_ROWS, offset=0)
    return render(request, "search.html", session, title="Search accounts", q=q, rows=rows)


@router.get("/app/search/suggest", response_class=HTMLResponse)
async def suggest(request: Request, view: ViewDep, session: SessionDep, q: Text = "") -> Response:
    """The few names to offer as the user types (the JSON ``/accounts/suggest``): an htmx
    fragment."""
    rows = await _found(accounts.suggest, view, session, q, limit=SUGGESTED)
    return render(request, "_suggestions.html", session, q=q, rows=rows)


async def _found(
    route: Callable[..., Page], view: ViewDep, session: SessionDep, q: str, **paging: Any
) -> list[dict[str, object]]:
    """The records ``route`` (a search of the accounts) finds for ``q``; none for a
    query shorter than the routes take."""
    if len(q.strip()) < 2:
        return []
    found = await call(route, session.principal, view=view, q=q.strip(), owner=None, **paging)
    return list(found.items)


@router.get("/app/accounts/{company_id}", response_class=HTMLResponse)
async def account(
    request: Request, view: ViewDep, session: SessionDep, company_id: str
) -> Response:
    """A company's records and the partners to bring in, with the evidence of each (or,
    while the warm-up still fits the ranker, a note that they follow)."""
    principal = session.principal
    records = await call(accounts.company, principal, view=view, company_id=company_id)
    vendor = [r for r in records.items if r[schema.LIST_OWNER] == VENDOR]
    name = (vendor or records.items)[0][schema.NAME]
    return render(
        request,
        "account.html",
        session,
        title=str(name),
        records=records.items,
        **await _partners(request, view, session, company_id),
    )


@router.get("/app/accounts/{company_id}/partners", response_class=HTMLResponse)
async def account_partners(
    request: Request, view: ViewDep, session: SessionDep, company_id: str
) -> Response:
    """The account page's partners to bring in, once they are ready: an htmx fragment
    that asks to be fetched again while they are being prepared."""
    return render(
        request, "_partners.html", session, **await _partners(request, view, session, company_id)
    )


async def _partners(
    request: Request, view: View, session: SessionDep, company_id: str
) -> dict[str, Any]:
    """What ``_partners.html`` shows of ``company_id``: its partners, or ``preparing``
    while the warm-up builds what they need (a page would wait minutes for it)."""
    allow(accounts.recommend, session.principal)
    if _preparing(request, view, *accounts.RECOMMENDER_PARTS):
        return {"company_id": company_id, "preparing": True, "partners": []}
    partners = await call(
        accounts.recommend, session.principal, view=view, account=company_id, k=5, product=None
    )
    return {"company_id": company_id, "preparing": False, "partners": partners.items}


def _preparing(request: Request, view: View, *parts: str) -> bool:
    """Whether the app's warm-up (if it has one) is still to build these parts of ``view``."""
    warm_up: WarmUp | None = getattr(request.app.state, "warm_up", None)
    return warm_up is not None and warm_up.preparing(view, *parts)


@router.get("/app/opportunities", response_class=HTMLResponse)
async def co_sell(
    request: Request,
    view: ViewDep,
    session: SessionDep,
    owner: Text = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    """Open opportunities a partner already knows, ranked; filtered by the account's owner
    (while the warm-up still fits the ranker, a note that they follow)."""
    allow(opportunities.co_sell, session.principal)
    context: dict[str, Any] = {
        "title": "Co-sell opportunities",
        "owner": owner,
        "owners": account_owners(view),
    }
    if _preparing(request, view, "co_sell"):
        return render(request, "opportunities.html", session, preparing=True, page=page, **context)
    found = await call(
        opportunities.co_sell,
        session.principal,
        view=view,
        partner_id=None,
        account_owner=owner or None,
        limit=PAGE_ROWS,
        offset=(page - 1) * PAGE_ROWS,
    )
    return render(
        request,
        "opportunities.html",
        session,
        **context,
        found=found,
        page=page,
        pages=max(1, -(-found.total // PAGE_ROWS)),
    )
