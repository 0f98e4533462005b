"""Latency and throughput of the web service's recommendation and co-sell endpoints.

Builds a synthetic store (the accounts of ``bench/rank.py``'s ``synthetic``, resolved to
companies by construction: no matching), starts a real uvicorn server on 127.0.0.1 in
a subprocess, and sends requests at a fixed rate with bounded concurrency (httpx async
client), then prints p50/p99 latency, throughput and the server's CPU time per request
(which, unlike latency, other processes on the machine barely move). The load runs warm,
and what warming costs is printed rather than hidden: the first request of each endpoint
(it builds the view of the store and the endpoint's index), the first co-sell request of
each partner filter, and, after the load, the first requests after a write with /health
probed meanwhile. Then a write phase: recommendations at the same rate while a partner's
list is uploaded and a match run goes; reads are served the previous view until the new
one is built, so their p99 (target < 100 ms) and /health's (< 50 ms) are printed.

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
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import polars as pl
import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from overlap.api.security import create_key  # noqa: E402
from overlap.api.store import Store  # noqa: E402
from overlap.ecosystem.data import VENDOR  # noqa: E402
from rank import synthetic  # noqa: E402  (bench/rank.py)


def build_store(
    path: Path, n_accounts: int, n_partners: int
) -> tuple[dict[str, str], list[str], list[str], bytes]:
    """A store of synthetic lists and one succeeded run; (tokens by role, vendor ids,
    partners, the first partner's list as CSV for the write phase)."""
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
        eco.accounts.select(
            "owner",
            "id",
            "company_id",
            pl.lit(1.0).alias("score"),
            pl.lit("built by construction").alias("reason"),
        ),
    )
    tokens = {role: create_key(store, role=role)[1] for role in ("sales", "admin")}
    vendor_ids = eco.accounts.filter(owners == VENDOR)["id"].to_list()
    partner_ids = eco.partners["partner_id"].to_list()
    upload = lists.filter(owners == partner_ids[0]).select("id", "name", "website", "country")
    store.close()
    return tokens, vendor_ids, partner_ids, upload.write_csv().encode()


Built = tuple[dict[str, str], list[str], list[str], bytes]
"""What ``build_store`` returns: keys by role, vendor ids, partner ids, a partner list's CSV."""


@contextmanager
def synthetic_server(
    n_accounts: int, n_partners: int, *, polars_threads: int
) -> Iterator[tuple[subprocess.Popen[bytes], int, Built]]:
    """uvicorn in a subprocess over a ``build_store`` store in a temporary folder:
    (the process, its port, what ``build_store`` returns); stopped on exit."""
    with tempfile.TemporaryDirectory(prefix="overlap-bench-") as directory:
        db = Path(directory) / "bench.duckdb"
        started = time.perf_counter()
        built = build_store(db, n_accounts, n_partners)
        print(
            f"store: {n_accounts:,} vendor accounts, {n_partners} partners "
            f"({time.perf_counter() - started:.1f} s)"
        )
        port = free_port()
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "--factory",
                "overlap.api.main:create_app",
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
                "POLARS_MAX_THREADS": str(polars_threads),
            },
        )
        try:
            yield server, port, built
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:  # a match run still going keeps it up
                server.kill()
                server.wait()


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
    failures: Counter[str] = Counter()
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
                    failures[str(response.status_code)] += 1
            except httpx.HTTPError as error:
                errors += 1
                failures[type(error).__name__] += 1
            latencies.append((time.perf_counter() - sent) * 1000)

    tasks = [asyncio.create_task(one(i, p)) for i, p in enumerate(paths)]
    _, pending = await asyncio.wait(tasks, timeout=time_limit)
    for task in pending:
        task.cancel()
    if failures:  # what went wrong, not only how often
        print(f"failed requests: {dict(failures.most_common())}, not sent: {len(pending)}")
    return np.array(latencies), time.perf_counter() - start, errors + len(pending)


async def timed(client: httpx.AsyncClient, path: str, **kwargs: Any) -> float:
    """Seconds until ``path`` answers (it must answer 200)."""
    sent = time.perf_counter()
    (await client.get(path, **kwargs)).raise_for_status()
    return time.perf_counter() - sent


async def after_write(
    client: httpx.AsyncClient, admin: dict[str, str], partner_id: str, paths: dict[str, str]
) -> tuple[dict[str, float], np.ndarray]:
    """Rewrite a partner unchanged (a write: answered at once, the view rebuilt after it),
    then time the first request of each endpoint, and /health every 50 ms meanwhile.
    """
    partner = (await client.get(f"/partners/{partner_id}", headers=admin)).json()
    del partner["partner_id"]
    (await client.put(f"/partners/{partner_id}", json=partner, headers=admin)).raise_for_status()
    firsts = {name: asyncio.create_task(timed(client, path)) for name, path in paths.items()}
    health: list[float] = []
    while not all(task.done() for task in firsts.values()):
        health.append(await timed(client, "/health") * 1000)
        await asyncio.sleep(0.05)
    return {name: await task for name, task in firsts.items()}, np.array(health)


async def write_phase(
    client: httpx.AsyncClient,
    admin: dict[str, str],
    partner_id: str,
    upload: bytes,
    paths: list[str],
    args: argparse.Namespace,
) -> None:
    """Reads at ``args.rate`` and /health every 50 ms while a list is uploaded and a match
    run goes (until it ends or ``args.write_seconds``); prints their latencies."""
    done = asyncio.Event()
    step = ["upload"]
    health: dict[str, list[float]] = {"upload": [], "match run": []}
    steps: dict[str, float] = {}

    async def writes() -> None:
        sent = time.perf_counter()
        files = {"file": (f"{partner_id}.csv", upload, "text/csv")}
        response = await client.post(f"/lists/{partner_id}", files=files, headers=admin)
        response.raise_for_status()
        steps["upload"] = time.perf_counter() - sent
        step[0] = "match run"
        sent = time.perf_counter()
        run = (await client.post("/runs", headers=admin)).json()
        while (await client.get(f"/runs/{run['run_id']}", headers=admin)).json()["status"] in (
            "queued",
            "running",
        ):
            await asyncio.sleep(1)
        steps["match run"] = time.perf_counter() - sent
        done.set()

    async def probes() -> None:
        # a client of its own, as a health checker is: not queued behind the reads' pool
        async with httpx.AsyncClient(base_url=client.base_url, timeout=client.timeout) as own:
            while not done.is_set():
                now = step[0]
                health[now].append(await timed(own, "/health") * 1000)
                await asyncio.sleep(0.05)

    writer = asyncio.create_task(writes())
    prober = asyncio.create_task(probes())
    count = int(args.rate * args.write_seconds)
    latencies, wall, errors = await load(
        client,
        (paths * (count // len(paths) + 1))[:count],
        rate=args.rate,
        concurrency=args.concurrency,
        time_limit=args.write_seconds + 10,
    )
    finished = writer.done()
    done.set()
    await prober
    if not finished:
        writer.cancel()
    p99 = np.percentile(latencies, 99) if len(latencies) else np.nan
    print(
        f"write phase ({wall:.0f} s): "
        + ", ".join(f"{step} {seconds:.1f} s" for step, seconds in steps.items())
        + ("" if finished else " (the run had not ended)")
        + f"; reads {len(latencies):,}, errors {errors}, p99 {p99:.1f} ms, max "
        f"{latencies.max() if len(latencies) else np.nan:.1f} ms (target < 100); /health p99 "
        + ", ".join(
            f"during the {name} {np.percentile(ms, 99):.1f} ms ({len(ms)} probes)"
            for name, ms in health.items()
            if ms
        )
        + " (target < 50)"
    )


def cpu_seconds(server: psutil.Process) -> float:
    times = server.cpu_times()
    return float(times.user + times.system)


async def bench(
    args: argparse.Namespace,
    server: psutil.Process,
    port: int,
    tokens: dict[str, str],
    vendor_ids: list[str],
    partner_ids: list[str],
    upload: bytes,
) -> list[tuple[str, np.ndarray, float, int, float]]:
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
        headers={"Authorization": f"Bearer {tokens['sales']}"},
        timeout=httpx.Timeout(args.warmup_timeout),
        limits=limits,
    ) as client:
        await wait_ready(client, time.monotonic() + 60)
        # Warm-up, timed and printed: the first request builds the view (the Ecosystem of
        # the store) and the endpoint's index; co-sell keeps one ranking per key and
        # partner filter, built by the first request that asks for it.
        firsts = [await timed(client, paths[0]) for paths in endpoints.values()]
        per_partner = [
            await timed(client, f"/opportunities/co-sell?limit=1&partner_id={p}")
            for p in partner_ids
        ]
        print(
            f"warm-up: first recommend {firsts[0]:.1f} s (view, recommender, listings), "
            f"first co-sell {firsts[1]:.1f} s (co-sell ranking); first co-sell per partner "
            f"filter: median {1000 * float(np.median(per_partner)):.0f} ms, "
            f"max {1000 * max(per_partner):.0f} ms"
        )
        results = []
        for name, paths in endpoints.items():
            for path in paths[:20]:
                await client.get(path)
            cpu = cpu_seconds(server)
            latencies, wall, errors = await load(
                client,
                paths,
                rate=args.rate,
                concurrency=args.concurrency,
                time_limit=args.time_limit,
            )
            cpu = cpu_seconds(server) - cpu
            results.append((name, latencies, wall, errors, cpu))
        if args.after_write:
            admin = {"Authorization": f"Bearer {tokens['admin']}"}
            firsts_after, health = await after_write(
                client, admin, partner_ids[0], {n: p[1] for n, p in endpoints.items()}
            )
            print(
                "after a write (the previous view served while the write's rebuild goes): "
                + ", ".join(f"first {n} {s:.1f} s" for n, s in firsts_after.items())
                + f"; /health meanwhile: {len(health)} probes, "
                f"p50 {np.percentile(health, 50):.1f} ms, max {health.max():.1f} ms"
            )
        if args.write_seconds > 0:
            admin = {"Authorization": f"Bearer {tokens['admin']}"}
            await write_phase(client, admin, partner_ids[0], upload, endpoints["recommend"], args)
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
        "--after-write",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="then rewrite a partner and time the first requests after it",
    )
    parser.add_argument(
        "--write-seconds",
        type=float,
        default=120.0,
        help="length of the write phase (an upload and a match run under load); 0: none",
    )
    parser.add_argument(
        "--polars-threads",
        type=int,
        default=1,
        help="POLARS_MAX_THREADS of the server: requests touch a few rows, and on 2 cores "
        "a thread pool per request costs more than it saves",
    )
    args = parser.parse_args()

    with synthetic_server(args.accounts, args.partners, polars_threads=args.polars_threads) as (
        server,
        port,
        (tokens, vendor_ids, partner_ids, upload),
    ):
        process = psutil.Process(server.pid)
        results = asyncio.run(bench(args, process, port, tokens, vendor_ids, partner_ids, upload))

    print(
        f"\n{'endpoint':<10} {'requests':>9} {'errors':>7} {'req/s':>8} {'p50 ms':>8} "
        f"{'p99 ms':>8} {'max ms':>8} {'server CPU ms/req':>18}   "
        f"target: p99 < 50 ms at {args.rate:.0f} req/s"
    )
    for name, latencies, wall, errors, cpu in results:
        p50, p99 = np.percentile(latencies, [50, 99]) if len(latencies) else (np.nan, np.nan)
        print(
            f"{name:<10} {len(latencies):>9,} {errors:>7} {len(latencies) / wall:>8.1f} "
            f"{p50:>8.1f} {p99:>8.1f} {latencies.max() if len(latencies) else np.nan:>8.1f} "
            f"{1000 * cpu / max(len(latencies), 1):>18.2f}"
        )
    # other processes on the machine take CPU from the server and the load generator
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
