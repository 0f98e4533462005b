from datetime import date
from typing import Any

import polars as pl
import pytest

from overlap.ecosystem.factors import CO_SELL_FACTORS, FACTORS, Weights
from overlap.ecosystem.rank import co_sell, stage_group, top_co_sell, win_rates
from overlap.errors import ConfigError
from rank_world import deals, partner, world

OPPORTUNITY = {
    "id": "v1",
    "name": "Acme Corp",
    "company": "acme",
    "status": "opportunity",
    "stage": "Proposal",
    "amount": 50000.0,
    "products": "Atlas Workflow",
}


def two_partners(
    a: dict[str, Any] | None = None,
    b: dict[str, Any] | None = None,
    *,
    record_a: dict[str, Any] | None = None,
    record_b: dict[str, Any] | None = None,
    deal_rows: list[dict[str, Any]] | None = None,
    weights: Weights | None = None,
) -> list[str]:
    """Partner ids of Acme's opportunity in co-sell order; A and B equal unless told."""
    eco = world(
        [OPPORTUNITY],
        {
            "A": [{"name": "Acme", "company": "acme", "status": "customer"} | (record_a or {})],
            "B": [{"name": "ACME", "company": "acme", "status": "customer"} | (record_b or {})],
        },
        [partner("A", **(a or {})), partner("B", **(b or {}))],
        deal_rows or [],
    )
    return co_sell(eco, weights=weights).sort("rank_in_opportunity")["partner_id"].to_list()


def test_a_partner_with_the_company_as_customer_beats_one_with_it_as_prospect() -> None:
    assert two_partners(record_a={"status": "prospect"}) == ["B", "A"]
    assert two_partners(record_b={"status": "prospect"}) == ["A", "B"]


def test_a_partner_certified_for_the_opportunitys_product_beats_one_that_is_not() -> None:
    assert two_partners(b={"certifications": ["Atlas Workflow"]}) == ["B", "A"]


def test_a_partner_whose_role_fits_the_stage_beats_one_whose_role_does_not() -> None:
    # Proposal is a solution stage: build and sell fit, advise does not.
    assert two_partners(a={"role": "advise"}, b={"role": "build"}) == ["B", "A"]


def test_a_higher_co_sell_win_rate_beats_a_lower_one() -> None:
    history = deals("A", won=3, lost=7) + deals("B", won=8, lost=2)
    # Wins also earn programme points; strength is weighed out to see the win rate alone.
    assert two_partners(deal_rows=history, weights=Weights(strength=0.0)) == ["B", "A"]


def test_two_wins_out_of_two_do_not_beat_forty_out_of_fifty() -> None:
    others = deals("C", won=10, lost=40)  # all partners together win about half their deals
    history = deals("A", won=2, lost=0) + deals("B", won=40, lost=10) + others
    assert two_partners(deal_rows=history, weights=Weights(strength=0.0)) == ["B", "A"]


def test_shrinkage_pulls_a_short_record_toward_the_rate_of_all_partners() -> None:
    history = pl.DataFrame(deals("A", won=2, lost=0) + deals("B", won=10, lost=10))
    rates = win_rates(history, pl.Series(["A", "B", "C"]), prior_deals=10.0)
    overall = 12 / 22
    assert rates["win_rate"].to_list() == pytest.approx(
        [(2 + 10 * overall) / 12, (10 + 10 * overall) / 30, overall]
    )


def test_a_recently_dated_relationship_beats_an_old_one() -> None:
    recent = {"created_date": date(2024, 6, 1)}
    old = {"created_date": date(2019, 6, 1)}
    assert two_partners(record_a=old, record_b=recent) == ["B", "A"]


def test_a_stronger_partner_in_the_programme_beats_a_weaker_one() -> None:
    assert two_partners(a={"tier": "registered"}, b={"tier": "platinum"}) == ["B", "A"]


def test_a_larger_opportunity_ranks_higher_overall() -> None:
    small = OPPORTUNITY | {"id": "v2", "name": "Small Co", "company": "small", "amount": 500.0}
    eco = world(
        [small, OPPORTUNITY],
        {"A": [{"name": "Acme", "company": "acme"}, {"name": "Small", "company": "small"}]},
        [partner("A")],
    )
    assert co_sell(eco)["opportunity_id"].to_list() == ["v1", "v2"]


def test_only_open_opportunities_that_a_partner_knows_are_listed() -> None:
    eco = world(
        [
            OPPORTUNITY,
            {"id": "v2", "name": "Buyer", "company": "buyer", "status": "customer"},
            {"id": "v3", "name": "Lonely", "company": "lonely", "status": "opportunity"},
            {"id": "v4", "name": "Lost", "company": "lost", "stage": "Closed Lost"},
        ],
        {"A": [{"name": n, "company": n.lower()} for n in ("Acme", "Buyer", "Lost")]},
        [partner("A")],
    )
    assert co_sell(eco)["opportunity_id"].to_list() == ["v1"]


def test_the_reason_names_the_partner_the_relationship_and_the_factors() -> None:
    eco = world(
        [OPPORTUNITY],
        {"A": [{"id": "r9", "name": "Acme", "company": "acme", "status": "customer"}]},
        [partner("A", name="Northgate", certifications=["Atlas Workflow"])],
        deals("A", won=3, lost=1) + deals("B", won=11, lost=5),
    )
    row = co_sell(eco).row(0, named=True)
    assert row["reason"] == (
        "Northgate (reseller) has Acme Corp as a customer, is certified for Atlas Workflow"
        " and fits the Proposal stage; won 3 of 4 co-sell deals, 0.71 after shrinking toward"
        " the partner average: too few deals to rate; deal size at percentile 100 of the open"
        " opportunities; programme strength 0.88"
    )
    assert row["edges"] == [{"id": "r9", "status": "customer"}]


def test_a_partner_with_enough_deals_has_its_shrunk_rate_said_without_a_warning() -> None:
    eco = world(
        [OPPORTUNITY],
        {"A": [{"name": "Acme", "company": "acme"}]},
        [partner("A")],
        deals("A", won=15, lost=5),
    )
    assert (
        "won 15 of 20 co-sell deals, 0.75 after shrinking toward the partner average;"
        in (co_sell(eco)["reason"][0])
    )


def test_the_evidence_lists_the_known_factors_with_their_value_weight_and_contribution() -> None:
    eco = world([OPPORTUNITY], {"A": [{"name": "Acme", "company": "acme"}]}, [partner("A")])
    factors = co_sell(eco)["factors"][0].to_list()
    # no deals (win rate) and no dated record (recency): unknown, so not listed
    assert [f["factor"] for f in factors] == [
        f for f in CO_SELL_FACTORS if f not in ("recency", "win_rate")
    ]
    for f in factors:
        assert f["contribution"] == pytest.approx(f["value"] * f["weight"])
    by_name = {f["factor"]: f for f in factors}
    assert by_name["relationship"]["value"] == 0.4  # listed without a status
    assert by_name["certification"]["value"] == 0.0


def test_the_score_is_over_the_weights_of_the_known_factors_only() -> None:
    eco = world([OPPORTUNITY], {"A": [{"name": "Acme", "company": "acme"}]}, [partner("A")])
    row = co_sell(eco).row(0, named=True)
    weights = sum(f["weight"] for f in row["factors"])
    assert weights < Weights().total(CO_SELL_FACTORS)
    assert row["score"] == pytest.approx(sum(f["contribution"] for f in row["factors"]) / weights)


def test_an_unknown_recency_neither_helps_nor_hurts() -> None:
    undated = co_sell(
        world([OPPORTUNITY], {"A": [{"name": "Acme", "company": "acme"}]}, [partner("A")])
    )["score"][0]
    without = co_sell(
        world([OPPORTUNITY], {"A": [{"name": "Acme", "company": "acme"}]}, [partner("A")]),
        weights=Weights(recency=0.0),
    )["score"][0]
    assert undated == pytest.approx(without)


def test_recency_comes_from_the_partners_latest_touch_of_a_deal_with_the_company() -> None:
    touched = deals("A", won=1, lost=0, partner_touch_date=date(2024, 2, 1))
    eco = world(
        [OPPORTUNITY | {"close_date": date(2024, 3, 2)}],
        {"A": [{"name": "Acme", "company": "acme"}]},
        [partner("A")],
        touched,
    )
    row = co_sell(eco).row(0, named=True)
    recency = {f["factor"]: f["value"] for f in row["factors"]}["recency"]
    assert recency == pytest.approx(0.5 ** (30 / 365))
    assert "its latest record of the account is 30 days old" in row["reason"]


def test_every_factor_the_evidence_lists_is_said_and_every_one_said_is_listed() -> None:
    eco = world(
        [OPPORTUNITY],
        {"A": [{"name": "Acme", "company": "acme", "created_date": date(2024, 1, 1)}]},
        [partner("A", role="advise")],
        deals("A", won=1, lost=1),
    )
    row = co_sell(eco).row(0, named=True)
    phrases = {
        "relationship": "has Acme Corp on its account list",
        "recency": "its latest record of the account is",
        "role_fit": "does not fit the Proposal stage",
        "certification": "is not certified for Atlas Workflow",
        "win_rate": "won 1 of 2 co-sell deals",
        "deal_size": "deal size at percentile",
        "strength": "programme strength",
    }
    listed = {f["factor"] for f in row["factors"]}
    said = {factor for factor, phrase in phrases.items() if phrase in row["reason"]}
    assert listed == said == set(CO_SELL_FACTORS)


def test_the_top_list_shows_at_most_two_opportunities_per_partner_and_how_many_more() -> None:
    opportunities = [
        OPPORTUNITY | {"id": f"v{n}", "name": f"Co {n}", "company": f"c{n}", "amount": 1000.0 * n}
        for n in range(1, 7)
    ]
    lists = {
        "A": [{"name": f"Co {n}", "company": f"c{n}", "status": "customer"} for n in range(1, 6)],
        "B": [{"name": "Co 6", "company": "c6"}, {"name": "Co 1", "company": "c1"}],
    }
    eco = world(opportunities, lists, [partner("A", name="Northgate"), partner("B")])
    top = top_co_sell(co_sell(eco), limit=10)
    assert top["partner_id"].to_list() == ["A", "A", "B"]
    assert top["opportunity_id"].to_list() == ["v5", "v4", "v6"]
    assert top["more_with_partner"].to_list() == [3, 3, 0]
    assert top["note"].to_list() == ["+3 more with Northgate", "+3 more with Northgate", None]


def test_the_top_list_stops_at_its_limit() -> None:
    opportunities = [
        OPPORTUNITY | {"id": f"v{n}", "name": f"Co {n}", "company": f"c{n}"} for n in range(1, 4)
    ]
    lists = {p: [{"name": f"Co {n}", "company": f"c{n}"}] for n, p in enumerate("ABC", start=1)}
    eco = world(opportunities, lists, [partner(p) for p in "ABC"])
    assert top_co_sell(co_sell(eco), limit=2)["opportunity_id"].to_list() == ["v1", "v2"]


def test_stages_fall_into_groups_whatever_the_crm_calls_them() -> None:
    stages = pl.Series(
        ["Prospecting", "Needs Analysis", "Proposal/Price Quote", "Negotiation/Review"]
    )
    groups = pl.select(stage_group(pl.lit(stages))).to_series().to_list()
    assert groups == ["early", "solution", "solution", "closing"]


def test_negative_weights_are_refused() -> None:
    eco = world([OPPORTUNITY], {}, [partner("A")])
    with pytest.raises(ConfigError, match="relationship"):
        co_sell(eco, weights=Weights(relationship=-1.0))


@pytest.mark.parametrize("value", [float("nan"), float("inf")])
def test_weights_that_are_not_finite_are_refused(value: float) -> None:
    with pytest.raises(ConfigError, match=r"Weights\.certification"):
        Weights(certification=value)


def test_weights_that_are_all_zero_are_refused() -> None:
    with pytest.raises(ConfigError, match="every factor weight"):
        Weights(**dict.fromkeys((f.name for f in FACTORS), 0.0))


def test_constants_must_be_positive() -> None:
    with pytest.raises(ConfigError, match=r"Weights\.half_life_days"):
        Weights(half_life_days=0.0)


def test_a_factor_weighed_zero_is_neither_listed_nor_said() -> None:
    eco = world([OPPORTUNITY], {"A": [{"name": "Acme", "company": "acme"}]}, [partner("A")])
    row = co_sell(eco, weights=Weights(strength=0.0)).row(0, named=True)
    assert "strength" not in {f["factor"] for f in row["factors"]}
    assert "programme strength" not in row["reason"]
