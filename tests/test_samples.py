"""The sample generator: deterministic, realistic, with ground truth and causal deals."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import openpyxl
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from overlap import schema
from overlap.samples import World, generate_linkage_pair, generate_world, write_samples
from overlap.samples.companies import generate_companies
from overlap.samples.partners import PARTNERS
from overlap.samples.world import VENDOR_COLUMNS
from overlap.samples.write import FILE_HEADERS, XLSX_HEADER_ROW


@pytest.fixture(scope="module")
def world() -> World:
    return generate_world(seed=7)


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    directory = tmp_path_factory.mktemp("samples")
    return directory, write_samples(directory, seed=7)


def _read_table(path: Path) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a sample list, decoded the way its format demands."""
    if path.suffix == ".xlsx":
        book = openpyxl.load_workbook(path, read_only=True)
        rows = [
            ["" if v is None else str(v) for v in row]
            for row in book.active.iter_rows(values_only=True)
        ]
        book.close()
        return rows[XLSX_HEADER_ROW - 1], rows[XLSX_HEADER_ROW:]
    if path.suffix == ".parquet":
        frame = pl.read_parquet(path)
        return frame.columns, [[str(v) for v in row] for row in frame.iter_rows()]
    raw = path.read_bytes()
    if raw.startswith(b"\xff\xfe"):
        text, delimiter = raw.decode("utf-16"), "\t"
    elif b";" in raw.splitlines()[0]:
        text, delimiter = raw.decode("cp1252"), ";"
    else:
        text, delimiter = raw.decode("utf-8"), ","
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    return rows[0], rows[1:]


def test_the_same_seed_gives_the_same_world() -> None:
    first, second = generate_world(seed=3, n_vendor=400), generate_world(seed=3, n_vendor=400)
    assert_frame_equal(first.vendor, second.vendor)
    assert_frame_equal(first.deals, second.deals)
    assert_frame_equal(first.ground_truth, second.ground_truth)
    for file, frame in first.partner_lists.items():
        assert_frame_equal(frame, second.partner_lists[file])


def test_another_seed_gives_another_world() -> None:
    first, second = generate_world(seed=3, n_vendor=400), generate_world(seed=4, n_vendor=400)
    assert first.vendor["Account Name"].to_list() != second.vendor["Account Name"].to_list()


def test_linkage_pair_has_n_accounts_each_and_the_overlap_share_of_true_pairs() -> None:
    left, right, truth = generate_linkage_pair(2000, overlap=0.3, seed=1)
    assert left.schema == pl.Schema(schema.ACCOUNT_SCHEMA)
    assert right.schema == pl.Schema(schema.ACCOUNT_SCHEMA)
    assert (left.height, right.height, truth.height) == (2000, 2000, 600)
    assert left[schema.ROW].to_list() == list(range(1, 2001))
    assert right[schema.ROW].to_list() == list(range(1, 2001))
    assert truth.columns == [schema.VENDOR_ID, schema.PARTNER_ID]
    assert truth[schema.VENDOR_ID].is_unique().all()
    assert truth[schema.PARTNER_ID].is_unique().all()
    assert truth[schema.VENDOR_ID].is_in(left[schema.ID].implode()).all()
    assert truth[schema.PARTNER_ID].is_in(right[schema.ID].implode()).all()


def test_linkage_pair_is_deterministic_for_a_seed() -> None:
    for a, b in zip(
        generate_linkage_pair(300, seed=5), generate_linkage_pair(300, seed=5), strict=True
    ):
        assert_frame_equal(a, b)


def named_pairs(left: pl.DataFrame, right: pl.DataFrame, truth: pl.DataFrame) -> pl.DataFrame:
    """The true pairs with the vendor's name ``l`` and the partner's ``r``."""
    return truth.join(
        left.select(pl.col(schema.ID).alias(schema.VENDOR_ID), pl.col(schema.NAME).alias("l")),
        on=schema.VENDOR_ID,
    ).join(
        right.select(pl.col(schema.ID).alias(schema.PARTNER_ID), pl.col(schema.NAME).alias("r")),
        on=schema.PARTNER_ID,
    )


def test_linkage_true_pairs_are_mostly_recognisable_but_rarely_identical() -> None:
    pairs = named_pairs(*generate_linkage_pair(3000, overlap=0.5, seed=2))
    same = (pairs["l"] == pairs["r"]).mean()
    same_start = (
        pairs["l"].str.to_lowercase().str.slice(0, 4)
        == pairs["r"].str.to_lowercase().str.slice(0, 4)
    ).mean()
    assert same is not None and same_start is not None
    assert 0.2 < same < 0.7
    assert same_start > 0.8


def test_a_domain_is_one_companys_first_or_second() -> None:
    companies = generate_companies(np.random.default_rng(5), 20_000)
    domains = pl.concat([companies["domain"], companies["domain2"]]).drop_nulls()
    assert companies["domain2"].drop_nulls().len() > 1_000
    assert domains.is_unique().all()


def test_a_company_may_be_known_by_its_brand_only_where_no_other_names_itself_by_it() -> None:
    companies = generate_companies(np.random.default_rng(5), 20_000)
    owned = companies.filter(pl.col("own_brand").is_not_null())
    branded = companies.filter(pl.col("pattern").str.starts_with("brand"))
    assert owned.height > 1_000
    assert (
        not owned["own_brand"]
        .str.to_lowercase()
        .is_in(
            branded.join(owned, on="entity_id", how="anti")["brand"].str.to_lowercase().implode()
        )
        .any()
    )
    assert owned["own_brand"].str.to_lowercase().is_unique().all()


def test_linkage_partner_side_has_missing_websites_and_free_mail_contacts() -> None:
    _, right, _ = generate_linkage_pair(3000, seed=3)
    assert 0.1 < right[schema.WEBSITE].null_count() / right.height < 0.5
    emails = right[schema.EMAIL].drop_nulls()
    assert emails.str.ends_with("@gmail.com").any()
    assert (
        ~emails.str.contains("gmail|yahoo|outlook|hotmail|gmx|web.de|orange|libero|icloud")
    ).any()


def test_every_written_file_exists_and_has_its_declared_headers(
    written: tuple[Path, list[Path]],
) -> None:
    directory, files = written
    names = {p.name for p in files}
    assert names == {"vendor_crm.csv", "README.md", *FILE_HEADERS}
    assert all(p.is_file() and p.parent == directory for p in files)
    assert sum(p.stat().st_size for p in files) < 5_000_000
    assert _read_table(directory / "vendor_crm.csv")[0] == list(VENDOR_COLUMNS)
    for name, headers in FILE_HEADERS.items():
        assert _read_table(directory / name)[0] == list(headers), name


def test_partner_files_are_in_their_export_formats(written: tuple[Path, list[Path]]) -> None:
    directory, _ = written
    agency = (directory / "partner_kessler_roux_accounts.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        agency.decode("utf-8")
    assert "é".encode("cp1252") in agency or "ü".encode("cp1252") in agency
    assert (directory / "partner_brightline_customers.txt").read_bytes()[:2] == b"\xff\xfe"
    sheet = openpyxl.load_workbook(directory / "partner_meridian_dynamics.xlsx").active
    assert sheet["A1"].value == "Accounts export"
    assert sheet["A2"].value is None


def test_ground_truth_covers_every_row_of_every_list(
    written: tuple[Path, list[Path]], world: World
) -> None:
    directory, _ = written
    truth = pl.read_csv(directory / "ground_truth.csv", schema_overrides={"id": pl.String})
    id_columns = {
        "vendor_crm.csv": "Account ID",
        "partner_northgate_hubspot.csv": "Record ID",
        "partner_meridian_dynamics.xlsx": "accountid",
        "partner_tessellate_pipedrive.parquet": "Organization - ID",
    }
    for name in ["vendor_crm.csv", *(p.file for p in PARTNERS)]:
        header, rows = _read_table(directory / name)
        if name in id_columns:
            ids = [row[header.index(id_columns[name])] for row in rows]
        else:
            ids = [str(i) for i in range(1, len(rows) + 1)]
        listed = truth.filter(pl.col("file") == name)
        assert listed["id"].to_list() == ids, name
        unusable = set(world.unusable.get(name, []))
        known = listed.filter(~pl.col("id").is_in(list(unusable)))
        assert known["entity_id"].null_count() == 0, name


def test_the_vendor_list_holds_duplicate_accounts_spelled_differently(world: World) -> None:
    vendor = world.vendor
    repeated = vendor.filter(pl.col("entity_id").is_duplicated())
    assert 0.02 < repeated["entity_id"].n_unique() / vendor.height < 0.05
    spellings = repeated.group_by("entity_id").agg(pl.col("Account Name").n_unique())
    assert (spellings["Account Name"] > 1).mean() > 0.5  # type: ignore[operator]


def test_hard_negative_name_families_exist(world: World) -> None:
    names = world.vendor.filter(~pl.col("duplicate")).select("Account Name", "entity_id")
    american = names.filter(pl.col("Account Name").str.starts_with("American "))
    assert american["entity_id"].n_unique() >= 3
    banks = world.companies.filter(pl.col("core").str.starts_with("First National Bank of "))
    assert banks["core"].n_unique() >= 2
    same_name = world.companies.group_by("core").agg(pl.col("country").n_unique())
    assert (same_name["country"] > 1).sum() >= 20  # type: ignore[operator]


def test_each_partner_shares_a_third_to_two_thirds_of_its_list_with_the_vendor(
    world: World,
) -> None:
    vendor_entities = world.vendor["entity_id"].implode()
    for spec in PARTNERS:
        members = world.relationships.filter(pl.col("partner_id") == spec.partner_id)
        share = members["entity_id"].is_in(vendor_entities).mean()
        assert share is not None and 0.25 <= share <= 0.65, spec.name


def test_deals_with_a_certified_fitting_partner_win_more_than_deals_without(
    world: World,
) -> None:
    certified = world.partners.select(
        "partner_id", pl.col("certifications").str.split(";").alias("certs")
    )
    deals = (
        world.deals.join(world.deal_effects.select("deal_id", "role_fit"), on="deal_id")
        .join(certified, on="partner_id", how="left")
        .with_columns(
            pl.col("certs").list.contains(pl.col("product")).fill_null(False).alias("cert"),
            (pl.col("outcome") == "won").alias("won"),
        )
    )
    without = deals.filter(pl.col("partner_id").is_null())["won"].mean()
    with_good = deals.filter(pl.col("cert") & pl.col("role_fit"))["won"].mean()
    assert without is not None and with_good is not None
    assert with_good > without + 0.15


def test_naive_partner_lift_overstates_the_true_lift(world: World) -> None:
    deals = world.deals.join(world.deal_effects, on="deal_id").with_columns(
        (pl.col("outcome") == "won").alias("won"), pl.col("partner_id").is_not_null().alias("p")
    )
    involved = deals.filter("p")
    baseline_gap = (
        involved["p_win_without_partner"].mean() - deals.filter(~pl.col("p"))["p_win"].mean()  # type: ignore[operator]
    )
    assert baseline_gap > 0.03


def test_every_sample_list_is_read_by_ingest_without_rejections(
    written: tuple[Path, list[Path]], world: World
) -> None:
    ingest = pytest.importorskip("overlap.ingest")
    read_accounts = getattr(ingest, "read_accounts", None)
    if read_accounts is None:
        pytest.skip("overlap.ingest.read_accounts is not written yet")
    directory, _ = written
    for name in ["vendor_crm.csv", *(p.file for p in PARTNERS)]:
        result = read_accounts(directory / name)
        expected = len(_read_table(directory / name)[1]) - len(world.unusable.get(name, []))
        assert result.accounts.height == expected, name
        assert result.accounts.schema == pl.Schema(schema.ACCOUNT_SCHEMA), name


def test_other_sites_are_look_alikes_of_vendor_accounts_that_are_not_matches() -> None:
    left, right, truth = generate_linkage_pair(2000, overlap=0.3, sites=0.1, seed=1)
    assert (left.height, right.height, truth.height) == (2000, 2000, 600)
    unmatched = right.join(truth, left_on=schema.ID, right_on=schema.PARTNER_ID, how="anti")
    # a site is named after a vendor account, with a qualifier, at a street address
    vendor_names = left[schema.NAME].str.to_lowercase().str.split(" ").list.first().implode()
    sites = unmatched.filter(
        pl.col(schema.NAME).str.contains(" - | / ")
        & pl.col(schema.NAME).str.to_lowercase().str.split(" ").list.first().is_in(vendor_names)
    )
    assert sites.height >= 50
    assert sites[schema.ADDRESS].is_not_null().all()


def test_offices_are_vendor_accounts_named_after_an_office_and_are_matches() -> None:
    left, right, truth = generate_linkage_pair(2000, overlap=0.3, offices=0.05, seed=1)
    assert truth.height == 600
    pairs = named_pairs(left, right, truth)
    offices = pairs.filter(pl.col("r").str.contains(r" - | \(.+\)| Office"))
    assert offices.height >= 80


def test_acronyms_are_vendor_accounts_named_by_their_initials_and_are_matches() -> None:
    left, right, truth = generate_linkage_pair(2000, overlap=0.3, acronyms=0.05, seed=1)
    assert truth.height == 600
    pairs = named_pairs(left, right, truth)
    first_words = pl.col("r").str.extract(r"^([A-Z]{2,})\b")
    initials = pl.col("l").str.split(" ").list.eval(pl.element().str.slice(0, 1)).list.join("")
    named_by_initials = pairs.filter(
        initials.str.to_uppercase().str.starts_with(first_words)
        & ~pl.col("l").str.starts_with(first_words)
    )
    assert named_by_initials.height >= 50


@pytest.mark.parametrize(
    "shares",
    [
        # sites are partner accounts that are not shared, offices and acronyms shared ones
        {"overlap": 0.8, "sites": 0.3},
        {"overlap": 0.1, "offices": 0.2},
        {"overlap": 0.1, "acronyms": 0.2},
        {"overlap": 0.3, "offices": 0.2, "acronyms": 0.2},
    ],
)
def test_shares_the_lists_cannot_hold_are_refused(shares: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="0 <= acronyms <= overlap - offices, got n=100"):
        generate_linkage_pair(100, **shares)


def test_the_committed_samples_readme_is_the_one_the_generator_writes(
    written: tuple[Path, list[Path]],
) -> None:
    committed = Path(__file__).resolve().parents[1] / "data" / "samples" / "README.md"
    generated = written[0] / "README.md"
    assert committed.read_text(encoding="utf-8") == generated.read_text(encoding="utf-8")
