"""The review queue of ``link``: ambiguous pairs said, not matched; unsure pairs; family
matches kept apart from same-company matches."""

from __future__ import annotations

import polars as pl

from overlap.matching.config import MatchConfig
from overlap.matching.pipeline import link

ACME_TWICE = [
    {"id": "p1", "name": "Acme Logistics", "website": "acmelog.com", "country": "US"},
    {"id": "p2", "name": "Acme Logistics", "website": "acme-logistik.de", "country": "DE"},
]


def queue(result) -> list[tuple[str, str, str, str]]:
    return result.review.select("vendor_id", "partner_id", "relation", "why").rows()


def test_a_record_with_two_close_candidates_is_ambiguous_and_neither_pair_is_matched(accounts):
    vendor = accounts([{"id": "v1", "name": "Acme Logistics"}])
    result = link(vendor, accounts(ACME_TWICE))
    assert result.matches.is_empty()
    why = "ambiguous: 'Acme Logistics' is as close to 'Acme Logistics' (0.83)"
    assert sorted(queue(result)) == [("v1", "p1", "same", why), ("v1", "p2", "same", why)]
    assert result.review.columns == [
        "vendor_id",
        "partner_id",
        "score",
        "relation",
        "why",
        "reason",
    ]


def test_a_candidate_clearly_the_best_is_matched_and_not_reviewed(accounts):
    vendor = accounts([{"id": "v1", "name": "Acme Logistics"}])
    result = link(vendor, accounts(ACME_TWICE[:1]))
    assert result.matches.select("vendor_id", "partner_id").rows() == [("v1", "p1")]
    assert result.review.is_empty()


def test_with_no_room_for_ambiguity_only_equal_odds_are_ambiguous(accounts):
    vendor = accounts([{"id": "v1", "name": "Acme Logistics"}])
    result = link(vendor, accounts(ACME_TWICE), config=MatchConfig(ambiguity_odds=1.0))
    best = result.unsure.sort("score", descending=True).row(0, named=True)["partner_id"]
    assert result.matches.select("vendor_id", "partner_id").rows() == [("v1", best)]
    assert result.review.is_empty()


def test_a_reviewers_decisions_end_the_ambiguity(accounts):
    vendor = accounts([{"id": "v1", "name": "Acme Logistics"}])
    feedback = pl.DataFrame(
        {"vendor_id": ["v1", "v1"], "partner_id": ["p1", "p2"], "decision": ["confirm", "reject"]}
    )
    result = link(vendor, accounts(ACME_TWICE), feedback=feedback)
    assert result.matches.select("vendor_id", "partner_id").rows() == [("v1", "p1")]
    assert result.review.is_empty()


SAGES = [
    {"id": "p1", "name": "Sage Group PLC", "country": "GB"},
    {"id": "p2", "name": "Sage Therapeutics Inc", "country": "GB"},
]


def test_a_brand_beside_two_companies_of_its_name_is_asked_about_with_its_rival(accounts):
    vendor = accounts([{"id": "v1", "name": "Sage", "country": "GB"}])
    result = link(vendor, accounts(SAGES))
    assert result.matches.is_empty()
    asked = {partner: why for _, partner, relation, why in queue(result) if relation == "same"}
    assert set(asked) == {"p1", "p2"}
    assert asked["p1"].startswith("ambiguous: 'Sage' is as close to 'Sage Therapeutics Inc' (")
    assert asked["p2"].startswith("ambiguous: 'Sage' is as close to 'Sage Group PLC' (")


def test_the_brand_alone_with_one_company_of_its_name_is_matched(accounts):
    vendor = accounts([{"id": "v1", "name": "Sage", "country": "GB"}])
    result = link(vendor, accounts(SAGES[:1]))
    assert result.matches.select("vendor_id", "partner_id").rows() == [("v1", "p1")]
    assert result.review.is_empty()


def test_a_rival_pair_a_reviewer_rejected_is_not_asked_about_again(accounts):
    vendor = accounts([{"id": "v1", "name": "Sage", "country": "GB"}])
    feedback = pl.DataFrame({"vendor_id": ["v1"], "partner_id": ["p2"], "decision": ["reject"]})
    result = link(vendor, accounts(SAGES), feedback=feedback)
    assert "p2" not in result.review["partner_id"].to_list()


def test_a_pair_scoring_between_the_review_and_the_match_thresholds_is_unsure(accounts):
    vendor = accounts([{"id": "v1", "name": "Reliance Industries Limited"}])
    partner = accounts([{"id": "p1", "name": "Reliance Chemotex Industries Ltd"}])
    result = link(vendor, partner, config=MatchConfig(review_threshold=0.01))
    assert result.matches.is_empty()
    row = result.review.row(0, named=True)
    assert row["relation"] == "same"
    assert row["why"] == f"unsure: score {round(row['score'], 2)} below the match threshold 0.50"
    assert row["reason"].startswith("every word of 'Reliance Industries Limited' is in")


def test_a_pair_scoring_below_the_review_threshold_is_not_reviewed(accounts):
    vendor = accounts([{"id": "v1", "name": "Reliance Industries Limited"}])
    partner = accounts([{"id": "p1", "name": "Reliance Chemotex Industries Ltd"}])
    result = link(vendor, partner, config=MatchConfig(review_threshold=0.5))
    assert result.review.is_empty()


def test_a_subsidiary_named_for_its_country_is_a_family_match_of_its_group(accounts):
    vendor = accounts([{"id": "v1", "name": "Telefonica S.A."}])
    partner = accounts([{"id": "p1", "name": "Telefonica Deutschland AG"}])
    result = link(vendor, partner)
    assert result.matches.is_empty()
    assert queue(result) == [
        (
            "v1",
            "p1",
            "family",
            "family: 'Telefonica Deutschland AG' is a part of the group 'Telefonica S.A.'",
        )
    ]


def test_a_division_named_for_a_region_or_services_is_a_family_match(accounts):
    vendor = accounts([{"id": "v1", "name": "Kestrel Foods"}, {"id": "v2", "name": "Brightline"}])
    partner = accounts(
        [{"id": "p1", "name": "Kestrel Foods Europe"}, {"id": "p2", "name": "Brightline Services"}]
    )
    result = link(vendor, partner)
    assert result.matches.is_empty()
    assert sorted((v, p, relation) for v, p, relation, _ in queue(result)) == [
        ("v1", "p1", "family"),
        ("v2", "p2", "family"),
    ]


def test_a_name_that_adds_a_word_of_its_own_is_no_family_match(accounts):
    vendor = accounts([{"id": "v1", "name": "Siemens AG"}])
    partner = accounts([{"id": "p1", "name": "Siemens Healthineers AG"}])
    result = link(vendor, partner, config=MatchConfig(review_threshold=0.0))
    assert "family" not in result.review["relation"].to_list()


def test_two_subsidiaries_in_two_countries_are_parts_of_one_group(accounts):
    vendor = accounts([{"id": "v1", "name": "Kestrel Foods Deutschland GmbH", "country": "DE"}])
    partner = accounts([{"id": "p1", "name": "Kestrel Foods France SAS", "country": "FR"}])
    assert queue(link(vendor, partner)) == [
        (
            "v1",
            "p1",
            "family",
            "family: 'Kestrel Foods Deutschland GmbH' and 'Kestrel Foods France SAS' are parts "
            "of one group",
        )
    ]
