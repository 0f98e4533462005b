"""The ecosystem as a graph of the vendor, partners, companies and products.

A ``networkx.DiGraph`` with one typed edge per ordered pair of nodes. Once statuses
are taken per company, every relation of the model is one per pair but one: a reseller
certified on a product, which is one ``certified`` edge with ``resells=True``. A
MultiDiGraph would model that with two edges, at about three times the build time of
a DiGraph (networkx adds multi-edges through several view lookups each). Nodes carry
``kind`` ("vendor", "partner", "company", "product"); edges carry ``kind``:

* partner -> company: the partner's status of the company (customer, opportunity,
  prospect, churned, partner), or ``listed`` when its list gives none;
* vendor -> company: the vendor's status, the same way; opportunity edges also carry
  ``stage``, ``amount`` and ``close_date`` of the largest open opportunity;
* company -> product: ``owns`` (products of the vendor's customer records), else
  ``evaluating`` (products of its open opportunity records);
* partner -> product: ``certified`` (partners.csv certifications), else ``resells``
  (every product, for partners of type reseller); both carry the booleans
  ``certified`` and ``resells``.

Statuses are per company (``ecosystem.data.owner_relationships``). Dates are ISO strings and
null attributes are left out, so the graph exports to JSON and GraphML as it is.

The graph is for traversal and export. Counting (overlaps, populations, pipeline)
is done on frames in ``overlap.ecosystem.report``, where polars is orders of magnitude faster
than walking a million-node graph in Python.
"""

from __future__ import annotations

from itertools import islice
from pathlib import Path
from typing import Any

import networkx as nx
import polars as pl

from overlap import schema
from overlap.ecosystem.data import VENDOR, Ecosystem, has_open_stage, owner_relationships
from overlap.normalise.domains import domain_from

LISTED = "listed"
OWNS = "owns"
EVALUATING = "evaluating"
CERTIFIED = "certified"
RESELLS = "resells"
RESELLER = "reseller"

_COMPANY_ATTRIBUTES = (
    schema.NAME,
    schema.DOMAIN,
    schema.COUNTRY,
    schema.INDUSTRY,
    schema.EMPLOYEES,
)


def build_graph(eco: Ecosystem) -> nx.DiGraph:
    """The graph of the module docstring, built from edge frames with ``add_edges_from``."""
    graph = nx.DiGraph()
    graph.add_node(VENDOR, kind="vendor")
    _add_nodes(graph, eco.partners.drop("certifications"), "partner_id", kind="partner")
    _add_nodes(graph, _companies(eco.accounts), schema.COMPANY_ID, kind="company")
    product_edges = pl.concat(
        [_product_edges(eco.accounts), _partner_product_edges(eco)], how="diagonal"
    )
    _add_nodes(graph, _products(eco, product_edges), "name", kind="product")
    _add_edges(graph, _company_edges(eco.accounts))
    _add_edges(graph, product_edges)
    return graph


def to_node_link(graph: nx.DiGraph) -> dict[str, Any]:
    """The graph as node-link data (``nodes``, ``edges``), ready for ``json.dumps``."""
    data: dict[str, Any] = nx.node_link_data(graph, edges="edges")
    return data


def write_graphml(graph: nx.DiGraph, path: str | Path) -> None:
    """Write the graph as GraphML (readable by Gephi, yEd, ``nx.read_graphml``)."""
    nx.write_graphml(graph, Path(path))


def neighbourhood(
    graph: nx.DiGraph, partner_id: str, *, radius: int = 1, limit: int = 50
) -> nx.DiGraph:
    """The nodes within ``radius`` steps of a partner (either direction), nearest first.

    At most ``limit`` nodes, the partner included, found breadth first and lazily, so a
    hub such as the vendor node is not expanded past the limit.
    """
    undirected = graph.to_undirected(as_view=True)
    reached = (v for _, v in nx.bfs_edges(undirected, partner_id, depth_limit=radius))
    nodes = [partner_id, *islice(reached, max(limit - 1, 0))]
    subgraph: nx.DiGraph = graph.subgraph(nodes).copy()
    return subgraph


def _companies(accounts: pl.DataFrame) -> pl.DataFrame:
    """One row per company: the first known value of each attribute, vendor records first."""
    first = accounts.sort(pl.col(schema.LIST_OWNER) != VENDOR, maintain_order=True)
    return (
        first.with_columns(
            domain_from(pl.coalesce(schema.WEBSITE, schema.EMAIL)).alias(schema.DOMAIN)
        )
        .group_by(schema.COMPANY_ID, maintain_order=True)
        .agg(pl.col(c).drop_nulls().first() for c in _COMPANY_ATTRIBUTES)
    )


def _products(eco: Ecosystem, edges: pl.DataFrame) -> pl.DataFrame:
    """The catalogue, and the products that edges name without the catalogue having them."""
    catalogue = eco.products.select("name", "product_id", "family", "list_price")
    named = edges.select(pl.col("target").unique(maintain_order=True).alias("name"))
    unknown = named.join(catalogue, on="name", how="anti")
    return pl.concat([catalogue, unknown], how="diagonal")


def _company_edges(accounts: pl.DataFrame) -> pl.DataFrame:
    """Vendor/partner -> company, one per owner and company."""
    vendor_opportunity = (pl.col(schema.LIST_OWNER) == VENDOR) & (
        pl.col(schema.STATUS) == schema.STATUS_OPPORTUNITY
    )
    return owner_relationships(accounts).select(
        pl.col(schema.LIST_OWNER).alias("source"),
        pl.col(schema.COMPANY_ID).alias("target"),
        pl.col(schema.STATUS).fill_null(LISTED).alias("kind"),
        pl.when(vendor_opportunity).then(schema.STAGE).alias(schema.STAGE),
        pl.when(vendor_opportunity).then(schema.AMOUNT).alias(schema.AMOUNT),
        pl.when(vendor_opportunity)
        .then(pl.col(schema.CLOSE_DATE).dt.to_string())
        .alias(schema.CLOSE_DATE),
    )


def _product_edges(accounts: pl.DataFrame) -> pl.DataFrame:
    """Company -> product from the vendor's Products column, one per company, product, kind."""
    status = pl.col(schema.STATUS)
    return (
        accounts.filter(pl.col(schema.LIST_OWNER) == VENDOR, pl.col(schema.PRODUCTS).is_not_null())
        .select(
            pl.col(schema.COMPANY_ID).alias("source"),
            pl.col(schema.PRODUCTS).str.split(";").alias("target"),
            pl.when(status == schema.STATUS_CUSTOMER)
            .then(pl.lit(OWNS))
            .when(has_open_stage())
            .then(pl.lit(EVALUATING))
            .alias("kind"),
        )
        .explode("target")
        .with_columns(pl.col("target").str.strip_chars())
        .filter(pl.col("kind").is_not_null(), pl.col("target") != "")
        .sort(pl.col("kind") != OWNS, maintain_order=True)
        .unique(["source", "target"], keep="first", maintain_order=True)
    )


def _partner_product_edges(eco: Ecosystem) -> pl.DataFrame:
    """Partner -> product: certified on its certifications, resells everything if a reseller."""
    partners = eco.partners.select(
        pl.col("partner_id").alias("source"),
        "certifications",
        (pl.col("type") == RESELLER).alias(RESELLS),
    )
    products = eco.products.select(pl.col("name").alias("target"))
    return (
        partners.join(products, how="cross")
        .with_columns(pl.col("certifications").list.contains(pl.col("target")).alias(CERTIFIED))
        .filter(pl.col(CERTIFIED) | pl.col(RESELLS))
        .select(
            "source",
            "target",
            pl.when(CERTIFIED).then(pl.lit(CERTIFIED)).otherwise(pl.lit(RESELLS)).alias("kind"),
            CERTIFIED,
            RESELLS,
        )
    )


def _add_nodes(graph: nx.DiGraph, nodes: pl.DataFrame, key: str, *, kind: str) -> None:
    """Add ``nodes[key]`` with ``kind`` and every other column as non-null attributes."""
    graph.add_nodes_from(nodes[key].to_list(), kind=kind)
    for column in nodes.columns:
        if column != key:
            known = nodes.filter(pl.col(column).is_not_null())
            values = dict(zip(known[key].to_list(), known[column].to_list(), strict=True))
            nx.set_node_attributes(graph, values, column)


def _add_edges(graph: nx.DiGraph, edges: pl.DataFrame) -> None:
    """Add edges from ``source``, ``target``, ``kind`` and attribute columns (nulls left out)."""
    for (kind,), part in edges.partition_by("kind", as_dict=True, maintain_order=True).items():
        pairs = zip(part["source"].to_list(), part["target"].to_list(), strict=True)
        graph.add_edges_from(pairs, kind=kind)
    for column in edges.columns[3:]:
        known = edges.filter(pl.col(column).is_not_null())
        pairs = zip(known["source"].to_list(), known["target"].to_list(), strict=True)
        nx.set_edge_attributes(
            graph, dict(zip(pairs, known[column].to_list(), strict=True)), column
        )
