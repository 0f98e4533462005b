"""``overlap backtest``: the JSON contract outside evaluations rely on, on any folder."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from overlap.cli import app
from overlap.ecosystem.methods import METHODS

runner = CliRunner()
KEYS = {"method", "deals", "precision_at_1", "hit_rate_at_3", "ndcg_at_5", "mrr"}
VENDOR = (
    "Account ID,Account Name,Website,Type,Created Date\n"
    "V1,Kestrel Foods,kestrelfoods.com,Customer,2020-01-01\n"
    "V2,Zephyr Tools,zephyr.com,Prospect,2020-01-01\n"
)
DEALS = (
    "deal_id,account_id,product,created_date,close_date,outcome,partner_id\n"
    "D1,V1,Atlas,2024-01-01,2024-02-01,won,PRT-1\n"
    "D2,V2,Atlas,2024-03-01,2024-04-01,lost,\n"
    "D3,V2,Atlas,2024-05-01,2024-07-01,won,PRT-2\n"
    "D4,V1,Unknown product,2024-06-01,2024-08-01,won,PRT-1\n"
)
TRUTH = "file,id,entity_id\nvendor_crm.csv,V1,1\nvendor_crm.csv,V2,2\np1.csv,1,1\np2.csv,1,2\n"


def folder(tmp_path: Path, *, deals: str = DEALS, truth: bool = True) -> Path:
    """Two partners whose lists were exported on 2024-04-15, four deals, ground truth."""
    (tmp_path / "vendor_crm.csv").write_text(VENDOR)
    (tmp_path / "p1.csv").write_text("Company,Website\nKestrel Foods GmbH,kestrelfoods.com\n")
    (tmp_path / "p2.csv").write_text("Company,Website\nZephyr Tools,zephyr.com\n")
    (tmp_path / "partners.csv").write_text(
        "partner_id,file,as_of\nPRT-1,p1.csv,2024-04-15\nPRT-2,p2.csv,2024-04-15\n"
    )
    (tmp_path / "deals.csv").write_text(deals)
    if truth:
        (tmp_path / "ground_truth.csv").write_text(TRUTH)
    return tmp_path


def _json(tmp_path: Path, *args: str) -> list[dict[str, object]]:
    result = runner.invoke(app, ["backtest", "--data", str(tmp_path), *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert isinstance(rows, list)
    return rows


def test_json_is_one_object_per_method_with_the_contract_keys(tmp_path: Path) -> None:
    rows = _json(folder(tmp_path), "--truth")
    assert [r["method"] for r in rows] == list(METHODS)
    assert all(set(r) >= KEYS for r in rows)
    assert {r["deals"] for r in rows} == {2}
    assert {r["lists"] for r in rows} == {"as_of"}


def test_a_folder_without_test_deals_reports_zero_deals_and_null_figures(tmp_path: Path) -> None:
    rows = _json(folder(tmp_path, deals=DEALS.splitlines()[0] + "\n"), "--truth")
    assert {r["deals"] for r in rows} == {0}
    assert all(r[k] is None for r in rows for k in KEYS - {"method", "deals"})


def test_truth_without_a_ground_truth_file_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["backtest", "--data", str(folder(tmp_path, truth=False)), "--truth"]
    )
    assert result.exit_code == 2
    assert "ground_truth.csv" in result.output and "Traceback" not in result.output


def test_a_deal_date_that_is_not_a_date_names_the_file_row_and_column(tmp_path: Path) -> None:
    broken = DEALS.replace("2024-05-01", "May 1st")
    result = runner.invoke(app, ["backtest", "--data", str(folder(tmp_path, deals=broken))])
    assert result.exit_code == 2
    assert "deals.csv" in result.output and "created_date" in result.output
