"""Benchmark tasks: input files written to a folder, and the true pairs.

Real data comes from `shared/data/real/` (see its README) and is loaded as it is: no row is
edited, dropped or tuned for. Files written here use the headers of a CRM export (`Id`,
`Company Name`, `Website`, `Address`, `City`, `Zip`, `Phone`, `Country`, ...), and every tool
is run on the same files.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared/data/real"
SAMPLES = ROOT / "data/samples"
REAL_LISTS = ROOT / "bench/real"  # committed: their licences allow it
REAL_LISTS_LOCAL = ROOT / "bench/out/real"  # rebuilt from fetched snapshots

CHICAGO = "chicago_early_childhood_sites.csv"
PATSTAT = "patstat_reference.csv"


@dataclass(frozen=True)
class LinkTask:
    """A vendor file against one or more partner files.

    `truth` has columns `partner` (a partner file's name), `vendor_id`, `partner_id`.
    """

    name: str
    vendor: Path
    partners: tuple[Path, ...]
    truth: pl.DataFrame
    note: str = ""


@dataclass(frozen=True)
class DedupeTask:
    """One account list to de-duplicate; `truth` has columns `id` and `entity_id`."""

    name: str
    file: Path
    truth: pl.DataFrame
    note: str = ""


def _read_chicago() -> pl.DataFrame:
    # Quoted cells hold newlines; every column stays a string.
    return pl.read_csv(REAL / CHICAGO, infer_schema=False)


def _chicago_accounts(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.select(
        pl.col("Id"),
        pl.col("Site name").alias("Company Name"),
        pl.col("Address"),
        pl.lit("Chicago").alias("City"),
        pl.lit("IL").alias("State"),
        pl.col("Zip"),
        pl.col("Phone"),
        pl.col("Website"),
        pl.lit("US").alias("Country"),
    )


def link_truth(vendor: pl.DataFrame, partner: pl.DataFrame, *, partner_name: str) -> pl.DataFrame:
    """All (vendor, partner) pairs of equal entity; both frames have `id`, `entity_id`."""
    return (
        vendor.select(pl.col("id").alias("vendor_id"), "entity_id")
        .join(partner.select(pl.col("id").alias("partner_id"), "entity_id"), on="entity_id")
        .select(pl.lit(partner_name).alias("partner"), "vendor_id", "partner_id")
        .unique()
    )


def chicago_link(root: Path) -> LinkTask:
    """Chicago sites: the largest source list as the vendor CRM, the other eight as a partner.

    The largest source (the CPS portal scrape, 1,328 rows) plays one system's CRM export; the
    eight other lists, pooled, play a partner's list. Both sides keep their own duplicates, so
    true pairs are all (vendor row, partner row) of equal `True Id`.
    """
    frame = _read_chicago()
    sizes = frame.group_by("Source").len().sort(["len", "Source"], descending=[True, False])
    vendor_source = sizes["Source"][0]
    is_vendor = pl.col("Source") == vendor_source
    vendor, partner = frame.filter(is_vendor), frame.filter(~is_vendor)
    root.mkdir(parents=True, exist_ok=True)
    vendor_path, partner_path = root / "chicago_vendor.csv", root / "chicago_partner.csv"
    _chicago_accounts(vendor).write_csv(vendor_path)
    _chicago_accounts(partner).write_csv(partner_path)

    def labels(rows: pl.DataFrame) -> pl.DataFrame:
        return rows.select(pl.col("Id").alias("id"), pl.col("True Id").alias("entity_id"))

    truth = link_truth(labels(vendor), labels(partner), partner_name=partner_path.name)
    note = f"vendor = {vendor_source} ({vendor.height} rows), partner = the 8 other sources"
    return LinkTask("chicago_link", vendor_path, (partner_path,), truth, note)


def chicago_dedupe(root: Path) -> DedupeTask:
    """All 3,337 Chicago rows as one list; rows of equal `True Id` are duplicates."""
    frame = _read_chicago()
    root.mkdir(parents=True, exist_ok=True)
    path = root / "chicago_all.csv"
    _chicago_accounts(frame).write_csv(path)
    truth = frame.select(pl.col("Id").alias("id"), pl.col("True Id").alias("entity_id"))
    return DedupeTask("chicago_dedupe", path, truth, "9 source lists pooled")


def patstat_dedupe(root: Path) -> DedupeTask:
    """Dutch patent applicants by raw name only (no country); rows of equal `leuven_id` match."""
    frame = pl.read_csv(REAL / PATSTAT, infer_schema=False)
    root.mkdir(parents=True, exist_ok=True)
    path = root / "patstat.csv"
    frame.select(
        pl.col("person_id").alias("Id"), pl.col("person_name").alias("Company Name")
    ).write_csv(path)
    truth = frame.select(pl.col("person_id").alias("id"), pl.col("leuven_id").alias("entity_id"))
    return DedupeTask("patstat_dedupe", path, truth, "names only; Philips has 300+ spellings")


def samples_link(root: Path) -> LinkTask | None:
    """The bundled samples: the vendor CRM against each partner list, pairs pooled.

    Files are used where they are, in their own formats and headers. None if the samples
    have not been generated.
    """
    del root  # the sample files are read in place
    truth_path, partners_path = SAMPLES / "ground_truth.csv", SAMPLES / "partners.csv"
    vendor_path = SAMPLES / "vendor_crm.csv"
    if not (truth_path.exists() and partners_path.exists() and vendor_path.exists()):
        return None
    labels = pl.read_csv(truth_path, infer_schema=False).with_columns(
        pl.col("file").map_elements(lambda f: Path(f).name, return_dtype=pl.String)
    )
    vendor = labels.filter(pl.col("file") == vendor_path.name)
    files = pl.read_csv(partners_path, infer_schema=False)["file"].drop_nulls().to_list()
    partner_paths = tuple(SAMPLES / Path(f).name for f in files)
    truth = pl.concat(
        [
            link_truth(vendor, labels.filter(pl.col("file") == p.name), partner_name=p.name)
            for p in partner_paths
        ]
    )
    note = f"{len(partner_paths)} partner lists, pairs pooled"
    return LinkTask("samples_link", vendor_path, partner_paths, truth, note)


SYNTHETIC_HEADERS = {
    "id": "Id",
    "name": "Company Name",
    "website": "Website",
    "email": "Email",
    "phone": "Phone",
    "address": "Address",
    "city": "City",
    "state": "State",
    "postal_code": "Zip",
    "country": "Country",
}


def synthetic_link(n: int, root: Path) -> LinkTask | None:
    """Generated vendor and partner lists of `n` rows each, 30% overlap, seed 0.

    None if `overlap.samples.generate_linkage_pair` does not exist yet.
    """
    samples = importlib.import_module("overlap.samples")
    generate: Callable[..., tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]] | None = getattr(
        samples, "generate_linkage_pair", None
    )
    if generate is None:
        return None
    vendor, partner, truth = generate(n, overlap=0.3, seed=0)
    root.mkdir(parents=True, exist_ok=True)
    paths = root / "synthetic_vendor.csv", root / "synthetic_partner.csv"
    for frame, path in zip((vendor, partner), paths, strict=True):
        present = [c for c in SYNTHETIC_HEADERS if c in frame.columns]
        frame.select(
            pl.col(c).cast(pl.String).alias(SYNTHETIC_HEADERS[c]) for c in present
        ).write_csv(path)
    pairs = truth.select(
        pl.lit(paths[1].name).alias("partner"),
        pl.col("vendor_id").cast(pl.String),
        pl.col("partner_id").cast(pl.String),
    )
    return LinkTask(f"synthetic_link_{n}", paths[0], (paths[1],), pairs, "30% overlap, seed 0")


def real_list_pair(name: str) -> Callable[[Path], LinkTask | None]:
    """A list pair of `bench/real_lists.py` (e.g. `us_sp500_sec_test`), or None if not built."""

    def task(root: Path) -> LinkTask | None:
        del root  # the files are read where real_lists.py wrote them
        for folder in (REAL_LISTS, REAL_LISTS_LOCAL):
            vendor, partner = folder / f"{name}_vendor.csv", folder / f"{name}_partner.csv"
            truth = folder / f"{name}_truth.csv"
            if vendor.exists() and partner.exists() and truth.exists():
                pairs = pl.read_csv(truth, infer_schema=False)
                labelled = pairs.select(pl.lit(partner.name).alias("partner"), pl.all())
                note = "real lists, true pairs by registry key (bench/real_lists.py)"
                return LinkTask(name, vendor, (partner,), labelled, note)
        return None

    return task


REAL_LIST_PAIRS = tuple(
    f"{pair}_{split}"
    for pair in ("us_sp500_sec", "india_nse_bse", "europe_lse_xetra")
    for split in ("dev", "test")
)

LINK_DATASETS: dict[str, Callable[[Path], LinkTask | None]] = {
    "chicago_link": chicago_link,
    "samples_link": samples_link,
    **{name: real_list_pair(name) for name in REAL_LIST_PAIRS},
}
DEDUPE_DATASETS: dict[str, Callable[[Path], DedupeTask | None]] = {
    "chicago_dedupe": chicago_dedupe,
    "patstat_dedupe": patstat_dedupe,
}
