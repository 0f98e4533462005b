"""`overlap search`, and `overlap recommend` given a name that is not quite right."""

from __future__ import annotations

import io
from pathlib import Path

import polars as pl
from typer.testing import CliRunner

from overlap.cli import app

SAMPLES = str(Path(__file__).parents[1] / "data" / "samples")
runner = CliRunner()


def invoke(*arguments: str, data: str = SAMPLES) -> tuple[int, str, str]:
    result = runner.invoke(app, [*arguments, "--data", data, "--truth"])
    return result.exit_code, result.stdout, result.stderr


def test_search_lists_the_closest_accounts_best_first_as_csv() -> None:
    code, out, _ = invoke("search", "Gulf Coast", "--format", "csv")
    assert code == 0
    found = pl.read_csv(io.StringIO(out))
    assert found.columns == ["id", "name", "status", "company_id", "score"]
    assert found.height == 10  # the ten Gulf Coast firms, in name order
    assert "Gulf Coast Computing LLC" in found["name"].to_list()
    assert found["name"].str.starts_with("Gulf Coast ").all()


def test_search_forgives_a_typo_and_honours_the_limit() -> None:
    code, out, _ = invoke("search", "Gulf Cost Computing", "--limit", "1", "--format", "csv")
    assert code == 0
    assert pl.read_csv(io.StringIO(out))["name"].to_list() == ["Gulf Coast Computing LLC"]


def test_search_with_nothing_alike_says_so_and_exits_1() -> None:
    code, out, err = invoke("search", "zzzzqqqq xxyy")
    assert (code, out) == (1, "")
    assert "zzzzqqqq xxyy" in err


def test_recommend_gulf_coast_lists_the_accounts_it_might_mean_and_exits_1() -> None:
    code, out, err = invoke("recommend", "Gulf Coast")
    assert (code, out) == (1, "")
    assert "no account matches 'Gulf Coast'; did you mean:" in err
    assert "Gulf Coast Computing LLC (id 0015g00000QxaTDAAZ, customer)" in err


def test_recommend_a_misspelt_name_says_which_account_it_used() -> None:
    code, out, err = invoke("recommend", "Gulf Cost Computing", "--format", "csv")
    assert code == 0
    assert "showing Gulf Coast Computing LLC (id 0015g00000QxaTDAAZ, customer)" in err
    reasons = pl.read_csv(io.StringIO(out))["reason"]
    assert reasons.str.contains("Gulf Coast Computing LLC").all()


def test_recommend_apple_uses_apple_inc_of_a_hand_made_folder(tmp_path: Path) -> None:
    (tmp_path / "vendor_crm.csv").write_text(
        "id,name,status,products\nv1,Apple Inc.,customer,Atlas\n"
        "v2,Applied Materials Inc.,prospect,\nv3,Gulf Coast Computing LLC,customer,Atlas\n"
    )
    (tmp_path / "reseller.csv").write_text("id,name,status\np1,Apple Computer,customer\n")
    (tmp_path / "partners.csv").write_text(
        "partner_id,name,type,role,tier,file\nPRT-001,Reseller,reseller,sell,gold,reseller.csv\n"
    )
    (tmp_path / "products.csv").write_text(
        "product_id,name,family,list_price\nPRD-1,Atlas,Platform,1000\n"
    )
    (tmp_path / "deals.csv").write_text(
        "deal_id,account_id,product,amount,created_date,close_date,outcome,partner_id,"
        "partner_touch_date\n"
    )
    (tmp_path / "ground_truth.csv").write_text(
        "file,id,entity_id\nvendor_crm.csv,v1,1\nvendor_crm.csv,v2,2\nvendor_crm.csv,v3,3\n"
        "reseller.csv,p1,1\n"
    )
    code, out, err = invoke("recommend", "Apple", "--format", "csv", data=str(tmp_path))
    assert code == 0, err
    assert "showing Apple Inc. (id v1, customer)" in err
    assert pl.read_csv(io.StringIO(out))["partner"].to_list() == ["Reseller"]
    code, out, _ = invoke("search", "Aple", "--format", "csv", data=str(tmp_path))
    assert pl.read_csv(io.StringIO(out))["name"][0] == "Apple Inc."
