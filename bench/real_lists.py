"""Real company lists from public sources, paired by a registry key, for the matching benchmark.

    .venv/bin/python bench/real_lists.py            # builds bench/real/ from fetched snapshots

Each source pairs two real lists that name the same companies in their own way, and a key
both lists carry (SEC CIK, ISIN) tells which rows are one company. Nothing is synthesised:
names are as the sources wrote them; the key is dropped from the files the tools read.

- us_sp500_sec: the S&P 500 constituents (datasets/s-and-p-500-companies; brand names such as
  "Amazon", "Nvidia", with their headquarters) against every SEC EDGAR registrant's title
  ("AMAZON COM INC", "QUALCOMM INC/DE"; company_tickers.json), keyed by CIK. Licences: PDDL,
  and a US government work: committed.
- india_nse_bse: the NSE equity list's legal names against the BSE equity list's short security
  names, keyed by ISIN. Exchange data of unstated licence: not committed.
- europe_lse_xetra: common stocks of the London Stock Exchange against those of Xetra, as one
  data vendor names them on each (European legal forms written out or not), keyed by ISIN.
  A data vendor's lists of unstated licence: not committed. An ISIN is now and then wrong in
  a source (one Merck for the other): such label noise stays, as in any real truth.

Every list pair is split by its key into a development part (70%) and a test part (30%) of
whole companies, decoys included: develop on `*_dev`, report `*_test`, never read its rows.
Data whose licence allows it is committed under bench/real/; the rest is written to
bench/out/real/ and rebuilt from the snapshots (`fetch github:OWNER/NAME` with the search tool).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pycountry

BENCH = Path(__file__).resolve().parent
COMMITTED = BENCH / "real"
LOCAL = BENCH / "out" / "real"
MIRRORS = Path("/work/.mirror")
TEST_SHARE = 3  # of 10 buckets of the key hash
SPLITS = ("dev", "test")


@dataclass(frozen=True)
class Snapshot:
    """One file of a public repository at a pinned commit."""

    repo: str
    commit: str
    path: str

    def read(self) -> bytes:
        git_dir = MIRRORS / self.repo.replace("/", "+") / "repo"
        if not git_dir.exists():
            raise SystemExit(f"no snapshot of {self.repo}: fetch github:{self.repo} first")
        return subprocess.run(
            ["git", "--git-dir", str(git_dir), "show", f"{self.commit}:{self.path}"],
            check=True,
            capture_output=True,
        ).stdout


SP500 = Snapshot(
    "datasets/s-and-p-500-companies",
    "56509dd80619e4d8e1410c2260d68ddd3eab6068",
    "data/constituents.csv",
)
SEC_TICKERS = Snapshot(
    "lwowlwowl/company_name_to_ticker",
    "e83838f7269cacdfeee556edc00a389e4dcd3943",
    "company_tickers.json",
)
NSE = Snapshot(
    "rahulxcodex/Monte-Carlo-simulation", "45daf9ffe9af8715b80fd29e718158f6c47477e2", "EQUITY_L.csv"
)
BSE = Snapshot(
    "rahulxcodex/Monte-Carlo-simulation", "45daf9ffe9af8715b80fd29e718158f6c47477e2", "Equity.csv"
)
EXCHANGES = "Romanooo84/stock-data", "a20d25c81d5747c8bd4b3f9fbaa38be92f5f7753"
LSE = Snapshot(*EXCHANGES, "src/js/exchange_tickers/lse.js")
XETRA = Snapshot(*EXCHANGES, "src/js/exchange_tickers/extra.js")

US_STATES = frozenset(s.name for s in pycountry.subdivisions.get(country_code="US")) | {"D.C."}


@dataclass(frozen=True)
class ListPair:
    """Two real lists and their key: ``key`` names one company on both sides."""

    name: str
    vendor: pl.DataFrame  # key, Company Name, other CRM columns
    partner: pl.DataFrame  # key, Company Name, other CRM columns
    committed: bool  # whether its licence lets the files be committed


def us_sp500_sec() -> ListPair:
    """S&P 500 brand names with their headquarters against every SEC registrant's title."""
    sp = pl.read_csv(io.BytesIO(SP500.read()), infer_schema=False)
    place = pl.col("Headquarters Location").str.split_exact(", ", 1)
    region = place.struct.field("field_1")
    vendor = sp.select(
        pl.col("CIK").cast(pl.Int64).cast(pl.String).alias("key"),
        pl.col("Security").alias("Company Name"),
        place.struct.field("field_0").alias("City"),
        pl.when(region.is_in(US_STATES)).then(region).alias("State"),
        pl.when(region.is_in(US_STATES))
        .then(pl.lit("United States"))
        .otherwise(region)
        .alias("Country"),
    )
    tickers = json.loads(SEC_TICKERS.read())
    partner = (
        pl.DataFrame(list(tickers.values()))
        .select(pl.col("cik_str").cast(pl.String).alias("key"), pl.col("title"))
        .unique("key", keep="first", maintain_order=True)  # a company's first ticker: its main
        .rename({"title": "Company Name"})
    )
    return ListPair("us_sp500_sec", vendor, partner, committed=True)


def india_nse_bse() -> ListPair:
    """NSE's listed companies by legal name against BSE's by its short security name."""
    nse = pl.read_csv(io.BytesIO(NSE.read()), infer_schema=False)
    nse = nse.rename({c: c.strip() for c in nse.columns})
    vendor = nse.select(
        pl.col("ISIN NUMBER").alias("key"),
        pl.col("NAME OF COMPANY").alias("Company Name"),
        pl.lit("India").alias("Country"),
    )
    bse = pl.read_csv(io.BytesIO(BSE.read()), infer_schema=False, truncate_ragged_lines=True)
    partner = bse.filter(pl.col("Instrument") == "Equity").select(
        pl.col("ISIN No").alias("key"),
        pl.col("Security Name").alias("Company Name"),
        pl.lit("India").alias("Country"),
    )
    return ListPair("india_nse_bse", vendor, partner, committed=False)


def _exchange_stocks(snapshot: Snapshot) -> pl.DataFrame:
    """``key`` (ISIN), ``Company Name``, ``Country`` of an exchange's common stocks."""
    text = snapshot.read().decode()
    listed = pl.DataFrame(json.loads(text[text.index("[") :]))  # a JS module: `export const x=[`
    return listed.filter((pl.col("Type") == "Common Stock") & pl.col("Isin").is_not_null()).select(
        pl.col("Isin").alias("key"), pl.col("Name").alias("Company Name")
    )


def europe_lse_xetra() -> ListPair:
    """London's common stocks against Xetra's, as one data vendor names them on each.

    "Beiersdorf AG O.N." on one is "Beiersdorf Aktiengesellschaft" on the other.
    """
    return ListPair("europe_lse_xetra", _exchange_stocks(LSE), _exchange_stocks(XETRA), False)


LIST_PAIRS: dict[str, Callable[[], ListPair]] = {
    "us_sp500_sec": us_sp500_sec,
    "india_nse_bse": india_nse_bse,
    "europe_lse_xetra": europe_lse_xetra,
}


def _split(key: pl.Expr) -> pl.Expr:
    """``dev`` or ``test`` for each key, by a hash that no tool and no run can change."""
    bucket = key.map_elements(
        lambda k: int(hashlib.sha256(k.encode()).hexdigest(), 16) % 10, return_dtype=pl.Int64
    )
    return pl.when(bucket < TEST_SHARE).then(pl.lit("test")).otherwise(pl.lit("dev"))


def _with_ids(frame: pl.DataFrame, prefix: str) -> pl.DataFrame:
    """Opaque ids in list order, so the key never reaches the tools."""
    ids = pl.format(prefix + "{}", (pl.int_range(pl.len()) + 1).cast(pl.String).str.zfill(5))
    return frame.with_columns(ids.alias("Id")).select("Id", pl.exclude("Id"))


def write(pair: ListPair, folder: Path) -> dict[str, int]:
    """``{name}_{split}_vendor.csv``, ``_partner.csv``, ``_truth.csv`` (vendor_id, partner_id)."""
    folder.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    for split in SPLITS:
        vendor = _with_ids(pair.vendor.filter(_split(pl.col("key")) == split), "V")
        partner = _with_ids(pair.partner.filter(_split(pl.col("key")) == split), "P")
        truth = vendor.select(pl.col("Id").alias("vendor_id"), "key").join(
            partner.select(pl.col("Id").alias("partner_id"), "key"), on="key"
        )
        stem = folder / f"{pair.name}_{split}"
        vendor.drop("key").write_csv(f"{stem}_vendor.csv")
        partner.drop("key").write_csv(f"{stem}_partner.csv")
        truth.select("vendor_id", "partner_id").sort("vendor_id", "partner_id").write_csv(
            f"{stem}_truth.csv"
        )
        counts |= {
            f"{split} vendor rows": vendor.height,
            f"{split} partner rows": partner.height,
            f"{split} true pairs": truth.height,
        }
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", choices=list(LIST_PAIRS), default=list(LIST_PAIRS))
    args = parser.parse_args(argv)
    for name in args.only:
        pair = LIST_PAIRS[name]()
        folder = COMMITTED if pair.committed else LOCAL
        print(f"{name} -> {folder}: {write(pair, folder)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
