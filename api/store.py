"""DuckDB persistence behind a small interface: partners, list versions, match runs, keys.

``Store.open(path)`` opens (or creates) the database file, applies the migrations
it has not seen (``api.migrations.MIGRATIONS``, recorded in ``schema_version``) and
marks as failed every run still "running" from before this process, so a run killed
half way never leaves its partial state served. Writes that must not be seen half
done (an upload, the results of a run) are one transaction each: a failed upload
leaves the previous version of the list untouched, and a run's companies appear all
at once.

``generation`` grows with every write and ``data_generation`` with every write that
changes lists, partners, the catalogue or runs, so readers can cache what they build
from the store (an Ecosystem, a Recommender) and rebuild only when it changed.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Collection, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from overlap import schema
from overlap.api.database import Database, quote, quoted
from overlap.api.migrations import MIGRATIONS
from overlap.api.store_access import AccessTables
from overlap.api.store_access import now as _now
from overlap.api.store_private import PrivateTables
from overlap.ecosystem.data import DEAL_SCHEMA, PARTNER_SCHEMA, PRODUCT_SCHEMA, VENDOR
from overlap.errors import OverlapError
from overlap.schema import RunStatus, SharingLevel

__all__ = [
    "DEFAULT_SHARING",
    "RunCancelled",
    "Store",
    "StoreError",
]

DEFAULT_SHARING: dict[str, Any] = {
    "vendor_to_partner": dict.fromkeys(schema.POPULATIONS, SharingLevel.COUNTS),
    "partner_to_vendor": dict.fromkeys(schema.POPULATIONS, SharingLevel.OVERLAP),
    "shared_fields": [schema.NAME, schema.WEBSITE, schema.COUNTRY, schema.STATUS],
}
"""What a new partner shares: counts one way, overlapping records the other."""

ACCOUNT_COLUMNS = tuple(schema.ACCOUNT_SCHEMA)
COMPANY_COLUMNS = (schema.LIST_OWNER, schema.ID, schema.COMPANY_ID, schema.SCORE, schema.REASON)
REVIEW_SCHEMA = {
    "vendor_id": pl.String(),
    schema.PARTNER_ID: pl.String(),
    "partner_account_id": pl.String(),
    schema.SCORE: pl.Float64(),
    "relation": pl.String(),
    "why": pl.String(),
    schema.REASON: pl.String(),
}
"""A review queue's columns: the vendor record, the partner and its record, and the pair's
score, relation, why it is there and the reason (``matching.review``)."""


class StoreError(OverlapError):
    """The store cannot do what was asked: unknown partner, run or key."""


class RunCancelled(StoreError):
    """The run was cancelled (or is otherwise no longer going): it must write nothing more."""

    def __init__(self, run_id: str) -> None:
        self.run_id = run_id
        super().__init__(f"run {run_id} was cancelled")


class Store(Database, AccessTables, PrivateTables):
    """The service's state in one DuckDB database; thread-safe behind one lock
    (``database.Database``). Its API keys, sign-in links and web sessions are
    ``store_access.AccessTables``', its private matching ``store_private.PrivateTables``'.
    """

    @classmethod
    def open(cls, path: str | Path, *, started_at: datetime | None = None) -> Store:
        """Open ``path`` (``":memory:"`` for a throw-away store), migrated and recovered.

        Runs queued or running since before ``started_at`` (default: now) belong to a
        process that is gone: they are marked failed and can be started again.
        """
        try:
            connection = duckdb.connect(str(path))
        except duckdb.IOException as error:
            reason = str(error).removeprefix("IO Error: ").split(". See also", 1)[0]
            if "lock" in reason:
                reason = (
                    "another process holds it (a running `overlap serve`?): stop that process"
                    " first, or use the service's API"
                )
            raise StoreError(f"cannot open the store {path}: {reason}") from None
        store = cls(connection)
        store.migrate()
        store.fail_stale_runs(before=started_at or _now())
        return store

    @property
    def schema_version(self) -> int:
        return int(self._rows("SELECT max(version) FROM schema_version")[0][0] or 0)

    def migrate(self) -> None:
        """Apply the migrations past the recorded schema version, each in a transaction."""
        with self._lock:
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS schema_version"
                " (version INTEGER PRIMARY KEY, applied_at TIMESTAMP)"
            )
        for version, sql in enumerate(MIGRATIONS, start=1):
            if version <= self.schema_version:
                continue
            with self._transaction() as db:
                db.execute(sql)
                db.execute("INSERT INTO schema_version VALUES (?, ?)", [version, _now()])

    def ping(self) -> bool:
        return self._rows("SELECT 1")[0][0] == 1

    def is_empty(self) -> bool:
        """True when no partner and no list was ever stored."""
        return (
            self._rows("SELECT (SELECT count(*) FROM partners) + (SELECT count(*) FROM lists)")[0][
                0
            ]
            == 0
        )

    # --- partners -----------------------------------------------------------------
    def put_partner(self, partner: Mapping[str, Any]) -> None:
        """Create or replace a partner (``PARTNER_SCHEMA`` fields plus ``sharing``)."""
        sharing = partner.get("sharing") or DEFAULT_SHARING
        with self._transaction() as db:
            db.execute("DELETE FROM partners WHERE partner_id = ?", [partner["partner_id"]])
            db.execute(
                "INSERT INTO partners VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    partner["partner_id"],
                    partner["name"],
                    partner.get("type"),
                    partner.get("role"),
                    partner.get("tier"),
                    partner.get("points"),
                    list(partner.get("certifications") or []),
                    json.dumps(sharing),
                ],
            )

    def partners(self) -> list[dict[str, Any]]:
        """Every partner, by id, with its sharing rules as a dict."""
        rows = self._frame("SELECT * FROM partners ORDER BY partner_id").to_dicts()
        for row in rows:
            row["sharing"] = json.loads(row["sharing"])
            row["certifications"] = list(row["certifications"] or [])
        return rows

    def partner(self, partner_id: str) -> dict[str, Any] | None:
        return next((p for p in self.partners() if p["partner_id"] == partner_id), None)

    def partner_frame(self) -> pl.DataFrame:
        """The partner directory as ``PARTNER_SCHEMA``."""
        rows = [{c: p[c] for c in PARTNER_SCHEMA} for p in self.partners()]
        return pl.DataFrame(rows, schema=PARTNER_SCHEMA)

    # --- account lists ------------------------------------------------------------
    def put_list(
        self,
        owner: str,
        accounts: pl.DataFrame | Path,
        *,
        file_name: str | None,
        as_of: date | None = None,
    ) -> int:
        """Store a new version of ``owner``'s list, all or nothing; returns the version.

        ``accounts`` is a frame, or a Parquet file of ``schema.ACCOUNT_SCHEMA`` columns
        that DuckDB reads as it inserts (a large upload never held in memory here).
        ``as_of`` is the day the list was exported on (by default, today's).
        """
        if owner != VENDOR and self.partner(owner) is None:
            raise StoreError(f"no partner {owner!r}")
        fields = ", ".join(quote(c) for c in ACCOUNT_COLUMNS)
        columns = f'"list_id", {fields}'
        if isinstance(accounts, Path):
            rows = pl.scan_parquet(accounts).select(pl.len()).collect().item()
        else:
            frame = accounts.select(
                pl.col(c).cast(t) if c in accounts.columns else pl.lit(None, t).alias(c)
                for c, t in schema.ACCOUNT_SCHEMA.items()
            )
            rows = frame.height
        now = _now()
        with self._transaction() as db:
            (version,) = db.execute(
                "SELECT coalesce(max(version), 0) + 1 FROM lists WHERE owner = ?", [owner]
            ).fetchone() or (1,)
            list_id = f"{owner}@{version}"
            db.execute(
                "INSERT INTO lists"
                " (list_id, owner, version, uploaded_at, file_name, row_count, as_of)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                [list_id, owner, version, now, file_name, rows, as_of or now.date()],
            )
            if isinstance(accounts, Path):
                db.execute(
                    f"INSERT INTO accounts ({columns}) SELECT ?, {fields} FROM read_parquet(?)",
                    [list_id, str(accounts)],
                )
                return int(version)
            db.register("incoming", frame.with_columns(pl.lit(list_id).alias("list_id")))
            try:
                db.execute(f"INSERT INTO accounts ({columns}) SELECT {columns} FROM incoming")
            finally:
                db.unregister("incoming")
        return int(version)

    def list_versions(self, owner: str | None = None) -> list[dict[str, Any]]:
        where, params = ("WHERE owner = ?", [owner]) if owner else ("", [])
        return self._frame(
            f"SELECT * FROM lists {where} ORDER BY owner, version", params
        ).to_dicts()

    def latest_lists(self) -> dict[str, pl.DataFrame]:
        """The latest version of every owner's list, as account frames."""
        return {owner: self._list(list_id) for owner, list_id in self.latest_list_ids().items()}

    def _list(self, list_id: str) -> pl.DataFrame:
        """One list version's accounts; a column none of them fills is a null constant.

        Read as rows, an empty text column would take 16 bytes a record in polars (a
        million records, twenty columns: 300 MB); as a constant it takes none.
        """
        counts = ", ".join(f"count({quote(c)}) > 0" for c in ACCOUNT_COLUMNS)
        filled = self._rows(f"SELECT {counts} FROM accounts WHERE list_id = ?", [list_id])[0]
        read = [c for c, some in zip(ACCOUNT_COLUMNS, filled, strict=True) if some] or [schema.ID]
        columns = ", ".join(quote(c) for c in read)
        frame = self._frame(f"SELECT {columns} FROM accounts WHERE list_id = ?", [list_id])
        return frame.select(
            pl.col(c).cast(t) if c in read else pl.lit(None, t).alias(c)
            for c, t in schema.ACCOUNT_SCHEMA.items()
        )

    def write_latest_lists(self, path: Path) -> None:
        """Write the latest version of every list to one Parquet file, ``list_owner`` first,
        without reading them into memory here (``read_lists`` reads it back)."""
        columns = ", ".join(f'a."{c}"' for c in ACCOUNT_COLUMNS)
        with self._lock:
            self._db.execute(
                f"COPY (SELECT l.owner AS list_owner, {columns} FROM accounts a JOIN ("
                " SELECT owner, arg_max(list_id, version) AS list_id FROM lists GROUP BY owner"
                f") l USING (list_id)) TO '{quoted(path)}' (FORMAT parquet)"
            )

    def write_lists(self, path: Path, list_ids: Collection[str]) -> None:
        """Write the accounts of the list versions ``list_ids`` to one Parquet file, with
        their ``list_id``, in the order they were stored, without reading them here."""
        columns = ", ".join(quote(c) for c in ("list_id", *ACCOUNT_COLUMNS))
        among = ", ".join("?" for _ in list_ids) or "NULL"
        with self._lock:
            self._db.execute(
                f"COPY (SELECT {columns} FROM accounts WHERE list_id IN ({among}))"
                f" TO '{quoted(path)}' (FORMAT parquet)",
                list(list_ids),
            )

    def write_companies(self, path: Path) -> None:
        """Write ``owner``, ``id``, ``company_id`` of the latest succeeded run's records to
        a Parquet file (none before a run), without reading them here."""
        with self._lock:
            self._db.execute(
                "COPY (SELECT owner, id, company_id FROM companies WHERE run_id = ?)"
                f" TO '{quoted(path)}' (FORMAT parquet)",
                [self.latest_succeeded_run()],
            )

    def example_account(self) -> str | None:
        """A vendor account id to show in examples, or None without a vendor list.

        The largest deal among the accounts whose company a partner lists too (by the
        latest succeeded run), else the largest deal, else the first account of the list.
        """
        rows = self._rows(
            "WITH vendor AS ("
            " SELECT id, amount, source_row FROM accounts WHERE list_id = ("
            "  SELECT arg_max(list_id, version) FROM lists WHERE owner = ?)"
            "), run AS ("
            " SELECT run_id FROM runs WHERE status = ?"
            " ORDER BY finished_at DESC LIMIT 1"
            "), listed AS ("
            " SELECT v.id FROM companies v JOIN companies p USING (run_id, company_id)"
            " WHERE v.run_id = (SELECT run_id FROM run)"
            " AND v.owner = ? AND p.owner <> ?"
            ") SELECT id FROM vendor ORDER BY id IN (SELECT id FROM listed) DESC,"
            " amount DESC NULLS LAST, source_row, id LIMIT 1",
            [VENDOR, RunStatus.SUCCEEDED, VENDOR, VENDOR],
        )
        return str(rows[0][0]) if rows else None

    def latest_list_ids(self) -> dict[str, str]:
        rows = self._rows("SELECT owner, arg_max(list_id, version) FROM lists GROUP BY owner")
        return {str(o): str(i) for o, i in rows}

    # --- products and deals -------------------------------------------------------
    def put_catalogue(self, products: pl.DataFrame, deals: pl.DataFrame) -> None:
        """Replace products (``PRODUCT_SCHEMA``) and deals (``DEAL_SCHEMA``) at once."""
        with self._transaction() as db:
            db.execute("DELETE FROM products")
            db.execute("DELETE FROM deals")
            db.register("p", products.select(pl.col(c).cast(t) for c, t in PRODUCT_SCHEMA.items()))
            db.register("d", deals.select(pl.col(c).cast(t) for c, t in DEAL_SCHEMA.items()))
            try:
                db.execute("INSERT INTO products SELECT * FROM p")
                db.execute("INSERT INTO deals SELECT * FROM d")
            finally:
                db.unregister("p")
                db.unregister("d")

    def products(self) -> pl.DataFrame:
        frame = self._frame("SELECT * FROM products ORDER BY product_id")
        return frame.select(pl.col(c).cast(t) for c, t in PRODUCT_SCHEMA.items())

    def deals(self) -> pl.DataFrame:
        frame = self._frame("SELECT * FROM deals ORDER BY deal_id")
        return frame.select(pl.col(c).cast(t) for c, t in DEAL_SCHEMA.items())

    # --- match runs ---------------------------------------------------------------
    def create_run(self) -> dict[str, Any]:
        """A queued run over the latest version of every list; StoreError while another run
        is queued or running (checked in the transaction that inserts: one run at a time)."""
        run_id = uuid.uuid4().hex[:12]
        with self._transaction(data=False) as db:
            going = db.execute(
                "SELECT run_id FROM runs WHERE status IN (?, ?) LIMIT 1",
                [RunStatus.QUEUED, RunStatus.RUNNING],
            ).fetchone()
            if going is not None:
                raise StoreError(f"run {going[0]} is already queued or running; wait for it")
            db.execute(
                "INSERT INTO runs (run_id, status, progress, created_at, lists)"
                " VALUES (?, ?, 0, ?, ?)",
                [run_id, RunStatus.QUEUED, _now(), json.dumps(self.latest_list_ids())],
            )
        return self.run(run_id) or {}

    def start_run(self, run_id: str) -> None:
        """Mark a queued run running; ``RunCancelled`` if it was cancelled meanwhile."""
        with self._transaction(data=False) as db:
            started = db.execute(
                "UPDATE runs SET status = ?, started_at = ?, error = NULL,"
                " finished_at = NULL, progress = 0 WHERE run_id = ? AND status = ?"
                " RETURNING run_id",
                [RunStatus.RUNNING, _now(), run_id, RunStatus.QUEUED],
            ).fetchall()
        if not started:
            raise RunCancelled(run_id)

    def set_progress(self, run_id: str, progress: float, stage: str) -> None:
        """Move a running run's progress; ``RunCancelled`` once it is cancelled, which
        is how a run learns it must stop."""
        with self._lock:
            # progress is advisory: not a generation change
            moved = self._db.execute(
                "UPDATE runs SET progress = ?, stage = ? WHERE run_id = ? AND status = ?"
                " RETURNING run_id",
                [progress, stage, run_id, RunStatus.RUNNING],
            ).fetchall()
        if not moved:
            raise RunCancelled(run_id)

    def cancel_run(self, run_id: str) -> bool:
        """Mark a queued or running run cancelled; False if it was neither. The run stops
        at its next step (``set_progress``) and its results are never stored."""
        with self._transaction(data=False) as db:
            rows = db.execute(
                "UPDATE runs SET status = ?, finished_at = ? WHERE run_id = ? AND status IN (?, ?)"
                " RETURNING run_id",
                [RunStatus.CANCELLED, _now(), run_id, RunStatus.QUEUED, RunStatus.RUNNING],
            ).fetchall()
        return bool(rows)

    def finish_run(
        self, run_id: str, companies: pl.DataFrame, review: pl.DataFrame | None = None
    ) -> None:
        """Store a run's companies and review queue (``REVIEW_SCHEMA``; none if not given)
        and mark it succeeded, in one transaction: none of it if the run is no longer
        running (cancelled: ``RunCancelled``)."""
        run = pl.lit(run_id).alias("run_id")
        queue = pl.DataFrame(schema=REVIEW_SCHEMA) if review is None else review
        tables = {
            "companies": companies.select(run, *COMPANY_COLUMNS),
            "review": queue.select(run, *REVIEW_SCHEMA),
        }
        with self._transaction() as db:
            for table, frame in tables.items():
                db.register("result", frame)
                try:
                    db.execute(f"INSERT INTO {table} SELECT * FROM result")
                finally:
                    db.unregister("result")
            finished = db.execute(
                "UPDATE runs SET status = ?, progress = 1, finished_at = ?"
                " WHERE run_id = ? AND status = ? RETURNING run_id",
                [RunStatus.SUCCEEDED, _now(), run_id, RunStatus.RUNNING],
            ).fetchall()
            if not finished:
                raise RunCancelled(run_id)

    def fail_run(self, run_id: str, error: str) -> None:
        """Mark a run failed, unless it was cancelled: that it stays."""
        with self._transaction(data=False) as db:
            db.execute(
                "UPDATE runs SET status = ?, finished_at = ?, error = ?"
                " WHERE run_id = ? AND status <> ?",
                [RunStatus.FAILED, _now(), error, run_id, RunStatus.CANCELLED],
            )

    def fail_stale_runs(self, *, before: datetime) -> int:
        """Mark failed the runs queued or running since before ``before``; how many."""
        with self._transaction(data=False) as db:
            rows = db.execute(
                "UPDATE runs SET status = ?, finished_at = ?,"
                " error = 'interrupted: the process running it stopped'"
                " WHERE status IN (?, ?) AND created_at < ? RETURNING run_id",
                [RunStatus.FAILED, _now(), RunStatus.QUEUED, RunStatus.RUNNING, before],
            ).fetchall()
        return len(rows)

    def runs(self) -> list[dict[str, Any]]:
        rows = self._frame("SELECT * FROM runs ORDER BY created_at DESC").to_dicts()
        for row in rows:
            row["lists"] = json.loads(row["lists"] or "{}")
        return rows

    def run(self, run_id: str) -> dict[str, Any] | None:
        return next((r for r in self.runs() if r["run_id"] == run_id), None)

    def latest_succeeded_run(self) -> str | None:
        rows = self._rows(
            "SELECT run_id FROM runs WHERE status = ? ORDER BY finished_at DESC LIMIT 1",
            [RunStatus.SUCCEEDED],
        )
        return str(rows[0][0]) if rows else None

    def companies(self, run_id: str | None = None) -> pl.DataFrame:
        """``owner``, ``id``, ``company_id``, ``score``, ``reason`` of a run (default: latest
        succeeded); ``reason`` says why the record is in its company (null if alone)."""
        run_id = run_id or self.latest_succeeded_run()
        frame = self._frame(
            "SELECT owner, id, company_id, score, reason FROM companies WHERE run_id = ?",
            [run_id],
        )
        return frame.select(
            pl.col(schema.LIST_OWNER, schema.ID, schema.COMPANY_ID).cast(pl.String),
            pl.col(schema.SCORE).cast(pl.Float64),
            pl.col(schema.REASON).cast(pl.String),
        )

    def review(self, run_id: str) -> pl.DataFrame:
        """A run's review queue (``REVIEW_SCHEMA``), as the run left it."""
        columns = ", ".join(REVIEW_SCHEMA)
        frame = self._frame(f"SELECT {columns} FROM review WHERE run_id = ?", [run_id])
        return frame.cast(pl.Schema(REVIEW_SCHEMA))

    # --- feedback -----------------------------------------------------------------
    def put_feedback(
        self,
        *,
        vendor_id: str,
        partner_id: str,
        partner_account_id: str,
        decision: str,
        by: str | None,
    ) -> None:
        """Record (or replace) a decision on a vendor record and a partner record."""
        with self._transaction(data=False) as db:
            db.execute(
                "INSERT OR REPLACE INTO feedback VALUES (?, ?, ?, ?, ?, ?)",
                [vendor_id, partner_id, partner_account_id, decision, by, _now()],
            )

    def feedback(self) -> pl.DataFrame:
        return self._frame("SELECT * FROM feedback ORDER BY decided_at")
