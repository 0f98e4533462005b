"""The store's tables of signing in: one-time sign-in links and the web app's sessions.

``SignInTables`` is a part of ``Store`` (its base class), kept apart so ``store.py``
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


def now() -> datetime:
    """The time as the store keeps it: UTC without a time zone."""
    return datetime.now(UTC).replace(tzinfo=None)


class _Tables(Protocol):
    """What the tables of ``SignInTables`` need of the ``Store`` they are part of."""

    def _transaction(
        self, *, data: bool = True
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


class SignInTables:
    """Sign-in links and sessions; writes change no data (``data=False``): no view rebuilt."""

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
