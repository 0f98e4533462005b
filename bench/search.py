"""Account search at a million names: index seconds, and milliseconds per query.

    .venv/bin/python bench/search.py [--n 1000000] [--queries 300]

The names are those of ``overlap.samples.generate_linkage_pair`` (a vendor and a partner
list of n/2 rows each: legal forms, case, typos as CRM exports have them). Queries are
drawn from them, as many of each kind: the name as written, the name with one letter
of its core dropped, and its core's first word. Prints ``AccountSearch.fit`` seconds
and, per kind, p50/p99/max milliseconds of ``search`` (perf_counter around each call)
and how often the name the query was made from is among the first 10 suggestions.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import polars as pl
from rich.console import Console
from rich.table import Table

from overlap.ecosystem.search import AccountSearch
from overlap.samples import generate_linkage_pair


def accounts(n: int) -> pl.DataFrame:
    """``id``, ``name`` and ``owner`` of the ``n`` names of a generated list pair."""
    vendor, partner, _ = generate_linkage_pair(n // 2, overlap=0.3, seed=0)
    names = pl.concat([vendor.get_column("name"), partner.get_column("name")])
    owners = ["vendor"] * vendor.height + ["PRT-001"] * partner.height
    return pl.DataFrame(
        {"id": [str(i) for i in range(names.len())], "name": names, "owner": owners}
    )


def queries(index: AccountSearch, count: int, rng: np.random.Generator) -> dict[str, list]:
    """(query, row it was made from) of each kind, ``count`` of each."""
    rows = rng.choice(len(index.cores_), size=count, replace=False)
    names = index.accounts_.get_column("name").gather(rows).to_list()
    cores = index.cores_.gather(rows).to_list()
    dropped = []
    for core in cores:
        at = int(rng.integers(len(core))) if core else 0
        dropped.append(core[:at] + core[at + 1 :])
    return {
        "as written": list(zip(names, rows, strict=True)),
        "one letter dropped": list(zip(dropped, rows, strict=True)),
        "first word": [(core.split(" ")[0], row) for core, row in zip(cores, rows, strict=True)],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args()
    frame = accounts(args.n)
    start = time.perf_counter()
    index = AccountSearch().fit(frame)
    fit = time.perf_counter() - start
    table = Table(title=f"AccountSearch on {frame.height:,} names (fit {fit:.1f} s)")
    for column in ("query", "p50 ms", "p99 ms", "max ms", "made from in top 10"):
        table.add_column(column, justify="left" if column == "query" else "right")
    ids = index.accounts_.get_column("id")
    for kind, pairs in queries(index, args.queries, np.random.default_rng(0)).items():
        times, found = [], 0
        for query, row in pairs:
            start = time.perf_counter()
            result = index.search(query, limit=10)
            times.append(1000 * (time.perf_counter() - start))
            found += ids[int(row)] in result.get_column("id").to_list()
        p50, p99 = np.percentile(times, [50, 99])
        table.add_row(
            kind, f"{p50:.1f}", f"{p99:.1f}", f"{max(times):.1f}", f"{found / len(pairs):.0%}"
        )
    Console().print(table)


if __name__ == "__main__":
    main()
