"""Signing in and out of the web app: cookies, CSRF, one-time links, expiry, revocation."""

from __future__ import annotations

from pathlib import Path

from web_world import Web, hidden

from overlap.api.main import create_app
from overlap.api.security import Principal, create_key, create_sign_in_link
from overlap.api.store import Store
from overlap.api.web.session import Sessions
from overlap.schema import Role


def test_a_signed_out_user_is_sent_to_the_sign_in_page_and_back_after(web: Web) -> None:
    client = web.browser()
    answer = client.get("/app/matrix")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/signin?next=/app/matrix"
    form = client.get(answer.headers["location"])
    assert 'name="next" value="/app/matrix"' in form.text
    signed = client.post(
        "/signin",
        data={
            "key": web.tokens["ecosystem"],
            "sign_in": hidden(form.text, "sign_in"),
            "next": "/app/matrix",
        },
    )
    assert signed.headers["location"] == "/app/matrix"
    assert client.get("/app/matrix").status_code == 200


def test_the_session_cookie_is_http_only_same_site_strict_and_secure_over_https(web: Web) -> None:
    for https in (False, True):
        client = web.browser(https=https)
        form = client.get("/signin")
        answer = client.post(
            "/signin", data={"key": web.tokens["sales"], "sign_in": hidden(form.text, "sign_in")}
        )
        cookie = next(
            c for c in answer.headers.get_list("set-cookie") if c.startswith("overlap_session=")
        )
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie
        assert ("Secure" in cookie) == https


def test_a_wrong_key_opens_no_session(web: Web) -> None:
    client = web.browser()
    form = client.get("/signin")
    answer = client.post(
        "/signin", data={"key": "ovl_000000000000_nope", "sign_in": hidden(form.text, "sign_in")}
    )
    assert answer.status_code == 401
    assert "unknown or revoked" in answer.text
    assert client.get("/app/search").status_code == 303


def test_a_sign_in_form_from_another_page_is_refused(web: Web) -> None:
    client = web.browser()  # never loaded the form: it has no pre-session cookie
    answer = client.post("/signin", data={"key": web.tokens["admin"], "sign_in": "forged"})
    assert answer.status_code == 401
    assert client.get("/").status_code == 303


def test_a_form_sent_without_the_csrf_token_is_refused_and_changes_nothing(web: Web) -> None:
    key_id = create_key(web.store, role="sales")[0]
    client = web.signed_in("admin")
    refused = client.post(f"/app/keys/{key_id}/revoke", data={})
    assert refused.status_code == 403
    assert "CSRF" in refused.text
    wrong = client.post(f"/app/keys/{key_id}/revoke", data={"csrf": "not-the-token"})
    assert wrong.status_code == 403
    key = web.store.key(key_id)
    assert key is not None and key.revoked_at is None
    token = hidden(client.get("/app/keys").text, "csrf")
    assert client.post(f"/app/keys/{key_id}/revoke", data={"csrf": token}).status_code == 303
    key = web.store.key(key_id)
    assert key is not None and key.revoked_at is not None


def test_signing_out_ends_the_session(web: Web) -> None:
    client = web.signed_in("sales")
    cookie = client.cookies.get("overlap_session")
    token = hidden(client.get("/").text, "csrf")
    assert client.post("/signout", data={"csrf": token}).headers["location"] == "/signin"
    client.cookies.set("overlap_session", cookie or "")  # a copy kept of the old cookie
    assert client.get("/").status_code == 303


def test_a_session_ends_when_its_key_is_revoked(web: Web) -> None:
    key_id, token = create_key(web.store, role="sales")
    web.tokens["revoked"] = token
    client = web.signed_in("revoked")
    assert client.get("/app/search").status_code == 200
    web.store.revoke_key(key_id)
    assert client.get("/app/search").status_code == 303


def test_a_session_expires_after_its_lifetime(web: Web) -> None:
    key_id = create_key(web.store, role="sales")[0]
    now = [1000.0]
    sessions = Sessions(web.store, lifetime=60, clock=lambda: now[0])
    token, _ = sessions.open(Principal(key_id=key_id, role=Role.SALES))
    now[0] += 59
    assert sessions.get(token) is not None
    now[0] += 2
    assert sessions.get(token) is None


def test_a_session_outlives_a_restart_of_the_service(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "overlap.duckdb")
    web = Web(create_app(store=store), store, {"sales": create_key(store, role="sales")[1]})
    signed_in = web.signed_in("sales")
    csrf = hidden(signed_in.get("/").text, "csrf")
    store.close()
    restarted = Store.open(tmp_path / "overlap.duckdb")
    client = Web(create_app(store=restarted), restarted, {}).browser()
    client.cookies = signed_in.cookies
    page = client.get("/")
    assert page.status_code == 200
    assert hidden(page.text, "csrf") == csrf
    assert client.post("/signout", data={"csrf": csrf}).status_code == 303
    assert client.get("/").status_code == 303
    restarted.close()


def test_a_session_keeps_its_key_role_and_partner(web: Web) -> None:
    key_id = create_key(web.store, role="partner", partner_id="PRT-002")[0]
    sessions = Sessions(web.store)
    token, opened = sessions.open(Principal(key_id, Role.PARTNER, "PRT-002"))
    found = sessions.get(token)
    assert found is not None
    assert (found.principal, found.csrf) == (opened.principal, opened.csrf)
    assert sessions.get("not-a-token") is None
    sessions.close(token)
    assert sessions.get(token) is None


def test_a_sign_in_link_signs_in_once(web: Web) -> None:
    key_id = create_key(web.store, role="partner", partner_id="PRT-001")[0]
    path = create_sign_in_link(web.store, key_id)
    client = web.browser()
    page = client.get(path)  # following the link uses nothing: a button does
    assert page.status_code == 200
    used = client.post(path, data={"sign_in": hidden(page.text, "sign_in")})
    assert used.status_code == 303
    assert "PRT-001" in client.get("/").text
    again = web.browser()
    page = again.get(path)
    assert again.post(path, data={"sign_in": hidden(page.text, "sign_in")}).status_code == 401


def test_an_expired_sign_in_link_is_refused(web: Web) -> None:
    key_id = create_key(web.store, role="sales")[0]
    path = create_sign_in_link(web.store, key_id, minutes=-1)
    client = web.browser()
    page = client.get(path)
    answer = client.post(path, data={"sign_in": hidden(page.text, "sign_in")})
    assert answer.status_code == 401
    assert "used, expired or unknown" in answer.text
