from pathlib import Path

import numpy as np
import polars as pl
import pytest

from overlap.ecosystem.data import Ecosystem
from overlap.ecosystem.load import load_ecosystem
from overlap.ecosystem.lookalike import CustomerFit, new_accounts, training_set
from overlap.errors import NotEnoughDataError
from rank_world import deals, partner, world

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"


def vendor_history() -> list[dict[str, object]]:
    """Healthcare accounts are customers, Retail ones prospects."""
    return [
        {
            "id": f"v{n}",
            "name": f"Vendor {n}",
            "company": f"v{n}",
            "industry": "Healthcare" if n % 2 else "Retail",
            "country": "US",
            "employees": 100 * n,
            "status": "customer" if n % 2 else "prospect",
        }
        for n in range(1, 21)
    ]


def eco() -> Ecosystem:
    return world(
        [
            *vendor_history(),
            {"id": "o1", "name": "Open Deal", "company": "open", "status": "opportunity"},
        ],
        {
            "A": [
                {
                    "name": "Clinic",
                    "company": "clinic",
                    "industry": "Healthcare",
                    "status": "customer",
                },
                {"name": "Shop", "company": "shop", "industry": "Retail", "status": "customer"},
                {"name": "Vendor 1", "company": "v1", "status": "customer"},
                {"name": "Open Deal", "company": "open", "status": "customer"},
                {"name": "Vendor 2", "company": "v2", "status": "customer"},
                {"name": "Lead", "company": "lead", "industry": "Healthcare", "status": "prospect"},
            ]
        },
        [partner("A", name="Northgate")],
    )


def test_new_accounts_are_partner_customers_the_vendor_does_not_have_at_any_status() -> None:
    found = new_accounts(eco(), min_customers=5)
    # v1 is a vendor customer, "open" an open opportunity, v2 a vendor prospect: none is
    # new; "lead" is only a partner prospect
    assert set(found["company_id"]) == {"clinic", "shop"}
    assert found["partner"].unique().to_list() == ["Northgate"]


def test_accounts_like_the_vendors_customers_rank_first_and_say_why() -> None:
    found = new_accounts(eco(), min_customers=5)
    assert found["company_id"].to_list() == ["clinic", "shop"]
    assert found["explanation"][0].startswith("industry Healthcare (+")
    assert found["features"][0][0]["feature"] == "industry Healthcare"


def test_too_few_vendor_customers_give_no_fit_and_say_so() -> None:
    found = new_accounts(eco())  # 10 customers, fewer than the default 30
    assert found["fit"].null_count() == found["score"].null_count() == found.height == 2
    assert set(found["explanation"]) == {"fit from 10 customers: too few to rank (needs 30)"}
    assert found["rank"].to_list() == [1, 2]


def test_enough_vendor_customers_give_a_fit() -> None:
    found = new_accounts(eco(), min_customers=10)
    assert found["fit"].null_count() == 0


def test_won_and_lost_deals_decide_the_label_before_the_status() -> None:
    history = world(
        [
            {"id": "v1", "name": "A", "company": "a", "status": "prospect"},
            {"id": "v2", "name": "B", "company": "b", "status": "customer"},
            {"id": "v3", "name": "C", "company": "c", "status": "opportunity"},
        ],
        {},
        [partner("A")],
        deals(None, won=1, lost=0, account_id="v1") + deals(None, won=0, lost=1, account_id="v2"),
    )
    accounts, labels = training_set(history)
    assert dict(zip(accounts["id"], labels.tolist(), strict=True)) == {"v1": 1, "v2": 0}


def test_numbers_are_explained_in_their_own_units() -> None:
    accounts = pl.DataFrame(
        {
            "industry": ["X"] * 6,
            "country": ["US"] * 6,
            "employees": [10, 20, 30, 1200, 2400, 4800],
            "annual_revenue": [None] * 6,
        },
        schema_overrides={"annual_revenue": pl.Float64},
    )
    model = CustomerFit().fit(accounts, np.array([0, 0, 0, 1, 1, 1]))
    explained = model.explain(accounts.tail(1), top=1)
    assert explained["explanation"][0].startswith("4,800 employees (+")


def test_the_samples_yield_explained_new_accounts() -> None:
    found = new_accounts(load_ecosystem(SAMPLES, companies="truth"))
    assert found.height > 100
    assert found["explanation"].null_count() < found.height


def test_labels_of_one_class_are_too_little_to_learn_from() -> None:
    accounts = pl.DataFrame(
        {"industry": ["X", "Y"], "country": ["US", "US"], "employees": [10, 20]},
        schema_overrides={"employees": pl.Int64},
    ).with_columns(pl.lit(None, pl.Float64).alias("annual_revenue"))
    with pytest.raises(NotEnoughDataError, match="customer-like and other accounts"):
        CustomerFit().fit(accounts, np.array([1, 1]))
