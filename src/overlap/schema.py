"""Column names and polars schemas of each stage, declared once.

An *account frame* is what ingest produces: one row per account of one list,
every value kept as the text the user wrote (typed columns are parsed).
A *normalised frame* adds the ``*_norm``-style columns that matching reads.
Pair frames carry ``_l`` (vendor / left) and ``_r`` (partner / right) suffixes.
"""

from __future__ import annotations

from enum import StrEnum

import polars as pl

# --- account frame (ingest output) -----------------------------------------
ID = "id"
ROW = "source_row"  # 1-based line of the record in its file, for error messages
NAME = "name"
WEBSITE = "website"
EMAIL = "email"
PHONE = "phone"
ADDRESS = "address"
CITY = "city"
STATE = "state"
POSTAL_CODE = "postal_code"
COUNTRY = "country"
INDUSTRY = "industry"
EMPLOYEES = "employees"
ANNUAL_REVENUE = "annual_revenue"
STATUS = "status"
STAGE = "stage"
AMOUNT = "amount"
CLOSE_DATE = "close_date"
CREATED_DATE = "created_date"
OWNER = "owner"  # the account's sales owner (see LIST_OWNER, ACCOUNT_OWNER below)
PRODUCTS = "products"
REGISTRY_ID = "registry_id"  # DUNS, LEI, VAT, SIRET, company number, CRM cross-reference

ACCOUNT_SCHEMA: dict[str, pl.DataType] = {
    ID: pl.String(),
    ROW: pl.Int64(),
    NAME: pl.String(),
    WEBSITE: pl.String(),
    EMAIL: pl.String(),
    PHONE: pl.String(),
    ADDRESS: pl.String(),
    CITY: pl.String(),
    STATE: pl.String(),
    POSTAL_CODE: pl.String(),
    COUNTRY: pl.String(),
    INDUSTRY: pl.String(),
    EMPLOYEES: pl.Int64(),
    ANNUAL_REVENUE: pl.Float64(),
    STATUS: pl.String(),
    STAGE: pl.String(),
    AMOUNT: pl.Float64(),
    CLOSE_DATE: pl.Date(),
    CREATED_DATE: pl.Date(),
    OWNER: pl.String(),
    PRODUCTS: pl.String(),
    REGISTRY_ID: pl.String(),
}
"""Every account frame has exactly these columns, in this order."""

ACCOUNT_FIELDS: tuple[str, ...] = tuple(c for c in ACCOUNT_SCHEMA if c != ROW)
"""Fields a source column can be mapped onto."""

# Relationship status values after ingest (free text is mapped onto these).
STATUS_CUSTOMER = "customer"
STATUS_OPPORTUNITY = "opportunity"
STATUS_PROSPECT = "prospect"
STATUS_CHURNED = "churned"
STATUS_PARTNER = "partner"
STATUSES = (STATUS_CUSTOMER, STATUS_OPPORTUNITY, STATUS_PROSPECT, STATUS_CHURNED, STATUS_PARTNER)

# --- normalised frame (normalise output) ------------------------------------
NAME_CLEAN = "name_clean"  # folded, lower case, punctuation and legal form spelled one way
NAME_CORE = "name_core"  # name_clean without legal forms and "the"
NAME_COUNTRY = "name_country"  # ISO code of the country a subsidiary's name carries
DOMAIN = "domain"  # registrable domain from website (or e-mail when no website); null if free-mail
DOMAIN_LABEL = "domain_label"  # domain without public suffix and hyphens: "acmetools"
EMAIL_DOMAIN = "email_domain"  # registrable domain of the e-mail; null if free-mail
COUNTRY_CODE = "country_code"  # ISO 3166-1 alpha-2
STATE_NORM = "state_norm"
CITY_NORM = "city_norm"
POSTAL_NORM = "postal_norm"
PHONE_NORM = "phone_norm"  # digits only, national number (last 10 digits at most)
PHONE_KEY = "phone_key"  # last seven digits of phone_norm: what the formats agree on
ADDRESS_NORM = "address_norm"  # folded street address with common abbreviations expanded
REGISTRY_NORM = "registry_norm"

NORMALISED_SCHEMA: dict[str, pl.DataType] = {
    NAME_CLEAN: pl.String(),
    NAME_CORE: pl.String(),
    NAME_COUNTRY: pl.String(),
    DOMAIN: pl.String(),
    DOMAIN_LABEL: pl.String(),
    EMAIL_DOMAIN: pl.String(),
    COUNTRY_CODE: pl.String(),
    STATE_NORM: pl.String(),
    CITY_NORM: pl.String(),
    POSTAL_NORM: pl.String(),
    PHONE_NORM: pl.String(),
    PHONE_KEY: pl.String(),
    ADDRESS_NORM: pl.String(),
    REGISTRY_NORM: pl.String(),
}
"""Columns that normalise adds to an account frame."""

# --- pairs, matches, clusters ------------------------------------------------
LEFT = "_l"
RIGHT = "_r"
SCORE = "score"
REASON = "reason"
VENDOR_ID = "vendor_id"
PARTNER_ID = "partner_id"
CLUSTER_ID = "cluster_id"


def left(column: str) -> str:
    """Name of ``column`` on the left (vendor) side of a pair frame."""
    return column + LEFT


def right(column: str) -> str:
    """Name of ``column`` on the right (partner) side of a pair frame."""
    return column + RIGHT


# --- companies across lists (resolve_companies output, the ecosystem) ------
LIST_OWNER = "owner"  # whose list a record is on: "vendor" or a partner id
ACCOUNT_OWNER = "account_owner"  # the sales owner (OWNER of an account frame) beside LIST_OWNER
COMPANY_ID = "company_id"  # records with one company_id, in any list, are one company

POPULATIONS = (STATUS_CUSTOMER, STATUS_OPPORTUNITY, STATUS_PROSPECT)
"""Statuses the reports count companies by and the sharing rules are set for."""


# --- vocabulary: the values a column or a field may take ----------------------
class Decision(StrEnum):
    """A user's decision on a pair of records: the same company, or not."""

    CONFIRM = "confirm"
    REJECT = "reject"


class Relation(StrEnum):
    """How two matched records relate: one company, or parts of one group (a family match,
    "IBM Deutschland GmbH" and "International Business Machines")."""

    SAME = "same"
    FAMILY = "family"


class Role(StrEnum):
    """What an API key may do: everything, the ecosystem's work, sell, or be one partner."""

    ADMIN = "admin"
    ECOSYSTEM = "ecosystem"
    SALES = "sales"
    PARTNER = "partner"


class SharingLevel(StrEnum):
    """How much of a population one side shows the other: hidden < counts < overlap < all."""

    HIDDEN = "hidden"
    COUNTS = "counts"
    OVERLAP = "overlap"
    ALL = "all"


class RunStatus(StrEnum):
    """Where a match run is: queued, running, then succeeded, failed or cancelled."""

    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"
