"""A folder made by hand: a vendor list and two partner lists, no products, no deals.

Built here from scratch in three formats (CSV, Excel, Parquet) with English and German
headers, then read by `overlap check`, `rank`, `recommend` and `report`, by the library's
public calls and by the service's loader, and by the README's "Bring your own data"
commands as they are written.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

import overlap
from overlap.api.service import build_ecosystem, load_directory
from overlap.api.store import Store
from overlap.cli import app
from overlap.ecosystem import backtest, lift, lookalike

README = Path(__file__).resolve().parents[1] / "README.md"
runner = CliRunner()

# name, domain, city, country
COMPANIES = [
    ("Kestrel Foods", "kestrelfoods.com", "Hamburg", "Deutschland"),
    ("Marlowe Pharma", "marlowe-pharma.com", "Basel", "Schweiz"),
    ("Orchard Lane Logistics", "orchardlane.co.uk", "Leeds", "United Kingdom"),
    ("Brennecke Maschinenbau", "brennecke-mb.de", "Stuttgart", "Deutschland"),
    ("Quillon Analytics", "quillon.io", "Boston", "USA"),
    ("Halvorsen Shipping", "halvorsen-shipping.no", "Bergen", "Norway"),
    ("Tidewater Insurance", "tidewater-ins.com", "Charleston", "USA"),
    ("Vireo Textiles", "vireotextiles.fr", "Lyon", "France"),
    ("Ashgrove Dental Group", "ashgrovedental.com", "Denver", "USA"),
    ("Lindqvist Energi", "lindqvist-energi.se", "Malmö", "Sweden"),
    ("Pemberton Foundry", "pembertonfoundry.co.uk", "Sheffield", "United Kingdom"),
    ("Calloway Media", "callowaymedia.com", "Austin", "USA"),
    ("Steinbach Logistik", "steinbach-logistik.de", "Köln", "Deutschland"),
    ("Rosslyn Biotech", "rosslynbio.com", "Edinburgh", "United Kingdom"),
    ("Ferrante Alimentari", "ferrante.it", "Parma", "Italy"),
    ("Nordhavn Robotics", "nordhavn-robotics.dk", "Aarhus", "Denmark"),
]
STATUSES = ["customer", "prospect", "opportunity", "customer"]
HEADERS = {
    "en": {"id": "Account ID", "name": "Account Name", "website": "Website",
           "city": "Billing City", "country": "Billing Country", "status": "Type"},
    "de": {"id": "Kundennummer", "name": "Firmenname", "website": "Webseite", "city": "Ort",
           "country": "Land", "status": "Typ"},
}  # fmt: skip
WORDS = {
    "de": {"customer": "Kunde", "prospect": "Interessent", "opportunity": "Verkaufschance",
           "Schweiz": "Schweiz", "United Kingdom": "Vereinigtes Königreich", "USA":
           "Vereinigte Staaten", "Norway": "Norwegen", "France": "Frankreich", "Sweden":
           "Schweden", "Italy": "Italien", "Denmark": "Dänemark"},
    "en": {"customer": "Customer", "prospect": "Prospect", "opportunity": "Opportunity",
           "Deutschland": "Germany", "Schweiz": "Switzerland"},
}  # fmt: skip
OTHER = {"en": "de", "de": "en"}


def _list(rows: list[dict[str, str]], language: str) -> pl.DataFrame:
    """The rows with the headers, statuses and country names of ``language``."""
    words = WORDS[language]
    return pl.DataFrame(
        [
            {k: words.get(v, v) if k in ("status", "country") else v for k, v in r.items()}
            for r in rows
        ]
    ).rename(HEADERS[language], strict=False)


def _write(frame: pl.DataFrame, path: Path) -> str:
    if path.suffix == ".xlsx":
        frame.write_excel(path)
    elif path.suffix == ".parquet":
        frame.write_parquet(path)
    else:
        frame.write_csv(path)
    return path.name


def make_folder(directory: Path, *, fmt: str, language: str) -> Path:
    """The vendor's list and Northwind's in ``language``, Brightline's (customers, no
    status column) in the other, each a ``fmt`` file; partners.csv names them."""
    directory.mkdir(parents=True, exist_ok=True)
    vendor = [
        {"id": f"V{i:03d}", "name": name, "website": f"www.{domain}", "city": city,
         "country": country, "status": STATUSES[i % len(STATUSES)]}
        for i, (name, domain, city, country) in enumerate(COMPANIES)
    ]  # fmt: skip
    northwind = [
        {"id": f"N{i}", "name": name.upper() + " GMBH", "website": f"https://{domain}/",
         "city": city, "country": country, "status": "customer" if i % 2 else "prospect"}
        for i, (name, domain, city, country) in enumerate(COMPANIES[:10])
    ] + [{"id": "N99", "name": "Zephyr Outdoor", "website": "zephyr-outdoor.com",
          "city": "Oslo", "country": "Norway", "status": "customer"}]  # fmt: skip
    brightline = [
        {"name": name, "website": domain, "city": city, "country": country}
        for name, domain, city, country in COMPANIES[6:]
    ]
    files = [
        _write(_list(vendor, language), directory / f"vendor_crm.{fmt}"),
        _write(_list(northwind, language), directory / f"northwind.{fmt}"),
        _write(_list(brightline, OTHER[language]), directory / f"brightline.{fmt}"),
    ]
    pl.DataFrame(
        {
            "partner_id": ["PRT-N", "PRT-B"],
            "name": ["Northwind Partners", "Brightline Consulting"],
            "file": files[1:],
            "status": [None, "customer"],
        }
    ).write_csv(directory / "partners.csv")
    return directory


FOLDERS = [(fmt, language) for fmt in ("csv", "xlsx", "parquet") for language in ("en", "de")]


@pytest.fixture(scope="module", params=FOLDERS, ids=lambda p: f"{p[0]}-{p[1]}")
def folder(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    fmt, language = request.param
    return make_folder(tmp_path_factory.mktemp(f"{fmt}_{language}"), fmt=fmt, language=language)


def cli(*arguments: str) -> str:
    result = runner.invoke(app, list(arguments))
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return result.output


def test_check_says_what_the_folder_holds_and_what_is_missing(folder: Path) -> None:
    output = cli("check", "--data", str(folder))
    assert "Northwind Partners" in output and "Brightline Consulting" in output
    assert "products.csv" in output and "deals.csv" in output
    assert "not available" in output
    assert "Ready" in output


def test_rank_recommend_and_report_run_and_say_what_needs_deals(folder: Path) -> None:
    rank = cli("rank", "--data", str(folder))
    assert "Co-sell" in rank and "Northwind Partners" in rank
    assert "no deals.csv" in rank
    recommended = cli("recommend", "Kestrel Foods", "--data", str(folder), "--format", "csv")
    assert "Northwind Partners" in recommended
    report = cli("report", "--data", str(folder), "--format", "json")
    assert "PRT-B" in report and "not enough data" in report


def test_the_library_reads_the_folder_and_says_what_needs_deals(folder: Path) -> None:
    eco = overlap.load_ecosystem(folder)
    assert eco.products.is_empty() and eco.deals.is_empty()
    # every status and country was understood, in English and in German (Brightline's
    # statuses come from partners.csv)
    assert eco.accounts["status"].null_count() == 0
    assert eco.accounts["country"].null_count() == 0
    matrix = overlap.overlap_matrix(eco)
    cells = matrix.filter(pl.col("companies") > 0)
    # Brightline's list has no status column: partners.csv reads it as customers
    assert set(cells.filter(pl.col("partner_id") == "PRT-B")["partner_population"]) == {"customer"}
    assert matrix.filter(pl.col("partner_id") == "PRT-N")["companies"].sum() == 10
    assert overlap.co_sell(eco).height > 0
    partners = overlap.Recommender().fit(eco).recommend("Kestrel Foods")
    assert partners["partner"].to_list()[0] == "Northwind Partners"
    assert overlap.scorecard(eco)["deals_with"].to_list() == [0, 0]
    assert lift.partner_lift(eco)["note"].str.contains("not enough data").all()
    assert lookalike.new_accounts(eco).height > 0
    # the backtest contract: no test deals is zero deals and no figures, not an error
    figures = backtest.backtest(eco)
    assert figures["deals"].to_list() == [0] * figures.height
    assert figures["precision_at_1"].null_count() == figures.height


def test_the_service_loads_the_folder(folder: Path) -> None:
    store = Store.open(":memory:")
    try:
        assert load_directory(store, folder) is not None
        eco = build_ecosystem(store)
        assert overlap.overlap_matrix(eco)["companies"].sum() > 0
    finally:
        store.close()


def readme_commands() -> list[list[str]]:
    """The commands of the README's "Bring your own data", without `.venv/bin/overlap`."""
    section = README.read_text(encoding="utf-8").split("## Bring your own data")[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block is not None
    lines = [line.split("#")[0].strip() for line in block.group(1).splitlines()]
    return [shlex.split(line)[1:] for line in lines if line]


def test_the_readme_commands_work_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_folder(tmp_path / "my_ecosystem", fmt="xlsx", language="de")
    monkeypatch.chdir(tmp_path)
    commands = readme_commands()
    assert [c[0] for c in commands] == ["check", "rank", "recommend", "report"]
    for command in commands:
        cli(*command)
