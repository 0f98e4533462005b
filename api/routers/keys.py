"""API keys: created by an admin, shown once, revoked at will."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, Response, status

from overlap.api.deps import Admin, ServiceDep
from overlap.api.models import Key, KeyRequest, problems
from overlap.api.problems import Problem
from overlap.api.security import create_key

router = APIRouter(prefix="/keys", tags=["keys"])


@router.get("", summary="List keys (never their secrets)")
def list_keys(service: ServiceDep, principal: Admin) -> list[Key]:
    return [Key.model_validate(asdict(k)) for k in service.store.list_keys()]


@router.post(
    "", status_code=status.HTTP_201_CREATED, summary="Create a key; its token is shown once"
)
def new_key(service: ServiceDep, principal: Admin, request: KeyRequest, response: Response) -> Key:
    # the token is in this answer and nowhere else: no cache may keep a copy
    response.headers["Cache-Control"] = "no-store"
    key_id, token = create_key(service.store, role=request.role, partner_id=request.partner_id)
    key = service.store.key(key_id)
    assert key is not None
    return Key.model_validate({**asdict(key), "token": token})


@router.delete(
    "/{key_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Revoke a key",
    responses=problems({404: "No live key with this id"}),
)
def revoke_key(service: ServiceDep, principal: Admin, key_id: str) -> Response:
    if not service.store.revoke_key(key_id):
        raise Problem(404, "not-found", f"no live key {key_id!r}")
    return Response(status_code=status.HTTP_204_NO_CONTENT)
