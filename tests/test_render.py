import json

import polars as pl
import pytest

from overlap.cli.render import render
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
