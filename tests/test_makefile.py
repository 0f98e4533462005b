"""`make run` on a fresh clone says what it does before each long step."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

LONG_STEPS = {
    "-m venv": "Creating the virtual environment",
    "pip install --quiet -e": "Installing overlap and its dependencies",
    "overlap samples": "Generating the sample lists",
    "overlap demo": "Matching the samples",
    "rm -f out/demo.duckdb": "Starting the web service",
}


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_run_announces_each_long_step_before_it_starts(tmp_path: Path) -> None:
    # -n prints the commands without running them; -B as if nothing were built yet
    planned = subprocess.run(
        ["make", "-n", "-B", "run", f"VENV={tmp_path / 'venv'}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    for command, announcement in LONG_STEPS.items():
        at = next(n for n, line in enumerate(planned) if command in line)
        said = [line for line in planned[:at] if line.startswith('echo "==> ')]
        assert said and announcement in said[-1], (command, planned[:at])
    assert all("--quiet" in line for line in planned if "pip install" in line)
