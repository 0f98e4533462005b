"""Request and response bodies, each with an example for the OpenAPI docs."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeAlias

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    field_serializer,
)

from overlap.api.bidi import without_bidi
from overlap.schema import ACCOUNT_FIELDS, Decision, Role, RunStatus, SharingLevel

Timestamp = Annotated[datetime, AfterValidator(lambda d: d if d.tzinfo else d.replace(tzinfo=UTC))]
"""A moment; the store keeps UTC without a zone, the API says so (RFC 3339)."""
PARTNER_ID = r"^[A-Za-z0-9_.-]+$"
if TYPE_CHECKING:
    Level: TypeAlias = SharingLevel
    RoleName: TypeAlias = Role
    RunStatusName: TypeAlias = RunStatus
    DecisionName: TypeAlias = Decision
else:
    # Fields hold the enums' members, but are declared as Literals of them: the OpenAPI
    # schema then lists the values in place, as clients have always read them, where an
    # enum type would become a component of its own.
    Level = Literal[tuple(SharingLevel)]
    RoleName = Literal[tuple(Role)]
    RunStatusName = Literal[tuple(RunStatus)]
    DecisionName = Literal[tuple(Decision)]
AccountField = Literal[ACCOUNT_FIELDS]  # type: ignore[valid-type]


class Served(BaseModel):
    """A body whose text may come from a list or a partner: served without bidi controls."""

    @field_serializer("*", mode="wrap")
    def _without_bidi(self, value: Any, handler: SerializerFunctionWrapHandler) -> Any:
        return without_bidi(handler(value))


class PopulationLevels(BaseModel):
    """How much of each population one side shows the other."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"customer": "overlap", "opportunity": "counts"}]},
    )
    customer: Level = SharingLevel.COUNTS
    opportunity: Level = SharingLevel.COUNTS
    prospect: Level = SharingLevel.COUNTS


class Sharing(BaseModel):
    """A partner's sharing rules, per direction and population, and the fields it shares."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "vendor_to_partner": {
                        "customer": "overlap",
                        "opportunity": "counts",
                        "prospect": "hidden",
                    },
                    "partner_to_vendor": {
                        "customer": "all",
                        "opportunity": "overlap",
                        "prospect": "counts",
                    },
                    "shared_fields": ["name", "website", "country", "status"],
                }
            ]
        },
    )
    vendor_to_partner: PopulationLevels = Field(default_factory=PopulationLevels)
    partner_to_vendor: PopulationLevels = Field(
        default_factory=lambda: PopulationLevels(
            customer=SharingLevel.OVERLAP,
            opportunity=SharingLevel.OVERLAP,
            prospect=SharingLevel.OVERLAP,
        )
    )
    shared_fields: list[AccountField] = Field(  # type: ignore[valid-type]
        default_factory=lambda: ["name", "website", "country", "status"], max_length=32
    )


PARTNER_EXAMPLE: dict[str, Any] = {
    "partner_id": "PRT-001",
    "name": "Northgate Solutions",
    "type": "reseller",
    "role": "sell",
    "tier": "gold",
    "points": 4200,
    "certifications": ["Atlas Platform", "Atlas Analytics"],
    "sharing": Sharing.model_config["json_schema_extra"]["examples"][0],  # type: ignore[index]
}


class PartnerUpdate(Served):
    """A partner's directory entry and sharing rules (the id is in the path)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{k: v for k, v in PARTNER_EXAMPLE.items() if k != "partner_id"}]  # type: ignore[misc]
        },
    )
    name: str = Field(min_length=1, max_length=200)
    type: str | None = Field(default=None, max_length=100)
    role: str | None = Field(default=None, max_length=100)
    tier: str | None = Field(default=None, max_length=100)
    points: int | None = Field(default=None, ge=0, le=10**12)
    certifications: list[str] = Field(default_factory=list, max_length=100)
    sharing: Sharing = Field(default_factory=Sharing)


class Partner(PartnerUpdate):
    """A partner in the directory."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [PARTNER_EXAMPLE]},  # type: ignore[list-item]
    )
    partner_id: str = Field(min_length=1, max_length=64, pattern=PARTNER_ID)


class KeyRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"role": "partner", "partner_id": "PRT-001"}]},
    )
    role: RoleName
    partner_id: str | None = Field(default=None, max_length=64)


class Key(BaseModel):
    """An API key; ``token`` is shown only when the key is created."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "key_id": "3f2a9c1b7d4e",
                    "role": "partner",
                    "partner_id": "PRT-001",
                    "created_at": "2026-01-05T10:00:00",
                    "revoked_at": None,
                    "token": "ovl_3f2a9c1b7d4e_Jx8...",
                }
            ]
        }
    )
    key_id: str
    role: str
    partner_id: str | None
    created_at: Timestamp
    revoked_at: Timestamp | None = None
    token: str | None = None


class Rejected(Served):
    source_row: int | None
    reason: str | None
    name: str | None = None
    website: str | None = None
    email: str | None = None


class IngestReport(Served):
    """What an upload stored: the column mapping, rows read and accepted, rejected rows."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "owner": "PRT-001",
                    "version": 3,
                    "file_name": "accounts.csv",
                    "mapping": {"Company name": "name", "Company Domain Name": "website"},
                    "ignored": ["Notes"],
                    "rows_read": 2002,
                    "rows_accepted": 2000,
                    "rejected": [
                        {"source_row": 17, "reason": "no name, website or e-mail", "name": None}
                    ],
                }
            ]
        }
    )
    owner: str
    version: int
    file_name: str
    mapping: dict[str, str]
    ignored: list[str]
    rows_read: int
    rows_accepted: int
    rejected: list[Rejected]
    view: Literal["pending"] = Field(
        default="pending", description="Stored; reads show it once the view is rebuilt"
    )


class ListVersion(Served):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "list_id": "PRT-001@2",
                    "owner": "PRT-001",
                    "version": 2,
                    "uploaded_at": "2026-01-05T10:00:00",
                    "file_name": "accounts.csv",
                    "row_count": 2000,
                    "as_of": "2026-01-02",
                }
            ]
        }
    )
    list_id: str
    owner: str
    version: int
    uploaded_at: Timestamp
    file_name: str | None
    row_count: int
    as_of: date | None = Field(
        None, description="The day the list was exported on: the snapshot's date"
    )


class Run(BaseModel):
    """A match run over the latest list versions."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "run_id": "9ad6c5941538",
                    "status": "running",
                    "progress": 0.42,
                    "stage": "compare",
                    "created_at": "2026-01-05T10:00:00",
                    "started_at": "2026-01-05T10:00:01",
                    "finished_at": None,
                    "error": None,
                    "lists": {"vendor": "vendor@1", "PRT-001": "PRT-001@2"},
                }
            ]
        }
    )
    run_id: str
    status: RunStatusName
    progress: float
    stage: str | None
    created_at: Timestamp
    started_at: Timestamp | None
    finished_at: Timestamp | None
    error: str | None
    lists: dict[str, str]


# The pair of records the examples of feedback and matches name.
_PAIR = {
    "vendor_id": "0015g00000QxaTDAAZ",
    "partner_id": "PRT-001",
    "partner_account_id": "5255522115",
}


class FeedbackIn(BaseModel):
    """A decision on a match: the vendor's record and a partner's record are (not) one."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    **_PAIR,
                    "decision": "confirm",
                }
            ]
        },
    )
    vendor_id: str = Field(min_length=1, max_length=200)
    partner_id: str = Field(min_length=1, max_length=64)
    partner_account_id: str = Field(min_length=1, max_length=200)
    decision: DecisionName


class Feedback(FeedbackIn):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    **_PAIR,
                    "decision": "confirm",
                    "decided_by": "3f2a9c1b7d4e",
                    "decided_at": "2026-01-05T10:00:00",
                }
            ]
        }
    )
    decided_by: str | None
    decided_at: Timestamp


class Count(BaseModel):
    """Records a principal may count but not see, per owner and population."""

    owner: str | None
    partner_id: str | None
    population: str | None
    records: int


class Page(BaseModel):
    """One page of rows, the total before paging, and counts of the rows not shown.

    JSON has no NaN or infinity: they are served as null (``ser_json_inf_nan``).
    """

    model_config = ConfigDict(
        ser_json_inf_nan="null",
        json_schema_extra={
            "examples": [
                {
                    "total": 132,
                    "limit": 2,
                    "offset": 0,
                    "items": [
                        {
                            "owner": "vendor",
                            "partner_id": "PRT-001",
                            "population": "customer",
                            "overlap": True,
                            "company_id": "vendor:0015g00000QxaTDAAZ",
                            "id": "0015g00000QxaTDAAZ",
                            "name": "Gulf Coast Computing LLC",
                        }
                    ],
                    "counts": [
                        {
                            "owner": "vendor",
                            "partner_id": "PRT-001",
                            "population": "prospect",
                            "records": 99,
                        }
                    ],
                }
            ]
        },
    )
    total: int
    limit: int
    offset: int
    items: list[dict[str, Any]]
    counts: list[Count] = Field(default_factory=list)


class MatchedPair(BaseModel):
    """A vendor record and a partner record of one company: their names, how sure the
    match is, why, and whether a user decided it (``decided_by`` "user", with the
    ``decision`` and when) or the model did."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    **_PAIR,
                    "company_id": "vendor:0015g00000QxaTDAAZ",
                    "vendor_name": "Gulf Coast Computing LLC",
                    "partner_name": "Gulf Coast Computing",
                    "score": 1.0,
                    "reason": "confirmed by a user",
                    "decided_by": "user",
                    "decision": "confirm",
                    "decided_at": "2026-01-05T10:00:00",
                }
            ]
        }
    )
    vendor_id: str
    partner_id: str
    partner_account_id: str
    company_id: str
    vendor_name: str | None
    partner_name: str | None
    score: float | None
    reason: str
    decided_by: Literal["user", "model"]
    decision: DecisionName | None
    decided_at: Timestamp | None


class MatchPage(Page):
    """One page of matched pairs (see ``MatchedPair``)."""

    # narrows Page's rows of any columns to matched pairs, for the documented schema
    items: list[MatchedPair]  # type: ignore[assignment]


class ReviewItem(BaseModel):
    """A vendor record and a partner record a person should look at, not matched: their
    names, the pair's score, ``relation`` ("same": maybe one company; "family": parts of
    one group), ``why`` it is in the queue and the ``reason`` (what agrees and differs)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    **_PAIR,
                    "vendor_name": "Sage",
                    "partner_name": "Sage Group PLC",
                    "score": 0.72,
                    "relation": "same",
                    "why": "ambiguous: 'Sage' is as close to 'Sage Therapeutics' (0.71)",
                    "reason": "every word of 'Sage' is in 'Sage Group PLC'; 'group' is generic",
                }
            ]
        }
    )
    vendor_id: str
    partner_id: str
    partner_account_id: str
    vendor_name: str | None
    partner_name: str | None
    score: float | None
    relation: Literal["same", "family"]
    why: str
    reason: str | None


class ReviewPage(Page):
    """One page of the review queue (see ``ReviewItem``)."""

    items: list[ReviewItem]  # type: ignore[assignment]


class Status(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"status": "ok", "schema_version": 2}]}
    )
    status: str
    schema_version: int | None = None


class ProblemDetail(BaseModel):
    """An error, as application/problem+json (RFC 9457)."""

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "examples": [
                {
                    "type": "/problems/forbidden",
                    "title": "Forbidden",
                    "status": 403,
                    "detail": "a sales key cannot do this; roles: admin, ecosystem",
                }
            ]
        },
    )
    type: str
    title: str
    status: int
    detail: str


def problems(descriptions: dict[int, str]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for problem+json errors, by status code."""
    return {
        status: {
            "model": ProblemDetail,
            "description": description,
            "content": {"application/problem+json": {}},
        }
        for status, description in descriptions.items()
    }


PROBLEMS = problems(
    {
        401: "No API key, or an unknown or revoked one",
        403: "The key's role or partner may not do this",
        404: "Not found",
        409: "Conflicts with the current state",
        413: "The upload is too large",
        422: "The request or the file cannot be used; the detail says where and why",
        429: "Too many failed authentications from this address: wait Retry-After seconds",
    }
)
"""Errors any route may answer with."""
