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

The rules of a principal are worked out once per set of rules (``Rules.policy``; the
service keeps one ``Rules`` per store generation), and a row's fate is decided in
Python once per distinct ``META`` key: row by row on a small frame, whose few rows
polars' per-call overhead would dwarf, else on the frame's distinct keys, joined back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from overlap import schema
from overlap.api.security import Principal
from overlap.ecosystem.data import VENDOR
from overlap.ecosystem.report import UNKNOWN
from overlap.schema import Role, SharingLevel

META = (schema.LIST_OWNER, schema.PARTNER_ID, "population", "overlap")
ALWAYS_SHOWN = frozenset({*META, schema.COMPANY_ID})
SHOWN_AT_OVERLAP = frozenset({*ALWAYS_SHOWN, "name", "status"})
COUNTS_SCHEMA = {
    schema.LIST_OWNER: pl.String(),
    schema.PARTNER_ID: pl.String(),
    "population": pl.String(),
    "records": pl.Int64(),
}
NO_COUNTS = pl.DataFrame(schema=COUNTS_SCHEMA)
SMALL_FRAME = 64
"""Frames up to this many rows are decided row by row in Python, larger ones per key."""

_CELL = (schema.LIST_OWNER, schema.PARTNER_ID, "population")
_DECISIONS = {"_kept": pl.Boolean(), "_counted": pl.Boolean(), "_masked": pl.Boolean()}


@dataclass(frozen=True)
class Shared:
    """The rows a principal may see, and counts of the rows it may only count."""

    rows: pl.DataFrame
    counts: pl.DataFrame


class Policy:
    """One principal's levels under one set of rules, worked out when it is built."""

    def __init__(self, principal: Principal, rules: Mapping[str, Mapping[str, Any]]) -> None:
        self.role = principal.role
        self.everything = principal.role in (Role.ADMIN, Role.ECOSYSTEM)
        self.own = principal.partner_id or ""
        own_rules = rules.get(self.own) or {}
        # partner key: the level of the vendor's records about it, per population
        self.vendor_levels: dict[Any, str] = dict(own_rules.get("vendor_to_partner") or {})
        # sales key: the level of each partner's records, per partner and population
        self.partner_levels: dict[Any, dict[Any, str]] = {
            pid: dict(rule.get("partner_to_vendor") or {}) for pid, rule in rules.items()
        }
        self.shared_fields: dict[str, frozenset[Any]] = {
            pid: frozenset(rule.get("shared_fields") or ()) for pid, rule in rules.items()
        }

    def level(self, owner: Any, partner_id: Any, population: Any) -> str:
        """The level (a ``SharingLevel``) of a row with this owner, partner and population."""
        if self.everything:
            return SharingLevel.ALL
        if self.role == Role.PARTNER:
            if owner == self.own:
                return SharingLevel.ALL
            if owner == VENDOR and partner_id == self.own:
                return self.vendor_levels.get(population, SharingLevel.HIDDEN)
            return SharingLevel.HIDDEN
        if self.role == Role.SALES:
            if owner == VENDOR:
                return SharingLevel.ALL
            return self.partner_levels.get(owner, {}).get(population, SharingLevel.HIDDEN)
        return SharingLevel.HIDDEN

    def decide(
        self, owner: Any, partner_id: Any, population: Any, overlap: Any
    ) -> tuple[bool, bool, bool]:
        """Whether a row is kept, only counted, or kept with a vendor record's data hidden."""
        level = self.level(owner, partner_id, population)
        at_overlap = level == SharingLevel.OVERLAP
        kept = level == SharingLevel.ALL or (at_overlap and bool(overlap))
        counted = not kept and level in (SharingLevel.COUNTS, SharingLevel.OVERLAP)
        masked = kept and at_overlap and owner == VENDOR and self.role == Role.PARTNER
        return kept, counted, masked

    def shares(self, partner_id: Any, field: str | None) -> bool:
        """Whether a partner shares ``field`` of its records with the vendor's sales team."""
        return field in self.shared_fields.get(partner_id, ())


class Rules(Mapping[str, Mapping[str, Any]]):
    """Partners' sharing rules by partner id, and each principal's ``Policy``, built once."""

    def __init__(self, rules: Mapping[str, Mapping[str, Any]]) -> None:
        self._rules = dict(rules)
        self._policies: dict[tuple[str, str | None], Policy] = {}

    def __getitem__(self, partner_id: str) -> Mapping[str, Any]:
        return self._rules[partner_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._rules)

    def __len__(self) -> int:
        return len(self._rules)

    def policy(self, principal: Principal) -> Policy:
        key = (principal.role, principal.partner_id)
        found = self._policies.get(key)
        if found is None:
            found = self._policies.setdefault(key, Policy(principal, self._rules))
        return found


def policy_for(principal: Principal, rules: Mapping[str, Mapping[str, Any]]) -> Policy:
    """``principal``'s policy: cached on a ``Rules``, worked out afresh for a plain mapping."""
    return rules.policy(principal) if isinstance(rules, Rules) else Policy(principal, rules)


def _per_row(
    frame: pl.DataFrame,
    keys: Sequence[str],
    decide: Callable[..., tuple[Any, ...]],
    schema: Mapping[str, pl.DataType],
) -> pl.DataFrame:
    """``decide(*key)`` for the ``keys`` of each row of ``frame``, as columns of ``schema``."""
    if frame.height <= SMALL_FRAME:
        columns = (frame.get_column(k).to_list() for k in keys)
        values = [decide(*key) for key in zip(*columns, strict=True)]
        return pl.DataFrame(values, schema=schema, orient="row")
    distinct = frame.select(keys).unique()
    decided = pl.DataFrame(
        [decide(*key) for key in distinct.iter_rows()], schema=schema, orient="row"
    )
    return (
        frame.select(keys)
        .join(
            distinct.hstack(decided),
            on=list(keys),
            how="left",
            nulls_equal=True,
            maintain_order="left",
        )
        .select(list(schema))
    )


def _count(rows: pl.DataFrame) -> pl.DataFrame:
    """Records per owner, partner and population, as ``COUNTS_SCHEMA``."""
    return (
        rows.group_by(schema.LIST_OWNER, schema.PARTNER_ID, "population")
        .agg(pl.len().cast(pl.Int64).alias("records"))
        .sort(schema.LIST_OWNER, schema.PARTNER_ID, "population")
        .select(pl.col(c).cast(t) for c, t in COUNTS_SCHEMA.items())
    )


def _owners(rows: pl.DataFrame) -> list[Any]:
    """The distinct owners of ``rows``."""
    owners = rows.get_column(schema.LIST_OWNER)
    distinct = set(owners.to_list()) if owners.len() <= SMALL_FRAME else owners.unique()
    return [o for o in distinct if o is not None]


def visible(
    principal: Principal,
    frame: pl.DataFrame,
    rules: Mapping[str, Mapping[str, Any]],
    *,
    fields: Mapping[str, str | None] | None = None,
) -> Shared:
    """The rows and fields of ``frame`` that ``principal`` may see under ``rules``.

    ``rules`` maps a partner id to its sharing rules (a ``Rules`` keeps the worked-out
    policies); ``fields`` maps a column that shows a partner's data onto the account
    field it reveals (default: the column's own name), which a sales key sees only when
    the partner shares that field; a column mapped onto None is the vendor's own data
    (its opportunity, a score).
    """
    policy = policy_for(principal, rules)
    if policy.everything:
        return Shared(rows=frame, counts=NO_COUNTS)
    decided = _per_row(frame, META, policy.decide, _DECISIONS)
    kept, counted, masked = decided.get_columns()
    all_kept = kept.all()
    counts = _count(frame.select(_CELL).filter(counted)) if counted.any() else NO_COUNTS
    rows = frame if all_kept else frame.filter(kept)
    hidden: dict[str, pl.Expr] = {}  # column -> the rows where it is hidden
    data_columns = [c for c in frame.columns if c not in ALWAYS_SHOWN]
    if policy.role == Role.PARTNER:
        if masked.any():
            # a vendor record shared at "overlap" shows only its name and status
            at_overlap = pl.lit(masked if all_kept else masked.filter(kept))
            for column in data_columns:
                if column not in SHOWN_AT_OVERLAP:
                    hidden[column] = at_overlap
        # whether the vendor has a partner's own record is the vendor's to share
        hidden["overlap"] = pl.col(schema.LIST_OWNER).ne_missing(VENDOR)
        # company ids are made of the first record's owner and id: vendor CRM ids
        if schema.COMPANY_ID in frame.columns:
            hidden[schema.COMPANY_ID] = pl.lit(True)
    elif policy.role == Role.SALES:
        fields = fields or {}
        partners = [o for o in _owners(rows) if o != VENDOR]
        for column in data_columns:
            field = fields.get(column, column)
            if field is None:
                continue
            withheld = sorted(p for p in partners if not policy.shares(p, field))
            if withheld:
                hidden[column] = pl.col(schema.LIST_OWNER).is_in(withheld)
        withheld_ids = sorted(p for p in partners if not policy.shares(p, "id"))
        if schema.COMPANY_ID in frame.columns and withheld_ids:
            # a company id made of a partner's record id shows that id
            hidden[schema.COMPANY_ID] = pl.col(schema.LIST_OWNER).is_in(withheld_ids) & ~pl.col(
                schema.COMPANY_ID
            ).str.starts_with(f"{VENDOR}:")
    if hidden:
        rows = rows.with_columns(
            pl.when(where).then(None).otherwise(pl.col(c)).alias(c) for c, where in hidden.items()
        )
    return Shared(rows=rows, counts=counts)


def cell_levels(
    principal: Principal, matrix: pl.DataFrame, rules: Mapping[str, Mapping[str, Any]]
) -> pl.Series:
    """The level of each cell of an overlap matrix: its rows are this visible at most.

    Which cell a record is in tells the other side's population of the company, so
    a cell is as private as the population the principal would learn.
    """
    policy = policy_for(principal, rules)
    if principal.role == Role.PARTNER:
        cells = matrix.select(
            pl.lit(VENDOR).alias(schema.LIST_OWNER),
            schema.PARTNER_ID,
            pl.col("vendor_population").alias("population"),
        )
    else:
        # a partner population outside the rules ("unknown") is as private as a prospect
        cells = matrix.select(
            pl.col(schema.PARTNER_ID).alias(schema.LIST_OWNER),
            schema.PARTNER_ID,
            pl.col("partner_population").replace(UNKNOWN, "prospect").alias("population"),
        )
    levels = _per_row(cells, _CELL, lambda *key: (policy.level(*key),), {"level": pl.String()})
    return levels.get_column("level")


def visible_cells(
    principal: Principal, matrix: pl.DataFrame, rules: Mapping[str, Mapping[str, Any]]
) -> pl.DataFrame:
    """The cells of an overlap matrix whose populations ``principal`` may count."""
    return matrix.filter(cell_levels(principal, matrix, rules) != SharingLevel.HIDDEN)


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
    if level == SharingLevel.HIDDEN:
        return None
    shared = visible(principal, records, rules)
    if level == SharingLevel.COUNTS:
        return Shared(rows=shared.rows.head(0), counts=_count(records))
    return shared


def vendor_figure(column: str) -> bool:
    """Whether a scorecard column tells the vendor's pipeline, deal sizes or win rates."""
    return column.endswith("_pipeline") or column.startswith(("win_rate_", "avg_"))


def visible_scorecard(
    principal: Principal, row: Mapping[str, Any], rules: Mapping[str, Mapping[str, Any]]
) -> dict[str, Any]:
    """A partner's scorecard as ``principal`` may see it.

    A partner key sees the vendor's figures (``vendor_figure``; null otherwise) only when its
    ``vendor_to_partner`` rules share the vendor's opportunities at ``all``.
    """
    policy = policy_for(principal, rules)
    if principal.role != Role.PARTNER or (
        policy.level(VENDOR, policy.own, schema.STATUS_OPPORTUNITY) == SharingLevel.ALL
    ):
        return dict(row)
    return {k: None if vendor_figure(k) else v for k, v in row.items()}
