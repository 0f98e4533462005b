"""Lists written in French, German, Spanish, Dutch, Italian and Portuguese: headers, statuses
and country names, and the values that are not understood, reported rather than dropped."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from overlap import schema
from overlap.cli import app
from overlap.ingest import UNRECOGNISED_SCHEMA, accounts_from_frame, detect_mapping
from overlap.normalise import normalise

FIELDS = (
    *(schema.ID, schema.NAME, schema.STATUS, schema.STAGE, schema.OWNER, schema.INDUSTRY),
    *(schema.EMPLOYEES, schema.ANNUAL_REVENUE, schema.PHONE, schema.ADDRESS, schema.CITY),
    *(schema.STATE, schema.POSTAL_CODE, schema.COUNTRY, schema.WEBSITE, schema.EMAIL),
)
"""The account fields of a header of each language below, in this order."""

HEADERS = {
    "fr": (
        "Identifiant", "Nom", "Statut", "Étape", "Propriétaire", "Secteur", "Effectif",
        "Chiffre d'affaires", "Téléphone", "Adresse", "Ville", "Région", "Code postal", "Pays",
        "Site web", "Courriel",
    ),
    "de": (
        "Kundennummer", "Firmenname", "Typ", "Phase", "Inhaber", "Branche", "Mitarbeiter",
        "Umsatz", "Telefon", "Straße", "Stadt", "Bundesland", "PLZ", "Land", "Webseite",
        "E-Mail",
    ),
    "es": (
        "ID cliente", "Nombre", "Estado", "Etapa", "Propietario", "Sector", "Empleados",
        "Facturación", "Teléfono", "Dirección", "Ciudad", "Provincia", "Código postal", "País",
        "Sitio web", "Correo electrónico",
    ),
    "nl": (
        "Klantnummer", "Naam", "Soort", "Fase", "Eigenaar", "Branche", "Medewerkers", "Omzet",
        "Telefoon", "Adres", "Plaats", "Provincie", "Postcode", "Land", "Website", "E-mailadres",
    ),
    "it": (
        "Codice cliente", "Nome", "Stato", "Fase", "Proprietario", "Settore", "Dipendenti",
        "Fatturato", "Telefono", "Indirizzo", "Città", "Provincia", "CAP", "Paese", "Sito web",
        "Email",
    ),
    "pt": (
        "Código do cliente", "Nome", "Situação", "Etapa", "Responsável", "Setor",
        "Funcionários", "Faturamento", "Telefone", "Endereço", "Cidade", "UF", "CEP", "País",
        "Endereço web", "Endereço de e-mail",
    ),
}  # fmt: skip


@pytest.mark.parametrize("language", list(HEADERS))
def test_every_account_field_is_found_under_its_header_in_each_language(language: str) -> None:
    headers = HEADERS[language]
    assert detect_mapping(headers) == dict(zip(headers, FIELDS, strict=True))


@pytest.mark.parametrize("header", ["Statut", "Typ", "Estado", "Soort", "Stato", "Situação"])
def test_a_status_header_in_another_language_is_read_as_the_status(header: str) -> None:
    result = accounts_from_frame(pl.DataFrame({"Company": ["Acme"], header: ["Customer"]}))
    assert result.mapping[header] == schema.STATUS
    assert result.accounts[schema.STATUS].to_list() == [schema.STATUS_CUSTOMER]


STATUSES = {
    "en": [
        ("Customer", "customer"), ("Former customer", "churned"), ("Prospect", "prospect"),
        ("Opportunity", "opportunity"), ("Partner", "partner"),
    ],
    "fr": [
        ("Client", "customer"), ("Ancien client", "churned"), ("Prospect", "prospect"),
        ("Opportunité", "opportunity"), ("Partenaire", "partner"), ("Revendeur", "partner"),
    ],
    "de": [
        ("Kunde", "customer"), ("Ehemaliger Kunde", "churned"), ("Interessent", "prospect"),
        ("Potenzieller Kunde", "prospect"), ("Verkaufschance", "opportunity"),
        ("Partner", "partner"), ("Gekündigt", "churned"),
    ],
    "es": [
        ("Cliente", "customer"), ("Antiguo cliente", "churned"), ("Cliente potencial", "prospect"),
        ("Oportunidad", "opportunity"), ("Socio", "partner"), ("Distribuidor", "partner"),
    ],
    "nl": [
        ("Klant", "customer"), ("Voormalige klant", "churned"), ("Prospect", "prospect"),
        ("Verkoopkans", "opportunity"), ("Partner", "partner"), ("Oud-klant", "churned"),
    ],
    "it": [
        ("Cliente", "customer"), ("Ex cliente", "churned"), ("Potenziale cliente", "prospect"),
        ("Opportunità", "opportunity"), ("Rivenditore", "partner"),
    ],
    "pt": [
        ("Cliente", "customer"), ("Ex-cliente", "churned"), ("Prospecto", "prospect"),
        ("Oportunidade", "opportunity"), ("Parceiro", "partner"), ("Inativo", "churned"),
    ],
}  # fmt: skip


@pytest.mark.parametrize("language", list(STATUSES))
def test_status_values_in_each_language_map_onto_the_statuses(language: str) -> None:
    said, meant = zip(*STATUSES[language], strict=True)
    result = accounts_from_frame(pl.DataFrame({"Company": "Acme", "Status": list(said)}))
    assert result.accounts[schema.STATUS].to_list() == list(meant)
    assert result.unrecognised.is_empty()


@pytest.mark.parametrize(
    ("stage", "status"),
    [
        ("Négociation", "opportunity"),
        ("Fermé gagné", "customer"),
        ("Perdu", None),
        ("Abgeschlossen gewonnen", "customer"),
        ("Verloren", None),
        ("Cerrado ganado", "customer"),
        ("Cerrado perdido", None),
        ("Gesloten gewonnen", "customer"),
        ("Chiuso vinto", "customer"),
        ("Chiuso perso", None),
        ("Fechado ganho", "customer"),
    ],
)
def test_an_opportunity_stage_won_lost_or_open_in_another_language_implies_its_status(
    stage: str, status: str | None
) -> None:
    result = accounts_from_frame(pl.DataFrame({"Nom": ["Acme"], "Étape": [stage]}))
    assert result.accounts[schema.STATUS].to_list() == [status]


def test_country_names_in_other_languages_are_read_as_their_codes() -> None:
    said = ["États-Unis", "Allemagne", "Royaume-Uni", "Alemania", "Vereinigte Staaten"]
    result = accounts_from_frame(pl.DataFrame({"Nom": list("ABCDE"), "Pays": said}))
    assert normalise(result.accounts)[schema.COUNTRY_CODE].to_list() == [
        "US", "DE", "GB", "DE", "US",
    ]  # fmt: skip
    assert result.unrecognised.is_empty()


def french_list_with_values_not_understood() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "Nom": ["Acme", "Bêta", "Gamma", "Delta"],
            "Statut": ["Client", "Investisseur", "Investisseur", None],
            "Pays": ["États-Unis", "Narnie", "Allemagne", "Narnie"],
            "Ville": ["Boston", "Lyon", "Berlin", "Nantes"],
        }
    )


def test_status_and_country_values_not_understood_are_counted_per_column_and_rows_are_kept():
    result = accounts_from_frame(french_list_with_values_not_understood())
    assert result.unrecognised.schema == pl.Schema(UNRECOGNISED_SCHEMA)
    assert result.unrecognised.rows() == [
        ("Statut", schema.STATUS, "Investisseur", 2),
        ("Pays", schema.COUNTRY, "Narnie", 2),
    ]
    assert result.accounts.height == 4
    assert result.accounts[schema.CITY].to_list() == ["Boston", "Lyon", "Berlin", "Nantes"]
    assert result.accounts[schema.STATUS].to_list() == ["customer", None, None, None]


def test_a_country_not_understood_in_a_location_cell_is_reported_under_that_column() -> None:
    frame = pl.DataFrame({"Company": ["Acme"], "Location": ["Springfield, Fredonia, Freedonia"]})
    result = accounts_from_frame(frame)
    assert result.unrecognised.rows() == [("Location", schema.COUNTRY, "Freedonia", 1)]


def test_overlap_ingest_prints_the_values_it_did_not_understand(tmp_path: Path) -> None:
    path = tmp_path / "comptes.csv"
    french_list_with_values_not_understood().write_csv(path)
    result = CliRunner().invoke(app, ["ingest", str(path)], env={"COLUMNS": "150"})
    assert result.exit_code == 0, result.output
    assert "Values not understood" in result.output
    lines = [line for line in result.output.splitlines() if "Narnie" in line or "Invest" in line]
    assert len(lines) == 2
    assert all("2" in line for line in lines)
    assert "Statut" in lines[0] and "status" in lines[0]
    assert "Pays" in lines[1] and "country" in lines[1]
