"""Recommended partners for any account, answered in microseconds from indices built once.

``Recommender.fit`` turns an Ecosystem into arrays: per company, the partners that list
it (compressed rows: ``indptr`` into partner indices, relationship values and recency),
its stage group, the products it owns or evaluates and its industry; per partner, its
role fit by stage group, certifications by product, strength, shrunk win rate and win
rate by industry. ``recommend`` then does a dictionary look-up and a few numpy
operations over the partners, and scores them with ``RECOMMEND_FACTORS`` of
``overlap.ecosystem.factors``: those of ``co_sell`` but the deal size, plus
``similar_wins`` (the partner's shrunk win rate on deals with accounts of the same
industry). With no deal history (cold start) the win-rate factors are unknown and add
nothing; relationship, role, certification and strength still rank the partners.
An account is named by its id, its company's id or its name; a name not found as
written is looked up among the closest names (``resolve``, by ``ecosystem.search``).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property

import numpy as np
import polars as pl

from overlap import schema
from overlap.ecosystem.data import VENDOR, Ecosystem, is_open_opportunity
from overlap.ecosystem.factors import (
    CERTIFICATION,
    RECENCY,
    RECOMMEND_FACTORS,
    RELATIONSHIP,
    ROLE_FIT,
    SIMILAR_WINS,
    STRENGTH,
    WIN_RATE,
    Weights,
    reason,
    relationship_words,
    win_words,
)
from overlap.ecosystem.points import WON, PointsTable
from overlap.ecosystem.rank import (
    EARLY,
    PARTNER_ID,
    POST_SALE,
    STAGE_ROLES,
    latest_date,
    partner_profile,
    partner_relationships,
    product_list,
    stage_group,
)
from overlap.ecosystem.search import SCORE, AccountSearch, first_is_clear
from overlap.errors import InputError

ROW = {name: row for row, name in enumerate(RECOMMEND_FACTORS)}
"""Row of each factor in the matrix ``Recommender.factors`` returns."""
GROUPS = tuple(STAGE_ROLES)
NONE = "none"
FACTOR_STRUCT = pl.Struct(
    {"factor": pl.String, "value": pl.Float64, "weight": pl.Float64, "contribution": pl.Float64}
)
"""One factor of a recommendation: its value (null when unknown), weight and contribution."""
SUGGESTIONS = 10
"""Accounts ``suggest`` lists by default."""


def name_key(name: str) -> str:
    """The exact-lookup key of an account name: lower case, single spaces."""
    return " ".join(name.lower().split())


def _name_key(names: pl.Expr) -> pl.Expr:
    return names.str.to_lowercase().str.replace_all(r"\s+", " ").str.strip_chars()


class Recommender:
    """Partners ranked for one account: ``Recommender().fit(eco).recommend("Acme Corp")``."""

    def __init__(self, *, weights: Weights | None = None, points: PointsTable | None = None):
        self.weights = weights
        self.points = points

    def fit(self, eco: Ecosystem) -> Recommender:
        """Build the per-company and per-partner indices; returns self."""
        weights = self.weights or Weights()
        self.weights_ = weights
        self._fit_partners(eco, weights)
        self._fit_companies(eco, weights)
        self._fit_history(eco, weights)
        return self

    def _fit_partners(self, eco: Ecosystem, weights: Weights) -> None:
        profile = partner_profile(eco, weights=weights, points=self.points)
        self.partner_ids_ = profile[PARTNER_ID].to_numpy().astype(str)
        self.partner_names_ = profile["name"].fill_null(profile[PARTNER_ID]).to_list()
        self.partner_types_ = profile["type"].fill_null("partner").to_list()
        self.partner_roles_ = profile["role"].to_list()
        self.strength_ = profile[STRENGTH].to_numpy().astype(np.float64)
        self.deals_ = profile["deals"].to_numpy()
        self.wins_ = profile["wins"].to_numpy()
        self.win_rate_ = profile[WIN_RATE].fill_null(np.nan).to_numpy().astype(np.float64)
        names = set(eco.products["name"].drop_nulls().to_list())
        names |= set(profile["certifications"].explode().drop_nulls().to_list())
        self.products_ = sorted(names)
        self.product_index_ = {name: j for j, name in enumerate(self.products_)}
        certs = np.zeros((len(self.partner_ids_), len(self.products_)), dtype=np.float64)
        for i, held in enumerate(profile["certifications"].to_list()):
            certs[i, [self.product_index_[p] for p in held or ()]] = 1.0
        self.certified_ = certs
        self.role_fit_ = np.array(
            [[float(role in STAGE_ROLES[g]) for g in GROUPS] for role in self.partner_roles_]
        ).reshape(len(self.partner_ids_), len(GROUPS))

    def _fit_companies(self, eco: Ecosystem, weights: Weights) -> None:
        accounts = eco.accounts.with_columns(
            (pl.col(schema.LIST_OWNER) == VENDOR).alias("_vendor"),
            is_open_opportunity().alias("_open"),
            stage_group(pl.col(schema.STAGE)).alias("_group"),
        )
        companies = (
            accounts.sort("_vendor", "_open", descending=True, maintain_order=True)
            .group_by(schema.COMPANY_ID, maintain_order=True)
            .agg(
                pl.col(schema.NAME).drop_nulls().first(),
                pl.col(schema.INDUSTRY).drop_nulls().first(),
                pl.col("_group").filter("_vendor", "_open").first(),
                pl.col(schema.STAGE).filter("_vendor", "_open").first(),
                (pl.col("_vendor") & (pl.col(schema.STATUS) == schema.STATUS_CUSTOMER))
                .any()
                .alias("_customer"),
            )
            .with_row_index("_code")
        )
        group = (
            pl.when(pl.col("_group").is_not_null())
            .then("_group")
            .when("_customer")
            .then(pl.lit(POST_SALE))
            .otherwise(pl.lit(EARLY))
        )
        # Per-company text stays in polars Series: million-item Python lists would make
        # every full garbage collection walk them, a pause of milliseconds mid-query.
        self.company_ids_ = companies[schema.COMPANY_ID]
        self.company_code_ = dict(
            zip(self.company_ids_, range(len(self.company_ids_)), strict=True)
        )
        self.company_names_ = companies[schema.NAME]
        self.stage_ = (
            companies.select(group.replace_strict(GROUPS, list(range(len(GROUPS)))))
            .to_series()
            .to_numpy()
        )
        self.stage_labels_ = companies.select(
            pl.coalesce(schema.STAGE, group.str.replace(EARLY, "prospecting"))
        ).to_series()
        self.industries_ = companies[schema.INDUSTRY].drop_nulls().unique().sort().to_list()
        self.industry_ = (
            companies.select(
                pl.col(schema.INDUSTRY).replace_strict(
                    self.industries_, list(range(len(self.industries_))), default=-1
                )
            )
            .to_series()
            .to_numpy()
        )
        codes = accounts.join(
            companies.select(schema.COMPANY_ID, "_code"),
            on=schema.COMPANY_ID,
            maintain_order="left",
        )
        owned = (
            codes.filter("_vendor")
            .select("_code", product_list(pl.col(schema.PRODUCTS)).alias("p"))
            .explode("p")
            .filter(pl.col("p").is_in(self.products_))
        )
        self.owned_ = np.zeros((len(self.company_ids_), len(self.products_)), dtype=bool)
        # replace_strict with no products leaves the text as it is: an empty frame of text
        product = owned.select(pl.col("p").replace_strict(self.product_index_)).to_series()
        self.owned_[owned["_code"].to_numpy(), product.to_numpy().astype(np.int64)] = True
        vendor = codes.filter("_vendor")
        self.account_code_ = dict(zip(vendor[schema.ID], vendor["_code"], strict=True))
        keyed = codes.sort("_vendor", descending=True, maintain_order=True).select(
            _name_key(pl.col(schema.NAME)).alias("k"), "_code"
        )
        # Reversed so that vendor records, sorted first, are written last and win.
        self.name_code_ = dict(zip(keyed["k"][::-1], keyed["_code"][::-1], strict=True))
        self.vendor_accounts_ = vendor.select(
            schema.ID, schema.NAME, schema.STATUS, schema.COMPANY_ID
        )
        edges = partner_relationships(
            eco, as_of=latest_date(eco), half_life_days=weights.half_life_days
        ).join(companies.select(schema.COMPANY_ID, "_code"), on=schema.COMPANY_ID)
        edges = edges.sort("_code", maintain_order=True)
        partner_code = {p: i for i, p in enumerate(self.partner_ids_)}
        edges = edges.filter(pl.col(PARTNER_ID).is_in(list(partner_code)))
        self.indptr_ = np.searchsorted(
            edges["_code"].to_numpy(), np.arange(len(self.company_ids_) + 1)
        )
        self.edge_partner_ = (
            edges.select(pl.col(PARTNER_ID).replace_strict(partner_code)).to_series().to_numpy()
        )
        self.edge_value_ = edges["relationship_value"].to_numpy()
        self.edge_recency_ = edges[RECENCY].fill_null(np.nan).to_numpy()
        self.edge_status_ = edges[RELATIONSHIP]

    def _fit_history(self, eco: Ecosystem, weights: Weights) -> None:
        """Per (partner, industry): partnered deals and the partner's shrunk win rate there."""
        deals = eco.deals.filter(pl.col(PARTNER_ID).is_not_null())
        self.has_history_ = deals.height > 0
        n_p, n_i = len(self.partner_ids_), len(self.industries_)
        self.industry_deals_ = np.zeros((n_p, n_i))
        self.industry_wins_ = np.zeros((n_p, n_i))
        vendor = eco.accounts.filter(pl.col(schema.LIST_OWNER) == VENDOR)
        counts = (
            deals.join(
                vendor.select(pl.col(schema.ID).alias("account_id"), schema.INDUSTRY),
                on="account_id",
            )
            .filter(
                pl.col(schema.INDUSTRY).is_in(self.industries_),
                pl.col(PARTNER_ID).is_in(self.partner_ids_.tolist()),
            )
            .group_by(PARTNER_ID, schema.INDUSTRY)
            .agg(pl.len().alias("n"), (pl.col("outcome") == WON).sum().alias("w"))
        )
        partner_code = {p: i for i, p in enumerate(self.partner_ids_)}
        industry_code = {v: i for i, v in enumerate(self.industries_)}
        rows = [partner_code[p] for p in counts[PARTNER_ID]]
        cols = [industry_code[v] for v in counts[schema.INDUSTRY]]
        self.industry_deals_[rows, cols] = counts["n"].to_numpy()
        self.industry_wins_[rows, cols] = counts["w"].to_numpy()
        prior = weights.prior_deals
        self.industry_rate_ = (self.industry_wins_ + prior * self.win_rate_[:, None]) / (
            self.industry_deals_ + prior
        )

    def lookup(self, account: str) -> int | None:
        """Company index of a vendor account id, a company id or an exact name; else None.

        Dictionary look-ups only: ``locate`` falls back on ``suggest``.
        """
        code = self.account_code_.get(account, self.company_code_.get(account))
        if code is None:
            code = self.name_code_.get(name_key(account))
        return None if code is None else int(code)

    @cached_property
    def name_index(self) -> AccountSearch:
        """The search of the vendor accounts' names, built on first use: a service that
        is asked by account id never pays for it (seconds at a million accounts)."""
        return AccountSearch().fit(self.vendor_accounts_)

    def suggest(self, account: str, *, limit: int = SUGGESTIONS) -> pl.DataFrame:
        """The vendor accounts whose names are closest to ``account``, best first.

        ``id``, ``name``, ``status``, ``company_id`` and ``score`` (0-100), from
        ``overlap.ecosystem.search``: typos forgiven, legal forms ignored.
        """
        return self.name_index.search(account, limit=limit)

    def resolve(self, account: str) -> tuple[int | None, pl.DataFrame]:
        """Company index of ``account`` (None when unclear) and the suggestions looked at.

        An account id, company id or name as written has no suggestions; else the
        index is that of ``suggest``'s first when it clearly stands for the account
        (``search.first_is_clear``: "Aple" for Apple Inc., not "Gulf Coast" for one of
        ten Gulf Coast firms).
        """
        code = self.lookup(account)
        if code is not None:
            return code, self.vendor_accounts_.head(0).with_columns(pl.lit(0.0).alias(SCORE))
        suggestions = self.suggest(account)
        if first_is_clear(suggestions):
            return int(self.account_code_[suggestions[schema.ID][0]]), suggestions
        return None, suggestions

    def locate(self, account: str) -> int:
        """Company index of ``account`` by ``resolve``; InputError listing the closest if none."""
        code, suggestions = self.resolve(account)
        if code is not None:
            return code
        names = suggestions[schema.NAME].to_list()
        raise InputError(
            f"no account matches {account!r}",
            hint=f"did you mean: {'; '.join(names)}?"
            if names
            else "give a vendor account id, a company id or an account name",
        )

    def factors(self, code: int, *, products: Sequence[str] | None = None) -> np.ndarray:
        """The (factor, partner) matrix of values for company ``code``; nan where unknown."""
        n = len(self.partner_ids_)
        values = np.full((len(RECOMMEND_FACTORS), n), np.nan)
        start, end = self.indptr_[code], self.indptr_[code + 1]
        listed = self.edge_partner_[start:end]
        values[ROW[RELATIONSHIP]] = 0.0
        values[ROW[RELATIONSHIP], listed] = self.edge_value_[start:end]
        values[ROW[RECENCY], listed] = self.edge_recency_[start:end]
        values[ROW[ROLE_FIT]] = self.role_fit_[:, self.stage_[code]]
        if products is None:
            wanted = self.owned_[code]
        else:
            wanted = np.zeros(len(self.products_), dtype=bool)
            wanted[[self.product_index_[p] for p in products if p in self.product_index_]] = True
        if wanted.any():
            values[ROW[CERTIFICATION]] = self.certified_[:, wanted].mean(axis=1)
        if self.has_history_:
            values[ROW[WIN_RATE]] = self.win_rate_
            industry = self.industry_[code]
            if industry >= 0:
                values[ROW[SIMILAR_WINS]] = self.industry_rate_[:, industry]
        values[ROW[STRENGTH]] = self.strength_
        return values

    def scores(self, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Contributions (factor x partner) and scores (per partner) of a ``factors`` matrix."""
        weights = self._weight_vector()
        contributions = np.nan_to_num(values) * weights[:, None]
        return contributions, contributions.sum(axis=0) / self.weights_.total(RECOMMEND_FACTORS)

    def _weight_vector(self) -> np.ndarray:
        return np.array(self.weights_.of(RECOMMEND_FACTORS))

    def recommend(
        self, account: str, *, k: int = 5, products: Sequence[str] | None = None
    ) -> pl.DataFrame:
        """The ``k`` best partners for ``account``, with the factors each score used.

        ``products`` (default: what the account owns or evaluates) are the products the
        certification factor looks for. ``factors_used`` names the factors that were
        known for the partner; ``reason`` says why in one sentence.
        """
        return self.recommend_company(self.locate(account), k=k, products=products)

    def recommend_company(
        self, code: int, *, k: int = 5, products: Sequence[str] | None = None
    ) -> pl.DataFrame:
        """``recommend`` for the company of index ``code`` (from ``lookup`` or ``locate``)."""
        values = self.factors(code, products=products)
        contributions, scores = self.scores(values)
        scores = self.rank_scores(code, scores, products=products)
        weights = self._weight_vector()
        top = np.argsort(-scores, kind="stable")[:k]
        start, end = self.indptr_[code], self.indptr_[code + 1]
        status = dict(
            zip(
                self.edge_partner_[start:end].tolist(),
                self.edge_status_.slice(start, end - start).to_list(),
                strict=True,
            )
        )
        rows = [self._row(code, int(i), values[:, i], status.get(int(i)), products) for i in top]
        n = len(top)
        # the factors column from flat arrays: building k x 7 structs from Python dicts
        # would cost several times the rest of the answer
        factors = (
            pl.DataFrame(
                [
                    pl.Series("factor", list(RECOMMEND_FACTORS) * n, pl.String),
                    pl.Series("value", values[:, top].T.ravel(), pl.Float64, nan_to_null=True),
                    pl.Series("weight", np.tile(weights, n), pl.Float64),
                    pl.Series("contribution", contributions[:, top].T.ravel(), pl.Float64),
                ]
            )
            .to_struct("factors")
            .reshape((n, len(RECOMMEND_FACTORS)))
            .cast(pl.List(FACTOR_STRUCT))
        )
        return pl.DataFrame(
            [
                pl.Series("rank", range(1, n + 1), pl.Int64),
                pl.Series(PARTNER_ID, self.partner_ids_[top].tolist(), pl.String),
                pl.Series("partner", [self.partner_names_[i] for i in top], pl.String),
                pl.Series("role", [self.partner_roles_[i] for i in top], pl.String),
                pl.Series(RELATIONSHIP, [status.get(int(i), NONE) for i in top], pl.String),
                pl.Series("score", scores[top], pl.Float64),
                pl.Series("factors_used", [r[0] for r in rows], pl.List(pl.String)),
                pl.Series("reason", [r[1] for r in rows], pl.String),
                factors,
            ]
        )

    def rank_scores(
        self, code: int, scores: np.ndarray, *, products: Sequence[str] | None = None
    ) -> np.ndarray:
        """The per-partner scores ``recommend_company`` ranks by: here the weighted
        factors' ``scores``; a learned ranker (``overlap.ecosystem.ranker``) replaces them."""
        return scores

    def _row(
        self,
        code: int,
        i: int,
        values: np.ndarray,
        status: str | None,
        products: Sequence[str] | None,
    ) -> tuple[list[str], str]:
        """Factors used by partner ``i`` and the sentence that says why."""
        industry = self.industry_[code]
        known = {
            RELATIONSHIP: status is not None,
            RECENCY: not np.isnan(values[ROW[RECENCY]]),
            ROLE_FIT: True,
            CERTIFICATION: not np.isnan(values[ROW[CERTIFICATION]]),
            WIN_RATE: self.has_history_ and self.deals_[i] > 0,
            SIMILAR_WINS: industry >= 0 and self.industry_deals_[i, industry] > 0,
            STRENGTH: True,
        }
        used = [f for f in RECOMMEND_FACTORS if known[f]]
        account = self.company_names_[code] or self.company_ids_[code]
        wanted = products if products is not None else self._owned(code)
        certified = [p for p in wanted if p in self.product_index_ and self._certified(i, p)]
        evidence: dict[str, object] = {
            "partner": self.partner_names_[i],
            "partner_type": self.partner_types_[i],
            "relationship": relationship_words(account, status),
            "certified": ", ".join(certified) if certified else None,
            "stage": self.stage_labels_[code] if values[ROW[ROLE_FIT]] == 1.0 else None,
            "industry_wins": None,
            "industry_deals": None,
            "industry": None,
        }
        if known[WIN_RATE]:
            evidence |= win_words(
                int(self.wins_[i]),
                int(self.deals_[i]),
                float(self.win_rate_[i]),
                prior_deals=self.weights_.prior_deals,
            )
        if known[SIMILAR_WINS]:
            evidence["industry_wins"] = int(self.industry_wins_[i, industry])
            evidence["industry_deals"] = int(self.industry_deals_[i, industry])
            evidence["industry"] = self.industries_[industry]
        return used, reason(evidence, RECOMMEND_FACTORS)

    def _owned(self, code: int) -> list[str]:
        return [self.products_[j] for j in np.flatnonzero(self.owned_[code])]

    def _certified(self, i: int, product: str) -> bool:
        return bool(self.certified_[i, self.product_index_[product]])
