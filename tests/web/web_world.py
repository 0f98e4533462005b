"""The test world of the web app's tests: the samples in a store, a key per role, sign-in."""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from overlap.api.main import create_app
from overlap.api.security import create_key
from overlap.api.service import load_directory
from overlap.api.store import Store

with warnings.catch_warnings():
    # starlette asks for httpx2 in its test client; the warning is about the tool, not us
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "data" / "samples"
ROLES = {
    "admin": ("admin", None),
    "ecosystem": ("ecosystem", None),
    "sales": ("sales", None),
    "partner": ("partner", "PRT-001"),
}


def sample_store() -> Store:
    store = Store.open(":memory:")
    load_directory(store, SAMPLES)
    return store


def keys(store: Store) -> dict[str, str]:
    """A token per name of ``ROLES``."""
    return {
        who: create_key(store, role=role, partner_id=partner)[1]
        for who, (role, partner) in ROLES.items()
    }


def hidden(page: str, name: str) -> str:
    """The value of the hidden form field ``name`` in ``page``."""
    found = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert found is not None, f"no field {name!r} in the page"
    return found.group(1)


def first_account_link(page: str) -> str:
    """The first link to an account page in ``page``."""
    found = re.search(r'href="(/app/accounts/[^"]+)"', page)
    assert found is not None, page
    return found.group(1)


@dataclass
class Web:
    """An app over a store, and the tokens of its keys by role."""

    app: FastAPI
    store: Store
    tokens: dict[str, str]

    def browser(self, *, https: bool = False) -> TestClient:
        """A client with its own cookies, following no redirect."""
        base = "https://testserver" if https else "http://testserver"
        return TestClient(
            self.app, base_url=base, follow_redirects=False, raise_server_exceptions=False
        )

    def put_partner(self, partner: dict[str, Any]) -> None:
        """Store ``partner`` as the API's PUT does: the view is rebuilt before any read."""
        self.store.put_partner(partner)
        self.app.state.service.refresh()

    def signed_in(self, who: str) -> TestClient:
        """A client signed in with the key of ``who`` through the sign-in form."""
        client = self.browser()
        form = client.get("/signin")
        answer = client.post(
            "/signin",
            data={"key": self.tokens[who], "sign_in": hidden(form.text, "sign_in"), "next": "/"},
        )
        assert answer.status_code == 303, answer.text
        return client


def make_web(store: Store) -> Web:
    return Web(app=create_app(store=store), store=store, tokens=keys(store))
