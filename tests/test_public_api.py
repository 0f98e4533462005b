"""The public surface changes only on purpose."""

from __future__ import annotations

import subprocess
import sys

import overlap


def test_the_public_names_are_exactly_these():
    assert sorted(overlap.__all__) == [
        "Ecosystem",
        "IngestResult",
        "InputError",
        "MatchConfig",
        "MatchModel",
        "OverlapError",
        "Recommender",
        "co_sell",
        "dedupe",
        "default_model",
        "link",
        "load_ecosystem",
        "normalise",
        "overlap_matrix",
        "read_accounts",
        "resolve_companies",
        "scorecard",
    ]


def test_importing_overlap_does_not_import_the_web_stack():
    code = "import sys, overlap; print(any(m in sys.modules for m in ('fastapi', 'uvicorn')))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
