"""Wall time, peak memory and candidate pairs of `overlap match` on Spark against in-process.

    .venv/bin/python bench/spark_scale.py [--n 100000] [--master 'local[2]']

Generates the vendor and partner lists of bench/scale.py (n rows each, 30% overlap, seed 0),
runs `overlap match` on them in this process and with `--engine spark --master MASTER`, and
prints each run's wall seconds (Spark's include starting its JVM), the ratio to the
in-process run, the peak RSS of the whole process tree (the JVM and Python workers too),
the candidate pairs, and whether both wrote the same file. The load average before and
after says how busy the machine was. Writes bench/out/spark_scale_<n>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from datasets import synthetic_link
from peers import measure, overlap_command
from scale import overlap_candidates

OUT = Path(__file__).resolve().parent / "out"
ENGINES = ("process", "spark")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="rows in each list")
    parser.add_argument("--master", default="local[2]", help="Spark master URL")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per run")
    args = parser.parse_args(argv)
    console = Console(width=max(Console().width, 100))
    load_before = os.getloadavg()
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="overlap-spark-scale-") as tmp:
        task = synthetic_link(args.n, Path(tmp))
        if task is None:
            console.print("overlap.samples.generate_linkage_pair does not exist: nothing to run")
            return 1
        partner = task.partners[0]
        written = {}
        for engine in ENGINES:
            workdir = Path(tmp) / engine
            workdir.mkdir()
            out = workdir / "matches.csv"
            command = [*overlap_command(), "match", str(task.vendor), str(partner), "-o", str(out)]
            if engine == "spark":
                command += ["--engine", "spark", "--master", args.master]
            run = measure(
                command, log=workdir / f"overlap-{partner.stem}.log", timeout=args.timeout
            )
            written[engine] = out.read_bytes() if out.exists() else None
            rows.append(
                {
                    "engine": engine if engine == "process" else f"spark {args.master}",
                    "ok": run.returncode == 0,
                    "error": run.error,
                    "seconds": round(run.seconds, 3),
                    "peak_rss_mb": round(run.peak_rss_mb, 1),
                    "candidate_pairs": overlap_candidates(workdir, partner),
                }
            )
    load_after = os.getloadavg()
    same = written["spark"] is not None and written["spark"] == written["process"]
    base = rows[0]["seconds"] if rows[0]["ok"] else None
    table = Table(title=f"overlap match, n = {args.n:,} per list", title_justify="left")
    for header in ("engine", "wall s", "x in-process", "peak RSS MB", "candidate pairs"):
        table.add_column(header, justify="left" if header == "engine" else "right")
    for row in rows:
        row["x_process"] = row["seconds"] / base if base and row["ok"] else None
        table.add_row(
            row["engine"],
            f"{row['seconds']:.1f}" if row["ok"] else f"failed: {row['error']}",
            "-" if row["x_process"] is None else f"{row['x_process']:.2f}",
            f"{row['peak_rss_mb']:,.0f}",
            "-" if row["candidate_pairs"] is None else f"{row['candidate_pairs']:,}",
        )
    console.print(table)
    console.print(
        f"same matches file from both engines: {'yes' if same else 'NO'}; load average "
        f"{load_before[0]:.1f} before, {load_after[0]:.1f} after ({os.cpu_count()} cores)"
    )
    OUT.mkdir(exist_ok=True)
    path = OUT / f"spark_scale_{args.n}.json"
    result = {"n": args.n, "identical": same, "load": [load_before, load_after], "runs": rows}
    path.write_text(json.dumps(result, indent=2) + "\n")
    console.print(f"written: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
