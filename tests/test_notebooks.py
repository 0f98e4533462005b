"""The notebooks are documentation that runs: each executes top to bottom without an error.

They are committed with their outputs cleared, so that what is committed never drifts from
what the code prints; a test holds that too. Executing needs the dev group (nbclient,
ipykernel, matplotlib) and the samples in data/samples/.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

# jupyter_core 5.x before 6 warns, while a kernel starts, that its paths will move to
# platformdirs: a note about the Jupyter installation, nothing the notebooks do.
pytestmark = pytest.mark.filterwarnings("ignore:Jupyter is migrating its paths:DeprecationWarning")

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
PATHS = sorted(NOTEBOOKS.glob("*.ipynb"))
PRIVATE = re.compile(r"\boverlap(\.\w+)*\._\w|from overlap[\w.]* import[^\n]*\b_\w")


def code_cells(path: Path) -> list[nbformat.NotebookNode]:
    notebook = nbformat.read(path, as_version=4)
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


def test_there_are_notebooks() -> None:
    assert [p.name for p in PATHS] == [
        "01_quickstart.ipynb",
        "02_matching_quality.ipynb",
        "03_ecosystem.ipynb",
    ]


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_notebooks_are_committed_without_outputs(path: Path) -> None:
    for cell in code_cells(path):
        assert cell.outputs == [], f"{path.name}: clear the outputs before committing"
        assert cell.execution_count is None, f"{path.name}: clear the execution counts"


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_notebooks_use_only_public_names(path: Path) -> None:
    for cell in code_cells(path):
        assert not PRIVATE.search(cell.source), (
            f"{path.name} reaches a private name:\n{cell.source}"
        )


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_notebooks_run_top_to_bottom(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MPLBACKEND", "Agg")  # headless; the kernel inherits the environment
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        kernel_name="python3",  # ipykernel's own kernel: the Python running the tests
        timeout=120,
        resources={"metadata": {"path": str(NOTEBOOKS)}},  # run from notebooks/, as Jupyter does
    )
    client.execute()  # raises CellExecutionError, naming the cell, on any error
