"""Every route x every role: who gets through (2xx), who is refused (403), who is unknown (401)."""

from __future__ import annotations

from typing import Any

import pytest
from api_world import Api

from overlap.api.security import hash_secret

OK = "2xx"
ROLES = ("admin", "ecosystem", "sales", "own", "other", "none", "bad")
DRILL = "/matrix/PRT-001/drill-down?vendor_population=customer&partner_population=customer"
CSV = (
    b"Company,Website,Status\nAcme Widgets,acme-widgets.example,Customer\n"
    b"Gulf Coast Computing LLC,gulfcoastcomputing.com,Customer\n"
    b"Beta Tools,beta.example,Prospect\n"
)

# method, path, expected for admin, ecosystem, sales, own partner (PRT-001), other partner
ROUTES: list[tuple[str, str, tuple[Any, ...]]] = [
    ("GET", "/health", (OK, OK, OK, OK, OK)),
    ("GET", "/ready", (OK, OK, OK, OK, OK)),
    ("GET", "/partners", (OK, OK, 403, 403, 403)),
    ("POST", "/partners", (OK, 403, 403, 403, 403)),
    ("GET", "/partners/PRT-001", (OK, OK, 403, OK, 403)),
    ("PUT", "/partners/PRT-009", (OK, 403, 403, 403, 403)),
    ("GET", "/partners/PRT-001/scorecard", (OK, OK, 403, OK, 403)),
    ("GET", "/scorecards", (OK, OK, 403, 403, 403)),
    ("GET", "/keys", (OK, 403, 403, 403, 403)),
    ("POST", "/keys", (OK, 403, 403, 403, 403)),
    ("DELETE", "/keys/{key}", (OK, 403, 403, 403, 403)),
    ("GET", "/lists", (OK, OK, 403, OK, OK)),
    ("POST", "/lists/PRT-001", (OK, OK, 403, OK, 403)),
    ("POST", "/lists/vendor", (OK, OK, 403, 403, 403)),
    ("GET", "/runs", (OK, OK, 403, 403, 403)),
    ("POST", "/runs", (OK, OK, 403, 403, 403)),
    ("GET", "/runs/{run}", (OK, OK, 403, 403, 403)),
    ("GET", "/runs/{run}/matches", (OK, OK, 403, 403, 403)),
    ("GET", "/feedback", (OK, OK, 403, 403, 403)),
    ("POST", "/feedback", (OK, OK, 403, 403, 403)),
    ("GET", "/matrix", (OK, OK, OK, OK, OK)),
    ("GET", "/matrix?partner_id=PRT-001", (OK, OK, OK, OK, 403)),
    ("GET", DRILL, (OK, OK, OK, OK, 403)),
    ("GET", DRILL + "&format=csv", (OK, OK, OK, OK, 403)),
    ("GET", "/accounts?q=gulf", (OK, OK, OK, OK, OK)),
    ("GET", "/accounts/Gulf Coast Computing/partners", (OK, OK, OK, 403, 403)),
    ("GET", "/opportunities/co-sell", (OK, OK, OK, 403, 403)),
    ("GET", "/opportunities/new-accounts", (OK, OK, OK, 403, 403)),
]
PUBLIC = {"/health", "/ready"}

CASES = [
    pytest.param(method, path, role, expected, id=f"{method} {path} as {role}")
    for method, path, statuses in ROUTES
    for role, expected in zip(
        ROLES,
        (*statuses, *((OK, OK) if path in PUBLIC else (401, 401))),
        strict=True,
    )
]


def _request(api: Api, method: str, path: str, role: str) -> int:
    store = api.store
    if "{key}" in path:
        from overlap.api.security import create_key

        path = path.replace("{key}", create_key(store, role="sales")[0])
    if "{run}" in path:
        path = path.replace("{run}", store.latest_succeeded_run() or "none")
    kwargs: dict[str, Any] = {}
    if method == "POST" and path == "/partners":
        kwargs["json"] = {"partner_id": f"PRT-X{len(store.partners())}", "name": "New Partner"}
    elif method == "PUT":
        kwargs["json"] = {"name": "Ninth Partner"}
    elif method == "POST" and path == "/keys":
        kwargs["json"] = {"role": "sales"}
    elif method == "POST" and path.startswith("/lists/"):
        kwargs["files"] = {"file": ("accounts.csv", CSV, "text/csv")}
    elif method == "POST" and path == "/feedback":
        vendor = store.latest_lists()["vendor"]["id"][0]
        partner = store.latest_lists()["PRT-003"]["id"][0]
        kwargs["json"] = {
            "vendor_id": vendor,
            "partner_id": "PRT-003",
            "partner_account_id": partner,
            "decision": "reject",
        }
    response = api.client.request(method, path, headers=api.headers(role), **kwargs)
    if response.status_code >= 400:
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["status"] == response.status_code
    return response.status_code


@pytest.mark.parametrize(("method", "path", "role", "expected"), CASES)
def test_each_route_lets_through_only_the_roles_it_declares(
    api: Api, method: str, path: str, role: str, expected: Any
) -> None:
    status = _request(api, method, path, role)
    if expected == OK:
        assert 200 <= status < 300, status
    else:
        assert status == expected


def test_a_revoked_key_is_refused(api: Api) -> None:
    from overlap.api.security import create_key

    key_id, token = create_key(api.store, role="ecosystem")
    headers = {"Authorization": f"Bearer {token}"}
    assert api.client.get("/partners", headers=headers).status_code == 200
    assert api.client.delete(f"/keys/{key_id}", headers=api.headers("admin")).status_code == 204
    assert api.client.get("/partners", headers=headers).status_code == 401


def test_keys_are_stored_hashed_and_never_listed_with_their_secret(api: Api) -> None:
    listed = api.client.get("/keys", headers=api.headers("admin")).json()
    assert all(k["token"] is None for k in listed)
    stored = {key.key_id: key.secret_hash for key in api.store.list_keys()}
    for token in api.tokens.values():
        _, key_id, secret = token.split("_", 2)
        assert stored[key_id] == hash_secret(secret) != secret
