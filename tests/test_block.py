"""Blocking: which records become candidate pairs."""

from __future__ import annotations

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from overlap import schema
from overlap.matching.block import candidate_pairs, promising
from overlap.matching.config import MatchConfig
from overlap.matching.identifiers import without_shared_identifiers
from overlap.matching.pipeline import prepare
from overlap.matching.spelling import (
    in_latin_spelling,
    in_usual_breaks,
    in_usual_spelling,
    singular,
    token_frequencies,
    usual_spellings,
    usual_word_breaks,
)


def pairs_of(
    frame: pl.DataFrame, config: MatchConfig | None = None, *, lists: list[str] | None = None
) -> set[tuple[int, int]]:
    records = prepare(frame)
    idf = token_frequencies(records["usual"])
    found = candidate_pairs(
        records, idf, config or MatchConfig(), lists=None if lists is None else pl.Series(lists)
    )
    return set(zip(found["i"].to_list(), found["j"].to_list(), strict=True))


def test_records_with_the_same_domain_are_candidates(accounts):
    frame = accounts(
        [
            {"name": "Zyxel Networks", "website": "https://www.acme.com"},
            {"name": "Q", "email": "bo@acme.com"},
        ]
    )
    assert pairs_of(frame) == {(0, 1)}


def test_records_with_the_same_core_name_are_candidates(accounts):
    frame = accounts([{"name": "3M"}, {"name": "3M CO"}])
    assert pairs_of(frame) == {(0, 1)}


def test_a_shared_rare_token_makes_candidates_whatever_the_word_order(accounts):
    frame = accounts([{"name": "A. O. Smith"}, {"name": "SMITH A O CORP"}])
    assert pairs_of(frame) == {(0, 1)}


def test_a_one_letter_typo_in_the_rarest_token_still_makes_candidates(accounts):
    frame = accounts([{"name": "Kestrel Logistics"}, {"name": "Kestral Logistics"}])
    assert (0, 1) in pairs_of(frame)


def test_a_one_letter_typo_is_read_in_the_usual_spelling_of_the_word():
    tokens = pl.Series(
        [["kestrel", "foods"], ["kestrel", "logistics"], ["kestral", "logistics"], ["ab"], ["ac"]]
    )
    usual = usual_spellings(token_frequencies(tokens), min_length=5)
    assert_frame_equal(usual, pl.DataFrame({"token": ["kestral"], "usual": ["kestrel"]}))


def test_a_word_split_in_two_or_three_or_words_joined_read_as_most_names_write_them():
    tokens = pl.Series(
        [
            ["shell", "maatschappij"],
            ["unilever", "maatschappij"],
            ["shell", "maats", "chappij"],
            ["blue", "peak"],
            ["blue", "peak", "labs"],
            ["bluepeak"],
            ["glaxo", "smith", "kline"],
            ["glaxosmithkline", "plc"],
            ["glaxosmithkline"],
        ]
    )
    assert usual_word_breaks(tokens, token_frequencies(tokens), min_length=5) == {
        "maats chappij": "maatschappij",
        "bluepeak": "blue peak",
        "glaxo smith kline": "glaxosmithkline",
    }
    assert in_usual_breaks(tokens, min_length=5).to_list() == [
        ["shell", "maatschappij"],
        ["unilever", "maatschappij"],
        ["shell", "maatschappij"],
        ["blue", "peak"],
        ["blue", "peak", "labs"],
        ["blue", "peak"],
        ["glaxosmithkline"],
        ["glaxosmithkline", "plc"],
        ["glaxosmithkline"],
    ]


def test_a_name_in_cyrillic_reads_as_the_latin_spelling_other_names_use():
    names = pl.Series(["Лукойл", "Київстар", "Яндекс Такси", "Lukoil", "Kyivstar", "Yandex"])
    tokens = pl.Series([["lukoyl"], ["kiivstar"], ["yandeks", "taksi"], ["lukoil"]])
    tokens = pl.concat([tokens, pl.Series([["kyivstar"], ["yandex"]])])
    assert in_latin_spelling(tokens, names).to_list() == [
        ["lukoil"], ["kyivstar"], ["yandex", "taksi"], ["lukoil"], ["kyivstar"], ["yandex"],
    ]  # fmt: skip


def test_names_in_latin_letters_keep_their_spelling():
    tokens = pl.Series([["lukoyl"], ["lukoil"]])
    assert in_latin_spelling(tokens, pl.Series(["Lukoyl", "Lukoil"])).equals(tokens)


def test_a_word_is_read_as_a_typo_only_of_a_word_many_more_names_use():
    words = ["fenavia"] * 2 + ["genavia"] * 3 + ["genavla"]
    tokens = pl.Series([[word, str(n)] for n, word in enumerate(words)])  # six distinct names
    assert in_usual_spelling(tokens, min_length=5, ratio=3.0).to_list() == [
        ["fenavia", "0"],
        ["fenavia", "1"],
        ["genavia", "2"],
        ["genavia", "3"],
        ["genavia", "4"],
        ["genavia", "5"],
    ]


@pytest.mark.parametrize(
    ("plural", "singular_names", "usual"),
    [(1, 1, "technology"), (3, 1, "technologies"), (1, 2, "technology")],
)
def test_a_word_in_the_plural_is_the_same_word_not_a_typo(plural, singular_names, usual):
    # "Technologies" is not one edit from "Technology", and as many names may use each:
    # the form more names use wins however few more, the singular when as many use each
    words = ["technologies"] * plural + ["technology"] * singular_names + ["bluepeak"]
    tokens = pl.Series([[word, str(n)] for n, word in enumerate(words)])
    spelt = [name[0] for name in in_usual_spelling(tokens, min_length=5, ratio=3.0).to_list()]
    assert spelt == [usual] * (plural + singular_names) + ["bluepeak"]


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("helix technologies", "helix technology"),
        ("acme systems labs", "acme system lab"),
        ("toys brothers", "toy brother"),
        # not after a, i, o, s or u, nor a word of three letters
        ("texas analysis kudos glass campus bus", "texas analysis kudos glass campus bus"),
    ],
)
def test_words_read_in_the_singular(words, expected):
    assert pl.select(singular(pl.lit(words))).item() == expected


@pytest.mark.parametrize(("written_out", "folded", "usual"), [(4, 1, "mueller"), (1, 1, "muller")])
def test_an_umlaut_written_out_is_not_a_typo_but_the_same_letter(written_out, folded, usual):
    # "Müller" folds to "muller", "Mueller" writes the umlaut out: the spelling more
    # names use wins however few more, and the folded one when as many use each
    words = ["mueller"] * written_out + ["muller"] * folded + ["bluepeak"]
    tokens = pl.Series([[word, str(n)] for n, word in enumerate(words)])
    spelt = [name[0] for name in in_usual_spelling(tokens, min_length=5, ratio=3.0).to_list()]
    assert spelt == [usual] * (written_out + folded) + ["bluepeak"]


def test_a_common_word_is_never_read_as_a_typo_of_another():
    names = [["western", f"w{k}"] for k in range(9)] + [["eastern", "academy"], ["westren"]]
    usual = usual_spellings(token_frequencies(pl.Series(names)), min_length=5, ratio=3.0)
    assert dict(zip(usual["token"], usual["usual"], strict=True)) == {"westren": "western"}


def test_a_word_common_in_company_names_weighs_little_even_in_a_short_list():
    idf = token_frequencies(pl.Series([["sony", "group"], ["tencent", "holdings"], ["acme"]]))
    rarity = dict(zip(idf["token"], idf["idf"], strict=True))
    assert rarity["group"] == rarity["holdings"] < rarity["sony"]
    assert rarity["sony"] == rarity["tencent"] == rarity["acme"]
    # ... while how many of the list's names hold a word is counted as it is
    assert dict(zip(idf["token"], idf["df"], strict=True))["group"] == 1


def test_a_typo_still_makes_candidates_when_the_other_words_are_too_common(accounts):
    frame = accounts(
        [{"name": f"Acme {word}"} for word in ("Kestrel", "Kestral", "Bluepeak", "Marlowe")]
    )
    assert pairs_of(frame, MatchConfig(max_block_size=2)) == {(0, 1)}


def test_a_word_held_by_too_many_names_makes_no_candidates(accounts):
    frame = accounts([{"name": f"Global {word}"} for word in ("Alpha", "Beta", "Gamma")])
    assert pairs_of(frame) == {(0, 1), (0, 2), (1, 2)}
    assert pairs_of(frame, MatchConfig(max_block_size=2)) == set()


def test_two_words_meet_the_same_words_written_as_one(accounts):
    frame = accounts([{"name": "Blue Peak Group"}, {"name": "Bluepeak Analytics"}])
    assert pairs_of(frame) == {(0, 1)}


def test_records_of_one_list_are_paired_on_exact_keys_only(accounts):
    frame = accounts(
        [
            {"name": "Bluepeak Analytics", "phone": "555 0100"},
            {"name": "Bluepeak Consulting", "phone": "555 0100"},
            {"name": "Bluepeak Advisory"},
            {"name": "Bluepeak Partners"},
        ]
    )
    everything = {(i, j) for i in range(4) for j in range(i + 1, 4)}
    assert pairs_of(frame) == everything
    lists = ["vendor", "vendor", "partner", "partner"]
    assert pairs_of(frame, lists=lists) == everything - {(2, 3)}


def test_the_same_street_address_makes_candidates_within_its_postal_code(accounts):
    place = {"address": "4647 W Washington Blvd", "city": "Chicago"}
    frame = accounts(
        [
            {"name": "Home of Life", **place, "postal_code": "60644"},
            {"name": "Community Development Corp", **place, "postal_code": "60644"},
            {"name": "Zyxel Networks", **place, "postal_code": "60612"},
        ]
    )
    assert pairs_of(frame) == {(0, 1)}


def test_an_address_without_postal_code_meets_the_same_address_with_one_in_its_city(accounts):
    place = {"address": "4647 W Washington Blvd", "postal_code": "60644"}
    frame = accounts(
        [
            {"name": "Home of Life", **place, "city": "Chicago"},
            {
                "name": "Community Development Corp",
                "address": "4647 W Washington",
                "city": "Chicago",
            },
            {"name": "Zyxel Networks", **place, "city": "Springfield", "postal_code": "62701"},
            {"name": "Quorra Foods", "address": "4647 W Washington"},
        ]
    )
    # the records without postal code also meet each other, as before
    assert pairs_of(frame) == {(0, 1), (1, 3)}


@pytest.mark.parametrize(
    ("short", "long"),
    [("IBM", "International Business Machines Corp."), ("P&G", "Procter & Gamble Co")],
)
def test_an_acronym_meets_the_name_it_stands_for_and_is_compared(accounts, short, long):
    frame = accounts([{"name": short}, {"name": long}, {"name": "Zyxel Networks"}])
    assert pairs_of(frame) == {(0, 1)}
    records = prepare(frame)
    config = MatchConfig()
    pairs = candidate_pairs(records, token_frequencies(records["usual"]), config)
    assert promising(records, pairs, config)[["i", "j"]].rows() == [(0, 1)]


def test_unrelated_names_are_not_candidates(accounts):
    frame = accounts([{"name": "Kestrel Logistics"}, {"name": "Bluepeak Analytics"}])
    assert pairs_of(frame) == set()


def test_in_a_block_too_large_to_pair_all_records_neighbours_in_name_order_are_paired(accounts):
    frame = accounts([{"name": f"Holdings {word}", "phone": "555 0100"} for word in "fbdeca"])
    assert len(pairs_of(frame, MatchConfig(max_block_size=6))) == 15
    # a..f sorted by name are rows 5, 1, 4, 2, 3, 0: each pairs with the next one only
    neighbours = pairs_of(frame, MatchConfig(max_block_size=5, window=1))
    assert neighbours == {(1, 5), (1, 4), (2, 4), (2, 3), (0, 3)}


def test_in_a_block_too_large_to_pair_all_records_one_name_is_chained(accounts):
    names = ["Holdings F", "Holdings F", "Holdings B", "Holdings D"]
    frame = accounts([{"name": name, "phone": "555 0100"} for name in names])
    # in name order: B (2), D (3), F (0), F (1); each name meets the next, F's records chain
    assert pairs_of(frame, MatchConfig(max_block_size=3, window=1)) == {(2, 3), (0, 3), (0, 1)}


def test_each_record_keeps_at_most_max_candidates_of_its_own(accounts):
    frame = accounts([{"name": f"Acme {n}", "phone": "555 0100"} for n in range(8)])
    found = pairs_of(frame, MatchConfig(max_candidates=2))
    assert len(found) <= 2 * 8 < 28


def test_pairs_sharing_a_strong_key_are_compared_however_many_a_record_has(accounts):
    names = ["Zyxel Networks", "Quorra Foods", "Marlowe Pharma", "Bluepeak Analytics"]
    frame = accounts([{"name": name, "phone": "555 0100"} for name in names])
    records = prepare(frame)
    config = MatchConfig(max_compared=1)
    pairs = candidate_pairs(records, token_frequencies(records["usual"]), config)
    assert len(promising(records, pairs, config)) == 6


def test_a_domain_unlike_companies_share_identifies_none_of_them(accounts):
    # a reseller's e-mail domain on its accounts; one company's offices on its own domain
    resold = ["Kestrel Foods", "Bluepeak Analytics", "Quorra Roofing", "Marlowe Dental"]
    offices = ["Acme Corp - Boston", "ACME Inc", "Acme Corp - Denver"]
    records = prepare(
        accounts(
            [{"name": name, "email": "rep@resellerco.com"} for name in resold]
            + [{"name": name, "website": "acme.com"} for name in offices]
        )
    )
    kept = without_shared_identifiers(records, max_names=3, max_tenants=30)
    assert kept[schema.DOMAIN].to_list() == [None] * 4 + ["acme.com"] * 3


def test_a_mailbox_provider_is_the_website_of_none_but_the_provider(accounts):
    rows = [
        {"name": "Kestrel Bakery", "website": "gmail.com"},
        {"name": "Kestrel Roofing", "website": "www.gmail.com"},
        {"name": "Yahoo Inc", "website": "yahoo.com"},
        {"name": "Quorra Dental", "website": "yahoo.com"},
    ]
    kept = without_shared_identifiers(prepare(accounts(rows)), max_names=5, max_tenants=30)
    assert kept[schema.DOMAIN].to_list() == [None, None, "yahoo.com", None]


def test_an_address_identifies_its_tenants_until_more_than_a_building_holds(accounts):
    tenants = ["Kestrel Foods", "Bluepeak Analytics", "Quorra Roofing"]
    place = {"address": "350 5th Ave", "postal_code": "10118", "city": "New York"}
    records = prepare(accounts([{"name": name, **place} for name in tenants]))
    building = without_shared_identifiers(records, max_names=2, max_tenants=3)
    agent = without_shared_identifiers(records, max_names=2, max_tenants=2)
    assert building[schema.ADDRESS_NORM].to_list() == ["350 5th ave"] * 3
    assert agent[schema.ADDRESS_NORM].to_list() == [None] * 3


def test_a_phone_is_shared_on_its_last_seven_digits_and_an_address_within_its_town(accounts):
    rows = [
        {
            "name": "Quorra Foods",
            "phone": "+1 512 555 0142",
            "address": "12 Main St",
            "city": "Austin",
        },
        {"name": "Bluepeak", "phone": "(512) 555-0142", "address": "12 Main St", "city": "Boston"},
        {"name": "Kestrel", "phone": "555-0142", "address": "12 Main St", "city": "Denver"},
    ]
    kept = without_shared_identifiers(prepare(accounts(rows)), max_names=2, max_tenants=2)
    assert kept[schema.PHONE_NORM].to_list() == [None, None, None]
    assert kept[schema.ADDRESS_NORM].to_list() == ["12 main st"] * 3
