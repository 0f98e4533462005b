"""Build time and memory of overlap.ecosystem.graph.build_graph on a generated ecosystem.

    .venv/bin/python bench/graph.py [--accounts 1000000] [--partners 50] [--links 3000000]

Generates the vendor's list (``--accounts`` companies, one record each: a third customers,
a tenth open opportunities), ``--partners`` partner lists that together hold ``--links``
records of random vendor companies (each partner a random subset), and the company of
every record, straight from numpy (seed 0, no matching). Prints the seconds and RSS growth
of ``ecosystem_from_frames`` and of ``build_graph``, the graph's size, and, as a floor to
compare with, the seconds of a bare ``nx.DiGraph().add_edges_from`` of the same
partner -> company pairs without attributes.
"""

from __future__ import annotations

import argparse
import time
from typing import NamedTuple

import networkx as nx
import numpy as np
import polars as pl
import psutil

from overlap import schema
from overlap.ecosystem.data import (
    DEAL_SCHEMA,
    VENDOR,
    ecosystem_from_frames,
)
from overlap.ecosystem.graph import build_graph

PRODUCTS = ("Atlas Platform", "Atlas Data Hub", "Atlas Analytics", "Atlas Connect")
INDUSTRIES = ("Technology", "Healthcare", "Retail", "Banking", "Manufacturing")
COUNTRIES = ("United States", "Germany", "France", "United Kingdom", "Japan")
STATUSES = ("customer", "opportunity", "prospect")


def pick(rng: np.random.Generator, values: tuple[str, ...], n: int) -> pl.Series:
    """``n`` values drawn uniformly from ``values``."""
    return pl.Series(values).gather(rng.integers(0, len(values), n))


def accounts(columns: dict[str, pl.Series | np.ndarray]) -> pl.DataFrame:
    """An account frame with ``columns`` and every other schema column null."""
    height = len(next(iter(columns.values())))
    given = pl.DataFrame(columns)
    return given.with_columns(
        pl.lit(None, dtype).alias(c)
        for c, dtype in schema.ACCOUNT_SCHEMA.items()
        if c not in given.columns
    ).with_columns(pl.int_range(1, height + 1).alias(schema.ROW))


class Frames(NamedTuple):
    vendor: pl.DataFrame
    partner_lists: dict[str, pl.DataFrame]
    partners: pl.DataFrame
    products: pl.DataFrame
    company_ids: pl.DataFrame


def generate(n_accounts: int, n_partners: int, n_links: int, seed: int) -> Frames:
    """The frames of the module docstring."""
    rng = np.random.default_rng(seed)
    number = pl.int_range(0, n_accounts, eager=True).cast(pl.String)
    draw = pl.Series(rng.random(n_accounts))
    opportunity = (draw >= 0.33) & (draw < 0.43)
    vendor = accounts(
        {
            schema.ID: "V" + number,
            schema.NAME: "Company " + number,
            schema.WEBSITE: "company" + number + ".com",
            schema.COUNTRY: pick(rng, COUNTRIES, n_accounts),
            schema.INDUSTRY: pick(rng, INDUSTRIES, n_accounts),
            schema.EMPLOYEES: rng.integers(5, 20_000, n_accounts),
            schema.STATUS: pl.select(
                pl.when(draw < 0.33).then(pl.lit("customer")).otherwise(pl.lit("prospect"))
            ).to_series(),
            schema.STAGE: pl.select(pl.when(opportunity).then(pl.lit("Proposal"))).to_series(),
            schema.AMOUNT: pl.select(
                pl.when(opportunity).then(pl.Series(rng.integers(5, 300, n_accounts) * 1000.0))
            ).to_series(),
            schema.PRODUCTS: pl.select(
                pl.when(draw < 0.43).then(pick(rng, PRODUCTS, n_accounts))
            ).to_series(),
        }
    )
    partner_ids = [f"PRT-{p:03d}" for p in range(1, n_partners + 1)]
    per_partner = n_links // n_partners
    lists: dict[str, pl.DataFrame] = {}
    ids = [
        vendor.select(
            pl.lit(VENDOR).alias(schema.LIST_OWNER),
            schema.ID,
            pl.col(schema.ID).alias(schema.COMPANY_ID),
        )
    ]
    for pid in partner_ids:
        members = pl.Series(rng.choice(n_accounts, per_partner, replace=False)).cast(pl.String)
        lists[pid] = accounts(
            {
                schema.ID: pid + "-" + members,
                schema.NAME: "Company " + members,
                schema.STATUS: pick(rng, STATUSES, per_partner),
            }
        )
        ids.append(
            lists[pid].select(
                pl.lit(pid).alias(schema.LIST_OWNER),
                schema.ID,
                ("V" + members).alias(schema.COMPANY_ID),
            )
        )
    partners = pl.DataFrame(
        {
            "partner_id": partner_ids,
            "name": [f"Partner {p}" for p in partner_ids],
            "type": ["reseller" if i % 5 == 0 else "technology" for i in range(n_partners)],
            "role": "sell",
            "tier": "gold",
            "certifications": [list(PRODUCTS[: 1 + i % len(PRODUCTS)]) for i in range(n_partners)],
            "points": 1000,
        }
    )
    products = pl.DataFrame(
        {"product_id": [f"PRD-{i}" for i in range(len(PRODUCTS))], "name": PRODUCTS}
    ).with_columns(family=pl.lit("Platform"), list_price=pl.lit(10_000.0))
    return Frames(vendor, lists, partners, products, pl.concat(ids))


def rss() -> int:
    return psutil.Process().memory_info().rss


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--accounts", type=int, default=1_000_000, help="vendor companies")
    parser.add_argument("--partners", type=int, default=50, help="partner lists")
    parser.add_argument("--links", type=int, default=3_000_000, help="partner records in all")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    start = time.perf_counter()
    frames = generate(args.accounts, args.partners, args.links, args.seed)
    print(
        f"generated {args.accounts:,} accounts x {args.partners} partners "
        f"({args.links:,} partner records) in {time.perf_counter() - start:.1f} s"
    )

    before, start = rss(), time.perf_counter()
    eco = ecosystem_from_frames(
        frames.vendor,
        frames.partner_lists,
        frames.partners,
        frames.products,
        pl.DataFrame(schema=DEAL_SCHEMA),
        company_ids=frames.company_ids,
    )
    seconds = time.perf_counter() - start
    print(f"ecosystem_from_frames: {seconds:6.1f} s  {(rss() - before) / 1e9:5.2f} GB RSS growth")

    before, start = rss(), time.perf_counter()
    graph = build_graph(eco)
    build = time.perf_counter() - start
    grown = rss() - before
    print(
        f"build_graph:           {build:6.1f} s  {grown / 1e9:5.2f} GB RSS growth  "
        f"({graph.number_of_nodes():,} nodes, {graph.number_of_edges():,} edges, "
        f"{graph.number_of_edges() / build:,.0f} edges/s)"
    )
    del graph

    pairs = eco.accounts.filter(pl.col(schema.LIST_OWNER) != VENDOR).select(
        schema.LIST_OWNER, schema.COMPANY_ID
    )
    start = time.perf_counter()
    bare = nx.DiGraph()
    bare.add_edges_from(
        zip(pairs[schema.LIST_OWNER].to_list(), pairs[schema.COMPANY_ID].to_list(), strict=True)
    )
    floor = time.perf_counter() - start
    print(
        f"bare nx.DiGraph of the {pairs.height:,} partner -> company pairs: {floor:6.1f} s "
        f"(build_graph takes {build / floor:.1f}x)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
