"""Shared test fixtures."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import polars as pl
import pytest

from builders import make_accounts


@pytest.fixture
def accounts() -> Callable[[list[dict[str, Any]]], pl.DataFrame]:
    """Build an account frame from dicts: ``accounts([{"name": "Acme"}])``."""
    return make_accounts
