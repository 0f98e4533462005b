"""The learned ranker: partners ordered by a model of who worked past deals, with win odds.

``Ranker`` is a ``Recommender`` (same look-ups, names, reasons and factor columns) whose
order comes from a learning-to-rank model instead of hand-set weights. Fitting reads
the deal history as queries: each past deal with a partner is a query, every partner a
candidate, the one that worked it the relevant one. Features come from
``overlap.ecosystem.ranking_features``, each as known before the deal was created. The
model (``overlap.ecosystem.ranking_model``) is a logistic prior of what the baselines
read, corrected by LightGBM's ``lambdarank`` trees (``model="lightgbm"``) or
scikit-learn's histogram gradient boosting (``model="sklearn"``) as far as the later
deals show the trees help. A partner's ``score`` is its softmax share over the
partners: the model's chance that it is the one to bring.

A second model (LightGBM, binary) gives the win probability of the deal with each
partner and with none, trained on the closed deals and calibrated on cross-fitted scores
(each of ``folds`` blocks of deals in time scored by a model fitted on the others;
``overlap.ecosystem.calibration``); each is shrunk toward the
history's rate by the similar deals behind it (the partner's, or those without a
partner, in the account's industry), and the uplift is their difference with an
interval. With no partnered deal to learn from, the hand-set order stays and the
probabilities are ``calibration.PRIORS``, said as "no deal history".
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import numpy as np
import polars as pl
from threadpoolctl import threadpool_limits

from overlap import schema
from overlap.ecosystem.calibration import PRIORS, Calibrator, Priors, shrink, uplift
from overlap.ecosystem.data import Ecosystem
from overlap.ecosystem.factors import Weights, counted
from overlap.ecosystem.points import PointsTable
from overlap.ecosystem.rank import PARTNER_ID, latest_date
from overlap.ecosystem.ranking_features import (
    COLUMN,
    FEATURES,
    QUERY_FEATURES,
    UNKNOWN,
    Tables,
    features,
    history_features,
    known_tables,
    partner_records,
)
from overlap.ecosystem.ranking_index import Index, build_index, case_queries, deal_queries
from overlap.ecosystem.ranking_model import MODELS, RankingModel
from overlap.ecosystem.recommend import Recommender
from overlap.errors import ConfigError, NotEnoughDataError

MIN_TRAINING_DEALS = 20
"""Fewer partnered deals than this are too few to learn an order from."""
PARTNER_COLUMNS = np.array([COLUMN[f] for f in FEATURES if f not in QUERY_FEATURES])
CHUNK = 20_000
"""Pairs whose features ``with_odds`` holds at once (queries x partners x features)."""
PROBABILITY_COLUMNS = (
    "win_probability",
    "win_probability_without",
    "uplift",
    "uplift_low",
    "uplift_high",
    "deals_with",
    "deals_without",
    "similar_deals",
)
"""What ``Ranker.recommend`` adds to the ``Recommender``'s columns."""


class Ranker(Recommender):
    """Partners for an account ranked by a model of the deal history, with win probabilities.

    ``Ranker().fit(eco).recommend("Acme Corp")``. ``max_queries`` caps the deals the
    models learn from (the most recent are kept), which bounds the time to fit.
    """

    def __init__(
        self,
        *,
        model: str = "lightgbm",
        folds: int = 5,
        windows: int = 12,
        max_queries: int = 15_000,
        random_state: int = 0,
        n_jobs: int = 1,
        weights: Weights | None = None,
        points: PointsTable | None = None,
    ):
        super().__init__(weights=weights, points=points)
        self.model = model
        self.folds = folds
        self.windows = windows
        self.max_queries = max_queries
        self.random_state = random_state
        self.n_jobs = n_jobs

    def fit(self, eco: Ecosystem) -> Ranker:
        """Fit the look-ups, the ranking model and the calibrated win model; returns self."""
        if self.model not in MODELS:
            raise ConfigError(
                f"Ranker.model must be one of {', '.join(MODELS)}, got {self.model!r}"
            )
        if self.folds < 2:
            raise ConfigError(f"Ranker.folds must be at least 2, got {self.folds}")
        super().fit(eco)
        index = build_index(eco)
        self.index_ = index
        self.product_position_ = {p: j for j, p in enumerate(index.products)}
        # each company's first product (in the recommender's order) the index knows
        positions = np.array([self.product_position_.get(p, -1) for p in self.products_], int)
        owned = self.owned_ & (positions >= 0)
        # a column of its own for "none", so that a catalogue without products has one
        first = np.column_stack([owned, np.ones(len(owned), dtype=bool)]).argmax(axis=1)
        self.first_product_ = np.append(positions, -1)[first]
        self._last_query: tuple[tuple[int, tuple[str, ...] | None], np.ndarray] | None = None
        codes = pl.DataFrame({"company_id": self.company_ids_}).join(
            index.company_codes, on="company_id", how="left", maintain_order="left"
        )
        self.index_code_ = codes["code"].to_numpy()
        # the partner records are joined once, then filtered for every day features are read on
        records = partner_records(eco, index)
        self.tables_ = known_tables(
            eco, latest_date(eco) + timedelta(days=1), index, records=records
        )
        queries = deal_queries(eco.deals, index)
        closed = queries.filter(pl.col("won").is_not_null())
        partnered = closed.filter(pl.col("partner") >= 0)
        solo = closed.filter(pl.col("partner") < 0)
        self.priors_ = (
            Priors(float(partnered["won"].mean()), float(solo["won"].mean()))  # type: ignore[arg-type]
            if partnered.height and solo.height
            else PRIORS
        )
        self.history_deals_ = closed.height
        self.ranking_: RankingModel | None = None
        self.win_model_: Any = None
        self.calibrator_ = Calibrator().fit(np.empty(0), np.empty(0))
        involved = queries.filter(pl.col("partner") >= 0)
        if partnered.height < MIN_TRAINING_DEALS or solo.is_empty():
            return self
        learn = pl.concat([involved.tail(self.max_queries), solo.tail(self.max_queries // 2)]).sort(
            "day"
        )
        x = history_features(eco, learn, index, windows=self.windows, records=records)
        # OpenMP threads beyond the free cores spin against each other: n_jobs caps them
        with threadpool_limits(limits=self.n_jobs):
            self._fit_ranking(x, learn)
            self._fit_win(x, learn)
        return self

    def _fit_ranking(self, x: np.ndarray, learn: pl.DataFrame) -> None:
        rows = np.flatnonzero(learn["partner"].to_numpy() >= 0)
        self.ranking_ = RankingModel(
            model=self.model, random_state=self.random_state, n_jobs=self.n_jobs
        ).fit(
            x[rows],
            learn["partner"].to_numpy()[rows],
            learn["won"].fill_null(False).to_numpy()[rows],
        )

    def _lightgbm(self, estimator: str, **params: Any) -> Any:
        """A LightGBM estimator of this ranker's seed and threads (imported when first fit)."""
        import lightgbm

        return getattr(lightgbm, estimator)(
            learning_rate=0.05,
            min_child_samples=50,
            random_state=self.random_state,
            n_jobs=self.n_jobs,
            verbose=-1,
            **params,
        )

    def _fit_win(self, x: np.ndarray, learn: pl.DataFrame) -> None:
        # Of the deals created lately only the quick ones have closed, and how fast a deal
        # closes says how it ends: the win model learns from deals old enough that 90% of
        # deals would have closed by now, whatever their outcome.
        closed = learn["won"].is_not_null().to_numpy()
        cycle = (learn["closed"] - learn["day"]).filter(pl.Series(closed))
        horizon = float(np.quantile(cycle.to_numpy(), 0.9))
        today = int(self.tables_.day)
        mature = learn["day"].to_numpy() < today - horizon
        if (closed & mature).sum() >= MIN_TRAINING_DEALS:
            closed &= mature
        rows = np.flatnonzero(closed)
        partner = learn["partner"].to_numpy()[rows]
        won = learn["won"].to_numpy()[rows].astype(bool)
        table = _win_rows(x[rows, np.maximum(partner, 0)], partner >= 0)
        if len(np.unique(won)) < 2:
            return
        # cross-fitted: each block of deals (in time) is scored by a model fitted on the
        # others, so every deal gives the calibration a score it was not trained on
        scored = np.full(len(rows), np.nan)
        for block in np.array_split(np.arange(len(rows)), self.folds):
            others = np.ones(len(rows), dtype=bool)
            others[block] = False
            if len(np.unique(won[others])) == 2:
                model = self._win_model(table[others], won[others])
                scored[block] = self._win(model, table[block])
        self.win_model_ = self._win_model(table, won)
        kept = ~np.isnan(scored)
        self.calibrator_ = Calibrator().fit(scored[kept], won[kept])

    def _win_model(self, table: np.ndarray, won: np.ndarray) -> Any:
        model = self._lightgbm("LGBMClassifier", n_estimators=100, num_leaves=15, reg_lambda=1.0)
        return model.fit(table, won).booster_

    @staticmethod
    def _win(model: Any, table: np.ndarray) -> np.ndarray:
        """A win model's uncalibrated probabilities of ``_win_rows``."""
        return np.asarray(model.predict(table, num_threads=1), dtype=np.float64)

    def query_features(self, code: int, products: Sequence[str] | None = None) -> np.ndarray:
        """The (partner, ``FEATURES``) array of company ``code`` and its first known product."""
        key = (code, None if products is None else tuple(products))
        last = self._last_query
        if last is not None and last[0] == key:
            return last[1]
        wanted = list(products) if products is not None else self._owned(code)
        product = next(
            (self.product_position_[p] for p in wanted if p in self.product_position_), -1
        )
        codes = np.array([self.index_code_[code]])
        x = features(self.tables_, self.index_, codes, np.array([product]))[0]
        # one answer asks for its features twice (order, then probabilities): keep the last
        self._last_query = (key, x)
        return x

    def score_cases(self, eco: Ecosystem, cases: pl.DataFrame) -> np.ndarray:
        """The model's (case, partner) scores of ``cases`` (``account_id``, ``product``)
        with features read afresh from ``eco``, partners in ``eco.partners`` order.

        ``eco`` is what is known when the cases are ranked: the ecosystem the ranker was
        fitted on or a later state of it. A case whose account ``eco`` lacks scores 0.
        """
        if self.ranking_ is None:
            raise NotEnoughDataError(
                "the ranker has no model: too few partnered deals to learn from"
            )
        index = build_index(eco)
        tables = known_tables(eco, latest_date(eco) + timedelta(days=1), index)
        codes, products = case_queries(cases, index)
        known = codes >= 0
        scores = np.zeros((len(codes), len(index.partner_ids)))
        x = features(tables, index, codes[known], products[known])
        scores[known] = self._raw(x.reshape(-1, x.shape[2])).reshape(x.shape[:2])
        return scores

    def _raw(self, flat: np.ndarray) -> np.ndarray:
        model = self.ranking_
        assert model is not None, "callers check that the ranker has a model"
        if model.model == "lightgbm":
            return model.scores(flat)  # its predictions take their threads as told
        # threadpool_limits costs about a millisecond: only scikit-learn's trees need it
        with threadpool_limits(limits=self.n_jobs):
            return model.scores(flat)

    def rank_scores(
        self, code: int, scores: np.ndarray, *, products: Sequence[str] | None = None
    ) -> np.ndarray:
        """The model's softmax share of each partner; the hand-set ``scores`` without a model."""
        if self.ranking_ is None:
            return scores
        raw = self._raw(self.query_features(code, products))
        share = np.exp(raw - raw.max())
        return share / share.sum()

    def recommend_company(
        self, code: int, *, k: int = 5, products: Sequence[str] | None = None
    ) -> pl.DataFrame:
        """``Recommender.recommend_company`` in the model's order, with ``PROBABILITY_COLUMNS``
        and the reason ending in what the probabilities say and how many deals they rest on."""
        frame = super().recommend_company(code, k=k, products=products)
        position = {p: i for i, p in enumerate(self.partner_ids_.tolist())}
        top = np.array([position[p] for p in frame[PARTNER_ID]], dtype=np.int64)
        odds = self._probabilities(code, top, products)
        reasons, columns = _odds_columns(frame["partner"], frame["reason"], *odds)
        # eager columns: a lazy with_columns would cost a query plan per answer
        frame.replace_column(frame.get_column_index("reason"), reasons)
        return frame.hstack(columns)

    def with_odds(self, ranked: pl.DataFrame) -> pl.DataFrame:
        """Rows of ``company_id`` and ``partner_id`` (co-sell's) with ``PROBABILITY_COLUMNS``
        and the reason ending in the odds, as ``recommend`` gives them: each company's
        first product the ranker knows, features as of the fit. Rows of a company or
        partner the fit did not see get nulls."""
        position = {p: i for i, p in enumerate(self.index_.partner_ids)}
        codes = np.array(
            [self.company_code_.get(c, -1) for c in ranked[schema.COMPANY_ID]], dtype=np.int64
        )
        partner = np.array([position.get(p, -1) for p in ranked[PARTNER_ID]], dtype=np.int64)
        known = np.flatnonzero((codes >= 0) & (partner >= 0))
        odds = [np.full(len(codes), np.nan) for _ in range(4)]
        for start in range(0, len(known), CHUNK):
            chunk = known[start : start + CHUNK]
            found = self._pair_probabilities(codes[chunk], partner[chunk])
            for column, values in zip(odds, found, strict=True):
                column[chunk] = values
        reasons, columns = _odds_columns(ranked["partner"], ranked["reason"], *odds)
        return ranked.with_columns(reasons).hstack(columns)

    def _pair_probabilities(
        self, codes: np.ndarray, partner: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """``_probabilities`` of (company code, partner position) pairs."""
        at = self.index_code_[codes]
        n_with, n_without = _similar_deals(self.tables_, self.index_, at, partner)
        if self.win_model_ is None:
            return self._priors(len(codes), n_with, n_without)
        x = features(self.tables_, self.index_, at, self.first_product_[codes])
        rows = np.arange(len(codes))
        return self._calibrated(x[rows, partner], x[rows, 0], n_with, n_without)

    def _probabilities(
        self, code: int, top: np.ndarray, products: Sequence[str] | None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Win probability with each partner of ``top`` and without, and the deals behind each."""
        codes = np.full(len(top), self.index_code_[code])
        n_with, n_without = _similar_deals(self.tables_, self.index_, codes, top)
        if self.win_model_ is None:
            return self._priors(len(top), n_with, n_without)
        x = self.query_features(code, products)
        return self._calibrated(x[top], x[:1], n_with, n_without)

    def _priors(
        self, n: int, n_with: np.ndarray, n_without: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        priors = self.priors_
        with_partner = np.full(n, priors.with_partner)
        return with_partner, np.full(n, priors.without_partner), n_with, n_without

    def _calibrated(
        self,
        with_rows: np.ndarray,
        without_rows: np.ndarray,
        n_with: np.ndarray,
        n_without: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Calibrated, shrunk win probabilities of feature rows with their partner and
        without one (one row each, or one row for all), and the deals behind each."""
        n = len(with_rows)
        flags = np.arange(n + len(without_rows)) < n
        table = _win_rows(np.vstack([with_rows, without_rows]), flags)
        raw = self.calibrator_.predict(self._win(self.win_model_, table))
        without = np.broadcast_to(raw[n:], (n,)) if len(without_rows) == 1 else raw[n:]
        priors = self.priors_
        return (
            shrink(raw[:n], n_with, priors.with_partner),
            shrink(without, n_without, priors.without_partner),
            n_with,
            n_without,
        )

    def deal_win_probabilities(self, eco: Ecosystem, deals: pl.DataFrame) -> np.ndarray:
        """The win probability of each of ``deals`` (``account_id``, ``product``,
        ``partner_id``) with its partner, or with none where it has none, read from ``eco``
        as ``score_cases`` reads it; nan where ``eco`` lacks the account."""
        index = build_index(eco)
        tables = known_tables(eco, latest_date(eco) + timedelta(days=1), index)
        codes, products = case_queries(deals, index)
        partner = np.array(
            [
                index.partner_ids.index(p) if p in index.partner_ids else -1
                for p in deals[PARTNER_ID]
            ],
            dtype=np.int64,
        )
        known = codes >= 0
        codes, products, partner = codes[known], products[known], partner[known]
        n_with, n_without = _similar_deals(tables, index, codes, partner)
        alone = partner < 0
        prior = np.where(alone, self.priors_.without_partner, self.priors_.with_partner)
        n = np.where(alone, n_without, n_with)
        out = np.full(len(known), np.nan)
        if self.win_model_ is None:
            out[known] = prior
            return out
        x = features(tables, index, codes, products)
        rows = x[np.arange(len(codes)), np.maximum(partner, 0)]
        raw = self.calibrator_.predict(self._win(self.win_model_, _win_rows(rows, ~alone)))
        out[known] = shrink(raw, n, prior)
        return out


def _similar_deals(
    tables: Tables, index: Index, codes: np.ndarray, partners: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The similar deals behind a probability: those closed with each partner (-1: none)
    in the company's industry (all industries when it has none), and those without one."""
    industry = index.attribute_codes["industry"][codes]
    known = industry >= 0
    at, partner = np.maximum(industry, 0), np.maximum(partners, 0)
    n_with = np.where(known, tables.closed["industry"][partner, at], tables.partner[2][partner])
    n_without = np.where(known, tables.solo_closed[at], tables.solo_closed.sum())
    return n_with, n_without


def _odds_columns(
    partners: pl.Series,
    reasons: pl.Series,
    p_with: np.ndarray,
    p_without: np.ndarray,
    n_with: np.ndarray,
    n_without: np.ndarray,
) -> tuple[pl.Series, list[pl.Series]]:
    """The reasons ending in the odds, and the ``PROBABILITY_COLUMNS`` (nan: unknown)."""
    lift, low, high = uplift(p_with, n_with, p_without, n_without)
    similar = n_with + n_without
    said = [
        r if np.isnan(n) else f"{r}; {_odds(name, a, b, int(n))}"
        for name, r, a, b, n in zip(partners, reasons, p_with, p_without, similar, strict=True)
    ]
    rates = (p_with, p_without, lift, low, high)
    counts = (n_with, n_without, similar)
    names = iter(PROBABILITY_COLUMNS)
    # nan_to_null in the constructor: Series.fill_nan runs a query plan per column
    columns = [pl.Series(next(names), v, pl.Float64, nan_to_null=True) for v in rates] + [
        pl.Series(next(names), v, pl.Float64, nan_to_null=True).cast(pl.Int64) for v in counts
    ]
    return pl.Series("reason", said, dtype=pl.String), columns


def _win_rows(x: np.ndarray, with_partner: np.ndarray) -> np.ndarray:
    """Rows of the win model: features and a partner flag, partner features blank without."""
    table = np.column_stack([x, with_partner.astype(np.float32)])
    table[np.ix_(~with_partner, PARTNER_COLUMNS)] = UNKNOWN
    return table


def _odds(partner: str, with_partner: float, without: float, deals: int) -> str:
    """ "win probability 0.46 with Northgate, 0.31 without, from 212 similar deals"."""
    odds = f"win probability {with_partner:.2f} with {partner}, {without:.2f} without"
    if deals == 0:
        return f"no deal history: {odds} (stated priors)"
    return f"{odds}, from {counted(deals, 'similar deal')}"
