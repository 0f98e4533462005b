"""The partner directory and each partner's sharing rules."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, BackgroundTasks, Path, Query, status

from overlap import schema
from overlap.api.deps import Admin, Limit, Offset, ServiceDep, Staff, StaffOrPartner, own_partner
from overlap.api.models import PARTNER_ID, Partner, PartnerUpdate, problems
from overlap.api.problems import Problem
from overlap.ecosystem.data import VENDOR

router = APIRouter(prefix="/partners", tags=["partners"])


class WrittenPartner(Partner):
    """A partner as stored; the views (sharing rules included) show it once rebuilt."""

    view: Literal["pending"] = "pending"


def _not_reserved(partner_id: str) -> None:
    if partner_id == VENDOR:
        raise Problem(409, "conflict", f"{VENDOR!r} names the vendor's own list; pick another id")


def _get(service: ServiceDep, partner_id: str) -> Partner:
    found = service.store.partner(partner_id)
    if found is None:
        raise Problem(404, "not-found", f"no partner {partner_id!r}")
    return Partner.model_validate(found)


def _written(service: ServiceDep, background: BackgroundTasks, partner_id: str) -> WrittenPartner:
    """The partner stored; the views rebuilt once the answer is sent, the previous one
    served meanwhile."""
    background.add_task(service.refresh)
    return WrittenPartner.model_validate(_get(service, partner_id).model_dump())


@router.get("", summary="List partners (filter by type or tier)")
def list_partners(
    service: ServiceDep,
    principal: Staff,
    type: Annotated[str | None, Query(max_length=100)] = None,
    tier: Annotated[str | None, Query(max_length=100)] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[Partner]:
    rows = [
        p
        for p in service.store.partners()
        if (type is None or p["type"] == type) and (tier is None or p["tier"] == tier)
    ]
    return [Partner.model_validate(p) for p in rows[offset : offset + limit]]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Add a partner",
    responses=problems({409: "The partner exists already"}),
)
def create_partner(
    service: ServiceDep, principal: Admin, background: BackgroundTasks, partner: Partner
) -> WrittenPartner:
    _not_reserved(partner.partner_id)
    if service.store.partner(partner.partner_id) is not None:
        raise Problem(409, "conflict", f"partner {partner.partner_id!r} exists; PUT updates it")
    service.store.put_partner(partner.model_dump())
    return _written(service, background, partner.partner_id)


@router.get("/{partner_id}", summary="One partner (a partner key: its own)")
def get_partner(service: ServiceDep, principal: StaffOrPartner, partner_id: str) -> Partner:
    own_partner(principal, partner_id)
    return _get(service, partner_id)


@router.put("/{partner_id}", summary="Create or replace a partner, sharing rules included")
def put_partner(
    service: ServiceDep,
    principal: Admin,
    background: BackgroundTasks,
    partner_id: Annotated[str, Path(min_length=1, max_length=64, pattern=PARTNER_ID)],
    partner: PartnerUpdate,
) -> WrittenPartner:
    _not_reserved(partner_id)
    service.store.put_partner({schema.PARTNER_ID: partner_id, **partner.model_dump()})
    return _written(service, background, partner_id)
