"""The sample ecosystem: a vendor's CRM, five partners' lists, products and deals.

``generate_world`` draws a universe of companies (``companies``), picks the vendor's
accounts (with duplicates) and each partner's, writes every list the way its owner
would (``noise``, ``partners``) and draws causal deals (``deals``, whose docstring
says how partners change the win rate).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import polars as pl

from overlap.samples import names
from overlap.samples.companies import generate_companies, pick, weighted
from overlap.samples.deals import draw_deals, random_dates
from overlap.samples.noise import DUPLICATE_NOISE, country_label, perturb, phone, website
from overlap.samples.partners import (
    PARTNERS,
    PRODUCTS,
    STAGES,
    STATUSES,
    PartnerSpec,
    partner_list,
    partner_members,
)


@dataclass
class World:
    """Every frame of the sample ecosystem, as written to ``data/samples/``.

    ``vendor`` and ``partner_lists`` carry their export headers; ``companies`` is the
    universe of real companies (``entity_id``), ``relationships`` who knows whom,
    ``deal_effects`` the true win probabilities behind ``deals``.
    """

    companies: pl.DataFrame
    vendor: pl.DataFrame
    partner_lists: dict[str, pl.DataFrame]
    partners: pl.DataFrame
    products: pl.DataFrame
    deals: pl.DataFrame
    ground_truth: pl.DataFrame
    relationships: pl.DataFrame
    deal_effects: pl.DataFrame
    unusable: dict[str, list[str]] = field(default_factory=dict)


_ID_CHARS = np.frombuffer(
    b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", np.uint8
)
_CHECK = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"


def salesforce_ids(rng: np.random.Generator, n: int) -> pl.Series:
    """Distinct 18-character account ids (``0015g00000`` + 5 chars + case checksum)."""
    numbers = rng.choice(62**5, size=n, replace=False)
    digits = np.stack([(numbers // 62**k) % 62 for k in range(4, -1, -1)], axis=1)
    chars = _ID_CHARS[digits]
    upper = (chars >= ord("A")) & (chars <= ord("Z"))
    bits = (upper * (1 << np.arange(5))).sum(axis=1)
    tail = np.frombuffer(_CHECK.encode(), np.uint8)[bits]
    body = np.ascontiguousarray(chars).view("S5").ravel()
    # The first two 5-character chunks (0015g, 00000) hold no upper-case letter.
    return pl.select(
        pl.concat_str(
            pl.lit("0015g00000"),
            pl.lit(pl.Series(body).cast(pl.String)),
            pl.lit("AA"),
            pl.lit(pl.Series(np.ascontiguousarray(tail).view("S1")).cast(pl.String)),
        )
    ).to_series()


def _vendor(rng: np.random.Generator, companies: pl.DataFrame, n_vendor: int) -> pl.DataFrame:
    """The vendor's Salesforce account export, with ~3% duplicate accounts."""
    n_dup = round(n_vendor * 0.03)
    n_unique = n_vendor - n_dup
    size = np.log(companies["employees"].to_numpy() + 10)
    chosen = rng.choice(companies.height, n_unique, replace=False, p=size / size.sum())
    accounts = companies.gather(np.sort(chosen))
    # Bigger companies are more often customers.
    big = (accounts["employees"] > 500).to_numpy()
    status = np.where(
        big,
        weighted(rng, (0.45, 0.22, 0.27, 0.06), n_unique),
        weighted(rng, (0.30, 0.19, 0.47, 0.04), n_unique),
    )
    accounts = accounts.with_columns(
        pick(STATUSES, status).alias("status"),
        pl.lit(False).alias("duplicate"),
        pl.col("name").alias("_clean_name"),
    )
    dup_rows = accounts.gather(rng.choice(n_unique, n_dup, replace=False))
    noisy = perturb(rng, dup_rows, DUPLICATE_NOISE)
    dups = dup_rows.with_columns(
        noisy["name"],
        noisy["domain"],
        pl.lit("prospect").alias("status"),
        pl.lit(True).alias("duplicate"),
    )
    rows = pl.concat([accounts, dups]).gather(rng.permutation(n_vendor))
    n = rows.height
    product_names = PRODUCTS["name"].to_list()
    k = rng.integers(1, 4, n)
    first = rng.integers(0, len(product_names), n)
    second = (first + rng.integers(1, len(product_names), n)) % len(product_names)
    third = (second + rng.integers(1, len(product_names) - 1, n)) % len(product_names)
    third = np.where(third == first, (third + 1) % len(product_names), third)
    p1, p2, p3 = (pick(product_names, i) for i in (first, second, third))
    products = pl.select(
        pl.when(pl.lit(pl.Series(k)) == 1)
        .then(pl.lit(p1))
        .when(pl.lit(pl.Series(k)) == 2)
        .then(pl.concat_str(pl.lit(p1), pl.lit(p2), separator=";"))
        .otherwise(pl.concat_str(pl.lit(p1), pl.lit(p2), pl.lit(p3), separator=";"))
    ).to_series()
    st = pl.col("status")
    channel = pl.Series(rng.random(n) < 0.3)
    seats = rows["employees"].clip(5, 5000).to_numpy() ** 0.5 / 10
    amount = np.round(
        PRODUCTS["list_price"].to_numpy()[first] * seats * np.exp(rng.normal(0, 0.3, n)), -2
    )
    return rows.with_columns(
        salesforce_ids(rng, n).alias("Account ID"),
        website(
            rng,
            pl.when(pl.lit(pl.Series(rng.random(n) < 0.13))).then(None).otherwise(pl.col("domain")),
            n,
        ).alias("Website"),
        phone(rng, rows, (6, 3, 0, 1, 0, 0)).alias("Phone"),
        country_label(rng, rows, 0.0).alias("Billing Country"),
        pl.when(st == "customer")
        .then(
            pl.when(pl.lit(channel))
            .then(pl.lit("Customer - Channel"))
            .otherwise(pl.lit("Customer - Direct"))
        )
        .when(st == "churned")
        .then(pl.lit("Former Customer"))
        .otherwise(pl.lit("Prospect"))
        .alias("Type"),
        pick(names.ACCOUNT_OWNERS, rng.integers(0, len(names.ACCOUNT_OWNERS), n)).alias(
            "Account Owner"
        ),
        pl.when(st == "opportunity")
        .then(pl.lit(pick(STAGES, weighted(rng, (0.25, 0.25, 0.2, 0.18, 0.12), n))))
        .alias("Opportunity Stage"),
        pl.when(st == "opportunity").then(pl.lit(pl.Series(amount))).alias("Opportunity Amount"),
        pl.when(st == "opportunity")
        .then(pl.lit(random_dates(rng, date(2025, 7, 1), date(2026, 6, 30), n)))
        .alias("Close Date"),
        random_dates(rng, date(2016, 1, 1), date(2025, 6, 1), n).alias("Created Date"),
        pl.when(st.is_in(["customer", "churned"]))
        .then(pl.lit(products))
        .when(st == "opportunity")
        .then(pl.lit(p1))
        .alias("Products"),
        pl.when(pl.lit(pl.Series(rng.random(n) < 0.35)))
        .then(
            pl.when(pl.lit(pl.Series(rng.random(n) < 0.5)))
            .then(
                pl.format(
                    "{}-{}-{}",
                    pl.col("duns").str.slice(0, 2),
                    pl.col("duns").str.slice(2, 3),
                    pl.col("duns").str.slice(5),
                )
            )
            .otherwise(pl.col("duns"))
        )
        .alias("D-U-N-S Number"),
        pl.col("name").alias("Account Name"),
        pl.col("street").alias("Billing Street"),
        pl.col("city").alias("Billing City"),
        pl.col("state").alias("Billing State/Province"),
        pl.col("postal_code").alias("Billing Zip/Postal Code"),
        pl.col("industry").alias("Industry"),
        pl.col("employees").alias("Employees"),
        pl.col("annual_revenue").alias("Annual Revenue"),
    )


VENDOR_COLUMNS = (
    "Account ID",
    "Account Name",
    "Website",
    "Phone",
    "Billing Street",
    "Billing City",
    "Billing State/Province",
    "Billing Zip/Postal Code",
    "Billing Country",
    "Industry",
    "Employees",
    "Annual Revenue",
    "Type",
    "Account Owner",
    "Opportunity Stage",
    "Opportunity Amount",
    "Close Date",
    "Created Date",
    "Products",
    "D-U-N-S Number",
)


def generate_world(*, seed: int = 7, n_vendor: int = 5000) -> World:
    """The whole sample ecosystem, in memory; deterministic for a given ``seed``."""
    rng = np.random.default_rng(seed)
    companies = generate_companies(rng, int(n_vendor * 2.4) + 1000)
    vendor = _vendor(rng, companies, n_vendor)
    vendor_entities = vendor["entity_id"].unique().sort().to_numpy()
    others = np.setdiff1d(companies["entity_id"].to_numpy(), vendor_entities)

    scale = n_vendor / 5000
    partner_lists: dict[str, pl.DataFrame] = {}
    truth = [
        vendor.select(
            pl.lit("vendor_crm.csv").alias("file"),
            pl.col("Account ID").alias("id"),
            "entity_id",
        )
    ]
    memberships = []
    unusable: dict[str, list[str]] = {}
    for spec in PARTNERS:
        sized = PartnerSpec(**{**spec.__dict__, "size": max(20, round(spec.size * scale))})
        members = partner_members(rng, sized, companies, vendor_entities, others)
        memberships.append(members)
        frame, id_column = partner_list(rng, sized, members, companies)
        ids = (
            frame[id_column].cast(pl.String)
            if id_column
            else pl.int_range(1, frame.height + 1, eager=True).cast(pl.String)
        )
        entity = members["entity_id"]
        if spec.type == "reseller":
            # HubSpot exports keep records whose company was deleted: an id and nothing else.
            blanks = pl.DataFrame(
                {"Record ID": ["4999000101", "4999000102"], "Lifecycle Stage": ["lead", "lead"]}
            )
            frame = pl.concat([frame, blanks], how="diagonal_relaxed")
            ids = ids.append(blanks["Record ID"])
            entity = entity.append(pl.Series([None, None], dtype=pl.Int64))
            unusable[spec.file] = blanks["Record ID"].to_list()
        partner_lists[spec.file] = frame
        truth.append(pl.DataFrame({"file": spec.file, "id": ids, "entity_id": entity}))
    relationships = pl.concat(memberships)
    deals, effects = draw_deals(rng, vendor, relationships, round(1500 * scale))
    partners = pl.DataFrame(
        {
            "partner_id": [p.partner_id for p in PARTNERS],
            "name": [p.name for p in PARTNERS],
            "type": [p.type for p in PARTNERS],
            "role": [p.role for p in PARTNERS],
            "tier": [p.tier for p in PARTNERS],
            "certifications": [";".join(p.certifications) for p in PARTNERS],
            "points": [p.points for p in PARTNERS],
            "file": [p.file for p in PARTNERS],
        }
    )
    return World(
        companies=companies,
        vendor=vendor.select(*VENDOR_COLUMNS, "entity_id", "duplicate"),
        partner_lists=partner_lists,
        partners=partners,
        products=PRODUCTS,
        deals=deals,
        ground_truth=pl.concat(truth),
        relationships=relationships,
        deal_effects=effects,
        unusable=unusable,
    )
