from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from builders import make_accounts
from overlap import schema
from overlap.ecosystem.data import (
    AS_OF,
    DEAL_SCHEMA,
    LISTED_SINCE,
    PARTNER_SCHEMA,
    PRODUCT_SCHEMA,
    VENDOR,
    Ecosystem,
    ecosystem_from_frames,
    owner_relationships,
)
from overlap.ecosystem.load import load_ecosystem
from overlap.matching.config import MatchConfig
from overlap.matching.model import default_model
from overlap.matching.pipeline import link_lists, resolve_companies, scored_pool

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"


def world(
    vendor: list[dict[str, object]],
    partner: list[dict[str, object]],
    company_ids: list[tuple[str, str, str]],
) -> Ecosystem:
    return ecosystem_from_frames(
        make_accounts(vendor),
        {"PRT-001": make_accounts(partner)},
        pl.DataFrame(
            {
                "partner_id": ["PRT-001"],
                "name": ["Northgate"],
                "type": ["reseller"],
                "role": ["sell"],
                "tier": ["gold"],
                "certifications": [["Atlas Platform"]],
                "points": [100],
            }
        ),
        pl.DataFrame(schema=PRODUCT_SCHEMA),
        pl.DataFrame(schema=DEAL_SCHEMA),
        company_ids=pl.DataFrame(
            company_ids, schema=[schema.LIST_OWNER, schema.ID, schema.COMPANY_ID], orient="row"
        ),
    )


def test_accounts_of_every_list_carry_their_owner_and_company() -> None:
    eco = world(
        [{"id": "v1", "name": "Acme"}],
        [{"id": "p1", "name": "ACME Corp"}],
        [("vendor", "v1", "A"), ("PRT-001", "p1", "A")],
    )
    assert eco.accounts.select(schema.LIST_OWNER, schema.ID, schema.COMPANY_ID).rows() == [
        (VENDOR, "v1", "A"),
        ("PRT-001", "p1", "A"),
    ]


def test_accounts_keep_every_schema_column_with_the_sales_owner_renamed() -> None:
    eco = world([{"id": "v1", "name": "Acme", "owner": "Dana"}], [], [])
    expected = [c if c != schema.OWNER else schema.ACCOUNT_OWNER for c in schema.ACCOUNT_SCHEMA]
    assert eco.accounts.columns == [
        *expected,
        schema.LIST_OWNER,
        schema.COMPANY_ID,
        AS_OF,
        LISTED_SINCE,
    ]
    assert eco.accounts[schema.ACCOUNT_OWNER].to_list() == ["Dana"]


def test_a_record_without_a_resolved_company_is_a_company_of_its_own() -> None:
    eco = world([{"id": "v1", "name": "Acme"}], [{"id": "p1", "name": "Beta"}], [])
    assert eco.accounts[schema.COMPANY_ID].to_list() == ["vendor:v1", "PRT-001:p1"]


def test_a_prospect_with_an_open_opportunity_is_an_opportunity() -> None:
    eco = world(
        [
            {"id": "v1", "name": "Acme", "status": "prospect", "stage": "Proposal"},
            {"id": "v2", "name": "Beta", "status": "prospect", "stage": "Closed Lost"},
            {"id": "v3", "name": "Gamma", "status": "customer", "stage": "Proposal"},
        ],
        [],
        [],
    )
    assert eco.accounts[schema.STATUS].to_list() == ["opportunity", "prospect", "customer"]


def test_relationships_take_the_strongest_status_and_the_largest_open_opportunity() -> None:
    eco = world(
        [
            {"id": "v1", "name": "Acme", "status": "prospect"},
            {"id": "v2", "name": "Acme Inc", "status": "customer"},
            {"id": "v3", "name": "Beta", "status": "prospect", "stage": "Proposal", "amount": 10.0},
            {
                "id": "v4",
                "name": "Beta Ltd",
                "status": "prospect",
                "stage": "Negotiation",
                "amount": 30.0,
                "close_date": date(2025, 6, 30),
            },
            {"id": "v5", "name": "Gamma"},
        ],
        [],
        [
            ("vendor", "v1", "A"),
            ("vendor", "v2", "A"),
            ("vendor", "v3", "B"),
            ("vendor", "v4", "B"),
        ],
    )
    expected = pl.DataFrame(
        {
            schema.LIST_OWNER: [VENDOR] * 3,
            schema.COMPANY_ID: ["A", "B", "vendor:v5"],
            schema.STATUS: ["customer", "opportunity", None],
            "account_ids": [["v1", "v2"], ["v3", "v4"], ["v5"]],
            schema.NAME: ["Acme", "Beta", "Gamma"],
            schema.STAGE: [None, "Negotiation", None],
            schema.AMOUNT: [None, 30.0, None],
            schema.CLOSE_DATE: [None, date(2025, 6, 30), None],
        },
        schema_overrides={schema.STATUS: pl.String, schema.STAGE: pl.String},
    )
    assert_frame_equal(owner_relationships(eco.accounts), expected)


@pytest.fixture(scope="module")
def samples() -> Ecosystem:
    return load_ecosystem(SAMPLES, companies="truth")


def test_the_samples_load_with_the_partner_directory_products_and_deals(samples: Ecosystem) -> None:
    assert samples.partners.schema == pl.Schema(PARTNER_SCHEMA)
    assert samples.products.schema == pl.Schema(PRODUCT_SCHEMA)
    assert samples.deals.schema == pl.Schema(DEAL_SCHEMA)
    assert samples.partners.row(0, named=True)["certifications"] == [
        "Atlas Platform",
        "Atlas Analytics",
        "Atlas Workflow",
    ]
    owners = samples.accounts.group_by(schema.LIST_OWNER).len().sort(schema.LIST_OWNER).rows()
    assert owners == [
        ("PRT-001", 2000),
        ("PRT-002", 900),
        ("PRT-003", 420),
        ("PRT-004", 650),
        ("PRT-005", 1500),
        (VENDOR, 5000),
    ]


def test_the_samples_truth_puts_the_vendors_duplicates_in_one_company(samples: Ecosystem) -> None:
    vendor = samples.accounts.filter(pl.col(schema.LIST_OWNER) == VENDOR)
    assert vendor[schema.COMPANY_ID].null_count() == 0
    assert vendor.height - vendor[schema.COMPANY_ID].n_unique() == 150


def test_every_deal_is_on_an_account_of_the_vendors_list(samples: Ecosystem) -> None:
    vendor_ids = samples.accounts.filter(pl.col(schema.LIST_OWNER) == VENDOR)[schema.ID]
    assert samples.deals["account_id"].is_in(vendor_ids.implode()).all()


@pytest.mark.slow
def test_matched_companies_overlap_each_partner_about_as_the_truth_does(samples: Ecosystem) -> None:
    matched = load_ecosystem(SAMPLES, companies="match")

    def overlap(eco: Ecosystem) -> dict[str, int]:
        vendor = eco.accounts.filter(pl.col(schema.LIST_OWNER) == VENDOR)[
            schema.COMPANY_ID
        ].implode()
        partners = eco.accounts.filter(
            pl.col(schema.LIST_OWNER) != VENDOR, pl.col(schema.COMPANY_ID).is_in(vendor)
        )
        return dict(
            partners.group_by(schema.LIST_OWNER).agg(pl.col(schema.COMPANY_ID).n_unique()).rows()
        )

    found, truth = overlap(matched), overlap(samples)
    assert found.keys() == truth.keys()
    assert all(abs(found[p] - truth[p]) <= 0.1 * truth[p] for p in truth)


def test_pooling_lists_to_match_them_keeps_each_accounts_sales_owner() -> None:
    vendor = make_accounts([{"id": "v1", "name": "Acme Corp", "owner": "Dana"}])
    partner = make_accounts([{"id": "p1", "name": "Acme Corporation", "owner": "Lee"}])
    _, _, scored, _ = scored_pool(
        link_lists(vendor, partner), config=MatchConfig(), model=default_model()
    )
    assert scored.records[schema.OWNER].to_list() == ["Dana", "Lee"]
    companies = resolve_companies({VENDOR: vendor, "PRT-001": partner})
    assert companies.columns == [
        schema.LIST_OWNER,
        schema.ID,
        schema.COMPANY_ID,
        schema.SCORE,
        schema.REASON,
    ]
    assert companies[schema.LIST_OWNER].to_list() == [VENDOR, "PRT-001"]
    assert companies[schema.COMPANY_ID].to_list() == ["vendor:v1", "vendor:v1"]
