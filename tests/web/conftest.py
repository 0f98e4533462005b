"""Fixtures of the web app's tests: the samples loaded and matched once per module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from web_world import Web, make_web, sample_store


@pytest.fixture(scope="module")
def web() -> Iterator[Web]:
    store = sample_store()
    yield make_web(store)
    store.close()
