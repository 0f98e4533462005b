"""The test world of the API tests: apps over throw-away stores, a key per role."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

from starlette.exceptions import StarletteDeprecationWarning

from overlap.api.main import create_app
from overlap.api.security import create_key
from overlap.api.settings import Settings
from overlap.api.store import Store

with warnings.catch_warnings():
    # starlette asks for httpx2 in its test client; the warning is about the tool, not us
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"
SMALL_LIMITS = Settings(
    db=":memory:",
    max_upload_bytes=200_000,
    max_uncompressed_bytes=2_000_000,
    max_cell_chars=2_000,
    # the authorisation matrix sends hundreds of bad keys from the one test address
    auth_failure_limit=100_000,
)


@dataclass
class Api:
    """A test client and a bearer token per role (``own``/``other``: partner keys)."""

    client: TestClient
    store: Store
    tokens: dict[str, str]

    def headers(self, who: str) -> dict[str, str]:
        if who == "none":
            return {}
        if who == "bad":
            return {"Authorization": "Bearer ovl_000000000000_not-a-real-secret"}
        return {"Authorization": f"Bearer {self.tokens[who]}"}


def make_api(store: Store) -> Api:
    tokens = {
        "admin": create_key(store, role="admin")[1],
        "ecosystem": create_key(store, role="ecosystem")[1],
        "sales": create_key(store, role="sales")[1],
    }
    for who, partner_id in (("own", "PRT-001"), ("other", "PRT-002")):
        if store.partner(partner_id) is not None:
            tokens[who] = create_key(store, role="partner", partner_id=partner_id)[1]
    client = TestClient(
        create_app(store=store, settings=SMALL_LIMITS), raise_server_exceptions=False
    )
    return Api(client=client, store=store, tokens=tokens)
