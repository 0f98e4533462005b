"""Features of every (deal, partner) pair, read only from what was known before the deal.

In the numbering of ``overlap.ecosystem.ranking_index``, ``known_tables`` turns the
ecosystem as known on one day (``overlap.ecosystem.history.as_known_on``) into arrays:
the partners' relationships with each company, and from the deals created before the day the
partners' involvement and their win rates by industry, product, segment and region,
each shrunk toward the partner's rate, itself shrunk toward the rate of all partners.
``features`` then gathers one (query, partner, feature) array for any batch of
queries (a company and a product) with numpy alone: no loop over partners or deals.

``history_features`` cuts the history into windows of deal creation dates and reads
every deal's features from the tables of the first day of its window, so a feature
never sees the deal itself, its outcome or anything later; the partners' records are
joined to the numbering once (``partner_records``) and filtered for each window's day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import polars as pl
import scipy.sparse as sp

from overlap import schema
from overlap.ecosystem.data import AS_OF, LISTED_SINCE, VENDOR, Ecosystem
from overlap.ecosystem.factors import LISTED, RELATIONSHIP_VALUE
from overlap.ecosystem.history import deals_known_on, known_records
from overlap.ecosystem.ranking_index import Index, deal_queries

PRIOR_DEALS = 10.0
"""Pseudo-deals every win rate is shrunk by: 2 wins of 2 deals is not a 100% rate."""
RECENT_DAYS = 90
"""A partner's capacity is its deals created in this many days before the query."""
ATTRIBUTES = ("industry", "product", "segment", "region")
"""What a partner's win rate and involvement are broken down by."""

FEATURES: tuple[str, ...] = (
    "relationship",  # RELATIONSHIP_VALUE of the partner's best record of the company, 0: none
    "relationship_age",  # days since the partner first listed the company (or its record began)
    "role_fit",  # the partner's role fits the company's stage group
    "role",  # the partner's role, its position in ROLES (-1: another)
    "expansion",  # the company had won a deal before (else the deal is a new logo)
    "product",  # the query's product, its position in the index's products
    "certified",  # the partner is certified on the query's product
    "partner_share",  # share of all deals the partner was involved in
    "overlap",  # share of the vendor's companies the partner's lists name
    "partner_win_rate",  # shrunk toward the rate of all partnered deals
    "partner_deals",  # log(1 + partnered deals closed) behind the rate
    *(f"{a}_win_rate" for a in ATTRIBUTES),  # shrunk toward partner_win_rate
    *(f"{a}_deals" for a in ATTRIBUTES),  # log(1 + deals closed) behind each
    *(f"{a}_share" for a in ATTRIBUTES),  # share of the attribute's deals the partner was in
    "account_deals",  # log(1 + the partner's earlier deals with this company)
    "account_wins",  # log(1 + its wins with this company)
    "days_since_last_deal",  # since the partner's last deal was created (nan: never)
    "capacity",  # log(1 + its deals created in the RECENT_DAYS before)
    "neighbour_wins",  # its share of the wins with companies of the same industry, region, segment
    "collaborative",  # item-item cosine of partners over company interactions
    "base_win_rate",  # win rate of the company's industry and the product, any partner or none
    "company_deals",  # log(1 + the company's earlier deals)
)
COLUMN = {name: j for j, name in enumerate(FEATURES)}
UNKNOWN = -1.0
"""A feature's value where it is unknown (every known value is at least 0): trees split it off."""
QUERY_FEATURES = ("expansion", "product", "base_win_rate", "company_deals")
"""Features of the query alone, the same for every partner."""


@dataclass(frozen=True)
class Tables:
    """What was known on one day, as arrays (see ``known_tables``)."""

    day: int
    relationship: sp.csr_matrix  # (company, partner) relationship value
    first_seen: sp.csr_matrix  # (company, partner) 1 + day the first record was created
    rates: dict[str, np.ndarray]  # per attribute: (partner, value) shrunk win rate
    closed: dict[str, np.ndarray]  # per attribute: (partner, value) deals closed
    shares: dict[str, np.ndarray]  # per attribute: (partner, value) involvement share
    partner: np.ndarray  # (3, partner): share, shrunk win rate, deals closed
    overlap: np.ndarray  # per partner: share of the vendor's companies it lists
    joint: sp.csr_matrix  # (company, partner) earlier deals
    joint_wins: sp.csr_matrix  # (company, partner) earlier wins
    last_deal: np.ndarray  # per partner: day of its last deal, nan if none
    recent: np.ndarray  # per partner: deals in the RECENT_DAYS before
    neighbour_wins: np.ndarray  # (partner, cell) share of the cell's partnered wins
    similarity: np.ndarray  # (partner, partner) cosine, zero diagonal
    interactions: sp.csr_matrix  # (company, partner) 1 where listed or dealt with
    base: np.ndarray  # (industry + 1, product + 1) shrunk win rate, last row/column: unknown
    company_deals: np.ndarray  # per company: earlier deals
    company_wins: np.ndarray  # per company: earlier wins
    solo_closed: np.ndarray  # per industry (last: unknown): deals closed without a partner


def known_tables(
    eco: Ecosystem, day: date, index: Index, *, records: pl.DataFrame | None = None
) -> Tables:
    """The tables of what ``as_known_on(eco, day)`` holds; ``records`` are
    ``partner_records(eco, index)``, when they are at hand."""
    n_c, n_p = index.n_companies, len(index.partner_ids)
    today = (day - date(1970, 1, 1)).days
    if records is None:
        records = partner_records(eco, index)
    relationship, first_seen = _relationships(records.filter(known_records(day)), index, today)
    deals = deal_queries(deals_known_on(eco.deals, day), index).filter(pl.col("day") < today)
    involved = deals.filter(pl.col("partner") >= 0)
    outcomes = deals.filter(pl.col("won").is_not_null(), pl.col("closed") < today)
    partnered = outcomes.filter(pl.col("partner") >= 0)
    wins = partnered["won"].cast(pl.Float64).to_numpy()
    overall = float(wins.mean()) if len(wins) else np.nan
    p_closed = np.bincount(partnered["partner"].to_numpy(), minlength=n_p).astype(float)
    p_wins = np.bincount(partnered["partner"].to_numpy(), weights=wins, minlength=n_p)
    p_rate = _shrunk(p_wins, p_closed, overall)
    p_share = np.bincount(involved["partner"].to_numpy(), minlength=n_p) / max(deals.height, 1)
    rates, closed, shares = {}, {}, {}
    for attribute in ATTRIBUTES:
        size = index.attribute_sizes[attribute]
        n = _table(partnered, attribute, index, size)
        w = _table(partnered, attribute, index, size, weights=wins)
        rates[attribute] = _shrunk(w, n, p_rate[:, None])
        closed[attribute] = n
        all_in = _table(deals.with_columns(partner=0), attribute, index, size)[0]
        shares[attribute] = _table(involved, attribute, index, size) / np.maximum(all_in, 1.0)
    n_cells = int(
        np.prod([index.attribute_sizes[a] + 1 for a in ("industry", "region", "segment")])
    )
    cell_wins = np.zeros((n_p, n_cells))
    np.add.at(
        cell_wins,
        (partnered["partner"].to_numpy(), _cell(partnered["code"].to_numpy(), index)),
        wins,
    )
    joint = _sparse(
        involved["code"].to_numpy(),
        involved["partner"].to_numpy(),
        np.ones(involved.height),
        n_c,
        n_p,
    )
    joint_wins = _sparse(
        partnered["code"].to_numpy(), partnered["partner"].to_numpy(), wins, n_c, n_p
    )
    interactions = ((relationship + joint) > 0).astype(np.float64).tocsr()
    norms = np.sqrt(np.asarray(interactions.power(2).sum(axis=0))).ravel()
    gram = (interactions.T @ interactions).toarray()
    similarity = gram / np.maximum(np.outer(norms, norms), 1e-12)
    np.fill_diagonal(similarity, 0.0)
    last = np.full(n_p, np.nan)
    if involved.height:
        by_partner = involved.group_by("partner").agg(pl.col("day").max())
        last[by_partner["partner"].to_numpy()] = by_partner["day"].to_numpy()
    recent = involved.filter(pl.col("day") >= today - RECENT_DAYS)["partner"].to_numpy()
    all_wins = outcomes["won"].cast(pl.Float64).to_numpy()
    return Tables(
        day=today,
        relationship=relationship,
        first_seen=first_seen,
        rates=rates,
        closed=closed,
        shares=shares,
        partner=np.vstack([p_share, p_rate, p_closed]),
        overlap=_overlap(relationship, index),
        joint=joint,
        joint_wins=joint_wins,
        last_deal=last,
        recent=np.bincount(recent, minlength=n_p).astype(float),
        neighbour_wins=cell_wins / np.maximum(cell_wins.sum(axis=0), 1.0),
        similarity=similarity,
        interactions=interactions,
        base=_base_rates(outcomes, all_wins, index),
        company_deals=np.bincount(deals["code"].to_numpy(), minlength=n_c).astype(float),
        company_wins=np.bincount(outcomes["code"].to_numpy(), weights=all_wins, minlength=n_c),
        solo_closed=_solo_closed(outcomes.filter(pl.col("partner") < 0), index),
    )


def _overlap(relationship: sp.csr_matrix, index: Index) -> np.ndarray:
    # from the matrix's own arrays: slicing a million rows for each window costs seconds
    rows = np.repeat(np.arange(relationship.shape[0]), np.diff(relationship.indptr))
    listed = index.vendor[rows]
    counts = np.bincount(relationship.indices[listed], minlength=relationship.shape[1])
    return counts / max(int(index.vendor.sum()), 1)


def _solo_closed(solo: pl.DataFrame, index: Index) -> np.ndarray:
    size = index.attribute_sizes["industry"] + 1
    industry = index.attribute_codes["industry"][solo["code"].to_numpy()]
    return np.bincount(np.where(industry < 0, size - 1, industry), minlength=size).astype(float)


def partner_records(eco: Ecosystem, index: Index) -> pl.DataFrame:
    """Every record of a partner's list with its ``code`` (null without a company),
    ``partner``, relationship ``value`` and ``first`` day listed or created, and what
    ``history.known_records`` reads: joined once, then filtered for each day."""
    value = pl.col(schema.STATUS).replace_strict(
        RELATIONSHIP_VALUE, default=RELATIONSHIP_VALUE[LISTED], return_dtype=pl.Float64
    )
    partners = pl.DataFrame(
        {schema.LIST_OWNER: index.partner_ids, "partner": range(len(index.partner_ids))},
        schema={schema.LIST_OWNER: pl.String, "partner": pl.Int64},
    )
    # every record of a partner's list stays, with or without a company: a snapshot's
    # latest export date is read over all of them
    return (
        eco.accounts.filter(pl.col(schema.LIST_OWNER) != VENDOR)
        .join(partners, on=schema.LIST_OWNER)
        .join(index.company_codes, on=schema.COMPANY_ID, how="left")
        .select(
            schema.LIST_OWNER,
            AS_OF,
            "code",
            "partner",
            value.fill_null(RELATIONSHIP_VALUE[LISTED]).alias("value"),
            pl.coalesce(LISTED_SINCE, schema.CREATED_DATE).cast(pl.Int64).alias("first"),
        )
    )


def _relationships(
    records: pl.DataFrame, index: Index, today: int
) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """(company, partner) relationship value and 1 + age in days of the known ``records``."""
    edges = (
        records.filter(pl.col("code").is_not_null())
        .group_by("code", "partner")
        .agg(pl.col("value").max(), pl.col("first").min())
    )
    codes, partner = edges["code"].to_numpy(), edges["partner"].to_numpy()
    first = edges["first"].fill_null(today).clip(upper_bound=today).to_numpy()
    shape = (index.n_companies, len(index.partner_ids))
    # stored as 1 + days before today so that a record first seen today is not a zero
    age = (today - first + 1).astype(float)
    age[edges["first"].is_null().to_numpy()] = np.nan
    return (
        _sparse(codes, partner, edges["value"].to_numpy(), *shape),
        _sparse(codes, partner, age, *shape),
    )


def _sparse(
    rows: np.ndarray, cols: np.ndarray, values: np.ndarray, n: int, m: int
) -> sp.csr_matrix:
    return sp.csr_matrix((values.astype(float), (rows, cols)), shape=(n, m))


def _table(
    deals: pl.DataFrame,
    attribute: str,
    index: Index,
    size: int,
    *,
    weights: np.ndarray | None = None,
) -> np.ndarray:
    """(partner, attribute value) sums of ``weights`` (default: counts) over ``deals``."""
    if attribute == "product":
        values = deals["product"].to_numpy()
    else:
        values = index.attribute_codes[attribute][deals["code"].to_numpy()]
    partner = deals["partner"].to_numpy()
    keep = values >= 0
    # one column at least, so that gathering column 0 of an attribute nobody has works
    table = np.zeros((len(index.partner_ids), max(size, 1)))
    w = np.ones(len(values)) if weights is None else weights
    np.add.at(table, (partner[keep], values[keep]), w[keep])
    return table


def _shrunk(wins: np.ndarray, deals: np.ndarray, prior: np.ndarray | float) -> np.ndarray:
    return (wins + PRIOR_DEALS * prior) / (deals + PRIOR_DEALS)


def _cell(codes: np.ndarray, index: Index) -> np.ndarray:
    """The (industry, region, segment) cell of each company, unknown being a value of its own."""
    cell = np.zeros(len(codes), dtype=np.int64)
    for attribute in ("industry", "region", "segment"):
        size = index.attribute_sizes[attribute] + 1
        value = index.attribute_codes[attribute][codes]
        cell = cell * size + np.where(value < 0, size - 1, value)
    return cell


def _base_rates(outcomes: pl.DataFrame, wins: np.ndarray, index: Index) -> np.ndarray:
    n_i, n_r = index.attribute_sizes["industry"] + 1, index.attribute_sizes["product"] + 1
    industry = index.attribute_codes["industry"][outcomes["code"].to_numpy()]
    product = outcomes["product"].to_numpy()
    cell = np.where(industry < 0, n_i - 1, industry) * n_r + np.where(product < 0, n_r - 1, product)
    n = np.bincount(cell, minlength=n_i * n_r).astype(float)
    w = np.bincount(cell, weights=wins, minlength=n_i * n_r)
    overall = float(wins.mean()) if len(wins) else np.nan
    return _shrunk(w, n, overall).reshape(n_i, n_r)


def features(tables: Tables, index: Index, codes: np.ndarray, products: np.ndarray) -> np.ndarray:
    """The (query, partner, ``FEATURES``) array of companies ``codes`` and ``products`` (-1: none).

    ``UNKNOWN`` where a value is unknown.
    """
    n_q, n_p = len(codes), len(index.partner_ids)
    out = np.full((n_q, n_p, len(FEATURES)), np.nan, dtype=np.float32)

    def put(name: str, values: np.ndarray) -> None:
        out[:, :, COLUMN[name]] = values

    put("relationship", dense_rows(tables.relationship, codes))
    age = dense_rows(tables.first_seen, codes)
    put("relationship_age", np.where(age > 0, age - 1, np.nan))
    has_product = products >= 0
    put("role_fit", index.role_fit[:, index.stage[codes]].T)
    put("role", index.role)
    put("expansion", (tables.company_wins[codes] > 0)[:, None])
    put("product", np.where(has_product, products, np.nan)[:, None])
    certified = index.certified[:, np.maximum(products, 0)].T
    put("certified", np.where(has_product[:, None], certified, np.nan))
    put("partner_share", tables.partner[0])
    put("overlap", tables.overlap)
    put("partner_win_rate", tables.partner[1])
    put("partner_deals", np.log1p(tables.partner[2]))
    for attribute in ATTRIBUTES:
        value = products if attribute == "product" else index.attribute_codes[attribute][codes]
        known, at = (value >= 0)[:, None], np.maximum(value, 0)
        by_value = {
            "win_rate": tables.rates[attribute],
            "deals": np.log1p(tables.closed[attribute]),
            "share": tables.shares[attribute],
        }
        for name, table in by_value.items():
            put(f"{attribute}_{name}", np.where(known, table[:, at].T, np.nan))
    put("account_deals", np.log1p(dense_rows(tables.joint, codes)))
    put("account_wins", np.log1p(dense_rows(tables.joint_wins, codes)))
    put("days_since_last_deal", tables.day - tables.last_deal)
    put("capacity", np.log1p(tables.recent))
    put("neighbour_wins", tables.neighbour_wins[:, _cell(codes, index)].T)
    rows = dense_rows(tables.interactions, codes)
    held = rows.sum(axis=1)
    put("collaborative", (rows @ tables.similarity) / np.maximum(held, 1.0)[:, None])
    industry = index.attribute_codes["industry"][codes]
    base = tables.base[industry, np.where(has_product, products, -1)]
    put("base_win_rate", base[:, None])
    put("company_deals", np.log1p(tables.company_deals[codes])[:, None])
    return np.nan_to_num(out, nan=UNKNOWN)


def dense_rows(matrix: sp.csr_matrix, codes: np.ndarray) -> np.ndarray:
    """Rows ``codes`` of a CSR matrix (duplicates summed) as a dense array, from its own
    arrays: scipy's row slicing costs a tenth of a millisecond, too much for one query."""
    start = matrix.indptr[codes]
    lengths = matrix.indptr[codes + 1] - start
    out = np.zeros((len(codes), matrix.shape[1]))
    total = int(lengths.sum())
    if total:
        # position of each stored value: its row's start plus its place within the row
        first = np.cumsum(lengths) - lengths
        at = np.repeat(start - first, lengths) + np.arange(total)
        out[np.repeat(np.arange(len(codes)), lengths), matrix.indices[at]] = matrix.data[at]
    return out


def window_starts(days: np.ndarray, *, windows: int) -> np.ndarray:
    """Up to ``windows`` start days (quantiles of ``days``, first included), ascending."""
    return np.unique(np.quantile(days, np.linspace(0, 1, windows + 1)[:-1]).astype(np.int64))


def history_features(
    eco: Ecosystem,
    queries: pl.DataFrame,
    index: Index,
    *,
    windows: int = 12,
    records: pl.DataFrame | None = None,
) -> np.ndarray:
    """``features`` of each query (``deal_queries`` rows) as known on its window's first
    day; ``records`` as in ``known_tables`` (joined here once for every window if not)."""
    days = queries["day"].to_numpy()
    out = np.empty((len(days), len(index.partner_ids), len(FEATURES)), dtype=np.float32)
    if not len(days):
        return out
    starts = window_starts(days, windows=windows)
    window = np.searchsorted(starts, days, side="right") - 1
    codes, products = queries["code"].to_numpy(), queries["product"].to_numpy()
    if records is None:
        records = partner_records(eco, index)
    for w, start in enumerate(starts):
        rows = np.flatnonzero(window == w)
        day = date(1970, 1, 1) + timedelta(days=int(start))
        tables = known_tables(eco, day, index, records=records)
        out[rows] = features(tables, index, codes[rows], products[rows])
    return out
