"""The samples loaded and matched in a store, behind an app, with a key per role.

Imported explicitly (``from sample_world import ...``), not a pytest conftest.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from conftest_h10 import TestClient, clients

from overlap.api.security import create_key
from overlap.api.service import load_directory
from overlap.api.store import Store

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"


@dataclass
class World:
    store: Store
    client: TestClient
    tokens: dict[str, str]  # role (or partner id) -> bearer token

    def get(self, who: str, path: str, **params: Any) -> Any:
        headers = {"Authorization": f"Bearer {self.tokens[who]}"}
        response = self.client.get(path, params=params, headers=headers)
        assert response.status_code == 200, response.text
        return response.json()

    def share(self, partner_id: str, **directions: dict[str, str]) -> None:
        """Set some directions of a partner's sharing rules, the others kept."""
        partner = self.store.partner(partner_id)
        assert partner is not None
        sharing = {**partner["sharing"], **directions}
        self.store.put_partner({**partner, "sharing": sharing})
        self.client.app.state.service.refresh()  # type: ignore[attr-defined]  # as a PUT does


def sample_world() -> World:
    store = Store.open(":memory:")
    load_directory(store, SAMPLES)
    tokens = {role: create_key(store, role=role)[1] for role in ("admin", "sales")}
    for partner in store.partners():
        pid = partner["partner_id"]
        tokens[pid] = create_key(store, role="partner", partner_id=pid)[1]
    (client,) = clients(store)
    return World(store=store, client=client, tokens=tokens)


def every(level: str) -> dict[str, str]:
    """One level for every population."""
    return dict.fromkeys(("customer", "opportunity", "prospect"), level)
