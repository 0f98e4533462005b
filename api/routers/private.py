"""Private matching over the service: a partner runs PSI against the vendor's list, or
hands in Bloom-filter encodings instead of its list (see ``overlap.private``).

The service plays the vendor's party. It offers only the vendor populations that the
partner's sharing rules (``vendor_to_partner``) show at the level asked or above, so that
PSI tells a partner no more than the matrix would. The vendor's side of a PSI session,
and the encodings a partner hands in, are kept in the store until they expire
(``store_private``): a restart loses none. A match on encodings is stored as a run
(``private_runs``), which the sharing rules then show, and later runs keep it.
"""

from __future__ import annotations

import secrets
import tempfile
from collections.abc import Callable
from pathlib import Path as FilePath
from typing import Annotated, Any, Literal, TypeVar, cast

import polars as pl
from fastapi import APIRouter, BackgroundTasks, Depends, File, Path, UploadFile, status
from pydantic import BaseModel, ConfigDict, Field

from overlap.api.deps import ServiceDep, Staff, StaffOrPartner, ViewDep, own_partner, require
from overlap.api.models import problems
from overlap.api.private_runs import store_private_match
from overlap.api.problems import Problem
from overlap.api.security import Principal
from overlap.api.sharing import policy_for
from overlap.ecosystem.data import VENDOR
from overlap.private import psi
from overlap.private.bloom import encode
from overlap.private.files import read_encodings, read_secret
from overlap.private.keys import POPULATION, exact_keys, normalised
from overlap.private.model import match
from overlap.schema import Role, SharingLevel

router = APIRouter(prefix="/private", tags=["private"])

T = TypeVar("T")
Mode = Literal["counts", "overlap"]  # the levels PSI runs at (``psi.MODES``)
ORDER = list(SharingLevel)


class PsiMessage(BaseModel):
    """A PSI offer or reply, as ``overlap private psi`` writes it (base64 per population)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "protocol": psi.PROTOCOL,
                    "step": "offer",
                    "mode": "counts",
                    "groups": {"customer": "3q2+7w...", "prospect": "AAEC..."},
                }
            ]
        },
    )
    protocol: Literal["overlap-psi-x25519-v1"]
    step: Literal["offer", "reply"]
    mode: Mode
    groups: dict[str, str] = Field(max_length=8)


class PsiSession(BaseModel):
    """The vendor's answer to an offer: its own offer and its reply to the partner's."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "session_id": "3f2a9c1d",
                    "offer": PsiMessage.model_config["json_schema_extra"]["examples"][0],  # type: ignore[index]
                    "reply": PsiMessage.model_config["json_schema_extra"]["examples"][0],  # type: ignore[index]
                }
            ]
        }
    )
    session_id: str
    offer: PsiMessage
    reply: PsiMessage


class PsiResult(BaseModel):
    """What the vendor learned in a finished session (``psi.finish``'s rows)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "session_id": "3f2a9c1d",
                    "mode": "counts",
                    "rows": [
                        {"population": "customer", "their_population": "prospect", "shared": 12}
                    ],
                }
            ]
        }
    )
    session_id: str
    mode: Mode
    rows: list[dict[str, Any]] | None = None


class Handed(BaseModel):
    """Encodings a partner handed in."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"partner_id": "PRT-001", "accounts": 420}]}
    )
    partner_id: str
    accounts: int


class PrivateMatch(BaseModel):
    """One pair matched on encodings."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"vendor_id": "0015g00000T1f9xAAB", "partner_id": "5473091366", "score": 0.98}
            ]
        }
    )
    vendor_id: str
    partner_id: str
    score: float


def _vendor_records(service: ServiceDep, view: ViewDep, partner_id: str) -> pl.DataFrame:
    """The vendor's latest list, normalised: 404 for an unknown partner, 409 with no list."""
    if partner_id not in view.rules:
        raise Problem(404, "not-found", f"no partner {partner_id!r}")
    accounts = service.store.latest_lists().get(VENDOR)
    if accounts is None or accounts.is_empty():
        raise Problem(409, "conflict", "the vendor has no list yet")
    return normalised(accounts)


Partner = Annotated[Principal, Depends(require(Role.PARTNER))]
PartnerPath = Annotated[str, Path(max_length=64)]
SessionPath = Annotated[str, Path(max_length=64)]


@router.post(
    "/psi/{partner_id}",
    status_code=status.HTTP_201_CREATED,
    summary="Run PSI against the vendor's list: send your offer, get the vendor's and a reply",
)
def start_psi(
    service: ServiceDep,
    view: ViewDep,
    principal: Partner,
    partner_id: PartnerPath,
    body: PsiMessage,
) -> PsiSession:
    own_partner(principal, partner_id)
    theirs = psi.Message.from_dict(body.model_dump(), step="offer")
    keys = exact_keys(_vendor_records(service, view, partner_id))
    policy = policy_for(principal, view.rules)
    # only the populations the sharing rules show this partner at the level asked, or above
    shown = [
        population
        for population in keys[POPULATION].unique().to_list()
        if ORDER.index(SharingLevel(policy.level(VENDOR, partner_id, population)))
        >= ORDER.index(theirs.mode)
    ]
    party, offer = psi.offer(keys.filter(pl.col(POPULATION).is_in(shown)), mode=theirs.mode)
    session = secrets.token_urlsafe(12)
    service.store.put_psi_session(partner_id, session, party.to_dict(), theirs.to_json())
    return PsiSession(
        session_id=session,
        offer=PsiMessage.model_validate(offer.to_dict()),
        reply=PsiMessage.model_validate(psi.reply(party, theirs).to_dict()),
    )


def _session(
    service: ServiceDep, partner_id: str, session_id: str
) -> tuple[psi.Party, psi.Message, list[dict[str, Any]] | None]:
    """A live session's vendor state, the partner's offer and what the vendor learned."""
    found = service.store.psi_session(partner_id, session_id)
    if found is None:
        raise Problem(404, "not-found", f"no PSI session {session_id!r} of partner {partner_id!r}")
    state, offer, result = found
    return psi.Party.from_dict(state), psi.Message.from_json(offer, step="offer"), result


@router.post(
    "/psi/{partner_id}/{session_id}",
    summary="Finish the vendor's side: send your reply to the vendor's offer",
)
def finish_psi(
    service: ServiceDep,
    principal: Partner,
    partner_id: PartnerPath,
    session_id: SessionPath,
    body: PsiMessage,
) -> PsiResult:
    own_partner(principal, partner_id)
    party, theirs, _ = _session(service, partner_id, session_id)
    result = psi.finish(party, theirs, psi.Message.from_dict(body.model_dump(), step="reply"))
    service.store.finish_psi_session(partner_id, session_id, result.to_dicts())
    # the partner learns nothing more here: its own result comes from its own finish
    return PsiResult(session_id=session_id, mode=cast(Mode, party.mode.value))


@router.get(
    "/psi/{partner_id}/{session_id}",
    summary="What the vendor learned in a PSI session",
    responses=problems({409: "The partner has not sent its reply yet"}),
)
def psi_result(
    service: ServiceDep,
    principal: Staff,
    partner_id: PartnerPath,
    session_id: SessionPath,
) -> PsiResult:
    party, _, result = _session(service, partner_id, session_id)
    if result is None:
        raise Problem(409, "conflict", "the partner has not sent its reply yet")
    return PsiResult(session_id=session_id, mode=cast(Mode, party.mode.value), rows=result)


@router.post(
    "/encodings/{partner_id}",
    status_code=status.HTTP_201_CREATED,
    summary="Hand in Bloom-filter encodings (overlap private encode) instead of a list",
)
def hand_in(
    service: ServiceDep,
    view: ViewDep,
    principal: StaffOrPartner,
    partner_id: PartnerPath,
    file: Annotated[UploadFile, File(description="The .clk.jsonl file")],
) -> Handed:
    own_partner(principal, partner_id)
    if partner_id not in view.rules:
        raise Problem(404, "not-found", f"no partner {partner_id!r}")
    handed = file.file.read()
    encoded = _read_bytes(handed, read_encodings)  # checked before it is kept
    service.store.put_encodings(partner_id, handed)
    return Handed(partner_id=partner_id, accounts=len(encoded.ids))


def _read_bytes(data: bytes, read: Callable[[FilePath], T]) -> T:
    with tempfile.TemporaryDirectory() as folder:
        path = FilePath(folder) / "upload"
        path.write_bytes(data)
        return read(path)


class PrivateRun(BaseModel):
    """A private match, stored as a run: the matrix and the sharing rules then show it."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "run_id": "9b1c2d3e4f5a",
                    "matches": PrivateMatch.model_config["json_schema_extra"]["examples"],  # type: ignore[index]
                    "view": "pending",
                }
            ]
        }
    )
    run_id: str
    matches: list[PrivateMatch]
    view: Literal["pending"] = Field(
        default="pending", description="Stored; reads show it once the view is rebuilt"
    )


@router.post(
    "/encodings/{partner_id}/matches",
    summary="Match the vendor's list with a partner's encodings and store it as a run",
    responses=problems(
        {409: "The partner has handed in no encodings, or another run is under way"}
    ),
)
def match_encodings(
    service: ServiceDep,
    view: ViewDep,
    principal: Staff,
    background: BackgroundTasks,
    partner_id: PartnerPath,
    secret: Annotated[UploadFile, File(description="The secret agreed with the partner")],
) -> PrivateRun:
    handed = service.store.encodings(partner_id)
    if handed is None:
        raise Problem(409, "conflict", f"partner {partner_id!r} has handed in no encodings")
    theirs = _read_bytes(handed, read_encodings)
    key = _read_bytes(secret.file.read(), read_secret)
    ours = encode(_vendor_records(service, view, partner_id), key, encoding=theirs.encoding)
    matches = match(ours, theirs)
    run_id = store_private_match(service.store, partner_id, theirs.ids, matches)
    # stored: answered now; the views are rebuilt once the answer is sent
    background.add_task(service.refresh)
    return PrivateRun(run_id=run_id, matches=[PrivateMatch(**row) for row in matches.to_dicts()])
