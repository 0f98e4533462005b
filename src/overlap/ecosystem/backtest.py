"""How often each ranking method names the partner that really worked a won deal.

The deals are split in time at a quantile of their creation dates (``cutoff_fraction``):
every won deal with a partner created on or after it is a test case. Each method of
``methods.METHODS`` ranks all partners for the deal's account and product reading only
``history.as_known_on(eco, day)`` for the deal's creation day (the same rule for every
method): outcomes, touches and list snapshots of that day or later are out of sight.
With more than ``MAX_DAYS`` creation days in the test period, what is known is
refreshed on ``MAX_DAYS`` of them, and each deal reads the latest refresh on or before
its own day: never more than its day knew.

Figures per method (``METRICS``), one true partner per deal, its rank counted after
every partner scored as high (ties never favour the truth): ``precision_at_1`` (ranked
first), ``hit_rate_at_3`` (among the first three), ``ndcg_at_5`` (1 / log2(1 + rank)
within the first five, else 0) and ``mrr`` (1 / rank).

Lists without an export date are read as exported at the end, which can leak what
partners gained through the test deals; then the figures are also given with partner
lists ignored (``*_without_lists``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

import numpy as np
import polars as pl

from overlap import schema
from overlap.ecosystem.data import VENDOR, Ecosystem
from overlap.ecosystem.history import as_known_on, undated_lists
from overlap.ecosystem.methods import METHODS, Day, Method
from overlap.ecosystem.points import WON
from overlap.ecosystem.rank import PARTNER_ID
from overlap.errors import ConfigError
from overlap.matching.pipeline import Progress

METRICS = ("precision_at_1", "hit_rate_at_3", "ndcg_at_5", "mrr")
MAX_DAYS = 60
WITHOUT_LISTS = "_without_lists"
AS_EXPORTED = "as_exported"
UNDATED_NOTE = (
    "lists have no export date: read as exported at the end, which can leak outcomes; "
    f"the *{WITHOUT_LISTS} figures ignore partner lists"
)
_UNKNOWN_ACCOUNT_FIELDS = (schema.STATUS, schema.STAGE, schema.AMOUNT, schema.CLOSE_DATE)


@dataclass(frozen=True)
class Split:
    """The test cases of a backtest: ``cutoff`` (null without dated deals), ``tests``
    (the test deals, oldest first) and ``unknown_partner`` (won deals after the cutoff
    whose partner is not in the directory, left out)."""

    cutoff: date | None
    tests: pl.DataFrame
    unknown_partner: int


def split(eco: Ecosystem, *, cutoff_fraction: float = 0.5) -> Split:
    """The test cases of ``eco`` at the ``cutoff_fraction`` quantile of creation dates."""
    if not 0.0 < cutoff_fraction < 1.0:
        raise ConfigError(f"cutoff_fraction must be in (0, 1), got {cutoff_fraction}")
    created = eco.deals["created_date"].drop_nulls().sort()
    if created.is_empty():
        return Split(None, eco.deals.clear(), 0)
    cutoff = created[int(cutoff_fraction * (len(created) - 1))]
    won = eco.deals.filter(
        pl.col("created_date") >= cutoff, pl.col("outcome") == WON, pl.col(PARTNER_ID).is_not_null()
    )
    known = pl.col(PARTNER_ID).is_in(eco.partners[PARTNER_ID].implode())
    tests = won.filter(known).sort("created_date", "deal_id", maintain_order=True)
    return Split(cutoff, tests, won.height - tests.height)


def backtest(
    eco: Ecosystem,
    *,
    cutoff_fraction: float = 0.5,
    seed: int = 0,
    methods: Mapping[str, Method] = METHODS,
    progress: Progress | None = None,
) -> pl.DataFrame:
    """Per method: ``method``, ``deals``, the ``METRICS`` (null without test deals) and
    ``lists`` (``as_of`` when every partner list is dated, else ``as_exported`` and the
    metrics again with partner lists ignored, suffixed ``_without_lists``)."""
    tests = split(eco, cutoff_fraction=cutoff_fraction).tests
    undated = bool(undated_lists(eco))
    passes = [(eco, "")]
    if undated:
        vendor_only = eco.accounts.filter(pl.col(schema.LIST_OWNER) == VENDOR)
        passes.append((replace(eco, accounts=vendor_only), WITHOUT_LISTS))
    rows: dict[str, dict[str, object]] = {
        m: {"method": m, "deals": tests.height, "lists": AS_EXPORTED if undated else "as_of"}
        for m in methods
    }
    for n, (lists, suffix) in enumerate(passes):

        def step(stage: str, done: int, total: int, n: int = n) -> None:
            if progress is not None:
                progress(stage, done + n * total, total * len(passes))

        ranks = truth_ranks(lists, tests, methods=methods, seed=seed, progress=step)
        for method, found in ranks.items():
            rows[method] |= {f"{k}{suffix}": v for k, v in metrics(found).items()}
    return pl.DataFrame(list(rows.values()))


def truth_ranks(
    eco: Ecosystem,
    tests: pl.DataFrame,
    *,
    methods: Mapping[str, Method] = METHODS,
    seed: int = 0,
    progress: Progress | None = None,
) -> dict[str, np.ndarray]:
    """Per method: the rank (1 = first) of each test deal's true partner, in ``tests`` order."""
    partners = eco.partners[PARTNER_ID].to_list()
    column = {p: j for j, p in enumerate(partners)}
    vendor = (
        eco.accounts.filter(pl.col(schema.LIST_OWNER) == VENDOR)
        .select(pl.col(schema.ID).alias("account_id"), schema.COMPANY_ID)
        .unique("account_id", keep="first", maintain_order=True)
    )
    cases = tests.with_row_index("_case").join(vendor, on="account_id", how="left")
    days = refresh_days(cases["created_date"])
    refresh = pl.Series(days, dtype=pl.Date).to_physical().to_numpy()
    created = cases["created_date"].to_physical().to_numpy()
    # each deal reads the latest refresh on or before its own day
    cases = cases.with_columns(
        pl.Series("_day", np.searchsorted(refresh, created, side="right") - 1)
    )
    ranks = {m: np.zeros(tests.height, dtype=np.int64) for m in methods}
    for n, day in enumerate(days):
        group = cases.filter(pl.col("_day") == n)
        if group.is_empty():
            continue
        known = _with_query_accounts(as_known_on(eco, day), eco, group["account_id"])
        queries = group.select("account_id", "product", schema.COMPANY_ID)
        context = Day(known, queries, seed * 1_000_003 + day.toordinal())
        truth = np.array([column[p] for p in group[PARTNER_ID]], dtype=np.int64)
        for method, rank in methods.items():
            ranks[method][group["_case"].to_numpy()] = rank_of_truth(rank(context), truth)
        if progress is not None:
            progress("backtest", n + 1, len(days))
    return ranks


def refresh_days(created: pl.Series) -> list[date]:
    """The days on which what is known is refreshed: every creation day of ``created``,
    or ``MAX_DAYS`` of them spread evenly (the first always among them)."""
    days = created.unique().sort().to_list()
    if len(days) <= MAX_DAYS:
        return days
    picks = np.unique(np.linspace(0, len(days) - 1, MAX_DAYS).round().astype(np.int64))
    return [days[i] for i in picks]


def rank_of_truth(scores: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """The rank of column ``truth[i]`` in row ``i`` of ``scores``, ties counted against it
    (nan scores lowest)."""
    scores = np.nan_to_num(np.asarray(scores, dtype=np.float64), nan=-np.inf)
    true = scores[np.arange(len(truth)), truth][:, None]
    return 1 + (scores > true).sum(axis=1) + (scores == true).sum(axis=1) - 1


def metrics(ranks: np.ndarray) -> dict[str, float | None]:
    """The ``METRICS`` of the ranks of the true partners; None without any."""
    if not len(ranks):
        return dict.fromkeys(METRICS)
    ranks = ranks.astype(np.float64)
    gain = np.where(ranks <= 5, 1.0 / np.log2(ranks + 1.0), 0.0)
    figures = (ranks == 1, ranks <= 3, gain, 1.0 / ranks)
    return {m: round(float(np.mean(f)), 4) for m, f in zip(METRICS, figures, strict=True)}


def _with_query_accounts(known: Ecosystem, eco: Ecosystem, accounts: pl.Series) -> Ecosystem:
    """``known`` with the vendor records of ``accounts`` that it lacks.

    A deal being created on an account says the account exists; what its record says
    today (status, stage, products) does not belong to the day, so it is left out.
    """
    vendor = eco.accounts.filter(pl.col(schema.LIST_OWNER) == VENDOR)
    missing = vendor.filter(pl.col(schema.ID).is_in(accounts.implode())).join(
        known.accounts.filter(pl.col(schema.LIST_OWNER) == VENDOR),
        on=schema.ID,
        how="anti",
    )
    if missing.is_empty():
        return known
    blank = missing.with_columns(
        *(pl.lit(None, missing.schema[c]).alias(c) for c in _UNKNOWN_ACCOUNT_FIELDS),
        pl.lit(None, pl.String).alias(schema.PRODUCTS),
    )
    return replace(known, accounts=pl.concat([known.accounts, blank]))
