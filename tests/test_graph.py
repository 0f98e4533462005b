from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from datetime import date
from pathlib import Path

import networkx as nx
import polars as pl
import pytest

from builders import make_accounts
from overlap import schema
from overlap.ecosystem.data import DEAL_SCHEMA, Ecosystem, ecosystem_from_frames
from overlap.ecosystem.graph import build_graph, neighbourhood, to_node_link, write_graphml

P1, P2 = "PRT-001", "PRT-002"


@pytest.fixture
def eco() -> Ecosystem:
    """Acme (vendor customer owning Platform, twice on the vendor's list), Beta (vendor open
    opportunity evaluating Edge), Zeta (only PRT-001's); PRT-001 is a reseller certified
    on Platform, PRT-002 a technology partner certified on Edge whose list has no status.
    """
    vendor = make_accounts(
        [
            {
                "id": "v1",
                "name": "Acme",
                "website": "https://www.acme.com",
                "country": "US",
                "industry": "Retail",
                "employees": 120,
                "status": "customer",
                "products": "Atlas Platform",
            },
            {"id": "v2", "name": "Acme Inc", "status": "customer", "products": "Atlas Platform"},
            {
                "id": "v3",
                "name": "Beta",
                "status": "prospect",
                "stage": "Proposal",
                "amount": 900.0,
                "close_date": date(2025, 9, 30),
                "products": "Atlas Edge",
            },
        ]
    )
    first = make_accounts(
        [
            {"id": "p1", "name": "ACME", "status": "customer", "employees": 999},
            {"id": "p2", "name": "Beta", "status": "prospect"},
            {"id": "p3", "name": "Zeta", "status": "opportunity", "website": "zeta.io"},
        ]
    )
    second = make_accounts([{"id": "q1", "name": "Beta"}])
    ids = [
        ("vendor", "v1", "A"),
        ("vendor", "v2", "A"),
        ("vendor", "v3", "B"),
        (P1, "p1", "A"),
        (P1, "p2", "B"),
        (P1, "p3", "Z"),
        (P2, "q1", "B"),
    ]
    return ecosystem_from_frames(
        vendor,
        {P1: first, P2: second},
        pl.DataFrame(
            {
                "partner_id": [P1, P2],
                "name": ["Northgate", "Tessellate"],
                "type": ["reseller", "technology"],
                "role": ["sell", "build"],
                "tier": ["gold", "registered"],
                "certifications": [["Atlas Platform"], ["Atlas Edge"]],
                "points": [4200, 800],
            }
        ),
        pl.DataFrame(
            {
                "product_id": ["PRD-01", "PRD-08"],
                "name": ["Atlas Platform", "Atlas Edge"],
                "family": ["Platform", "Platform"],
                "list_price": [48000.0, 60000.0],
            }
        ),
        pl.DataFrame(schema=DEAL_SCHEMA),
        company_ids=pl.DataFrame(
            ids, schema=[schema.LIST_OWNER, schema.ID, schema.COMPANY_ID], orient="row"
        ),
    )


def edge_kinds(graph: nx.DiGraph) -> set[tuple[str, str, str]]:
    return {(u, v, kind) for u, v, kind in graph.edges(data="kind")}


def test_there_is_one_node_per_company_whatever_list_it_came_from(eco: Ecosystem) -> None:
    graph = build_graph(eco)
    kinds = Counter(kind for _, kind in graph.nodes(data="kind"))
    assert kinds == {"vendor": 1, "partner": 2, "company": 3, "product": 2}


def test_company_nodes_take_the_vendors_values_first(eco: Ecosystem) -> None:
    graph = build_graph(eco)
    assert graph.nodes["A"] == {
        "kind": "company",
        "name": "Acme",
        "domain": "acme.com",
        "country": "US",
        "industry": "Retail",
        "employees": 120,
    }
    assert graph.nodes["Z"] == {"kind": "company", "name": "Zeta", "domain": "zeta.io"}


def test_edges_are_typed_by_the_relationship(eco: Ecosystem) -> None:
    assert edge_kinds(build_graph(eco)) == {
        ("vendor", "A", "customer"),
        ("vendor", "B", "opportunity"),
        (P1, "A", "customer"),
        (P1, "B", "prospect"),
        (P1, "Z", "opportunity"),
        (P2, "B", "listed"),
        ("A", "Atlas Platform", "owns"),
        ("B", "Atlas Edge", "evaluating"),
        (P1, "Atlas Platform", "certified"),
        (P1, "Atlas Edge", "resells"),
        (P2, "Atlas Edge", "certified"),
    }


def test_an_open_opportunity_edge_carries_stage_amount_and_close_date(eco: Ecosystem) -> None:
    graph = build_graph(eco)
    assert graph.edges["vendor", "B"] == {
        "kind": "opportunity",
        "stage": "Proposal",
        "amount": 900.0,
        "close_date": "2025-09-30",
    }
    assert graph.edges["vendor", "A"] == {"kind": "customer"}


def test_a_certified_reseller_keeps_both_relations_on_one_edge(eco: Ecosystem) -> None:
    graph = build_graph(eco)
    assert graph.edges[P1, "Atlas Platform"] == {
        "kind": "certified",
        "certified": True,
        "resells": True,
    }
    assert graph.edges[P2, "Atlas Edge"] == {
        "kind": "certified",
        "certified": True,
        "resells": False,
    }


def test_node_link_data_round_trips_through_json(eco: Ecosystem) -> None:
    graph = build_graph(eco)
    data = json.loads(json.dumps(to_node_link(graph)))
    back = nx.node_link_graph(data, edges="edges")
    assert dict(back.nodes(data=True)) == dict(graph.nodes(data=True))
    assert edge_kinds(back) == edge_kinds(graph)
    assert back.edges["vendor", "B"]["close_date"] == "2025-09-30"


def test_graphml_is_written_and_read_back(eco: Ecosystem, tmp_path: Path) -> None:
    graph = build_graph(eco)
    write_graphml(graph, tmp_path / "eco.graphml")
    back = nx.read_graphml(tmp_path / "eco.graphml")
    assert set(back.nodes) == set(graph.nodes)
    assert edge_kinds(back) == edge_kinds(graph)
    assert back.nodes["A"]["employees"] == 120


def test_a_neighbourhood_is_the_partners_nearest_nodes_up_to_a_limit(eco: Ecosystem) -> None:
    graph = build_graph(eco)
    assert set(neighbourhood(graph, P2)) == {P2, "B", "Atlas Edge"}
    assert set(neighbourhood(graph, P2, radius=2)) >= {"vendor", P1}
    assert len(neighbourhood(graph, P1, radius=2, limit=3)) == 3


def test_a_product_missing_from_the_catalogue_is_still_a_product_node(eco: Ecosystem) -> None:
    graph = build_graph(replace(eco, products=eco.products.filter(pl.col("name") != "Atlas Edge")))
    assert graph.nodes["Atlas Edge"] == {"kind": "product"}
    assert graph.edges["B", "Atlas Edge"]["kind"] == "evaluating"
