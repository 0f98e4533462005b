"""The tools compared, and how each is run and measured.

Every tool runs as its own subprocess on the same input files, so wall time and peak memory
include start-up and file reading for all of them alike:

    overlap match VENDOR PARTNER -o OUT.csv          -> vendor_id, partner_id, score, reason
    overlap dedupe FILE -o OUT.csv                   -> id, cluster_id, score
    python bench/peers.py TOOL link VENDOR PARTNER -o OUT.csv   (TOOL: splink, string_grouper,
    python bench/peers.py TOOL dedupe FILE -o OUT.csv            rapidfuzz; same outputs)

Peers are set up the way their documentation shows for company data; see `splink_peer`
(`splink` as a competent user configures it, `splink_best` the same read at its best threshold,
`splink_wide` the earlier scale configuration),
`string_grouper_link` and `rapidfuzz_link` for the settings.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

import splink_peer

TOOLS = ("overlap", "splink", "splink_best", "splink_wide", "string_grouper", "rapidfuzz")
PEERS = TOOLS[1:]
SWEPT = ("splink_best",)
"""Tools whose pairs are scored at the threshold that does best on the truth: they write
every pair with its score, and only link tasks are run with them."""

STRING_GROUPER_MIN_SIMILARITY = 0.8
RAPIDFUZZ_MIN_SCORE = 90

# ---------------------------------------------------------------------------------------------
# Reading account files: every peer gets the columns overlap's ingest finds (formats, encodings
# and header dialects are not what this benchmark compares), as a user would map them by hand.

FIELDS = ("id", "name", "website", "phone", "address", "city", "zip", "country")


def read_accounts(path: Path) -> pl.DataFrame:
    """An account file as string columns `id`, `name`, `website`, ... (null where absent)."""
    from overlap import read_accounts as ingest

    accounts = ingest(path).accounts
    return accounts.select(
        pl.col("id"),
        pl.col("name"),
        pl.coalesce("website", "email").alias("website"),
        pl.col("phone"),
        pl.col("address"),
        pl.col("city"),
        pl.col("postal_code").alias("zip"),
        pl.col("country"),
    )


# ---------------------------------------------------------------------------------------------
# string_grouper: tf-idf of character 3-grams, cosine similarity >= 0.8, on the raw names.


def _names(accounts: pl.DataFrame) -> Any:
    return accounts["name"].fill_null("").to_pandas()


def string_grouper_link(vendor: pl.DataFrame, partner: pl.DataFrame) -> pl.DataFrame:
    from string_grouper import match_strings

    matches = match_strings(
        _names(vendor),
        _names(partner),
        master_id=vendor["id"].to_pandas(),
        duplicates_id=partner["id"].to_pandas(),
        min_similarity=STRING_GROUPER_MIN_SIMILARITY,
    )
    return pl.from_pandas(matches[["left_id", "right_id", "similarity"]]).select(
        pl.col("left_id").cast(pl.String).alias("vendor_id"),
        pl.col("right_id").cast(pl.String).alias("partner_id"),
        pl.col("similarity").alias("score"),
    )


def string_grouper_dedupe(accounts: pl.DataFrame) -> pl.DataFrame:
    from string_grouper import group_similar_strings

    groups = group_similar_strings(
        _names(accounts),
        string_ids=accounts["id"].to_pandas(),
        min_similarity=STRING_GROUPER_MIN_SIMILARITY,
    )
    return pl.DataFrame(
        {
            "id": accounts["id"],
            "cluster_id": pl.from_pandas(groups["group_rep_id"]).cast(pl.String),
            "score": pl.Series([None] * accounts.height, dtype=pl.Float64),
        }
    )


# ---------------------------------------------------------------------------------------------
# rapidfuzz: WRatio >= 90 on processed names (lower case, punctuation to spaces).


def _processed(accounts: pl.DataFrame) -> list[str]:
    from rapidfuzz import utils

    return [utils.default_process(s) for s in accounts["name"].fill_null("").to_list()]


def rapidfuzz_link(vendor: pl.DataFrame, partner: pl.DataFrame) -> pl.DataFrame:
    """The best partner name of each vendor name, kept if WRatio >= 90 (all pairs scored)."""
    from rapidfuzz import fuzz, process

    left, right = _processed(vendor), _processed(partner)
    rows = max(1, 50_000_000 // max(1, len(right)))  # ~50 MB of uint8 scores per chunk
    best_index, best_score = [], []
    for start in range(0, len(left), rows):
        scores = process.cdist(
            left[start : start + rows],
            right,
            scorer=fuzz.WRatio,
            score_cutoff=RAPIDFUZZ_MIN_SCORE,
            dtype=np.uint8,
            workers=-1,
        )
        best_index.append(scores.argmax(axis=1))
        best_score.append(scores.max(axis=1))
    index = np.concatenate(best_index) if best_index else np.empty(0, dtype=np.int64)
    score = np.concatenate(best_score) if best_score else np.empty(0, dtype=np.uint8)
    keep = score >= RAPIDFUZZ_MIN_SCORE
    return pl.DataFrame(
        {
            "vendor_id": vendor["id"].filter(pl.Series(keep)),
            "partner_id": partner["id"].gather(index[keep]),
            "score": score[keep].astype(np.float64),
        }
    )


def rapidfuzz_dedupe(accounts: pl.DataFrame) -> pl.DataFrame:
    """Pairs of WRatio >= 90 within blocks of equal first 3 characters, then components."""
    from rapidfuzz import fuzz, process
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    names = _processed(accounts)
    blocks = (
        pl.DataFrame({"prefix": [s[:3] for s in names]})
        .with_row_index("row")
        .filter(pl.col("prefix") != "")
        .group_by("prefix")
        .agg("row")
        .filter(pl.col("row").list.len() > 1)
    )
    sources, targets = [], []
    for members in blocks["row"].to_list():
        block = [names[i] for i in members]
        scores = process.cdist(
            block,
            block,
            scorer=fuzz.WRatio,
            score_cutoff=RAPIDFUZZ_MIN_SCORE,
            dtype=np.uint8,
            workers=-1,
        )
        i, j = np.nonzero(np.triu(scores, k=1))
        rows = np.asarray(members)
        sources.append(rows[i])
        targets.append(rows[j])
    n = accounts.height
    src = np.concatenate(sources) if sources else np.empty(0, dtype=np.int64)
    dst = np.concatenate(targets) if targets else np.empty(0, dtype=np.int64)
    graph = coo_matrix((np.ones(len(src), dtype=np.int8), (src, dst)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    return pl.DataFrame(
        {
            "id": accounts["id"],
            "cluster_id": pl.Series(labels).cast(pl.String),
            "score": pl.Series([None] * n, dtype=pl.Float64),
        }
    )


LINKERS: dict[str, Callable[[pl.DataFrame, pl.DataFrame], pl.DataFrame]] = {
    **{name: partial(splink_peer.link, setup) for name, setup in splink_peer.SETUPS.items()},
    "string_grouper": string_grouper_link,
    "rapidfuzz": rapidfuzz_link,
}
DEDUPERS: dict[str, Callable[[pl.DataFrame], pl.DataFrame]] = {
    **{name: partial(splink_peer.dedupe, setup) for name, setup in splink_peer.SETUPS.items()},
    "string_grouper": string_grouper_dedupe,
    "rapidfuzz": rapidfuzz_dedupe,
}


# ---------------------------------------------------------------------------------------------
# Running a tool as a subprocess, with its wall time and peak memory.


@dataclass(frozen=True)
class Measured:
    """One subprocess run: exit code, wall seconds, peak RSS in MB, its error line."""

    returncode: int
    seconds: float
    peak_rss_mb: float
    error: str


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else ""


def _tree_memory(root: Any) -> dict[int, tuple[int, int]]:
    """(RSS, peak RSS) in kB of `root` and its descendants, from /proc/PID/status."""
    import psutil

    found: dict[int, tuple[int, int]] = {}
    try:
        processes = [root, *root.children(recursive=True)]
    except psutil.Error:
        return found
    for process in processes:
        try:
            status = Path(f"/proc/{process.pid}/status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        rss, hwm = (int(fields.get(k, "0 kB").split()[0]) for k in ("VmRSS", "VmHWM"))
        found[process.pid] = (rss, hwm)
    return found


def measure(command: Sequence[str], *, log: Path, timeout: float | None = None) -> Measured:
    """Run `command`, timing it and sampling its process tree's memory every 20 ms.

    Peak RSS is the larger of the biggest single process's high-water mark (VmHWM, which
    misses no short peak) and the largest sum of RSS over the tree at one sample. Not
    `ru_maxrss`: on Linux that keeps the high-water mark of the forking parent, this harness.
    """
    import psutil

    peak_kb, hwm_kb = 0, 0
    timed_out = False
    with log.open("wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            command, stdout=err, stderr=subprocess.STDOUT, start_new_session=True
        )
        root = psutil.Process(proc.pid)
        while True:
            try:
                proc.wait(timeout=0.02)
                break
            except subprocess.TimeoutExpired:
                memory = _tree_memory(root)
                peak_kb = max(peak_kb, sum(rss for rss, _ in memory.values()))
                hwm_kb = max([hwm_kb, *(hwm for _, hwm in memory.values())])
                if timeout is not None and time.perf_counter() - start > timeout:
                    timed_out = True
                    os.killpg(proc.pid, signal.SIGKILL)
        seconds = time.perf_counter() - start
    error = f"timed out after {timeout:.0f} s" if timed_out else ""
    if proc.returncode != 0 and not error:
        error = _last_line(log.read_text(errors="replace")) or f"exit code {proc.returncode}"
    return Measured(proc.returncode, seconds, max(peak_kb, hwm_kb) / 1024, error)


def overlap_command() -> list[str]:
    entry = Path(sys.executable).with_name("overlap")
    return [str(entry)] if entry.exists() else [sys.executable, "-m", "overlap.cli"]


def review_file(out: Path) -> Path:
    """Where `overlap match` writes the review queue of the matches it writes to ``out``."""
    return out.with_name(f"{out.stem}-review.csv")


def link_command(
    tool: str, vendor: Path, partner: Path, out: Path, *, review: bool = False
) -> list[str]:
    """The command linking two files; with ``review``, overlap writes its review queue too."""
    if tool == "overlap":
        match = [*overlap_command(), "match", str(vendor), str(partner), "-o", str(out)]
        return [*match, "--review", str(review_file(out))] if review else match
    return [sys.executable, __file__, tool, "link", str(vendor), str(partner), "-o", str(out)]


def dedupe_command(tool: str, file: Path, out: Path) -> list[str]:
    if tool == "overlap":
        return [*overlap_command(), "dedupe", str(file), "-o", str(out)]
    return [sys.executable, __file__, tool, "dedupe", str(file), "-o", str(out)]


@dataclass(frozen=True)
class ToolRun:
    """A tool's result on one task: its pairs or clusters, or the error that stopped it."""

    tool: str
    seconds: float
    peak_rss_mb: float
    output: pl.DataFrame | None
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.output is not None


def _read_output(path: Path, columns: Sequence[str]) -> pl.DataFrame:
    frame = pl.read_csv(path, infer_schema=False)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{path.name} lacks columns {missing} (has {frame.columns})")
    return frame.select(columns)


def run_link(
    tool: str,
    vendor: Path,
    partners: Sequence[Path],
    workdir: Path,
    *,
    timeout: float | None,
    review: bool = False,
) -> ToolRun:
    """Run `tool` on the vendor file against each partner file; pairs carry `partner`
    (``review``: overlap writes its review queue beside them, ``review_file``)."""
    seconds, peak, found = 0.0, 0.0, []
    for partner in partners:
        out = workdir / f"{tool}-{partner.stem}-pairs.csv"
        run = measure(
            link_command(tool, vendor, partner, out, review=review),
            log=workdir / f"{tool}-{partner.stem}.log",
            timeout=timeout,
        )
        seconds, peak = seconds + run.seconds, max(peak, run.peak_rss_mb)
        if run.returncode != 0:
            return ToolRun(tool, seconds, peak, None, run.error)
        try:
            pairs = _read_output(
                out, ["vendor_id", "partner_id", *(["score"] if tool in SWEPT else [])]
            )
        except (OSError, ValueError, pl.exceptions.PolarsError) as exc:
            return ToolRun(tool, seconds, peak, None, f"{type(exc).__name__}: {exc}")
        found.append(pairs.with_columns(pl.lit(partner.name).alias("partner")))
    return ToolRun(tool, seconds, peak, pl.concat(found) if found else None)


def run_dedupe(tool: str, file: Path, workdir: Path, *, timeout: float | None) -> ToolRun:
    out = workdir / f"{tool}-{file.stem}-clusters.csv"
    run = measure(
        dedupe_command(tool, file, out), log=workdir / f"{tool}-{file.stem}.log", timeout=timeout
    )
    if run.returncode != 0:
        return ToolRun(tool, run.seconds, run.peak_rss_mb, None, run.error)
    try:
        clusters = _read_output(out, ["id", "cluster_id"])
    except (OSError, ValueError, pl.exceptions.PolarsError) as exc:
        return ToolRun(tool, run.seconds, run.peak_rss_mb, None, f"{type(exc).__name__}: {exc}")
    return ToolRun(tool, run.seconds, run.peak_rss_mb, clusters)


def versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for package in ("overlap", "splink", "string-grouper", "rapidfuzz", "duckdb", "polars"):
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = "not installed"
    return found


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Run one peer on account files.")
    parser.add_argument("tool", choices=PEERS)
    parser.add_argument("mode", choices=("link", "dedupe"))
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("-o", "--output", type=Path)
    parser.add_argument(
        "--count-candidates", action="store_true", help="print Splink's comparison count only"
    )
    args = parser.parse_args(argv)
    expected = 2 if args.mode == "link" else 1
    if len(args.files) != expected:
        parser.error(f"{args.mode} takes {expected} file(s)")
    frames = [read_accounts(path) for path in args.files]
    if args.count_candidates:
        if args.tool not in splink_peer.SETUPS:
            parser.error(f"--count-candidates is for {', '.join(splink_peer.SETUPS)}")
        print(splink_peer.candidate_pairs(splink_peer.SETUPS[args.tool], frames))
        return
    if args.output is None:
        parser.error("-o/--output is required")
    if args.mode == "link":
        result = LINKERS[args.tool](frames[0], frames[1])
    else:
        result = DEDUPERS[args.tool](frames[0])
    result.write_csv(args.output)


if __name__ == "__main__":
    main()
