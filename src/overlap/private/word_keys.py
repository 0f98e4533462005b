"""Keyed words for blocking: a few of each name's rare words, each an HMAC under the secret.

A Bloom filter of bigrams tells "cisco" from "cisco systems" by too many bits for the
bands to bring them together. So each account also sends up to ``SLOTS`` keys, each the
first 32 bits of HMAC-SHA256(secret, salt, word) of one of its name's words: the first
word and then the rarest others in its own list. Two accounts that share a key share a
word; the keys serve blocking and the "shares a rare word" features, and nothing else.
Each account also tells how many words of its name it holds back (``held_back``).

What a key leaks: it is the same for every account that holds the word, so how many
accounts of a list send one key tells how common a word it hides, and a party that knows
which words are common in company names can guess the commonest keys (``bench/private.py
attack``). Three hardenings:

- a word that more than ``MAX_HOLDERS`` accounts of the sender's list hold, or that is
  generic in company names at large (``name_words.generic_at_large``), is never sent: the
  words the ranking would give away are exactly the ones not sent, and every key sent is
  held by a few accounts at most;
- keys are salted like the filters (by country), so one word gives other keys elsewhere;
- the keys are sent in sorted order, so that which is the name's first word cannot be
  read off.

How many keys an account sends is left readable: how many of its words both names hold
tells "cisco" in "cisco systems" ("systems" is generic, never sent) from "apple" in
"apple hospitality reit", and the counted words filter tells about as much anyway.
"""

from __future__ import annotations

import hmac

import numpy as np
import polars as pl

from overlap import schema
from overlap.matching.name_words import generic_at_large
from overlap.matching.spelling import singular

SLOTS = 3
MAX_HOLDERS = 20  # accounts of one list; a commoner word blocks little and leaks its rank
ROW, WORD, AT, HOLDERS = "_row", "_word", "_at", "_holders"
GENERIC, COMMON, KEY = "_generic", "_common", "_key"


def _name_words(records: pl.DataFrame, max_holders: int) -> pl.DataFrame:
    """(row, word, at, holders, generic, common) of the distinct words of each core name."""
    return (
        records.select(
            pl.int_range(pl.len()).alias(ROW),
            pl.col(schema.NAME_CORE).fill_null("").str.split(" ").alias(WORD),
        )
        .explode(WORD)
        .filter(pl.col(WORD).str.len_chars() > 1)
        .unique([ROW, WORD], maintain_order=True)
        .with_columns(
            pl.int_range(pl.len()).over(ROW).alias(AT),
            pl.len().over(WORD).alias(HOLDERS),
            singular(pl.col(WORD)).is_in(list(generic_at_large())).alias(GENERIC),
        )
        .with_columns(((pl.col(HOLDERS) > max_holders) & ~pl.col(GENERIC)).alias(COMMON))
    )


def words(records: pl.DataFrame, *, max_holders: int = MAX_HOLDERS) -> pl.DataFrame:
    """(row, word) of each account's sent words: its first and then its rarest, at most
    ``SLOTS``, among the words of its core name that few accounts hold (see the module)."""
    return (
        _name_words(records, max_holders)
        .filter(~pl.col(GENERIC) & ~pl.col(COMMON))
        # the first word first, then the rarest; of two as rare, the longer
        .sort(
            [ROW, pl.col(AT) > 0, HOLDERS, pl.col(WORD).str.len_chars(), WORD],
            descending=[False, False, False, True, False],
        )
        .group_by(ROW, maintain_order=True)
        .head(SLOTS)
        .select(ROW, WORD)
    )


def held_back(records: pl.DataFrame, *, max_holders: int = MAX_HOLDERS) -> np.ndarray:
    """(accounts, 2) uint8: how many words of each name are not sent as generic, then as
    common in the list. A name that holds the other's words and generic ones besides
    ("cisco systems") is likelier the same company than one that holds a word of the list's
    own trade besides ("bajaj finance" beside "bajaj")."""
    counts = (
        _name_words(records, max_holders)
        .group_by(ROW)
        .agg(pl.col(GENERIC).sum(), pl.col(COMMON).sum())
    )
    out = np.zeros((records.height, 2), dtype=np.uint8)
    rows = counts[ROW].to_numpy()
    out[rows] = np.minimum(counts.select(GENERIC, COMMON).to_numpy(), 255)
    return out


def keyed(
    records: pl.DataFrame, secret: bytes, salt: str | None, *, max_holders: int = MAX_HOLDERS
) -> pl.DataFrame:
    """(row, word, key) of each account's sent ``words``: the key is the first 32 bits of
    HMAC-SHA256 under the secret of the word salted with the account's ``salt`` column."""
    sent = words(records, max_holders=max_holders)
    salts = records[salt].fill_null("").to_list() if salt else [""] * records.height
    secret_key = hmac.digest(secret, b"overlap-clk-words", "sha256")
    digests = b"".join(
        hmac.digest(secret_key, f"{salts[r]}\x1f{w}".encode(), "sha256")[:4]
        for r, w in zip(sent[ROW].to_list(), sent[WORD].to_list(), strict=True)
    )
    # 0 marks an empty slot
    key = np.maximum(np.frombuffer(digests, dtype="<u4"), 1).astype(np.uint32)
    return sent.with_columns(pl.Series(KEY, key))


def keys(
    records: pl.DataFrame, secret: bytes, salt: str | None, *, max_holders: int = MAX_HOLDERS
) -> np.ndarray:
    """(accounts, ``SLOTS``) uint32 keys of ``records``' sent words (``keyed``), in
    decreasing order, 0 in the slots of words a name does not have."""
    sent = keyed(records, secret, salt, max_holders=max_holders)
    out = np.zeros((records.height, SLOTS), dtype=np.uint32)
    slot = sent.select(pl.int_range(pl.len()).over(ROW))[:, 0].to_numpy()
    out[sent[ROW].to_numpy(), slot] = sent[KEY].to_numpy()
    return -np.sort(-out.astype(np.int64), axis=1).astype(np.uint32)
