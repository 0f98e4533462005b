from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from overlap import schema
from overlap.errors import ConfigError
from overlap.ingest import read_accounts
from overlap.private.bloom import FIELDS, Encoding, encode
from overlap.private.compare import LEFT, RIGHT, containment
from overlap.private.files import read_encodings, write_encodings
from overlap.private.keys import normalised
from overlap.private.model import match

sys.path.insert(0, str(Path(__file__).parents[2] / "bench"))

from clk_builders import SECRET, Accounts, encode_rows

from frequency_attack import hit_rate

SAMPLES = Path(__file__).parents[2] / "data" / "samples"


def test_encodings_hold_no_name_domain_or_city_of_the_list(tmp_path: Path) -> None:
    accounts = read_accounts(SAMPLES / "partner_northgate_hubspot.csv").accounts
    out = tmp_path / "partner.clk.jsonl"
    write_encodings(encode(normalised(accounts), SECRET), out)
    text = out.read_text()
    lines = [json.loads(line) for line in text.splitlines()[1:]]
    # the readable parts: all but the account's own id (which the file is meant to hold)
    # and the filters and keyed words, which are base64 noise
    readable = json.dumps(
        [{k: v for k, v in r.items() if k not in ("id", "clk", "words")} for r in lines]
    )
    readable = (readable + text.splitlines()[0]).lower()
    records = normalised(accounts)
    values = {
        v.lower()
        for column in (schema.NAME, schema.WEBSITE, schema.CITY, schema.DOMAIN, schema.NAME_CORE)
        for v in records[column].drop_nulls().to_list()
        if len(v) >= 3
    }
    assert values and not [v for v in values if v in readable]
    # in the base64 filters, chance alone would put a short value somewhere: long ones only
    assert not [v for v in values if len(v) >= 10 and v in text.lower()]


def test_similar_accounts_match_and_different_ones_do_not(accounts: Accounts) -> None:
    rows = [
        {
            "id": "a",
            "name": "Acme Tools Inc",
            "website": "acmetools.com",
            "city": "Boston",
            "country": "US",
        },
        {"id": "b", "name": "Borealis Energy", "city": "Oslo", "country": "NO"},
    ]
    theirs = [
        {
            "id": "x",
            "name": "ACME Tools",
            "website": "www.acmetools.com",
            "city": "Boston",
            "country": "United States",
        },
        {"id": "y", "name": "Zephyr Logistics", "city": "Oslo", "country": "Norway"},
    ]
    pairs = match(encode_rows(accounts, rows), encode_rows(accounts, theirs))
    assert pairs.select(schema.VENDOR_ID, schema.PARTNER_ID).rows() == [("a", "x")]


def test_balanced_filters_weigh_the_same_whatever_the_name(accounts: Accounts) -> None:
    rows = [{"name": "A"}, {"name": "International Business Machines Corporation"}]
    fields = tuple(f for f in FIELDS if not f.counted)
    ones = np.unpackbits(encode_rows(accounts, rows, flip=0.0, fields=fields).filters, axis=1).sum(
        axis=1
    )
    assert ones[0] == ones[1]
    unbalanced = encode_rows(accounts, rows, flip=0.0, balanced=False, fields=fields)
    assert np.unpackbits(unbalanced.filters, axis=1).sum(axis=1).tolist() != ones.tolist()


def test_the_words_filter_shows_one_name_holding_the_other(accounts: Accounts) -> None:
    rows = [{"id": "a", "name": "Cisco"}, {"id": "b", "name": "Oracle"}]
    theirs = [{"id": "x", "name": "Cisco Systems"}]
    ours, other = encode_rows(accounts, rows, flip=0.0), encode_rows(accounts, theirs, flip=0.0)
    pairs = pl.DataFrame({LEFT: [0, 1], RIGHT: [0, 0]})
    held = containment(ours, other, pairs, "words")
    # all of "cisco" is in "cisco systems", about half of "cisco systems" in "cisco"
    assert held[0, 0] == pytest.approx(1.0) and 0.2 < held[0, 1] < 0.8
    assert held[1, 0] < 0.5


def test_bit_flips_make_equal_accounts_encode_differently(accounts: Accounts) -> None:
    encoded = encode_rows(accounts, [{"name": "Acme Tools", "country": "US"}] * 2)
    assert not np.array_equal(encoded.filters[0], encoded.filters[1])
    plain = encode_rows(accounts, [{"name": "Acme Tools", "country": "US"}] * 2, flip=0.0)
    assert np.array_equal(plain.filters[0], plain.filters[1])


def test_salting_makes_one_name_encode_apart_in_two_countries(accounts: Accounts) -> None:
    rows = [{"name": "Acme Tools", "country": "US"}, {"name": "Acme Tools", "country": "FR"}]
    salted = encode_rows(accounts, rows, flip=0.0)
    assert not np.array_equal(salted.filters[0], salted.filters[1])
    unsalted = encode_rows(accounts, rows, flip=0.0, salt=None)
    assert np.array_equal(unsalted.filters[0], unsalted.filters[1])


def test_encodings_survive_their_file_and_other_secrets_do_not_compare(
    accounts: Accounts, tmp_path: Path
) -> None:
    encoded = encode_rows(accounts, [{"id": "a", "name": "Acme Tools", "phone": "+1 617 555 0100"}])
    write_encodings(encoded, tmp_path / "a.clk.jsonl")
    back = read_encodings(tmp_path / "a.clk.jsonl")
    assert back.ids == ["a"] and back.encoding == encoded.encoding
    assert np.array_equal(back.filters, encoded.filters)
    assert np.array_equal(back.present, encoded.present)
    other = encode(normalised(accounts([{"name": "Acme Tools"}])), b"another secret of many bytes")
    with pytest.raises(ConfigError, match="different secrets"):
        match(back, other)


def test_an_unreadable_encodings_file_names_itself(tmp_path: Path) -> None:
    (tmp_path / "bad.clk.jsonl").write_text('{"format": "overlap-clk-v3"}\n')
    with pytest.raises(ConfigError, match=r"bad\.clk\.jsonl"):
        read_encodings(tmp_path / "bad.clk.jsonl")


def test_hardening_defeats_the_frequency_attack_on_the_most_common_names() -> None:
    bare = Encoding(salt=None, balanced=False, flip=0.0)
    assert hit_rate(bare, top=10, near=1.0) >= 0.9
    assert hit_rate(bare, top=10, near=0.9) >= 0.9
    # flips alone stop an attacker who counts equal patterns, not one who clusters them
    assert hit_rate(Encoding(salt=None), top=10, near=1.0) <= 0.1
    assert hit_rate(Encoding(), top=10, near=0.9) <= 0.2
