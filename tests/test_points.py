import pytest

from overlap.ecosystem.points import PointsTable, partner_points, partner_strength
from overlap.errors import ConfigError
from rank_world import deals, partner, world

VENDOR_CUSTOMER = {"id": "v1", "name": "Acme", "company": "acme", "status": "customer"}


def test_points_are_seed_points_plus_each_activity_times_its_value() -> None:
    eco = world(
        [VENDOR_CUSTOMER],
        {"A": [{"name": "Acme", "company": "acme", "status": "customer"}]},
        [partner("A", points=500, certifications=["Atlas Platform"])],
        deals("A", won=2, lost=1),  # Atlas Platform: an implementation-heavy family
    )
    table = PointsTable(
        registered_deal=1, co_sell_win=10, certification=100, implementation=1000, shared_customer=5
    )
    row = partner_points(eco, table=table).row(0, named=True)
    assert row == {
        "partner_id": "A",
        "seed_points": 500,
        "registered_deal": 3,
        "co_sell_win": 2,
        "certification": 1,
        "implementation": 2,
        "shared_customer": 1,
        "points": 500 + 3 + 20 + 100 + 2000 + 5,
    }


def test_a_higher_tier_makes_a_partner_with_equal_points_stronger() -> None:
    eco = world([], {}, [partner("A", tier="silver"), partner("B", tier="platinum")])
    strength = partner_strength(eco)["strength"].to_list()
    assert strength[0] < strength[1] <= 1.0


def test_more_points_make_a_partner_of_equal_tier_stronger() -> None:
    eco = world([], {}, [partner("A", points=100), partner("B", points=5000)])
    strength = partner_strength(eco, tier_share=0.0)["strength"].to_list()
    assert strength == pytest.approx([0.5413, 1.0], abs=1e-3)


def test_a_tier_share_outside_zero_to_one_is_refused() -> None:
    eco = world([], {}, [partner("A")])
    with pytest.raises(ConfigError, match="tier_share"):
        partner_strength(eco, tier_share=1.5)
