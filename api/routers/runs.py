"""Match runs: started in the background over the latest lists; status and matches."""

from __future__ import annotations

from typing import Annotated, Literal

import polars as pl
from fastapi import APIRouter, BackgroundTasks, Query, Response, status

from overlap import schema
from overlap.api.deps import Limit, Offset, ServiceDep, Staff, ViewDep
from overlap.api.models import MatchPage, Page, ReviewPage, Run, RunStatusName, problems
from overlap.api.problems import Problem
from overlap.api.records import population
from overlap.api.responses import FormatQuery, csv_response, page
from overlap.api.security import Principal
from overlap.api.sharing import visible
from overlap.ecosystem.data import VENDOR
from overlap.matching.feedback import DECIDED_REASONS
from overlap.schema import RunStatus

router = APIRouter(prefix="/runs", tags=["runs"])

_BY_MODEL = "matched by the model"
MODEL_REASON = "model_reason"


def with_decisions(pairs: pl.DataFrame, feedback: pl.DataFrame) -> pl.DataFrame:
    """``pairs`` with who decided each (``decided_by``: "user" or "model"), the user's
    ``decision`` and ``decided_at``, and the ``reason``: the user's decision, or why the
    model put the two records in one company (``pairs``' ``MODEL_REASON``)."""
    keys = ["vendor_id", schema.PARTNER_ID, "partner_account_id"]
    decided = feedback.select(*keys, "decision", pl.col("decided_at").cast(pl.Datetime("us")))
    by_user = pl.col("decision").is_not_null()
    user_reason = pl.col("decision").replace_strict(
        DECIDED_REASONS, default=None, return_dtype=pl.String
    )
    return pairs.join(decided, on=keys, how="left", maintain_order="left").select(
        *(c for c in pairs.columns if c != MODEL_REASON),
        pl.coalesce(user_reason, MODEL_REASON, pl.lit(_BY_MODEL)).alias(schema.REASON),
        pl.when(by_user).then(pl.lit("user")).otherwise(pl.lit("model")).alias("decided_by"),
        "decision",
        "decided_at",
    )


def _run(service: ServiceDep, run_id: str) -> Run:
    found = service.store.run(run_id)
    if found is None:
        raise Problem(404, "not-found", f"no run {run_id!r}")
    return Run.model_validate(found)


@router.post(
    "",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Start a match run over the latest list versions",
    responses=problems({409: "A run is already going, or there is no vendor list"}),
)
def start_run(service: ServiceDep, principal: Staff, background: BackgroundTasks) -> Run:
    run = service.start_run()
    background.add_task(service.run, run["run_id"])
    return Run.model_validate(run)


@router.get("", summary="Runs, newest first (filter by status)")
def list_runs(
    service: ServiceDep,
    principal: Staff,
    status: Annotated[RunStatusName | None, Query()] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[Run]:
    rows = [r for r in service.store.runs() if status is None or r["status"] == status]
    return [Run.model_validate(r) for r in rows[offset : offset + limit]]


@router.get("/{run_id}", summary="A run's status and progress")
def get_run(service: ServiceDep, principal: Staff, run_id: str) -> Run:
    return _run(service, run_id)


@router.post(
    "/{run_id}/cancel",
    summary="Cancel a queued or running run: it stops at its next step and stores nothing, "
    "so the last succeeded run's results stay served",
    responses=problems({404: "No such run", 409: "The run has already ended"}),
)
def cancel_run(service: ServiceDep, principal: Staff, run_id: str) -> Run:
    run = _run(service, run_id)
    if not service.store.cancel_run(run_id):
        raise Problem(409, "conflict", f"run {run_id} is {run.status}: only a live run stops")
    return _run(service, run_id)


@router.get(
    "/{run_id}/matches",
    summary="Matched (vendor record, partner record) pairs of a succeeded run: names, score, "
    "reason, and whether a user or the model decided",
    response_model=MatchPage,
    responses={200: {"content": {"text/csv": {}}}, **problems({409: "The run has no results"})},
)
def matches(
    service: ServiceDep,
    view: ViewDep,
    principal: Staff,
    run_id: str,
    partner_id: Annotated[str | None, Query(max_length=64)] = None,
    limit: Limit = 100,
    offset: Offset = 0,
    format: Annotated[Literal["json", "csv"], FormatQuery] = "json",
) -> Page | Response:
    _succeeded(service, run_id)
    companies = service.store.companies(run_id)
    shown = _shown(view, principal, companies, overlap=True)
    vendor = shown.filter(pl.col(schema.LIST_OWNER) == VENDOR).select(
        schema.COMPANY_ID,
        pl.col(schema.ID).alias("vendor_id"),
        pl.col(schema.NAME).alias("vendor_name"),
    )
    partner = shown.filter(pl.col(schema.LIST_OWNER) != VENDOR)
    if partner_id is not None:
        partner = partner.filter(pl.col(schema.PARTNER_ID) == partner_id)
    pairs = (
        vendor.join(
            partner.select(
                schema.COMPANY_ID,
                schema.PARTNER_ID,
                pl.col(schema.ID).alias("partner_account_id"),
                pl.col(schema.NAME).alias("partner_name"),
                schema.SCORE,
            ),
            on=schema.COMPANY_ID,
        )
        .select(
            "vendor_id",
            schema.PARTNER_ID,
            "partner_account_id",
            schema.COMPANY_ID,
            "vendor_name",
            "partner_name",
            schema.SCORE,
        )
        .sort(schema.PARTNER_ID, schema.COMPANY_ID, "vendor_id", "partner_account_id")
    )
    pairs = with_decisions(_with_model_reasons(pairs, companies), service.store.feedback())
    if format == "csv":
        return csv_response(pairs, f"matches-{run_id}.csv")
    return page(pairs, limit=limit, offset=offset)


def _succeeded(service: ServiceDep, run_id: str) -> Run:
    run = _run(service, run_id)
    if run.status != RunStatus.SUCCEEDED:
        raise Problem(409, "conflict", f"run {run_id} is {run.status}; it has no results")
    return run


def _shown(
    view: ViewDep, principal: Principal, records: pl.DataFrame, *, overlap: bool
) -> pl.DataFrame:
    """The ``records`` (``owner``, ``id``, more columns welcome) that ``principal`` may see,
    with their ``name`` and ``partner_id`` (null for the vendor's), under the partners'
    sharing rules; ``overlap`` says whether they are in the overlap (matched)."""
    names = view.eco.accounts.select(schema.LIST_OWNER, schema.ID, schema.NAME, schema.STATUS)
    found = records.join(names, on=[schema.LIST_OWNER, schema.ID], how="left")
    is_vendor = pl.col(schema.LIST_OWNER) == VENDOR
    shown = found.select(
        schema.LIST_OWNER,
        pl.when(is_vendor).then(None).otherwise(pl.col(schema.LIST_OWNER)).alias(schema.PARTNER_ID),
        population(pl.col(schema.STATUS)).alias("population"),
        pl.lit(overlap).alias("overlap"),
        *(c for c in records.columns if c not in (schema.LIST_OWNER, schema.STATUS)),
        schema.NAME,
    )
    return visible(principal, shown, view.rules).rows


@router.get(
    "/{run_id}/review",
    summary="The review queue of a succeeded run: vendor-partner pairs not matched that a "
    "person should look at (ambiguous, family, unsure), with why each is there; a decision "
    "posted to /feedback takes a pair out",
    response_model=ReviewPage,
    responses={200: {"content": {"text/csv": {}}}, **problems({409: "The run has no results"})},
)
def review(
    service: ServiceDep,
    view: ViewDep,
    principal: Staff,
    run_id: str,
    partner_id: Annotated[str | None, Query(max_length=64)] = None,
    relation: Annotated[Literal["same", "family"] | None, Query()] = None,
    limit: Limit = 100,
    offset: Offset = 0,
    format: Annotated[Literal["json", "csv"], FormatQuery] = "json",
) -> Page | Response:
    _succeeded(service, run_id)
    keys = ["vendor_id", schema.PARTNER_ID, "partner_account_id"]
    queue = service.store.review(run_id).join(
        service.store.feedback().select(keys), on=keys, how="anti"
    )
    if partner_id is not None:
        queue = queue.filter(pl.col(schema.PARTNER_ID) == partner_id)
    if relation is not None:
        queue = queue.filter(pl.col("relation") == relation)
    ends = pl.concat(
        [
            queue.select(
                pl.lit(VENDOR).alias(schema.LIST_OWNER), pl.col("vendor_id").alias(schema.ID)
            ),
            queue.select(
                pl.col(schema.PARTNER_ID).alias(schema.LIST_OWNER),
                pl.col("partner_account_id").alias(schema.ID),
            ),
        ]
    ).unique()
    shown = _shown(view, principal, ends, overlap=False).select(
        schema.LIST_OWNER, schema.ID, schema.NAME
    )
    vendor = shown.filter(pl.col(schema.LIST_OWNER) == VENDOR).select(
        pl.col(schema.ID).alias("vendor_id"), pl.col(schema.NAME).alias("vendor_name")
    )
    partner = shown.filter(pl.col(schema.LIST_OWNER) != VENDOR).select(
        pl.col(schema.LIST_OWNER).alias(schema.PARTNER_ID),
        pl.col(schema.ID).alias("partner_account_id"),
        pl.col(schema.NAME).alias("partner_name"),
    )
    pairs = (
        queue.join(vendor, on="vendor_id")
        .join(partner, on=[schema.PARTNER_ID, "partner_account_id"])
        .select(
            *keys, "vendor_name", "partner_name", schema.SCORE, "relation", "why", schema.REASON
        )
        .sort("relation", schema.PARTNER_ID, "vendor_id", "partner_account_id")
    )
    if format == "csv":
        return csv_response(pairs, f"review-{run_id}.csv")
    return page(pairs, limit=limit, offset=offset)


def _with_model_reasons(pairs: pl.DataFrame, companies: pl.DataFrame) -> pl.DataFrame:
    """``pairs`` with ``MODEL_REASON``: why the partner record is in the pair's company (the
    reason of its best link there), or else why the vendor record is."""
    is_vendor = pl.col(schema.LIST_OWNER) == VENDOR
    partner = companies.filter(~is_vendor).select(
        pl.col(schema.LIST_OWNER).alias(schema.PARTNER_ID),
        pl.col(schema.ID).alias("partner_account_id"),
        pl.col(schema.REASON).alias("_partner_reason"),
    )
    vendor = companies.filter(is_vendor).select(
        pl.col(schema.ID).alias("vendor_id"), pl.col(schema.REASON).alias("_vendor_reason")
    )
    return (
        pairs.join(
            partner, on=[schema.PARTNER_ID, "partner_account_id"], how="left", maintain_order="left"
        )
        .join(vendor, on="vendor_id", how="left", maintain_order="left")
        .with_columns(pl.coalesce("_partner_reason", "_vendor_reason").alias(MODEL_REASON))
        .drop("_partner_reason", "_vendor_reason")
    )
