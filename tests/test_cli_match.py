"""The `overlap match` and `overlap dedupe` contract: what outside evaluations run."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from typer.testing import CliRunner

from overlap.cli import app

runner = CliRunner()

VENDOR = """Account ID,Account Name,Website,Billing Country
A-1,Kestrel Foods Inc.,https://www.kestrelfoods.com,United States
A-2,Bluepeak Analytics GmbH,bluepeak.de,Germany
A-3,KESTREL FOODS,,USA
"""
PARTNER = """Record ID,Company name,Company Domain Name,Country/Region
77,Kestrel Foods,kestrelfoods.com,US
78,Marlowe Pharma,marlowe.com,US
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_match_writes_one_row_per_matched_pair_with_ids_as_in_the_files(tmp_path):
    vendor, partner = write(tmp_path, "v.csv", VENDOR), write(tmp_path, "p.csv", PARTNER)
    result = runner.invoke(app, ["match", str(vendor), str(partner), "-o", str(tmp_path / "m.csv")])
    assert result.exit_code == 0, result.output
    matches = pl.read_csv(tmp_path / "m.csv", infer_schema=False)
    assert matches.columns == [
        "vendor_id", "partner_id", "score", "reason",
        "vendor_name", "partner_name", "vendor_row", "partner_row",
    ]  # fmt: skip
    assert sorted(matches.select("vendor_id", "partner_id").rows()) == [
        ("A-1", "77"),
        ("A-3", "77"),
    ]


def match_with_vendor(tmp_path: Path, partner_text: str) -> tuple[str, pl.DataFrame]:
    """What `overlap match` says (on one line) and writes, of VENDOR against a partner list."""
    vendor, partner = write(tmp_path, "v.csv", VENDOR), write(tmp_path, "p.csv", partner_text)
    output = tmp_path / "m.csv"
    result = runner.invoke(app, ["match", str(vendor), str(partner), "-o", str(output)])
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split()), pl.read_csv(output, infer_schema=False)


def test_match_says_how_many_rows_of_a_list_it_left_out_and_why(tmp_path):
    said, _ = match_with_vendor(tmp_path, PARTNER + "79,Test Account,\n80,,\n81,,\n")
    assert "p.csv: 3 rows left out (2: no name and no website or e-mail; 1: a name that" in said


def test_a_list_without_an_id_column_is_matched_by_account_number_and_says_so(tmp_path):
    said, matches = match_with_vendor(tmp_path, "Segment,Company\nMid Market,Kestrel Foods\n")
    assert "p.csv: no id column found, so its ids number its accounts 1, 2, 3... in file" in said
    assert "(headers left unmapped: Segment)" in said
    assert set(matches["partner_id"]) == {"1"}


def test_ids_from_a_first_column_no_header_names_are_used_and_the_run_says_so(tmp_path):
    said, matches = match_with_vendor(tmp_path, "Code,Company\nX9,Kestrel Foods\n")
    assert "p.csv: ids read from column 'Code'" in said
    assert set(matches["partner_id"]) == {"X9"}


def test_a_threshold_of_one_leaves_only_certain_matches(tmp_path):
    vendor, partner = write(tmp_path, "v.csv", VENDOR), write(tmp_path, "p.csv", PARTNER)
    output = tmp_path / "m.csv"
    result = runner.invoke(
        app, ["match", str(vendor), str(partner), "-o", str(output), "--threshold", "1"]
    )
    assert result.exit_code == 0, result.output
    assert pl.read_csv(output)["score"].min() in (None, 1.0)


def test_rejected_feedback_is_obeyed(tmp_path):
    vendor, partner = write(tmp_path, "v.csv", VENDOR), write(tmp_path, "p.csv", PARTNER)
    feedback = write(
        tmp_path, "f.csv", "vendor_id,partner_id,decision\nA-1,77,reject\nA-3,77,reject\n"
    )
    output = tmp_path / "m.csv"
    result = runner.invoke(
        app, ["match", str(vendor), str(partner), "-o", str(output), "--feedback", str(feedback)]
    )
    assert result.exit_code == 0, result.output
    assert pl.read_csv(output).height == 0


def test_a_feedback_file_with_an_unknown_decision_is_refused_naming_the_row(tmp_path):
    vendor, partner = write(tmp_path, "v.csv", VENDOR), write(tmp_path, "p.csv", PARTNER)
    feedback = write(tmp_path, "f.csv", "vendor_id,partner_id,decision\nA-1,77,maybe\n")
    result = runner.invoke(
        app,
        [
            "match",
            str(vendor),
            str(partner),
            "-o",
            str(tmp_path / "m.csv"),
            "--feedback",
            str(feedback),
        ],
    )
    assert result.exit_code == 2
    assert "row 2" in result.output and "'maybe'" in result.output


def test_dedupe_gives_every_row_a_cluster_and_a_score(tmp_path):
    vendor = write(tmp_path, "v.csv", VENDOR)
    output = tmp_path / "c.csv"
    result = runner.invoke(app, ["dedupe", str(vendor), "-o", str(output)])
    assert result.exit_code == 0, result.output
    clusters = pl.read_csv(output, infer_schema=False)
    assert clusters.columns == ["id", "cluster_id", "score", "name", "row"]
    assert clusters["cluster_id"].to_list() == ["A-1", "A-2", "A-1"]


UNKNOWN_HEADERS = "Ref,Who,Web\nR1,Kestrel Foods,kestrelfoods.com\nR2,Marlowe Pharma,marlowe.com\n"


def test_match_maps_each_list_by_header_field_options(tmp_path):
    vendor, partner = write(tmp_path, "v.csv", VENDOR), write(tmp_path, "p.csv", UNKNOWN_HEADERS)
    output = tmp_path / "m.csv"
    maps = ["--partner-map", "Ref=id", "--partner-map", "Who=name", "--partner-map", "Web=website"]
    result = runner.invoke(app, ["match", str(vendor), str(partner), "-o", str(output), *maps])
    assert result.exit_code == 0, result.output
    pairs = pl.read_csv(output, infer_schema=False).select("vendor_id", "partner_id").rows()
    assert sorted(pairs) == [("A-1", "R1"), ("A-3", "R1")]


def test_dedupe_maps_the_list_by_header_field_options_the_error_names(tmp_path):
    path = write(tmp_path, "u.csv", "Ref,Who\nR1,Kestrel Foods Inc.\nR2,KESTREL FOODS\n")
    output = tmp_path / "c.csv"
    refused = runner.invoke(app, ["dedupe", str(path), "-o", str(output)])
    assert refused.exit_code == 2
    assert '--map "Header=name"' in " ".join(refused.output.split())
    result = runner.invoke(
        app, ["dedupe", str(path), "-o", str(output), "--map", "Ref=id", "--map", "Who=name"]
    )
    assert result.exit_code == 0, result.output
    assert pl.read_csv(output, infer_schema=False)["cluster_id"].to_list() == ["R1", "R1"]


def test_a_missing_file_is_a_clear_error_not_a_traceback(tmp_path):
    result = runner.invoke(
        app, ["match", str(tmp_path / "nope.csv"), str(tmp_path / "nope.csv"), "-o", "m.csv"]
    )
    assert result.exit_code == 2
    assert "nope.csv" in result.output
    assert "Traceback" not in result.output


REVIEWED_VENDOR = """Account ID,Account Name,Website
V1,Acme Logistics,
V2,Telefonica S.A.,
V3,Kestrel Foods Inc.,kestrelfoods.com
"""
REVIEWED_PARTNER = """Record ID,Company name,Company Domain Name,Country
77,Acme Logistics,acmelog.com,US
78,Acme Logistics,acme-logistik.de,DE
79,Telefonica Deutschland AG,,
80,Kestrel Foods,kestrelfoods.com,
"""


def test_match_review_writes_the_pairs_to_review_and_keeps_them_out_of_the_matches(tmp_path):
    vendor = write(tmp_path, "v.csv", REVIEWED_VENDOR)
    partner = write(tmp_path, "p.csv", REVIEWED_PARTNER)
    output, review = tmp_path / "m.csv", tmp_path / "r.csv"
    command = ["match", str(vendor), str(partner), "-o", str(output), "--review", str(review)]
    result = runner.invoke(app, command)
    assert result.exit_code == 0, result.output
    assert "3 pairs to review" in result.output
    matches = pl.read_csv(output, infer_schema=False)
    assert matches.columns == [
        "vendor_id", "partner_id", "score", "reason",
        "vendor_name", "partner_name", "vendor_row", "partner_row",
    ]  # fmt: skip
    assert matches.select("vendor_id", "partner_id").rows() == [("V3", "80")]
    queue = pl.read_csv(review, infer_schema=False)
    assert queue.columns == [
        "vendor_id", "partner_id", "score", "relation", "why", "reason",
        "vendor_name", "partner_name", "vendor_row", "partner_row",
    ]  # fmt: skip
    ambiguous = "ambiguous: 'Acme Logistics' is as close to 'Acme Logistics' (0.83)"
    family = "family: 'Telefonica Deutschland AG' is a part of the group 'Telefonica S.A.'"
    assert sorted(queue.select("vendor_id", "partner_id", "why", "partner_row").rows()) == [
        ("V1", "77", ambiguous, "2"),
        ("V1", "78", ambiguous, "3"),
        ("V2", "79", family, "4"),
    ]
