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


def suggest(api: Api, query: str, who: str = "admin", limit: int = 10) -> list[dict[str, Any]]:
    response = api.client.get(
        "/accounts/suggest", params={"q": query, "limit": limit}, headers=api.headers(who)
    )
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def test_suggestions_are_first_the_records_whose_names_start_with_what_is_typed(
    api: Api,
) -> None:
    names = [item["name"] for item in suggest(api, "Gulf Coast C", limit=5)]
    # three names start so; two names like them follow
    starting = [name.startswith("Gulf Coast C") for name in names]
    assert starting == [True, True, True, False, False]


def test_the_most_listed_company_is_suggested_first(api: Api) -> None:
    items = suggest(api, "Gulf Coast", limit=3)
    # Gulf Coast Advisors is on three lists
    assert len({item["company_id"] for item in items}) == 1


def test_a_misspelt_beginning_still_suggests_the_name(api: Api) -> None:
    names = [item["name"] for item in suggest(api, "Gulf Cost Computng")]
    assert "Gulf Coast Computing LLC" in names


def test_a_partner_key_is_suggested_only_what_it_may_see(api: Api) -> None:
    items = suggest(api, "Gulf Coast", who="own")
    assert items
    assert {item["owner"] for item in items} == {"PRT-001"}
