"""A view's parts made in a child process (its Ecosystem's accounts, its Ranker) are those
the library makes from the same data in process."""

from __future__ import annotations

import polars as pl
from polars.testing import assert_frame_equal

from overlap import schema
from overlap.api.ecosystem_apart import build_ecosystem, fit_apart
from overlap.api.service import run_match
from overlap.api.store import Store
from overlap.ecosystem.data import VENDOR, ecosystem_from_frames
from overlap.ecosystem.rank import co_sell
from overlap.ecosystem.ranker import Ranker
from overlap.ingest import accounts_from_frame

LISTS = {
    VENDOR: {"name": ["Acme Corp", "Beta Tools", "Gamma Foods"], "stage": ["Negotiation"] * 3},
    "P1": {"name": ["ACME Corporation", "Beta Tools Inc", "Omega Labs"]},
    "P2": {"name": ["Gamma Foods Ltd"], "website": ["gamma.example"]},
}


def _store(*, matched: bool) -> Store:
    store = Store.open(":memory:")
    for owner, columns in LISTS.items():
        if owner != VENDOR:
            store.put_partner({"partner_id": owner, "name": owner, "sharing": None})
        accounts = accounts_from_frame(pl.DataFrame(columns)).accounts
        store.put_list(owner, accounts, file_name=f"{owner}.csv")
    store.put_partner({"partner_id": "P3", "name": "No list yet", "sharing": None})
    if matched:
        run_match(store, str(store.create_run()["run_id"]))
    return store


def _in_process(store: Store) -> pl.DataFrame:
    lists = store.latest_lists()
    empty = pl.DataFrame(schema=schema.ACCOUNT_SCHEMA)
    partners = store.partner_frame()
    return ecosystem_from_frames(
        lists[VENDOR],
        {p: lists.get(p, empty) for p in partners[schema.PARTNER_ID]},
        partners,
        store.products(),
        store.deals(),
        company_ids=store.companies().select(schema.LIST_OWNER, schema.ID, schema.COMPANY_ID),
    ).accounts


def test_the_accounts_resolved_apart_are_those_resolved_in_process_after_a_run() -> None:
    store = _store(matched=True)
    accounts = build_ecosystem(store).accounts
    assert_frame_equal(accounts, _in_process(store))
    acme = accounts.filter(pl.col(schema.NAME).str.starts_with("A"))[schema.COMPANY_ID]
    assert acme.n_unique() == 1
    store.close()


def test_before_any_run_every_record_resolved_apart_is_a_company_of_its_own() -> None:
    store = _store(matched=False)
    accounts = build_ecosystem(store).accounts
    assert_frame_equal(accounts, _in_process(store))
    assert accounts[schema.COMPANY_ID].n_unique() == accounts.height
    store.close()


def test_a_ranker_fitted_apart_gives_the_odds_of_one_fitted_in_process() -> None:
    store = _store(matched=True)
    eco = build_ecosystem(store)
    ranked = co_sell(eco)
    assert_frame_equal(fit_apart(eco).with_odds(ranked), Ranker().fit(eco).with_odds(ranked))
    store.close()


def test_records_of_one_company_resolved_apart_share_its_first_listed_date() -> None:
    store = Store.open(":memory:")
    vendor = {
        "name": ["Acme Corp", "Acme Corporation", "Beta Tools"],
        "website": ["acme.example", "acme.example", "beta.example"],
        "created_date": ["2024-03-01", "2022-05-17", "2023-01-09"],
    }
    store.put_list(VENDOR, accounts_from_frame(pl.DataFrame(vendor)).accounts, file_name="v.csv")
    run_match(store, str(store.create_run()["run_id"]))
    accounts = build_ecosystem(store).accounts
    assert_frame_equal(accounts, _in_process(store))
    since = accounts.filter(pl.col(schema.NAME).str.starts_with("Acme"))["listed_since"]
    assert since.cast(pl.String).to_list() == ["2022-05-17", "2022-05-17"]
    store.close()
