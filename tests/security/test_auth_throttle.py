"""Defect 7 of issue 21: a client that keeps sending wrong keys is answered 429, then let go."""

from __future__ import annotations

from conftest_h10 import admin_token, clients

from overlap.api.security import FailureThrottle
from overlap.api.settings import Settings
from overlap.api.store import Store

FIVE_A_MINUTE = Settings(db=":memory:", auth_failure_limit=5, auth_failure_window_seconds=60)
WRONG = {"Authorization": "Bearer ovl_000000000000_not-a-real-secret"}


def test_a_client_guessing_keys_is_answered_429_with_retry_after_even_for_a_good_key() -> None:
    store = Store.open(":memory:")
    good = {"Authorization": f"Bearer {admin_token(store)}"}
    (guesser,) = clients(store, "203.0.113.7", settings=FIVE_A_MINUTE)
    answers = [guesser.get("/partners", headers=WRONG).status_code for _ in range(50)]
    assert answers == [401] * 5 + [429] * 45
    refused = guesser.get("/partners", headers=good)
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    assert refused.headers["Content-Type"] == "application/problem+json"


def test_another_clients_failures_never_throttle_a_good_key() -> None:
    store = Store.open(":memory:")
    good = {"Authorization": f"Bearer {admin_token(store)}"}
    guesser, user = clients(store, "203.0.113.7", "198.51.100.1", settings=FIVE_A_MINUTE)
    for _ in range(20):
        guesser.get("/partners", headers=WRONG)
    assert user.get("/partners", headers=good).status_code == 200
    assert user.get("/partners", headers=WRONG).status_code == 401


def test_a_refused_client_is_let_go_when_its_window_passes() -> None:
    now = [0.0]
    throttle = FailureThrottle(limit=3, window=10, clients=100, clock=lambda: now[0])
    for _ in range(3):
        throttle.failed("a")
    assert throttle.retry_after("a") == 10
    now[0] = 9.5
    assert throttle.retry_after("a") == 1
    now[0] = 10.0
    assert throttle.retry_after("a") is None
    throttle.failed("a")
    assert throttle.retry_after("a") is None


def test_the_throttle_remembers_a_bounded_number_of_clients() -> None:
    throttle = FailureThrottle(limit=1, window=60, clients=100, clock=lambda: 0.0)
    for n in range(10_000):
        throttle.failed(f"10.0.{n // 256}.{n % 256}")
    assert len(throttle) == 100
    assert throttle.retry_after("10.0.39.15") == 60  # the last one seen is remembered
    assert throttle.retry_after("10.0.0.0") is None  # the first is forgotten


def test_wrong_keys_sent_with_a_body_count_as_failures_too() -> None:
    # bodies are refused before they are read, outside the routes: the same throttle counts them
    store = Store.open(":memory:")
    good = {"Authorization": f"Bearer {admin_token(store)}"}
    (guesser,) = clients(store, "203.0.113.7", settings=FIVE_A_MINUTE)
    answers = [
        guesser.post("/keys", headers=WRONG, json={"role": "sales"}).status_code for _ in range(8)
    ]
    assert answers == [401] * 5 + [429] * 3
    assert guesser.get("/partners", headers=good).status_code == 429
