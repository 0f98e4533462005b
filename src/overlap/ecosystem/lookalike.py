"""New accounts: partners' customers that look like the vendor's best customers.

``CustomerFit`` is a logistic regression on one-hot industry and country and the
standardised log of employees and revenue. It learns from the vendor's own accounts:
an account with a won deal, or else a customer, is positive; one whose deals were all
lost, or else a prospect or churned account, is negative; open opportunities without
deals are left out. Each prediction is explained by its features' contributions
(coefficient x value, in log-odds): ``industry Healthcare (+0.80), 1,200 employees (+0.40)``.
A missing number contributes nothing.
"""

from __future__ import annotations

import numpy as np
import polars as pl
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import OneHotEncoder

from overlap import schema
from overlap.ecosystem.data import VENDOR, Ecosystem
from overlap.ecosystem.points import WON, PointsTable, partner_strength
from overlap.ecosystem.rank import PARTNER_ID
from overlap.errors import NotEnoughDataError
from overlap.normalise import country_code

CATEGORIES = (schema.INDUSTRY, schema.COUNTRY)
NUMBERS = (schema.EMPLOYEES, schema.ANNUAL_REVENUE)
MIN_CUSTOMERS = 30
"""Fewer customer-like vendor accounts than this are too few to learn a fit to rank by."""


def training_set(eco: Ecosystem) -> tuple[pl.DataFrame, np.ndarray]:
    """Vendor accounts with a known outcome, and their labels (1: customer-like)."""
    outcomes = eco.deals.group_by("account_id").agg((pl.col("outcome") == WON).any().alias("won"))
    vendor = eco.accounts.filter(pl.col(schema.LIST_OWNER) == VENDOR).join(
        outcomes, left_on=schema.ID, right_on="account_id", how="left", maintain_order="left"
    )
    status = pl.col(schema.STATUS)
    by_status = (
        pl.when(status == schema.STATUS_CUSTOMER)
        .then(True)
        .when(status.is_in([schema.STATUS_PROSPECT, schema.STATUS_CHURNED]))
        .then(False)
    )
    labelled = vendor.with_columns(pl.coalesce("won", by_status).alias("_label")).filter(
        pl.col("_label").is_not_null()
    )
    return labelled.drop("won", "_label"), labelled["_label"].to_numpy().astype(int)


class CustomerFit:
    """How much an account looks like the vendor's customers (probability in [0, 1])."""

    def __init__(self, *, C: float = 1.0, max_iter: int = 1000):
        self.C = C
        self.max_iter = max_iter

    def fit(self, accounts: pl.DataFrame, labels: np.ndarray) -> CustomerFit:
        """Learn from account rows and their 0/1 labels; returns self."""
        if len(np.unique(labels)) < 2:
            raise NotEnoughDataError("CustomerFit needs both customer-like and other accounts")
        categories, numbers = _columns(accounts)
        self.encoder_ = OneHotEncoder(handle_unknown="ignore", sparse_output=False)
        self.encoder_.fit(categories)
        known = ~np.isnan(numbers)
        count = np.maximum(known.sum(axis=0), 1)
        self.center_ = np.where(known, numbers, 0.0).sum(axis=0) / count
        spread = np.where(known, (numbers - self.center_) ** 2, 0.0).sum(axis=0) / count
        self.scale_ = np.where(spread > 0, np.sqrt(spread), 1.0)
        self.feature_names_ = [
            f"{column} {value}"
            for column, values in zip(CATEGORIES, self.encoder_.categories_, strict=True)
            for value in values
        ] + list(NUMBERS)
        self.model_ = LogisticRegression(C=self.C, max_iter=self.max_iter)
        self.model_.fit(self._design(accounts), labels)
        return self

    def _design(self, accounts: pl.DataFrame) -> np.ndarray:
        categories, numbers = _columns(accounts)
        scaled = np.nan_to_num((numbers - self.center_) / self.scale_, nan=0.0)
        return np.hstack([self.encoder_.transform(categories), scaled])

    def predict_proba(self, accounts: pl.DataFrame) -> np.ndarray:
        """Probability that each account is customer-like."""
        return self.model_.predict_proba(self._design(accounts))[:, 1]

    def contributions(self, accounts: pl.DataFrame) -> np.ndarray:
        """Per account and feature of ``feature_names_``: coefficient x value (log-odds)."""
        return self._design(accounts) * self.model_.coef_[0]

    def explain(self, accounts: pl.DataFrame, *, top: int = 3) -> pl.DataFrame:
        """Per account: its ``top`` features by absolute contribution, as data and text."""
        contributions = self.contributions(accounts)
        order = np.argsort(-np.abs(contributions), axis=1, kind="stable")[:, :top]
        rows = np.repeat(np.arange(accounts.height), order.shape[1])
        picked = order.ravel()
        names = np.array(self.feature_names_, dtype=object)
        employees, revenue = (
            accounts.select(_number_labels()).to_numpy().astype(object).T.reshape(2, -1)
        )
        first_number = len(names) - len(NUMBERS)
        feature = np.where(
            picked == first_number,
            employees[rows],
            np.where(picked == first_number + 1, revenue[rows], names[picked]),
        )
        long = pl.DataFrame(
            {
                "_row": rows,
                "feature": feature.astype(str),
                "contribution": contributions[rows, picked],
            }
        ).filter(pl.col("contribution") != 0)
        text = pl.format("{} ({})", "feature", _signed(pl.col("contribution")))
        grouped = long.group_by("_row").agg(
            pl.struct("feature", "contribution").alias("features"),
            text.str.join(", ").alias("explanation"),
        )
        return (
            pl.DataFrame({"_row": np.arange(accounts.height)})
            .join(grouped, on="_row", how="left", maintain_order="left")
            .drop("_row")
        )


def _columns(accounts: pl.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    categories = accounts.select(
        pl.col(schema.INDUSTRY).fill_null("unknown"),
        country_code(pl.col(schema.COUNTRY)).fill_null("unknown").alias(schema.COUNTRY),
    ).to_numpy()
    numbers = accounts.select(
        pl.col(c).cast(pl.Float64).clip(lower_bound=0).log1p() for c in NUMBERS
    ).to_numpy()
    return categories.astype(str), numbers.astype(np.float64)


def _number_labels() -> list[pl.Expr]:
    """'1,200 employees' and 'revenue 15.5M' (thousands separated by reversing the digits)."""
    digits = pl.col(schema.EMPLOYEES).cast(pl.String).str.reverse()
    grouped = digits.str.replace_all(r"(\d{3})", "$1,").str.reverse().str.strip_chars_start(",")
    revenue = (pl.col(schema.ANNUAL_REVENUE) / 1e6).round(1)
    return [
        pl.format("{} employees", grouped).alias("employees"),
        pl.format("revenue {}M", revenue).alias("revenue"),
    ]


def _signed(x: pl.Expr) -> pl.Expr:
    sign = pl.when(x >= 0).then(pl.lit("+")).otherwise(pl.lit("-"))
    return sign + x.abs().round(2).cast(pl.String)


def new_accounts(
    eco: Ecosystem,
    *,
    points: PointsTable | None = None,
    top_features: int = 3,
    min_customers: int = MIN_CUSTOMERS,
) -> pl.DataFrame:
    """Partners' customers that the vendor does not have at any status, ranked.

    One row per company: ``fit`` (``CustomerFit`` probability), the strongest partner
    that has it as a customer and that partner's ``strength``, ``score = fit x strength``,
    the partners that list it as a customer, and the features that explain ``fit``.
    With fewer than ``min_customers`` customer-like vendor accounts to learn from, no fit
    is made: ``fit`` and ``score`` are null, the rows follow the partners' strength and
    ``explanation`` says "fit from N customers: too few to rank".
    """
    vendor = eco.accounts.filter(pl.col(schema.LIST_OWNER) == VENDOR)
    strength = partner_strength(eco, table=points).join(
        eco.partners.select(PARTNER_ID, pl.col("name").alias("partner")), on=PARTNER_ID
    )
    customers = (
        eco.accounts.filter(
            pl.col(schema.LIST_OWNER) != VENDOR, pl.col(schema.STATUS) == schema.STATUS_CUSTOMER
        )
        .join(vendor.select(schema.COMPANY_ID), on=schema.COMPANY_ID, how="anti")
        .join(strength, left_on=schema.LIST_OWNER, right_on=PARTNER_ID)
        .sort("strength", descending=True, maintain_order=True)
        .group_by(schema.COMPANY_ID, maintain_order=True)
        .agg(
            *(pl.col(c).drop_nulls().first() for c in (schema.NAME, *CATEGORIES, *NUMBERS)),
            pl.col(schema.LIST_OWNER).first().alias(PARTNER_ID),
            pl.col("partner").first(),
            pl.col("strength").first(),
            pl.col(schema.LIST_OWNER).unique(maintain_order=True).alias("partners"),
        )
    )
    accounts, labels = training_set(eco)
    learned_from = int(labels.sum())
    if learned_from < min_customers:
        ranked = _unranked(customers, learned_from=learned_from, needed=min_customers)
        order = ["strength", schema.COMPANY_ID]
    else:
        ranked = _fitted(customers, CustomerFit().fit(accounts, labels), top=top_features)
        order = ["score", schema.COMPANY_ID]
    return (
        ranked.sort(order, descending=[True, False])
        .with_row_index("rank", offset=1)
        .with_columns(pl.col("rank").cast(pl.Int64))
    )


def _fitted(customers: pl.DataFrame, model: CustomerFit, *, top: int) -> pl.DataFrame:
    """``customers`` with the model's ``fit``, ``score`` and the features explaining them."""
    if not customers.height:
        return _unexplained(customers.with_columns(fit=None, score=None))
    explained = model.explain(customers, top=top)
    fitted = customers.with_columns(pl.Series("fit", model.predict_proba(customers), pl.Float64))
    scored = fitted.with_columns((pl.col("fit") * pl.col("strength")).alias("score"))
    return pl.concat([scored, explained], how="horizontal")


def _unranked(customers: pl.DataFrame, *, learned_from: int, needed: int) -> pl.DataFrame:
    """``customers`` without a fit, saying why: too few customers to learn one from."""
    said = f"fit from {learned_from} customers: too few to rank (needs {needed})"
    return _unexplained(customers.with_columns(fit=None, score=None)).with_columns(
        pl.lit(said).alias("explanation")
    )


def _unexplained(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(
        pl.col("fit", "score").cast(pl.Float64),
        pl.lit(None, pl.List(pl.Struct({"feature": pl.String, "contribution": pl.Float64}))).alias(
            "features"
        ),
        pl.lit(None, pl.String).alias("explanation"),
    )
