"""Defect 8 of issue 21: every response carries the security headers; 405 says what is allowed."""

from __future__ import annotations

import pytest
from conftest_h10 import TestClient, admin_token, clients

from overlap.api.store import Store


@pytest.fixture(scope="module")
def world() -> tuple[TestClient, str]:
    store = Store.open(":memory:")
    token = admin_token(store)
    return clients(store)[0], token


@pytest.mark.parametrize(
    ("method", "path", "keyed"),
    [
        ("GET", "/health", False),
        ("GET", "/partners", False),
        ("GET", "/partners", True),
        ("GET", "/no-such-page", False),
        ("DELETE", "/keys", True),
        ("GET", "/openapi.json", False),
    ],
)
def test_every_response_forbids_sniffing_framing_referrers_and_loading_anything(
    world: tuple[TestClient, str], method: str, path: str, keyed: bool
) -> None:
    client, token = world
    headers = {"Authorization": f"Bearer {token}"} if keyed else {}
    response = client.request(method, path, headers=headers)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Frame-Options"] == "DENY"
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "script-src" not in policy


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_the_documentation_pages_may_load_only_what_they_need(
    world: tuple[TestClient, str], path: str
) -> None:
    client, _ = world
    response = client.get(path)
    policy = response.headers["Content-Security-Policy"]
    assert response.status_code == 200
    assert "default-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "connect-src 'self'" in policy  # the OpenAPI document the page fetches
    scripts = policy.split("script-src", 1)[1].split(";", 1)[0]
    assert "'self'" in scripts and "https:" not in policy  # the app's own copies: offline
    assert 'src="/static/vendor/' in response.text
    assert response.headers["X-Frame-Options"] == "DENY"


def test_the_answer_that_shows_a_new_key_is_never_cached(world: tuple[TestClient, str]) -> None:
    client, token = world
    response = client.post(
        "/keys", json={"role": "sales"}, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 201
    assert response.json()["token"].startswith("ovl_")
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("DELETE", "/keys", {"GET", "POST"}),
        ("POST", "/health", {"GET"}),
        ("PATCH", "/keys/abc", {"DELETE"}),
    ],
)
def test_a_method_not_allowed_names_every_method_the_path_accepts(
    world: tuple[TestClient, str], method: str, path: str, allowed: set[str]
) -> None:
    client, _ = world
    response = client.request(method, path)
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) == allowed
