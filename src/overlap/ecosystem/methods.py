"""The ranking methods the backtest compares, each a function of what was known on a day.

A method gets a ``Day`` (the ecosystem as known just before the day and the test deals
created on it) and returns a score per deal and partner (higher ranks first; ties are
broken by the backtest, never in favour of the true partner). ``METHODS`` names them;
a new method is one entry there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cached_property

import numpy as np
import polars as pl

from overlap import schema
from overlap.ecosystem.data import STRENGTH, VENDOR, Ecosystem
from overlap.ecosystem.rank import PARTNER_ID, latest_date
from overlap.ecosystem.ranker import Ranker
from overlap.ecosystem.recommend import Recommender

UNSTATED = 0.5
"""The relationship value of a listed company whose record gives no status."""


@dataclass(frozen=True)
class Day:
    """What a method may read to rank the test deals created on one day.

    ``eco``: the ecosystem as known just before the day (``history.as_known_on``).
    ``cases``: one row per test deal, ``account_id``, ``product`` and ``company_id``
    (null when the account is not a vendor account). ``seed``: for random choices.
    """

    eco: Ecosystem
    cases: pl.DataFrame
    seed: int

    @cached_property
    def partner_ids(self) -> list[str]:
        """The partners every score ranks, in directory order (the columns of a score)."""
        return self.eco.partners[PARTNER_ID].to_list()

    @cached_property
    def overlap(self) -> np.ndarray:
        """Per partner: the vendor companies its lists name."""
        accounts = self.eco.accounts
        vendor = accounts.filter(pl.col(schema.LIST_OWNER) == VENDOR).select(schema.COMPANY_ID)
        counts = (
            accounts.filter(pl.col(schema.LIST_OWNER) != VENDOR)
            .join(vendor.unique(), on=schema.COMPANY_ID, how="semi")
            .group_by(schema.LIST_OWNER)
            .agg(pl.col(schema.COMPANY_ID).n_unique())
        )
        found = dict(counts.iter_rows())
        return np.array([found.get(p, 0) for p in self.partner_ids], dtype=np.float64)

    @cached_property
    def relationship(self) -> np.ndarray:
        """Per test deal and partner: the strength of the partner's relationship with the
        deal's company (``STRENGTH`` order, strongest highest; 0 when it does not list it)."""
        value = (
            pl.col(schema.STATUS)
            .replace_strict(STRENGTH, range(len(STRENGTH), 0, -1), default=UNSTATED)
            .cast(pl.Float64)
        )
        known = (
            self.eco.accounts.filter(pl.col(schema.LIST_OWNER) != VENDOR)
            .join(self.cases.select(schema.COMPANY_ID).drop_nulls().unique(), on=schema.COMPANY_ID)
            .group_by(schema.LIST_OWNER, schema.COMPANY_ID)
            .agg(value.max())
        )
        column = {p: j for j, p in enumerate(self.partner_ids)}
        row: dict[str, list[int]] = {}
        for i, company in enumerate(self.cases[schema.COMPANY_ID]):
            row.setdefault(company, []).append(i)
        matrix = np.zeros((self.cases.height, len(self.partner_ids)))
        for owner, company, strength in known.iter_rows():
            if owner in column:
                matrix[row[company], column[owner]] = strength
        return matrix

    def then_by_overlap(self, first: np.ndarray) -> np.ndarray:
        """Scores ranking by ``first`` (deal x partner), ties by overlap."""
        return first * (self.overlap.max(initial=0.0) + 1.0) + self.overlap


Method = Callable[[Day], np.ndarray]
"""A ranking method: scores (test deal x partner, in ``Day.partner_ids`` order)."""


def recommender(day: Day) -> np.ndarray:
    """The hand-set recommender, fitted on the day's ecosystem."""
    fitted = Recommender().fit(day.eco)
    column = {p: j for j, p in enumerate(day.partner_ids)}
    found = [column.get(p) for p in fitted.partner_ids_]
    columns = np.array([j for j in found if j is not None], dtype=np.int64)
    kept = np.array([j is not None for j in found])
    scores = np.zeros((day.cases.height, len(day.partner_ids)))
    for i, (account, product) in enumerate(day.cases.select("account_id", "product").iter_rows()):
        code = fitted.lookup(account) if account is not None else None
        if code is not None:
            products = [product] if product is not None else []
            _, values = fitted.scores(fitted.factors(code, products=products))
            scores[i, columns] = values[kept]
    return scores


def overlap(day: Day) -> np.ndarray:
    """The partners listing the most vendor companies first, the same order for every deal."""
    return np.broadcast_to(day.overlap, (day.cases.height, len(day.partner_ids)))


def overlap_related(day: Day) -> np.ndarray:
    """The partners that list the deal's company first, then by overlap."""
    return day.then_by_overlap((day.relationship > 0).astype(np.float64))


def relationship(day: Day) -> np.ndarray:
    """The partners by the strength of their relationship with the deal's company, then by
    overlap."""
    return day.then_by_overlap(day.relationship)


def random(day: Day) -> np.ndarray:
    """Random scores, the same for the same seed, day and deals."""
    rng = np.random.default_rng(day.seed)
    return rng.random((day.cases.height, len(day.partner_ids)))


class LearnedRanker:
    """The learned ranker (``overlap.ecosystem.ranker``) fitted on a day's ecosystem and
    reused on later days until the deals it knows grow by ``refit_growth``.

    Reuse never reads ahead: a fit is reused only on an ecosystem that holds every deal
    it was fitted on, with the same list owners, and known as late or later.
    """

    def __init__(self, *, refit_growth: float = 0.25, model: str = "lightgbm"):
        self.refit_growth = refit_growth
        self.model = model
        self._fitted: tuple[pl.Series, frozenset[str], date, Ranker] | None = None

    def __call__(self, day: Day) -> np.ndarray:
        fitted = self._ranker(day.eco)
        if fitted.ranking_ is None:
            return recommender(day)
        return fitted.score_cases(day.eco, day.cases)

    def _ranker(self, eco: Ecosystem) -> Ranker:
        deals = eco.deals["deal_id"]
        owners = frozenset(eco.accounts[schema.LIST_OWNER].unique().to_list())
        if self._fitted is not None:
            known, owned, latest, ranker = self._fitted
            if (
                owned == owners
                and latest <= latest_date(eco)
                and len(deals) <= (1 + self.refit_growth) * max(len(known), 1)
                and known.is_in(deals.implode()).all()
            ):
                return ranker
        ranker = Ranker(model=self.model).fit(eco)
        self._fitted = (deals, owners, latest_date(eco), ranker)
        return ranker


METHODS: dict[str, Method] = {
    "ranker": LearnedRanker(),
    "recommender": recommender,
    "overlap": overlap,
    "overlap_related": overlap_related,
    "relationship": relationship,
    "random": random,
}
"""Every method the backtest compares, by the name its output gives."""
