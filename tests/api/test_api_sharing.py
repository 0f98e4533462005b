"""Sharing rules: what a partner key and a sales key may see of each other's records."""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest
from api_world import Api

from overlap.api.security import Principal
from overlap.api.sharing import visible, visible_cells

PARTNER = Principal("k1", "partner", "P1")
SALES = Principal("k2", "sales")
RULES: dict[str, dict[str, Any]] = {
    "P1": {
        "vendor_to_partner": {"customer": "overlap", "opportunity": "counts", "prospect": "hidden"},
        "partner_to_vendor": {"customer": "all", "opportunity": "overlap", "prospect": "counts"},
        "shared_fields": ["name"],
    },
    "P2": {
        "vendor_to_partner": {"customer": "all", "opportunity": "all", "prospect": "all"},
        "partner_to_vendor": {"customer": "hidden", "opportunity": "all", "prospect": "all"},
        "shared_fields": ["name", "website"],
    },
}


def records(rows: list[tuple[str, str | None, str, bool, str, str]]) -> pl.DataFrame:
    return pl.DataFrame(
        rows,
        schema=["owner", "partner_id", "population", "overlap", "name", "website"],
        orient="row",
    )


FRAME = records(
    [
        ("vendor", "P1", "customer", True, "Vendor Overlap", "vo.example"),
        ("vendor", "P1", "customer", False, "Vendor Alone", "va.example"),
        ("vendor", "P1", "opportunity", True, "Vendor Opp", "vp.example"),
        ("vendor", "P1", "prospect", True, "Vendor Prospect", "vq.example"),
        ("vendor", "P2", "customer", True, "Vendor For P2", "v2.example"),
        ("P1", "P1", "customer", False, "P1 Customer", "p1c.example"),
        ("P1", "P1", "opportunity", True, "P1 Opp Overlap", "p1o.example"),
        ("P1", "P1", "opportunity", False, "P1 Opp Alone", "p1a.example"),
        ("P1", "P1", "prospect", True, "P1 Prospect", "p1p.example"),
        ("P2", "P2", "customer", True, "P2 Customer", "p2c.example"),
        ("P2", "P2", "prospect", False, "P2 Prospect", "p2p.example"),
    ]
)


def test_a_partner_sees_its_own_rows_and_overlapping_vendor_customers_by_name_and_status() -> None:
    shared = visible(PARTNER, FRAME, RULES)
    assert set(shared.rows["owner"]) == {"vendor", "P1"}
    vendor = shared.rows.filter(pl.col("owner") == "vendor")
    assert vendor["name"].to_list() == ["Vendor Overlap"]
    assert vendor["website"].to_list() == [None]
    own = shared.rows.filter(pl.col("owner") == "P1")
    assert own["website"].null_count() == 0 and own.height == 4


def test_a_partner_only_counts_what_the_vendor_shares_as_counts_and_never_sees_hidden() -> None:
    counts = visible(PARTNER, FRAME, RULES).counts
    assert counts.select("owner", "population", "records").rows() == [
        ("vendor", "customer", 1),
        ("vendor", "opportunity", 1),
    ]


def test_a_partner_never_sees_another_partners_rows() -> None:
    shared = visible(PARTNER, FRAME, RULES)
    assert "P2" not in set(shared.rows["owner"]) | set(shared.rows["partner_id"])
    assert "P2" not in set(shared.counts["owner"]) | set(shared.counts["partner_id"])


def test_sales_sees_partner_rows_only_as_far_as_each_partners_rules_and_shared_fields() -> None:
    shared = visible(SALES, FRAME, RULES)
    partner_rows = shared.rows.filter(pl.col("owner") != "vendor")
    assert partner_rows.select("owner", "name", "website").rows() == [
        ("P1", "P1 Customer", None),
        ("P1", "P1 Opp Overlap", None),
        ("P2", "P2 Prospect", "p2p.example"),
    ]
    assert shared.rows.filter(pl.col("owner") == "vendor").height == 5
    assert shared.counts.select("owner", "population", "records").rows() == [
        ("P1", "opportunity", 1),
        ("P1", "prospect", 1),
    ]


def test_a_column_mapped_onto_no_field_is_the_vendors_own_and_shown_to_sales() -> None:
    frame = FRAME.with_columns(pl.lit(0.5).alias("score"))
    shared = visible(SALES, frame, RULES, fields={"score": None})
    assert shared.rows["score"].null_count() == 0


def test_admin_and_ecosystem_see_everything() -> None:
    for role in ("admin", "ecosystem"):
        shared = visible(Principal("k", role), FRAME, RULES)
        assert shared.rows.equals(FRAME)
        assert shared.counts.is_empty()


def test_matrix_cells_of_a_hidden_population_are_dropped() -> None:
    matrix = pl.DataFrame(
        {
            "partner_id": ["P1"] * 3,
            "vendor_population": ["customer", "opportunity", "prospect"],
            "partner_population": ["customer", "prospect", "unknown"],
            "companies": [3, 2, 1],
        }
    )
    assert visible_cells(PARTNER, matrix, RULES)["companies"].to_list() == [3, 2]
    assert visible_cells(SALES, matrix, RULES)["companies"].to_list() == [3, 2, 1]


# --- through the API, on the samples --------------------------------------------------

STRICT = {
    "vendor_to_partner": {"customer": "overlap", "opportunity": "counts", "prospect": "hidden"},
    "partner_to_vendor": {"customer": "all", "opportunity": "hidden", "prospect": "counts"},
    "shared_fields": ["name"],
}


@pytest.fixture(scope="module", autouse=True)
def strict_rules(api: Api) -> None:
    for partner_id in ("PRT-001", "PRT-002"):
        partner = api.store.partner(partner_id)
        assert partner is not None
        api.store.put_partner({**partner, "sharing": STRICT})


ROUTES = [
    "/accounts?q=tech&limit=1000",
    "/accounts?q=gulf&limit=1000",
    "/accounts?q=Gulf Cost Computing&limit=1000",
    *(
        f"/matrix/PRT-001/drill-down?vendor_population={v}&partner_population={p}&limit=1000"
        for v in ("customer", "opportunity", "prospect")
        for p in ("customer", "prospect")
    ),
]


@pytest.mark.parametrize("path", ROUTES)
def test_a_partner_key_never_sees_other_partners_or_vendor_rows_beyond_its_rules(
    api: Api, path: str
) -> None:
    response = api.client.get(path, headers=api.headers("own"))
    if "vendor_population=prospect" in path:  # hidden from PRT-001: the whole cell is
        assert response.status_code == 403
        return
    body = response.json()
    rows = pl.DataFrame(body["items"], infer_schema_length=None)
    if "vendor_population=opportunity" in path:  # counts only
        assert rows.is_empty() and body["counts"]
    if rows.is_empty():
        return
    assert set(rows["owner"]) <= {"vendor", "PRT-001"}
    vendor = rows.filter(pl.col("owner") == "vendor")
    assert set(vendor["population"]) <= {"customer"}
    assert vendor["overlap"].to_list() == [True] * vendor.height
    hidden_fields = [
        c
        for c in vendor.columns
        if c not in {"owner", "partner_id", "population", "overlap", "company_id", "name", "status"}
    ]
    assert vendor.select(pl.col(hidden_fields).is_null().all()).row(0) == (True,) * len(
        hidden_fields
    )
    assert rows["company_id"].null_count() == rows.height
    assert rows.filter(pl.col("owner") == "PRT-001")["overlap"].null_count() == len(
        rows.filter(pl.col("owner") == "PRT-001")
    )
    assert all(c["owner"] in ("vendor", "PRT-001") for c in body["counts"])
    assert all(c["population"] != "prospect" for c in body["counts"] if c["owner"] == "vendor")


@pytest.mark.parametrize(
    "path",
    [
        *ROUTES,
        "/opportunities/co-sell?limit=1000",
        "/opportunities/new-accounts?limit=1000",
        "/accounts/Gulf Coast Computing/partners?k=5",
    ],
)
def test_sales_never_sees_fields_or_populations_a_partner_did_not_share(
    api: Api, path: str
) -> None:
    body = api.client.get(path, headers=api.headers("sales")).json()
    rows = pl.DataFrame(body["items"], infer_schema_length=None)
    if "partner_population=prospect" in path:  # PRT-001 shares its prospects as counts
        assert rows.is_empty() and body["counts"]
    if rows.is_empty():
        return
    strict = rows.filter(pl.col("owner").is_in(["PRT-001", "PRT-002"]))
    assert set(strict["population"]) <= {"customer"}
    if "company_id" in strict.columns:
        # all null (every id hidden) reads as a column of no type: say it is text
        company_id = pl.col("company_id").cast(pl.String)
        made_of_partner_ids = strict.filter(~company_id.str.starts_with("vendor:"))
        assert made_of_partner_ids.is_empty()
    for column in ("website", "email", "phone", "id", "city", "industry", "edges", "reason"):
        if column in strict.columns:
            assert strict[column].null_count() == strict.height, column


def test_a_partner_key_sees_its_matrix_without_hidden_vendor_populations(api: Api) -> None:
    body = api.client.get("/matrix", headers=api.headers("own")).json()
    assert {c["partner_id"] for c in body["items"]} == {"PRT-001"}
    assert {c["vendor_population"] for c in body["items"]} == {"customer", "opportunity"}
