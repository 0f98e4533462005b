"""`overlap report`: scorecards that fit a terminal, and CSV one table at a time."""

from __future__ import annotations

import io
from pathlib import Path

import polars as pl
from typer.testing import CliRunner

from overlap.cli import app

SAMPLES = str(Path(__file__).parents[1] / "data" / "samples")
runner = CliRunner()


def report(*arguments: str) -> tuple[int, str]:
    result = runner.invoke(app, ["report", *arguments, "--data", SAMPLES, "--truth"])
    return result.exit_code, result.output


def in_one_line(output: str) -> str:
    """An error's text without the frame and line breaks of its panel."""
    return " ".join(output.replace("│", " ").split())


def test_scorecards_print_every_field_whole_one_partner_at_a_time():
    code, output = report("--table", "scorecards")
    assert code == 0, output
    assert "…" not in output
    assert output.count("Partner scorecard: ") == 5
    assert "Partner scorecard: Northgate Solutions" in output
    assert "avg_days_to_close_without" in output and "net_new_logos" in output
    assert "10,075,200" in output  # Northgate's overlap pipeline, in whole units


def test_the_whole_report_cuts_no_cell_short():
    code, output = report()
    assert code == 0, output
    assert "…" not in output
    assert "Overlap matrix" in output and "Partner lift" in output


def test_a_bare_csv_report_is_refused_naming_the_tables_and_the_out_dir():
    code, output = report("--format", "csv")
    said = in_one_line(output)
    assert code == 2
    assert "--table (matrix, scorecards, lift)" in said and "--out-dir" in said


def test_csv_with_table_is_one_table_under_one_header():
    code, output = report("--format", "csv", "--table", "scorecards")
    assert code == 0, output
    cards = pl.read_csv(io.StringIO(output))
    assert cards.height == 5
    assert cards.columns[:3] == ["partner_id", "name", "overlap_companies"]


def test_an_unknown_table_is_refused_naming_the_tables():
    code, output = report("--table", "deals")
    assert code == 2 and "choose matrix, scorecards, lift" in in_one_line(output)


def test_out_dir_writes_each_table_to_its_own_csv(tmp_path):
    code, output = report("--format", "csv", "--out-dir", str(tmp_path), "--partner", "PRT-002")
    assert code == 0, output
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "lift.csv",
        "matrix.csv",
        "scorecards.csv",
    ]
    matrix = pl.read_csv(tmp_path / "matrix.csv")
    assert set(matrix["partner_id"]) == {"PRT-002"}
    assert "companies" in matrix.columns
    assert pl.read_csv(tmp_path / "scorecards.csv")["partner_id"].to_list() == ["PRT-002"]
    assert pl.read_csv(tmp_path / "lift.csv")["partner_id"].to_list() == ["PRT-002"]
