"""Pairwise precision, recall and F1 of overlap and its peers on real and sample data.

    .venv/bin/python bench/accuracy.py [--only overlap,splink] [--datasets chicago_link,...]

Prints one table per dataset and writes every figure to bench/out/accuracy.json. On link
datasets, "to review" counts the pairs overlap sends to review (`overlap match --review`).
`splink_best` is Splink's upper bound on link datasets: the competent setup's pairs read at
the threshold that does best on the dataset's own truth (a user would need labels for it).
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
from pathlib import Path
from typing import Any

import polars as pl
from rich.console import Console
from rich.table import Table

from datasets import DEDUPE_DATASETS, LINK_DATASETS, DedupeTask, LinkTask
from metrics import PairScores, best_link_scores, dedupe_scores, link_scores
from peers import SWEPT, TOOLS, ToolRun, review_file, run_dedupe, run_link, versions

OUT = Path(__file__).resolve().parent / "out"
ALL_DATASETS = (*LINK_DATASETS, *DEDUPE_DATASETS)


def _csv_list(text: str, allowed: tuple[str, ...], what: str) -> list[str]:
    items = [item.strip() for item in text.split(",") if item.strip()]
    unknown = [item for item in items if item not in allowed]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown {what} {unknown}; choose from {allowed}")
    return items


def _score(task: LinkTask | DedupeTask, run: ToolRun) -> PairScores | None:
    if run.output is None:
        return None
    if isinstance(task, LinkTask):
        on = ("partner", "vendor_id", "partner_id")
        if run.tool in SWEPT:
            return best_link_scores(run.output, task.truth, on=on)[0]
        return link_scores(run.output, task.truth, on=on)
    return dedupe_scores(run.output, task.truth)


def _review_pairs(run: ToolRun, work: Path) -> int | None:
    """How many pairs overlap's runs of a link task sent to review (None for a peer)."""
    files = sorted(work.glob(f"{run.tool}-*-pairs.csv"))
    reviews = [review_file(out) for out in files if review_file(out).exists()]
    if not reviews:
        return None
    return sum(pl.read_csv(path, infer_schema=False).height for path in reviews)


def _row(run: ToolRun, scores: PairScores | None, *, review: int | None) -> dict[str, Any]:
    row: dict[str, Any] = {
        "tool": run.tool,
        "ok": run.ok,
        "error": run.error,
        "seconds": round(run.seconds, 3),
        "peak_rss_mb": round(run.peak_rss_mb, 1),
        "review_pairs": review,
    }
    if scores is not None:
        row |= scores.as_dict()
    return row


def _table(name: str, note: str, true_pairs: int, rows: list[dict[str, Any]]) -> Table:
    table = Table(title=f"{name}: {note}", title_justify="left")
    headers = ("tool", "precision", "recall", "F1", "predicted pairs", "true pairs", "to review")
    for header in (*headers, "wall s"):
        table.add_column(header, justify="left" if header == "tool" else "right")
    for row in rows:
        review = "-" if row["review_pairs"] is None else f"{row['review_pairs']:,}"
        if not row["ok"]:
            wall = f"{row['seconds']:.1f}"
            table.add_row(row["tool"], "failed", "-", "-", "-", f"{true_pairs:,}", review, wall)
            continue
        table.add_row(
            row["tool"],
            f"{row['precision']:.3f}",
            f"{row['recall']:.3f}",
            f"{row['f1']:.3f}",
            f"{row['predicted_pairs']:,}",
            f"{row['true_pairs']:,}",
            review,
            f"{row['seconds']:.1f}",
        )
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--only",
        type=lambda s: _csv_list(s, TOOLS, "tool"),
        default=[t for t in TOOLS if t != "splink_wide"],
        help=f"comma-separated tools of {','.join(TOOLS)} (default: all but splink_wide)",
    )
    parser.add_argument(
        "--datasets",
        type=lambda s: _csv_list(s, ALL_DATASETS, "dataset"),
        default=list(ALL_DATASETS),
        help=f"comma-separated datasets (default: {','.join(ALL_DATASETS)})",
    )
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per tool run")
    args = parser.parse_args(argv)

    console = Console(width=max(Console().width, 110))
    results: dict[str, Any] = {
        "versions": versions(),
        "machine": {"python": sys.version.split()[0], "platform": platform.platform()},
        "datasets": {},
    }
    with tempfile.TemporaryDirectory(prefix="overlap-bench-") as tmp:
        for name in args.datasets:
            root = Path(tmp) / name
            task = (LINK_DATASETS.get(name) or DEDUPE_DATASETS[name])(root)
            if task is None:
                console.print(f"[yellow]{name}: skipped, its data is not there[/yellow]")
                continue
            work = root / "runs"
            work.mkdir(parents=True, exist_ok=True)
            true_pairs = (
                link_scores(task.truth, task.truth, on=("partner", "vendor_id", "partner_id"))
                if isinstance(task, LinkTask)
                else dedupe_scores(task.truth.rename({"entity_id": "cluster_id"}), task.truth)
            ).true_pairs
            rows = []
            for tool in args.only:
                if tool in SWEPT and not isinstance(task, LinkTask):
                    continue  # a threshold swept over pairs, not clusters
                if isinstance(task, LinkTask):
                    run = run_link(
                        tool, task.vendor, task.partners, work, timeout=args.timeout, review=True
                    )
                else:
                    run = run_dedupe(tool, task.file, work, timeout=args.timeout)
                review = _review_pairs(run, work)
                rows.append(_row(run, _score(task, run), review=review))
            results["datasets"][name] = {"note": task.note, "true_pairs": true_pairs, "runs": rows}
            console.print(_table(name, task.note, true_pairs, rows))
            for row in rows:
                if not row["ok"]:
                    console.print(f"  {row['tool']} failed: {row['error']}", markup=False)
    OUT.mkdir(exist_ok=True)
    (OUT / "accuracy.json").write_text(json.dumps(results, indent=2) + "\n")
    console.print(f"versions: {results['versions']}")
    console.print(f"written: {OUT / 'accuracy.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
