"""Two parties, each in its own process, exchanging nothing but files."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import polars as pl
import pytest

SAMPLES = Path(__file__).parents[2] / "data" / "samples"
VENDOR, PARTNER = SAMPLES / "vendor_crm.csv", SAMPLES / "partner_kessler_roux_accounts.csv"


def _both(*commands: Sequence[str | Path]) -> None:
    """Run the commands at once, one process each, as two machines would."""
    running = [
        subprocess.Popen(
            [sys.executable, "-m", "overlap.cli", "private", *map(str, c)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for c in commands
    ]
    for process in running:
        _, err = process.communicate(timeout=600)
        assert process.returncode == 0, err.decode()


@pytest.mark.slow  # eight processes of the command, each loading the library
def test_two_parties_find_their_overlap_at_both_levels_through_files(tmp_path: Path) -> None:
    v, p = tmp_path / "vendor", tmp_path / "partner"
    v.mkdir()
    p.mkdir()
    for level in ("counts", "overlap"):
        _both(
            ["psi", "offer", VENDOR, "--state", v / "state", "--level", level, "-o", v / "offer"],
            ["psi", "offer", PARTNER, "--state", p / "state", "--level", level, "-o", p / "offer"],
        )
        _both(
            ["psi", "reply", p / "offer", "--state", v / "state", "-o", v / "reply"],
            ["psi", "reply", v / "offer", "--state", p / "state", "-o", p / "reply"],
        )
        _both(
            ["psi", "finish", p / "offer", p / "reply", "--state", v / "state", "-o", v / level],
            ["psi", "finish", v / "offer", v / "reply", "--state", p / "state", "-o", p / level],
        )
    counts = pl.read_csv(v / "counts")
    overlap = pl.read_csv(v / "overlap", infer_schema=False)
    assert counts["shared"].sum() > 0
    # the counts level tells the vendor as many shared accounts as the overlap level names
    by_cell = overlap.group_by("population", "their_population").agg(pl.col("id").n_unique())
    expected = counts.filter(pl.col("shared") > 0).sort("population", "their_population")
    assert by_cell.sort("population", "their_population").rows() == expected.rows()
    pairs = overlap.join(pl.read_csv(p / "overlap", infer_schema=False), on="token")
    assert pairs.height > 0
    for side in (v, p):
        assert (side / "state").stat().st_mode & 0o077 == 0  # the secret stays private


@pytest.mark.slow
def test_encode_and_match_work_from_the_command_line(tmp_path: Path) -> None:
    key = tmp_path / "key"
    key.write_text("9f1c2a7be4d3806512aa4f0e6b7c9d21\n")
    _both(
        ["encode", VENDOR, "--secret-file", key, "-o", tmp_path / "v.clk.jsonl"],
        ["encode", PARTNER, "--secret-file", key, "-o", tmp_path / "p.clk.jsonl"],
    )
    _both(["match", tmp_path / "v.clk.jsonl", tmp_path / "p.clk.jsonl", "-o", tmp_path / "m.csv"])
    matches = pl.read_csv(tmp_path / "m.csv", infer_schema=False)
    assert matches.columns == ["vendor_id", "partner_id", "score"]
    assert matches.height > 100
