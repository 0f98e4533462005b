"""Wall time, peak memory and accuracy of overlap and its peers on generated lists of n rows.

    .venv/bin/python bench/scale.py --n 100000 [--tools overlap,splink,string_grouper]

Generates the vendor and partner lists once (n rows each, 30% overlap, seed 0), runs each tool
on the same files, and prints wall seconds, the ratio to overlap's, peak RSS, candidate pairs
where the tool reports them, and pairwise precision, recall and F1. Writes
bench/out/scale_<n>.json. The default tools are overlap, Splink in both setups of
bench/splink_peer.py (`splink` as a competent user configures it, `splink_wide` the earlier
configuration: 22 million pairs at n = 100,000 here, 36.7 million in issue 18) and
string_grouper below a million rows, and overlap alone from a million; rapidfuzz compares
every pair (about 1 us each on this machine, hours at 100,000) and runs only when named.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from datasets import LinkTask, synthetic_link
from metrics import link_scores
from peers import SWEPT, TOOLS, run_link, versions
from splink_peer import SETUPS as SPLINKS

OUT = Path(__file__).resolve().parent / "out"
KEYS = ("partner", "vendor_id", "partner_id")


def default_tools(n: int) -> list[str]:
    splinks = [s for s in SPLINKS if s not in SWEPT]  # thresholds chosen on the truth
    return ["overlap"] if n >= 1_000_000 else ["overlap", *splinks, "string_grouper"]


def splink_candidates(task: LinkTask, tool: str, *, timeout: float) -> int | None:
    """A Splink setup's comparison count, in a run of its own so it is not in its timing."""
    command = [
        sys.executable,
        str(Path(__file__).with_name("peers.py")),
        tool,
        "link",
        str(task.vendor),
        str(task.partners[0]),
        "--count-candidates",
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    lines = done.stdout.split()
    return int(lines[-1]) if done.returncode == 0 and lines else None


def overlap_candidates(workdir: Path, partner: Path) -> int | None:
    """The candidate pairs overlap compared, from the summary `overlap match` prints."""
    log = workdir / f"overlap-{partner.stem}.log"
    if not log.exists():
        return None
    summary = re.search(r"([\d,]+) candidate pairs\s+compared", log.read_text())
    return int(summary.group(1).replace(",", "")) if summary else None


def _fmt(value: float | None, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="rows in each list")
    parser.add_argument("--tools", help="comma-separated tools (default: see above)")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per tool run")
    args = parser.parse_args(argv)
    tools = [t.strip() for t in args.tools.split(",")] if args.tools else default_tools(args.n)
    unknown = [t for t in tools if t not in TOOLS]
    if unknown:
        parser.error(f"unknown tools {unknown}; choose from {TOOLS}")
    console = Console(width=max(Console().width, 110))

    with tempfile.TemporaryDirectory(prefix="overlap-scale-") as tmp:
        start = time.perf_counter()
        task = synthetic_link(args.n, Path(tmp))
        if task is None:
            console.print(
                "overlap.samples.generate_linkage_pair does not exist yet: nothing to run"
            )
            return 1
        console.print(
            f"generated {args.n:,} + {args.n:,} rows, {task.truth.height:,} true pairs "
            f"in {time.perf_counter() - start:.1f} s; tools: {', '.join(tools)}"
        )
        rows: list[dict[str, Any]] = []
        for tool in tools:
            run = run_link(tool, task.vendor, task.partners, Path(tmp), timeout=args.timeout)
            row: dict[str, Any] = {
                "tool": tool,
                "ok": run.ok,
                "error": run.error,
                "seconds": round(run.seconds, 3),
                "peak_rss_mb": round(run.peak_rss_mb, 1),
                "candidate_pairs": None,
            }
            if run.output is not None:
                row |= link_scores(run.output, task.truth, on=KEYS).as_dict()
            if tool in SPLINKS and run.ok:
                row["candidate_pairs"] = splink_candidates(task, tool, timeout=args.timeout)
            if tool == "overlap" and run.ok:
                row["candidate_pairs"] = overlap_candidates(Path(tmp), task.partners[0])
            rows.append(row)

    base = next((r["seconds"] for r in rows if r["tool"] == "overlap" and r["ok"]), None)
    table = Table(title=f"synthetic link, n = {args.n:,} per list", title_justify="left")
    headers = ("tool", "wall s", "x overlap", "peak RSS MB", "candidate pairs")
    for header in (*headers, "precision", "recall", "F1", "predicted pairs"):
        table.add_column(header, justify="left" if header == "tool" else "right")
    for row in rows:
        ratio = row["seconds"] / base if base and row["ok"] else None
        ok = row["ok"]
        table.add_row(
            row["tool"],
            f"{row['seconds']:.1f}",
            _fmt(ratio, ".2f"),
            f"{row['peak_rss_mb']:,.0f}",
            _fmt(row["candidate_pairs"], ",d"),
            _fmt(row.get("precision"), ".3f") if ok else "failed",
            _fmt(row.get("recall"), ".3f"),
            _fmt(row.get("f1"), ".3f"),
            _fmt(row.get("predicted_pairs"), ",d"),
        )
        row["x_overlap"] = ratio
    console.print(table)
    for row in rows:
        if not row["ok"]:
            console.print(f"  {row['tool']} failed: {row['error']}", markup=False)

    OUT.mkdir(exist_ok=True)
    path = OUT / f"scale_{args.n}.json"
    result = {"n": args.n, "versions": versions(), "runs": rows}
    path.write_text(json.dumps(result, indent=2) + "\n")
    console.print(f"written: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
