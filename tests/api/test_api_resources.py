"""Resources: paging and filters, problem+json errors, and the serve command."""

from __future__ import annotations

import json
from typing import Any, get_args

import polars as pl
import pytest
from api_world import SAMPLES, Api, make_api
from typer.testing import CliRunner

from overlap import schema
from overlap.api.responses import page
from overlap.api.routers.lists import Status
from overlap.api.routers.matrix import PartnerPopulation, VendorPopulation
from overlap.api.security import first_admin_key
from overlap.api.store import Store
from overlap.cli import app as cli
from overlap.ecosystem.lookalike import MIN_CUSTOMERS
from overlap.ecosystem.report import PARTNER_POPULATIONS, VENDOR_POPULATIONS


def test_pages_are_slices_of_the_whole_list(api: Api) -> None:
    whole = api.client.get("/accounts?q=tech&limit=1000", headers=api.headers("admin")).json()
    page = api.client.get("/accounts?q=tech&limit=3&offset=2", headers=api.headers("admin")).json()
    assert (page["total"], page["limit"], page["offset"]) == (whole["total"], 3, 2)
    assert page["items"] == whole["items"][2:5]


def test_filters_narrow_lists(api: Api) -> None:
    headers = api.headers("admin")
    vendor_only = api.client.get("/accounts?q=tech&owner=vendor&limit=1000", headers=headers)
    assert {r["owner"] for r in vendor_only.json()["items"]} == {"vendor"}
    gold = api.client.get("/partners?tier=gold", headers=headers).json()
    assert gold and {p["tier"] for p in gold} == {"gold"}
    co_sell = api.client.get("/opportunities/co-sell?partner_id=PRT-002", headers=headers)
    assert {r["partner_id"] for r in co_sell.json()["items"]} == {"PRT-002"}


def test_co_sell_per_partner_caps_each_partners_rows_and_says_how_many_more(api: Api) -> None:
    url = "/opportunities/co-sell?per_partner=2&limit=1000"
    items = api.client.get(url, headers=api.headers("admin")).json()["items"]
    shown = pl.DataFrame(items).group_by("partner_id").agg(pl.len(), pl.col("note").first())
    assert shown.height > 1 and shown["len"].max() == 2
    assert {"more_with_partner", "note"} <= set(items[0])
    assert all(note is None or note.startswith("+") for note in shown["note"])
    assert len({row["opportunity_id"] for row in items}) == len(items)


def test_co_sell_rows_carry_the_win_probability_the_uplift_and_the_deals_behind_them(
    api: Api,
) -> None:
    url = "/opportunities/co-sell?per_partner=2&limit=1000"
    items = api.client.get(url, headers=api.headers("admin")).json()["items"]
    for row in items:
        assert 0.0 <= row["win_probability"] <= 1.0
        assert row["uplift_low"] <= row["uplift"] <= row["uplift_high"]
        assert row["similar_deals"] == row["deals_with"] + row["deals_without"]
        assert f"from {row['similar_deals']} similar deals" in row["reason"]


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/no-such-route", 404),
        ("/partners/PRT-404", 404),
        ("/runs/nope", 404),
        ("/accounts/no-such-company", 404),
        ("/accounts/zzzzqqqq xxyy/partners", 404),
        ("/matrix/PRT-404/drill-down?vendor_population=customer&partner_population=customer", 404),
        ("/matrix/PRT-001/drill-down?vendor_population=friend&partner_population=customer", 422),
        ("/accounts?q=a", 422),
        ("/accounts?q=tech&limit=0", 422),
        ("/accounts?q=tech&offset=-1", 422),
    ],
)
def test_errors_are_problem_json_without_internals(api: Api, path: str, status: int) -> None:
    response = api.client.get(path, headers=api.headers("admin"))
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"]
    assert "Traceback" not in response.text


def test_a_partner_can_be_created_once_and_updated_with_its_sharing_rules(api: Api) -> None:
    headers = api.headers("admin")
    body: dict[str, Any] = {"partner_id": "PRT-777", "name": "Lucky Partner"}
    assert api.client.post("/partners", headers=headers, json=body).status_code == 201
    assert api.client.post("/partners", headers=headers, json=body).status_code == 409
    rules = {"vendor_to_partner": {"customer": "all"}, "shared_fields": ["name"]}
    updated = api.client.put(
        "/partners/PRT-777", headers=headers, json={"name": "Lucky", "sharing": rules}
    ).json()
    assert updated["sharing"]["vendor_to_partner"]["customer"] == "all"
    assert updated["sharing"]["shared_fields"] == ["name"]
    assert api.client.put("/partners/vendor", headers=headers, json=body).status_code in (
        409,
        422,
    )


def new_accounts_of(vendor_customers: int) -> Any:
    """The new-accounts answer when the vendor has only customers and a partner one more."""
    store = Store.open(":memory:")
    store.put_partner({"partner_id": "PRT-001", "name": "One"})
    api = make_api(store)
    rows = [f"Company {n},company{n}.example,Customer" for n in range(vendor_customers)]
    lists = {"vendor": rows, "PRT-001": [*rows, "Gamma,gamma.example,Customer"]}
    for owner, lines in lists.items():
        csv = "\n".join(["Company,Website,Status", *lines]).encode()
        files = {"file": ("a.csv", csv, "text/csv")}
        assert api.client.post(f"/lists/{owner}", headers=api.headers("admin"), files=files)
    return api.client.get("/opportunities/new-accounts", headers=api.headers("admin"))


def test_new_accounts_need_customers_and_others_to_learn_from() -> None:
    response = new_accounts_of(MIN_CUSTOMERS)
    assert response.status_code == 409
    assert "customer" in response.json()["detail"]


def test_new_accounts_from_too_few_customers_say_so_instead_of_ranking() -> None:
    response = new_accounts_of(2)
    assert response.status_code == 200
    items = response.json()["items"]
    assert "Gamma" in {row["name"] for row in items}
    assert {row["fit"] for row in items} == {None}
    assert {row["explanation"] for row in items} == {
        "fit from 2 customers: too few to rank (needs 30)"
    }


def test_nan_and_infinities_in_a_page_are_served_as_null() -> None:
    frame = pl.DataFrame(
        {"score": [float("nan"), float("inf"), 0.5], "factors": [[{"value": float("nan")}]] * 3}
    )
    served = json.dumps(page(frame, limit=10, offset=0).model_dump(mode="json"), allow_nan=False)
    items = json.loads(served)["items"]
    assert [row["score"] for row in items] == [None, None, 0.5]
    assert items[0]["factors"] == [{"value": None}]


def test_the_first_admin_key_is_made_once() -> None:
    store = Store.open(":memory:")
    assert first_admin_key(store) is not None
    assert first_admin_key(store) is None


def test_serve_loads_the_samples_prints_the_admin_key_once_and_starts_uvicorn(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    started: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: started.append(kwargs))
    db = tmp_path / "s.duckdb"
    args = ["serve", "--db", str(db), "--samples", str(SAMPLES), "--port", "8123"]
    first = CliRunner().invoke(cli, args)
    assert first.exit_code == 0, first.output
    assert "ovl_" in first.output and "http://127.0.0.1:8123" in first.output
    assert "curl -H 'Authorization: Bearer ovl_" in first.output
    assert started == [{"host": "127.0.0.1", "port": 8123, "log_level": "warning"}]
    second = CliRunner().invoke(cli, args)
    assert second.exit_code == 0 and "ovl_" not in second.output
    store = Store.open(db)
    assert store.latest_succeeded_run() is not None
    assert len(store.list_versions("vendor")) == 1
    store.close()


def test_the_unknown_partner_population_drills_down_to_the_companies_the_matrix_counts(
    api: Api,
) -> None:
    headers = api.headers("admin")
    matrix = api.client.get("/matrix?partner_id=PRT-004&limit=1000", headers=headers).json()
    counted = {
        (c["vendor_population"], c["partner_population"]): c["companies"] for c in matrix["items"]
    }
    # Brightline's list gives no status; its "SOLENNE STRATEGIC INDUSTRIES FRANCE SAS" is a
    # family match of the vendor's customer "Solenne Strategic Industries Inc.", not counted
    assert counted["customer", "unknown"] == 123
    for (vendor, partner), companies in counted.items():
        drill = api.client.get(
            f"/matrix/PRT-004/drill-down?vendor_population={vendor}"
            f"&partner_population={partner}&limit=1000",
            headers=headers,
        ).json()
        assert len({row["company_id"] for row in drill["items"]}) == companies, (vendor, partner)


def test_the_service_takes_its_populations_from_the_reports() -> None:
    assert get_args(VendorPopulation) == VENDOR_POPULATIONS
    assert get_args(PartnerPopulation) == PARTNER_POPULATIONS
    assert get_args(Status) == schema.STATUSES
