"""The `overlap ingest` and `overlap samples` commands."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from overlap.cli import app

runner = CliRunner()


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_every_command_has_help() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "partners" in result.output
    for command in ("ingest", "samples"):
        help_text = runner.invoke(app, [command, "--help"])
        assert help_text.exit_code == 0, command
        assert "Usage" in help_text.output


def test_ingest_prints_the_mapping_the_counts_and_the_rejected_rows(tmp_path: Path) -> None:
    path = write(tmp_path, "crm.csv", "Account Name,Website,Notes\nAcme,acme.com,x\n,,orphan\n")
    result = runner.invoke(app, ["ingest", str(path)])
    assert result.exit_code == 0, result.output
    assert "Account Name" in result.output
    assert "name" in result.output
    assert "Notes" in result.output and "ignored" in result.output
    assert "Rows read: 2" in result.output
    assert "accepted: 1" in result.output
    assert "rejected: 1" in result.output
    assert "no name and no website or e-mail" in result.output


def test_ingest_map_options_and_mapping_file_override_detection(tmp_path: Path) -> None:
    path = write(tmp_path, "list.csv", "Partner Name,Place\nAcme,Austin\n")
    mapping = write(tmp_path, "map.json", '{"Place": "city"}')
    result = runner.invoke(
        app, ["ingest", str(path), "--mapping", str(mapping), "--map", "Partner Name=name"]
    )
    assert result.exit_code == 0, result.output
    assert "Partner Name" in result.output
    assert "city" in result.output
    assert "accepted: 1" in result.output


def test_ingest_input_error_is_a_red_message_and_exit_code_2(tmp_path: Path) -> None:
    path = write(tmp_path, "list.csv", "Partner,Region\nAcme,EMEA\n")
    result = runner.invoke(app, ["ingest", str(path)])
    assert result.exit_code == 2
    assert "list.csv" in result.stderr
    assert "--map" in result.stderr
    assert "Traceback" not in result.output


def test_ingest_status_reads_a_list_of_customers_only_as_customers(tmp_path: Path) -> None:
    path = write(tmp_path, "customers.csv", "Company,Website\nAcme,acme.com\nBeta,beta.com\n")
    assert "Statuses: none 2" in runner.invoke(app, ["ingest", str(path)]).output
    result = runner.invoke(app, ["ingest", str(path), "--status", "customer"])
    assert result.exit_code == 0, result.output
    assert "Statuses: customer 2" in result.output


def test_ingest_status_that_is_no_status_is_exit_code_2(tmp_path: Path) -> None:
    path = write(tmp_path, "customers.csv", "Company\nAcme\n")
    result = runner.invoke(app, ["ingest", str(path), "--status", "client"])
    assert result.exit_code == 2
    assert "customer, opportunity" in result.output


def test_ingest_rejects_a_map_option_without_equals(tmp_path: Path) -> None:
    path = write(tmp_path, "list.csv", "Company\nAcme\n")
    result = runner.invoke(app, ["ingest", str(path), "--map", "Company"])
    assert result.exit_code == 2
    assert "Header=field" in result.output


def test_samples_writes_into_the_given_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[Path, int]] = []

    def write_samples(directory: Path, *, seed: int = 7) -> list[Path]:
        calls.append((directory, seed))
        return [directory / "vendor_crm.csv"]

    samples = importlib.import_module("overlap.samples")
    monkeypatch.setattr(samples, "write_samples", write_samples, raising=False)
    result = runner.invoke(app, ["samples", str(tmp_path), "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert calls == [(tmp_path, 3)]
    assert "Wrote 1 files" in result.output
