"""The review queue of a run: what it lists, who may read it, what takes a pair out, and
one answer for one pair from `overlap match --review` and from the service."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from api_world import Api, make_api
from typer.testing import CliRunner

from overlap.api.service import run_match
from overlap.api.store import Store
from overlap.cli import app
from overlap.ecosystem.data import VENDOR
from overlap.ingest import read_accounts

VENDOR_LIST = """Account ID,Account Name,Website
V1,International Business Machines Corp,ibm.com
V2,Acme Logistics,
V3,Kestrel Foods Inc.,kestrelfoods.com
"""
PARTNER_LIST = """Record ID,Company name,Company Domain Name,Country
77,IBM France,ibm.fr,
78,Acme Logistics,acmelog.com,US
79,Acme Logistics,acme-logistik.de,DE
80,Kestrel Foods,kestrelfoods.com,
"""
OTHER_PARTNER_LIST = """Record ID,Company name
5,IBM
"""
FAMILY = "family: 'IBM France' is a part of the group 'International Business Machines Corp'"
AMBIGUOUS = "ambiguous: 'Acme Logistics' is as close to 'Acme Logistics' (0.83)"
UNSURE = "unsure: score 0.3 below the match threshold 0.50"


@pytest.fixture
def lists(tmp_path: Path) -> Path:
    for name, text in (("v", VENDOR_LIST), ("p", PARTNER_LIST), ("q", OTHER_PARTNER_LIST)):
        (tmp_path / f"{name}.csv").write_text(text)
    return tmp_path


@pytest.fixture
def api(lists: Path) -> Iterator[Api]:
    """The vendor's list and two partners' lists, one run done."""
    store = Store.open(":memory:")
    for partner_id, file in (("PRT-001", "p.csv"), ("PRT-002", "q.csv")):
        store.put_partner({"partner_id": partner_id, "name": partner_id})
        store.put_list(partner_id, read_accounts(lists / file).accounts, file_name=file)
    store.put_list(VENDOR, read_accounts(lists / "v.csv").accounts, file_name="v.csv")
    run_match(store, store.create_run()["run_id"])
    yield make_api(store)
    store.close()


def _queue(api: Api, query: str = "", who: str = "admin") -> dict:
    run_id = api.store.latest_succeeded_run()
    response = api.client.get(f"/runs/{run_id}/review{query}", headers=api.headers(who))
    assert response.status_code == 200, response.text
    return response.json()


def _whys(items: list[dict]) -> set[tuple[str, str, str, str]]:
    return {(i["vendor_id"], i["partner_id"], i["partner_account_id"], i["why"]) for i in items}


def test_a_run_lists_its_ambiguous_and_family_pairs_with_why_each_is_there(api: Api) -> None:
    body = _queue(api)
    assert _whys(body["items"]) == {
        ("V1", "PRT-001", "77", FAMILY),
        ("V2", "PRT-001", "78", AMBIGUOUS),
        ("V2", "PRT-001", "79", AMBIGUOUS),
        ("V1", "PRT-002", "5", UNSURE),  # "IBM": an acronym alone is not sure enough
    }
    family = next(i for i in body["items"] if i["relation"] == "family")
    assert (family["vendor_name"], family["partner_name"]) == (
        "International Business Machines Corp",
        "IBM France",
    )
    assert "one name is the acronym of the other" in family["reason"]


def test_the_review_queue_comes_in_pages_and_filters_by_relation(api: Api) -> None:
    first = _queue(api, "?limit=1")
    assert (first["total"], len(first["items"])) == (4, 1)
    assert first["items"][0]["relation"] == "family"
    second = _queue(api, "?limit=1&offset=1")
    assert second["items"][0]["relation"] == "same"
    assert _queue(api, "?relation=family")["total"] == 1


@pytest.mark.parametrize("who", ["sales", "own"])
def test_only_admin_and_ecosystem_keys_read_the_review_queue(api: Api, who: str) -> None:
    run_id = api.store.latest_succeeded_run()
    response = api.client.get(f"/runs/{run_id}/review", headers=api.headers(who))
    assert response.status_code == 403
    assert _queue(api, who="ecosystem")["total"] == 4


def test_a_decision_posted_as_feedback_takes_its_pair_out_of_the_queue(api: Api) -> None:
    decision = {
        "vendor_id": "V2",
        "partner_id": "PRT-001",
        "partner_account_id": "78",
        "decision": "confirm",
    }
    posted = api.client.post("/feedback", json=decision, headers=api.headers("ecosystem"))
    assert posted.status_code == 201, posted.text
    assert _whys(_queue(api)["items"]) == {
        ("V1", "PRT-001", "77", FAMILY),
        ("V2", "PRT-001", "79", AMBIGUOUS),
        ("V1", "PRT-002", "5", UNSURE),
    }


def test_the_cli_and_the_service_call_a_subsidiary_abroad_a_family_match_alike(
    api: Api, lists: Path
) -> None:
    output, review = lists / "matches.csv", lists / "review.csv"
    command = ["match", str(lists / "v.csv"), str(lists / "p.csv"), "-o", str(output)]
    result = CliRunner().invoke(app, [*command, "--review", str(review)])
    assert result.exit_code == 0, result.output
    cli_family = pl.read_csv(review, infer_schema=False).filter(pl.col("relation") == "family")
    assert cli_family.select("vendor_id", "partner_id", "why").rows() == [("V1", "77", FAMILY)]
    service_family = [i for i in _queue(api)["items"] if i["relation"] == "family"]
    assert [(i["vendor_id"], i["partner_account_id"], i["why"]) for i in service_family] == [
        ("V1", "77", FAMILY)
    ]
    # the service pools another partner's "IBM" too: "IBM France" joins neither record
    companies = api.store.companies()
    company = {
        (owner, record): company_id
        for owner, record, company_id in companies.select("owner", "id", "company_id").rows()
    }
    assert company[("PRT-001", "77")] not in {company[(VENDOR, "V1")], company[("PRT-002", "5")]}
    cli_matches = pl.read_csv(output, infer_schema=False)
    assert ("V1", "77") not in set(cli_matches.select("vendor_id", "partner_id").iter_rows())
