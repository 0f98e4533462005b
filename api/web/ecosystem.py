"""The overlap matrix, a cell's accounts (sorted, filtered, paged, exported) and scorecards."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Annotated, Any, Literal
from urllib.parse import quote

import polars as pl
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from overlap import schema
from overlap.api.deps import ViewDep, shared
from overlap.api.responses import csv_response, without_bidi_controls
from overlap.api.routers import matrix, partners, scorecards
from overlap.api.sharing import Shared
from overlap.api.web.bridge import allow, allows, call
from overlap.api.web.render import render
from overlap.api.web.session import SessionDep
from overlap.ecosystem.lift import partner_lift
from overlap.ecosystem.report import PARTNER_POPULATIONS, VENDOR_POPULATIONS
from overlap.schema import Role

router = APIRouter()

PAGE_ROWS = 50
HEAT_LEVELS = 5
DRILL_COLUMNS = (
    schema.LIST_OWNER,
    schema.NAME,
    schema.STATUS,
    schema.CITY,
    schema.COUNTRY,
    schema.WEBSITE,
    schema.AMOUNT,
    schema.COMPANY_ID,
)
"""The columns a cell's table shows, as far as the records carry them."""
Filter = Annotated[str, Query(max_length=200)]
Sort = Annotated[str, Query(max_length=40)]
Order = Annotated[Literal["asc", "desc"], Query()]


def heat(count: int, most: int) -> int:
    """The colour step of a cell, 0 (none) to ``HEAT_LEVELS``; the count is printed too."""
    if count <= 0 or most <= 0:
        return 0
    return max(1, math.ceil(HEAT_LEVELS * math.log1p(count) / math.log1p(most)))


@router.get("/app/matrix", response_class=HTMLResponse)
async def overlap_matrix(
    request: Request,
    view: ViewDep,
    session: SessionDep,
    partner_id: Annotated[str, Query(max_length=64)] = "",
) -> Response:
    """Vendor populations x partner populations for one partner: counts and open pipeline."""
    principal = session.principal
    choices = sorted(view.rules) if principal.role != Role.PARTNER else []
    chosen = principal.partner_id if principal.role == Role.PARTNER else partner_id
    chosen = chosen or (choices[0] if choices else "")
    found = await call(matrix.matrix, principal, view=view, partner_id=chosen, limit=1000, offset=0)
    cells = {(c["vendor_population"], c["partner_population"]): c for c in found.items}
    most = max((int(c["companies"]) for c in found.items), default=0)
    return render(
        request,
        "matrix.html",
        session,
        title="Overlap matrix",
        partner_id=chosen,
        choices=choices,
        rows=VENDOR_POPULATIONS,
        columns=PARTNER_POPULATIONS,
        cells=cells,
        heat={k: heat(int(c["companies"]), most) for k, c in cells.items()},
        levels=range(HEAT_LEVELS + 1),
    )


@dataclass(frozen=True)
class CellQuery:
    """One cell of a partner's matrix and how its table is filtered and sorted."""

    partner_id: str
    vendor: matrix.VendorPopulation
    partner: matrix.PartnerPopulation
    q: Filter = ""
    sort: Sort = schema.NAME
    order: Order = "asc"

    @property
    def path(self) -> str:
        return f"/app/matrix/{quote(self.partner_id, safe='')}/{self.vendor}/{self.partner}"


Cell = Annotated[CellQuery, Depends()]


async def _cell(
    view: ViewDep, session: SessionDep, cell: CellQuery
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The cell's records the session may see, filtered and sorted; and its counts."""
    found: Shared = await call(
        matrix.drill_down,
        session.principal,
        via=matrix.cell_records,
        view=view,
        partner_id=cell.partner_id,
        vendor_population=cell.vendor,
        partner_population=cell.partner,
    )
    return arranged(found.rows, cell.q, cell.sort, cell.order), found.counts


def arranged(rows: pl.DataFrame, q: str, sort: str, order: str) -> pl.DataFrame:
    """``rows`` whose name holds ``q`` (any case), sorted by the column ``sort`` if it has one."""
    if q.strip():
        rows = rows.filter(
            pl.col(schema.NAME).str.to_lowercase().str.contains(q.strip().lower(), literal=True)
        )
    if sort in rows.columns:
        rows = rows.sort(sort, descending=order == "desc", nulls_last=True, maintain_order=True)
    return rows


@router.get("/app/matrix/{partner_id}/{vendor}/{partner}", response_class=HTMLResponse)
async def drill_down(
    request: Request,
    view: ViewDep,
    session: SessionDep,
    cell: Cell,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> Response:
    """The accounts of one cell, sorted, filtered and paged on the server."""
    rows, counts = await _cell(view, session, cell)
    columns = [c for c in DRILL_COLUMNS if c in rows.columns]
    shown = without_bidi_controls(rows.slice((page - 1) * PAGE_ROWS, PAGE_ROWS).select(columns))
    return render(
        request,
        "drill.html",
        session,
        title=f"{cell.partner_id}: vendor {cell.vendor} × partner {cell.partner}",
        cell=cell,
        page=page,
        pages=max(1, -(-rows.height // PAGE_ROWS)),
        total=rows.height,
        columns=columns,
        rows=shown.to_dicts(),
        counts=counts.to_dicts(),
    )


@router.get("/app/matrix/{partner_id}/{vendor}/{partner}/export.csv")
async def drill_down_csv(view: ViewDep, session: SessionDep, cell: Cell) -> Response:
    """Every row the table shows, as the API's CSV: formula cells neutralised."""
    rows, _ = await _cell(view, session, cell)
    return csv_response(rows, f"drill-down-{cell.partner_id}.csv")


def interval(lift: dict[str, Any], *, width: int = 320) -> dict[str, float] | None:
    """Where to draw the adjusted lift and its 95% interval on a -1..1 axis, or None."""
    if lift.get("adjusted_lift") is None or lift.get("ci_low") is None:
        return None

    def x(value: float) -> float:
        return round((min(max(value, -1.0), 1.0) + 1) / 2 * width, 1)

    return {
        "low": x(lift["ci_low"]),
        "high": x(lift["ci_high"]),
        "point": x(lift["adjusted_lift"]),
        "zero": x(0.0),
        "width": width,
    }


@router.get("/app/partners/{partner_id}/scorecard", response_class=HTMLResponse)
async def scorecard(
    request: Request, view: ViewDep, session: SessionDep, partner_id: str
) -> Response:
    """A partner's scorecard; the ecosystem team's page loads its lift after it is shown."""
    principal = session.principal
    card = await call(scorecards.partner_scorecard, principal, view=view, partner_id=partner_id)
    return render(
        request,
        "scorecard.html",
        session,
        title=f"Scorecard: {card.get('name') or partner_id}",
        card=card,
        lift_shown=allows(scorecards.scorecards, principal),
        editable=allows(partners.put_partner, principal),
    )


@router.get("/app/partners/{partner_id}/lift", response_class=HTMLResponse)
async def lift(request: Request, view: ViewDep, session: SessionDep, partner_id: str) -> Response:
    """The partner's lift and its interval drawn (a bootstrap: worked out once per data)."""
    allow(scorecards.scorecards, session.principal)
    await call(scorecards.partner_scorecard, session.principal, view=view, partner_id=partner_id)
    frame = await shared(view, ("lift", partner_id), lambda: partner_lift(view.eco, partner_id))
    found = frame.to_dicts()[0] if frame.height else None
    return render(
        request, "_lift.html", session, lift=found, drawn=interval(found) if found else None
    )
