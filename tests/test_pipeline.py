"""Matching two lists and de-duplicating one, end to end on tiny lists, with the default model."""

from __future__ import annotations

import polars as pl
import pytest

from overlap.matching.config import MatchConfig
from overlap.matching.model import default_model
from overlap.matching.pipeline import dedupe, link, link_lists, resolve_companies, scored_pool
from overlap.matching.results import Scored


def pool_of(lists: dict[str, pl.DataFrame], config: MatchConfig | None = None) -> Scored:
    """The scored records and candidate pairs that ``link`` and ``dedupe`` work from."""
    _, _, scored, _ = scored_pool(lists, config=config or MatchConfig(), model=default_model())
    return scored


def matched(vendor: pl.DataFrame, partner: pl.DataFrame, **options) -> set[tuple[str, str]]:
    result = link(vendor, partner, **options)
    return set(result.matches.select("vendor_id", "partner_id").iter_rows())


@pytest.mark.parametrize(
    ("vendor_name", "partner_name"),
    [
        ("3M", "3M CO"),
        ("A. O. Smith", "SMITH A O CORP"),
        ("KONINKLIJKE PHILIPS ELECTRONICS N.V.", "PHILIPS ELECTRONICS"),
        ("Société Générale S.A.", "Societe Generale"),
        ("Ernst & Young LLP", "Ernst and Young"),
    ],
)
def test_names_alone_match_across_legal_forms_accents_and_word_order(
    accounts, vendor_name, partner_name
):
    vendor = accounts([{"id": "v1", "name": vendor_name}, {"id": "v2", "name": "Kestrel Foods"}])
    partner = accounts(
        [{"id": "p1", "name": partner_name}, {"id": "p2", "name": "Bluepeak Analytics"}]
    )
    assert matched(vendor, partner) == {("v1", "p1")}


def test_companies_sharing_only_a_common_word_do_not_match(accounts):
    vendor = accounts([{"id": "v1", "name": "American Airlines"}])
    partner = accounts([{"id": "p1", "name": "American Express"}])
    assert matched(vendor, partner) == set()


def test_records_named_as_nobody_typed_a_name_match_only_on_other_evidence(accounts):
    placeholders = [{"id": f"v{k}", "name": "Test Account", "city": "Boston"} for k in range(3)]
    vendor = accounts([*placeholders, {"id": "v9", "name": "Individual", "website": "acme.com"}])
    partner = accounts(
        [
            {"id": "p1", "name": "TEST ACCOUNT", "city": "Boston"},
            {"id": "p2", "name": "Acme Corp", "website": "https://acme.com"},
        ]
    )
    result = link(vendor, partner)
    assert set(result.matches.select("vendor_id", "partner_id").iter_rows()) == {("v9", "p2")}
    assert result.matches["reason"][0] == "same domain acme.com; no name on one side"


def test_a_resellers_email_domain_on_every_account_matches_none_of_them(accounts):
    names = ["Kestrel Foods", "Bluepeak Analytics", "Quorra Roofing", "Marlowe Dental"]
    vendor = accounts([{"id": f"v{k}", "name": name} for k, name in enumerate(names)])
    resold = ["KESTREL FOODS LLC", "Cedar Studio", "Falcon Bakery", "Granite Logistics"]
    resold += ["Harbor Dental", "Juniper Roofing"]
    partner = accounts(
        [
            {"id": f"p{k}", "name": name, "email": "rep@resellerco.com"}
            for k, name in enumerate(resold)
        ]
    )
    assert matched(vendor, partner) == {("v0", "p0")}


def test_the_same_domain_matches_names_written_differently(accounts):
    vendor = accounts([{"id": "v1", "name": "Acme Logistics", "website": "www.acmelog.com"}])
    partner = accounts([{"id": "p1", "name": "ACME Log. Group", "email": "ops@acmelog.com"}])
    result = link(vendor, partner)
    assert result.matches["partner_id"].to_list() == ["p1"]
    assert "same domain acmelog.com" in result.matches["reason"][0]


def test_a_duplicate_in_the_vendor_list_gives_one_match_per_row(accounts):
    vendor = accounts(
        [
            {"id": "v1", "name": "Halvorsen Marine AS", "website": "halvorsen-marine.no"},
            {"id": "v2", "name": "Halvorsen Marine", "website": "halvorsen-marine.no"},
        ]
    )
    partner = accounts(
        [{"id": "p1", "name": "HALVORSEN MARINE A/S", "website": "halvorsen-marine.no"}]
    )
    assert matched(vendor, partner) == {("v1", "p1"), ("v2", "p1")}


def test_a_rejected_match_is_not_made_again_and_a_confirmed_one_is(accounts):
    vendor = accounts(
        [{"id": "v1", "name": "Kestrel Foods"}, {"id": "v2", "name": "Marlowe Pharma"}]
    )
    partner = accounts([{"id": "p1", "name": "Kestrel Foods Inc"}, {"id": "p2", "name": "MP Labs"}])
    feedback = pl.DataFrame(
        {"vendor_id": ["v1", "v2"], "partner_id": ["p1", "p2"], "decision": ["reject", "confirm"]}
    )
    assert matched(vendor, partner) == {("v1", "p1")}
    assert matched(vendor, partner, feedback=feedback) == {("v2", "p2")}


def test_feedback_names_records_of_any_two_lists_by_owner_and_id(accounts):
    lists = {
        "vendor": accounts([{"id": "v1", "name": "Kestrel Foods"}]),
        "P1": accounts([{"id": "a", "name": "Kestrel Foods Inc"}]),
        "P2": accounts([{"id": "a", "name": "Halvorsen Marine"}]),
    }
    feedback = pl.DataFrame(
        {
            "owner_l": ["P2", "vendor"],
            "id_l": ["a", "v1"],
            "owner_r": ["vendor", "P1"],
            "id_r": ["v1", "a"],
            "decision": ["confirm", "reject"],
        }
    )

    def companies(**options) -> set[tuple[str, str]]:
        found = resolve_companies(lists, **options)
        return set(found.select("owner", "company_id").iter_rows())

    assert companies() == {("vendor", "vendor:v1"), ("P1", "vendor:v1"), ("P2", "P2:a")}
    assert companies(feedback=feedback) == {
        ("vendor", "vendor:v1"),
        ("P1", "P1:a"),
        ("P2", "vendor:v1"),
    }


def test_every_match_has_a_score_and_a_reason(accounts):
    vendor = accounts([{"id": "v1", "name": "Kestrel Foods", "city": "Boston", "country": "US"}])
    partner = accounts(
        [{"id": "p1", "name": "Kestrel Foods Inc", "city": "BOSTON", "country": "United States"}]
    )
    row = link(vendor, partner).matches.row(0, named=True)
    assert 0.5 <= row["score"] <= 1.0
    assert row["reason"] == "same name after removing legal forms; same city boston; both in US"


def test_a_reason_names_the_two_sites_of_a_company_under_two_suffixes(accounts):
    vendor = accounts([{"id": "v1", "name": "Siemens AG", "website": "siemens.de"}])
    partner = accounts([{"id": "p1", "name": "Siemens", "website": "https://www.siemens.com"}])
    reason = link(vendor, partner).matches["reason"].to_list()
    assert reason == [
        "one domain name under two suffixes (siemens.de vs siemens.com); "
        "same name after removing legal forms"
    ]


@pytest.mark.parametrize(
    ("vendor_site", "partner_site", "phrase"),
    [
        (
            "acmewidgets.co.uk",
            "acme-widgets.com",
            "domain names alike apart from hyphens, under two suffixes",
        ),
        ("acmewidgets.com", "acme-widgets.com", "domain names alike apart from hyphens"),
    ],
)
def test_a_reason_says_two_domains_are_alike_only_apart_from_a_hyphen(
    accounts, vendor_site, partner_site, phrase
):
    vendor = accounts([{"id": "v1", "name": "Acme Widgets Ltd", "website": vendor_site}])
    partner = accounts([{"id": "p1", "name": "Acme Widgets", "website": partner_site}])
    reason = link(vendor, partner).matches["reason"].to_list()
    assert reason == [
        f"{phrase} ({vendor_site} vs {partner_site}); same name after removing legal forms"
    ]


def test_a_subsidiary_named_for_its_country_abroad_is_a_family_match_and_the_reason_says_so(
    accounts,
):
    vendor = accounts([{"id": "v1", "name": "Kestrel Foods Inc", "country": "US"}])
    partner = accounts([{"id": "p1", "name": "Kestrel Foods Deutschland GmbH", "country": "DE"}])
    result = link(vendor, partner)
    assert result.matches.is_empty()
    assert result.review.select("relation", "why", "reason").rows() == [
        (
            "family",
            "family: 'Kestrel Foods Deutschland GmbH' is a part of the group 'Kestrel Foods Inc'",
            "same name but for the country DE one carries; countries differ (US vs DE); "
            "named as a subsidiary in DE",
        )
    ]


def test_each_of_a_groups_subsidiaries_abroad_is_a_family_match_of_the_group(accounts):
    vendor = accounts([{"id": "v1", "name": "Kestrel Foods Inc", "country": "US"}])
    abroad = [
        ("Deutschland GmbH", "DE"),
        ("UK Ltd", "GB"),
        ("France SAS", "FR"),
        ("Japan KK", "JP"),
    ]
    partner = accounts(
        [
            {"id": f"p{k}", "name": f"Kestrel Foods {name}", "country": country}
            for k, (name, country) in enumerate(abroad)
        ]
    )
    result = link(vendor, partner)
    assert result.matches.is_empty()
    family = result.review.filter(pl.col("relation") == "family")
    assert set(family.select("vendor_id", "partner_id").iter_rows()) == {
        ("v1", f"p{k}") for k in range(4)
    }


def test_two_subsidiaries_of_a_group_in_two_countries_are_two_accounts(accounts):
    vendor = accounts([{"id": "v1", "name": "Kestrel Foods Deutschland GmbH", "country": "DE"}])
    partner = accounts([{"id": "p1", "name": "Kestrel Foods France SAS", "country": "FR"}])
    assert link(vendor, partner).matches.is_empty()


def test_only_the_pairs_at_or_above_the_threshold_are_given_a_reason(accounts):
    vendor = accounts(
        [{"id": "v1", "name": "Kestrel Foods"}, {"id": "v2", "name": "Marlowe Pharma"}]
    )
    partner = accounts(
        [{"id": "p1", "name": "Kestrel Foods Inc"}, {"id": "p2", "name": "Marlowe Logistics"}]
    )
    pairs = pool_of(link_lists(vendor, partner)).pairs
    matched = pl.col("score") >= 0.5
    assert pairs.filter(matched)["reason"].null_count() == 0
    assert pairs.filter(~matched).height > 0
    assert pairs.filter(~matched)["reason"].is_null().all()


def test_scores_rise_in_a_list_where_most_candidates_are_the_same_company(accounts):
    spellings = ["Kestrel Foods", "KESTREL FOODS INC", "Kestrel Food", "Kestrell Foods", "Kestrel"]
    frame = accounts([{"id": str(n), "name": name} for n, name in enumerate(spellings * 4)])
    as_trained = pool_of({"list": frame}, config=MatchConfig(prior_pairs=10**9)).pairs
    adapted = pool_of({"list": frame}).pairs
    assert adapted.select("i", "j").equals(as_trained.select("i", "j"))
    assert (adapted["score"] >= as_trained["score"]).all()

    def odds(score: pl.Series) -> pl.Series:
        return score / (1 - score)

    # 2x before the default model learnt from real pairs, whose larger share of matches
    # makes the training share closer to this list's
    assert (odds(adapted["score"]) > 1.5 * odds(as_trained["score"])).all()


def test_any_scored_pair_can_be_explained_on_demand(accounts):
    vendor = accounts([{"id": "v1", "name": "Marlowe Pharma", "country": "US"}])
    partner = accounts([{"id": "p1", "name": "Marlowe Logistics", "country": "US"}])
    scored = pool_of(link_lists(vendor, partner))
    unsure = scored.pairs.filter(pl.col("score") < 0.5).with_columns(note=pl.lit("kept"))
    explained = scored.explain(unsure)
    assert explained.height == unsure.height == 1
    assert explained["note"][0] == "kept"
    assert explained["reason"][0].startswith("names ")
    assert explained["reason"][0].endswith("% alike (spelling); both in US")


def test_dedupe_gives_every_record_a_cluster_named_after_its_first_record(accounts):
    frame = accounts(
        [
            {"id": "a", "name": "Kestrel Foods Inc"},
            {"id": "b", "name": "Bluepeak Analytics"},
            {"id": "c", "name": "KESTREL FOODS"},
        ]
    )
    clusters = dedupe(frame).clusters
    assert clusters["cluster_id"].to_list() == ["a", "b", "a"]
    assert clusters["score"].is_between(0, 1).all()
