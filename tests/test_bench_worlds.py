"""The worlds of bench/worlds.py: loadable folders, one per seed, lists dated before use."""

import json
import sys
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parents[1] / "bench"))

from overlap.cli import app
from overlap.ecosystem.data import AS_OF, VENDOR
from overlap.ecosystem.load import load_ecosystem
from ranking import oracle_row
from worlds import write_world

SIZES = {"n_accounts": 150, "n_partners": 4, "n_deals": 300}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_world(3, tmp_path_factory.mktemp("world"), **SIZES)


def test_a_seeded_world_loads_as_an_ecosystem_with_its_truth(world: Path) -> None:
    eco = load_ecosystem(world, companies="truth")
    assert eco.partners.height == 4
    assert eco.deals.height == 300
    assert eco.accounts.filter(pl.col("owner") == VENDOR).height == 150


def test_the_same_seed_writes_the_same_files(world: Path, tmp_path: Path) -> None:
    again = write_world(3, tmp_path / "again", **SIZES)
    names = sorted(p.name for p in world.iterdir())
    assert names == sorted(p.name for p in again.iterdir())
    assert all((world / n).read_bytes() == (again / n).read_bytes() for n in names)


def test_two_seeds_draw_different_structures(world: Path, tmp_path: Path) -> None:
    other = write_world(4, tmp_path / "other", **SIZES)
    drawn = [json.loads((w / "world.json").read_text())["structure"] for w in (world, other)]
    assert drawn[0] != drawn[1]


def test_a_list_names_only_companies_its_partner_met_before_the_export_date(
    world: Path,
) -> None:
    eco = load_ecosystem(world, companies="truth")
    cutoff = date.fromisoformat(json.loads((world / "world.json").read_text())["cutoff"])
    lists = eco.accounts.filter(pl.col("owner") != VENDOR).select("owner", "company_id", AS_OF)
    assert lists[AS_OF].null_count() == 0
    assert lists[AS_OF].max() < cutoff
    # a company in a later snapshot but not the first was met through a deal before it
    first = lists.filter(pl.col(AS_OF) == pl.col(AS_OF).min().over("owner"))
    gained = lists.join(first, on=["owner", "company_id"], how="anti")
    vendor = eco.accounts.filter(pl.col("owner") == VENDOR).select(
        pl.col("id").alias("account_id"), "company_id"
    )
    touches = eco.deals.join(vendor, on="account_id").select(
        pl.col("partner_id").alias("owner"), "company_id", "partner_touch_date"
    )
    met = gained.join(touches, on=["owner", "company_id"]).filter(
        pl.col("partner_touch_date") <= pl.col(AS_OF)
    )
    assert gained.height > 0
    assert met.select("owner", "company_id").unique().height == gained.height


def test_the_backtest_json_contract_holds_on_a_world_and_the_oracle_ranks_its_deals(
    world: Path,
) -> None:
    result = CliRunner().invoke(
        app, ["backtest", "--data", str(world), "--truth", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    oracle = oracle_row(json.loads((world / "world.json").read_text()))
    assert {r["deals"] for r in rows} == {oracle["deals"]}
    assert oracle["deals"] > 0
    assert 0.0 <= oracle["precision_at_1"] <= 1.0


def test_leaky_lists_are_undated_and_list_only_the_companies_each_partner_met(
    tmp_path: Path,
) -> None:
    eco = load_ecosystem(write_world(3, tmp_path, leaky_lists=True, **SIZES), companies="truth")
    lists = eco.accounts.filter(pl.col("owner") != VENDOR)
    assert lists[AS_OF].null_count() == lists.height
    companies = 150 + 150 // 2
    assert 0 < lists.group_by("owner").len()["len"].max() < companies
