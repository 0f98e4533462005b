from __future__ import annotations

import polars as pl
from api_world import SAMPLES, Api

from overlap.ingest import read_accounts
from overlap.private import psi
from overlap.private.keys import exact_keys, normalised
from overlap.schema import SharingLevel

PARTNER = "PRT-001"  # the "own" partner key's partner: Northgate, partner_northgate_hubspot.csv


def _partner_keys() -> pl.DataFrame:
    accounts = read_accounts(SAMPLES / "partner_northgate_hubspot.csv").accounts.head(300)
    return exact_keys(normalised(accounts))


def _session(api: Api, level: SharingLevel) -> tuple[psi.Party, dict[str, object]]:
    party, offer = psi.offer(_partner_keys(), mode=level)
    response = api.client.post(
        f"/private/psi/{PARTNER}", headers=api.headers("own"), json=offer.to_dict()
    )
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    return party, body


def test_a_partner_runs_psi_against_the_vendors_list_and_the_vendor_learns_counts(
    api: Api,
) -> None:
    party, body = _session(api, SharingLevel.COUNTS)
    vendor_offer = psi.Message.from_dict(body["offer"], step="offer")
    mine = psi.finish(party, vendor_offer, psi.Message.from_dict(body["reply"], step="reply"))
    assert mine["shared"].sum() > 0
    sent = api.client.post(
        f"/private/psi/{PARTNER}/{body['session_id']}",
        headers=api.headers("own"),
        json=psi.reply(party, vendor_offer).to_dict(),
    )
    assert sent.status_code == 200 and sent.json()["rows"] is None  # nothing more to the partner
    learned = api.client.get(
        f"/private/psi/{PARTNER}/{body['session_id']}", headers=api.headers("admin")
    )
    rows = learned.json()["rows"]
    assert sum(r["shared"] for r in rows) > 0
    assert set(rows[0]) == {"population", "their_population", "shared"}


def test_psi_offers_no_population_beyond_what_the_sharing_rules_show(api: Api) -> None:
    # the samples' rules show the vendor's populations to partners as counts only
    _, body = _session(api, SharingLevel.OVERLAP)
    assert body["offer"]["groups"] == {}  # type: ignore[index]


def test_another_partners_key_cannot_run_psi_for_this_partner(api: Api) -> None:
    _, offer = psi.offer(_partner_keys(), mode=SharingLevel.COUNTS)
    response = api.client.post(
        f"/private/psi/{PARTNER}", headers=api.headers("other"), json=offer.to_dict()
    )
    assert response.status_code == 403


def test_a_partner_hands_in_encodings_and_the_vendor_matches_them_into_a_run(
    api: Api, tmp_path
) -> None:
    from overlap.private.bloom import encode
    from overlap.private.files import write_encodings

    secret = b"0123456789abcdef0123456789abcdef"
    accounts = read_accounts(SAMPLES / "partner_northgate_hubspot.csv").accounts.head(300)
    write_encodings(encode(normalised(accounts), secret), tmp_path / "p.clk.jsonl")
    handed = api.client.post(
        f"/private/encodings/{PARTNER}",
        headers=api.headers("own"),
        files={"file": ("p.clk.jsonl", (tmp_path / "p.clk.jsonl").read_bytes())},
    )
    assert handed.status_code == 201 and handed.json()["accounts"] == 300
    matched = api.client.post(
        f"/private/encodings/{PARTNER}/matches",
        headers=api.headers("admin"),
        files={"secret": ("key", secret)},
    )
    assert matched.status_code == 200, matched.text
    body = matched.json()
    assert len(body["matches"]) > 50
    assert set(body["matches"][0]) == {"vendor_id", "partner_id", "score"}
    # the run holds each matched partner account once, beside the vendor record it matched
    stored = api.client.get(
        f"/runs/{body['run_id']}/matches",
        params={"partner_id": PARTNER, "limit": 1000},
        headers=api.headers("admin"),
    )
    assert stored.status_code == 200, stored.text
    pairs = {(r["vendor_id"], r["partner_account_id"]) for r in stored.json()["items"]}
    found = {(m["vendor_id"], m["partner_id"]) for m in body["matches"]}
    partners_matched = {p for _, p in found}
    assert {p for _, p in pairs} == partners_matched
    assert all(r["partner_name"] is None for r in stored.json()["items"])  # no name was sent
