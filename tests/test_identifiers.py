"""Identifiers that unlike companies share are read as unknown."""

from __future__ import annotations

from overlap import schema
from overlap.matching.identifiers import without_shared_identifiers
from overlap.matching.pipeline import prepare


def test_a_domain_unlike_companies_share_identifies_none_of_them(accounts):
    # a reseller's e-mail domain on its accounts; one company's offices on its own domain
    resold = ["Kestrel Foods", "Bluepeak Analytics", "Quorra Roofing", "Marlowe Dental"]
    offices = ["Acme Corp - Boston", "ACME Inc", "Acme Corp - Denver"]
    records = prepare(
        accounts(
            [{"name": name, "email": "rep@resellerco.com"} for name in resold]
            + [{"name": name, "website": "acme.com"} for name in offices]
        )
    )
    kept = without_shared_identifiers(records, max_names=3, max_tenants=30)
    assert kept[schema.DOMAIN].to_list() == [None] * 4 + ["acme.com"] * 3


def test_a_mailbox_provider_is_the_website_of_none_but_the_provider(accounts):
    rows = [
        {"name": "Kestrel Bakery", "website": "gmail.com"},
        {"name": "Kestrel Roofing", "website": "www.gmail.com"},
        {"name": "Yahoo Inc", "website": "yahoo.com"},
        {"name": "Quorra Dental", "website": "yahoo.com"},
    ]
    kept = without_shared_identifiers(prepare(accounts(rows)), max_names=5, max_tenants=30)
    assert kept[schema.DOMAIN].to_list() == [None, None, "yahoo.com", None]


def test_an_address_identifies_its_tenants_until_more_than_a_building_holds(accounts):
    tenants = ["Kestrel Foods", "Bluepeak Analytics", "Quorra Roofing"]
    place = {"address": "350 5th Ave", "postal_code": "10118", "city": "New York"}
    records = prepare(accounts([{"name": name, **place} for name in tenants]))
    building = without_shared_identifiers(records, max_names=2, max_tenants=3)
    agent = without_shared_identifiers(records, max_names=2, max_tenants=2)
    assert building[schema.ADDRESS_NORM].to_list() == ["350 5th ave"] * 3
    assert agent[schema.ADDRESS_NORM].to_list() == [None] * 3


def test_a_phone_is_shared_on_its_last_seven_digits_and_an_address_within_its_town(accounts):
    rows = [
        {
            "name": "Quorra Foods",
            "phone": "+1 512 555 0142",
            "address": "12 Main St",
            "city": "Austin",
        },
        {"name": "Bluepeak", "phone": "(512) 555-0142", "address": "12 Main St", "city": "Boston"},
        {"name": "Kestrel", "phone": "555-0142", "address": "12 Main St", "city": "Denver"},
    ]
    kept = without_shared_identifiers(prepare(accounts(rows)), max_names=2, max_tenants=2)
    assert kept[schema.PHONE_NORM].to_list() == [None, None, None]
    assert kept[schema.ADDRESS_NORM].to_list() == ["12 main st"] * 3


def test_a_mailbox_provider_is_the_website_of_the_provider_whose_name_drops_its_hyphen(accounts):
    rows = [
        {"name": "T-Online AG", "website": "t-online.de"},
        {"name": "Kestrel Bakery", "website": "t-online.de"},
    ]
    kept = without_shared_identifiers(prepare(accounts(rows)), max_names=5, max_tenants=30)
    assert kept[schema.DOMAIN].to_list() == ["t-online.de", None]


def test_the_phone_key_and_domain_label_are_unknown_with_the_shared_value_they_come_from(accounts):
    rows = [
        {"name": name, "phone": "+1 512 555 0142", "website": "resellerco.com"}
        for name in ("Quorra Foods", "Bluepeak", "Kestrel")
    ]
    kept = without_shared_identifiers(prepare(accounts(rows)), max_names=2, max_tenants=2)
    assert kept[schema.PHONE_KEY].to_list() == kept[schema.DOMAIN_LABEL].to_list() == [None] * 3
