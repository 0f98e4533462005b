"""The gaps left after issue 21's first fixes: a key of the wrong role sending a body, the
headers of a 500, and bidi controls on the bodies partners read that are not pages."""

from __future__ import annotations

import pytest
from asgi_client import Server, chunks, multipart
from conftest_h10 import TestClient, admin_token, clients

from overlap.api.headers import API_POLICY
from overlap.api.main import create_app
from overlap.api.security import create_key
from overlap.api.settings import Settings
from overlap.api.store import Store

MiB = 1024 * 1024
CHUNKED = {"transfer-encoding": "chunked", "content-type": "application/json"}


def _bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


@pytest.mark.parametrize(("method", "path"), [("POST", "/keys"), ("PUT", "/partners/PRT-005")])
def test_a_body_sent_with_a_key_of_the_wrong_role_is_refused_403_before_it_is_read(
    server: Server, method: str, path: str
) -> None:
    sales = create_key(server.app.state.service.store, role="sales")[1]  # type: ignore[attr-defined]
    answer = server.call(method, path, chunks(8 * MiB), headers={**CHUNKED, **_bearer(sales)})
    assert answer.status == 403, answer.body
    assert answer.json()["type"] == "/problems/forbidden"
    assert answer.read == 0


def test_an_upload_to_another_partners_list_is_refused_403_before_it_is_read(
    server: Server,
) -> None:
    store = server.app.state.service.store  # type: ignore[attr-defined]
    for partner_id in ("PRT-001", "PRT-002"):
        store.put_partner({"partner_id": partner_id, "name": partner_id, "sharing": {}})
    partner = create_key(store, role="partner", partner_id="PRT-001")[1]
    content_type, body = multipart("a.csv", chunks(8 * MiB, head=b"Company\n", fill=b"Acme\n"))
    headers = {"content-type": content_type, "transfer-encoding": "chunked", **_bearer(partner)}
    for owner in ("PRT-002", "vendor"):
        answer = server.call("POST", f"/lists/{owner}", body, headers=headers)
        assert answer.status == 403, answer.body
        assert answer.read == 0


def test_an_unexpected_error_is_answered_500_with_the_security_headers() -> None:
    store = Store.open(":memory:")
    app = create_app(store=store, settings=Settings(db=":memory:"))

    def broken() -> None:
        raise RuntimeError("a bug")

    app.add_api_route("/broken", broken)
    response = TestClient(app, raise_server_exceptions=False).get("/broken")
    assert response.status_code == 500
    assert response.json()["detail"] == "the server met an unexpected error"
    assert response.headers["content-security-policy"] == API_POLICY
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "no-referrer"
    store.close()


OVERRIDDEN = "North\u202egate\u202c Solutions"


def test_a_partner_reads_its_name_and_its_upload_report_without_bidi_controls() -> None:
    store = Store.open(":memory:")
    admin = {"Authorization": f"Bearer {admin_token(store)}"}
    (client,) = clients(store)
    created = client.put("/partners/PRT-001", json={"name": OVERRIDDEN}, headers=admin)
    assert created.status_code == 200
    partner = {
        "Authorization": f"Bearer {create_key(store, role='partner', partner_id='PRT-001')[1]}"
    }
    assert client.get("/partners/PRT-001", headers=partner).json()["name"] == "Northgate Solutions"
    upload = "Company \u2067Name\u2069,Website\nAcme,acme.example\n\u202e,\n".encode()
    report = client.post("/lists/PRT-001", files={"file": ("a.csv", upload)}, headers=partner)
    assert report.status_code == 201, report.text
    body = report.text
    assert not {"\u202e", "\u2067", "\u2069"} & set(body)
    assert "Company Name" in report.json()["mapping"]
    store.close()
