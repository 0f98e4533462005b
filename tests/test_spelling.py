"""Spelling: each record's name tokens as most names of the lists write them."""

from __future__ import annotations

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from overlap.matching.spelling import (
    in_latin_spelling,
    in_usual_breaks,
    in_usual_spelling,
    singular,
    token_frequencies,
    usual_spellings,
    usual_word_breaks,
)


def test_a_one_letter_typo_is_read_in_the_usual_spelling_of_the_word():
    tokens = pl.Series(
        [["kestrel", "foods"], ["kestrel", "logistics"], ["kestral", "logistics"], ["ab"], ["ac"]]
    )
    usual = usual_spellings(token_frequencies(tokens), min_length=5)
    expected = {"token": ["kestral"], "usual": ["kestrel"], "variant": [False]}
    assert_frame_equal(usual, pl.DataFrame(expected))


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
    tokens = pl.Series([[word, "kestrel", str(n)] for n, word in enumerate(words)])
    spelt = in_usual_spelling(tokens, min_length=5, ratio=3.0).to_list()  # six distinct names
    assert [name[0] for name in spelt] == ["fenavia"] * 2 + ["genavia"] * 4


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
    # how common each is, the real background list of names says ("holdings" more than "group")
    assert rarity["holdings"] < rarity["group"] < rarity["sony"] == rarity["tencent"]
    assert rarity["sony"] == rarity["tencent"] == rarity["acme"]
    # ... while how many of the list's names hold a word is counted as it is
    assert dict(zip(idf["token"], idf["df"], strict=True))["group"] == 1


def test_a_word_two_lists_write_alike_is_no_typo_of_a_more_common_one():
    # many names say "china"; "cigna" and "ciena", one edit from it, are each written so in
    # both lists: two companies, not two misspellings
    names = [["china", "merchants", f"c{k}"] for k in range(9)]
    names += [["cigna", "merchants"], ["cigna", "merchants"], ["ciena", "merchants"]]
    names += [["ciena", "merchants"], ["chxna", "merchants"]]
    lists = pl.Series(["a"] * 9 + ["a", "b", "a", "b", "b"])
    spelt = in_usual_spelling(pl.Series(names), min_length=5, ratio=3.0, lists=lists).to_list()
    assert [name[0] for name in spelt[9:]] == ["cigna", "cigna", "ciena", "ciena", "china"]
    alone = in_usual_spelling(pl.Series(names), min_length=5, ratio=3.0).to_list()
    assert [name[0] for name in alone[9:]] == ["china"] * 5


def test_a_one_word_name_an_edit_from_a_more_common_word_is_no_typo_of_it():
    # a registry's "Mitachi" beside "Hitachi" and its group: two companies, not a typo
    tokens = pl.Series([["hitachi", w] for w in ("metals", "cable", "chemical")] + [["mitachi"]])
    spelt = in_usual_spelling(tokens, min_length=5, ratio=3.0).to_list()
    assert spelt[-1] == ["mitachi"]


def test_a_typo_is_read_only_in_a_name_holding_a_distinctive_word_besides():
    tokens = pl.Series([["kestrel", "logistics"]] * 3 + [["kestral", "logistics"]])
    generic = {"logistic"}
    spelt = in_usual_spelling(tokens, min_length=5, ratio=3.0, generic=generic).to_list()
    assert spelt[-1] == ["kestral", "logistics"]  # nothing but a generic word besides
    spelt = in_usual_spelling(tokens, min_length=5, ratio=3.0).to_list()
    assert spelt[-1] == ["kestrel", "logistics"]


def test_an_umlaut_written_out_is_read_in_a_word_one_letter_short_of_the_typo_length():
    tokens = pl.Series([["durr"], ["duerr"], ["hannover", "ruck"], ["hannover", "rueck"]])
    lists = pl.Series(["a", "b", "a", "b"])
    spelt = in_usual_spelling(tokens, min_length=5, ratio=3.0, lists=lists).to_list()
    assert spelt == [["durr"], ["durr"], ["hannover", "ruck"], ["hannover", "ruck"]]


def test_the_spelling_most_records_write_is_the_usual_one_however_few_names_hold_it():
    # one list: two hundred duplicates write "akzo nobel", six "akzo novel"
    tokens = pl.Series([["akzo", "nobel"]] * 200 + [["akzo", "nobel", "chemicals"]])
    tokens = pl.concat([tokens, pl.Series([["akzo", "novel"]] * 6)])
    spelt = in_usual_spelling(tokens, min_length=5, ratio=3.0).to_list()
    assert spelt[-1] == ["akzo", "nobel"]
