"""The web app's pages show what the JSON routes answer the same key, and no more."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner
from web_world import Web, first_account_link, hidden, make_web, sample_store

from overlap.api.security import create_key
from overlap.api.store import Store
from overlap.cli import app as cli


@pytest.fixture(scope="module")
def fresh() -> Iterator[Web]:
    """A store of its own, for the tests that change sharing rules (each sets those it needs)."""
    store = sample_store()
    yield make_web(store)
    store.close()


def test_a_sales_rep_finds_an_account_through_a_typo_and_sees_partners_with_evidence(
    web: Web,
) -> None:
    client = web.signed_in("sales")
    suggestions = client.get("/app/search/suggest", params={"q": "gulf cost computng"})
    assert "Gulf Coast Computing" in suggestions.text
    account = client.get(first_account_link(suggestions.text))
    assert account.status_code == 200
    assert "Partners to bring in" in account.text
    assert "Northgate Solutions" in account.text
    assert "Factors" in account.text


def test_my_co_sell_opportunities_are_those_of_the_owner_chosen(web: Web) -> None:
    client = web.signed_in("sales")
    everyone = client.get("/app/opportunities").text
    owner = re.findall(r'<option value="([^"]+)">', everyone)[0]
    mine = client.get("/app/opportunities", params={"owner": owner}).text
    total = int(re.search(r"(\d+) opportunity–partner pairs", everyone).group(1))  # type: ignore[union-attr]
    own = int(re.search(r"(\d+) opportunity–partner pairs", mine).group(1))  # type: ignore[union-attr]
    assert 0 < own < total
    api = web.browser().get(
        "/opportunities/co-sell",
        params={"account_owner": owner, "limit": 1},
        headers={"Authorization": f"Bearer {web.tokens['sales']}"},
    )
    assert api.json()["total"] == own


def test_a_role_is_refused_the_pages_whose_routes_refuse_it(web: Web) -> None:
    sales = web.signed_in("sales")
    refused = sales.get("/app/keys")
    assert refused.status_code == 403
    assert refused.headers["content-type"].startswith("text/html")
    assert "a sales key cannot do this" in refused.text
    assert sales.get("/app/matrix").status_code == 200  # the matrix route takes any key
    assert sales.get("/app/runs").status_code == 403
    partner = web.signed_in("partner")
    assert partner.get("/app/matrix/PRT-002/customer/customer").status_code == 403
    assert partner.get("/app/partners/PRT-002/scorecard").status_code == 403
    assert partner.get("/app/upload").status_code == 200  # its own list only
    assert '<option value="vendor">' not in partner.get("/app/upload").text


def test_the_matrix_cell_opens_a_sorted_filtered_paged_table_and_its_csv(web: Web) -> None:
    client = web.signed_in("ecosystem")
    matrix = client.get("/app/matrix", params={"partner_id": "PRT-001"}).text
    assert 'href="/app/matrix/PRT-001/customer/customer"' in matrix
    assert re.search(r'class="cell heat-[1-5]"', matrix)
    cell = "/app/matrix/PRT-001/customer/customer"
    page = client.get(cell, params={"sort": "name", "order": "desc"}).text
    names = re.findall(r"<tr><td>(?:vendor|PRT-001)</td><td>([^<]*)</td>", page)
    assert names and names == sorted(names, reverse=True)
    assert "Page 1 of" in page
    total = int(re.search(r"(\d+) records", page).group(1))  # type: ignore[union-attr]
    filtered = client.get(cell, params={"q": names[0][:6]}).text
    kept = int(re.search(r"(\d+) records", filtered).group(1))  # type: ignore[union-attr]
    assert 0 < kept < total
    download = client.get(f"{cell}/export.csv", params={"q": names[0][:6]})
    assert download.headers["content-type"].startswith("text/csv")
    assert len(list(csv.DictReader(io.StringIO(download.text)))) == kept


def test_the_preview_shows_the_partner_users_view_and_saving_rules_changes_it(
    fresh: Web,
) -> None:
    admin = fresh.signed_in("admin")
    editor = admin.get("/app/partners/PRT-001/sharing")
    assert editor.status_code == 200
    rules = {
        "csrf": hidden(editor.text, "csrf"),
        "vendor_to_partner.customer": "overlap",
        "vendor_to_partner.opportunity": "counts",
        "vendor_to_partner.prospect": "hidden",
        "partner_to_vendor.customer": "all",
        "partner_to_vendor.opportunity": "overlap",
        "partner_to_vendor.prospect": "counts",
        "shared_fields": ["name", "status"],
    }
    saved = admin.post("/app/partners/PRT-001/sharing", data=rules)
    assert saved.status_code == 303
    stored = fresh.store.partner("PRT-001")
    assert stored is not None
    assert stored["sharing"]["vendor_to_partner"]["prospect"] == "hidden"
    preview = admin.get(saved.headers["location"]).text
    assert "Saved." in preview
    partner = fresh.signed_in("partner")
    matrix = partner.get("/app/matrix").text
    assert "/app/matrix/PRT-001/customer/" in matrix  # shared at "overlap"
    assert "/app/matrix/PRT-001/prospect/" not in matrix  # hidden: not even counted
    # counts: the numbers, not the records
    counted = partner.get("/app/matrix/PRT-001/opportunity/customer").text
    assert "Shared as counts only" in counted and "0 records" in counted
    # overlap: the vendor's records of shared companies, name and status only
    shown = partner.get("/app/matrix/PRT-001/customer/customer").text
    vendor_rows = re.findall(r"<tr><td>vendor</td><td>([^<]+)</td>(.*?)</tr>", shown)
    assert vendor_rows
    assert all(".com" not in rest for _, rest in vendor_rows)  # no website shown
    assert partner.get("/app/matrix/PRT-001/prospect/customer").status_code == 403


def test_a_partners_scorecard_hides_the_vendors_pipeline_and_win_rates_unless_shared(
    fresh: Web,
) -> None:
    stored = fresh.store.partner("PRT-001")
    assert stored is not None
    stored["sharing"]["vendor_to_partner"] = dict.fromkeys(
        stored["sharing"]["vendor_to_partner"], "counts"
    )
    fresh.put_partner(stored)
    partner = fresh.signed_in("partner")
    card = partner.get("/app/partners/PRT-001/scorecard").text
    assert re.search(r"win rate with</th>\s*<td[^>]*><span class=\"muted\">not shared", card)
    bearer = {"Authorization": f"Bearer {fresh.tokens['partner']}"}
    api = fresh.browser().get("/partners/PRT-001/scorecard", headers=bearer).json()
    assert api["win_rate_with"] is None and api["overlap_pipeline"] is None
    assert api["overlap_companies"] > 0
    # money and win rates need every vendor population shared at all (SECURITY.md)
    stored["sharing"]["vendor_to_partner"] = dict.fromkeys(
        stored["sharing"]["vendor_to_partner"], "all"
    )
    fresh.put_partner(stored)
    api = fresh.browser().get("/partners/PRT-001/scorecard", headers=bearer).json()
    assert api["win_rate_with"] is not None
    staff = fresh.signed_in("ecosystem")
    card = staff.get("/app/partners/PRT-001/scorecard").text
    assert 'hx-get="/app/partners/PRT-001/lift"' in card
    assert "95% interval" in staff.get("/app/partners/PRT-001/lift").text
    assert partner.get("/app/partners/PRT-001/lift").status_code == 403


UNTRUSTED = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    '=HYPERLINK("http://x")',
    "Evil\u202egnp.exe Ltd",
)


def test_an_upload_is_previewed_its_mapping_overridden_and_its_text_served_inert(
    web: Web,
) -> None:
    client = web.signed_in("ecosystem")
    token = hidden(client.get("/app/upload").text, "csrf")
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(["Company", "Web", "Notes"])
    writer.writerows([name, f"example{i}.com", f"Note {i}"] for i, name in enumerate(UNTRUSTED))
    writer.writerow(["", "", "no name at all"])
    body = text.getvalue()
    preview = client.post(
        "/app/upload",
        data={"csrf": token, "owner": "PRT-003", "status": "customer"},
        files={"file": ("people.csv", body.encode(), "text/csv")},
    )
    assert preview.status_code == 200, preview.text
    page = preview.text
    assert "<script>alert(1)</script>" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "\u202e" not in page
    assert "1 rejected" in page
    assert re.search(r'name="column" value="Web">.*?<option value="website" selected>', page, re.S)
    form = {
        "csrf": token,
        "column": ["Company", "Web", "Notes"],
        "field": ["name", "ignore", "ignore"],  # the website is left out on purpose
    }
    action = re.search(r'action="(/app/upload/[^"]+)"', page).group(1)  # type: ignore[union-attr]
    stored = client.post(action, data=form)
    assert stored.status_code == 200, stored.text
    assert "4 of 5 rows" in stored.text
    latest = web.store.latest_lists()["PRT-003"]
    assert latest["website"].is_null().all()
    assert set(UNTRUSTED) - {"Evil\u202egnp.exe Ltd"} <= set(latest["name"].to_list())
    assert client.post(action, data=form).status_code == 404  # confirmed once only
    found = client.get("/app/search", params={"q": "script alert"}).text
    assert "<script>alert(1)</script>" not in found


def test_the_documentation_pages_load_their_assets_from_the_app(web: Web) -> None:
    client = web.browser()
    for page in ("/docs", "/redoc"):
        html = client.get(page).text
        for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', html):
            assert client.get(asset).status_code == 200, asset
    assert client.get("/static/vendor/htmx/htmx.min.js").status_code == 200


def test_create_key_with_link_prints_a_link_that_signs_in(tmp_path: object) -> None:
    db = f"{tmp_path}/keys.duckdb"
    Store.open(db).close()
    result = CliRunner().invoke(cli, ["create-key", "--role", "sales", "--db", db, "--link"])
    assert result.exit_code == 0, result.output
    found = re.search(
        r"sign-in link \(once, within 15 minutes\): http://127.0.0.1:8000(\S+)", result.output
    )
    assert found is not None, result.output
    store = Store.open(db)
    try:
        web = make_web_over(store)
        client = web.browser()
        page = client.get(found.group(1))
        used = client.post(found.group(1), data={"sign_in": hidden(page.text, "sign_in")})
        assert used.status_code == 303
    finally:
        store.close()


def make_web_over(store: Store) -> Web:
    from overlap.api.main import create_app

    return Web(app=create_app(store=store), store=store, tokens={})


def test_a_partner_key_made_in_the_web_app_is_shown_once(web: Web) -> None:
    client = web.signed_in("admin")
    token = hidden(client.get("/app/keys").text, "csrf")
    made = client.post(
        "/app/keys", data={"csrf": token, "role": "partner", "partner_id": "PRT-002"}
    )
    assert made.status_code == 200
    shown = re.search(r'class="token">(ovl_\S+)</p>', made.text)
    assert shown is not None
    assert shown.group(1) not in client.get("/app/keys").text
    assert create_key  # the same function the API's POST /keys uses


def test_a_match_rejected_in_the_review_queue_is_kept_apart_by_the_next_run(fresh: Web) -> None:
    client = fresh.signed_in("ecosystem")
    queue = client.get("/app/review").text
    left = int(re.search(r"(\d+) pairs? of the last run", queue).group(1))  # type: ignore[union-attr]
    pair = {f: hidden(queue, f) for f in ("vendor_id", "partner_id", "partner_account_id")}
    assert 'data-shortcut="r"' in queue and 'data-shortcut="c"' in queue
    assert "Held back, " in queue  # the run's review queue comes before its weakest matches
    decided = client.post(
        "/app/review", data={"csrf": hidden(queue, "csrf"), "decision": "reject", **pair}
    )
    assert decided.status_code == 303
    after = client.get("/app/review").text
    assert f"{left - 1} pair" in after
    started = client.post("/app/runs", data={"csrf": hidden(after, "csrf")})
    assert started.status_code == 303  # the run has finished: the test client waits for it
    run_id = started.headers["location"].rsplit("/", 1)[1]
    assert "succeeded" in client.get(f"/app/runs/{run_id}").text
    bearer = {"Authorization": f"Bearer {fresh.tokens['ecosystem']}"}
    matches = (
        fresh.browser()
        .get(
            f"/runs/{run_id}/matches",
            params={"partner_id": pair["partner_id"], "limit": 1000},
            headers=bearer,
        )
        .json()["items"]
    )
    kept_apart = [
        m
        for m in matches
        if (m["vendor_id"], m["partner_account_id"])
        == (pair["vendor_id"], pair["partner_account_id"])
    ]
    assert kept_apart == []
