"""The start page and the sales rep's pages: search, an account, my co-sell opportunities."""

from __future__ import annotations

from typing import Annotated

import polars as pl
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from overlap import schema
from overlap.api.deps import ViewDep
from overlap.api.routers import accounts, opportunities
from overlap.api.web.bridge import call
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


async def _found(view: ViewDep, session: SessionDep, q: str, limit: int) -> list[dict[str, object]]:
    if len(q.strip()) < 2:
        return []
    found = await call(
        accounts.search,
        session.principal,
        view=view,
        q=q.strip(),
        owner=None,
        limit=limit,
        offset=0,
    )
    return list(found.items)


@router.get("/app/search", response_class=HTMLResponse)
async def search(request: Request, view: ViewDep, session: SessionDep, q: Text = "") -> Response:
    rows = await _found(view, session, q, PAGE_ROWS)
    return render(request, "search.html", session, title="Search accounts", q=q, rows=rows)


@router.get("/app/search/suggest", response_class=HTMLResponse)
async def suggest(request: Request, view: ViewDep, session: SessionDep, q: Text = "") -> Response:
    """The few best names as the user types (typos forgiven): an htmx fragment."""
    rows = await _found(view, session, q, SUGGESTED)
    return render(request, "_suggestions.html", session, q=q, rows=rows)


@router.get("/app/accounts/{company_id}", response_class=HTMLResponse)
async def account(
    request: Request, view: ViewDep, session: SessionDep, company_id: str
) -> Response:
    """A company's records and the partners to bring in, with the evidence of each."""
    principal = session.principal
    records = await call(accounts.company, principal, view=view, company_id=company_id)
    partners = await call(
        accounts.recommend, principal, view=view, account=company_id, k=5, product=None
    )
    vendor = [r for r in records.items if r[schema.LIST_OWNER] == VENDOR]
    name = (vendor or records.items)[0][schema.NAME]
    return render(
        request,
        "account.html",
        session,
        title=str(name),
        records=records.items,
        partners=partners.items,
        counts=partners.counts,
    )


def _account_owners(view: ViewDep) -> list[str]:
    """The owners of the vendor's accounts (the filter's choices), once per view."""

    def build() -> list[str]:
        vendor = view.eco.accounts.filter(pl.col(schema.LIST_OWNER) == VENDOR)
        return vendor.get_column(schema.ACCOUNT_OWNER).drop_nulls().unique().sort().to_list()

    return view.shared(("account_owners",), build)


@router.get("/app/opportunities", response_class=HTMLResponse)
async def co_sell(
    request: Request,
    view: ViewDep,
    session: SessionDep,
    owner: Text = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    """Open opportunities a partner already knows, ranked; filtered by the account's owner."""
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
        title="Co-sell opportunities",
        owner=owner,
        owners=_account_owners(view),
        found=found,
        page=page,
        pages=max(1, -(-found.total // PAGE_ROWS)),
    )
