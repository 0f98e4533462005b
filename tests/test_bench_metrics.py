import sys
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

sys.path.insert(0, str(Path(__file__).parents[1] / "bench"))

from metrics import best_link_scores, dedupe_scores, link_scores, pairs_from_clusters

TRUTH = pl.DataFrame({"vendor_id": ["v1", "v2", "v3"], "partner_id": ["p1", "p2", "p3"]})


def test_perfect_linkage_scores_one_everywhere() -> None:
    scores = link_scores(TRUTH, TRUTH)
    assert (scores.precision, scores.recall, scores.f1) == (1.0, 1.0, 1.0)
    assert (scores.predicted_pairs, scores.true_pairs) == (3, 3)


def test_a_false_positive_lowers_precision_only() -> None:
    predicted = pl.concat([TRUTH, pl.DataFrame({"vendor_id": ["v1"], "partner_id": ["p9"]})])
    scores = link_scores(predicted, TRUTH)
    assert scores.precision == pytest.approx(3 / 4)
    assert scores.recall == 1.0
    assert scores.f1 == pytest.approx(2 * 0.75 / 1.75)


def test_a_missed_pair_lowers_recall_only() -> None:
    scores = link_scores(TRUTH.head(2), TRUTH)
    assert scores.precision == 1.0
    assert scores.recall == pytest.approx(2 / 3)


def test_pairs_are_read_at_the_threshold_that_scores_best_on_the_truth() -> None:
    predicted = pl.DataFrame(
        {
            "vendor_id": ["v1", "v2", "v1", "v3", "v4"],
            "partner_id": ["p1", "p2", "p9", "p3", "p4"],
            "score": [0.9, 0.8, 0.7, 0.3, 0.1],
        }
    )
    scores, threshold = best_link_scores(predicted, TRUTH)
    assert threshold == 0.3
    assert (scores.true_positives, scores.predicted_pairs, scores.true_pairs) == (3, 4, 3)


def test_with_no_true_pair_predicted_the_best_reads_no_pair() -> None:
    predicted = pl.DataFrame({"vendor_id": ["v9"], "partner_id": ["p9"], "score": [0.9]})
    scores, _ = best_link_scores(predicted, TRUTH)
    assert (scores.predicted_pairs, scores.f1) == (0, 0.0)


def test_linkage_ids_are_compared_as_strings_and_repeats_count_once() -> None:
    truth = pl.DataFrame({"vendor_id": ["1", "2"], "partner_id": ["10", "20"]})
    predicted = pl.DataFrame({"vendor_id": [1, 1, 2], "partner_id": [10, 10, 20]})
    scores = link_scores(predicted, truth)
    assert (scores.true_positives, scores.predicted_pairs) == (2, 2)


def test_pooled_partners_keep_equal_ids_of_different_files_apart() -> None:
    keys = ("partner", "vendor_id", "partner_id")
    truth = pl.DataFrame({"partner": ["a.csv"], "vendor_id": ["v1"], "partner_id": ["p1"]})
    predicted = pl.DataFrame({"partner": ["b.csv"], "vendor_id": ["v1"], "partner_id": ["p1"]})
    assert link_scores(predicted, truth, on=keys).true_positives == 0


def test_an_empty_prediction_scores_zero_without_dividing_by_zero() -> None:
    scores = link_scores(TRUTH.clear(), TRUTH)
    assert (scores.precision, scores.recall, scores.f1) == (0.0, 0.0, 0.0)


def test_a_cluster_of_three_gives_three_pairs() -> None:
    clusters = pl.DataFrame({"id": ["a", "b", "c", "d"], "cluster_id": [1, 1, 1, 2]})
    expected = pl.DataFrame({"id_l": ["a", "a", "b"], "id_r": ["b", "c", "c"]})
    assert_frame_equal(pairs_from_clusters(clusters), expected)


def test_dedupe_counts_pairs_within_clusters() -> None:
    truth = pl.DataFrame({"id": ["a", "b", "c", "d"], "entity_id": ["x", "x", "x", "y"]})
    predicted = pl.DataFrame({"id": ["a", "b", "c", "d"], "cluster_id": [1, 1, 2, 2]})
    scores = dedupe_scores(predicted, truth)
    # true pairs ab ac bc; predicted ab cd; only ab is right
    assert (scores.true_positives, scores.predicted_pairs, scores.true_pairs) == (1, 2, 3)
    assert scores.precision == pytest.approx(1 / 2)
    assert scores.recall == pytest.approx(1 / 3)


def test_perfect_dedupe_matches_the_listed_pairs() -> None:
    truth = pl.DataFrame({"id": [1, 2, 3, 4, 5], "entity_id": [7, 7, 7, 8, 8]})
    predicted = truth.rename({"entity_id": "cluster_id"}).with_columns(pl.col("cluster_id") + 1)
    scores = dedupe_scores(predicted, truth)
    listed = pairs_from_clusters(truth, cluster_col="entity_id").height
    assert scores.true_positives == scores.predicted_pairs == scores.true_pairs == listed == 4


def test_rows_missing_or_unlabelled_in_the_prediction_are_singletons() -> None:
    truth = pl.DataFrame({"id": ["a", "b", "c"], "entity_id": ["x", "x", "x"]})
    predicted = pl.DataFrame(
        {"id": ["a", "b"], "cluster_id": [None, None]}, schema_overrides={"cluster_id": pl.String}
    )
    scores = dedupe_scores(predicted, truth)
    assert (scores.true_positives, scores.predicted_pairs, scores.true_pairs) == (0, 0, 3)
