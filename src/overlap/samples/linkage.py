"""Two account lists with known true pairs, at any size, for training and benchmarks."""

from __future__ import annotations

import numpy as np
import polars as pl

from overlap import schema
from overlap.normalise.acronyms import initials
from overlap.samples import names
from overlap.samples.companies import generate_companies, named, pick
from overlap.samples.noise import PARTNER_NOISE, contact_email, country_label, perturb, phone
from overlap.samples.noise import website as format_website


def to_accounts(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame``'s columns that are account fields, cast, and the rest null, in schema order."""
    return frame.select(
        [
            (pl.col(c) if c in frame.columns else pl.lit(None)).cast(dtype).alias(c)
            for c, dtype in schema.ACCOUNT_SCHEMA.items()
        ]
    )


SITE_WORDS = (
    "North", "South", "East", "West", "Downtown", "Campus", "Annex", "Site 2", "Main Office",
    "Satellite Office", "Branch",
)  # fmt: skip
"""Words that tell one site of an organisation from another, besides places and people."""


def other_sites(
    rng: np.random.Generator, companies: pl.DataFrame, first_entity_id: int
) -> pl.DataFrame:
    """Another site of each of ``companies``: a different account of the same organisation.

    A site is named after its organisation with a qualifier ("Acme Corp - Downtown",
    "Acme Corp - Maria Rossi", "Acme Corp Harbor Road"), is in the same city at another
    street address, and often shares the organisation's switchboard phone or website;
    its registry id is its own. Its entity id is new, counted from ``first_entity_id``:
    what a list calls a site is a record of its own, as site-level lists (and D-U-N-S
    numbers) have it.
    """
    n = companies.height
    others = companies.sample(n, shuffle=True, seed=int(rng.integers(2**31)))
    number = pl.Series(rng.integers(1, 9900, n)).cast(pl.String)
    street = (
        pl.when(pl.lit(pl.Series(rng.random(n) < 0.5)))
        .then(pl.col("street").str.replace(r"\d+", pl.lit(number)))
        .otherwise(pl.lit(others["street"]))
    )
    person = pl.concat_str(
        pick(names.FIRST_NAMES, rng.integers(0, len(names.FIRST_NAMES), n)).str.to_titlecase(),
        pick(names.LAST_NAMES, rng.integers(0, len(names.LAST_NAMES), n)).str.to_titlecase(),
        separator=" ",
    )
    qualifier = pl.concat_list(
        pl.lit(pick(SITE_WORDS, rng.integers(0, len(SITE_WORDS), n))),
        person,
        pl.col("_street").str.replace_all(r"\d+|,.*", "").str.strip_chars(),
    ).list.get(pl.lit(pl.Series(rng.integers(0, 3, n))))
    separator = pick((" - ", " ", " / "), rng.integers(0, 3, n))
    core = pl.concat_str(pl.col("core"), pl.lit(separator), qualifier)
    return (
        companies.with_columns(street.alias("_street"))
        .with_columns(
            pl.int_range(first_entity_id, first_entity_id + n, dtype=pl.Int64).alias("entity_id"),
            core.alias("core"),
            pl.lit(None, pl.String).alias("core_short"),
            pl.col("_street").alias("street"),
            pl.when(pl.lit(pl.Series(rng.random(n) < 0.5))).then("domain").alias("domain"),
            pl.lit(None, pl.String).alias("domain2"),
            pl.when(pl.lit(pl.Series(rng.random(n) < 0.6)))
            .then("phone_sub")
            .otherwise(pl.lit(others["phone_sub"]))
            .alias("phone_sub"),
            pl.lit(others["duns"]).alias("duns"),
        )
        .with_columns(named().alias("name"))
        .drop("_street")
    )


def as_offices(rng: np.random.Generator, companies: pl.DataFrame) -> pl.DataFrame:
    """``companies`` named after one of their offices: "Acme Corp - Boston", "Acme Corp
    (Main Office)", "Acme Corp Denver Office". The same companies: a partner keeps an
    account for the office it works with."""
    n = companies.height
    qualifier = pl.concat_list(
        pl.col("city"), pl.lit(pick(SITE_WORDS, rng.integers(0, len(SITE_WORDS), n)))
    ).list.get(pl.lit(pl.Series(rng.integers(0, 2, n))))
    way = pl.lit(pl.Series(rng.integers(0, 3, n)))
    core = (
        pl.when(way == 0)
        .then(pl.concat_str(pl.col("core"), pl.lit(" - "), qualifier))
        .when(way == 1)
        .then(pl.concat_str(pl.col("core"), pl.lit(" ("), qualifier, pl.lit(")")))
        .otherwise(pl.concat_str(pl.col("core"), pl.lit(" "), qualifier, pl.lit(" Office")))
    )
    return companies.with_columns(
        core.alias("core"), pl.lit(None, pl.String).alias("core_short")
    ).with_columns(named().alias("name"))


def as_acronyms(rng: np.random.Generator, companies: pl.DataFrame, share: float) -> pl.DataFrame:
    """``companies``, a ``share`` of those whose name has two words or more named by its
    initials as the matcher reads them (``acronyms.initials``: "International Business
    Machines" -> "IBM", "Kestrel Applied Analytics GmbH" -> "KAA GmbH"): the same
    companies, as a partner writes a large account."""
    letters = initials(pl.col("core").str.to_lowercase().str.extract_all(r"\w+"))
    chosen = letters.is_not_null() & pl.lit(pl.Series(rng.random(companies.height) < share))
    return companies.with_columns(
        pl.when(chosen).then(letters.str.to_uppercase()).otherwise("core").alias("core"),
        pl.when(chosen).then(None).otherwise("core_short").alias("core_short"),
    ).with_columns(named().alias("name"))


def generate_linkage_pair(
    n: int,
    *,
    overlap: float = 0.3,
    sites: float = 0.0,
    offices: float = 0.0,
    acronyms: float = 0.0,
    seed: int = 0,
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """A vendor-like and a partner-like list of ``n`` accounts each, and their true pairs.

    ``overlap`` of the companies are in both lists. The left list is clean, the right
    one is written the way partners write (see ``noise.perturb``). ``sites`` of the
    right list's companies that are not the left's are instead other sites of left
    companies (``other_sites``): look-alikes that are not matches. ``offices`` of the
    right list's companies that are the left's are named as one of their offices
    (``as_offices``): matches. Up to ``acronyms`` (a share of ``n`` too) of the list are
    the other companies of both, named by their initials (``as_acronyms``; only names of
    two words or more have them): matches. Both are account frames (``schema.ACCOUNT_SCHEMA``); the
    truth frame has ``vendor_id`` and ``partner_id``, one row per true pair. Vectorised:
    a million rows take seconds.
    """
    shares = (
        0.0 <= overlap <= 1.0
        and 0.0 <= sites <= 1.0 - overlap
        and 0.0 <= offices <= overlap
        and 0.0 <= acronyms <= overlap - offices
    )
    if n < 1 or not shares:
        raise ValueError(
            f"need n >= 1, 0 <= overlap <= 1, 0 <= sites <= 1 - overlap, "
            f"0 <= offices <= overlap and 0 <= acronyms <= overlap - offices, got n={n}, "
            f"overlap={overlap}, sites={sites}, offices={offices}, acronyms={acronyms}"
        )
    rng = np.random.default_rng(seed)
    shared = round(overlap * n)
    site_count = round(sites * n)
    office_count = round(offices * n)
    universe = generate_companies(rng, 2 * n - shared)
    left = universe.head(n)
    sites_of_left = other_sites(rng, left.slice(shared, site_count), universe.height)
    same = left.slice(office_count, shared - office_count)
    if acronyms:  # drawn only when asked for, so other lists stay as they were
        same = as_acronyms(rng, same, acronyms / (overlap - offices))
    right = pl.concat(
        [
            as_offices(rng, left.head(office_count)),
            same,
            universe.slice(n, n - shared - site_count),
            sites_of_left,
        ],
        rechunk=True,
    )

    left_site = pl.when(pl.lit(pl.Series(rng.random(n) < 0.13))).then(None).otherwise("domain")
    left = left.with_columns(
        pl.format("V{}", pl.int_range(1, n + 1).cast(pl.String).str.zfill(7)).alias(schema.ID),
        pl.int_range(1, n + 1, dtype=pl.Int64).alias(schema.ROW),
        format_website(rng, left_site, n).alias(schema.WEBSITE),
        phone(rng, left, (6, 3, 0, 1, 0, 0)).alias(schema.PHONE),
        country_label(rng, left, 0.0).alias(schema.COUNTRY),
        pl.col("street").alias(schema.ADDRESS),
        pl.when(pl.lit(pl.Series(rng.random(n) < 0.3))).then("duns").alias(schema.REGISTRY_ID),
    )
    noisy = (
        perturb(rng, right, PARTNER_NOISE)
        # a site is told from its organisation by its street: the noise never drops it
        .join(sites_of_left.select("entity_id", site_street="street"), on="entity_id", how="left")
        .with_columns(pl.coalesce("site_street", "street").alias("street"))
        .drop("site_street")
        .gather(rng.permutation(n))
    )
    has_site = noisy["domain"].is_not_null()
    e_mail_only = pl.Series(rng.random(n) < 0.1) & has_site
    right_out = noisy.with_columns(
        pl.format("P{}", pl.int_range(1, n + 1).cast(pl.String).str.zfill(7)).alias(schema.ID),
        pl.int_range(1, n + 1, dtype=pl.Int64).alias(schema.ROW),
        pl.when(pl.lit(e_mail_only))
        .then(None)
        .otherwise(format_website(rng, pl.col("domain"), n))
        .alias(schema.WEBSITE),
        pl.when(pl.lit(e_mail_only | pl.Series(rng.random(n) < 0.05)))
        .then(contact_email(rng, pl.col("domain"), n, free_share=0.15))
        .alias(schema.EMAIL),
        pl.col("country_label").alias(schema.COUNTRY),
        pl.col("street").alias(schema.ADDRESS),
    )
    truth = (
        left.select(pl.col(schema.ID).alias(schema.VENDOR_ID), "entity_id")
        .join(
            right_out.select(pl.col(schema.ID).alias(schema.PARTNER_ID), "entity_id"),
            on="entity_id",
        )
        .sort(schema.VENDOR_ID)
        .select(schema.VENDOR_ID, schema.PARTNER_ID)
    )
    return to_accounts(left), to_accounts(right_out), truth
