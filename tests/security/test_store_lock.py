"""Defect 9 of issue 21: a store held by a running server gives one clear message, exit 2."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from overlap.api.store import Store, StoreError
from overlap.cli import app

HOLD = "import duckdb, sys; db = duckdb.connect(sys.argv[1]); print('held', flush=True); input()"


@pytest.fixture
def held(tmp_path: Path) -> Iterator[Path]:
    """A store file that another process (as a running server would) holds open."""
    path = tmp_path / "overlap.duckdb"
    Store.open(path).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    yield path
    holder.communicate("\n", timeout=30)


def test_opening_a_store_another_process_holds_says_so(held: Path) -> None:
    with pytest.raises(StoreError, match="another process holds it"):
        Store.open(held)


@pytest.mark.parametrize("command", [["create-key"], ["serve", "--port", "1"]])
def test_the_cli_on_a_held_store_prints_one_message_and_exits_2(
    held: Path, command: list[str]
) -> None:
    result = CliRunner().invoke(app, [*command, "--db", str(held)])
    said = " ".join(result.output.split())  # as one line, however the console wrapped it
    assert result.exit_code == 2
    assert "Traceback" not in said
    assert said.startswith("error: cannot open the store")
    assert "another process holds it" in said
