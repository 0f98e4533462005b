"""From scored pairs to clusters, matches and reasons."""

from __future__ import annotations

import numpy as np
import polars as pl

from overlap.matching.compare import FEATURE_TABLE
from overlap.matching.config import MatchConfig
from overlap.matching.resolve import (
    TOLD_IN_ORDER,
    cluster_labels,
    cross_pairs,
    membership_reasons,
    membership_scores,
)


def scored(*rows: tuple[int, int, float]) -> pl.DataFrame:
    return pl.DataFrame(
        rows, schema={"i": pl.UInt32, "j": pl.UInt32, "score": pl.Float64}, orient="row"
    )


def groups(labels: np.ndarray) -> set[frozenset[int]]:
    found: dict[int, set[int]] = {}
    for row, label in enumerate(labels):
        found.setdefault(int(label), set()).add(row)
    return {frozenset(members) for members in found.values()}


def test_records_linked_above_the_threshold_share_a_cluster():
    labels = cluster_labels(4, scored((0, 1, 0.9), (1, 2, 0.8), (2, 3, 0.3)), MatchConfig())
    assert groups(labels) == {frozenset({0, 1, 2}), frozenset({3})}


def test_a_weak_average_link_stops_a_chain_through_a_third_record():
    # 1 "American Air" is like 0 "American Airlines" and like 2 "American Express",
    # but 0 and 2 were compared and are unlike: 2 never joins the cluster of 0 and 1.
    pairs = scored((0, 1, 0.95), (1, 2, 0.9), (0, 2, 0.01))
    labels = cluster_labels(3, pairs, MatchConfig(min_cluster_link=0.5))
    assert groups(labels) == {frozenset({0, 1}), frozenset({2})}


def test_the_strongest_link_wins_when_a_chain_must_be_cut():
    pairs = scored((0, 1, 0.7), (1, 2, 0.99), (0, 2, 0.01))
    labels = cluster_labels(3, pairs, MatchConfig(min_cluster_link=0.5))
    assert groups(labels) == {frozenset({1, 2}), frozenset({0})}


def test_one_unlike_pair_does_not_split_a_company_written_many_ways():
    # five spellings of one company, all alike but for one pair of spellings
    alike = [(a, b, 0.9) for a in range(5) for b in range(a + 1, 5) if (a, b) != (0, 4)]
    labels = cluster_labels(5, scored(*alike, (0, 4, 0.02)), MatchConfig(min_cluster_link=0.5))
    assert groups(labels) == {frozenset(range(5))}


def three_and_three(links_between: int) -> pl.DataFrame:
    """Records 0-2 and 3-5 alike within; between them ``links_between`` links, the rest unlike."""
    halves = ((0, 1, 2), (3, 4, 5))
    within = [(a, b, 0.95) for group in halves for a in group for b in group if a < b]
    across = [(a, b) for a in (0, 1, 2) for b in (3, 4, 5)]
    between = [(a, b, 0.6 if k < links_between else 0.01) for k, (a, b) in enumerate(across)]
    return scored(*within, *between)


def test_several_links_join_two_clusters_however_unlike_their_other_pairs():
    # a site written three ways in two sources: three spellings link across, six do not
    labels = cluster_labels(6, three_and_three(3), MatchConfig(min_cluster_support=3))
    assert groups(labels) == {frozenset(range(6))}


def test_fewer_links_than_the_support_leave_a_weak_average_to_decide():
    labels = cluster_labels(6, three_and_three(2), MatchConfig(min_cluster_support=3))
    assert groups(labels) == {frozenset({0, 1, 2}), frozenset({3, 4, 5})}


def test_a_company_listed_twice_by_the_vendor_matches_each_row():
    labels = np.array([0, 0, 2, 0])
    sides = np.array([0, 0, 0, 1])
    assert cross_pairs(labels, sides).rows() == [(0, 3), (1, 3)]


def test_membership_score_is_the_best_link_inside_or_one_minus_the_best_outside():
    pairs = scored((0, 1, 0.9), (1, 2, 0.2))
    labels = cluster_labels(3, pairs, MatchConfig())
    np.testing.assert_allclose(membership_scores(3, pairs, labels), [0.9, 0.9, 0.8])


def test_records_never_linked_stay_alone_whatever_their_positions():
    labels = cluster_labels(6, scored((4, 5, 0.9), (1, 3, 0.9)), MatchConfig())
    assert groups(labels) == {frozenset({0}), frozenset({2}), frozenset({1, 3}), frozenset({4, 5})}


def test_every_phrase_a_feature_tells_has_its_place_in_a_reason():
    told = {feature.told.about for feature in FEATURE_TABLE if feature.told is not None}
    assert told <= set(TOLD_IN_ORDER)


def test_a_records_reason_for_its_cluster_is_that_of_its_best_link_inside_it() -> None:
    pairs = scored((0, 1, 0.9), (0, 2, 0.99), (1, 2, 0.6), (2, 3, 0.95)).with_columns(
        reason=pl.Series(["same name", "same domain", None, "names 90% alike"])
    )
    labels = np.array([0, 0, 0, 3, 4])  # record 3 is alone: its link to 2 is across clusters
    assert membership_reasons(5, pairs, labels).to_list() == [
        "same domain",
        "same name",
        "same domain",
        None,
        None,
    ]


def test_a_record_linked_to_two_clear_non_matches_does_not_bridge_them():
    # "SBI" links to "State Bank of India" and to "Central Bank of India", which are unlike
    pairs = scored((0, 1, 0.9), (0, 2, 0.8), (1, 2, 0.03))
    labels = cluster_labels(3, pairs, MatchConfig(min_cluster_link=0.3))
    assert groups(labels) == {frozenset({0, 1}), frozenset({2})}
