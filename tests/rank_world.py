"""Tiny hand-made ecosystems for the ranking tests: a few companies, partners and deals."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import polars as pl

from builders import make_accounts
from overlap.ecosystem.data import AS_OF, DEAL_SCHEMA, VENDOR, Ecosystem, ecosystem_from_frames

PRODUCTS = pl.DataFrame(
    {
        "product_id": ["PRD-1", "PRD-2", "PRD-3"],
        "name": ["Atlas Platform", "Atlas Workflow", "Atlas Connect"],
        "family": ["Platform", "Automation", "Integration"],
        "list_price": [48000.0, 15000.0, 18000.0],
    }
)


def partner(partner_id: str, **fields: Any) -> dict[str, Any]:
    """A partner directory row; unnamed fields get plain defaults."""
    return {
        "partner_id": partner_id,
        "name": f"Partner {partner_id}",
        "type": "reseller",
        "role": "sell",
        "tier": "gold",
        "certifications": [],
        "points": 1000,
    } | fields


def deals(partner_id: str | None, *, won: int, lost: int, **fields: Any) -> list[dict[str, Any]]:
    """``won`` won and ``lost`` lost deals with ``partner_id`` on account ``v1`` by default."""
    base = {
        "account_id": "v1",
        "product": "Atlas Platform",
        "amount": 10000.0,
        "created_date": date(2024, 1, 1),
        "close_date": date(2024, 3, 1),
        "partner_id": partner_id,
    } | fields
    return [base | {"outcome": "won"}] * won + [base | {"outcome": "lost"}] * lost


def world(
    vendor: Sequence[Mapping[str, Any]],
    lists: Mapping[str, Sequence[Mapping[str, Any]]],
    partners: Sequence[Mapping[str, Any]],
    deal_rows: Sequence[Mapping[str, Any]] = (),
) -> Ecosystem:
    """An Ecosystem whose records name their company in a ``company`` key (and their
    snapshot's export date in an ``as_of`` key, if any)."""

    def frame(rows: Sequence[Mapping[str, Any]]) -> pl.DataFrame:
        accounts = make_accounts(
            [{k: v for k, v in r.items() if k not in ("company", AS_OF)} for r in rows]
        )
        if not any(AS_OF in r for r in rows):
            return accounts
        return accounts.with_columns(pl.Series(AS_OF, [r.get(AS_OF) for r in rows], pl.Date))

    company_ids = pl.DataFrame(
        [
            {"owner": owner, "id": row.get("id", str(n)), "company_id": row["company"]}
            for owner, rows in {VENDOR: vendor, **lists}.items()
            for n, row in enumerate(rows, start=1)
        ],
        schema={"owner": pl.String, "id": pl.String, "company_id": pl.String},
    )
    deal_frame = pl.DataFrame(
        [{"deal_id": f"D{n}", **d} for n, d in enumerate(deal_rows)],
        schema={c: t for c, t in DEAL_SCHEMA.items() if c != "partner_touch_date"},
    ).with_columns(pl.lit(None, pl.Date).alias("partner_touch_date"))
    return ecosystem_from_frames(
        frame(vendor),
        {owner: frame(rows) for owner, rows in lists.items()},
        pl.DataFrame(list(partners), schema_overrides={"certifications": pl.List(pl.String)}),
        PRODUCTS,
        deal_frame,
        company_ids=company_ids,
    )
