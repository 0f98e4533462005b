"""Cancelling a match run: it stops, stores nothing, and the previous results stay served."""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest
from api_world import Api

from overlap.api import service as service_module
from overlap.api.service import run_match
from overlap.api.store import RunCancelled, Store


def test_a_queued_run_is_cancelled_by_staff_and_then_never_starts(api: Api) -> None:
    run_id = api.store.create_run()["run_id"]
    refused = api.client.post(f"/runs/{run_id}/cancel", headers=api.headers("sales"))
    assert refused.status_code == 403
    cancelled = api.client.post(f"/runs/{run_id}/cancel", headers=api.headers("ecosystem"))
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["finished_at"] is not None
    previous = api.store.latest_succeeded_run()
    run_match(api.store, run_id)
    run = api.store.run(run_id)
    assert run is not None and run["status"] == "cancelled" and run["started_at"] is None
    assert api.store.latest_succeeded_run() == previous


def test_only_a_live_run_can_be_cancelled(api: Api) -> None:
    ended = api.store.latest_succeeded_run()
    again = api.client.post(f"/runs/{ended}/cancel", headers=api.headers("admin"))
    assert again.status_code == 409
    assert "succeeded" in again.json()["detail"]
    unknown = api.client.post("/runs/nope/cancel", headers=api.headers("admin"))
    assert unknown.status_code == 404


def test_a_run_cancelled_half_way_stops_and_leaves_the_previous_results_served(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    previous = api.store.latest_succeeded_run()
    matrix = api.client.get("/matrix", headers=api.headers("admin")).json()
    steps: list[str] = []

    def cancelled_half_way(store: Any, *, progress: Any, **_: Any) -> tuple[pl.DataFrame, ...]:
        progress("compare", 1, 2)
        steps.append("compared half")
        going = api.store.runs()[0]["run_id"]
        assert api.client.post(f"/runs/{going}/cancel", headers=api.headers("admin")).is_success
        progress("compare", 2, 2)
        steps.append("compared all")  # never: the run stops at its next step
        raise AssertionError("a cancelled run went on")

    monkeypatch.setattr(service_module, "match_apart", cancelled_half_way)
    started = api.client.post("/runs", headers=api.headers("ecosystem")).json()
    run = api.client.get(f"/runs/{started['run_id']}", headers=api.headers("admin")).json()
    assert steps == ["compared half"]
    assert (run["status"], run["error"]) == ("cancelled", None)
    assert api.store.latest_succeeded_run() == previous
    assert api.store.companies(started["run_id"]).is_empty()
    assert api.client.get("/matrix", headers=api.headers("admin")).json() == matrix
    next_run = api.store.create_run()["run_id"]  # nothing is left going
    assert api.store.cancel_run(next_run)


def test_the_results_of_a_run_cancelled_at_its_last_step_are_not_stored() -> None:
    store = Store.open(":memory:")
    run_id = store.create_run()["run_id"]
    store.start_run(run_id)
    assert store.cancel_run(run_id)
    companies = pl.DataFrame(
        {"owner": ["vendor"], "id": ["1"], "company_id": ["vendor:1"], "score": [1.0]}
    ).with_columns(pl.lit(None, pl.String).alias("reason"))
    with pytest.raises(RunCancelled):
        store.finish_run(run_id, companies)
    with pytest.raises(RunCancelled):
        store.set_progress(run_id, 0.5, "compare")
    store.fail_run(run_id, "an error after the cancel")
    run = store.run(run_id)
    assert run is not None and (run["status"], run["error"]) == ("cancelled", None)
    assert store.latest_succeeded_run() is None
    assert store.companies(run_id).is_empty()
    store.close()
