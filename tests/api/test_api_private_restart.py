"""Private matching survives a restart of the service and later runs of the plaintext engine.

A restart is a new app over the same store: nothing of the old app's memory is left.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import polars as pl
import pytest
from api_world import SAMPLES, Api, make_api

from overlap.api import store_private
from overlap.api.service import run_match
from overlap.ingest import read_accounts
from overlap.private import psi
from overlap.private.bloom import encode
from overlap.private.files import write_encodings
from overlap.private.keys import exact_keys, normalised
from overlap.schema import SharingLevel

PARTNER = "PRT-001"
SECRET = b"0123456789abcdef0123456789abcdef"


def _accounts() -> object:
    return read_accounts(SAMPLES / "partner_northgate_hubspot.csv").accounts.head(300)


def _open_session(api: Api) -> tuple[psi.Party, dict[str, object]]:
    party, offer = psi.offer(exact_keys(normalised(_accounts())), mode=SharingLevel.COUNTS)
    response = api.client.post(
        f"/private/psi/{PARTNER}", headers=api.headers("own"), json=offer.to_dict()
    )
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    return party, body


def test_a_psi_session_opened_before_a_restart_is_finished_after_it(api: Api) -> None:
    party, body = _open_session(api)
    restarted = make_api(api.store)
    vendor_offer = psi.Message.from_dict(body["offer"], step="offer")
    sent = restarted.client.post(
        f"/private/psi/{PARTNER}/{body['session_id']}",
        headers=restarted.headers("own"),
        json=psi.reply(party, vendor_offer).to_dict(),
    )
    assert sent.status_code == 200, sent.text
    learned = make_api(api.store).client.get(
        f"/private/psi/{PARTNER}/{body['session_id']}", headers=api.headers("admin")
    )
    assert learned.status_code == 200, learned.text
    assert sum(r["shared"] for r in learned.json()["rows"]) > 0


def test_an_expired_psi_session_is_not_found(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    _, body = _open_session(api)
    later = store_private.now() + store_private.SESSION_LIFE + timedelta(seconds=1)
    monkeypatch.setattr(store_private, "now", lambda: later)
    learned = api.client.get(
        f"/private/psi/{PARTNER}/{body['session_id']}", headers=api.headers("admin")
    )
    assert learned.status_code == 404


def test_encodings_handed_in_before_a_restart_are_matched_after_it_and_outlive_a_plain_run(
    api: Api, tmp_path: Path
) -> None:
    write_encodings(encode(normalised(_accounts()), SECRET), tmp_path / "p.clk.jsonl")
    handed = api.client.post(
        f"/private/encodings/{PARTNER}",
        headers=api.headers("own"),
        files={"file": ("p.clk.jsonl", (tmp_path / "p.clk.jsonl").read_bytes())},
    )
    assert handed.status_code == 201, handed.text
    restarted = make_api(api.store)
    matched = restarted.client.post(
        f"/private/encodings/{PARTNER}/matches",
        headers=api.headers("admin"),
        files={"secret": ("key", SECRET)},
    )
    assert matched.status_code == 200, matched.text
    found = {(m["vendor_id"], m["partner_id"]) for m in matched.json()["matches"]}
    before = _linked(api.store.companies())
    assert before and {p for _, p in before} == {p for _, p in found}
    # a later run of the plaintext engine over every list keeps the private links
    run_id = str(api.store.create_run()["run_id"])
    run_match(api.store, run_id)
    assert api.store.latest_succeeded_run() == run_id
    assert _linked(api.store.companies()) == before


def _linked(companies: pl.DataFrame) -> set[tuple[str, str]]:
    """(vendor record, partner record) pairs of PARTNER that share a company."""
    owner = pl.col("owner")
    vendor = companies.filter(owner == "vendor").select("id", "company_id")
    partner = companies.filter(owner == PARTNER).select("id", "company_id")
    return set(vendor.join(partner, on="company_id").select("id", "id_right").iter_rows())


def test_private_matches_stop_counting_once_the_partner_hands_in_another_list(api: Api) -> None:
    store = api.store
    version = store.put_list(PARTNER, pl.DataFrame({"id": ["p1"]}), file_name="encodings")
    matches = pl.DataFrame({"vendor_id": ["v1"], "partner_id": ["p1"], "score": [0.9]})
    store.put_private_matches(PARTNER, f"{PARTNER}@{version}", matches)
    assert store.private_matches()[PARTNER].rows() == [("v1", "p1", 0.9)]
    store.put_list(PARTNER, pl.DataFrame({"id": ["p1"], "name": ["Acme"]}), file_name="p.csv")
    assert PARTNER not in store.private_matches()
