"""Training data: labelled pairs of generated lists, one pair of lists per mask and world."""

from __future__ import annotations

from overlap.matching.train import EVIDENCE_MASKS, LABEL, generated_pairs


def test_generated_pairs_hold_matches_and_non_matches_and_report_each_list_labelled() -> None:
    calls: list[tuple[str, int, int]] = []
    pairs = generated_pairs(
        n=300, worlds=2, progress=lambda stage, done, total: calls.append((stage, done, total))
    )
    lists = 2 * len(EVIDENCE_MASKS)
    assert [done for _, done, _ in calls] == list(range(lists + 1))
    assert {total for _, _, total in calls} == {lists}
    assert set(pairs[LABEL].unique()) == {0, 1}
