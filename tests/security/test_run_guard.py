"""One match run at a time, however many ask at once (issue 21, defect 6).

Ten concurrent ``POST /runs`` used to start three runs: the check and the insert were apart.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from overlap.api.store import Store, StoreError
from overlap.schema import RunStatus

CALLERS = 10


def test_of_ten_concurrent_run_requests_exactly_one_creates_a_run() -> None:
    store = Store.open(":memory:")
    ready = threading.Barrier(CALLERS)

    def ask() -> str | None:
        ready.wait()
        try:
            return str(store.create_run()["run_id"])
        except StoreError:
            return None

    with ThreadPoolExecutor(CALLERS) as pool:
        created = [r for r in pool.map(lambda _: ask(), range(CALLERS)) if r is not None]
    assert len(created) == 1
    assert [r["run_id"] for r in store.runs()] == created
    store.close()


@pytest.mark.parametrize("status", [RunStatus.QUEUED, RunStatus.RUNNING])
def test_a_run_cannot_be_created_while_another_is_queued_or_running(status: RunStatus) -> None:
    store = Store.open(":memory:")
    going = store.create_run()["run_id"]
    if status == RunStatus.RUNNING:
        store.start_run(going)
    with pytest.raises(StoreError, match="already queued or running"):
        store.create_run()
    store.fail_run(going, "test")
    assert store.create_run()["status"] == RunStatus.QUEUED
    store.close()
