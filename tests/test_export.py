"""Exported files: spreadsheet formulas from untrusted cells are neutralised."""

from __future__ import annotations

import zipfile
from pathlib import Path

import polars as pl
from polars.testing import assert_frame_equal

from overlap.export import neutralise, neutralised, write_csv, write_excel

RISKY = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tTab", "\rReturn"]


def frame() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "name": [*RISKY, "Acme", "a=b", None],
            "employees": [1, 2, 3, 4, 5, 6, 7, 8, 9],
        }
    )


def test_cells_a_spreadsheet_would_run_get_a_leading_quote() -> None:
    safe = pl.select(neutralise(pl.lit(pl.Series([*RISKY, "Acme", "a=b", None])))).to_series()
    assert safe.to_list() == [*("'" + cell for cell in RISKY), "Acme", "a=b", None]


def test_numbers_and_headers_are_left_alone_unless_risky() -> None:
    safe = neutralised(frame().rename({"name": "=name"}))
    assert safe.columns == ["'=name", "employees"]
    assert_frame_equal(safe.select("employees"), frame().select("employees"))


def test_write_csv_neutralises_formulas(tmp_path: Path) -> None:
    path = tmp_path / "matches.csv"
    write_csv(frame(), path)
    back = pl.read_csv(path, infer_schema=False)
    assert back["name"].to_list()[:4] == ['\'=HYPERLINK("http://x")', "'+1+1", "'-2+3", "'@SUM(A1)"]


def test_write_excel_neutralises_formulas_and_writes_no_formula(tmp_path: Path) -> None:
    path = tmp_path / "matches.xlsx"
    write_excel(frame(), path)
    back = pl.read_excel(path, engine="calamine")
    assert back["name"].to_list()[:4] == ['\'=HYPERLINK("http://x")', "'+1+1", "'-2+3", "'@SUM(A1)"]
    with zipfile.ZipFile(path) as book:
        assert "<f>" not in book.read("xl/worksheets/sheet1.xml").decode()
