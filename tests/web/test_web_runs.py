"""Match runs in the web app: a live run can be cancelled from its page."""

from __future__ import annotations

from web_world import Web, hidden


def test_a_live_run_is_cancelled_from_its_page_and_the_last_results_stay(web: Web) -> None:
    previous = web.store.latest_succeeded_run()
    run_id = web.store.create_run()["run_id"]
    client = web.signed_in("ecosystem")
    page = client.get(f"/app/runs/{run_id}")
    assert "Cancel this run" in page.text
    refused = client.post(f"/app/runs/{run_id}/cancel", data={})
    assert refused.status_code == 403
    cancelled = client.post(f"/app/runs/{run_id}/cancel", data={"csrf": hidden(page.text, "csrf")})
    assert cancelled.headers["location"] == f"/app/runs/{run_id}"
    after = client.get(f"/app/runs/{run_id}").text
    assert '<span id="run-status">cancelled</span>' in after
    assert "Cancel this run" not in after
    assert web.store.latest_succeeded_run() == previous


def test_a_run_that_has_ended_cannot_be_cancelled_and_a_sales_key_cannot_cancel(
    web: Web,
) -> None:
    ended = web.store.latest_succeeded_run()
    client = web.signed_in("admin")
    csrf = hidden(client.get("/app/runs").text, "csrf")
    answer = client.post(f"/app/runs/{ended}/cancel", data={"csrf": csrf})
    assert answer.status_code == 409
    assert "only a live run stops" in answer.text
    run_id = web.store.create_run()["run_id"]
    sales = web.signed_in("sales")
    csrf = hidden(sales.get("/").text, "csrf")
    assert sales.post(f"/app/runs/{run_id}/cancel", data={"csrf": csrf}).status_code == 403
    assert web.store.cancel_run(run_id)
