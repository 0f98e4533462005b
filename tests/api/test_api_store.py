"""The DuckDB store: migrations, versioned lists, atomic writes, recovery of stale runs."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from overlap import schema
from overlap.api.migrations import MIGRATIONS
from overlap.api.runner import read_lists
from overlap.api.store import Store, StoreError


def accounts(*names: str) -> pl.DataFrame:
    return pl.DataFrame(
        {schema.ID: [str(i) for i in range(len(names))], schema.NAME: list(names)}
    ).with_columns(pl.int_range(1, pl.len() + 1).alias(schema.ROW))


def test_a_new_store_is_migrated_to_the_last_version_and_reopening_changes_nothing(
    tmp_path: Path,
) -> None:
    path = tmp_path / "s.duckdb"
    store = Store.open(path)
    assert store.schema_version == len(MIGRATIONS)
    store.put_partner({"partner_id": "P1", "name": "One"})
    store.close()
    store = Store.open(path)
    assert store.schema_version == len(MIGRATIONS)
    assert [p["partner_id"] for p in store.partners()] == ["P1"]
    store.close()


def test_a_reupload_is_a_new_version_and_the_history_is_kept() -> None:
    store = Store.open(":memory:")
    store.put_partner({"partner_id": "P1", "name": "One"})
    assert store.put_list("P1", accounts("Acme"), file_name="a.csv") == 1
    assert store.put_list("P1", accounts("Acme", "Beta"), file_name="b.csv") == 2
    assert [v["row_count"] for v in store.list_versions("P1")] == [1, 2]
    assert store.latest_lists()["P1"][schema.NAME].to_list() == ["Acme", "Beta"]


def test_a_failed_upload_leaves_the_previous_list_untouched() -> None:
    store = Store.open(":memory:")
    store.put_list("vendor", accounts("Acme"), file_name="a.csv")
    broken = accounts("Beta").with_columns(pl.lit("not a number").alias(schema.EMPLOYEES))
    with pytest.raises(pl.exceptions.InvalidOperationError):
        store.put_list("vendor", broken, file_name="b.csv")
    assert [v["version"] for v in store.list_versions("vendor")] == [1]
    assert store.latest_lists()["vendor"][schema.NAME].to_list() == ["Acme"]


class FailingInserts:
    """A connection that fails when accounts are inserted: a crash half way in an upload."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection

    def execute(self, sql: str, *args: Any) -> Any:
        if sql.startswith("INSERT INTO accounts"):
            raise OSError("disk full")
        return self.connection.execute(sql, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.connection, name)


def test_an_upload_failing_inside_its_transaction_stores_no_version() -> None:
    store = Store.open(":memory:")
    store.put_list("vendor", accounts("Acme"), file_name="a.csv")
    real = store._db
    store._db = FailingInserts(real)  # type: ignore[assignment]
    with pytest.raises(OSError, match="disk full"):
        store.put_list("vendor", accounts("Beta"), file_name="b.csv")
    store._db = real
    assert [v["version"] for v in store.list_versions("vendor")] == [1]
    assert store.latest_lists()["vendor"][schema.NAME].to_list() == ["Acme"]


def test_a_list_of_an_unknown_partner_is_refused() -> None:
    with pytest.raises(StoreError, match="no partner"):
        Store.open(":memory:").put_list("P9", accounts("Acme"), file_name="a.csv")


def test_runs_left_running_by_a_dead_process_are_marked_failed_when_the_store_opens(
    tmp_path: Path,
) -> None:
    path = tmp_path / "s.duckdb"
    store = Store.open(path)
    run_id = store.create_run()["run_id"]
    store.start_run(run_id)
    store.close()
    reopened = Store.open(path, started_at=datetime.now() + timedelta(seconds=1))
    run = reopened.run(run_id)
    assert run is not None and run["status"] == "failed"
    assert "interrupted" in run["error"]
    reopened.close()


def test_a_runs_companies_appear_all_at_once_when_it_succeeds() -> None:
    store = Store.open(":memory:")
    first = store.create_run()["run_id"]
    companies = pl.DataFrame(
        {
            "owner": ["vendor"],
            "id": ["1"],
            "company_id": ["vendor:1"],
            "score": [1.0],
            "reason": [None],
        },
        schema_overrides={"reason": pl.String},
    )
    store.start_run(first)
    assert store.latest_succeeded_run() is None
    store.finish_run(first, companies)
    assert store.latest_succeeded_run() == first
    second = store.create_run()["run_id"]
    with pytest.raises(pl.exceptions.ColumnNotFoundError):
        store.finish_run(second, companies.drop("score"))
    assert store.latest_succeeded_run() == first
    assert store.companies()["company_id"].to_list() == ["vendor:1"]


def test_feedback_is_one_decision_per_pair_the_latest_wins() -> None:
    store = Store.open(":memory:")
    for decision in ("confirm", "reject"):
        store.put_feedback(
            vendor_id="1", partner_id="P1", partner_account_id="9", decision=decision, by="k"
        )
    assert store.feedback()["decision"].to_list() == ["reject"]


def test_only_writes_that_change_what_is_served_start_a_new_data_generation() -> None:
    store = Store.open(":memory:")
    store.put_partner({"partner_id": "P1", "name": "One"})
    before = store.data_generation
    store.put_key(key_id="k", secret_hash="h", role="sales", partner_id=None)
    store.put_feedback(
        vendor_id="1", partner_id="P1", partner_account_id="9", decision="reject", by="k"
    )
    store.fail_run(store.create_run()["run_id"], "test")
    assert store.data_generation == before
    store.put_list("P1", accounts("Acme"), file_name="a.csv")
    assert store.data_generation == before + 1


def test_a_list_stored_from_a_parquet_file_reads_back_as_the_same_list_from_a_frame(
    tmp_path: Path,
) -> None:
    store = Store.open(":memory:")
    store.put_partner({"partner_id": "P1", "name": "One"})
    frame = accounts("Acme", "Beta").with_columns(pl.lit("acme.com").alias(schema.WEBSITE))
    store.put_list("vendor", frame, file_name="a.csv")
    typed = store.latest_lists()["vendor"]
    typed.write_parquet(tmp_path / "a.parquet")
    assert store.put_list("P1", tmp_path / "a.parquet", file_name="a.parquet") == 1
    assert store.list_versions("P1")[0]["row_count"] == 2
    assert store.latest_lists()["P1"].equals(typed)
    assert typed.schema == pl.Schema(schema.ACCOUNT_SCHEMA)
    assert typed[schema.CITY].is_null().all() and typed[schema.WEBSITE].null_count() == 0


def test_the_latest_lists_written_for_a_match_are_those_the_store_reads(tmp_path: Path) -> None:
    store = Store.open(":memory:")
    store.put_partner({"partner_id": "P1", "name": "One"})
    store.put_list("vendor", accounts("Old"), file_name="a.csv")
    store.put_list("vendor", accounts("Acme", "Beta"), file_name="b.csv")
    store.put_list("P1", accounts("Acme Corp"), file_name="c.csv")
    store.write_latest_lists(tmp_path / "lists.parquet")
    written = read_lists(tmp_path / "lists.parquet")
    latest = store.latest_lists()
    assert sorted(written) == sorted(latest) == ["P1", "vendor"]
    for owner, frame in latest.items():
        assert written[owner].sort(schema.ID).equals(frame.sort(schema.ID))
