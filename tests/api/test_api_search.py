"""`GET /accounts?q=`: records ranked by how like q their names are, through the sharing layer."""

from __future__ import annotations

from typing import Any

import pytest
from api_world import Api


def search(api: Api, query: str, who: str = "admin") -> dict[str, Any]:
    response = api.client.get(
        "/accounts", params={"q": query, "limit": 1000}, headers=api.headers(who)
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.fixture(scope="module", autouse=True)
def partner_without_names(api: Api) -> None:
    """PRT-005 shows the vendor's sales team its customers, but not their names."""
    partner = api.store.partner("PRT-005")
    assert partner is not None
    sharing = {"partner_to_vendor": {"customer": "all"}, "shared_fields": ["country"]}
    api.store.put_partner({**partner, "sharing": sharing})


def test_search_ranks_a_misspelt_name_first_with_scores_best_first(api: Api) -> None:
    items = search(api, "Gulf Cost Computing")["items"]
    assert (items[0]["owner"], items[0]["name"]) == ("vendor", "Gulf Coast Computing LLC")
    scores = [item["score"] for item in items]
    assert scores == sorted(scores, reverse=True)


def test_gulf_coast_finds_gulf_coast_computing(api: Api) -> None:
    names = [item["name"] for item in search(api, "Gulf Coast")["items"]]
    assert "Gulf Coast Computing LLC" in names


def test_a_partner_key_finds_its_own_records_and_nothing_it_may_not_see(api: Api) -> None:
    body = search(api, "Gulf Coast Comunications", who="own")
    assert body["items"][0]["name"] == "Gulf Coast Communications Partners"
    # PRT-001 shares nothing of the vendor's beyond counts by default: only its own records
    assert {item["owner"] for item in body["items"]} == {"PRT-001"}
    assert all(item["company_id"] is None for item in body["items"])
    admin = search(api, "Gulf Coast Comunications")["items"]
    assert {item["owner"] for item in admin} > {"PRT-001"}


def test_sales_sees_no_score_of_a_name_the_partner_does_not_share(api: Api) -> None:
    items = search(api, "Gulf Coast", who="sales")["items"]
    hidden = [item for item in items if item["owner"] == "PRT-005"]
    assert hidden, "PRT-005 lists a Gulf Coast customer"
    assert all(item["name"] is None and item["score"] is None for item in hidden)
    assert all(item["score"] is not None for item in items if item["owner"] == "vendor")
