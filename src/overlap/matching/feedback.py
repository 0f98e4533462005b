"""Users' decisions on matches: read from a file, named by records, and obeyed.

A decision confirms or rejects a pair. ``link`` takes them as ``FEEDBACK_SCHEMA`` (a
vendor id and a partner id), ``resolve_companies`` as ``PAIR_FEEDBACK_SCHEMA`` (each record
named by its list's owner and id); a decided pair scores 1 (confirmed) or 0 (rejected)
before the records are clustered (``apply_feedback``).
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from overlap import schema
from overlap.errors import InputError, MappingError, UnreadableFileError
from overlap.matching.block import LEFT_ROW, RIGHT_ROW

DECISION = "decision"

FEEDBACK_SCHEMA = {
    schema.VENDOR_ID: pl.String(),
    schema.PARTNER_ID: pl.String(),
    DECISION: pl.String(),
}
"""Feedback on the matches of a vendor list and a partner list (``link``): ``decision``
is a ``schema.Decision``."""

PAIR_FEEDBACK_SCHEMA = {
    schema.left(schema.LIST_OWNER): pl.String(),
    schema.left(schema.ID): pl.String(),
    schema.right(schema.LIST_OWNER): pl.String(),
    schema.right(schema.ID): pl.String(),
    DECISION: pl.String(),
}
"""Feedback on pairs of records of several lists (``resolve_companies``): each record
named by its list's owner and its id; ``decision`` is a ``schema.Decision``."""

LINK_VENDOR, LINK_PARTNER = "vendor", "partner"
"""The owners of the two lists ``link`` pools (``pipeline.link_lists``)."""


def read_feedback(path: str | Path) -> pl.DataFrame:
    """Decisions on matches from a CSV file with the columns of ``FEEDBACK_SCHEMA``."""
    file = str(path)
    try:
        frame = pl.read_csv(path, infer_schema=False)
    except (OSError, pl.exceptions.PolarsError) as error:
        raise UnreadableFileError(f"cannot be read as CSV: {error}", file=file) from error
    missing = [c for c in FEEDBACK_SCHEMA if c not in frame.columns]
    if missing:
        raise MappingError(
            f"no column {missing[0]!r}",
            file=file,
            hint=f"feedback files have the columns {', '.join(FEEDBACK_SCHEMA)}",
        )
    frame = frame.select(
        pl.col(list(FEEDBACK_SCHEMA)).str.strip_chars(),
        (pl.int_range(pl.len()) + 2).alias("line"),
    ).with_columns(pl.col(DECISION).str.to_lowercase())
    known = pl.col(DECISION).is_in(list(schema.Decision))
    wrong = frame.filter(~known | pl.col(DECISION).is_null())
    if len(wrong):
        raise InputError(
            f"decision {wrong[DECISION][0]!r} is neither confirm nor reject",
            file=file,
            row=int(wrong["line"][0]),
            column=DECISION,
        )
    return frame.drop("line")


def pair_feedback(feedback: pl.DataFrame) -> pl.DataFrame:
    """Feedback on ``link``'s two lists (``FEEDBACK_SCHEMA``) as ``PAIR_FEEDBACK_SCHEMA``."""
    decided = feedback.select(list(FEEDBACK_SCHEMA)).cast(pl.Schema(FEEDBACK_SCHEMA))
    return decided.select(
        pl.lit(LINK_VENDOR).alias(schema.left(schema.LIST_OWNER)),
        pl.col(schema.VENDOR_ID).alias(schema.left(schema.ID)),
        pl.lit(LINK_PARTNER).alias(schema.right(schema.LIST_OWNER)),
        pl.col(schema.PARTNER_ID).alias(schema.right(schema.ID)),
        DECISION,
    )


def decided_rows(keys: pl.DataFrame, feedback: pl.DataFrame) -> pl.DataFrame:
    """``i``, ``j`` (row positions in the pool of ``pooled`` keys) and ``decision`` of each pair
    that ``feedback`` (``PAIR_FEEDBACK_SCHEMA``) decides; pairs of unknown records are left out.
    """
    rows = keys.with_columns(pl.int_range(pl.len(), dtype=pl.UInt32).alias("row"))
    sides = [
        rows.rename(
            {
                schema.LIST_OWNER: side(schema.LIST_OWNER),
                schema.ID: side(schema.ID),
                "row": side("row"),
            }
        )
        for side in (schema.left, schema.right)
    ]
    decided = feedback.select(list(PAIR_FEEDBACK_SCHEMA)).cast(pl.Schema(PAIR_FEEDBACK_SCHEMA))
    for side, found in zip((schema.left, schema.right), sides, strict=True):
        decided = decided.join(found, on=[side(schema.LIST_OWNER), side(schema.ID)])
    ends = (schema.left("row"), schema.right("row"))
    return decided.filter(pl.col(ends[0]) != pl.col(ends[1])).select(
        pl.min_horizontal(ends).alias(LEFT_ROW), pl.max_horizontal(ends).alias(RIGHT_ROW), DECISION
    )


DECIDED_REASONS = {
    schema.Decision.CONFIRM: "confirmed by a user",
    schema.Decision.REJECT: "rejected by a user",
}
"""The reason of a pair a user decided, by decision."""


def apply_feedback(pairs: pl.DataFrame, decided: pl.DataFrame) -> pl.DataFrame:
    """Scores of decided pairs set to 1 (confirmed) or 0 (rejected); confirmed pairs added."""
    confirmed = pl.col(DECISION) == schema.Decision.CONFIRM
    decided = decided.with_columns(
        pl.when(confirmed).then(1.0).otherwise(0.0).alias("decided"),
        pl.col(DECISION)
        .replace_strict(DECIDED_REASONS, return_dtype=pl.String)
        .alias("decided_reason"),
    ).select(LEFT_ROW, RIGHT_ROW, "decided", "decided_reason")
    merged = pairs.join(decided, on=[LEFT_ROW, RIGHT_ROW], how="full", coalesce=True)
    return merged.with_columns(
        pl.coalesce("decided", schema.SCORE).alias(schema.SCORE),
        pl.coalesce("decided_reason", schema.REASON).alias(schema.REASON),
    ).drop("decided", "decided_reason")
