"""The ranking factors, declared once: what each weighs, where its value comes from, what it says.

A score adds up factors: each a value in [0, 1] (null when unknown) times its weight in
``Weights``. ``co_sell`` (``overlap.ecosystem.rank``) computes ``CO_SELL_FACTORS`` for
every open opportunity and partner in polars and divides by the weights of the factors
known for the row, so an unknown factor neither helps nor hurts; the ``Recommender``
(``overlap.ecosystem.recommend``) computes ``RECOMMEND_FACTORS`` for one account's
partners in numpy and divides by ``Weights.total``. Both say why with the phrases of
``FACTORS``: ``reason`` for a row built in Python, ``reason_expr`` for a frame.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from string import Formatter

import polars as pl

from overlap import schema
from overlap.errors import ConfigError

RELATIONSHIP = "relationship"
RECENCY = "recency"
ROLE_FIT = "role_fit"
CERTIFICATION = "certification"
WIN_RATE = "win_rate"
SIMILAR_WINS = "similar_wins"
DEAL_SIZE = "deal_size"
STRENGTH = "strength"

LISTED = "listed"
"""Relationship of a partner record that states no status (a bare list of names)."""

RELATIONSHIP_VALUE: Mapping[str, float] = {
    schema.STATUS_CUSTOMER: 1.0,
    schema.STATUS_OPPORTUNITY: 0.6,
    LISTED: 0.4,
    schema.STATUS_PROSPECT: 0.3,
    schema.STATUS_CHURNED: 0.1,
    schema.STATUS_PARTNER: 0.1,
}
RELATIONSHIP_PHRASE: Mapping[str, str] = {
    schema.STATUS_CUSTOMER: "as a customer",
    schema.STATUS_OPPORTUNITY: "as an open opportunity",
    LISTED: "on its account list",
    schema.STATUS_PROSPECT: "as a prospect",
    schema.STATUS_CHURNED: "as a former customer",
    schema.STATUS_PARTNER: "as a partner",
}


@dataclass(frozen=True)
class Factor:
    """One ranking factor: its name (also its ``Weights`` field), its source, its phrase.

    ``says`` is the evidence the factor gives in a reason (empty: none): a template whose
    ``{fields}`` the ranking fills in, said when every field is known; ``otherwise`` is
    said instead when its own fields are known (a factor that is known but adds nothing,
    so that the reason says every factor the score counts). An ``aside`` is said after a
    semicolon at the end of the sentence rather than as one of its clauses.
    """

    name: str
    reads: str
    says: str = ""
    otherwise: str = ""
    aside: bool = False


FACTORS: tuple[Factor, ...] = (
    Factor(
        RELATIONSHIP,
        "the partner's best relationship with the company (RELATIONSHIP_VALUE)",
        "{partner} ({partner_type}) has {relationship}",
    ),
    Factor(
        RECENCY,
        "halves every half_life_days since the partner's record of the company, or its "
        "touch of a deal with it, was last dated",
        "its latest record of the account is {recency_days} days old",
        aside=True,
    ),
    Factor(
        ROLE_FIT,
        "1 when the partner's role fits the stage group of the opportunity (STAGE_ROLES)",
        "fits the {stage} stage",
        otherwise="does not fit the {unfit_stage} stage",
    ),
    Factor(
        CERTIFICATION,
        "share of the opportunity's products the partner is certified for",
        "is certified for {certified}",
        otherwise="is not certified for {uncertified}",
    ),
    Factor(
        WIN_RATE,
        "the partner's co-sell win rate, shrunk toward the rate of all partners by "
        "prior_deals pseudo-deals (empirical Bayes: 2 wins out of 2 is not 100%)",
        "won {wins} of {deal_count}, {shrunk_rate} after shrinking toward the partner "
        "average{too_few}",
        aside=True,
    ),
    Factor(
        SIMILAR_WINS,
        "the partner's shrunk win rate on deals with accounts of the same industry",
        "won {industry_wins} of {industry_deals} {industry} deals",
        aside=True,
    ),
    Factor(
        DEAL_SIZE,
        "the opportunity's amount as a percentile of all open opportunities",
        "deal size at percentile {size_percentile} of the open opportunities",
        aside=True,
    ),
    Factor(
        STRENGTH,
        "the partner programme's strength (overlap.ecosystem.points)",
        "programme strength {strength_said}",
        aside=True,
    ),
)
"""Every factor, in the order the evidence lists them."""

SAID = (
    RELATIONSHIP,
    CERTIFICATION,
    ROLE_FIT,
    WIN_RATE,
    SIMILAR_WINS,
    RECENCY,
    DEAL_SIZE,
    STRENGTH,
)
"""The order a reason says the factors in: what the partner has, brings, has won, the rest."""

TOO_FEW_TO_RATE = ": too few deals to rate"
"""Said after a shrunk win rate resting on fewer deals than the prior's pseudo-deals."""

CO_SELL_FACTORS = tuple(f.name for f in FACTORS if f.name != SIMILAR_WINS)
RECOMMEND_FACTORS = tuple(f.name for f in FACTORS if f.name != DEAL_SIZE)

_BY_NAME = {f.name: f for f in FACTORS}
_CONSTANTS = ("prior_deals", "half_life_days")


@dataclass(frozen=True)
class Weights:
    """Weight of each factor, and the two constants the factors need.

    Raises ConfigError, naming the field, for a negative or non-finite weight, a
    constant that is not positive, or factor weights that are all zero.
    """

    relationship: float = 3.0
    recency: float = 0.5
    role_fit: float = 1.5
    certification: float = 1.5
    win_rate: float = 2.0
    similar_wins: float = 1.0
    deal_size: float = 0.5
    strength: float = 1.0
    prior_deals: float = 10.0
    half_life_days: float = 365.0

    def __post_init__(self) -> None:
        for field in fields(self):
            value = getattr(self, field.name)
            if not math.isfinite(value) or value < 0:
                raise ConfigError(f"Weights.{field.name} must be finite and >= 0, got {value}")
            if field.name in _CONSTANTS and value == 0:
                raise ConfigError(f"Weights.{field.name} must be positive, got {value}")
        if not any(self.of(f.name for f in FACTORS)):
            names = ", ".join(f.name for f in FACTORS)
            raise ConfigError(f"Weights: every factor weight ({names}) is 0; give one a weight")

    def of(self, names: Iterable[str]) -> tuple[float, ...]:
        """The weights of the factors ``names``, in their order."""
        return tuple(float(getattr(self, name)) for name in names)

    def total(self, names: Iterable[str]) -> float:
        """What a sum of weighted factors is divided by: their weights' sum (1 if zero)."""
        return sum(self.of(names)) or 1.0


def reason(evidence: Mapping[str, object], factors: Iterable[str]) -> str:
    """The sentence that says why, from the evidence of one row (None where unknown)."""
    said = _said(factors)
    clauses = [c for f in said if not f.aside if (c := _say(f, evidence)) is not None]
    asides = [c for f in said if f.aside if (c := _say(f, evidence)) is not None]
    head = "".join(clauses) if len(clauses) < 2 else f"{', '.join(clauses[:-1])} and {clauses[-1]}"
    return head + "".join(f"; {aside}" for aside in asides)


def reason_expr(evidence: Mapping[str, pl.Expr], factors: Iterable[str]) -> pl.Expr:
    """``reason`` of every row of a frame, from expressions of the evidence (null: unknown)."""
    said = _said(factors)
    clauses = pl.concat_list(_say_expr(f, evidence) for f in said if not f.aside).list.drop_nulls()
    n = clauses.list.len()
    head = (
        pl.when(n == 1)
        .then(clauses.list.first())
        .otherwise(clauses.list.head(n - 1).list.join(", ") + " and " + clauses.list.last())
    )
    asides = [(pl.lit("; ") + _say_expr(f, evidence)).fill_null("") for f in said if f.aside]
    return pl.concat_str([head, *asides])


def relationship_words(account: str, status: str | None) -> str:
    """What a partner has: "Acme as a customer", or "no relationship with Acme" (status None)."""
    if status is None:
        return f"no relationship with {account}"
    return f"{account} {RELATIONSHIP_PHRASE.get(status, RELATIONSHIP_PHRASE[LISTED])}"


def relationship_words_expr(account: pl.Expr, status: pl.Expr) -> pl.Expr:
    """``relationship_words`` of every row whose partner lists the account."""
    phrase = status.replace_strict(
        RELATIONSHIP_PHRASE, default=RELATIONSHIP_PHRASE[LISTED], return_dtype=pl.String
    )
    return pl.format("{} {}", account, phrase)


def counted(n: int, noun: str) -> str:
    """A number of things in words: ``counted(1, "deal")`` is "1 deal", then "2 deals"."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def counted_expr(n: pl.Expr, noun: str) -> pl.Expr:
    """``counted`` of every row."""
    return pl.format(
        "{} {}{}", n, pl.lit(noun), pl.when(n == 1).then(pl.lit("")).otherwise(pl.lit("s"))
    )


def win_words(wins: int, deals: int, rate: float, *, prior_deals: float) -> dict[str, object]:
    """The evidence the win-rate phrase says: the raw record and the shrunk rate beside it."""
    return {
        "wins": wins,
        "deal_count": counted(deals, "co-sell deal"),
        "shrunk_rate": f"{rate:.2f}",
        "too_few": TOO_FEW_TO_RATE if deals < prior_deals else "",
    }


def win_words_expr(
    wins: pl.Expr, deals: pl.Expr, rate: pl.Expr, *, prior_deals: float
) -> dict[str, pl.Expr]:
    """``win_words`` of every row; null (nothing said) where the partner has no deals."""
    known = deals > 0
    return {
        "wins": pl.when(known).then(wins),
        "deal_count": counted_expr(deals, "co-sell deal"),
        "shrunk_rate": rate.round(2).cast(pl.String).str.pad_end(4, "0"),
        "too_few": pl.when(deals < prior_deals).then(pl.lit(TOO_FEW_TO_RATE)).otherwise(pl.lit("")),
    }


def _said(factors: Iterable[str]) -> list[Factor]:
    ranked = set(factors)
    return [_BY_NAME[name] for name in SAID if name in ranked and _BY_NAME[name].says]


def _fields(template: str) -> list[tuple[str, str | None]]:
    """(literal text, field name or None) pairs of a ``says`` template."""
    return [(text, name) for text, name, _, _ in Formatter().parse(template)]


def _say(factor: Factor, evidence: Mapping[str, object]) -> str | None:
    for template in (factor.says, factor.otherwise):
        names = [name for _, name in _fields(template) if name is not None]
        values = {name: evidence.get(name) for name in names}
        if template and all(v is not None for v in values.values()):
            return template.format(**values)
    return None


def _say_expr(factor: Factor, evidence: Mapping[str, pl.Expr]) -> pl.Expr:
    said = pl.lit(None, pl.String)
    for template in reversed([t for t in (factor.says, factor.otherwise) if t]):
        parts = _fields(template)
        if any(name is not None and name not in evidence for _, name in parts):
            continue
        text = "".join(part + ("{}" if name is not None else "") for part, name in parts)
        phrase = pl.format(text, *(evidence[name] for _, name in parts if name is not None))
        said = pl.coalesce(phrase, said)
    return said
