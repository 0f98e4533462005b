"""The sample world's partners and products, and each partner's list in its export format."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import numpy as np
import polars as pl

from overlap.samples.companies import pick, weighted
from overlap.samples.noise import PARTNER_NOISE, contact_email, country_label, perturb, website

PRODUCTS = pl.DataFrame(
    {
        "product_id": [
            "PRD-01",
            "PRD-02",
            "PRD-03",
            "PRD-04",
            "PRD-05",
            "PRD-06",
            "PRD-07",
            "PRD-08",
        ],
        "name": [
            "Atlas Platform",
            "Atlas Data Hub",
            "Atlas Analytics",
            "Atlas Connect",
            "Atlas Secure",
            "Atlas Workflow",
            "Atlas Insights for Sales",
            "Atlas Edge",
        ],
        "family": [
            "Platform",
            "Data",
            "Analytics",
            "Integration",
            "Security",
            "Automation",
            "Analytics",
            "Platform",
        ],
        "list_price": [48000.0, 36000.0, 24000.0, 18000.0, 30000.0, 15000.0, 12000.0, 60000.0],
    }
)
IMPLEMENTATION_HEAVY = ("Platform", "Data", "Integration")

STATUSES = ("customer", "opportunity", "prospect", "churned")
STAGES = ("Prospecting", "Qualification", "Needs Analysis", "Proposal", "Negotiation")


@dataclass(frozen=True)
class PartnerSpec:
    """A partner of the sample world and how its list is drawn."""

    partner_id: str
    name: str
    type: str
    role: str
    tier: str
    points: int
    certifications: tuple[str, ...]
    file: str
    size: int
    overlap: float
    countries: tuple[str, ...]  # favoured countries; empty: anywhere
    statuses: tuple[float, float, float, float]  # customer, opportunity, prospect, churned


PARTNERS: tuple[PartnerSpec, ...] = (
    PartnerSpec(
        "PRT-001",
        "Northgate Solutions",
        "reseller",
        "sell",
        "gold",
        4200,
        ("Atlas Platform", "Atlas Analytics", "Atlas Workflow"),
        "partner_northgate_hubspot.csv",
        2000,
        0.45,
        ("US", "CA"),
        (0.45, 0.2, 0.35, 0.0),
    ),
    PartnerSpec(
        "PRT-002",
        "Meridian Systems Group",
        "system_integrator",
        "service",
        "platinum",
        9100,
        ("Atlas Platform", "Atlas Data Hub", "Atlas Connect", "Atlas Edge"),
        "partner_meridian_dynamics.xlsx",
        900,
        0.55,
        (),
        (0.6, 0.0, 0.4, 0.0),
    ),
    PartnerSpec(
        "PRT-003",
        "Kessler & Roux Digital",
        "agency",
        "advise",
        "silver",
        1300,
        ("Atlas Analytics",),
        "partner_kessler_roux_accounts.csv",
        420,
        0.35,
        ("DE", "FR", "AT", "CH", "BE", "NL", "IT", "ES"),
        (0.4, 0.15, 0.3, 0.15),
    ),
    PartnerSpec(
        "PRT-004",
        "Brightline Consulting",
        "consultancy",
        "manage",
        "gold",
        3600,
        ("Atlas Data Hub", "Atlas Secure", "Atlas Analytics"),
        "partner_brightline_customers.txt",
        650,
        0.6,
        ("US", "GB", "DE", "IE"),
        (1.0, 0.0, 0.0, 0.0),
    ),
    PartnerSpec(
        "PRT-005",
        "Tessellate Data",
        "technology",
        "build",
        "registered",
        800,
        ("Atlas Connect", "Atlas Data Hub"),
        "partner_tessellate_pipedrive.parquet",
        1500,
        0.3,
        (),
        (0.35, 0.2, 0.45, 0.0),
    ),
)


def partner_members(
    rng: np.random.Generator,
    spec: PartnerSpec,
    companies: pl.DataFrame,
    vendor_entities: np.ndarray,
    other_entities: np.ndarray,
) -> pl.DataFrame:
    """Which companies a partner lists, and its relationship with each."""
    countries = companies["country"].to_numpy()

    def draw(pool: np.ndarray, k: int) -> np.ndarray:
        w = np.ones(len(pool))
        if spec.countries:
            w = np.where(np.isin(countries[pool], spec.countries), 12.0, 1.0)
        return rng.choice(pool, size=min(k, len(pool)), replace=False, p=w / w.sum())

    shared = round(spec.size * spec.overlap)
    members = np.concatenate(
        [draw(vendor_entities, shared), draw(other_entities, spec.size - shared)]
    )
    members = members[rng.permutation(len(members))]
    relationship = pick(STATUSES, weighted(rng, spec.statuses, len(members)))
    return pl.DataFrame(
        {"partner_id": spec.partner_id, "entity_id": members, "relationship": relationship}
    )


def partner_list(
    rng: np.random.Generator, spec: PartnerSpec, members: pl.DataFrame, companies: pl.DataFrame
) -> tuple[pl.DataFrame, str]:
    """A partner's list in its export headers, and the header holding the row id."""
    rows = members.join(companies, on="entity_id", how="left", maintain_order="left")
    n = rows.height
    noisy = perturb(rng, rows, PARTNER_NOISE).with_columns(rows["relationship"])
    rel = pl.col("relationship")
    site = pl.col("domain")
    if spec.type == "reseller":
        lifecycle = (
            pl.when(rel == "customer")
            .then(pl.lit("customer"))
            .when(rel == "opportunity")
            .then(pl.lit("opportunity"))
            .when(pl.lit(pl.Series(rng.random(n) < 0.4)))
            .then(pl.lit("salesqualifiedlead"))
            .otherwise(pl.lit("lead"))
        )
        record = pl.Series(5_000_000_000 + rng.choice(4_000_000_000, n, replace=False))
        frame = noisy.select(
            record.cast(pl.String).alias("Record ID"),
            pl.col("name").alias("Company name"),
            site.alias("Company Domain Name"),
            pl.col("country_label").alias("Country/Region"),
            pl.col("state").alias("State/Region"),
            pl.col("city").alias("City"),
            pl.col("street").alias("Street Address"),
            pl.col("postal_code").alias("Postal Code"),
            pl.col("phone").alias("Phone Number"),
            lifecycle.alias("Lifecycle Stage"),
            pl.when(pl.lit(pl.Series(rng.random(n) < 0.7)))
            .then("employees")
            .alias("Number of Employees"),
            pl.col("industry").alias("Industry"),
        )
        return frame, "Record ID"
    if spec.type == "system_integrator":
        ids = [str(uuid.UUID(bytes=rng.bytes(16), version=4)) for _ in range(n)]
        frame = noisy.select(
            pl.col("name").alias("Account Name"),
            pl.Series("accountid", ids),
            pl.col("street").alias("Address 1: Street 1"),
            pl.col("city").alias("Address 1: City"),
            pl.col("postal_code").alias("Address 1: ZIP/Postal Code"),
            pl.col("country_label").alias("Address 1: Country/Region"),
            pl.col("phone").alias("Main Phone"),
            pl.when(rel == "customer")
            .then(pl.lit("Customer"))
            .otherwise(pl.lit("Prospect"))
            .alias("Relationship Type"),
            website(rng, site, n).alias("Website"),
        )
        return frame, "accountid"
    if spec.type == "agency":
        e_mail = pl.lit(pl.Series(rng.random(n) < 0.3)) | site.is_null()
        location = (
            pl.when(pl.col("state").is_not_null() & pl.lit(pl.Series(rng.random(n) < 0.4)))
            .then(pl.format("{}, {}", pl.col("city"), pl.col("state")))
            .otherwise(pl.col("city"))
        )
        status = (
            pl.when(rel == "customer")
            .then(pl.lit("Client"))
            .when(rel == "opportunity")
            .then(pl.lit("Pitch"))
            .when(rel == "churned")
            .then(pl.lit("Former client"))
            .otherwise(pl.lit("Lead"))
        )
        contact = contact_email(rng, site, n, free_share=0.2)
        frame = noisy.select(
            pl.col("name").alias("Company"),
            pl.when(e_mail)
            .then(pl.when(pl.lit(pl.Series(rng.random(n) < 0.85))).then(contact))
            .otherwise(website(rng, site, n))
            .alias("Web/Email"),
            country_label(rng, noisy, 0.6).alias("Country"),
            location.alias("Location"),
            status.alias("Status"),
        )
        return frame, ""
    if spec.type == "consultancy":
        frame = noisy.select(
            pl.col("name").alias("Customer"),
            site.alias("Domain"),
            pl.col("country_label").alias("Country"),
            pl.when(pl.lit(pl.Series(rng.random(n) < 0.8)))
            .then(pl.col("employees").cast(pl.String))
            .alias("Employees"),
        )
        return frame, ""
    label = (
        pl.when(rel == "customer")
        .then(pl.lit("Customer"))
        .when(rel == "opportunity")
        .then(pl.lit("Hot lead"))
        .when(pl.lit(pl.Series(rng.random(n) < 0.5)))
        .then(pl.lit("Warm lead"))
        .otherwise(pl.lit("Cold lead"))
    )
    address = pl.concat_str(
        pl.col("street"),
        pl.concat_str("postal_code", "city", separator=" ", ignore_nulls=True),
        pl.col("country_label"),
        separator=", ",
        ignore_nulls=True,
    )
    frame = noisy.select(
        pl.int_range(1001, 1001 + n, dtype=pl.Int64).alias("Organization - ID"),
        pl.col("name").alias("Organization - Name"),
        pl.when(site.is_not_null())
        .then(pl.format("https://{}", site))
        .alias("Organization - Website"),
        pl.col("country_label").alias("Organization - Country"),
        address.alias("Organization - Address"),
        label.alias("Organization - Label"),
    )
    return frame, "Organization - ID"
