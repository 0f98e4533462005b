"""Issue 21, defects 2 and 4: what a key learns of the other side stays within its rules.

Counts are aggregates only: a query narrowed by a text search or to one account is never
counted. A sales key is never offered a partner that hides or only counts a population,
listed or not. A partner's scorecard and the matrix's amounts go through the sharing layer.
"""

from __future__ import annotations

from collections.abc import Iterator

import polars as pl
import pytest
from sample_world import World, every, sample_world

from overlap.api.sharing import SCORECARD_COUNTS, SCORECARD_IDENTITY


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    world = sample_world()
    yield world
    world.store.close()


def _companies(world: World, owner: str) -> set[str]:
    companies = world.store.companies()
    return set(companies.filter(pl.col("owner") == owner)["company_id"].to_list())


def test_a_search_narrowed_to_one_name_tells_a_partner_nothing_of_the_vendors_list(
    world: World,
) -> None:
    world.share("PRT-001", vendor_to_partner=every("counts"))
    real = world.get("PRT-001", "/accounts", q="gulf coast computing")
    made_up = world.get("PRT-001", "/accounts", q="qzxv wobblethorpe")
    assert real["counts"] == made_up["counts"] == []
    assert all(item["owner"] == "PRT-001" for item in real["items"])


def test_a_search_narrowed_by_name_answers_sales_no_counts_of_partners_lists(
    world: World,
) -> None:
    world.share("PRT-002", partner_to_vendor=every("counts"))
    assert world.get("sales", "/accounts", q="gulf coast")["counts"] == []


@pytest.mark.parametrize("level", ["hidden", "counts"])
def test_a_partner_that_hides_or_only_counts_a_population_is_never_offered_to_sales(
    world: World, level: str
) -> None:
    world.share("PRT-002", partner_to_vendor={**every("all"), "prospect": level})
    world.share("PRT-001", partner_to_vendor=every("overlap"))
    vendor = _companies(world, "vendor")
    listed = sorted(vendor & _companies(world, "PRT-002"))[0]
    unlisted = sorted(vendor - _companies(world, "PRT-002"))[0]
    for company in (listed, unlisted):
        answer = world.get("sales", f"/accounts/{company}/partners", k=50)
        partners = [item["partner_id"] for item in answer["items"]]
        assert "PRT-002" not in partners
        assert "PRT-001" in partners  # shown at overlap, listed or not
        assert [item["rank"] for item in answer["items"]] == list(range(1, len(partners) + 1))
        assert answer["counts"] == []


def test_admin_is_offered_every_partner_whatever_the_rules(world: World) -> None:
    world.share("PRT-002", partner_to_vendor=every("hidden"))
    company = sorted(_companies(world, "vendor"))[0]
    partners = {
        i["partner_id"] for i in world.get("admin", f"/accounts/{company}/partners", k=50)["items"]
    }
    assert "PRT-002" in partners


MONEY_AND_RATES = {
    "overlap_pipeline",
    "sourced_pipeline",
    "influenced_pipeline",
    "win_rate_with",
    "win_rate_without",
    "avg_deal_size_with",
    "avg_deal_size_without",
}

# the vendor's levels for PRT-001 -> the scorecard fields PRT-001's key may see
SCORECARD_CASES = [
    (every("hidden"), SCORECARD_IDENTITY),
    ({**every("all"), "prospect": "hidden"}, SCORECARD_IDENTITY),
    (every("counts"), SCORECARD_IDENTITY | SCORECARD_COUNTS),
    ({**every("all"), "opportunity": "overlap"}, SCORECARD_IDENTITY | SCORECARD_COUNTS),
    (every("all"), None),  # everything
]


@pytest.mark.parametrize(("levels", "shown"), SCORECARD_CASES)
def test_a_partners_scorecard_shows_only_the_fields_its_least_shared_population_allows(
    world: World, levels: dict[str, str], shown: frozenset[str] | None
) -> None:
    world.share("PRT-001", vendor_to_partner=levels)
    card = world.get("PRT-001", "/partners/PRT-001/scorecard")
    staff = world.get("admin", "/partners/PRT-001/scorecard")
    assert card.keys() == staff.keys()
    for field, value in card.items():
        expected = staff[field] if shown is None or field in shown else None
        assert value == expected, field
    if shown is not None:
        assert not MONEY_AND_RATES & {f for f, v in card.items() if v is not None}
    assert staff["overlap_pipeline"] > 0 and staff["overlap_companies"] > 0


@pytest.mark.parametrize(
    ("level", "cells", "amounts"), [("hidden", 0, False), ("counts", 12, False), ("all", 12, True)]
)
def test_a_partners_matrix_shows_the_vendors_pipeline_only_where_it_is_shared_in_full(
    world: World, level: str, cells: int, amounts: bool
) -> None:
    world.share("PRT-001", vendor_to_partner=every(level))
    items = world.get("PRT-001", "/matrix")["items"]
    assert len(items) == cells
    pipeline = [item["open_pipeline"] for item in items]
    assert any(p for p in pipeline) if amounts else all(p is None for p in pipeline)
    staff = world.get("admin", "/matrix", partner_id="PRT-001")["items"]
    if cells:
        assert [item["companies"] for item in items] == [item["companies"] for item in staff]
