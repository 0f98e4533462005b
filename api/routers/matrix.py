"""The overlap matrix per partner and the companies of one cell."""

from __future__ import annotations

from typing import Annotated, Literal

import polars as pl
from fastapi import APIRouter, Query, Response

from overlap import schema
from overlap.api.deps import Anyone, Limit, Offset, ViewDep, own_partner
from overlap.api.models import Page
from overlap.api.problems import Problem
from overlap.api.records import keyed_records
from overlap.api.responses import FormatQuery, csv_response, page
from overlap.api.security import Principal
from overlap.api.service import View
from overlap.api.sharing import Shared, visible_cell, visible_cells
from overlap.ecosystem.data import VENDOR
from overlap.ecosystem.report import in_cell, overlap_matrix
from overlap.schema import Role

router = APIRouter(prefix="/matrix", tags=["matrix"])

# report.VENDOR_POPULATIONS and report.PARTNER_POPULATIONS (a test holds them equal)
VendorPopulation = Literal["customer", "opportunity", "prospect"]
PartnerPopulation = Literal["customer", "opportunity", "prospect", "unknown"]


def _partner(view: View, partner_id: str) -> None:
    if partner_id not in view.rules:
        raise Problem(404, "not-found", f"no partner {partner_id!r}")


@router.get("", summary="Overlapping companies per partner and pair of populations")
def matrix(
    view: ViewDep,
    principal: Anyone,
    partner_id: Annotated[str | None, Query(max_length=64)] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Page:
    if principal.role == Role.PARTNER:
        if partner_id is not None:
            own_partner(principal, partner_id)
        partner_id = principal.partner_id
    if partner_id is not None:
        _partner(view, partner_id)
    cells = overlap_matrix(view.eco, partner_id, found=view.overlaps())
    return page(visible_cells(principal, cells, view.rules), limit=limit, offset=offset)


@router.get(
    "/{partner_id}/drill-down",
    summary="The records of both sides in one cell of the matrix",
    response_model=Page,
    responses={200: {"content": {"text/csv": {}}}},
)
def drill_down(
    view: ViewDep,
    principal: Anyone,
    partner_id: str,
    vendor_population: VendorPopulation,
    partner_population: PartnerPopulation,
    limit: Limit = 100,
    offset: Offset = 0,
    format: Annotated[Literal["json", "csv"], FormatQuery] = "json",
) -> Page | Response:
    shared = cell_records(view, principal, partner_id, vendor_population, partner_population)
    if format == "csv":
        return csv_response(shared.rows, f"drill-down-{partner_id}.csv")
    return page(shared.rows, limit=limit, offset=offset, counts=shared.counts)


def _cell_records(
    view: View, partner_id: str, vendor_population: str, partner_population: str
) -> pl.DataFrame:
    """Both sides' records of one cell (a vendor record as seen by ``partner_id``)."""
    partners = view.overlaps().filter(pl.col(schema.PARTNER_ID) == partner_id)
    cell = in_cell(partners, vendor_population, partner_population)
    keys = pl.concat(
        [
            cell.select(pl.lit(VENDOR).alias(schema.LIST_OWNER), pl.col("vendor_ids").alias("id")),
            cell.select(
                pl.col(schema.PARTNER_ID).alias(schema.LIST_OWNER),
                pl.col("partner_ids").alias("id"),
            ),
        ]
    ).explode("id")
    return keyed_records(view, keys, context=partner_id).sort(
        schema.COMPANY_ID, schema.LIST_OWNER, "id", maintain_order=True
    )


def cell_records(
    view: View,
    principal: Principal,
    partner_id: str,
    vendor_population: str,
    partner_population: str,
) -> Shared:
    """The records of one cell that ``principal`` may see (403 when the cell is hidden)."""
    own_partner(principal, partner_id)
    _partner(view, partner_id)
    # every key's page of the cell reads the same records: built once per view
    records = view.shared(
        ("cell", partner_id, vendor_population, partner_population),
        lambda: _cell_records(view, partner_id, vendor_population, partner_population),
    )
    one = pl.DataFrame(
        {
            schema.PARTNER_ID: [partner_id],
            "vendor_population": [vendor_population],
            "partner_population": [partner_population],
        }
    )
    shared = visible_cell(principal, one, records, view.rules)
    if shared is None:
        raise Problem(403, "forbidden", "this cell of the matrix is not shared with this key")
    return shared
