"""Issue 21, defects 5 and 10: a write never stalls readers, and a run's progress moves at
every stage.

Readers never build a view: while the next is built, or before its build has even started,
every reader (``/health`` included) is served the installed one, and the swap keeps what
the previous view had built. Writes during a build are coalesced into one more build. A
run reports each of its stages.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from typing import Any

import polars as pl
import pytest
from asgi_client import Server, multipart
from conftest_h10 import admin_token, clients
from starlette.types import Message, Receive, Scope, Send

from overlap import schema
from overlap.api import service as service_module
from overlap.api.security import authenticate, create_key
from overlap.api.service import RUN_STAGES, Service, run_match
from overlap.api.store import Store
from overlap.ecosystem.data import Ecosystem
from overlap.matching.pipeline import STAGES, resolve_companies

WAIT = 30.0
"""Seconds a request may take before the test calls it stalled (a hang guard, not a timing)."""


def _answered(call: Callable[[], Any]) -> Any:
    """``call()`` in a thread; fails the test if it has not returned after ``WAIT`` s."""
    result: list[Any] = []
    thread = threading.Thread(target=lambda: result.append(call()), daemon=True)
    thread.start()
    thread.join(WAIT)
    assert result, "the request waited on the view being built"
    return result[0]


class HeldBuild:
    """Builds of a view that, once ``armed``, wait for ``release``; ``building`` is set
    when one waits; ``builds`` counts them all."""

    def __init__(self) -> None:
        self.armed = threading.Event()
        self.building = threading.Event()
        self.release = threading.Event()
        self.builds = 0


@pytest.fixture
def held_build(monkeypatch: pytest.MonkeyPatch) -> Iterator[HeldBuild]:
    held = HeldBuild()
    build = service_module.build_ecosystem

    def waiting(store: Store) -> Ecosystem:
        held.builds += 1
        if held.armed.is_set():
            held.building.set()
            held.release.wait()
        return build(store)

    monkeypatch.setattr(service_module, "build_ecosystem", waiting)
    yield held
    held.release.set()


CSV = b"Company,Website,Status\nGulf Coast Computing,gulf.example,Customer\n"


class Uploaded:
    """An app over a new store with the vendor's ``CSV`` uploaded, and an admin to ask it."""

    def __init__(self) -> None:
        self.store = Store.open(":memory:")
        self.headers = {"Authorization": f"Bearer {admin_token(self.store)}"}
        (self.client,) = clients(self.store)
        files = {"file": ("a.csv", CSV)}
        assert self.client.post("/lists/vendor", files=files, headers=self.headers).is_success

    def search(self) -> Any:
        """The answer to a search for the vendor's account."""
        params = {"q": "gulf coast"}
        return self.client.get("/accounts", params=params, headers=self.headers)


def test_readers_and_health_are_served_the_previous_view_while_a_write_builds_the_next(
    held_build: HeldBuild,
) -> None:
    world = Uploaded()
    store, client, headers = world.store, world.client, world.headers
    first = world.search().json()
    second = CSV + b"Gulf Coast Devices,devices.example,Prospect\n"
    writer = threading.Thread(
        target=lambda: client.post(
            "/lists/vendor", files={"file": ("b.csv", second)}, headers=headers
        )
    )
    held_build.armed.set()
    writer.start()
    assert held_build.building.wait(WAIT)
    for _ in range(3):
        assert _answered(lambda: client.get("/health").json())["status"] == "ok"
        assert _answered(world.search).json() == first
    held_build.release.set()
    writer.join(WAIT)
    after = world.search().json()
    assert after["total"] == 2
    store.close()


def test_the_next_view_is_swapped_in_with_the_parts_the_previous_one_had_built() -> None:
    store = Store.open(":memory:")
    (client,) = clients(store)
    headers = {"Authorization": f"Bearer {admin_token(store)}"}
    assert client.post("/lists/vendor", files={"file": ("a.csv", CSV)}, headers=headers).is_success
    service: Service = client.app.state.service  # type: ignore[attr-defined]
    service.view().build("overlaps", "scorecards")
    assert client.post("/lists/vendor", files={"file": ("b.csv", CSV)}, headers=headers).is_success
    view = service.current_view()
    assert view is not None and view.generation == store.data_generation
    assert view.built() == ["scorecards", "overlaps"]
    store.close()


def test_a_read_after_a_write_is_committed_is_served_the_previous_view_and_never_builds(
    held_build: HeldBuild,
) -> None:
    world = Uploaded()
    first = world.search().json()
    held_build.armed.set()
    # committed, its rebuild not asked for yet: the moment before the background task runs
    world.store.put_partner({"partner_id": "P1", "name": "One", "sharing": None})
    for _ in range(3):
        assert _answered(world.search).json() == first
    assert held_build.building.wait(WAIT)  # the reader had it built in the background
    held_build.release.set()
    world.store.close()


def test_health_is_answered_while_a_write_holds_the_store() -> None:
    store = Store.open(":memory:")
    (client,) = clients(store)
    holding, release = threading.Event(), threading.Event()

    def write() -> None:
        with store._lock:  # as a long transaction holds it
            holding.set()
            release.wait(WAIT)

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    assert holding.wait(WAIT)
    assert _answered(lambda: client.get("/health").json())["status"] == "ok"
    release.set()
    writer.join(WAIT)
    store.close()


def test_writes_during_a_build_are_coalesced_into_one_more_build(held_build: HeldBuild) -> None:
    store = Store.open(":memory:")
    service = Service(store)
    first = service.view()
    held_build.armed.set()
    writes = [threading.Thread(target=service.refresh)]
    store.put_partner({"partner_id": "P0", "name": "Zero", "sharing": None})
    writes[0].start()
    assert held_build.building.wait(WAIT)
    for n in range(1, 6):
        store.put_partner({"partner_id": f"P{n}", "name": f"Partner {n}", "sharing": None})
        writes.append(threading.Thread(target=service.refresh))
        writes[-1].start()
    assert service.current_view() is first
    held_build.release.set()
    for write in writes:
        write.join(WAIT)
    assert held_build.builds == 1 + 2  # the first view, the build held, one more after it
    view = service.current_view()
    assert view is not None and view.generation == store.data_generation
    assert sorted(view.rules) == [f"P{n}" for n in range(6)]
    store.close()


PARTNER = {"name": "Nine", "sharing": {}}
WRITES = {
    "an upload": ("POST", "/lists/vendor", None),
    "a new partner": ("POST", "/partners", {**PARTNER, "partner_id": "P9"}),
    "a partner's new rules": ("PUT", "/partners/P9", PARTNER),
}


@pytest.mark.parametrize("write", WRITES, ids=list(WRITES))
def test_a_write_is_answered_once_stored_and_the_view_is_rebuilt_after_the_answer(
    server: Server, monkeypatch: pytest.MonkeyPatch, write: str
) -> None:
    answered: list[bool] = []
    app = server.app

    async def recorded(scope: Scope, receive: Receive, send: Send) -> None:
        async def sending(message: Message) -> None:
            await send(message)
            if message["type"] == "http.response.body" and not message.get("more_body"):
                answered.append(True)

        await app(scope, receive, sending)

    builds: list[bool] = []
    build = service_module.build_ecosystem

    def noted(store: Store) -> Ecosystem:
        builds.append(bool(answered))
        return build(store)

    monkeypatch.setattr(service_module, "build_ecosystem", noted)
    method, path, payload = WRITES[write]
    if payload is None:
        content_type, body = multipart("a.csv", [CSV])
    else:
        content_type, body = "application/json", iter([json.dumps(payload).encode()])
    headers = {"content-type": content_type, **server.bearer()}
    answer = Server(recorded, server.limits, server.admin).call(method, path, body, headers=headers)
    assert answer.status in (200, 201), answer.body
    assert answer.json()["view"] == "pending"
    assert builds == [True]  # built once, after the answer was sent
    service: Service = app.state.service  # type: ignore[attr-defined]
    view = service.current_view()
    assert view is not None and view.generation == service.store.data_generation
    if payload is None:
        assert view.eco.accounts[schema.NAME].to_list() == ["Gulf Coast Computing"]
    else:
        assert "P9" in view.rules


LISTS = {
    "vendor": ["Acme Corp", "Beta Tools", "Gamma Foods", "Delta Air"],
    "P1": ["ACME Corporation", "Beta Tools Inc", "Omega Labs"],
}


def _lists() -> dict[str, pl.DataFrame]:
    from overlap.ingest import accounts_from_frame

    return {
        owner: accounts_from_frame(pl.DataFrame({"name": names})).accounts
        for owner, names in LISTS.items()
    }


def test_a_match_reports_each_of_its_stages_in_order() -> None:
    seen: list[str] = []
    resolve_companies(_lists(), progress=lambda stage, done, total: seen.append(stage))
    assert list(dict.fromkeys(seen)) == list(STAGES)


def test_a_runs_progress_moves_through_every_stage_and_never_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = Store.open(":memory:")
    for owner, accounts in _lists().items():
        if owner != "vendor":
            store.put_partner({"partner_id": owner, "name": owner, "sharing": {}})
        store.put_list(owner, accounts, file_name=f"{owner}.csv")
    moves: list[tuple[str, float]] = []
    set_progress = store.set_progress

    def recorded(run_id: str, progress: float, stage: str) -> None:
        moves.append((stage, progress))
        set_progress(run_id, progress, stage)

    monkeypatch.setattr(store, "set_progress", recorded)
    run_id = str(store.create_run()["run_id"])
    run_match(store, run_id)
    assert list(dict.fromkeys(stage for stage, _ in moves)) == list(RUN_STAGES)
    progress = [p for _, p in moves]
    assert progress == sorted(progress)
    run = store.run(run_id)
    assert run is not None and (run["status"], run["progress"]) == ("succeeded", 1.0)
    store.close()


def test_a_key_checked_once_is_not_checked_again_against_the_store_until_a_key_changes() -> None:
    store = Store.open(":memory:")
    service = Service(store)
    key_id, token = create_key(store, role="sales")
    principal = authenticate(store, token)
    service.remember(token, principal)
    store.put_partner({"partner_id": "P1", "name": "One", "sharing": None})  # holds the store
    assert service.authenticate(token) == principal  # answered without it
    store.revoke_key(key_id)
    assert service.authenticate(token) is None
    store.close()


def test_a_first_view_that_cannot_be_built_is_answered_503_and_tried_again_by_the_next_request(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = Store.open(":memory:")
    headers = {"Authorization": f"Bearer {admin_token(store)}"}
    (client,) = clients(store)

    def broken(store: Store) -> Ecosystem:
        raise OSError("no room left on the device")

    monkeypatch.setattr(service_module, "build_ecosystem", broken)
    answer = client.get("/accounts", params={"q": "gulf coast"}, headers=headers)
    assert (answer.status_code, answer.headers["Retry-After"]) == (503, "30")
    assert answer.json()["detail"].startswith("the view of the store could not be built")
    monkeypatch.undo()  # the device has room again: the next request builds it
    answer = client.get("/accounts", params={"q": "gulf coast"}, headers=headers)
    assert answer.status_code == 200
    store.close()
