"""Keyed Bloom-filter encodings of accounts (cryptographic long-term keys, CLKs), hardened.

Each account becomes one filter per field: the q-grams and tokens of its normalised name,
domain, street, place and phone, each hashed with HMAC-SHA256 under a secret both parties agree on
into ``hashes`` bit positions. Without the secret nobody can tell which token set which
bit: a dictionary attack needs the key. Against the pattern-mining attacks that need no
key (frequent q-grams set frequent bits), three hardenings, all on by default:

- salting: every token is hashed with a record field both lists hold (by default the
  country), so that one q-gram sets different bits in different countries;
- balancing: each filter is followed by its complement and the bits permuted under the
  key, so that every filter holds the same number of ones and its weight tells nothing;
- random bit flips (BLIP): each bit is flipped with probability ``flip``, so that equal
  names no longer give equal encodings and exact-pattern frequencies vanish.

Written on the standard library's HMAC and numpy rather than ``clkhash``/``anonlink``: those
are unmaintained since 2023, pin old dependencies, and offer none of balancing or BLIP, while
the encoder is some hundred lines of vectorised numpy that runs 100,000 accounts in seconds.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from overlap import schema
from overlap.errors import ConfigError
from overlap.private import word_keys

ROW = "_row"
TOKEN = "_token"
FIELD = "_field"
MAX_HASHES = 32  # 16-bit positions in one HMAC-SHA512 digest
COUNTED_NOISE = 2.0


@dataclass(frozen=True)
class Field:
    """One filter of an encoding: its length, hashes per token and the tokens it holds.

    ``grams`` columns give their padded bigrams, ``words`` columns their whole value and
    ``split`` columns each of their words. A ``counted`` filter is never balanced: how
    many bits it sets tells roughly how many tokens it holds, so that the matcher sees
    one name hold the other ("cisco" in "cisco systems") and not only how far apart they are.
    Its bits flip ``COUNTED_NOISE`` times as often as the others': unbalanced, it needs
    more noise to hide its frequent patterns (``bench/private.py attack``).
    """

    name: str
    bits: int
    hashes: int
    grams: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    split: tuple[str, ...] = ()
    counted: bool = False

    def __post_init__(self) -> None:
        if not 0 < self.hashes <= MAX_HASHES or not 0 < self.bits <= 1 << 16 or self.bits % 64:
            raise ConfigError(
                f"field {self.name!r}: use 1 to {MAX_HASHES} hashes and a multiple of 64 bits "
                "up to 65,536"
            )


FIELDS: tuple[Field, ...] = (
    Field("name", 320, 10, grams=(schema.NAME_CORE,)),
    Field("words", 128, 4, split=(schema.NAME_CORE,), counted=True),
    Field("domain", 256, 8, grams=(schema.DOMAIN_LABEL,), words=(schema.DOMAIN,)),
    # the street apart from the city: sites of one agency share a name and a city, and
    # only their street tells them apart
    Field("street", 256, 6, grams=(schema.ADDRESS_NORM,)),
    Field("place", 128, 8, words=(schema.CITY_NORM, schema.POSTAL_NORM)),
    Field("phone", 64, 16, words=(schema.PHONE_KEY,)),
)


@dataclass(frozen=True)
class Encoding:
    """What both parties agree on besides the secret: fields, salt and hardening.

    ``salt`` is a normalised column both lists fill (``None``: no salting); ``flip`` the
    probability of flipping each bit; ``balanced`` whether filters are balanced;
    ``max_holders`` how many accounts of a list may hold a word it sends as a key
    (``word_keys``).
    """

    fields: tuple[Field, ...] = FIELDS
    salt: str | None = schema.COUNTRY_CODE
    balanced: bool = True
    flip: float = 0.02
    max_holders: int = word_keys.MAX_HOLDERS

    def balances(self, spec: Field) -> bool:
        """Whether ``spec``'s filter is balanced: all but counted ones, when balancing."""
        return self.balanced and not spec.counted

    def widths(self) -> list[int]:
        """Bits of each field's filter as encoded (twice its length when balanced)."""
        return [f.bits * (2 if self.balances(f) else 1) for f in self.fields]

    def flips(self) -> np.ndarray:
        """The probability that each bit of an encoding flips."""
        rates = [self.flip * (COUNTED_NOISE if f.counted else 1.0) for f in self.fields]
        return np.repeat(rates, self.widths())

    def describe(self) -> dict[str, object]:
        """The settings as a JSON-able header: the other party checks it matches its own."""
        return {
            "fields": [[f.name, f.bits, f.hashes] for f in self.fields],
            "salt": self.salt,
            "balanced": self.balanced,
            "flip": self.flip,
            "max_holders": self.max_holders,
        }


@dataclass(frozen=True)
class Encoded:
    """Accounts' encodings: ids, a (accounts, fields) presence mask, packed filters and the
    keyed words of their names (``word_keys.keys``)."""

    ids: list[str]
    present: np.ndarray
    filters: np.ndarray  # uint8, one row of packed bits per account
    words: np.ndarray  # uint32, ``word_keys.SLOTS`` keys per account
    held_back: np.ndarray  # uint8, (generic, common) words of each name not sent as keys
    encoding: Encoding = field(default_factory=Encoding)
    key: str = ""  # the secret's fingerprint: encodings under two secrets never compare


def _tokens(records: pl.DataFrame, spec: Field) -> pl.DataFrame:
    """(row, token) of one field: padded bigrams of its gram columns, values of its words."""
    parts = []
    for column in spec.grams:
        padded = pl.concat_str(pl.lit(" "), pl.col(column), pl.lit(" "))
        parts.append(
            records.select(pl.int_range(pl.len()).alias(ROW), padded.alias(TOKEN))
            .drop_nulls()
            .with_columns(pl.int_ranges(0, pl.col(TOKEN).str.len_chars() - 1).alias("_at"))
            .explode("_at")
            .select(ROW, pl.col(TOKEN).str.slice(pl.col("_at"), 2).alias(TOKEN))
            .with_columns(pl.lit(f"{column}:").alias("_tag"))
        )
    for column in spec.words:
        parts.append(
            records.select(pl.int_range(pl.len()).alias(ROW), pl.col(column).alias(TOKEN))
            .drop_nulls()
            .filter(pl.col(TOKEN).str.len_chars() > 0)
            .with_columns(pl.lit(f"{column}=").alias("_tag"))
        )
    for column in spec.split:
        parts.append(
            records.select(
                pl.int_range(pl.len()).alias(ROW), pl.col(column).str.split(" ").alias(TOKEN)
            )
            .explode(TOKEN)
            .drop_nulls()
            .filter(pl.col(TOKEN).str.len_chars() > 0)
            .with_columns(pl.lit(f"{column}~").alias("_tag"))
        )
    if not parts:
        return pl.DataFrame(schema={ROW: pl.Int64, TOKEN: pl.String})
    tokens = pl.concat(parts, how="vertical_relaxed")
    return tokens.select(pl.col(ROW).cast(pl.Int64), pl.concat_str("_tag", TOKEN).alias(TOKEN))


def _positions(secret: bytes, spec: Field, tokens: list[str], salts: list[str]) -> np.ndarray:
    """(tokens, hashes) bit positions: independent 16-bit words of HMAC-SHA512(field key, token).

    Not double hashing (``h1 + i * h2``): in a small filter that draws each token's bits
    from a few thousand arithmetic patterns, which unlike tokens share (every phone of a
    list on one of 2,048 filters) and which pattern-mining attacks exploit.
    """
    key = hmac.digest(secret, f"overlap-clk|{spec.name}".encode(), "sha256")
    digests = b"".join(
        hmac.digest(key, f"{salt}\x1f{token}".encode(), "sha512")
        for token, salt in zip(tokens, salts, strict=True)
    )
    words = np.frombuffer(digests, dtype="<u2").reshape(-1, MAX_HASHES)
    return (words[:, : spec.hashes] % spec.bits).astype(np.int64)


def _filter(
    records: pl.DataFrame, secret: bytes, spec: Field, salt: str | None
) -> tuple[np.ndarray, np.ndarray]:
    """One field's (accounts, bits) boolean filters and whether each account has a token."""
    tokens = _tokens(records, spec)
    salts = records.select(
        pl.int_range(pl.len()).alias(ROW),
        (pl.col(salt).fill_null("") if salt else pl.lit("")).alias("_salt"),
    )
    distinct = tokens.join(salts, on=ROW).select(TOKEN, "_salt").unique(maintain_order=True)
    positions = _positions(secret, spec, distinct[TOKEN].to_list(), distinct["_salt"].to_list())
    index = (
        tokens.join(salts, on=ROW)
        .join(distinct.with_row_index("_k"), on=[TOKEN, "_salt"])
        .select(ROW, "_k")
    )
    rows, keys = index[ROW].to_numpy(), index["_k"].to_numpy()
    bits = np.zeros((records.height, spec.bits), dtype=bool)
    bits[np.repeat(rows, spec.hashes), positions[keys].ravel()] = True
    present = np.zeros(records.height, dtype=bool)
    present[rows] = True
    return bits, present


def _permutation(secret: bytes, spec: Field, width: int) -> np.ndarray:
    seed = int.from_bytes(hmac.digest(secret, f"overlap-clk-perm|{spec.name}".encode(), "sha256"))
    return np.random.default_rng(seed).permutation(width)


def encode(
    records: pl.DataFrame,
    secret: bytes,
    *,
    encoding: Encoding | None = None,
    rng: np.random.Generator | None = None,
) -> Encoded:
    """The hardened encodings of normalised ``records`` (``keys.normalised``) under ``secret``.

    ``rng`` draws the bit flips; by default from the operating system's entropy, so that
    they cannot be replayed (pass a seeded one only in tests).
    """
    encoding = encoding or Encoding()
    rng = rng or np.random.default_rng(secrets.randbits(128))
    filters, presence = [], []
    for spec in encoding.fields:
        bits, present = _filter(records, secret, spec, encoding.salt)
        if encoding.balances(spec):
            both = np.concatenate([bits, ~bits], axis=1)
            bits = both[:, _permutation(secret, spec, both.shape[1])]
        filters.append(bits)
        presence.append(present)
    bits = np.concatenate(filters, axis=1)
    if encoding.flip > 0:
        bits ^= rng.random(bits.shape) < encoding.flips()
    return Encoded(
        ids=records[schema.ID].to_list(),
        present=np.stack(presence, axis=1),
        filters=np.packbits(bits, axis=1),
        words=word_keys.keys(records, secret, encoding.salt, max_holders=encoding.max_holders),
        held_back=word_keys.held_back(records, max_holders=encoding.max_holders),
        encoding=encoding,
        key=fingerprint(secret),
    )


def fingerprint(secret: bytes) -> str:
    """A short public digest of the secret, so that two parties can see they hold the same."""
    return hashlib.sha256(b"overlap-clk-fingerprint|" + secret).hexdigest()[:16]
