"""The warm-up: a view's heavy parts are built in the background, once, before anyone asks."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from web_world import SAMPLES, TestClient, first_account_link, make_web, sample_store

from overlap.api import service as service_module
from overlap.api import warmup
from overlap.api.main import create_app
from overlap.api.service import Service, View, load_directory
from overlap.api.settings import Settings
from overlap.api.store import Store
from overlap.api.warmup import WarmUp

HEAVY = ("overlaps", "scorecards", "recommender", "listing_index", "co_sell")


def test_an_app_that_opens_its_own_store_builds_its_view_and_heavy_parts_from_startup(
    tmp_path: Path,
) -> None:
    db = tmp_path / "overlap.duckdb"
    store = Store.open(db)
    load_directory(store, SAMPLES)
    store.close()
    app = create_app(settings=Settings(db=str(db)))
    with TestClient(app) as client:
        assert client.get("/health").status_code == 200
        assert app.state.warm_up.join()
        view = app.state.service.current_view()
        assert view is not None
        assert view.has(*HEAVY)
        assert view.has_shared(("account_search",))


def test_a_request_during_the_first_build_waits_for_it_rather_than_building_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = Store.open(":memory:")
    load_directory(store, SAMPLES, match=False)
    building = threading.Event()
    release = threading.Event()
    builds = []
    real = service_module.build_ecosystem

    def slow(store: Store):  # type: ignore[no-untyped-def]
        builds.append(store)
        building.set()
        release.wait(timeout=60)
        return real(store)

    monkeypatch.setattr(service_module, "build_ecosystem", slow)
    monkeypatch.setattr(warmup, "STEPS", ())
    service = Service(store)
    warm_up = WarmUp()
    warm_up.start(service)
    assert building.wait(timeout=60)
    asked: list[View] = []
    request = threading.Thread(target=lambda: asked.append(service.view()))
    request.start()
    release.set()
    request.join(timeout=60)
    assert warm_up.join()
    assert len(builds) == 1
    assert asked == [warm_up.latest] == [service.current_view()]
    store.close()


def test_a_part_is_built_once_by_whoever_asks_first_and_other_parts_do_not_wait_for_it() -> None:
    store = Store.open(":memory:")
    load_directory(store, SAMPLES, match=False)
    view = Service(store).view()
    started, release = threading.Event(), threading.Event()
    builds = []

    def slow() -> str:
        builds.append("slow")
        started.set()
        release.wait(timeout=60)
        return "built"

    first = threading.Thread(target=view.shared, args=(("slow",), slow))
    first.start()
    assert started.wait(timeout=60)
    # another part is built while the slow one is under way
    assert view.shared(("quick",), lambda: "quick") == "quick"
    second: list[str] = []
    waiting = threading.Thread(target=lambda: second.append(view.shared(("slow",), slow)))
    waiting.start()
    release.set()
    first.join(timeout=60)
    waiting.join(timeout=60)
    assert second == ["built"]
    assert builds == ["slow"]
    store.close()


def test_a_view_replaced_by_a_newer_one_is_no_longer_warmed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    done: list[str] = []
    monkeypatch.setattr(warmup, "STEPS", (("one", lambda view: done.append("one")),))
    warm_up = WarmUp()
    old, new = object(), object()
    warm_up.latest = new  # type: ignore[assignment]
    warm_up.warm(old)  # type: ignore[arg-type]
    assert done == []
    warm_up.warm(new)  # type: ignore[arg-type]
    assert done == ["one"]


def test_a_step_that_fails_is_logged_and_the_steps_after_it_are_left_to_the_pages(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    done: list[str] = []

    def fails(view: object) -> None:
        raise RuntimeError("no ranker today")

    monkeypatch.setattr(
        warmup, "STEPS", (("ranker", fails), ("co-sell", lambda view: done.append("co-sell")))
    )
    warm_up = WarmUp()
    view = object()
    warm_up.latest = view  # type: ignore[assignment]
    warm_up.warm(view)  # type: ignore[arg-type]
    assert done == []
    assert "building ranker failed" in caplog.text


def test_pages_asked_for_during_the_warm_up_show_what_is_ready_then_the_rest() -> None:
    store = sample_store()
    web = make_web(store)
    view = web.app.state.service.view()
    warm_up = WarmUp()
    warm_up.warming = view  # as the warm-up thread does, before it reaches the ranker
    web.app.state.warm_up = warm_up
    client = web.signed_in("sales")
    link = first_account_link(client.get("/app/search", params={"q": "Gulf Coast Computing"}).text)
    page = client.get(link)
    assert page.status_code == 200
    assert "Records of this company" in page.text
    assert "Being prepared" in page.text
    assert f'hx-get="{link}/partners"' in page.text
    co_sell = client.get("/app/opportunities", params={"owner": "", "page": 2})
    assert "Being prepared" in co_sell.text
    assert 'hx-get="/app/opportunities?owner=&amp;page=2"' in co_sell.text
    assert not view.has("recommender")  # neither page built it
    # a partner key is refused the page as before, not told it is being prepared
    assert web.signed_in("partner").get("/app/opportunities").status_code == 403
    view.build("recommender", "listing_index", "co_sell")
    partners = client.get(f"{link}/partners")
    assert "Being prepared" not in partners.text
    assert "Northgate Solutions" in partners.text
    assert "opportunity–partner pairs" in client.get("/app/opportunities").text
    store.close()
