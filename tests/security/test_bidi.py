"""Defect 9 of issue 21: names are served without the controls that reorder how text displays."""

from __future__ import annotations

import polars as pl
import pytest
from conftest_h10 import TestClient, admin_token, clients

from overlap.api.responses import csv_response
from overlap.api.store import Store

CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
NAME = "Gulf \u202eCoast\u202c Computing \u2067Ltd\u2069"


@pytest.fixture(scope="module")
def world() -> tuple[TestClient, dict[str, str]]:
    store = Store.open(":memory:")
    headers = {"Authorization": f"Bearer {admin_token(store)}"}
    (client,) = clients(store)
    upload = f"Company,Website,Country,Status\n{NAME},gulf.example,US,Customer\n"
    response = client.post(
        "/lists/vendor", files={"file": ("a.csv", upload.encode())}, headers=headers
    )
    assert response.status_code == 201
    return client, headers


def test_a_name_uploaded_with_a_right_to_left_override_is_served_without_it(
    world: tuple[TestClient, dict[str, str]],
) -> None:
    client, headers = world
    found = client.get("/accounts", params={"q": "gulf coast"}, headers=headers).json()
    assert [item["name"] for item in found["items"]] == ["Gulf Coast Computing Ltd"]
    company = found["items"][0]["company_id"]
    records = client.get(f"/accounts/{company}", headers=headers).json()["items"]
    assert [item["name"] for item in records] == ["Gulf Coast Computing Ltd"]


def test_a_csv_download_carries_no_bidi_control() -> None:
    frame = pl.DataFrame({"name": [NAME, f"{CONTROLS}=1+1"], "n": [1, 2]})
    body = bytes(csv_response(frame, "a.csv").body).decode()
    assert not set(CONTROLS) & set(body)
    assert "Gulf Coast Computing Ltd" in body
