"""Source headers -> account fields: the alias tables and how a mapping is resolved.

Headers are compared by their *key*: case-folded letters and digits only, so
"Billing State/Province", "billing state province" and "BILLING_STATE_PROVINCE"
are one header. Each field lists its aliases best first; when several headers
could fill a field the one with the earliest alias wins, and every field takes
at most one column.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence

from overlap import schema
from overlap.errors import MappingError

LOCATION = "location"
"""Pseudo-field: one "City, State, Country" cell, split into the place fields left empty."""

IGNORE = "ignore"
"""Pseudo-field for an explicit mapping: leave this header out (``--map "Id=ignore"``)."""

MAP_OPTIONS_OF_MATCH = " (--vendor-map or --partner-map with `overlap match`)"
"""What a hint naming ``--map`` adds: the two lists of ``overlap match`` are mapped apart."""

TARGETS: tuple[str, ...] = (*schema.ACCOUNT_FIELDS, LOCATION, IGNORE)
"""Every value an explicit mapping may name."""

NAME_LIKE = (schema.NAME, schema.WEBSITE, schema.EMAIL)
"""Fields that can identify an account; a list needs a column for at least one."""

# Salesforce, HubSpot, Dynamics, Pipedrive ("Organization - ..."), Zoho and plain lists, then
# the same in French, German, Spanish, Dutch, Italian and Portuguese. Shipping and mailing
# variants come last among the English ones so that billing ones win.
ALIASES: dict[str, tuple[str, ...]] = {
    schema.ID: (
        "Id", "Account ID", "Record ID", "accountid", "Organization - ID", "Organization ID",
        "Company ID", "Customer ID", "Account Number", "Customer Number", "CRM ID",
        "External ID", "UID", "GUID", "Unique ID", "Identifier", "Key", "Row ID", "Reference",
        "Ref", "(Do Not Modify) Account", "UUID",
        "Identifiant", "Numéro client", "N° client", "Kundennummer", "Kunden-ID", "Kundennr",
        "Número de cliente", "ID cliente", "Klantnummer", "Klant-ID", "Codice cliente",
        "Identificativo", "Código do cliente", "Número do cliente", "Código cliente",
    ),
    schema.NAME: (
        "Account Name", "Company name", "Organization - Name", "Organization Name",
        "Organisation Name", "Customer Name", "Company", "Organization", "Organisation",
        "Customer", "Account", "Site name", "Business Name", "Legal Name", "Registered Name",
        "Trading Name", "Name", "Org", "Firm", "Business", "Firma", "Firmenname", "Unternehmen",
        "Raison sociale", "Societe", "Empresa", "Razon social", "Bedrijfsnaam", "Bedrijf",
        "Ragione sociale", "Azienda",
        "Nom de l'entreprise", "Nom du compte", "Nom du client", "Entreprise", "Nom", "Client",
        "Unternehmensname", "Kundenname", "Kunde", "Nombre de la empresa", "Nombre de cuenta",
        "Nombre del cliente", "Nombre", "Cliente", "Klantnaam", "Organisatie", "Naam", "Klant",
        "Nome azienda", "Denominazione", "Nome", "Nome da empresa", "Razão social",
    ),
    schema.WEBSITE: (
        "Website", "Website URL", "Organization - Website", "Company Domain Name", "Domain",
        "Web Site", "Web", "URL", "Homepage", "Homepage URL", "Web Address", "Web/Email",
        "Domain Name", "Website Domain", "Webseite", "Site web", "Site internet", "Sitio web",
        "Pagina web",
        "Internetseite", "Sito web", "Sito internet", "Webadres", "Endereço web",
    ),
    schema.EMAIL: (
        "Email", "E-mail", "Email Address", "E-mail Address", "Company Email", "Email Domain",
        "Contact Email", "Primary Contact Email",
        "E-Mail-Adresse", "Courriel", "Correo", "Correo electronico",
        "Adresse e-mail", "E-mailadres", "Indirizzo email", "Posta elettronica",
        "Endereço de e-mail", "Correio eletrônico",
    ),
    schema.PHONE: (
        "Phone", "Phone Number", "Main Phone", "Telephone", "Tel", "Business Phone",
        "Organization - Phone", "Telefon", "Telefono", "Telefoon",
        "Numéro de téléphone", "Telefonnummer", "Número de teléfono", "Telefoonnummer",
        "Numero di telefono", "Telefone",
    ),
    schema.ADDRESS: (
        "Billing Street", "Street Address", "Address 1: Street 1", "Organization - Address",
        "Address", "Street", "Address Line 1", "Address 1", "Address 1: Line 1", "Billing Address",
        "Shipping Street", "Mailing Street", "Strasse", "Adresse", "Direccion", "Indirizzo",
        "Adres",
        "Rue", "Anschrift", "Calle", "Straat", "Endereço", "Morada", "Rua",
    ),
    schema.CITY: (
        "Billing City", "City", "Address 1: City", "Organization - City", "Town",
        "Shipping City", "Mailing City", "Ort", "Stadt", "Ville", "Ciudad", "Citta", "Plaats",
        "Commune", "Localidad", "Municipio", "Stad", "Woonplaats", "Comune", "Località", "Cidade",
        "Município", "Localidade",
    ),
    schema.STATE: (
        "Billing State/Province", "State/Region", "Address 1: State/Province",
        "Address 1: State or Province", "State",
        "State/Province", "Province", "Billing State", "County", "Region",
        "Shipping State/Province", "Mailing State/Province",
        "Département", "Bundesland", "Provincia", "Comunidad autónoma", "Provincie", "Regione",
        "UF",
    ),
    schema.POSTAL_CODE: (
        "Billing Zip/Postal Code", "Postal Code", "Address 1: ZIP/Postal Code",
        "Address 1: Postal Code", "Zip",
        "Zip Code", "Postcode", "Post Code", "Zip/Postal Code", "Billing Code",
        "Billing Postal Code", "Shipping Zip/Postal Code", "Mailing Zip/Postal Code", "PLZ",
        "Postleitzahl", "Code postal", "Codigo postal", "CAP",
        "CP", "Codice postale", "CEP",
    ),
    schema.COUNTRY: (
        "Billing Country", "Country/Region", "Address 1: Country/Region", "Address 1: Country",
        "Country",
        "Organization - Country", "Country Name", "Country Code", "Billing Country Code",
        "Country ISO", "Country ISO Code", "ISO Country", "ISO Country Code",
        "Shipping Country", "Mailing Country", "Nation", "Land", "Pays", "Pais", "Paese",
        "Nazione",
    ),
    schema.INDUSTRY: (
        "Industry", "Organization - Industry", "Sector", "Vertical",
        "Secteur d'activité", "Secteur", "Industrie", "Branche", "Industria", "Settore", "Setor",
        "Indústria", "Ramo",
    ),
    schema.EMPLOYEES: (
        "Employees", "Number of Employees", "No. of Employees", "Employee Count",
        "Headcount", "Organization - Number of employees",
        "Effectif", "Nombre d'employés", "Employés", "Salariés", "Mitarbeiter",
        "Anzahl Mitarbeiter", "Beschäftigte", "Número de empleados", "Empleados",
        "Aantal medewerkers", "Medewerkers", "Werknemers", "Numero di dipendenti", "Dipendenti",
        "Número de funcionários", "Funcionários", "Empregados",
    ),
    schema.ANNUAL_REVENUE: (
        "Annual Revenue", "Annual Revenue (USD)", "Revenue", "Turnover",
        "Chiffre d'affaires", "CA", "Umsatz", "Jahresumsatz", "Facturación", "Ingresos anuales",
        "Ingresos", "Omzet", "Jaaromzet", "Fatturato", "Ricavi", "Faturamento", "Receita anual",
        "Receita", "Faturação",
    ),
    schema.STATUS: (
        "Type", "Account Type", "Lifecycle Stage", "Relationship Type", "Relationship",
        "Status", "Customer Status", "Account Status", "Customer Type", "Organization - Label",
        "Label",
        "Statut", "Type de compte", "Type de client", "Relation", "Typ", "Kontotyp", "Kundentyp",
        "Kundenstatus", "Beziehung", "Estado", "Tipo", "Tipo de cuenta", "Tipo de cliente",
        "Relación", "Soort", "Klanttype", "Relatie", "Stato", "Tipo di cliente", "Tipo cliente",
        "Relazione", "Situação", "Tipo de conta", "Relação",
    ),
    schema.STAGE: (
        "Stage", "Opportunity Stage", "Deal Stage", "Sales Stage", "Pipeline Stage",
        "Étape", "Étape de vente", "Phase", "Verkaufsphase", "Etapa", "Etapa de venta", "Fase",
        "Verkoopfase", "Fase di vendita", "Estágio",
    ),
    schema.AMOUNT: ("Amount", "Opportunity Amount", "Deal Amount", "Deal Value", "Value"),
    schema.CLOSE_DATE: ("Close Date", "Expected Close Date", "Closed Date", "Deal Close Date"),
    schema.CREATED_DATE: (
        "Created Date", "Create Date", "Created On", "Created Time", "Date Created", "Created",
        "Organization - Add time", "Add time",
    ),
    schema.OWNER: (
        "Account Owner", "Company owner", "Owner", "Organization - Owner", "Record Owner",
        "Account Manager", "Sales Rep",
        "Propriétaire", "Responsable", "Commercial", "Inhaber", "Besitzer", "Kundenbetreuer",
        "Verantwortlich", "Propietario", "Eigenaar", "Verantwoordelijke", "Proprietario",
        "Responsabile", "Commerciale", "Proprietário", "Responsável", "Vendedor",
    ),
    schema.PRODUCTS: ("Products", "Product", "Products Owned", "Product Interest"),
    schema.REGISTRY_ID: (
        "D-U-N-S Number", "DUNS", "DUNS Number", "LEI", "VAT Number", "VAT", "VAT ID", "SIRET",
        "SIREN", "Company Number", "Registration Number", "Company Registration Number",
        "Tax ID", "EIN", "ABN",
    ),
    LOCATION: ("Location", "HQ Location", "Headquarters"),
}  # fmt: skip

# Words an export puts before a field ("Company Phone", "Vendor ID", "Partner Account Name",
# "HQ Country"), tried only when a header matches no alias as written; longest first, so
# "organization" goes before "org".
_QUALIFIERS = tuple(
    sorted(
        (
            "organization", "organisation", "org", "company", "account", "billing",
            "customer", "client", "vendor", "partner", "entity", "business", "hq",
            "headquarters", "primary", "endcustomer", "enduser", "endclient",
        ),
        key=len,
        reverse=True,
    )
)  # fmt: skip


_ID_WORDS = frozenset({"id", "key", "number", "no", "nr", "num", "#", "uuid", "guid", "uid"})


def names_an_id(header: str) -> bool:
    """Whether a header's last word says it holds ids ("person_id", "CustomerNo", "Acct #").

    >>> names_an_id("person_id"), names_an_id("ApplicantID"), names_an_id("Casino")
    (True, True, False)
    """
    words = re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+|#", header)
    return bool(words) and words[-1].casefold() in _ID_WORDS


def header_key(header: str) -> str:
    """Case-folded letters and digits only, without accents, "#" read as "number":
    "Billing State/Province" -> "billingstateprovince", "Straße" -> "strasse",
    "Account #" -> "accountnumber"."""
    folded = unicodedata.normalize("NFKD", header.casefold().replace("#", "number"))
    return "".join(ch for ch in folded if ch.isalnum())


def _ranks() -> dict[str, tuple[str, int]]:
    """Header key -> (field, rank) of its first alias: spellings of one alias ("Website",
    "Web Site") share a key, and a later one must not push it down its field's list."""
    ranks: dict[str, tuple[str, int]] = {}
    for field, aliases in ALIASES.items():
        for rank, alias in enumerate(aliases):
            ranks.setdefault(header_key(alias), (field, rank))
    return ranks


_RANK = _ranks()


# Qualifiers naming a side of the sharing, not the account: in a partner's list of deals,
# "End Customer Name" is the account and "Partner Name" the partner itself. A header so
# qualified fills a field only where no other does ("partner_account_name").
_SIDES = ("vendor", "partner")


def _candidate(header: str) -> tuple[int, int, str] | None:
    """(pass, alias rank, field) of a header's best alias, or None if it has none."""
    key = header_key(header)
    if key in _RANK:
        field, rank = _RANK[key]
        return 0, rank, field
    # Without a note in brackets at the end ("Company Name (Legal)", "Account ID (18)")
    bare = header_key(_BRACKETED.sub("", header)) or key
    rest = _unqualified(bare)
    if rest != key and rest in _RANK:
        field, rank = _RANK[rest]
        return 2 if bare.startswith(_SIDES) else 1, rank, field
    return None


_BRACKETED = re.compile(r"\s*[(\[][^)\]]*[)\]]\s*$")


def _unqualified(key: str) -> str:
    """A header key without its qualifying words and a trailing number.

    >>> _unqualified("partneraccountname"), _unqualified("accountid18")
    ('name', 'id')
    """
    key = key.rstrip("0123456789") or key
    while qualifier := next(
        (q for q in _QUALIFIERS if key.startswith(q) and key.removeprefix(q) not in ("", "s")),
        None,
    ):
        key = key.removeprefix(qualifier)
    return key


def detect_mapping(headers: Sequence[str]) -> dict[str, str]:
    """Map the headers that look like account fields, best header per field.

    Returns ``{header as written: field}`` in header order; the value may also be
    ``"location"`` (a combined place cell). Headers that match no alias are left out.

    >>> detect_mapping(["True Id", "Id", "Site name", "Program Name", "Zip"])
    {'Id': 'id', 'Site name': 'name', 'Zip': 'postal_code'}
    """
    return _detect(headers, taken=set())


def _detect(headers: Sequence[str], *, taken: set[str]) -> dict[str, str]:
    ranked = sorted(
        (candidate, position, header)
        for position, header in enumerate(headers)
        if (candidate := _candidate(header)) is not None
    )
    chosen: dict[str, str] = {}
    for (_, _, field), _, header in ranked:
        if field not in taken and header not in chosen:
            chosen[header] = field
            taken.add(field)
    return {header: chosen[header] for header in headers if header in chosen}


def resolve_mapping(
    headers: Sequence[str], explicit: Mapping[str, str] | None, *, file: str
) -> dict[str, str]:
    """The mapping to use: ``explicit`` for the headers it names, detection for the rest.

    Explicit headers may be written as in the file or by their key ("billing city").
    Headers mapped to ``"ignore"`` are left out of the result.
    """
    fixed: dict[str, str] = {}
    for written, field in (explicit or {}).items():
        header = _find_header(written, headers, file=file)
        if field not in TARGETS:
            raise MappingError(
                f"the mapping sends {written!r} to unknown field {field!r}",
                file=file,
                column=written,
                hint=f"Valid fields: {', '.join(TARGETS)}",
            )
        if field != IGNORE and field in fixed.values():
            other = next(h for h, f in fixed.items() if f == field)
            raise MappingError(
                f"the mapping sends both {other!r} and {header!r} to {field!r}",
                file=file,
                hint="Map each field from one column only",
            )
        fixed[header] = field
    rest = [header for header in headers if header not in fixed]
    detected = _detect(rest, taken=set(fixed.values()))
    return {
        header: target
        for header in headers
        if (target := fixed.get(header) or detected.get(header)) and target != IGNORE
    }


def _find_header(written: str, headers: Sequence[str], *, file: str) -> str:
    if written in headers:
        return written
    same_key = [header for header in headers if header_key(header) == header_key(written)]
    if len(same_key) == 1:
        return same_key[0]
    raise MappingError(
        f"the mapping names header {written!r}, which the file does not have",
        file=file,
        column=written,
        hint=f"Headers in the file: {', '.join(repr(h) for h in headers)}",
    )


def require_name_like(mapping: Mapping[str, str], headers: Sequence[str], *, file: str) -> None:
    """Raise MappingError unless some column gives a name, a website or an e-mail."""
    if any(field in NAME_LIKE for field in mapping.values()):
        return
    raise MappingError(
        "no column holds the account name (nor a website or e-mail). "
        f"Headers found: {', '.join(repr(h) for h in headers)}. "
        f"Name headers recognised: {', '.join(ALIASES[schema.NAME])}",
        file=file,
        hint='Rename the name column, or map it: {"Header": "name"} in a mapping JSON, '
        f'or --map "Header=name"{MAP_OPTIONS_OF_MATCH}',
    )
