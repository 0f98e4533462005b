"""Fixtures of the security tests: an app over an empty store, called as a server would."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from asgi_client import Server

from overlap.api.main import create_app
from overlap.api.security import create_key
from overlap.api.settings import Settings
from overlap.api.store import Store

LIMITS = Settings(db=":memory:", max_upload_bytes=200_000)


@pytest.fixture
def server() -> Iterator[Server]:
    """An empty store with an admin key, behind an app with small upload limits."""
    store = Store.open(":memory:")
    token = create_key(store, role="admin")[1]
    yield Server(create_app(store=store, settings=LIMITS), limits=LIMITS, admin=token)
    store.close()
