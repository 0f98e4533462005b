"""Private set intersection of exact keys: elliptic-curve Diffie–Hellman on X25519.

Each party hashes its keys onto the curve and raises them to its own secret scalar (an
*offer*); each raises the other's offer to its secret in turn (a *reply*). Scalar
multiplication commutes, so a key both lists hold comes out equal on both sides, and
nothing else does: neither party sees the other's keys, only points it cannot invert.

Two modes, the sharing levels of the overlap matrix:

- ``counts``: a reply shuffles the accounts of each population, so that a party learns how
  many of its accounts per population the other's populations share, and not which;
- ``overlap``: a reply keeps the offer's order, so that each party learns which of its own
  accounts are shared (and a token per shared key both sides can compute, to pair them).

Populations travel as separate groups, so that the matrix comes out per population pair
and nothing else is told but each population's size. Every account fills one slot per key
kind (noise where a key is missing), so that no one learns which keys an account has.

Built on ``cryptography`` (OpenSSL's X25519, already a dependency of the service stack)
rather than ``openmined-psi``: that package is one-sided (only its client learns), ships
a protobuf wire format of its own, and needs a native wheel per platform; both sides here
run the same three functions and exchange plain files. Curve25519's twist is secure, so
hashing a key to any 32 bytes is safe as a point (half the values land on the twist).
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from overlap import schema
from overlap.errors import InputError
from overlap.private.keys import KEY_KINDS, POPULATION
from overlap.schema import SharingLevel

PROTOCOL = "overlap-psi-x25519-v1"
POINT = 32  # bytes of an offered key: an X25519 u-coordinate
TOKEN = 16  # bytes of a doubly blinded key kept in a reply: collisions at 2^-128 per pair
MODES = (SharingLevel.COUNTS, SharingLevel.OVERLAP)
SHARED = "shared"
THEIR_POPULATION = "their_population"
KIND = "kind"
MATCH_TOKEN = "token"


class ProtocolError(InputError):
    """A PSI message that does not fit this protocol, mode or step."""


@dataclass(frozen=True)
class Party:
    """One side's private state: its secret scalar and its accounts in offer order.

    Never sent: it stays on the party's machine between the steps.
    """

    mode: SharingLevel
    secret: bytes
    ids: dict[str, list[str]]

    def to_dict(self) -> dict[str, Any]:
        """The state as JSON-able values; it holds the secret: keep it, never send it."""
        return {"mode": self.mode, "secret": self.secret.hex(), "ids": self.ids}

    @classmethod
    def from_dict(cls, body: Any) -> Party:
        """The state ``to_dict`` gave; ValueError, KeyError or TypeError if it is not one."""
        return cls(SharingLevel(body["mode"]), bytes.fromhex(body["secret"]), body["ids"])


@dataclass(frozen=True)
class Message:
    """An offer or a reply: per population, the accounts' slots concatenated."""

    step: str  # "offer" or "reply"
    mode: SharingLevel
    groups: dict[str, bytes]

    def to_dict(self) -> dict[str, Any]:
        groups = {p: base64.b64encode(b).decode("ascii") for p, b in self.groups.items()}
        return {"protocol": PROTOCOL, "step": self.step, "mode": self.mode, "groups": groups}

    def to_json(self) -> str:
        return json.dumps(self.to_dict())

    @classmethod
    def from_dict(cls, body: Any, *, step: str) -> Message:
        """The message of a decoded JSON body, checked to be a ``step`` of this protocol."""
        try:
            if body.get("protocol") != PROTOCOL or body.get("step") != step:
                raise ProtocolError(f"not a {PROTOCOL} {step} (protocol {body.get('protocol')})")
            groups = {str(p): base64.b64decode(b, validate=True) for p, b in body["groups"].items()}
            mode = SharingLevel(body["mode"])
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise ProtocolError(f"unreadable PSI {step}: {error}") from error
        return cls(step, _checked_mode(mode), groups)

    @classmethod
    def from_json(cls, text: str, *, step: str) -> Message:
        try:
            body = json.loads(text)
        except ValueError as error:
            raise ProtocolError(f"unreadable PSI {step}: {error}") from error
        return cls.from_dict(body, step=step)


def _checked_mode(mode: SharingLevel | str) -> SharingLevel:
    level = SharingLevel(mode)
    if level not in MODES:
        raise ProtocolError(f"PSI runs at the counts or overlap level, not {level}")
    return level


def _point(kind: str, value: str) -> bytes:
    return hashlib.sha256(f"{PROTOCOL}|{kind}|{value}".encode()).digest()


def _blinded(secret: X25519PrivateKey, points: bytes) -> bytes:
    """Every 32-byte point of ``points`` raised to ``secret``."""
    out = bytearray()
    for start in range(0, len(points), POINT):
        try:
            out += secret.exchange(X25519PublicKey.from_public_bytes(points[start : start + POINT]))
        except ValueError as error:  # a low-order point: only a forged message holds one
            raise ProtocolError("a PSI message holds a point of low order") from error
    return bytes(out)


def offer(keys: pl.DataFrame, *, mode: SharingLevel | str) -> tuple[Party, Message]:
    """This party's state and its offer, from ``keys.exact_keys`` of its own list.

    Accounts are offered in a random order, kept in the state only.
    """
    level = _checked_mode(mode)
    secret = X25519PrivateKey.generate()
    shuffled = keys.sample(fraction=1.0, shuffle=True, seed=secrets.randbits(32))
    ids: dict[str, list[str]] = {}
    groups: dict[str, bytes] = {}
    for (population,), group in shuffled.group_by(POPULATION, maintain_order=True):
        points = bytearray()
        for row in group.select(KEY_KINDS).iter_rows():
            for kind, value in zip(KEY_KINDS, row, strict=True):
                points += secrets.token_bytes(POINT) if value is None else _point(kind, value)
        ids[str(population)] = group[schema.ID].to_list()
        # noise slots are blinded too: a reply must not tell them from keys
        groups[str(population)] = _blinded(secret, bytes(points))
    raw = secret.private_bytes_raw()
    return Party(level, raw, ids), Message("offer", level, groups)


def reply(party: Party, theirs: Message) -> Message:
    """The other party's offer raised to this party's secret, truncated to tokens.

    At the counts level the accounts of each population are shuffled, so that the other
    party cannot tell which of its accounts are shared.
    """
    if theirs.mode != party.mode:
        raise ProtocolError(
            f"the other party runs at the {theirs.mode} level, this one {party.mode}"
        )
    secret = X25519PrivateKey.from_private_bytes(party.secret)
    groups: dict[str, bytes] = {}
    for population, points in theirs.groups.items():
        _accounts(points, POINT, population)  # whole accounts before any work
        tokens = _accounts(_blinded(secret, points), POINT, population)[:, :, :TOKEN]
        if party.mode == SharingLevel.COUNTS:
            tokens = tokens[np.random.default_rng(secrets.randbits(64)).permutation(len(tokens))]
        groups[population] = tokens.tobytes()
    return Message("reply", party.mode, groups)


def _columns(tokens: np.ndarray) -> list[list[bytes]]:
    """Per key slot, the accounts' tokens of a (accounts, slots, bytes) array."""
    return [[row.tobytes() for row in tokens[:, s, :]] for s in range(tokens.shape[1])]


def _accounts(blob: bytes, width: int, population: str) -> np.ndarray:
    slots = len(KEY_KINDS)
    if len(blob) % (width * slots):
        raise ProtocolError(f"population {population!r}: not whole accounts of {slots} keys")
    return np.frombuffer(blob, dtype=np.uint8).reshape(-1, slots, width)


def finish(party: Party, their_offer: Message, their_reply: Message) -> pl.DataFrame:
    """What this party learns: per population pair, its shared accounts.

    At the counts level, one row per (population, their_population) with the number of
    this party's accounts that share a key (``shared``). At the overlap level, one row per
    shared key of one of this party's accounts: ``id``, ``population``,
    ``their_population``, ``kind`` and ``token``, the doubly blinded key, which the other
    party holds too for the same key: joining both sides' tokens pairs the accounts.
    """
    if their_reply.mode != party.mode or their_offer.mode != party.mode:
        raise ProtocolError("the other party's messages are of another level than this one")
    secret = X25519PrivateKey.from_private_bytes(party.secret)
    theirs = {
        p: [set(c) for c in _columns(_accounts(_blinded(secret, b), POINT, p)[:, :, :TOKEN])]
        for p, b in their_offer.groups.items()
    }
    rows: list[tuple[Any, ...]] = []
    for population, ids in party.ids.items():
        mine = _columns(_accounts(their_reply.groups.get(population, b""), TOKEN, population))
        if len(mine[0]) != len(ids):
            raise ProtocolError(
                f"the reply holds {len(mine[0])} accounts of {population!r}, not {len(ids)}"
            )
        for their_population, sets in theirs.items():
            hits = [[t in kept for t in column] for column, kept in zip(mine, sets, strict=True)]
            if party.mode == SharingLevel.COUNTS:
                shared = int(
                    np.any(np.array(hits, dtype=bool).reshape(len(mine), -1), axis=0).sum()
                )
                rows.append((population, their_population, shared))
                continue
            rows.extend(
                (ids[i], population, their_population, kind.value, column[i].hex())
                for kind, column, hit in zip(KEY_KINDS, mine, hits, strict=True)
                for i in np.flatnonzero(hit)
            )
    return pl.DataFrame(rows, schema=_result_schema(party.mode), orient="row")


def _result_schema(mode: SharingLevel) -> dict[str, pl.DataType]:
    if mode == SharingLevel.COUNTS:
        return {POPULATION: pl.String(), THEIR_POPULATION: pl.String(), SHARED: pl.Int64()}
    return {
        schema.ID: pl.String(),
        POPULATION: pl.String(),
        THEIR_POPULATION: pl.String(),
        KIND: pl.String(),
        MATCH_TOKEN: pl.String(),
    }
