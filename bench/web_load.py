"""Server response times of the web app's pages while a reader browses them.

Builds the synthetic store of ``bench/api_load.py`` (``--accounts`` vendor accounts,
``--partners`` partners), starts uvicorn in a subprocess, signs in with the sign-in form
as the ecosystem team would (an admin key), and browses: the start page, a partner's
matrix, a cell's accounts (first page, next page, sorted, filtered), a search with a
typo, an account's page, co-sell opportunities and a scorecard, one request at a time.
The first round starts as soon as the server answers ``/ready``: its pages wait for the
parts of the view that the server's warm-up (``api/warmup.py``) is still building, but
the account page's partners, whose ranker takes minutes at a million accounts, follow
(the page says they are being prepared). It is printed apart, each page with the
seconds since the server process started, and when the partners were ready; then
p50, p95 and max per page over ``--rounds`` rounds, each with other partners and
accounts, and the load average.

    .venv/bin/python bench/web_load.py                                  # 100,000 accounts
    .venv/bin/python bench/web_load.py --accounts 1000000 --partners 50 # the target
Target (issue 20): p95 < 200 ms for every page.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import httpx
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from api_load import synthetic_server  # noqa: E402  (bench/api_load.py)


def sign_in(client: httpx.Client, token: str) -> None:
    form = client.get("/signin").text
    field = re.search(r'name="sign_in" value="([^"]+)"', form)
    assert field is not None, "no sign-in form"
    answer = client.post("/signin", data={"key": token, "sign_in": field.group(1)})
    assert answer.status_code == 303, answer.text


PREPARING = "Being prepared"
"""What a page says of a part the server's warm-up has yet to build."""


def typo(name: str, rng: random.Random) -> str:
    """``name`` with one letter dropped: what a hurried rep types."""
    at = rng.randrange(1, max(2, len(name) - 1))
    return name[:at] + name[at + 1 :]


def browse_round(
    client: httpx.Client, partner: str, rng: random.Random, get: Callable[[str, str], str]
) -> str:
    """One browsing round, each page through ``get(page, path)`` (timed); the search and
    the account come from the names of the cell's first page, as it is first shown. The
    account page's path."""
    get("home", "/")
    get("matrix", f"/app/matrix?partner_id={partner}")
    cell = f"/app/matrix/{partner}/customer/customer"
    names = re.findall(r"<tr><td>vendor</td><td>([^<]+)</td>", get("cell", cell)) or ["Acme"]
    name = rng.choice(names)
    account = None
    for q in (typo(name, rng), name):  # a typo may join two words: then the name as written
        found = client.get("/app/search", params={"q": q}).text
        account = account or re.search(r'href="(/app/accounts/[^"]+)"', found)
    assert account is not None, f"no account page found for {name!r}"
    for page, path in {
        "cell, page 2": f"{cell}?page=2",
        "cell, sorted": f"{cell}?sort=city&order=desc",
        "cell, filtered": f"{cell}?q={name[:4]}",
        "search": f"/app/search?q={typo(name, rng)}",
        "suggest": f"/app/search/suggest?q={typo(name, rng)[:8]}",
        "account": account.group(1),
        "co-sell": f"/app/opportunities?page={rng.randrange(1, 5)}",
        "scorecard": f"/app/partners/{partner}/scorecard",
    }.items():
        get(page, path)
    return account.group(1)


def prepared(client: httpx.Client, paths: dict[str, str], started: float) -> None:
    """Wait until each of ``paths`` no longer says it is being prepared (the warm-up has
    fitted the ranker), and say when that was."""
    for what, path in paths.items():
        while PREPARING in client.get(path, timeout=600).text:
            time.sleep(1)
        print(f"{what} ready {time.perf_counter() - started:,.1f} s after the server started")


def timed(
    client: httpx.Client,
    times: dict[str, list[float]] | None,
    started: float,
    page: str,
    path: str,
) -> str:
    """The text of ``path``, its time added to ``times[page]`` (printed, with the seconds
    since ``started``, when ``times`` is None: the first round's)."""
    sent = time.perf_counter()
    answer = client.get(path)
    took = (time.perf_counter() - sent) * 1000
    assert answer.status_code == 200, (path, answer.status_code)
    assert times is None or PREPARING not in answer.text, f"{path} timed before it was ready"
    if times is None:
        since = time.perf_counter() - started
        print(f"first {page}: {took:,.0f} ms, {since:,.1f} s after the server started")
    else:
        times.setdefault(page, []).append(took)
    return answer.text


def browse(port: int, token: str, partners: list[str], rounds: int, *, started: float) -> None:
    """Browse ``rounds`` rounds after a first; ``started``: when the server process was."""
    rng = random.Random(0)
    times: dict[str, list[float]] = {}
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=600) as client:
        deadline = time.monotonic() + 120
        while True:
            try:
                if client.get("/ready").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the server did not become ready"
            time.sleep(0.2)
        sign_in(client, token)
        for n in range(rounds + 1):
            if n == 1:
                print(f"load average after the first round: {os.getloadavg()}")

            get = partial(timed, client, None if n == 0 else times, started)
            account = browse_round(client, rng.choice(partners), rng, get)
            if n == 0:
                ready = {
                    "the account's partners": f"{account}/partners",
                    "co-sell": "/app/opportunities",
                }
                prepared(client, ready, started)
    print(
        f"\n{'page':<16} {'requests':>9} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}"
        "   target: p95 < 200 ms"
    )
    for page, measured in times.items():
        p50, p95 = np.percentile(measured, [50, 95])
        print(f"{page:<16} {len(measured):>9} {p50:>8.1f} {p95:>8.1f} {max(measured):>8.1f}")
    print(f"load average at the end: {os.getloadavg()} on {os.cpu_count()} cores")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--partners", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    with synthetic_server(args.accounts, args.partners, polars_threads=1) as (
        _,
        port,
        (tokens, _, partners, _),
    ):
        browse(port, tokens["admin"], partners, args.rounds, started=time.perf_counter())


if __name__ == "__main__":
    main()
