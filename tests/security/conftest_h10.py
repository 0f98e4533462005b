"""Apps for the security tests of helper h10: a store, an admin key and a client per address.

Imported explicitly (``from conftest_h10 import ...``), not a pytest conftest.
"""

from __future__ import annotations

import warnings

from starlette.exceptions import StarletteDeprecationWarning

from overlap.api.main import create_app
from overlap.api.security import create_key
from overlap.api.settings import Settings
from overlap.api.store import Store

with warnings.catch_warnings():
    # starlette asks for httpx2 in its test client; the warning is about the tool, not us
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient

__all__ = ["TestClient", "admin_token", "clients"]


def admin_token(store: Store) -> str:
    return create_key(store, role="admin")[1]


def clients(store: Store, *addresses: str, settings: Settings | None = None) -> list[TestClient]:
    """One test client per client address, all on one app over ``store``."""
    app = create_app(store=store, settings=settings or Settings(db=":memory:"))
    return [
        TestClient(app, raise_server_exceptions=False, client=(address, 50000))
        for address in addresses or ("testclient",)
    ]
