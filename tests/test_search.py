"""Account search: the accounts a person means by a name typed loosely, best first."""

from __future__ import annotations

import polars as pl
import pytest

from overlap.ecosystem.recommend import Recommender
from overlap.ecosystem.search import AccountSearch, first_is_clear, search_accounts
from overlap.errors import InputError
from rank_world import partner, world

GULF_COAST = [
    "Gulf Coast Advisors LLC",
    "Gulf Coast Computing LLC",
    "Gulf Coast Devices LLC",
    "Gulf Coast Shipping",
]
NAMES = ["Apple Inc.", "Applied Materials, Inc.", *GULF_COAST, "Lionwind", "Lionwind Advanced"]
ACCOUNTS = pl.DataFrame(
    {
        "id": [f"v{n}" for n in range(1, len(NAMES) + 1)],
        "name": NAMES,
        "status": "prospect",
        "company_id": [f"c{n}" for n in range(1, len(NAMES) + 1)],
        "owner": "vendor",
    }
)


def names(query: str) -> list[str]:
    return search_accounts(ACCOUNTS, query)["name"].to_list()


def test_apple_finds_apple_inc_first_as_legal_forms_do_not_count() -> None:
    found = search_accounts(ACCOUNTS, "Apple")
    assert found.row(0, named=True) == {
        "id": "v1",
        "name": "Apple Inc.",
        "status": "prospect",
        "company_id": "c1",
        "owner": "vendor",
        "score": 100.0,
    }
    assert names("apple, INC")[0] == "Apple Inc."


def test_a_typo_is_forgiven_aple_finds_apple_inc() -> None:
    assert names("Aple")[0] == "Apple Inc."


def test_gulf_coast_finds_gulf_coast_computing_among_the_gulf_coast_firms() -> None:
    found = names("Gulf Coast")
    assert "Gulf Coast Computing LLC" in found
    assert found[: len(GULF_COAST)] == GULF_COAST  # equal scores, in name order


def test_a_misspelt_full_name_finds_its_account_first() -> None:
    found = search_accounts(ACCOUNTS, "Gulf Cost Computing")
    assert found["name"][0] == "Gulf Coast Computing LLC"
    assert found["score"][0] > found["score"][1]


def test_suggestions_are_ranked_exact_then_word_prefix_then_typo() -> None:
    accounts = ACCOUNTS.head(0).vstack(
        pl.DataFrame(
            {
                "id": ["a", "b", "c", "d"],
                "name": ["Gulf Coastal Ltd", "Gulf Coast Shipping", "Gulf Coast", "Golf Coast"],
                "status": "prospect",
                "company_id": ["a", "b", "c", "d"],
                "owner": "vendor",
            }
        )
    )
    found = search_accounts(accounts, "Gulf Coast")
    assert found["name"].to_list() == [
        "Gulf Coast",
        "Gulf Coast Shipping",
        "Gulf Coastal Ltd",
        "Golf Coast",
    ]
    assert found["score"].to_list() == [100.0, 95.0, 90.9, 90.0]


def test_a_name_missing_a_word_of_the_query_ranks_below_one_with_a_typo() -> None:
    assert names("Lionwind Advancd")[:2] == ["Lionwind Advanced", "Lionwind"]


def test_words_run_together_still_find_the_name() -> None:
    assert "Gulf Coast Computing LLC" in names("gulfcoast computing")


def test_nothing_alike_gives_no_suggestions_in_the_same_columns() -> None:
    found = search_accounts(ACCOUNTS, "zzzzqqqq xxyy")
    assert found.is_empty()
    assert found.columns == [*ACCOUNTS.columns, "score"]


def test_the_search_can_keep_some_list_owners_only() -> None:
    accounts = ACCOUNTS.with_columns(
        pl.when(pl.col("name").str.contains("Computing"))
        .then(pl.lit("PRT-001"))
        .otherwise("owner")
        .alias("owner")
    )
    index = AccountSearch().fit(accounts)
    assert "Gulf Coast Computing LLC" not in index.search("Gulf Coast", owners={"vendor"})["name"]
    kept = index.search("Gulf Coast", owners={"PRT-001"})
    assert kept["name"].to_list() == ["Gulf Coast Computing LLC"]


@pytest.mark.parametrize(
    ("query", "clear"),
    [("Apple", True), ("Aple", True), ("Gulf Cost Computing", True), ("Gulf Coast", False)],
)
def test_the_first_suggestion_is_clear_only_when_it_leads_every_other_company(
    query: str, clear: bool
) -> None:
    assert first_is_clear(search_accounts(ACCOUNTS, query)) is clear


def test_two_records_of_one_company_do_not_make_it_unclear() -> None:
    accounts = ACCOUNTS.with_columns(pl.lit("same").alias("company_id"))
    assert first_is_clear(search_accounts(accounts, "Gulf Coast"))


# --- the recommender's account lookup ------------------------------------------------


def recommender() -> Recommender:
    vendor = [{"id": f"v{n}", "name": name, "company": f"c{n}"} for n, name in enumerate(NAMES, 1)]
    return Recommender().fit(world(vendor, {"A": []}, [partner("A")]))


def test_recommend_takes_the_clearly_closest_account_and_says_which() -> None:
    found = recommender()
    code, suggestions = found.resolve("Aple")
    assert code == found.lookup("v1")
    assert suggestions["name"][0] == "Apple Inc."
    assert found.resolve("Gulf Cost Computing")[0] == found.lookup("Gulf Coast Computing LLC")


def test_an_account_named_as_written_needs_no_suggestions() -> None:
    code, suggestions = recommender().resolve("v2")
    assert code is not None and suggestions.is_empty()


def test_recommend_lists_the_closest_accounts_when_none_is_clear() -> None:
    found = recommender()
    code, suggestions = found.resolve("Gulf Coast")
    assert code is None
    assert suggestions["name"].to_list()[: len(GULF_COAST)] == GULF_COAST
    with pytest.raises(
        InputError, match="did you mean: Gulf Coast Advisors LLC; Gulf Coast Computing"
    ):
        found.locate("Gulf Coast")


def test_a_word_in_most_names_ranks_the_names_the_rarer_words_find_and_alone_finds_them_all() -> (
    None
):
    many = [f"Contoso Systems {n}" for n in range(40)]
    names = ["Northwind Systems", "Northwind Traders", *many, "Systemz Northwnd"]
    accounts = pl.DataFrame({"id": [str(n) for n in range(len(names))], "name": names})
    found = search_accounts(accounts, "Northwind Systems", limit=None)["name"].to_list()
    assert found == ["Northwind Systems", "Systemz Northwnd", "Northwind Traders"]
    alone = search_accounts(accounts, "Systems", limit=None)["name"].to_list()
    assert set(many) <= set(alone) and "Northwind Systems" in alone


SUGGESTED = pl.DataFrame(
    {
        "id": ["v1", "v2", "v3", "p1", "p2", "v4"],
        "name": [
            "Gulf Coast Advisors",
            "Gulf Coast Computing",
            "Gulfport Marine",
            "x",
            "y",
            "Apple",
        ],
        "company_id": ["c1", "c2", "c3", "c2", "c2", "c4"],
        "owner": ["vendor", "vendor", "vendor", "PRT-001", "PRT-002", "vendor"],
    }
).with_columns(
    # the partners' records of Gulf Coast Computing under their own spelling
    name=pl.when(pl.col("owner") == "vendor").then("name").otherwise(pl.lit("Gulf Coast Comp."))
)


def suggested(query: str, limit: int = 10, owners: set[str] | None = None) -> list[str]:
    found = AccountSearch().fit(SUGGESTED).suggest(query, limit=limit, owners=owners)
    return found["id"].to_list()


def test_suggestions_are_the_names_a_query_starts_the_most_listed_company_first() -> None:
    # Gulf Coast Computing is on three lists, under two spellings; each in core order
    assert suggested("Gulf", limit=4) == ["p1", "p2", "v2", "v1"]
    assert suggested("gulf coast comp", limit=3) == ["p1", "p2", "v2"]


def test_too_few_names_starting_with_the_query_are_followed_by_the_search_s_best() -> None:
    assert suggested("Gulfport")[0] == "v3"
    assert suggested("Aple") == ["v4"]  # a typo: no name starts with it


def test_suggestions_keep_the_list_owners_asked_for() -> None:
    assert suggested("Gulf", owners={"vendor"}) == ["v2", "v1", "v3"]


def test_a_prefix_of_more_names_than_are_ranked_one_by_one_suggests_the_same(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    expected = suggested("Gulf", limit=4)
    monkeypatch.setattr("overlap.ecosystem.search.RANGE", 1)
    monkeypatch.setattr("overlap.ecosystem.search.STEP", 2)
    assert suggested("Gulf", limit=4) == expected
    assert suggested("Gulf", owners={"vendor"}) == ["v2", "v1", "v3"]
