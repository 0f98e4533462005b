"""Liveness and readiness; no key needed."""

from __future__ import annotations

from fastapi import APIRouter

from overlap.api.deps import ServiceDep
from overlap.api.models import Status, problems
from overlap.api.problems import Problem

router = APIRouter(tags=["health"])


@router.get("/health", summary="The process is up")
async def health() -> Status:
    # on the event loop: never queued behind requests waiting in the thread pool
    return Status(status="ok")


@router.get(
    "/ready",
    summary="The store answers and is migrated",
    responses=problems({503: "The store does not answer"}),
)
def ready(service: ServiceDep) -> Status:
    try:
        service.store.ping()
        version = service.store.schema_version
    except Exception as error:
        raise Problem(503, "not-ready", "the store does not answer") from error
    return Status(status="ready", schema_version=version)
