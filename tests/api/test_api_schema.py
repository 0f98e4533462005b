"""The app against its own OpenAPI schema: generated requests, no 5xx, documented answers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from api_world import SAMPLES, Api, make_api
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import positive_data_acceptance

from overlap.api.main import create_app
from overlap.api.service import load_directory
from overlap.api.store import Store

# the schema does not depend on the data: list the operations from a bare app
OPERATIONS = [
    (method.upper(), path)
    for path, item in create_app(store=Store.open(":memory:")).openapi()["paths"].items()
    for method in item
]


@pytest.fixture(scope="module")
def world() -> Iterator[tuple[Api, Any]]:
    store = Store.open(":memory:")
    load_directory(store, SAMPLES)
    api = make_api(store)
    yield api, schemathesis.openapi.from_asgi("/openapi.json", api.client.app)
    store.close()


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_the_app_answers_generated_requests_as_its_schema_says(
    world: tuple[Api, Any], method: str, path: str
) -> None:
    api, schema = world
    operation = schema[path][method]
    headers = api.headers("admin")
    # a file part that matches the schema can still be no account list (or no encodings,
    # or a secret too short) at all
    files = ("/lists/", "/private/encodings/")
    excluded = [positive_data_acceptance] if path.startswith(files) else []

    @given(case=operation.as_strategy())
    @settings(
        max_examples=20,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def answers(case: schemathesis.Case) -> None:
        case.call_and_validate(headers=headers, excluded_checks=excluded)

    answers()
