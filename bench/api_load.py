"""Latency and throughput of the web service's recommendation and co-sell endpoints.

Builds a synthetic store (the accounts of ``bench/rank.py``'s ``synthetic``, resolved to
companies by construction: no matching), starts a real uvicorn server on 127.0.0.1 in
a subprocess, and sends requests at a fixed rate with bounded concurrency (httpx async
client), then prints p50/p99 latency and throughput per endpoint.

    .venv/bin/python bench/api_load.py                                  # 100,000 accounts
    .venv/bin/python bench/api_load.py --accounts 1000000 --partners 50 # the target
Target: p99 < 50 ms at 200 req/s on 2 cores. Only loopback traffic. The load generator
shares the machine with the server, as it would on a 2-core CI runner.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import numpy as np
import polars as pl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from api.security import create_key  # noqa: E402

from overlap.ecosystem import VENDOR  # noqa: E402
from overlap.store import Store  # noqa: E402
from rank import synthetic  # noqa: E402  (bench/rank.py)


def build_store(path: Path, n_accounts: int, n_partners: int) -> tuple[str, list[str], list[str]]:
    """A store of synthetic lists and one succeeded run; (admin token, vendor ids, partners)."""
    eco = synthetic(n_accounts, n_partners)
    store = Store.open(path)
    for partner in eco.partners.to_dicts():
        store.put_partner({**partner, "sharing": None})
    lists = eco.accounts.drop("owner").rename({"account_owner": "owner"})
    owners = eco.accounts["owner"]
    for owner in [VENDOR, *eco.partners["partner_id"]]:
        store.put_list(owner, lists.filter(owners == owner), file_name=f"{owner}.csv")
    store.put_catalogue(eco.products, eco.deals)
    run_id = store.create_run()["run_id"]
    store.start_run(run_id)
    store.finish_run(
        run_id,
        eco.accounts.select("owner", "id", "company_id", pl.lit(1.0).alias("score")),
    )
    token = create_key(store, role="sales")[1]
    vendor_ids = eco.accounts.filter(owners == VENDOR)["id"].to_list()
    partner_ids = eco.partners["partner_id"].to_list()
    store.close()
    return token, vendor_ids, partner_ids


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def wait_ready(client: httpx.AsyncClient, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            if (await client.get("/ready")).status_code == 200:
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.2)
    raise TimeoutError("the server did not become ready")


async def load(
    client: httpx.AsyncClient,
    paths: list[str],
    *,
    rate: float,
    concurrency: int,
    time_limit: float,
) -> tuple[np.ndarray, float, int]:
    """Send ``paths`` at ``rate`` per second; (latencies in ms, wall seconds, errors)."""
    gate = asyncio.Semaphore(concurrency)
    latencies: list[float] = []
    errors = 0
    start = time.perf_counter()

    async def one(i: int, path: str) -> None:
        nonlocal errors
        delay = start + i / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        async with gate:
            sent = time.perf_counter()
            try:
                response = await client.get(path)
                if response.status_code != 200:
                    errors += 1
            except httpx.HTTPError:
                errors += 1
            latencies.append((time.perf_counter() - sent) * 1000)

    tasks = [asyncio.create_task(one(i, p)) for i, p in enumerate(paths)]
    _, pending = await asyncio.wait(tasks, timeout=time_limit)
    for task in pending:
        task.cancel()
    return np.array(latencies), time.perf_counter() - start, errors + len(pending)


async def bench(
    args: argparse.Namespace, port: int, token: str, vendor_ids: list[str], partner_ids: list[str]
) -> list[tuple[str, np.ndarray, float, int]]:
    rng = random.Random(0)
    endpoints = {
        "recommend": [
            f"/accounts/{rng.choice(vendor_ids)}/partners?k=5" for _ in range(args.requests)
        ],
        "co-sell": [
            f"/opportunities/co-sell?limit=20&partner_id={rng.choice(partner_ids)}"
            f"&offset={rng.randrange(0, 200)}"
            for _ in range(args.requests)
        ],
    }
    limits = httpx.Limits(max_connections=args.concurrency)
    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{port}",
        headers={"Authorization": f"Bearer {token}"},
        timeout=httpx.Timeout(args.warmup_timeout),
        limits=limits,
    ) as client:
        await wait_ready(client, time.monotonic() + 60)
        started = time.perf_counter()
        for paths in endpoints.values():  # the first call builds the cached indices
            (await client.get(paths[0])).raise_for_status()
        print(
            "warm-up (ecosystem, recommender, co-sell built): "
            f"{time.perf_counter() - started:.1f} s"
        )
        results = []
        for name, paths in endpoints.items():
            for path in paths[:20]:
                await client.get(path)
            latencies, wall, errors = await load(
                client,
                paths,
                rate=args.rate,
                concurrency=args.concurrency,
                time_limit=args.time_limit,
            )
            results.append((name, latencies, wall, errors))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--partners", type=int, default=20)
    parser.add_argument("--requests", type=int, default=2_000, help="per endpoint")
    parser.add_argument("--rate", type=float, default=200.0, help="requests per second")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds per endpoint")
    parser.add_argument("--warmup-timeout", type=float, default=600.0)
    parser.add_argument(
        "--polars-threads",
        type=int,
        default=1,
        help="POLARS_MAX_THREADS of the server: requests touch a few rows, and on 2 cores "
        "a thread pool per request costs more than it saves",
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="overlap-bench-") as directory:
        db = Path(directory) / "bench.duckdb"
        started = time.perf_counter()
        token, vendor_ids, partner_ids = build_store(db, args.accounts, args.partners)
        print(
            f"store: {args.accounts:,} vendor accounts, {args.partners} partners "
            f"({time.perf_counter() - started:.1f} s)"
        )
        port = free_port()
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "--factory",
                "api.main:create_app",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--log-level",
                "warning",
                "--no-access-log",
            ],
            cwd=ROOT,
            env={
                **os.environ,
                "OVERLAP_DB": str(db),
                "POLARS_MAX_THREADS": str(args.polars_threads),
            },
        )
        try:
            results = asyncio.run(bench(args, port, token, vendor_ids, partner_ids))
        finally:
            server.terminate()
            server.wait(timeout=30)

    print(
        f"\n{'endpoint':<10} {'requests':>9} {'errors':>7} {'req/s':>8} {'p50 ms':>8} "
        f"{'p99 ms':>8} {'max ms':>8}   target: p99 < 50 ms at {args.rate:.0f} req/s"
    )
    for name, latencies, wall, errors in results:
        p50, p99 = np.percentile(latencies, [50, 99]) if len(latencies) else (np.nan, np.nan)
        print(
            f"{name:<10} {len(latencies):>9,} {errors:>7} {len(latencies) / wall:>8.1f} "
            f"{p50:>8.1f} {p99:>8.1f} {latencies.max() if len(latencies) else np.nan:>8.1f}"
        )


if __name__ == "__main__":
    main()
