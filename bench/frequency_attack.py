"""A frequency attack on name encodings: re-identify the most common names without the key.

The attacker holds the encodings and a public ranking of the most common company names
(as a business register gives), knows the public settings, and not the secret. It groups
the name filters that are near-identical (Dice at least ``near``: exact patterns would be
undone by bit flips alone), ranks the groups by size and reads the i-th largest as the i-th
most common name. A hit is a group whose records mostly hold that name. This is the core of
the pattern-mining attacks on Bloom filters (Kuzu et al.; Christen et al.): frequent
values give frequent patterns.
"""

from __future__ import annotations

import secrets

import numpy as np
import polars as pl

from overlap import schema
from overlap.normalise import normalise
from overlap.private import word_keys
from overlap.private.bloom import FIELDS, Encoding, encode
from overlap.samples import generate_linkage_pair

COUNTRIES = ("US", "GB", "DE", "FR")


def population(top: int, *, singletons: int = 1500, seed: int = 0) -> pl.DataFrame:
    """Accounts whose names follow a Zipf law over ``top`` names, plus unique names."""
    names = generate_linkage_pair(top + singletons, overlap=0.0, seed=seed)[0]["name"].unique(
        maintain_order=True
    )
    counts = [max(2, 240 // (i + 1)) for i in range(top)] + [1] * (names.len() - top)
    rng = np.random.default_rng(seed)
    frame = pl.DataFrame({schema.NAME: names.to_list()}).with_columns(
        pl.Series("_n", counts[: names.len()])
    )
    frame = frame.select(pl.col(schema.NAME).repeat_by("_n")).explode(schema.NAME)
    return frame.with_columns(
        pl.format("a{}", pl.int_range(pl.len())).alias(schema.ID),
        pl.Series(schema.COUNTRY, rng.choice(COUNTRIES, frame.height)),
        *(pl.lit(None, pl.String).alias(c) for c in (schema.WEBSITE, schema.EMAIL)),
        *(pl.lit(None, pl.String).alias(c) for c in (schema.PHONE, schema.ADDRESS)),
        *(pl.lit(None, pl.String).alias(c) for c in (schema.CITY, schema.STATE)),
        *(pl.lit(None, pl.String).alias(c) for c in (schema.POSTAL_CODE, schema.REGISTRY_ID)),
    )


def _groups(bits: np.ndarray, near: float) -> np.ndarray:
    """A group label per row: rows within Dice ``near`` of a group's first row join it."""
    ones = bits.sum(axis=1)
    labels = np.full(len(bits), -1)
    reps: list[int] = []
    for i in range(len(bits)):
        if reps:
            r = np.array(reps)
            d = 2 * (bits[r] & bits[i]).sum(axis=1) / np.maximum(ones[r] + ones[i], 1)
            best = int(np.argmax(d))
            if d[best] >= near:
                labels[i] = labels[reps[best]]
                continue
        labels[i] = len(reps)
        reps.append(i)
    return labels


def hit_rate(
    encoding: Encoding, *, top: int = 20, near: float = 0.9, seed: int = 0, field: str = "name"
) -> float:
    """The share of the ``top`` most common names the attack re-identifies from the filters
    of one ``field`` (``name``: the name's bigrams; ``words``: its words, a counted filter)."""
    accounts = normalise(population(top, seed=seed))
    name_field = Encoding(
        fields=tuple(f for f in FIELDS if f.name == field),
        salt=encoding.salt,
        balanced=encoding.balanced,
        flip=encoding.flip,
    )
    encoded = encode(accounts, secrets.token_bytes(32), encoding=name_field)
    labels = _groups(np.unpackbits(encoded.filters, axis=1).astype(bool), near)
    ranking = accounts[schema.NAME].value_counts(sort=True)[schema.NAME].to_list()[:top]
    groups = (
        pl.DataFrame({"group": labels, schema.NAME: accounts[schema.NAME]})
        .group_by("group")
        .agg(pl.len(), pl.col(schema.NAME).mode().first())
        .sort(["len", "group"], descending=[True, False])
        .head(top)
    )
    guesses = groups[schema.NAME].to_list()
    return sum(g == t for g, t in zip(guesses, ranking, strict=False)) / top


def word_hit_rate(encoding: Encoding, *, top: int = 20, seed: int = 0) -> float:
    """The share of the ``top`` most common name words the attack re-identifies from the
    keyed words (``word_keys``): it counts how many accounts send each key and reads the
    i-th commonest key as the i-th commonest word. The attacker knows the public rules
    (the first word, then the rarest, never a generic one), so its ranking is of the words
    the names would send were there no cap: the best it could know."""
    accounts = normalise(population(top, seed=seed))
    sent = word_keys.keyed(
        accounts, secrets.token_bytes(32), encoding.salt, max_holders=encoding.max_holders
    )
    known = word_keys.words(accounts, max_holders=accounts.height)[word_keys.WORD]
    ranking = known.value_counts(sort=True)[word_keys.WORD].to_list()[:top]
    commonest = (
        sent.group_by(word_keys.KEY)
        .agg(pl.len(), pl.col(word_keys.WORD).first())
        .sort(["len", word_keys.KEY], descending=[True, False])
        .head(top)
    )
    guesses = commonest[word_keys.WORD].to_list()
    return sum(g == t for g, t in zip(guesses, ranking, strict=False)) / top
