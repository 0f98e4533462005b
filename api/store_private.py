"""The store's tables of private matching: PSI sessions, encodings handed in, and the pairs
matched on encodings.

``PrivateTables`` is a part of ``Store`` (its base class), kept apart so ``store.py`` holds
the data. Sessions and encodings live in the database, so a restart of the service loses
none of them; each is found only until it expires, and the expired ones go at the next
write. A session holds the vendor's secret scalar of that session: the database is the
vendor's, and the row goes when the session expires. The matched pairs stay with the
partner's list version they were matched for: a later run of the plaintext engine keeps
them (``private_runs.with_private_matches``) until the partner hands in a list.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from contextlib import AbstractContextManager
from datetime import timedelta
from typing import Any, Protocol

import duckdb
import polars as pl

from overlap import schema
from overlap.api.store_access import now

SESSION_LIFE = timedelta(hours=1)
"""How long the vendor's side of a PSI session waits for the partner's reply and then
keeps what it learned."""
ENCODINGS_LIFE = timedelta(days=7)
"""How long encodings a partner handed in wait for the vendor to match them."""
KEPT_SESSIONS = 64
"""Live sessions kept per partner: a partner opening more forgets its oldest."""

MATCH_SCHEMA = {
    schema.VENDOR_ID: pl.String(),
    schema.PARTNER_ID: pl.String(),
    schema.SCORE: pl.Float64(),
}
"""Pairs matched on encodings: the vendor's record, the partner's record, the score."""


class _Tables(Protocol):
    """What the tables of ``PrivateTables`` need of the ``Store`` they are part of."""

    def _transaction(
        self, *, data: bool = True, keys: bool = False
    ) -> AbstractContextManager[duckdb.DuckDBPyConnection]: ...

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]: ...

    def _frame(self, sql: str, params: Sequence[Any] = ()) -> pl.DataFrame: ...


class PrivateTables:
    """PSI sessions, handed-in encodings and private matches; the first two change no data
    a view is built from (``data=False``)."""

    def put_psi_session(
        self: _Tables, partner_id: str, session_id: str, state: dict[str, Any], offer: str
    ) -> None:
        """Keep the vendor's ``state`` of a new session and the partner's ``offer``."""
        at = now()
        with self._transaction(data=False) as db:
            db.execute("DELETE FROM private_psi_sessions WHERE expires_at <= ?", [at])
            db.execute(
                "INSERT INTO private_psi_sessions VALUES (?, ?, ?, ?, NULL, ?, ?)",
                [partner_id, session_id, json.dumps(state), offer, at, at + SESSION_LIFE],
            )
            db.execute(
                "DELETE FROM private_psi_sessions WHERE partner_id = ? AND session_id NOT IN ("
                " SELECT session_id FROM private_psi_sessions WHERE partner_id = ?"
                " ORDER BY created_at DESC LIMIT ?)",
                [partner_id, partner_id, KEPT_SESSIONS],
            )

    def psi_session(
        self: _Tables, partner_id: str, session_id: str
    ) -> tuple[dict[str, Any], str, list[dict[str, Any]] | None] | None:
        """A live session's state, the partner's offer and what the vendor learned (None
        before the partner's reply); None if there is no such session or it expired."""
        rows = self._rows(
            "SELECT state, offer, result FROM private_psi_sessions"
            " WHERE partner_id = ? AND session_id = ? AND expires_at > ?",
            [partner_id, session_id, now()],
        )
        if not rows:
            return None
        state, offer, result = rows[0]
        return json.loads(state), str(offer), None if result is None else json.loads(result)

    def finish_psi_session(
        self: _Tables, partner_id: str, session_id: str, result: list[dict[str, Any]]
    ) -> None:
        """Keep what the vendor learned in a session."""
        with self._transaction(data=False) as db:
            db.execute(
                "UPDATE private_psi_sessions SET result = ?"
                " WHERE partner_id = ? AND session_id = ?",
                [json.dumps(result), partner_id, session_id],
            )

    def put_encodings(self: _Tables, partner_id: str, encodings: bytes) -> None:
        """Keep a partner's encodings (a ``.clk.jsonl`` file's bytes) in place of earlier ones."""
        at = now()
        with self._transaction(data=False) as db:
            db.execute("DELETE FROM private_encodings WHERE expires_at <= ?", [at])
            db.execute(
                "INSERT OR REPLACE INTO private_encodings VALUES (?, ?, ?, ?)",
                [partner_id, encodings, at, at + ENCODINGS_LIFE],
            )

    def encodings(self: _Tables, partner_id: str) -> bytes | None:
        """The partner's latest encodings, unless they expired."""
        rows = self._rows(
            "SELECT encodings FROM private_encodings WHERE partner_id = ? AND expires_at > ?",
            [partner_id, now()],
        )
        return bytes(rows[0][0]) if rows else None

    def put_private_matches(
        self: _Tables, partner_id: str, list_id: str, matches: pl.DataFrame
    ) -> None:
        """Keep ``matches`` (``MATCH_SCHEMA``) of the partner's list version ``list_id``, in
        place of the partner's earlier ones."""
        frame = matches.select(
            pl.lit(partner_id).alias("owner"),
            pl.lit(list_id).alias("list_id"),
            *(pl.col(c).cast(t) for c, t in MATCH_SCHEMA.items()),
        )
        with self._transaction() as db:
            db.execute("DELETE FROM private_matches WHERE owner = ?", [partner_id])
            db.register("incoming", frame)
            try:
                db.execute("INSERT INTO private_matches SELECT * FROM incoming")
            finally:
                db.unregister("incoming")

    def private_matches(self: _Tables) -> dict[str, pl.DataFrame]:
        """Per partner, the pairs matched on encodings of the partner's latest list: none
        for a partner who has since handed in another list."""
        frame = self._frame(
            "SELECT m.* FROM private_matches m JOIN ("
            " SELECT owner, arg_max(list_id, version) AS list_id FROM lists GROUP BY owner"
            ") l USING (owner, list_id)"
        )
        return {
            str(owner): group.select(pl.col(c).cast(t) for c, t in MATCH_SCHEMA.items())
            for (owner,), group in frame.group_by("owner", maintain_order=True)
        }
