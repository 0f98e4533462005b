"""Compare encodings: blocking by locality-sensitive hashing, Dice per field, a score.

Blocking works on the encodings alone: a band is a fixed sample of a field's bits, and two
accounts are compared when any band of a field both hold reads the same on both (Hamming
LSH). Near encodings agree on most bits and so meet in some band; far ones rarely do. The
bands are drawn from a public seed: they tell nothing the encodings do not.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from overlap import schema
from overlap.private.bloom import Encoded

LEFT, RIGHT = "_left", "_right"  # row numbers of a candidate pair in each encoded list


@dataclass(frozen=True)
class Bands:
    """LSH bands of one field: ``count`` samples of ``rows`` bits of it and of the fields
    ``also``, among the accounts that hold it."""

    field: str
    count: int
    rows: int
    also: tuple[str, ...] = ()


BANDS: tuple[Bands, ...] = (
    Bands("name", 60, 26),
    Bands("domain", 8, 24),
    Bands("phone", 6, 28),
    # a street alone ("1 main street") is no rarer than a word: with the city and postal
    # code, sites of one street in two towns no longer meet
    Bands("street", 30, 40, also=("place",)),
)
SEED = 20240  # public: bands are part of the protocol, not of the secret
BEST_WITHIN = 0.05  # of summed Dice: about what bit flips move it by
CHUNK = 200_000  # accounts or pairs at a time: bounded memory on large lists


def _slices(encoded: Encoded) -> dict[str, slice]:
    """Each field's columns in the unpacked filters."""
    out, start = {}, 0
    for spec, width in zip(encoded.encoding.fields, encoded.encoding.widths(), strict=True):
        out[spec.name] = slice(start, start + width)
        start += width
    return out


def _signatures(encoded: Encoded, bands: Bands, field_index: int) -> pl.DataFrame:
    """(row, band, signature) of the accounts that hold the field."""
    where = _slices(encoded)
    columns = np.concatenate(
        [np.arange(where[f].start, where[f].stop) for f in (bands.field, *bands.also)]
    )
    rows = np.flatnonzero(encoded.present[:, field_index])
    bits = np.unpackbits(encoded.filters[rows], axis=1)[:, columns]
    picks = np.random.default_rng([SEED, field_index]).integers(
        0, bits.shape[1], size=(bands.count, bands.rows)
    )
    # each band's sampled bits packed into one 64-bit word, most significant first
    packed = np.zeros((len(rows), bands.count, 8), dtype=np.uint8)
    for lo in range(0, len(rows), CHUNK):
        sampled = np.packbits(bits[lo : lo + CHUNK][:, picks], axis=2)
        packed[lo : lo + CHUNK, :, : sampled.shape[2]] = sampled
    return pl.DataFrame(
        {
            "_row": np.repeat(rows, bands.count),
            "_band": np.tile(np.arange(bands.count, dtype=np.int32), len(rows)),
            "_sig": packed.view(">u8").ravel().astype(np.uint64),
        }
    )


def _word_pairs(left: Encoded, right: Encoded) -> pl.DataFrame:
    """(``_left``, ``_right``) row pairs that share a keyed word (``word_keys``)."""

    def exploded(encoded: Encoded) -> pl.DataFrame:
        slots = encoded.words.shape[1]
        return pl.DataFrame(
            {
                "_row": np.repeat(np.arange(len(encoded.words)), slots),
                "_word": encoded.words.ravel(),
            }
        )

    return (
        exploded(left)
        .filter(pl.col("_word") > 0)  # an empty slot
        .join(exploded(right), on="_word")
        .select(pl.col("_row").alias(LEFT), pl.col("_row_right").alias(RIGHT))
    )


def candidates(left: Encoded, right: Encoded, bands: tuple[Bands, ...] = BANDS) -> pl.DataFrame:
    """Distinct (``_left``, ``_right``) row pairs that meet in some band or share a keyed
    word: "cisco" and "cisco systems" differ in too many bits to meet in a band."""
    names = [f.name for f in left.encoding.fields]
    pairs = [
        _signatures(left, b, names.index(b.field))
        .join(_signatures(right, b, names.index(b.field)), on=["_band", "_sig"])
        .select(pl.col("_row").alias(LEFT), pl.col("_row_right").alias(RIGHT))
        for b in bands
    ]
    return pl.concat([*pairs, _word_pairs(left, right)]).unique()


def dice(left: Encoded, right: Encoded, pairs: pl.DataFrame) -> np.ndarray:
    """(pairs, fields) Dice coefficients; 0 where either account lacks the field.

    Filters are read as 64-bit words (every field's width is a multiple of 64), so that
    one popcount covers 64 bits.
    """
    i, j = pairs[LEFT].to_numpy(), pairs[RIGHT].to_numpy()
    a, b = _words(left), _words(right)
    out = np.zeros((len(i), len(left.encoding.fields)))
    for lo in range(0, len(i), CHUNK):  # bounded memory on large candidate sets
        ii, jj = i[lo : lo + CHUNK], j[lo : lo + CHUNK]
        common = np.bitwise_count(a[ii] & b[jj])
        ones = np.bitwise_count(a[ii]) + np.bitwise_count(b[jj])
        both = left.present[ii] & right.present[jj]
        start = 0
        for f, width in enumerate(left.encoding.widths()):
            cols = slice(start // 64, (start + width) // 64)
            start += width
            shared = common[:, cols].sum(axis=1, dtype=np.int64)
            total = ones[:, cols].sum(axis=1, dtype=np.int64)
            out[lo : lo + len(ii), f] = np.where(both[:, f], 2 * shared / np.maximum(total, 1), 0)
    return out


def _field_bytes(encoded: Encoded, name: str) -> np.ndarray:
    """(accounts, bytes) packed filter of one field (every field starts on a whole byte)."""
    where = _slices(encoded)[name]
    return encoded.filters[:, where.start // 8 : where.stop // 8]


def containment(left: Encoded, right: Encoded, pairs: pl.DataFrame, name: str) -> np.ndarray:
    """(pairs, 2) how much of the lighter, then of the heavier, filter of field ``name``
    the other holds, each bit weighed by its rarity in both lists; 0 where either lacks it.

    On a counted field (``bloom.Field.counted``), where a token's bits are its own, this
    reads as the share of one name's words the other name holds, rare words counting
    most: "cisco" is all in "cisco systems", and "bancorp" says little of two banks.
    A bit's weight comes from the encodings alone: how few of the accounts set it.
    """
    a, b = _field_bytes(left, name), _field_bytes(right, name)
    f = [s.name for s in left.encoding.fields].index(name)
    set_by = sum(
        np.unpackbits(side[encoded.present[:, f]], axis=1).sum(axis=0)
        for side, encoded in ((a, left), (b, right))
    )
    holders = left.present[:, f].sum() + right.present[:, f].sum()
    weight = -np.log((set_by + 1) / (holders + 2))
    # per byte of the filter, the weight of each of its 256 values: a pair's weighed
    # bits are then one look-up a byte
    values = np.unpackbits(np.arange(256, dtype=np.uint8)[:, None], axis=1)
    tables = weight.reshape(-1, 8) @ values.T
    columns = np.arange(a.shape[1])

    def weighed(packed: np.ndarray) -> np.ndarray:
        return tables[columns, packed].sum(axis=1)

    sides = weighed(a), weighed(b)
    i, j = pairs[LEFT].to_numpy(), pairs[RIGHT].to_numpy()
    out = np.zeros((len(i), 2))
    for lo in range(0, len(i), CHUNK):
        ii, jj = i[lo : lo + CHUNK], j[lo : lo + CHUNK]
        shared = weighed(a[ii] & b[jj])
        lighter = np.minimum(sides[0][ii], sides[1][jj])
        heavier = np.maximum(sides[0][ii], sides[1][jj])
        both = left.present[ii, f] & right.present[jj, f]
        out[lo : lo + len(ii), 0] = np.where(both, shared / np.maximum(lighter, 1e-9), 0)
        out[lo : lo + len(ii), 1] = np.where(both, shared / np.maximum(heavier, 1e-9), 0)
    return out


def shared_words(left: Encoded, right: Encoded, pairs: pl.DataFrame) -> np.ndarray:
    """(pairs, 2) how many keyed words (``word_keys``) a pair's names share, as a share of
    the fewer, then of the more, that either sends; 0 where either sends none.

    "cisco" shares its one word with "cisco systems" (which sends "cisco" alone: "systems"
    is generic), and "apple" only one of three with "apple hospitality reit".
    """
    a, b = left.words[pairs[LEFT].to_numpy()], right.words[pairs[RIGHT].to_numpy()]
    shared = ((a[:, :, None] == b[:, None, :]) & (a[:, :, None] > 0)).sum(axis=(1, 2))
    sent = np.stack([(a > 0).sum(axis=1), (b > 0).sum(axis=1)], axis=1)
    fewer, more = sent.min(axis=1), sent.max(axis=1)
    return (
        np.stack([shared / np.maximum(fewer, 1), shared / np.maximum(more, 1)], axis=1)
        * (fewer > 0)[:, None]
    )


def best_of(pairs: pl.DataFrame, value: np.ndarray, *, within: float = BEST_WITHIN) -> np.ndarray:
    """(pairs, 2) whether each pair's ``value`` is within ``within`` of the highest among
    the candidates of its left record, then of its right record: "cisco" is closest to
    "cisco systems" of all the names it meets, though not close. The margin keeps a list's
    duplicates (and bit flips' noise) from taking the place from each other."""
    frame = pairs.select(LEFT, RIGHT).with_columns(pl.Series("_v", value))
    return frame.select(
        (pl.col("_v") >= pl.col("_v").max().over(side) - within).alias(side)
        for side in (LEFT, RIGHT)
    ).to_numpy()


def _words(encoded: Encoded) -> np.ndarray:
    return np.ascontiguousarray(encoded.filters).view(np.uint64)


def scored_pairs(
    left: Encoded, right: Encoded, score: np.ndarray, pairs: pl.DataFrame
) -> pl.DataFrame:
    """``vendor_id, partner_id, score`` of the pairs, best first."""
    return pl.DataFrame(
        {
            schema.VENDOR_ID: np.array(left.ids, dtype=object)[pairs[LEFT].to_numpy()],
            schema.PARTNER_ID: np.array(right.ids, dtype=object)[pairs[RIGHT].to_numpy()],
            schema.SCORE: score,
        },
        schema={
            schema.VENDOR_ID: pl.String,
            schema.PARTNER_ID: pl.String,
            schema.SCORE: pl.Float64,
        },
    ).sort(schema.SCORE, descending=True)
