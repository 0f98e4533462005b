"""`overlap serve` and `overlap create-key`: what they print works against the store.

`uvicorn.run` is replaced by a stub that records the app, so no server is left running.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from api_world import SAMPLES, TestClient
from typer.testing import CliRunner

from overlap.api.main import create_app
from overlap.api.security import authenticate
from overlap.api.store import Store
from overlap.cli import app

runner = CliRunner()


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The arguments of each `uvicorn.run` call, which returns at once."""
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: calls.append(kwargs))
    return calls


def serve(db: Path, *options: str) -> str:
    result = runner.invoke(app, ["serve", "--db", str(db), "--port", "8123", *options])
    assert result.exit_code == 0, result.output
    return result.output


def test_serve_with_samples_loads_them_and_prints_a_key_and_a_request_that_works(
    tmp_path: Path, served: list[dict[str, Any]]
) -> None:
    db = tmp_path / "out" / "demo.duckdb"  # its folder is made
    output = serve(db, "--samples", str(SAMPLES))
    assert served == [{"host": "127.0.0.1", "port": 8123, "log_level": "warning"}]
    assert "http://127.0.0.1:8123/docs" in output
    found = re.search(r"curl -H 'Authorization: Bearer (\S+)' 'http://127.0.0.1:8123(\S+)'", output)
    assert found is not None, output
    token, path = found.groups()
    assert re.search(rf"admin key \(shown once, keep it\): {re.escape(token)}\n", output)
    assert path.startswith("/accounts/") and path.endswith("/partners?k=3")
    store = Store.open(db)
    try:
        client = TestClient(create_app(store=store))
        response = client.get(path, headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200, response.text
        assert len(response.json()["items"]) == 3
    finally:
        store.close()


def test_create_key_prints_a_token_the_store_authenticates(tmp_path: Path) -> None:
    db = tmp_path / "overlap.duckdb"
    result = runner.invoke(app, ["create-key", "--role", "sales", "--db", str(db)])
    assert result.exit_code == 0, result.output
    token = result.output.rsplit(": ", 1)[1].strip()
    store = Store.open(db)
    try:
        principal = authenticate(store, token)
        assert principal is not None and principal.role == "sales"
    finally:
        store.close()


def test_without_the_api_extra_serve_says_which_packages_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, served: list[dict[str, Any]]
) -> None:
    find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *args: None if name == "uvicorn" else find_spec(name, *args),
    )
    result = runner.invoke(app, ["serve", "--db", str(tmp_path / "s.duckdb")])
    assert result.exit_code == 2
    assert "uvicorn missing" in result.output and "pip install 'overlap[api]'" in result.output
    assert served == [] and not (tmp_path / "s.duckdb").exists()
