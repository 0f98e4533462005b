"""Recommender and learned Ranker fit time and per-account latency, and co-sell time.

    .venv/bin/python bench/rank.py [--accounts 1000000] [--partners 50] [--queries 2000]

Builds the Ecosystem directly with numpy and polars (no matching): ``--accounts``
vendor accounts, ``--partners`` partners each listing 2% of the companies (half of
them the vendor's), 200,000 closed deals. Prints fit seconds, p50 and p99 milliseconds
of ``Recommender.recommend`` and ``Ranker.recommend`` over ``--queries`` random vendor
account ids (perf_counter around each call; beside them the process's CPU time per
call, which waiting for a shared core does not inflate; the fits' CPU time too), and
the seconds of ``co_sell`` and of its rows' odds (``Ranker.with_odds``). Every timing
is printed with the 1-minute load average: the machine may be shared. ``--profile``
prints where ``Ranker.fit`` spends its time (cProfile, the 20 costliest calls by cumulative time).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import time
from datetime import date, timedelta

import numpy as np
import polars as pl

from overlap import schema
from overlap.ecosystem.data import (
    AS_OF,
    DEAL_SCHEMA,
    LISTED_SINCE,
    PARTNER_SCHEMA,
    PRODUCT_SCHEMA,
    VENDOR,
    Ecosystem,
)
from overlap.ecosystem.rank import co_sell
from overlap.ecosystem.ranker import Ranker
from overlap.ecosystem.recommend import Recommender

PRODUCTS = ("Atlas Platform", "Atlas Data Hub", "Atlas Analytics", "Atlas Connect")
INDUSTRIES = ("Healthcare", "Finance", "Retail", "Technology", "Manufacturing", "Energy")
STATUSES = ("customer", "opportunity", "prospect", "churned")
STAGES = ("Prospecting", "Qualification", "Needs Analysis", "Proposal", "Negotiation")
ROLES = ("advise", "sell", "build", "service", "manage")
TIERS = ("registered", "silver", "gold", "platinum")


def accounts_frame(rng: np.random.Generator, owner: str, companies: np.ndarray) -> pl.DataFrame:
    """An Ecosystem accounts frame for one list whose records are ``companies``."""
    n = len(companies)
    status = np.array(STATUSES)[rng.choice(4, n, p=[0.35, 0.15, 0.45, 0.05])]
    columns = {
        schema.ID: pl.Series([f"{owner}-{i}" for i in range(n)]),
        schema.NAME: pl.Series([f"Company {c}" for c in companies]),
        schema.INDUSTRY: np.array(INDUSTRIES)[rng.integers(0, len(INDUSTRIES), n)],
        schema.EMPLOYEES: rng.lognormal(5, 1.5, n).astype(np.int64),
        schema.STATUS: status,
        schema.STAGE: np.array(STAGES)[rng.integers(0, len(STAGES), n)],
        schema.AMOUNT: rng.lognormal(10, 1, n),
        schema.CREATED_DATE: pl.date_range(date(2020, 1, 1), date(2024, 12, 31), eager=True)
        .sample(n, with_replacement=True, seed=int(rng.integers(1 << 31)))
        .to_numpy(),
        schema.PRODUCTS: np.array(PRODUCTS)[rng.integers(0, len(PRODUCTS), n)],
    }
    is_open = pl.col(schema.STATUS) == "opportunity"
    frame = pl.DataFrame(columns).with_columns(
        pl.when(is_open).then(pl.col(schema.STAGE, schema.AMOUNT)),
    )
    return frame.select(
        *(
            pl.col(c) if c in columns else pl.lit(None, t).alias(c)
            for c, t in schema.ACCOUNT_SCHEMA.items()
            if c != schema.OWNER
        ),
        pl.lit(None, pl.String).alias(schema.ACCOUNT_OWNER),
        pl.lit(owner).alias(schema.LIST_OWNER),
        pl.Series(schema.COMPANY_ID, companies.astype(str)),
        pl.lit(None, pl.Date).alias(AS_OF),
        pl.lit(None, pl.Date).alias(LISTED_SINCE),
    )


def synthetic(n_accounts: int, n_partners: int, *, seed: int = 0) -> Ecosystem:
    """A vendor of ``n_accounts`` companies and ``n_partners`` partners listing 2% each."""
    rng = np.random.default_rng(seed)
    vendor = accounts_frame(rng, VENDOR, np.arange(n_accounts))
    partner_ids = [f"PRT-{i:03d}" for i in range(1, n_partners + 1)]
    size = n_accounts // 50
    lists = [
        accounts_frame(
            rng,
            pid,
            np.concatenate(
                [
                    rng.choice(n_accounts, size // 2, replace=False),
                    n_accounts + rng.choice(n_accounts, size - size // 2, replace=False),
                ]
            ),
        )
        for pid in partner_ids
    ]
    partners = pl.DataFrame(
        {
            "partner_id": partner_ids,
            "name": [f"Partner {i}" for i in range(n_partners)],
            "type": "reseller",
            "role": np.array(ROLES)[rng.integers(0, 5, n_partners)],
            "tier": np.array(TIERS)[rng.integers(0, 4, n_partners)],
            "certifications": [
                list(rng.choice(PRODUCTS, rng.integers(1, 4), replace=False))
                for _ in range(n_partners)
            ],
            "points": rng.integers(0, 10_000, n_partners),
        },
        schema=PARTNER_SCHEMA,
    )
    products = pl.DataFrame(
        {
            "product_id": [f"PRD-{i}" for i in range(len(PRODUCTS))],
            "name": PRODUCTS,
            "family": ["Platform", "Data", "Analytics", "Integration"],
            "list_price": [48000.0, 36000.0, 24000.0, 18000.0],
        },
        schema=PRODUCT_SCHEMA,
    )
    n_deals = 200_000
    created = vendor[schema.CREATED_DATE].sample(n_deals, with_replacement=True, seed=seed)
    with_partner = rng.random(n_deals) < 0.4
    deals = pl.DataFrame(
        {
            "deal_id": [f"DL-{i}" for i in range(n_deals)],
            "account_id": vendor[schema.ID].sample(n_deals, with_replacement=True, seed=seed),
            "product": np.array(PRODUCTS)[rng.integers(0, len(PRODUCTS), n_deals)],
            "amount": rng.lognormal(10, 1, n_deals),
            "created_date": created,
            "close_date": created + timedelta(days=90),
            "outcome": np.where(rng.random(n_deals) < 0.45, "won", "lost"),
            "partner_id": pl.Series(np.array(partner_ids)[rng.integers(0, n_partners, n_deals)]),
            "partner_touch_date": pl.Series([None] * n_deals, dtype=pl.Date),
        },
        schema=DEAL_SCHEMA,
    ).with_columns(pl.when(pl.Series(with_partner)).then(pl.col("partner_id")).alias("partner_id"))
    return Ecosystem(pl.concat([vendor, *lists]), partners, products, deals)


def cpu_since(cpu: float) -> str:
    """The process's CPU time since ``cpu`` (every thread's): what a busy machine's
    waiting for a core leaves out."""
    return f" (CPU time {time.process_time() - cpu:.1f} s)"


def load() -> str:
    """The 1-minute load average, said beside a timing."""
    return f"(load average {os.getloadavg()[0]:.1f})"


def latency(name: str, recommender: Recommender, queries: list[str]) -> None:
    """Print p50 and p99 milliseconds of ``recommend`` over ``queries``."""
    latencies, cpu = [], []
    for account in queries:
        started, started_cpu = time.perf_counter(), time.process_time()
        recommender.recommend(account, k=5)
        latencies.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    p50, p99 = np.percentile(np.array(latencies) * 1000, [50, 99])
    cpu50, cpu99 = np.percentile(np.array(cpu) * 1000, [50, 99])
    print(
        f"{name} over {len(queries):,} accounts: p50 {p50:.2f} ms, p99 {p99:.2f} ms "
        f"(CPU time p50 {cpu50:.2f} ms, p99 {cpu99:.2f} ms) {load()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=1_000_000)
    parser.add_argument("--partners", type=int, default=50)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()

    started = time.perf_counter()
    eco = synthetic(args.accounts, args.partners)
    print(
        f"ecosystem: {args.accounts:,} vendor accounts, {args.partners} partners, "
        f"{eco.accounts.height:,} records, {eco.deals.height:,} deals "
        f"({time.perf_counter() - started:.1f} s to build)"
    )

    started, cpu = time.perf_counter(), time.process_time()
    recommender = Recommender().fit(eco)
    print(f"Recommender.fit: {time.perf_counter() - started:.2f} s{cpu_since(cpu)} {load()}")

    rng = np.random.default_rng(1)
    vendor_ids = eco.accounts.filter(pl.col(schema.LIST_OWNER) == VENDOR)[schema.ID]
    queries = vendor_ids.gather(rng.integers(0, len(vendor_ids), args.queries)).to_list()
    latency("Recommender.recommend", recommender, queries)

    profile = cProfile.Profile() if args.profile else None
    started, cpu = time.perf_counter(), time.process_time()
    if profile is not None:
        profile.enable()
    ranker = Ranker().fit(eco)
    if profile is not None:
        profile.disable()
    trees = ranker.ranking_.n_trees_ if ranker.ranking_ is not None else 0
    print(
        f"Ranker.fit (learned ranker, {eco.deals.height:,} deals, {trees} trees kept): "
        f"{time.perf_counter() - started:.2f} s{cpu_since(cpu)} {load()}"
    )
    if profile is not None:
        pstats.Stats(profile).sort_stats("cumulative").print_stats(20)
    latency("Ranker.recommend", ranker, queries)

    started = time.perf_counter()
    rows = co_sell(eco)
    print(f"co_sell: {time.perf_counter() - started:.2f} s for {rows.height:,} rows {load()}")
    started = time.perf_counter()
    ranker.with_odds(rows)
    print(f"Ranker.with_odds of those rows: {time.perf_counter() - started:.2f} s {load()}")


if __name__ == "__main__":
    main()
