"""Match and dedupe CSVs a person can check without opening the lists: names and rows."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import xlsxwriter
from typer.testing import CliRunner

from overlap.cli import app

runner = CliRunner()

VENDOR = """Account ID,Account Name,Website
A-1,Kestrel Foods Inc.,kestrelfoods.com
A-2,The Coca-Cola Company,coca-cola.com
A-3,Bluepeak Analytics GmbH,bluepeak.de
"""
# Two title lines above the header, as exports write them; 18 accounts before Coca Cola.
FILLERS = "".join(f"Filler Company {n},filler{n}.example.org\n" for n in range(1, 18))
PARTNER = (
    "Partner accounts, exported 2026-01-05\n\nCompany,Website\n"
    + "Kestrel Foods,kestrelfoods.com\n"
    + FILLERS
    + "Coca Cola,coca-cola.com\n"
)


def match(tmp_path: Path, partner: Path) -> pl.DataFrame:
    vendor = tmp_path / "v.csv"
    vendor.write_text(VENDOR, encoding="utf-8")
    output = tmp_path / "m.csv"
    result = runner.invoke(app, ["match", str(vendor), str(partner), "-o", str(output)])
    assert result.exit_code == 0, result.output
    return pl.read_csv(output, infer_schema=False)


def line(path: Path, number: str) -> str:
    """The text of a line of a file, numbered from 1 as an editor or spreadsheet does."""
    return path.read_text(encoding="utf-8").splitlines()[int(number) - 1]


def test_a_match_shows_coca_cola_on_its_spreadsheet_row_with_the_header_counted(tmp_path):
    partner = tmp_path / "p.csv"
    partner.write_text(PARTNER, encoding="utf-8")
    matches = match(tmp_path, partner)
    coca = matches.filter(pl.col("vendor_id") == "A-2").row(0, named=True)
    assert coca["partner_id"] == "19"  # the 19th account: no id column in the file
    assert coca["partner_row"] == "22"
    assert coca["partner_name"] == "Coca Cola"
    assert coca["vendor_name"] == "The Coca-Cola Company" and coca["vendor_row"] == "3"


def test_every_match_can_be_checked_against_the_rows_it_names(tmp_path):
    partner = tmp_path / "p.csv"
    partner.write_text(PARTNER, encoding="utf-8")
    vendor = tmp_path / "v.csv"
    matches = match(tmp_path, partner)
    assert matches.height == 2
    for pair in matches.iter_rows(named=True):
        assert line(vendor, pair["vendor_row"]).split(",")[1] == pair["vendor_name"]
        assert line(partner, pair["partner_row"]).split(",")[0] == pair["partner_name"]
        assert pair["reason"]


def test_the_match_columns_of_the_contract_come_first_and_are_unchanged(tmp_path):
    partner = tmp_path / "p.csv"
    partner.write_text(PARTNER, encoding="utf-8")
    matches = match(tmp_path, partner)
    assert matches.columns[:4] == ["vendor_id", "partner_id", "score", "reason"]
    assert sorted(matches.select("vendor_id", "partner_id", "score").rows()) == [
        ("A-1", "1", "1.0"),
        ("A-2", "19", "0.9999"),
    ]


def test_a_row_of_an_excel_list_names_its_sheet_and_counts_the_rows_above_the_header(tmp_path):
    partner = tmp_path / "p.xlsx"
    book = xlsxwriter.Workbook(partner)
    book.add_worksheet("Cover").write(0, 0, "Partner accounts")
    sheet = book.add_worksheet("Q3 Accounts")
    sheet.write_row(3, 0, ["Company", "Website"])  # the header on row 4
    sheet.write_row(4, 0, ["Kestrel Foods", "kestrelfoods.com"])
    sheet.write_row(6, 0, ["Coca Cola", "coca-cola.com"])  # row 6 left blank
    book.close()
    matches = match(tmp_path, partner)
    rows = dict(matches.select("partner_name", "partner_row").rows())
    assert rows == {"Kestrel Foods": "'Q3 Accounts'!5", "Coca Cola": "'Q3 Accounts'!7"}


def test_dedupe_gives_each_record_its_name_and_row(tmp_path):
    accounts = tmp_path / "a.csv"
    accounts.write_text(VENDOR + "A-4,KESTREL FOODS,kestrelfoods.com\n", encoding="utf-8")
    output = tmp_path / "c.csv"
    result = runner.invoke(app, ["dedupe", str(accounts), "-o", str(output)])
    assert result.exit_code == 0, result.output
    clusters = pl.read_csv(output, infer_schema=False)
    assert clusters.select("id", "cluster_id", "name", "row").rows() == [
        ("A-1", "A-1", "Kestrel Foods Inc.", "2"),
        ("A-2", "A-2", "The Coca-Cola Company", "3"),
        ("A-3", "A-3", "Bluepeak Analytics GmbH", "4"),
        ("A-4", "A-1", "KESTREL FOODS", "5"),
    ]


def test_dedupe_help_says_what_the_score_of_a_record_alone_means():
    result = runner.invoke(app, ["dedupe", "--help"], terminal_width=200)
    said = " ".join(result.output.replace("│", " ").split())  # the help's panels unframed
    assert "for a record alone, how sure it is that the list holds no duplicate of it" in said
