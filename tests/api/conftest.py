"""Fixtures of the API tests: the samples loaded and matched once per module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from api_world import SAMPLES, Api, make_api

from overlap.api.service import load_directory
from overlap.api.store import Store


@pytest.fixture(scope="module")
def api() -> Iterator[Api]:
    """The samples, loaded and matched once per test module."""
    store = Store.open(":memory:")
    load_directory(store, SAMPLES)
    yield make_api(store)
    store.close()
