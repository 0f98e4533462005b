"""Reading an ecosystem folder: required and optional files, their columns, clear errors."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from overlap import schema
from overlap.cli import app
from overlap.ecosystem.data import AS_OF, LISTED_SINCE
from overlap.ecosystem.load import (
    DEALS,
    PARTNERS,
    PRODUCTS,
    TRUTH,
    load_ecosystem,
    read_catalogue,
    read_lists,
    read_partners,
    survey,
    vendor_file,
)
from overlap.errors import ColumnError, DuplicateIdError, InputError, UnreadableFileError

runner = CliRunner()
VENDOR_CSV = "Account ID,Account Name,Website,Type\nV1,Kestrel Foods,kestrelfoods.com,Customer\n"
PARTNER_CSV = "Company,Website\nKestrel Foods GmbH,kestrelfoods.com\nZephyr,zephyr.com\n"


def folder(tmp_path: Path, **files: str) -> Path:
    """A folder of a vendor list, one partner list and ``files`` ({"products_csv": text})."""
    (tmp_path / "vendor_crm.csv").write_text(VENDOR_CSV)
    (tmp_path / "p1.csv").write_text(PARTNER_CSV)
    files.setdefault("partners_csv", "partner_id,name,file\nPRT-1,Northwind,p1.csv\n")
    for name, text in files.items():
        (tmp_path / name.replace("_csv", ".csv")).write_text(text)
    return tmp_path


def test_a_folder_without_products_or_deals_has_none(tmp_path: Path) -> None:
    products, deals = read_catalogue(folder(tmp_path))
    assert products.is_empty() and deals.is_empty()
    assert deals.schema["close_date"] == pl.Date


def test_a_products_file_without_product_id_names_the_file_and_the_column(tmp_path: Path) -> None:
    directory = folder(tmp_path, products_csv="id,name\nA,Atlas\n")
    with pytest.raises(ColumnError) as error:
        read_catalogue(directory)
    assert (error.value.file, error.value.column) == ("products.csv", "product_id")
    assert "id, name" in str(error.value)


@pytest.mark.parametrize("command", ["check", "rank", "report"])
def test_a_missing_column_exits_2_with_one_message_and_no_traceback(
    tmp_path: Path, command: str
) -> None:
    directory = folder(tmp_path, products_csv="id,name\nA,Atlas\n")
    result = runner.invoke(app, [command, "--data", str(directory)])
    assert result.exit_code == 2
    assert "products.csv" in result.output and "product_id" in result.output
    assert "Traceback" not in result.output


def test_a_value_of_the_wrong_type_names_its_row_and_column(tmp_path: Path) -> None:
    deals = "deal_id,account_id,outcome,amount\nD1,V1,won,100.5\nD2,V1,lost,12k\n"
    with pytest.raises(ColumnError) as error:
        read_catalogue(folder(tmp_path, deals_csv=deals))
    assert (error.value.file, error.value.row, error.value.column) == ("deals.csv", 3, "amount")
    assert "'12k' is not a number" in str(error.value)


def test_headers_are_matched_ignoring_case_spaces_and_punctuation(tmp_path: Path) -> None:
    directory = folder(tmp_path, partners_csv="Partner ID,File,Tier\nPRT-1,p1.csv,gold\n")
    partners = read_partners(directory)
    assert partners.select("partner_id", "file", "tier").row(0) == ("PRT-1", "p1.csv", "gold")
    assert partners["name"].to_list() == ["PRT-1"]  # a partner without a name: its id


def test_a_status_in_partners_csv_is_the_status_of_records_that_give_none(tmp_path: Path) -> None:
    directory = folder(tmp_path, partners_csv="partner_id,file,status\nPRT-1,p1.csv,Customer\n")
    lists = {
        owner: accounts for owner, _, accounts in read_lists(directory, read_partners(directory))
    }
    assert lists["PRT-1"][schema.STATUS].to_list() == ["customer", "customer"]
    assert lists["vendor"][schema.STATUS].to_list() == ["customer"]


def test_a_status_in_partners_csv_that_is_no_status_is_refused(tmp_path: Path) -> None:
    directory = folder(tmp_path, partners_csv="partner_id,file,status\nPRT-1,p1.csv,friend\n")
    with pytest.raises(ColumnError) as error:
        read_partners(directory)
    assert (error.value.file, error.value.row, error.value.column) == ("partners.csv", 2, "status")


def test_a_partner_listed_twice_is_refused(tmp_path: Path) -> None:
    twice = "partner_id,file\nPRT-1,p1.csv\nPRT-1,p1.csv\n"
    with pytest.raises(DuplicateIdError, match="PRT-1"):
        read_partners(folder(tmp_path, partners_csv=twice))


def test_a_partner_without_its_list_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ColumnError, match="file"):
        read_partners(folder(tmp_path, partners_csv="partner_id,file\nPRT-1,\n"))


def test_a_partner_list_that_is_not_there_is_exit_code_2_naming_it(tmp_path: Path) -> None:
    directory = folder(tmp_path, partners_csv="partner_id,file\nPRT-1,northwind.xlsx\n")
    result = runner.invoke(app, ["check", "--data", str(directory)])
    assert result.exit_code == 2
    assert "northwind.xlsx" in result.output and "not found" in result.output


def test_the_vendor_list_may_be_in_any_format_ingest_reads(tmp_path: Path) -> None:
    directory = folder(tmp_path)
    (directory / "vendor_crm.csv").unlink()
    with pytest.raises(UnreadableFileError, match=r"vendor_crm\.csv"):
        vendor_file(directory)
    pl.read_csv(VENDOR_CSV.encode()).write_parquet(directory / "vendor_crm.parquet")
    assert vendor_file(directory) == "vendor_crm.parquet"


def test_a_folder_without_partners_csv_points_to_the_readme(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="Bring your own data"):
        read_partners(tmp_path)


def test_survey_says_what_is_there_and_what_each_missing_file_leaves_out(tmp_path: Path) -> None:
    files = survey(folder(tmp_path))
    assert files["file"].to_list() == [
        "vendor_crm.csv", "p1.csv", "partners.csv", "products.csv", "deals.csv",
        "ground_truth.csv",
    ]  # fmt: skip
    assert files["found"].to_list() == [True, True, True, False, False, False]
    deals = files.row(4, named=True)
    assert deals["note"].startswith("not available") and "lift" in deals["note"]
    partner = files.row(1, named=True)
    assert partner["rows"] == 2 and "'unknown' population" in partner["note"]


def test_survey_counts_the_statuses_and_countries_a_list_gives_that_are_not_understood(
    tmp_path: Path,
) -> None:
    directory = folder(tmp_path)
    (directory / "p1.csv").write_text("Company,Status,Country\nAcme,Foo,Atlantis\nBeta,Kunde,DE\n")
    note = survey(directory).filter(pl.col("file") == "p1.csv")["note"].item()
    assert note.startswith("2 statuses or countries not understood")


def test_check_lists_the_partner_directory_columns_and_their_uses(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", "--data", str(folder(tmp_path))])
    assert result.exit_code == 0, result.output
    for column in PARTNERS.column_uses:
        assert column in result.output


ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("readme", "heading"),
    [("README.md", "## Bring your own data"), ("data/samples/README.md", "## The layout")],
)
def test_the_readmes_name_every_column_of_the_folder_files(readme: str, heading: str) -> None:
    section = (ROOT / readme).read_text(encoding="utf-8").split(heading)[1].split("\n## ")[0]
    for spec in (PARTNERS, PRODUCTS, DEALS, TRUTH):
        for column in spec.columns:
            assert f"`{column}`" in section, (spec.name, column)


def test_a_partner_on_two_rows_with_export_dates_has_two_snapshots(tmp_path: Path) -> None:
    (tmp_path / "p1_old.csv").write_text("Company,Website\nZephyr,zephyr.com\n")
    directory = folder(
        tmp_path,
        partners_csv="partner_id,file,as_of\nPRT-1,p1.csv,2024-06-30\nPRT-1,p1_old.csv,2024-01-31\n",
    )
    eco = load_ecosystem(directory, companies="match")
    snapshots = eco.accounts.filter(pl.col(schema.LIST_OWNER) == "PRT-1")
    assert snapshots.group_by(AS_OF).len().sort(AS_OF)["len"].to_list() == [1, 2]
    assert eco.partners["partner_id"].to_list() == ["PRT-1"]
    zephyr = snapshots.filter(pl.col(schema.NAME) == "Zephyr")
    assert zephyr[LISTED_SINCE].to_list() == [date(2024, 1, 31)] * 2


def test_one_partner_twice_on_the_same_export_date_is_refused(tmp_path: Path) -> None:
    twice = "partner_id,file,as_of\nPRT-1,p1.csv,2024-01-31\nPRT-1,p1.csv,2024-01-31\n"
    with pytest.raises(DuplicateIdError, match="as_of"):
        read_partners(folder(tmp_path, partners_csv=twice))
