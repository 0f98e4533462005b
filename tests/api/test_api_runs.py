"""Match runs: background runs, results, feedback obeyed by the next run, and failures."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from api_world import SAMPLES, Api, make_api

from overlap.api import service as service_module
from overlap.api.service import load_directory
from overlap.api.store import Store

ROOT = Path(__file__).resolve().parents[2]


def _run(api: Api) -> dict[str, Any]:
    started = api.client.post("/runs", headers=api.headers("ecosystem"))
    assert started.status_code == 202, started.text
    assert started.json()["status"] == "queued"
    # the test client runs background tasks before it returns
    return api.client.get(f"/runs/{started.json()['run_id']}", headers=api.headers("admin")).json()


def _pairs(api: Api, run_id: str, partner_id: str) -> pl.DataFrame:
    body = api.client.get(
        f"/runs/{run_id}/matches?partner_id={partner_id}&limit=1000",
        headers=api.headers("admin"),
    ).json()
    return pl.DataFrame(body["items"])


def test_a_run_goes_from_queued_to_succeeded_and_serves_its_matches(api: Api) -> None:
    run = _run(api)
    assert (run["status"], run["progress"], run["error"]) == ("succeeded", 1.0, None)
    assert set(run["lists"]) == {"vendor", "PRT-001", "PRT-002", "PRT-003", "PRT-004", "PRT-005"}
    pairs = _pairs(api, run["run_id"], "PRT-001")
    assert pairs.height > 100
    assert set(pairs["partner_id"]) == {"PRT-001"}
    csv = api.client.get(f"/runs/{run['run_id']}/matches?format=csv", headers=api.headers("admin"))
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.text.splitlines()[0].startswith("vendor_id,partner_id,partner_account_id")


def test_feedback_is_kept_and_obeyed_by_the_next_run(api: Api) -> None:
    run_id = api.store.latest_succeeded_run()
    assert run_id is not None
    pairs = _pairs(api, run_id, "PRT-003")
    rejected = pairs.row(0, named=True)
    vendor_ids = set(api.store.latest_lists()["vendor"]["id"])
    unmatched_vendor = sorted(vendor_ids - set(pairs["vendor_id"]))[0]
    partner_ids = set(api.store.latest_lists()["PRT-003"]["id"])
    unmatched_partner = sorted(partner_ids - set(pairs["partner_account_id"]))[0]
    for vendor_id, partner_account_id, decision in (
        (rejected["vendor_id"], rejected["partner_account_id"], "reject"),
        (unmatched_vendor, unmatched_partner, "confirm"),
    ):
        response = api.client.post(
            "/feedback",
            headers=api.headers("ecosystem"),
            json={
                "vendor_id": vendor_id,
                "partner_id": "PRT-003",
                "partner_account_id": partner_account_id,
                "decision": decision,
            },
        )
        assert response.status_code == 201, response.text
    listed = api.client.get("/feedback?partner_id=PRT-003", headers=api.headers("admin")).json()
    assert {f["decision"] for f in listed} == {"confirm", "reject"}

    after = _pairs(api, _run(api)["run_id"], "PRT-003")
    keys = set(zip(after["vendor_id"], after["partner_account_id"], strict=True))
    assert (rejected["vendor_id"], rejected["partner_account_id"]) not in keys
    assert (unmatched_vendor, unmatched_partner) in keys


def test_each_match_carries_both_names_its_reason_and_whether_a_user_decided_it(
    api: Api,
) -> None:
    run_id = api.store.latest_succeeded_run()
    assert run_id is not None
    before = _pairs(api, run_id, "PRT-005")
    assert set(before["decided_by"]) == {"model"}
    # the model's reason: why the partner record is in the pair's company, as the run stored it
    stored = api.store.companies(run_id).filter(pl.col("owner") == "PRT-005")
    why = dict(zip(stored["id"], stored["reason"], strict=True))
    assert before["reason"].to_list() == [why[p] for p in before["partner_account_id"]]
    assert before["reason"].null_count() == 0
    assert before["vendor_name"].null_count() == 0 and before["partner_name"].null_count() == 0
    confirmed, rejected = before.row(0, named=True), before.row(1, named=True)
    for pair, decision in ((confirmed, "confirm"), (rejected, "reject")):
        response = api.client.post(
            "/feedback",
            headers=api.headers("ecosystem"),
            json={
                "vendor_id": pair["vendor_id"],
                "partner_id": "PRT-005",
                "partner_account_id": pair["partner_account_id"],
                "decision": decision,
            },
        )
        assert response.status_code == 201, response.text

    after = _pairs(api, run_id, "PRT-005")
    decided = after.filter(pl.col("decided_by") == "user")
    assert sorted(decided.select("vendor_id", "reason", "decision").rows()) == sorted(
        [
            (confirmed["vendor_id"], "confirmed by a user", "confirm"),
            (rejected["vendor_id"], "rejected by a user", "reject"),
        ]
    )
    assert decided["decided_at"].null_count() == 0
    assert (
        after.filter(pl.col("decided_by") == "model")["decision"].null_count() == after.height - 2
    )
    csv = api.client.get(f"/runs/{run_id}/matches?format=csv", headers=api.headers("admin"))
    assert "vendor_name,partner_name,score,reason,decided_by" in csv.text.splitlines()[0]


def test_feedback_on_an_unknown_record_is_404(api: Api) -> None:
    response = api.client.post(
        "/feedback",
        headers=api.headers("admin"),
        json={
            "vendor_id": "nope",
            "partner_id": "PRT-003",
            "partner_account_id": "nope",
            "decision": "confirm",
        },
    )
    assert response.status_code == 404


def test_a_second_run_while_one_is_queued_is_a_conflict(api: Api) -> None:
    queued = api.store.create_run()
    try:
        response = api.client.post("/runs", headers=api.headers("admin"))
        assert response.status_code == 409
    finally:
        api.store.fail_run(queued["run_id"], "test")


def test_a_run_that_fails_half_way_leaves_the_previous_results_served(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    previous = api.store.latest_succeeded_run()
    assert previous is not None
    matrix = api.client.get("/matrix", headers=api.headers("admin")).json()

    def half_way(store: Store, *, progress: Any, **_: Any) -> tuple[pl.DataFrame, ...]:
        progress("compare", 1, 2)
        raise MemoryError("killed half way")

    monkeypatch.setattr(service_module, "match_apart", half_way)
    failed = _run(api)
    assert failed["status"] == "failed"
    assert "killed half way" in failed["error"]
    assert api.store.latest_succeeded_run() == previous
    assert api.client.get("/matrix", headers=api.headers("admin")).json() == matrix
    assert _pairs(api, previous, "PRT-001").height > 0
    failed_matches = api.client.get(
        f"/runs/{failed['run_id']}/matches", headers=api.headers("admin")
    )
    assert failed_matches.status_code == 409

    monkeypatch.undo()
    assert _run(api)["status"] == "succeeded"


def test_a_match_process_killed_with_sigkill_fails_its_run_and_the_previous_results_stay(
    api: Api,
) -> None:
    previous = api.store.latest_succeeded_run()
    matrix = api.client.get("/matrix", headers=api.headers("admin")).json()
    run_id = str(api.store.create_run()["run_id"])
    killed: list[int] = []

    def kill_the_match(stage: str, fraction: float) -> None:
        for child in multiprocessing.active_children():  # the match's process, matching
            os.kill(child.pid or 0, signal.SIGKILL)
            killed.append(child.pid or 0)

    service_module.run_match(api.store, run_id, on_progress=kill_the_match)
    run = api.store.run(run_id)
    assert killed and run is not None
    assert run["status"] == "failed" and "stopped without an answer" in run["error"]
    assert api.store.latest_succeeded_run() == previous
    assert api.client.get("/matrix", headers=api.headers("admin")).json() == matrix
    assert _run(api)["status"] == "succeeded"


KILLED_RUN = textwrap.dedent(
    """
    import os, sys, time
    sys.path.insert(0, {root!r})
    from overlap.api.service import run_match
    from overlap.api.store import Store

    store = Store.open({db!r})
    run_id = store.create_run()["run_id"]

    def stall(stage, fraction):
        print("half way", flush=True)
        time.sleep(60)

    run_match(store, run_id, on_progress=stall)
    """
)


def test_a_run_killed_with_sigkill_is_marked_failed_on_restart_and_can_run_again(
    tmp_path: Path,
) -> None:
    db = str(tmp_path / "store.duckdb")
    store = Store.open(db)
    load_directory(store, SAMPLES)
    previous = store.latest_succeeded_run()
    companies = store.companies()
    store.close()

    script = KILLED_RUN.format(root=str(ROOT), db=db)
    process = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, cwd=tmp_path
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "half way"
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        if process.stdout is not None:
            process.stdout.close()

    store = Store.open(db)
    try:
        runs = store.runs()
        assert runs[0]["status"] == "failed" and "interrupted" in runs[0]["error"]
        assert store.latest_succeeded_run() == previous
        assert store.companies().sort("owner", "id").equals(companies.sort("owner", "id"))
        api_ = make_api(store)
        assert _run(api_)["status"] == "succeeded"
    finally:
        store.close()


def test_a_formula_in_a_partner_list_is_data_and_is_neutralised_in_csv_exports(
    api: Api,
) -> None:
    content = (
        'Company,Website,Status\n"=HYPERLINK(""http://evil.example"",""Gulf Coast"")",'
        "gulfcoastcomputing.com,Customer\n"
    )
    upload = api.client.post(
        "/lists/PRT-005",
        headers=api.headers("admin"),
        files={"file": ("tessellate.csv", content.encode(), "text/csv")},
    )
    assert upload.status_code == 201, upload.text
    assert _run(api)["status"] == "succeeded"
    drill = api.client.get(
        "/matrix/PRT-005/drill-down?vendor_population=customer&partner_population=customer",
        headers=api.headers("admin"),
    )
    names = [row["name"] for row in drill.json()["items"]]
    assert '=HYPERLINK("http://evil.example","Gulf Coast")' in names
    csv = api.client.get(
        "/matrix/PRT-005/drill-down?vendor_population=customer&partner_population=customer"
        "&format=csv",
        headers=api.headers("admin"),
    )
    assert "'=HYPERLINK" in csv.text
    assert ",=HYPERLINK" not in csv.text and '"=HYPERLINK' not in csv.text


def test_matching_without_a_vendor_list_is_a_conflict() -> None:
    store = Store.open(":memory:")
    api_ = make_api(store)
    response = api_.client.post("/runs", headers=api_.headers("admin"))
    assert response.status_code == 409
    assert "vendor" in response.json()["detail"]
