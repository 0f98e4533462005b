"""What each principal may see of account-level data: the one place sharing rules apply.

Every route that returns records builds a frame with the columns of ``META`` and hands
it to ``visible``. ``owner`` is whose record it is ("vendor" or a partner id);
``partner_id`` is the partner the row is about (for a vendor record: the partner whose
view it belongs to); ``population`` is the owner's relationship (customer,
opportunity, prospect; null when the row is no record of the owner's); ``overlap``
says whether the company is on both the vendor's and that partner's lists.

The level for a row is ``hidden`` (dropped), ``counts`` (dropped, counted), ``overlap``
(kept if the company overlaps, else counted) or ``all`` (kept):

* admin and ecosystem keys see everything;
* a partner key sees its own records, and the vendor's records about it as far as
  the partner's ``vendor_to_partner`` rules say; at ``overlap`` only the name, the
  status and the company of a vendor record are shown;
* a sales key sees the vendor's records, and a partner's records as far as that
  partner's ``partner_to_vendor`` rules say, with only the partner's ``shared_fields``.

Matrix cells are counts already; ``visible_cells`` drops the cells whose population
is hidden from the principal, by the same levels, and ``visible_cell`` shows the
records of one cell no further than its level: which cell a record is in tells the
other side's population of its company. Partner keys never see company ids (they
are made of the vendor's CRM ids) nor whether the vendor has their own records.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

from api.security import Principal
from overlap.ecosystem import VENDOR

META = ("owner", "partner_id", "population", "overlap")
ALWAYS_SHOWN = frozenset({*META, "company_id"})
SHOWN_AT_OVERLAP = frozenset({*ALWAYS_SHOWN, "name", "status"})
COUNTS_SCHEMA = {
    "owner": pl.String(),
    "partner_id": pl.String(),
    "population": pl.String(),
    "records": pl.Int64(),
}


@dataclass(frozen=True)
class Shared:
    """The rows a principal may see, and counts of the rows it may only count."""

    rows: pl.DataFrame
    counts: pl.DataFrame


def _level(principal: Principal, rules: Mapping[str, Mapping[str, Any]]) -> pl.Expr:
    """The sharing level of each row of a ``META`` frame for ``principal``."""
    owner, partner, population = pl.col("owner"), pl.col("partner_id"), pl.col("population")
    if principal.role in ("admin", "ecosystem"):
        return pl.lit("all")
    if principal.role == "partner":
        own = principal.partner_id or ""
        levels = dict((rules.get(own) or {}).get("vendor_to_partner") or {})
        return (
            pl.when(owner == own)
            .then(pl.lit("all"))
            .when((owner == VENDOR) & (partner == own))
            .then(population.replace_strict(levels, default="hidden", return_dtype=pl.String))
            .otherwise(pl.lit("hidden"))
        )
    if principal.role == "sales":
        keyed = {
            f"{pid}\x1f{pop}": level
            for pid, rule in rules.items()
            for pop, level in (rule.get("partner_to_vendor") or {}).items()
        }
        return (
            pl.when(owner == VENDOR)
            .then(pl.lit("all"))
            .otherwise(
                pl.concat_str(owner, pl.lit("\x1f"), population).replace_strict(
                    keyed, default="hidden", return_dtype=pl.String
                )
            )
        )
    return pl.lit("hidden")


def visible(
    principal: Principal,
    frame: pl.DataFrame,
    rules: Mapping[str, Mapping[str, Any]],
    *,
    fields: Mapping[str, str | None] | None = None,
) -> Shared:
    """The rows and fields of ``frame`` that ``principal`` may see under ``rules``.

    ``rules`` maps a partner id to its sharing rules; ``fields`` maps a column that
    shows a partner's data onto the account field it reveals (default: the column's
    own name), which a sales key sees only when the partner shares that field; a
    column mapped onto None is the vendor's own data (its opportunity, a score).
    """
    fields = dict(fields or {})
    leveled = frame.with_columns(_level(principal, rules).alias("_level"))
    kept_expr = (pl.col("_level") == "all") | (
        (pl.col("_level") == "overlap") & pl.col("overlap").fill_null(False)
    )
    counted = leveled.filter(~kept_expr & pl.col("_level").is_in(["counts", "overlap"]))
    counts = (
        counted.group_by("owner", "partner_id", "population")
        .agg(pl.len().cast(pl.Int64).alias("records"))
        .sort("owner", "partner_id", "population")
        .select(pl.col(c).cast(t) for c, t in COUNTS_SCHEMA.items())
    )
    rows = leveled.filter(kept_expr)
    data_columns = [c for c in frame.columns if c not in ALWAYS_SHOWN]
    if principal.role == "partner":
        vendor_row = pl.col("owner") == VENDOR
        masked = vendor_row & (pl.col("_level") == "overlap")
        rows = rows.with_columns(
            *(
                pl.when(masked).then(None).otherwise(pl.col(c)).alias(c)
                for c in data_columns
                if c not in SHOWN_AT_OVERLAP
            ),
            # whether the vendor has a partner's own record is the vendor's to share
            pl.when(vendor_row).then(pl.col("overlap")).alias("overlap"),
            # company ids are made of the first record's owner and id: vendor CRM ids
            *(
                [pl.lit(None, pl.String).alias("company_id")]
                if "company_id" in frame.columns
                else []
            ),
        )
    elif principal.role == "sales":
        partner_row = pl.col("owner") != VENDOR
        rows = rows.with_columns(
            pl.when(partner_row & ~pl.col("owner").is_in(_sharing(rules, fields.get(c, c))))
            .then(None)
            .otherwise(pl.col(c))
            .alias(c)
            for c in data_columns
            if fields.get(c, c) is not None
        )
        if "company_id" in frame.columns:
            # a company id made of a partner's record id shows that id
            partner_made = ~pl.col("company_id").str.starts_with(f"{VENDOR}:")
            hides_id = ~pl.col("owner").is_in(_sharing(rules, "id"))
            rows = rows.with_columns(
                pl.when(partner_row & partner_made & hides_id)
                .then(None)
                .otherwise(pl.col("company_id"))
                .alias("company_id")
            )
    return Shared(rows=rows.drop("_level"), counts=counts)


def _sharing(rules: Mapping[str, Mapping[str, Any]], field: str | None) -> list[str]:
    """The partners whose rules share ``field`` with the vendor's sales team."""
    return [pid for pid, rule in rules.items() if field in (rule.get("shared_fields") or [])]


def cell_levels(
    principal: Principal, matrix: pl.DataFrame, rules: Mapping[str, Mapping[str, Any]]
) -> pl.Series:
    """The level of each cell of an overlap matrix: its rows are this visible at most.

    Which cell a record is in tells the other side's population of the company, so
    a cell is as private as the population the principal would learn.
    """
    if principal.role == "partner":
        cells = matrix.with_columns(
            pl.lit(VENDOR).alias("owner"), pl.col("vendor_population").alias("population")
        )
    else:
        # a partner population outside the rules ("unknown") is as private as a prospect
        cells = matrix.with_columns(
            pl.col("partner_id").alias("owner"),
            pl.col("partner_population").replace("unknown", "prospect").alias("population"),
        )
    return cells.select(_level(principal, rules).alias("level"))["level"]


def visible_cells(
    principal: Principal, matrix: pl.DataFrame, rules: Mapping[str, Mapping[str, Any]]
) -> pl.DataFrame:
    """The cells of an overlap matrix whose populations ``principal`` may count."""
    return matrix.filter(cell_levels(principal, matrix, rules) != "hidden")


def visible_cell(
    principal: Principal,
    cell: pl.DataFrame,
    records: pl.DataFrame,
    rules: Mapping[str, Mapping[str, Any]],
) -> Shared | None:
    """The records of one matrix ``cell`` (a one-row matrix) that ``principal`` may see.

    None when the cell is hidden; only counts when it is shared as counts.
    """
    level = cell_levels(principal, cell, rules)[0]
    if level == "hidden":
        return None
    shared = visible(principal, records, rules)
    if level == "counts":
        every = visible(Principal(principal.key_id, "admin"), records, rules).rows
        counts = (
            every.group_by("owner", "partner_id", "population")
            .agg(pl.len().cast(pl.Int64).alias("records"))
            .sort("owner", "partner_id", "population")
            .select(pl.col(c).cast(t) for c, t in COUNTS_SCHEMA.items())
        )
        return Shared(rows=shared.rows.head(0), counts=counts)
    return shared
