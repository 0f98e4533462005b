"""What was known on a day: lists by their export date, deals by their own dates."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl
from polars.testing import assert_frame_equal

from overlap.ecosystem.data import AS_OF, LISTED_SINCE, Ecosystem
from overlap.ecosystem.history import as_known_on, undated_lists
from rank_world import partner, world

CUTOFF = date(2024, 5, 1)
JAN, JUL = date(2024, 1, 1), date(2024, 7, 1)


def ecosystem(*, after_cutoff: bool) -> Ecosystem:
    """A small ecosystem; ``after_cutoff=False`` removes or changes all it dates on or after
    CUTOFF (a later snapshot, a later vendor record, later deals, a later outcome)."""
    vendor: list[dict[str, Any]] = [
        {"id": "v1", "company": "c1", "created_date": date(2023, 3, 1)},
        {"id": "v3", "company": "c3"},
    ]
    snapshots: list[dict[str, Any]] = [{"id": "a1", "company": "c1", AS_OF: JAN}]
    deal_rows = [
        {"account_id": "v1", "partner_id": "A", "outcome": "won", "close_date": date(2024, 3, 1)},
        {"account_id": "v1", "partner_id": "A", "outcome": "lost", "close_date": JUL},
    ]
    if after_cutoff:
        vendor.append({"id": "v2", "company": "c2", "created_date": date(2024, 6, 1)})
        snapshots += [
            {"id": "a1", "company": "c1", AS_OF: JUL},
            {"id": "a2", "company": "c2", AS_OF: JUL},
        ]
        deal_rows[1] |= {"outcome": "won", "close_date": date(2024, 6, 2)}
        deal_rows.append(
            {"account_id": "v2", "partner_id": "B", "outcome": "won"}
            | dict(created_date=date(2024, 6, 1), close_date=date(2024, 6, 20))
        )
    common = {"product": "Atlas Platform", "amount": 1.0, "created_date": date(2024, 1, 1)}
    return world(
        vendor,
        {"A": snapshots, "B": [{"id": "b1", "company": "c3"}]},
        [partner("A"), partner("B")],
        [common | d for d in deal_rows],
    )


def test_changing_or_removing_everything_dated_after_a_cutoff_leaves_that_day_unchanged() -> None:
    known, trimmed = (as_known_on(ecosystem(after_cutoff=later), CUTOFF) for later in (True, False))
    assert_frame_equal(known.accounts, trimmed.accounts)
    assert_frame_equal(known.deals, trimmed.deals)


def test_a_deal_closed_after_the_day_is_open_on_it() -> None:
    deals = as_known_on(ecosystem(after_cutoff=True), CUTOFF).deals
    assert deals["outcome"].to_list() == ["won", None]
    assert deals["close_date"].to_list() == [date(2024, 3, 1), None]


def test_a_partner_is_known_by_its_latest_snapshot_before_the_day() -> None:
    eco = ecosystem(after_cutoff=True)
    accounts = as_known_on(eco, date(2024, 8, 1)).accounts.filter(pl.col("owner") == "A")
    assert accounts["id"].to_list() == ["a1", "a2"]
    assert accounts[AS_OF].to_list() == [JUL, JUL]
    assert accounts[LISTED_SINCE].to_list() == [JAN, JUL]


def test_undated_records_are_kept_and_their_lists_named() -> None:
    eco = ecosystem(after_cutoff=True)
    known = as_known_on(eco, date(2000, 1, 1))
    assert set(known.accounts["id"]) == {"v3", "b1"}
    assert undated_lists(eco) == ["B"]
