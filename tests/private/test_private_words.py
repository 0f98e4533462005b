from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest

from overlap import schema
from overlap.errors import ConfigError
from overlap.private import word_keys
from overlap.private.bloom import Encoding
from overlap.private.compare import LEFT, RIGHT, best_of, candidates, dice, shared_words
from overlap.private.files import FORMAT, read_encodings, write_encodings
from overlap.private.keys import normalised

sys.path.insert(0, str(Path(__file__).parents[2] / "bench"))

from clk_builders import SECRET, Accounts, encode_rows

from frequency_attack import word_hit_rate


def _sent(accounts: Accounts, names: list[str], **settings: Any) -> dict[int, list[str]]:
    sent = word_keys.words(normalised(accounts([{"name": n} for n in names])), **settings)
    return {r: g[word_keys.WORD].to_list() for (r,), g in sent.group_by(word_keys.ROW)}


def test_a_name_sends_its_first_word_then_its_rarest_and_never_a_generic_one(
    accounts: Accounts,
) -> None:
    names = ["Cisco Systems", "Apple Hospitality Reit", "Apple", "Acme Group"]
    sent = _sent(accounts, names)
    assert sent[0] == ["cisco"]  # "systems" is generic in company names at large
    assert sent[1][0] == "apple" and sorted(sent[1][1:]) == ["hospitality", "reit"]
    assert sent[3] == ["acme"]


def test_a_word_more_accounts_hold_than_the_cap_is_never_sent(accounts: Accounts) -> None:
    names = [f"Zenith {w}" for w in ("Alpha", "Bravo", "Charlie", "Delta")]
    sent = _sent(accounts, names, max_holders=3)
    assert [sent[r] for r in range(4)] == [["alpha"], ["bravo"], ["charlie"], ["delta"]]
    assert _sent(accounts, names, max_holders=4)[0][0] == "zenith"


def test_held_back_counts_the_generic_and_the_common_words_of_a_name(accounts: Accounts) -> None:
    records = normalised(accounts([{"name": f"Zenith {w} Systems"} for w in ("Alpha", "Bravo")]))
    assert word_keys.held_back(records, max_holders=1).tolist() == [[1, 1], [1, 1]]


def test_a_brand_meets_its_longer_registered_name_through_a_keyed_word(
    accounts: Accounts,
) -> None:
    ours = encode_rows(accounts, [{"name": "Cisco"}, {"name": "Oracle"}])
    theirs = encode_rows(accounts, [{"name": "CISCO SYSTEMS, INC."}, {"name": "Apple Inc"}])
    pairs = candidates(ours, theirs).sort(LEFT, RIGHT)
    assert (0, 0) in pairs.rows()
    shared = shared_words(ours, theirs, pl.DataFrame({LEFT: [0, 1], RIGHT: [0, 0]}))
    assert shared.tolist() == [[1.0, 1.0], [0.0, 0.0]]


def test_keyed_words_differ_under_another_secret_and_in_another_country(
    accounts: Accounts,
) -> None:
    rows = [{"name": "Cisco", "country": "US"}, {"name": "Cisco", "country": "FR"}]
    records = normalised(accounts(rows))
    keys = word_keys.keys(records, SECRET, schema.COUNTRY_CODE)
    assert keys[0, 0] != keys[1, 0] and keys[0, 0] > 0 and keys[0, 1:].tolist() == [0, 0]
    other = word_keys.keys(records, b"another secret of many bytes!!", schema.COUNTRY_CODE)
    assert other[0, 0] != keys[0, 0]


def test_the_street_is_a_filter_apart_from_the_city(accounts: Accounts) -> None:
    site = {"name": "Hope Centers", "city": "Chicago", "postal_code": "60601"}
    rows = [{**site, "address": "100 North Main Street"}]
    theirs = [{**site, "address": "100 North Main Street"}, {**site, "address": "9 Oak Avenue"}]
    ours, other = encode_rows(accounts, rows, flip=0.0), encode_rows(accounts, theirs, flip=0.0)
    fields = [f.name for f in ours.encoding.fields]
    similar = dice(ours, other, pl.DataFrame({LEFT: [0, 0], RIGHT: [0, 1]}))
    street, place = fields.index("street"), fields.index("place")
    assert similar[:, place].tolist() == [1.0, 1.0]
    assert similar[0, street] == 1.0 and similar[1, street] < 0.7


def test_the_closest_candidate_of_each_record_is_marked_best() -> None:
    pairs = pl.DataFrame({LEFT: [0, 0, 0, 1], RIGHT: [0, 1, 2, 2]})
    best = best_of(pairs, np.array([0.9, 0.88, 0.5, 0.7]), within=0.05)
    assert best.tolist() == [[True, True], [True, True], [False, False], [True, True]]


def test_keyed_words_survive_their_file(accounts: Accounts, tmp_path: Path) -> None:
    encoded = encode_rows(accounts, [{"id": "a", "name": "Cisco Systems"}, {"id": "b"}])
    write_encodings(encoded, tmp_path / "a.clk.jsonl")
    back = read_encodings(tmp_path / "a.clk.jsonl")
    assert np.array_equal(back.words, encoded.words)
    assert np.array_equal(back.held_back, encoded.held_back)


def test_a_file_of_an_older_encoding_asks_to_encode_again(tmp_path: Path) -> None:
    old = tmp_path / "old.clk.jsonl"
    old.write_text(json.dumps({"format": "overlap-clk-v3", "encoding": {}, "key": "k"}) + "\n")
    with pytest.raises(ConfigError, match=rf"overlap-clk-v3.*{FORMAT}.*encode the list again"):
        read_encodings(old)


def test_capping_the_holders_of_a_sent_word_defeats_the_frequency_attack_on_words() -> None:
    assert word_hit_rate(Encoding(salt=None, max_holders=10**9), top=10) >= 0.5
    assert word_hit_rate(Encoding(), top=10) == 0.0
