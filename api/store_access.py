"""The store's tables of access: API keys, one-time sign-in links, the web app's sessions.

``AccessTables`` is a part of ``Store`` (its base class), kept apart so ``store.py``
holds the data. Sessions live in the database, so a restart of the service signs
nobody out; a session is found only while it has not expired and its key is not
revoked.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

import duckdb

from overlap.schema import Role


def now() -> datetime:
    """The time as the store keeps it: UTC without a time zone."""
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class Key:
    """An API key as stored: never the secret, only its hash."""

    key_id: str
    secret_hash: str
    role: str
    partner_id: str | None
    created_at: datetime
    revoked_at: datetime | None


class _Tables(Protocol):
    """What the tables of ``AccessTables`` need of the ``Store`` they are part of."""

    def _transaction(
        self, *, data: bool = True, keys: bool = False
    ) -> AbstractContextManager[duckdb.DuckDBPyConnection]: ...

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]: ...


@dataclass(frozen=True)
class StoredSession:
    """A live session as stored: its key (role, partner), CSRF token and end."""

    key_id: str
    role: str
    partner_id: str | None
    csrf: str
    expires_at: datetime


class AccessTables:
    """Keys, sign-in links and sessions; their writes change no data (``data=False``): no
    view is rebuilt for them. A key created or revoked counts as a change of keys
    (``keys=True``): the service's cache of checked keys starts afresh."""

    def put_key(
        self: _Tables, *, key_id: str, secret_hash: str, role: str, partner_id: str | None
    ) -> None:
        with self._transaction(data=False, keys=True) as db:
            db.execute(
                "INSERT INTO api_keys VALUES (?, ?, ?, ?, ?, NULL)",
                [key_id, secret_hash, role, partner_id, now()],
            )

    def key(self: _Tables, key_id: str) -> Key | None:
        rows = self._rows("SELECT * FROM api_keys WHERE key_id = ?", [key_id])
        return Key(*rows[0]) if rows else None

    def list_keys(self: _Tables) -> list[Key]:
        return [Key(*row) for row in self._rows("SELECT * FROM api_keys ORDER BY created_at")]

    def revoke_key(self: _Tables, key_id: str) -> bool:
        with self._transaction(data=False, keys=True) as db:
            rows = db.execute(
                "UPDATE api_keys SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL"
                " RETURNING key_id",
                [now(), key_id],
            ).fetchall()
        return bool(rows)

    def has_admin_key(self: _Tables) -> bool:
        return bool(
            self._rows("SELECT 1 FROM api_keys WHERE role = ? AND revoked_at IS NULL", [Role.ADMIN])
        )

    def put_sign_in_link(
        self: _Tables, *, link_hash: str, key_id: str, expires_at: datetime
    ) -> None:
        with self._transaction(data=False) as db:
            db.execute(
                "INSERT INTO sign_in_links VALUES (?, ?, ?, NULL)", [link_hash, key_id, expires_at]
            )

    def use_sign_in_link(self: _Tables, link_hash: str) -> str | None:
        """The key id of an unused, unexpired link, which is used up; else None."""
        at = now()
        with self._transaction(data=False) as db:
            rows = db.execute(
                "UPDATE sign_in_links SET used_at = ? WHERE link_hash = ? AND used_at IS NULL"
                " AND expires_at > ? RETURNING key_id",
                [at, link_hash, at],
            ).fetchall()
        return str(rows[0][0]) if rows else None

    def put_session(
        self: _Tables,
        *,
        token_hash: str,
        key_id: str,
        csrf: str,
        at: datetime,
        expires_at: datetime,
    ) -> None:
        """Keep a session opened ``at`` that time; the sessions ended by then go."""
        with self._transaction(data=False) as db:
            db.execute("DELETE FROM web_sessions WHERE expires_at <= ?", [at])
            db.execute(
                "INSERT INTO web_sessions VALUES (?, ?, ?, ?, ?)",
                [token_hash, key_id, csrf, at, expires_at],
            )

    def session(self: _Tables, token_hash: str, *, at: datetime) -> StoredSession | None:
        """The session of ``token_hash`` live ``at`` that time, with a key not revoked."""
        rows = self._rows(
            "SELECT s.key_id, k.role, k.partner_id, s.csrf, s.expires_at"
            " FROM web_sessions s JOIN api_keys k USING (key_id)"
            " WHERE s.token_hash = ? AND s.expires_at > ? AND k.revoked_at IS NULL",
            [token_hash, at],
        )
        return StoredSession(*rows[0]) if rows else None

    def end_session(self: _Tables, token_hash: str) -> None:
        with self._transaction(data=False) as db:
            db.execute("DELETE FROM web_sessions WHERE token_hash = ?", [token_hash])
