"""`overlap rank`, `recommend` and `report` on the samples, in each output format."""

from __future__ import annotations

import io
import json
import re
from collections import Counter
from pathlib import Path

import polars as pl
from typer.testing import CliRunner

from overlap.cli import app

SAMPLES = str(Path(__file__).parents[1] / "data" / "samples")
runner = CliRunner()


def run(*arguments: str) -> str:
    result = runner.invoke(app, [*arguments, "--data", SAMPLES, "--truth"])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_rank_shows_co_sell_and_new_accounts_with_their_reasons():
    output = run("rank", "--limit", "3")
    assert "Co-sell" in output and "New accounts" in output
    assert "Northgate Solutions" in output


def test_rank_shows_at_most_two_opportunities_per_partner_and_how_many_more():
    output = run("rank", "--format", "json")
    co_sell = json.loads(output.split("\n]\n")[0] + "\n]")
    assert len(co_sell) == 10
    assert max(Counter(row["partner"] for row in co_sell).values()) == 2
    notes = [row["note"] for row in co_sell if row["note"] is not None]
    assert notes and all(re.fullmatch(r"\+\d+ more with .+", note) for note in notes)


def test_rank_reasons_say_the_win_record_beside_the_shrunk_rate():
    output = run("rank", "--format", "json")
    co_sell = json.loads(output.split("\n]\n")[0] + "\n]")
    assert all("after shrinking toward the partner average" in row["reason"] for row in co_sell)


def test_rank_gives_each_opportunity_its_win_probability_uplift_and_deals_behind_them():
    output = run("rank", "--format", "json")
    co_sell = json.loads(output.split("\n]\n")[0] + "\n]")
    for row in co_sell:
        assert 0.0 <= row["win_probability"] <= 1.0
        assert -1.0 <= row["uplift"] <= 1.0
        assert f"from {row['similar_deals']} similar deals" in row["reason"]


def test_recommend_as_csv_has_the_partners_and_their_evidence():
    frame = pl.read_csv(io.StringIO(run("recommend", "Gulf Coast Computing", "--format", "csv")))
    assert frame.columns == [
        "rank", "partner", "role", "relationship", "score", "factors_used", "reason",
        "win_probability", "win_probability_without", "uplift", "similar_deals",
    ]  # fmt: skip
    assert frame.height == 5
    assert frame["reason"].str.contains("Gulf Coast Computing").all()


def test_report_as_json_covers_every_partner():
    output = run("report", "--partner", "PRT-002", "--format", "json")
    matrix = json.loads(output.split("\n]\n")[0] + "\n]")
    assert {row["partner_id"] for row in matrix} == {"PRT-002"}
    assert sum(row["companies"] for row in matrix) > 0


def test_an_unknown_account_is_a_clear_error():
    result = runner.invoke(
        app, ["recommend", "No Such Company Anywhere", "--data", SAMPLES, "--truth"]
    )
    assert result.exit_code == 2
    assert "No Such Company Anywhere" in result.output
