"""The web app in a real browser: Playwright driving Debian's Chromium.

Playwright cannot download its own browsers here: these tests launch the Chromium of
the system (``apt-get install chromium``), and are skipped, saying so, without it.
Every page visited is saved at desktop and at phone width in ``out/screenshots/``
(ignored by git), with the time each page took to load in ``timings.txt``.
"""

from __future__ import annotations

import csv
import io
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from web_world import ROOT, keys, sample_store

from overlap.api.main import create_app
from overlap.api.security import create_key, create_sign_in_link
from overlap.api.store import Store
from overlap.api.warmup import WarmUp

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
if CHROMIUM is None:
    pytest.skip(
        "no Chromium: `apt-get install -y chromium` (Debian) runs the browser tests",
        allow_module_level=True,
    )

SHOTS = ROOT / "out" / "screenshots"
AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text()
SERIOUS = ("serious", "critical")
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
UNTRUSTED = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    '=HYPERLINK("http://x")',
    "Right\u202eto left Ltd",
)


class Site:
    """The app served by uvicorn on a free port, over the samples, in a thread, with the
    view's heavy parts built in the background from startup, as `make run` serves it."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.tokens = keys(store)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        self.app = create_app(store=store)
        config = uvicorn.Config(
            self.app,
            host="127.0.0.1",
            port=port,
            log_level="warning",
            lifespan="off",
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> Site:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.05)
        self.app.state.warm_up = WarmUp()
        self.app.state.warm_up.start(self.app.state.service)
        return self

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    store = sample_store()
    with Site(store) as served:
        yield served
    store.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[sync_api.Browser]:
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / "timings.txt").write_text("page\tload ms\n")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: sync_api.Browser) -> Iterator[sync_api.Page]:
    """A fresh browser context (no cookies) that fails the test if any dialog opens."""
    context = browser.new_context(viewport=DESKTOP)
    tab = context.new_page()
    dialogs: list[str] = []
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    yield tab
    context.close()
    assert dialogs == [], f"a script ran: {dialogs}"


def accessibility_problems(page: sync_api.Page) -> list[str]:
    """The serious and critical violations axe-core finds on the page (none expected)."""
    page.evaluate(AXE)  # evaluated, not a <script>: the pages' policy rightly refuses those
    found = page.evaluate(
        "async (levels) => (await axe.run()).violations"
        ".filter(v => levels.includes(v.impact))"
        ".map(v => `${v.id}: ${v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', ')}`)",
        list(SERIOUS),
    )
    return list(found)


def shoot(page: sync_api.Page, name: str, *, full: bool = True, axe: bool = True) -> None:
    """Save the page at desktop and phone width, note how long it took to load, and check
    it with axe-core (``axe``: the app's own pages, not the vendored documentation)."""
    if axe:
        assert accessibility_problems(page) == [], name
    took = page.evaluate(
        "() => { const n = performance.getEntriesByType('navigation')[0];"
        " return n ? n.loadEventEnd - n.startTime : null; }"
    )
    with (SHOTS / "timings.txt").open("a") as out:
        out.write(f"{name}\t{took if took is None else round(took)}\n")
    page.screenshot(path=SHOTS / f"{name}-desktop.png", full_page=full)
    page.set_viewport_size(PHONE)
    page.screenshot(path=SHOTS / f"{name}-phone.png", full_page=full)
    page.set_viewport_size(DESKTOP)


def sign_in(page: sync_api.Page, site: Site, who: str) -> None:
    page.goto(f"{site.url}/signin")
    page.get_by_label("API key").fill(site.tokens[who])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{site.url}/")


def test_a_signed_out_user_is_sent_to_sign_in_and_lands_where_they_were_going(
    page: sync_api.Page, site: Site
) -> None:
    page.goto(f"{site.url}/app/partners")
    assert page.url == f"{site.url}/signin?next=/app/partners"
    shoot(page, "signin")
    page.get_by_label("API key").fill(site.tokens["admin"])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{site.url}/app/partners")
    shoot(page, "partners")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{site.url}/signin")
    page.goto(f"{site.url}/")
    assert "/signin" in page.url


def test_a_request_of_the_session_without_its_csrf_token_is_refused(
    page: sync_api.Page, site: Site
) -> None:
    key_id = create_key(site.store, role="sales")[0]
    sign_in(page, site, "admin")
    status = page.evaluate(
        "async (path) => (await fetch(path, {method: 'POST', body: new FormData()})).status",
        f"/app/keys/{key_id}/revoke",
    )
    assert status == 403
    key = site.store.key(key_id)
    assert key is not None and key.revoked_at is None


def test_the_ecosystem_team_cancels_a_queued_run_from_its_page(
    page: sync_api.Page, site: Site
) -> None:
    run_id = site.store.create_run()["run_id"]
    sign_in(page, site, "ecosystem")
    page.goto(f"{site.url}/app/runs/{run_id}")
    shoot(page, "run-live")
    page.get_by_role("button", name="Cancel this run").press("Enter")
    page.wait_for_url(f"{site.url}/app/runs/{run_id}")
    sync_api.expect(page.locator("#run-status")).to_have_text("cancelled")
    assert page.get_by_role("button", name="Cancel this run").count() == 0
    shoot(page, "run-cancelled")


def test_the_ecosystem_team_uploads_adjusts_the_mapping_runs_and_drills_into_the_matrix(
    page: sync_api.Page, site: Site, tmp_path: Path
) -> None:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(["Company", "Web", "Notes"])
    writer.writerows([n, f"untrusted{i}.example", "x"] for i, n in enumerate(UNTRUSTED))
    writer.writerow(["", "", "a row with no name"])
    upload = tmp_path / "untrusted.csv"
    upload.write_text(text.getvalue())

    sign_in(page, site, "ecosystem")
    shoot(page, "home-ecosystem")
    page.get_by_role("link", name="Upload").first.click()
    page.get_by_label("Whose list").select_option("PRT-004")
    page.get_by_label("Drop a file here").set_input_files(upload)
    shoot(page, "upload")
    page.get_by_role("button", name="Preview the columns").click()
    page.get_by_text("1 rejected").wait_for()
    assert page.get_by_label("Read column Notes as").input_value() == "ignore"
    page.get_by_label("Read column Web as").select_option("ignore")
    # the untrusted names are on the page as text, and nothing ran
    page.get_by_role("cell", name="<script>alert(1)</script>").first.wait_for()
    shoot(page, "upload-preview")
    page.get_by_role("button", name="Confirm and store this version").click()
    page.get_by_text("Stored: 4 of 5 rows").wait_for()
    assert site.store.latest_lists()["PRT-004"]["website"].is_null().all()
    shoot(page, "uploaded")

    page.get_by_role("button", name="Start a match run").click()
    page.wait_for_url("**/app/runs/*")
    page.locator("#run-status", has_text="succeeded").wait_for(timeout=60_000)
    shoot(page, "run")

    page.goto(f"{site.url}/app/search?q=script+alert")
    page.get_by_role("cell", name="<script>alert(1)</script>").first.wait_for()
    shoot(page, "search-untrusted")

    page.goto(f"{site.url}/app/matrix")
    page.get_by_label("Partner", exact=True).select_option("PRT-001")
    page.get_by_role("button", name="Show").click()
    shoot(page, "matrix")
    page.get_by_role("link", name="vendor customer, partner customer").click()
    page.get_by_role("link", name="name ▲").wait_for()
    shoot(page, "drill-down")
    page.get_by_role("link", name="name ▲").click()
    page.get_by_role("link", name="name ▼").wait_for()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    assert download.value.suggested_filename == "drill-down-PRT-001.csv"


def test_a_reviewer_confirms_a_match_from_the_keyboard(page: sync_api.Page, site: Site) -> None:
    sign_in(page, site, "ecosystem")
    page.get_by_role("navigation").get_by_role("link", name="Review").click()
    summary = page.get_by_text("of the last run the model was not sure of")
    left = int(summary.inner_text().split()[0])
    shoot(page, "review")
    page.keyboard.press("c")
    page.get_by_text(f"{left - 1} pair").first.wait_for()
    assert len(site.store.feedback()) >= 1


def test_a_sales_rep_searches_with_a_typo_and_opens_the_recommended_partners(
    page: sync_api.Page, site: Site
) -> None:
    sign_in(page, site, "sales")
    page.get_by_role("link", name="Search").click()
    page.get_by_label("Account name").press_sequentially("gulf cost computng", delay=20)
    suggestion = page.get_by_role("list", name="Suggestions").get_by_role("link").first
    suggestion.wait_for()
    shoot(page, "search")
    suggestion.click()
    page.get_by_role("heading", name="Partners to bring in").wait_for()
    shoot(page, "account")  # as it first renders: its partners, or a note that they follow
    page.get_by_role("cell", name="Northgate Solutions").first.wait_for()
    page.get_by_role("link", name="My co-sell").click()
    page.get_by_label("Account owner").select_option(index=1)
    page.get_by_role("button", name="Show").click()
    shoot(page, "co-sell")


def test_a_partner_signs_in_with_a_link_and_sees_only_what_is_shared(
    page: sync_api.Page, site: Site
) -> None:
    key_id = create_key(site.store, role="partner", partner_id="PRT-001")[0]
    page.goto(site.url + create_sign_in_link(site.store, key_id))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{site.url}/")
    shoot(page, "home-partner")
    page.get_by_role("link", name="Overlap", exact=True).click()
    page.wait_for_url("**/app/matrix")
    assert page.get_by_label("Partner", exact=True).count() == 0  # no choice of partner
    shoot(page, "matrix-partner")
    # the samples share the vendor's records with PRT-001 as counts only
    page.get_by_role("link", name="vendor customer, partner customer").click()
    page.get_by_text("Shared as counts only").wait_for()
    assert page.locator("tbody tr").count() == 0
    shoot(page, "drill-down-partner")
    page.goto(f"{site.url}/app/matrix/PRT-002/customer/customer")
    page.get_by_text("a partner key can only see its own partner's data").wait_for()
    page.goto(f"{site.url}/app/partners/PRT-001/scorecard")
    page.get_by_role("row", name="win rate with not shared", exact=True).wait_for()
    shoot(page, "scorecard-partner")


def test_the_admin_pages_and_the_offline_documentation_render(
    page: sync_api.Page, site: Site
) -> None:
    sign_in(page, site, "admin")
    for path, name, shown in (
        ("/app/keys", "keys", "Create key"),
        ("/app/partners/PRT-001/sharing", "sharing", "Save rules"),
        ("/app/partners/PRT-001/scorecard", "scorecard", "95% interval"),
        ("/app/runs", "runs", "Start a match run"),
    ):
        page.goto(site.url + path)
        page.get_by_text(shown).first.wait_for()
        shoot(page, name)
    page.goto(f"{site.url}/docs")
    page.locator(".swagger-ui .info").wait_for()
    shoot(page, "docs", full=False, axe=False)  # the documentation pages are many screens long
    page.goto(f"{site.url}/redoc")
    page.locator("redoc h1, [role=navigation]").first.wait_for()
    shoot(page, "redoc", full=False, axe=False)
