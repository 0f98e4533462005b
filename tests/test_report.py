from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from builders import make_accounts
from overlap import schema
from overlap.ecosystem.data import (
    DEAL_SCHEMA,
    PRODUCT_SCHEMA,
    VENDOR,
    Ecosystem,
    ecosystem_from_frames,
)
from overlap.ecosystem.lift import partner_lift
from overlap.ecosystem.load import load_ecosystem
from overlap.ecosystem.report import drill_down, overlap_matrix, overlaps, scorecard

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
P1, P2 = "PRT-001", "PRT-002"


def partners(*ids: str) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "partner_id": list(ids),
            "name": [f"Partner {i}" for i in ids],
            "type": "reseller",
            "role": "sell",
            "tier": "gold",
            "certifications": [[] for _ in ids],
            "points": 0,
        },
        schema_overrides={"certifications": pl.List(pl.String)},
    )


def deal(
    deal_id: str,
    account_id: str,
    outcome: str,
    *,
    partner_id: str | None = None,
    touch: int | None = None,
    amount: float = 100.0,
    created: date = date(2024, 1, 10),
    days: int = 30,
) -> dict[str, object]:
    """A deal; ``touch`` is the partner's touch in days after the created date."""
    return {
        "deal_id": deal_id,
        "account_id": account_id,
        "product": "Atlas Platform",
        "amount": amount,
        "created_date": created,
        "close_date": created + timedelta(days=days),
        "outcome": outcome,
        "partner_id": partner_id,
        "partner_touch_date": None if touch is None else created + timedelta(days=touch),
    }


def tiny_world(deals: list[dict[str, object]] | None = None) -> Ecosystem:
    """Companies A (customer, on the vendor's list twice), B and E (open opportunities of
    1,000 and 500), C (prospect), D (churned); PRT-001 lists A twice, B, C, D, E (no
    status) and Z, which the vendor does not have; PRT-002 lists B.
    """
    vendor = make_accounts(
        [
            {"id": "v1", "name": "Acme", "status": "customer"},
            {"id": "v2", "name": "Acme Inc", "status": "customer"},
            {"id": "v3", "name": "Beta", "status": "prospect", "stage": "Proposal", "amount": 1e3},
            {"id": "v4", "name": "Gamma", "status": "prospect"},
            {"id": "v5", "name": "Delta", "status": "churned"},
            {"id": "v6", "name": "Eps", "status": "prospect", "stage": "Proposal", "amount": 500.0},
        ]
    )
    first = make_accounts(
        [
            {"id": "p1", "name": "ACME", "status": "customer"},
            {"id": "p2", "name": "Acme Corp", "status": "prospect"},
            {"id": "p3", "name": "Beta", "status": "customer"},
            {"id": "p4", "name": "Gamma", "status": "opportunity"},
            {"id": "p5", "name": "Delta", "status": "customer"},
            {"id": "p6", "name": "Zeta", "status": "customer"},
            {"id": "p7", "name": "Eps"},
        ]
    )
    second = make_accounts([{"id": "q1", "name": "Beta", "status": "prospect"}])
    company = {"v1": "A", "v2": "A", "v3": "B", "v4": "C", "v5": "D", "v6": "E"}
    company |= {"p1": "A", "p2": "A", "p3": "B", "p4": "C", "p5": "D", "p6": "Z", "p7": "E"}
    owner = {i: VENDOR if i[0] == "v" else P1 if i[0] == "p" else P2 for i in [*company, "q1"]}
    company["q1"] = "B"
    return ecosystem_from_frames(
        vendor,
        {P1: first, P2: second},
        partners(P1, P2),
        pl.DataFrame(schema=PRODUCT_SCHEMA),
        pl.DataFrame(deals or [], schema=DEAL_SCHEMA),
        company_ids=pl.DataFrame(
            {
                schema.LIST_OWNER: list(owner.values()),
                schema.ID: list(owner),
                schema.COMPANY_ID: list(company.values()),
            }
        ),
    )


def nonzero(matrix: pl.DataFrame) -> list[tuple[object, ...]]:
    return matrix.filter(pl.col("companies") > 0).rows()


def test_the_matrix_counts_companies_by_vendor_and_partner_population() -> None:
    assert nonzero(overlap_matrix(tiny_world())) == [
        (P1, "customer", "customer", 1, 0.0),
        (P1, "opportunity", "customer", 1, 1000.0),
        (P1, "opportunity", "unknown", 1, 500.0),
        (P1, "prospect", "opportunity", 1, 0.0),
        (P2, "opportunity", "prospect", 1, 1000.0),
    ]


def test_the_matrix_has_every_cell_of_every_partner_zeros_included() -> None:
    matrix = overlap_matrix(tiny_world())
    assert matrix.height == 2 * 3 * 4
    assert overlap_matrix(tiny_world(), P2).height == 3 * 4


def test_a_company_listed_twice_counts_once_at_its_strongest_status() -> None:
    cell = drill_down(tiny_world(), P1, "customer", "customer")
    assert cell.rows() == [
        ("A", ["v1", "v2"], ["p1", "p2"], "Acme", "ACME", "customer", "customer", 0.0)
    ]


def test_the_drill_down_lists_the_companies_of_a_cell_with_their_open_amount() -> None:
    cell = drill_down(tiny_world(), P1, "opportunity", "customer")
    expected = pl.DataFrame(
        {
            schema.COMPANY_ID: ["B"],
            "vendor_ids": [["v3"]],
            "partner_ids": [["p3"]],
            "vendor_name": ["Beta"],
            "partner_name": ["Beta"],
            "vendor_status": ["opportunity"],
            "partner_status": ["customer"],
            "open_amount": [1000.0],
        }
    )
    assert_frame_equal(cell, expected)


def test_the_drill_down_of_the_unknown_population_lists_the_records_without_status() -> None:
    cell = drill_down(tiny_world(), P1, "opportunity", "unknown")
    assert cell.select(schema.COMPANY_ID, "partner_ids", "partner_status").rows() == [
        ("E", ["p7"], None)
    ]


def test_every_cell_of_the_matrix_drills_down_to_as_many_companies_as_it_counts() -> None:
    eco = tiny_world()
    for partner_id, vendor, partner, companies, _ in overlap_matrix(eco).rows():
        assert drill_down(eco, partner_id, vendor, partner).height == companies


def test_churned_companies_overlap_but_sit_in_no_population() -> None:
    row = overlaps(tiny_world(), P1).filter(pl.col(schema.COMPANY_ID) == "D")
    assert row.select("vendor_population", "partner_population").rows() == [(None, "customer")]


def test_overlap_counts_agree() -> None:
    eco = tiny_world()
    accounts = eco.accounts
    vendor = accounts.filter(pl.col(schema.LIST_OWNER) == VENDOR)
    partner = accounts.filter(pl.col(schema.LIST_OWNER) == P1)
    from_vendor = vendor.filter(
        pl.col(schema.COMPANY_ID).is_in(partner[schema.COMPANY_ID].implode())
    )
    from_partner = partner.filter(
        pl.col(schema.COMPANY_ID).is_in(vendor[schema.COMPANY_ID].implode())
    )
    assert (from_vendor.height, from_partner.height) == (6, 6)  # duplicates on both sides
    assert (
        from_vendor[schema.COMPANY_ID].n_unique() == from_partner[schema.COMPANY_ID].n_unique() == 5
    )
    assert overlaps(eco, P1).height == 5
    counted = overlap_matrix(eco, P1)["companies"].sum()
    assert counted == 5 - 1  # D is churned on the vendor's side


def tiny_deals() -> list[dict[str, object]]:
    return [
        deal("D1", "v1", "won", partner_id=P1, touch=-5, amount=100.0, days=30),
        deal("D2", "v3", "lost", partner_id=P1, touch=0, amount=200.0),
        deal(
            "D3",
            "v2",
            "won",
            partner_id=P1,
            touch=40,
            amount=300.0,
            created=date(2024, 3, 1),
            days=10,
        ),
        deal("D4", "v4", "won", amount=400.0, days=20),
        deal("D5", "v4", "lost", amount=50.0),
        deal("D6", "v3", "won", partner_id=P2, touch=30, amount=600.0, created=date(2024, 5, 1)),
    ]


def test_the_scorecard_follows_its_written_rules() -> None:
    card = scorecard(tiny_world(tiny_deals())).drop("name")
    expected = pl.DataFrame(
        {
            "partner_id": [P1, P2],
            "overlap_companies": [5, 1],
            "overlap_share": [5 / 6, 1.0],
            "overlap_pipeline": [1500.0, 1000.0],
            "sourced_deals": [1, 0],  # D1: touched before it was created
            "sourced_pipeline": [100.0, 0.0],
            "influenced_deals": [1, 1],  # D2 and D6: touched while open; D3 after its close
            "influenced_pipeline": [200.0, 600.0],
            "deals_with": [3, 1],
            "win_rate_with": [2 / 3, 1.0],
            "win_rate_without": [0.5, 0.5],
            "avg_deal_size_with": [200.0, 600.0],
            "avg_deal_size_without": [400.0, 400.0],
            "avg_days_to_close_with": [20.0, 30.0],
            "avg_days_to_close_without": [20.0, 20.0],
            "net_new_logos": [1, 1],  # A's first win is D1; B's is D6
        }
    )
    assert_frame_equal(card, expected)


def test_a_partner_without_deals_scores_zero_deals_and_null_rates() -> None:
    card = scorecard(tiny_world([deal("D1", "v4", "won")]))
    row = card.filter(pl.col("partner_id") == P2).row(0, named=True)
    assert (row["deals_with"], row["win_rate_with"], row["net_new_logos"]) == (0, None, 0)


def confounded_world(n: int, *, seed: int, effect: float) -> tuple[Ecosystem, float]:
    """Existing customers get a partner more often and win more often anyway; the partner
    adds ``effect`` to the log-odds of winning. Returns the world and the true lift on the
    deals the partner joined."""
    rng = np.random.default_rng(seed)
    customer = rng.random(n) < 0.5
    involved = rng.random(n) < 1 / (1 + np.exp(-(-1.5 + 2.5 * customer)))
    base = -1.0 + 1.5 * customer
    p_with, p_without = 1 / (1 + np.exp(-(base + effect))), 1 / (1 + np.exp(-base))
    won = rng.random(n) < np.where(involved, p_with, p_without)
    ids = [f"v{i}" for i in range(n)]
    vendor = make_accounts(
        [
            {"id": i, "name": i, "status": "customer" if c else "prospect", "employees": 50}
            for i, c in zip(ids, customer, strict=True)
        ]
    )
    deals = [
        deal(f"D{i}", ids[i], "won" if won[i] else "lost", partner_id=P1 if involved[i] else None)
        for i in range(n)
    ]
    eco = ecosystem_from_frames(
        vendor,
        {},
        partners(P1, P2),
        pl.DataFrame(schema=PRODUCT_SCHEMA),
        pl.DataFrame(deals, schema=DEAL_SCHEMA),
        company_ids=pl.DataFrame(schema=[schema.LIST_OWNER, schema.ID, schema.COMPANY_ID]),
    )
    return eco, float((p_with - p_without)[involved].mean())


def test_adjusted_lift_removes_the_confounding_that_inflates_the_raw_lift() -> None:
    eco, truth = confounded_world(4000, seed=1, effect=0.4)
    lift = partner_lift(eco, P1, resamples=40).row(0, named=True)
    assert lift["raw_lift"] > truth + 0.1
    assert abs(lift["adjusted_lift"] - truth) < 0.04
    assert lift["ci_low"] < truth < lift["ci_high"]
    assert lift["note"] is None


def test_thin_data_gives_no_adjusted_lift_and_says_why() -> None:
    lift = partner_lift(tiny_world(tiny_deals()), min_deals=30, resamples=10)
    assert lift.select("partner_id", "deals_with", "adjusted_lift", "note").rows() == [
        (P1, 3, None, "not enough data (3 deals with the partner)"),
        (P2, 1, None, "not enough data (1 deals with the partner)"),
    ]


def test_the_lift_counts_the_deals_behind_it() -> None:
    eco = tiny_world(tiny_deals())
    lift = partner_lift(eco, P1, min_deals=1, resamples=5)
    row = lift.row(0, named=True)
    assert (row["deals_with"], row["deals_without"]) == (3, 2)
    assert row["raw_lift"] == pytest.approx(2 / 3 - 1 / 2)


@pytest.fixture(scope="module")
def samples() -> Ecosystem:
    return load_ecosystem(SAMPLES, companies="truth")


def test_every_sample_partner_overlaps_the_vendor(samples: Ecosystem) -> None:
    totals = overlap_matrix(samples).group_by("partner_id").agg(pl.col("companies").sum())
    assert totals.height == 5
    assert (totals["companies"] > 0).all()


def test_a_matrix_counted_from_overlaps_worked_out_before_is_the_same() -> None:
    eco = tiny_world()
    assert_frame_equal(overlap_matrix(eco, P2, found=overlaps(eco)), overlap_matrix(eco, P2))
    assert_frame_equal(overlap_matrix(eco, found=overlaps(eco)), overlap_matrix(eco))
