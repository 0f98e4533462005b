"""One decision, one effect: feedback given to `overlap match` and stored for a service run."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from typer.testing import CliRunner

from overlap.api.service import run_match
from overlap.api.store import Store
from overlap.cli import app
from overlap.ecosystem.data import VENDOR
from overlap.ingest import read_accounts

VENDOR_LIST = """Account ID,Account Name,Website
V1,Kestrel Foods Inc.,kestrelfoods.com
V2,Marlowe Pharma,
"""
PARTNER_LIST = """Record ID,Company name,Company Domain Name
77,Kestrel Foods,kestrelfoods.com
78,MP Labs,
"""
DECISIONS = [("V1", "77", "reject"), ("V2", "78", "confirm")]


def cli_pairs(tmp_path: Path, *, feedback: bool) -> set[tuple[str, str]]:
    """(vendor id, partner record id) of the matches `overlap match` writes."""
    output = tmp_path / "matches.csv"
    command = ["match", str(tmp_path / "v.csv"), str(tmp_path / "p.csv"), "-o", str(output)]
    if feedback:
        rows = "".join(f"{v},{p},{d}\n" for v, p, d in DECISIONS)
        (tmp_path / "f.csv").write_text(f"vendor_id,partner_id,decision\n{rows}")
        command += ["--feedback", str(tmp_path / "f.csv")]
    result = CliRunner().invoke(app, command)
    assert result.exit_code == 0, result.output
    matches = pl.read_csv(output, infer_schema=False)
    return set(matches.select("vendor_id", "partner_id").iter_rows())


def service_pairs(tmp_path: Path, *, feedback: bool) -> set[tuple[str, str]]:
    """(vendor id, partner record id) of the records one service run puts in one company."""
    store = Store.open(":memory:")
    store.put_partner({"partner_id": "PRT-1", "name": "Partner"})
    store.put_list(VENDOR, read_accounts(tmp_path / "v.csv").accounts, file_name="v.csv")
    store.put_list("PRT-1", read_accounts(tmp_path / "p.csv").accounts, file_name="p.csv")
    for vendor_id, partner_account_id, decision in DECISIONS if feedback else []:
        store.put_feedback(
            vendor_id=vendor_id,
            partner_id="PRT-1",
            partner_account_id=partner_account_id,
            decision=decision,
            by=None,
        )
    run_match(store, store.create_run()["run_id"])
    companies = store.companies()
    store.close()
    vendor = companies.filter(pl.col("owner") == VENDOR)
    partner = companies.filter(pl.col("owner") == "PRT-1")
    return set(vendor.join(partner, on="company_id").select("id", "id_right").iter_rows())


def test_a_confirm_and_a_reject_have_one_effect_in_the_cli_and_in_a_service_run(
    tmp_path: Path,
) -> None:
    (tmp_path / "v.csv").write_text(VENDOR_LIST)
    (tmp_path / "p.csv").write_text(PARTNER_LIST)
    assert cli_pairs(tmp_path, feedback=False) == {("V1", "77")}
    assert service_pairs(tmp_path, feedback=False) == {("V1", "77")}
    assert cli_pairs(tmp_path, feedback=True) == {("V2", "78")}
    assert service_pairs(tmp_path, feedback=True) == {("V2", "78")}
