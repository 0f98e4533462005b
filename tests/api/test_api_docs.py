"""The OpenAPI document: every operation shows an example of what it answers."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import overlap
from overlap.api.main import create_app
from overlap.api.store import Store


def _has_example(node: Any, schemas: dict[str, Any], seen: frozenset[str] = frozenset()) -> bool:
    if isinstance(node, dict):
        if "example" in node or "examples" in node:
            return True
        ref = node.get("$ref")
        if isinstance(ref, str):
            name = ref.rsplit("/", 1)[-1]
            return name not in seen and _has_example(schemas[name], schemas, seen | {name})
        return any(_has_example(v, schemas, seen) for k, v in node.items() if k != "properties")
    if isinstance(node, list):
        return any(_has_example(v, schemas, seen) for v in node)
    return False


def test_every_operation_documents_an_example_answer() -> None:
    document = create_app(store=Store.open(":memory:")).openapi()
    schemas = document["components"]["schemas"]
    missing = [
        f"{method.upper()} {path}"
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if not any(
            _has_example(response.get("content", {}), schemas)
            for status, response in operation["responses"].items()
            if status.startswith("2")
        )
        and not operation["responses"].keys() & {"204"}
    ]
    assert missing == []


def test_every_operation_documents_its_problems_as_problem_json() -> None:
    document = create_app(store=Store.open(":memory:")).openapi()
    for item in document["paths"].values():
        for operation in item.values():
            for status in ("401", "403", "422"):
                assert "application/problem+json" in operation["responses"][status]["content"]


def test_the_document_carries_the_version_written_in_pyproject() -> None:
    pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
    written = tomllib.loads(pyproject.read_text())["project"]["version"]
    document = create_app(store=Store.open(":memory:")).openapi()
    assert document["info"]["version"] == overlap.__version__ == written
