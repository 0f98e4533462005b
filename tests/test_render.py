import json

import polars as pl
import pytest

from overlap.cli.render import cards, render
from overlap.errors import ConfigError

FRAME = pl.DataFrame(
    {
        "partner": ["=cmd|' /C calc'!A0", "Northgate"],
        "score": [0.5, 0.25],
        "factors_used": [["relationship", "role_fit"], []],
        "factors": [[{"factor": "relationship", "value": 1.0}], []],
    }
)


def test_csv_neutralises_cells_a_spreadsheet_would_run() -> None:
    lines = render(FRAME, "csv", title="t").splitlines()
    assert lines[1].startswith("'=cmd")
    assert "relationship; role_fit" in lines[1]
    assert '[{""factor"":""relationship"",""value"":1.0}]' in lines[1]


def test_json_is_one_object_per_row_with_nested_values_kept() -> None:
    rows = json.loads(render(FRAME, "json", title="t"))
    assert rows[1] == {"partner": "Northgate", "score": 0.25, "factors_used": [], "factors": []}
    assert rows[0]["factors"] == [{"factor": "relationship", "value": 1.0}]


def test_a_table_has_its_title_and_every_row() -> None:
    text = render(FRAME, "table", title="Co-sell")
    assert "Co-sell" in text and "Northgate" in text and "0.250" in text


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(ConfigError, match="xml"):
        render(FRAME, "xml", title="t")


def test_money_is_shown_in_whole_units_without_spurious_decimals() -> None:
    deals = pl.DataFrame(
        {"account": ["Gulf Coast"], "amount": [247600.0], "open_pipeline": [4815500.4]}
    )
    text = render(deals, "table", title="t")
    assert "247,600 " in text and "4,815,500 " in text
    assert "247,600.0" not in text


def test_a_row_too_wide_for_a_terminal_prints_as_one_field_a_line() -> None:
    card = pl.DataFrame(
        {
            "partner_id": ["PRT-001"],
            "name": ["Northgate Solutions"],
            "overlap_pipeline": [10075200.0],
            **{f"a_rather_long_field_name_{n}": [0.5] for n in range(15)},
        }
    )
    lines = cards(card, title="Partner scorecard", heading="name").splitlines()
    assert "Partner scorecard: Northgate Solutions" in lines[0]
    assert not any("…" in line for line in lines)
    assert any("overlap_pipeline" in line and "10,075,200" in line for line in lines)
    assert sum("a_rather_long_field_name_" in line for line in lines) == 15
