from __future__ import annotations

import polars as pl
from polars.testing import assert_frame_equal

from overlap import schema
from overlap.api.private_runs import REASON, private_companies

COLUMNS = [schema.LIST_OWNER, schema.ID, schema.COMPANY_ID, schema.SCORE, schema.REASON]


def test_a_private_match_puts_each_partner_account_in_its_best_vendor_records_company() -> None:
    previous = pl.DataFrame(
        [
            ("vendor", "v1", "vendor:v1", 1.0, None),
            ("vendor", "v2", "vendor:v1", 0.9, "same name"),
            ("PRT-1", "old", "vendor:v1", 0.8, "same name"),  # the partner's former list
            ("PRT-2", "q", "vendor:v1", 0.9, "same name"),
        ],
        schema=COLUMNS,
        orient="row",
    )
    matches = pl.DataFrame(
        {
            schema.VENDOR_ID: ["v2", "v3", "v9"],
            schema.PARTNER_ID: ["p1", "p1", "p2"],
            schema.SCORE: [0.7, 0.95, 0.8],
        }
    )
    out = private_companies(previous, "PRT-1", matches)
    expected = pl.DataFrame(
        [
            ("vendor", "v1", "vendor:v1", 1.0, None),
            ("vendor", "v2", "vendor:v1", 0.9, "same name"),
            ("PRT-2", "q", "vendor:v1", 0.9, "same name"),
            # v3 and v9 were in no earlier run: each is a company of its own
            ("PRT-1", "p1", "vendor:v3", 0.95, REASON),
            ("PRT-1", "p2", "vendor:v9", 0.8, REASON),
        ],
        schema=COLUMNS,
        orient="row",
    )
    assert_frame_equal(out, expected)
