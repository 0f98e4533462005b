"""API keys: ``ovl_<key id>_<secret>`` bearer tokens, stored as a SHA-256 of the secret."""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from overlap.api.store import Store, StoreError
from overlap.schema import Role

PREFIX = "ovl"


@dataclass(frozen=True)
class Principal:
    """Who is calling: a key's id, its role and, for a partner key, the partner."""

    key_id: str
    role: Role
    partner_id: str | None = None


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_key(store: Store, *, role: str, partner_id: str | None = None) -> tuple[str, str]:
    """Store a new key and return (key id, token); the token is shown only this once."""
    if role not in tuple(Role):
        raise StoreError(f"unknown role {role!r}; roles are {', '.join(Role)}")
    if (role == Role.PARTNER) != (partner_id is not None):
        raise StoreError("a partner key needs a partner_id, and only a partner key has one")
    if partner_id is not None and store.partner(partner_id) is None:
        raise StoreError(f"no partner {partner_id!r}")
    key_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(24)
    store.put_key(key_id=key_id, secret_hash=hash_secret(secret), role=role, partner_id=partner_id)
    return key_id, f"{PREFIX}_{key_id}_{secret}"


def split_token(token: str) -> tuple[str, str] | None:
    """(key id, secret) of a token ``ovl_<key id>_<secret>``, or None if it is malformed."""
    prefix, _, rest = token.partition("_")
    key_id, _, secret = rest.partition("_")
    if prefix != PREFIX or not key_id or not secret:
        return None
    return key_id, secret


def authenticate(store: Store, token: str) -> Principal | None:
    """The principal of a bearer token, or None if it is malformed, unknown or revoked."""
    parts = split_token(token)
    if parts is None:
        return None
    key_id, secret = parts
    key = store.key(key_id)
    if key is None or key.revoked_at is not None:
        return None
    if not hmac.compare_digest(key.secret_hash, hash_secret(secret)):
        return None
    return Principal(key_id=key.key_id, role=Role(key.role), partner_id=key.partner_id)


LINK_PATH = "/signin/link/"
"""Where a one-time sign-in link points, followed by its secret."""


def create_sign_in_link(store: Store, key_id: str, *, minutes: float = 15) -> str:
    """The path of a one-time link that signs its holder in with ``key_id`` within ``minutes``.

    Only the hash of its secret is stored; the path is shown this once.
    """
    key = store.key(key_id)
    if key is None or key.revoked_at is not None:
        raise StoreError(f"no live key {key_id!r}")
    secret = secrets.token_urlsafe(24)
    expires = datetime.now(UTC).replace(tzinfo=None) + timedelta(minutes=minutes)
    store.put_sign_in_link(link_hash=hash_secret(secret), key_id=key_id, expires_at=expires)
    return LINK_PATH + secret


def use_sign_in_link(store: Store, secret: str) -> Principal | None:
    """The principal of a live key whose link ``secret`` is unused and unexpired; used up."""
    key_id = store.use_sign_in_link(hash_secret(secret))
    key = None if key_id is None else store.key(key_id)
    if key is None or key.revoked_at is not None:
        return None
    return Principal(key_id=key.key_id, role=Role(key.role), partner_id=key.partner_id)


def first_admin_key(store: Store) -> str | None:
    """A new admin token if the store has no live admin key yet, else None."""
    if store.has_admin_key():
        return None
    return create_key(store, role=Role.ADMIN)[1]


class FailureThrottle:
    """Failed authentications per client address, counted in windows of ``window`` seconds.

    A client with ``limit`` failures in its current window is refused until the window
    ends. At most ``clients`` addresses are remembered: the one whose last failure is
    oldest is forgotten first, so a flood of addresses costs bounded memory. Used from
    the event loop only, so it needs no lock.
    """

    def __init__(
        self,
        *,
        limit: int,
        window: float,
        clients: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self.window = window
        self.clients = clients
        self.clock = clock
        self._failures: OrderedDict[str, tuple[float, int]] = OrderedDict()

    def __len__(self) -> int:
        """How many client addresses are remembered."""
        return len(self._failures)

    def retry_after(self, client: str) -> int | None:
        """Whole seconds until ``client`` may try again, or None if it is not refused."""
        found = self._failures.get(client)
        if found is None:
            return None
        started, count = found
        left = started + self.window - self.clock()
        if left <= 0:
            del self._failures[client]
            return None
        return math.ceil(left) if count >= self.limit else None

    def failed(self, client: str) -> None:
        """Count one failed authentication of ``client``."""
        now = self.clock()
        started, count = self._failures.pop(client, (now, 0))
        if now - started >= self.window:
            started, count = now, 0
        self._failures[client] = (started, count + 1)
        while len(self._failures) > self.clients:
            self._failures.popitem(last=False)
