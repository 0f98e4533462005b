"""How a company is written in someone else's list: vectorised noise on company rows.

Every function takes a frame of companies (``companies.generate_companies`` columns)
and numpy's generator, draws one uniform number per row and kind of noise, and
builds the noisy strings with polars expressions: no Python code per row.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from overlap.samples import names
from overlap.samples.companies import COUNTRY_CODES, by_case, pick, pick_grouped

ABBREVIATIONS: dict[str, str] = {
    "International": "Intl",
    "Manufacturing": "Mfg",
    "Technologies": "Tech",
    "Technology": "Tech",
    "Corporation": "Corp",
    "Company": "Co",
    "Services": "Svcs",
    "Associates": "Assoc",
    "Management": "Mgmt",
    "Laboratories": "Labs",
    "Engineering": "Eng",
    "Pharmaceuticals": "Pharma",
    "Brothers": "Bros",
    "National": "Natl",
    "Communications": "Comms",
    "Insurance": "Ins",
    "Development": "Dev",
    "Holdings": "Hldgs",
    "Systems": "Sys",
    "Financial": "Finl",
    "Group": "Grp",
}


@dataclass(frozen=True)
class NoiseRates:
    """Share of rows that get each kind of noise (``hard`` rows get several, more often)."""

    hard: float = 0.12
    legal_form_variant: float = 0.35
    legal_form_dropped: float = 0.2
    abbreviation: float = 0.15
    ampersand: float = 0.5
    the_dropped: float = 0.6
    word_dropped: float = 0.2
    known_by_brand: float = 0.03
    typo: float = 0.07
    all_caps: float = 0.06
    lower_case: float = 0.02
    subsidiary: float = 0.04
    country_variant: float = 0.4
    website_missing: float = 0.15
    second_domain: float = 0.3
    branch_city: float = 0.1
    phone_missing: float = 0.3


PARTNER_NOISE = NoiseRates()
DUPLICATE_NOISE = NoiseRates(hard=0.05, subsidiary=0.0, country_variant=0.0, typo=0.2)


def _u(rng: np.random.Generator, n: int) -> pl.Series:
    return pl.Series(rng.random(n))


def _cc_index(frame: pl.DataFrame) -> np.ndarray:
    table = pl.DataFrame({"country": list(COUNTRY_CODES)}).with_row_index("_cc")
    return frame.select("country").join(table, on="country", how="left")["_cc"].to_numpy()


def typo(rng: np.random.Generator, text: pl.Expr, mask: pl.Series) -> pl.Expr:
    """One dropped, swapped, replaced or doubled character inside the text where ``mask``."""
    n = len(mask)
    length = text.str.len_chars()
    pos = (pl.lit(_u(rng, n)) * (length - 3).clip(lower_bound=0)).cast(pl.Int64) + 1
    kind = pl.lit(pl.Series(rng.integers(0, 4, n)))
    letter = pl.lit(pick(list("aeiourstnlmc"), rng.integers(0, 12, n)))
    head = text.str.slice(0, pos)
    here = text.str.slice(pos, 1)
    nxt = text.str.slice(pos + 1, 1)
    edited = (
        pl.when(kind == 0)
        .then(pl.concat_str(head, text.str.slice(pos + 1)))
        .when(kind == 1)
        .then(pl.concat_str(head, nxt, here, text.str.slice(pos + 2)))
        .when(kind == 2)
        .then(pl.concat_str(head, letter, text.str.slice(pos + 1)))
        .otherwise(pl.concat_str(head, here, text.str.slice(pos)))
    )
    return pl.when(pl.lit(mask) & (length > 4)).then(edited).otherwise(text)


def website(rng: np.random.Generator, domain: pl.Expr, n: int) -> pl.Expr:
    """A domain written the ways people write web addresses."""
    style = pl.lit(pl.Series(rng.integers(0, 6, n)))
    return (
        pl.when(style == 0)
        .then(pl.concat_str(pl.lit("www."), domain))
        .when(style == 1)
        .then(pl.concat_str(pl.lit("https://www."), domain, pl.lit("/")))
        .when(style == 2)
        .then(pl.concat_str(pl.lit("http://"), domain))
        .when(style == 3)
        .then(pl.concat_str(pl.lit("https://"), domain, pl.lit("/en")))
        .otherwise(domain)
    )


def phone(rng: np.random.Generator, frame: pl.DataFrame, weights: tuple[float, ...]) -> pl.Series:
    """Phone numbers of the companies, each in one of six styles drawn with ``weights``.

    0 national, 1 international with spaces, 2 E.164, 3 national with dashes or dots,
    4 ``00``-prefixed, 5 international with the trunk prefix in brackets.
    """
    n = frame.height
    p = np.asarray(weights, dtype=float)
    style = rng.choice(len(p), n, p=p / p.sum())
    nanp = (frame["phone_cc"] == "1").to_numpy()
    sub = pl.col("phone_sub")
    half = sub.str.len_chars() // 2
    parts = frame.select(
        pl.col("country")
        .replace_strict({c: v[4] for c, v in names.COUNTRIES.items()}, return_dtype=pl.String)
        .alias("trunk"),
        pl.col("phone_cc").alias("cc"),
        pl.col("phone_area").alias("area"),
        sub.alias("sub"),
        pl.when(pl.lit(pl.Series(nanp)))
        .then(sub.str.slice(0, 3))
        .otherwise(sub.str.slice(0, half))
        .alias("s1"),
        pl.when(pl.lit(pl.Series(nanp)))
        .then(sub.str.slice(3))
        .otherwise(sub.str.slice(half))
        .alias("s2"),
        pick(["-", "."], rng.integers(0, 2, n)).alias("dot"),
    )
    trunk, cc, area, s1, s2, dot = (pl.col(c) for c in ("trunk", "cc", "area", "s1", "s2", "dot"))
    sub = pl.col("sub")
    styles = [
        # North American numbers
        pl.format("({}) {}-{}", area, s1, s2),
        pl.format("+1 {} {} {}", area, s1, s2),
        pl.format("+1{}{}", area, sub),
        pl.concat_str(area, dot, s1, dot, s2),
        pl.format("1-{}-{}-{}", area, s1, s2),
        pl.format("+1 ({}) {}-{}", area, s1, s2),
        # everyone else
        pl.format("{}{} {} {}", trunk, area, s1, s2),
        pl.format("+{} {} {} {}", cc, area, s1, s2),
        pl.format("+{}{}{}", cc, area, sub),
        pl.concat_str(trunk, area, pl.lit("-"), sub),
        pl.format("00{} {} {}", cc, area, sub),
        pl.when(trunk == "")
        .then(pl.format("+{} {} {}", cc, area, sub))
        .otherwise(pl.format("+{} ({}){} {}", cc, trunk, area, sub)),
    ]
    return by_case(parts, style + np.where(nanp, 0, 6), styles)


def country_label(rng: np.random.Generator, frame: pl.DataFrame, share: float) -> pl.Series:
    """The country written the CRM way, or in another common spelling for ``share`` of rows."""
    cc = _cc_index(frame)
    n = frame.height
    canonical = pick([names.COUNTRIES[c][0] for c in COUNTRY_CODES], cc)
    other = pick_grouped(rng, cc, [names.COUNTRY_VARIANTS[c] for c in COUNTRY_CODES])
    return pl.select(
        pl.when(pl.lit(_u(rng, n)) < share).then(pl.lit(other)).otherwise(pl.lit(canonical))
    ).to_series()


def _cities(rng: np.random.Generator, cc: np.ndarray) -> tuple[pl.Series, pl.Series]:
    flat = [c for code in COUNTRY_CODES for c in names.CITIES[code]]
    sizes = np.array([len(names.CITIES[c]) for c in COUNTRY_CODES])
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    idx = offsets[cc] + (rng.random(len(cc)) * sizes[cc]).astype(np.int64)
    return pick([c[0] for c in flat], idx), pick([c[1] for c in flat], idx)


def perturb(
    rng: np.random.Generator, companies: pl.DataFrame, rates: NoiseRates = PARTNER_NOISE
) -> pl.DataFrame:
    """The companies as another list writes them.

    Returns entity_id, name, domain (bare, null when not written), street, city, state,
    postal_code, country (ISO code after any subsidiary move), country_label, phone,
    hard (rows that got the heavy treatment).
    """
    n = companies.height
    hard = rng.random(n) < rates.hard
    boost = np.where(hard, 3.0, 1.0)

    def draw(rate: float) -> pl.Series:
        return pl.Series(rng.random(n) < np.minimum(rate * boost, 0.9))

    # Subsidiaries: "Kestrel Deutschland GmbH" at kestrel.de, in Germany.
    sub_codes = ("DE", "GB", "FR", "US", "NL", "JP", "AU", "IT", "ES", "CA")
    sub_cc = pick(sub_codes, rng.integers(0, len(sub_codes), n))
    is_sub = (
        draw(rates.subsidiary)
        & companies["multinational"]
        & (sub_cc != companies["country"])
        & companies["domain"].is_not_null()
    )
    sub_form = sub_cc.replace_strict(
        {c: names.LEGAL_FORMS[c][0][0] for c in sub_codes}, return_dtype=pl.String
    )
    sub_word = sub_cc.replace_strict(names.SUBSIDIARY_WORD, return_dtype=pl.String)
    sub_tld = sub_cc.replace_strict(
        {c: names.COUNTRIES[c][2][0] for c in sub_codes}, return_dtype=pl.String
    )

    form_keys = tuple(names.LEGAL_FORM_VARIANTS)
    form_idx = (
        companies.select(pl.col("form").replace_strict(form_keys, range(len(form_keys))))
        .to_series()
        .to_numpy()
    )
    form_variant = pick_grouped(rng, form_idx, [names.LEGAL_FORM_VARIANTS[k] for k in form_keys])
    u_form = _u(rng, n)
    form_drop = rates.legal_form_dropped * boost
    form = (
        pl.when(pl.lit(u_form) < pl.lit(pl.Series(form_drop)))
        .then(pl.lit(""))
        .when(pl.lit(u_form) < pl.lit(pl.Series(form_drop + rates.legal_form_variant)))
        .then(pl.lit(form_variant))
        .otherwise(pl.col("form"))
    )
    # Each step reads the previous one from a column: nesting the expressions instead
    # would repeat the whole chain inside every branch.
    keys = list(ABBREVIATIONS)
    name = pl.col("_name")
    # A company known by its brand ("Kestrel" for Kestrel Logistics) where no other company
    # names itself by it, picked by a hash of the company, not drawn, so that the rest of
    # every list stays as it was.
    by_brand = (
        pl.col("pattern").is_in(["brand_industry", "brand_qualifier_industry"])
        & pl.col("own_brand").is_not_null()
        & (
            pl.col("entity_id").hash(13) % 10_000
            < pl.lit(pl.Series(np.minimum(rates.known_by_brand * boost, 0.9) * 10_000))
        )
    )
    steps = [
        pl.when(by_brand)
        .then(pl.col("own_brand"))
        .when(pl.col("core_short").is_not_null() & pl.lit(draw(rates.word_dropped)))
        .then(pl.col("core_short"))
        .otherwise(pl.col("core")),
        pl.when(name.str.starts_with("The ") & pl.lit(draw(rates.the_dropped)))
        .then(name.str.slice(4))
        .otherwise(name),
        pl.when(pl.lit(is_sub))
        .then(pl.concat_str(name, pl.lit(sub_word), pl.lit(sub_form), separator=" "))
        .when(form == "")
        .then(name)
        .when(form.str.starts_with(","))
        .then(pl.concat_str(name, form))
        .otherwise(pl.concat_str(name, form, separator=" ")),
        pl.when(pl.lit(draw(rates.abbreviation)))
        .then(name.str.replace_many(keys, [ABBREVIATIONS[k] for k in keys]))
        .otherwise(name),
        pl.when(pl.lit(draw(rates.ampersand)))
        .then(
            pl.when(name.str.contains(" & ", literal=True))
            .then(name.str.replace_all(" & ", " and ", literal=True))
            .otherwise(name.str.replace_all(" and ", " & ", literal=True))
        )
        .otherwise(name),
        typo(rng, name, draw(rates.typo)),
    ]
    u_case = _u(rng, n)
    steps.append(
        pl.when(pl.lit(u_case) < rates.all_caps)
        .then(name.str.to_uppercase())
        .when(pl.lit(u_case) < rates.all_caps + rates.lower_case)
        .then(name.str.to_lowercase())
        .otherwise(name)
    )
    frame = companies
    for step in steps:
        frame = frame.with_columns(step.alias("_name"))

    domain = (
        pl.when(pl.lit(is_sub))
        .then(pl.concat_str(pl.col("domain").str.extract(r"^([^.]+)"), pl.lit(sub_tld)))
        .when(pl.col("domain2").is_not_null() & pl.lit(draw(rates.second_domain)))
        .then(pl.col("domain2"))
        .otherwise(pl.col("domain"))
    )
    domain = pl.when(pl.lit(draw(rates.website_missing))).then(None).otherwise(domain)

    country = pl.when(pl.lit(is_sub)).then(pl.lit(sub_cc)).otherwise(pl.col("country"))
    out = frame.with_columns(
        pl.col("_name").alias("name"), domain.alias("domain"), country.alias("country")
    )
    moved = is_sub | draw(rates.branch_city)
    city, state = _cities(rng, _cc_index(out))
    out = out.with_columns(
        pl.when(pl.lit(moved)).then(pl.lit(city)).otherwise(pl.col("city")).alias("city"),
        pl.when(pl.lit(moved)).then(pl.lit(state)).otherwise(pl.col("state")).alias("state"),
        *[
            pl.when(pl.lit(moved)).then(None).otherwise(pl.col(c)).alias(c)
            for c in ("street", "postal_code")
        ],
    )
    out = out.with_columns(
        phone(rng, out, (3, 3, 1, 2, 1, 1)).alias("phone"),
        country_label(rng, out, rates.country_variant).alias("country_label"),
        pl.Series("hard", hard),
    )
    return out.with_columns(
        pl.when(pl.lit(moved | draw(rates.phone_missing)))
        .then(None)
        .otherwise(pl.col("phone"))
        .alias("phone")
    ).select(
        "entity_id",
        "name",
        "domain",
        "street",
        "city",
        "state",
        "postal_code",
        "country",
        "country_label",
        "phone",
        "hard",
        "industry",
        "employees",
        "annual_revenue",
    )


def contact_email(rng: np.random.Generator, domain: pl.Expr, n: int, free_share: float) -> pl.Expr:
    """A contact's e-mail address: at the company's domain, or at a free-mail provider."""
    first = pl.lit(pick(names.FIRST_NAMES, rng.integers(0, len(names.FIRST_NAMES), n)))
    last = pl.lit(pick(names.LAST_NAMES, rng.integers(0, len(names.LAST_NAMES), n)))
    free = pl.lit(pick(names.FREE_MAIL, rng.integers(0, len(names.FREE_MAIL), n)))
    local = (
        pl.when(pl.lit(_u(rng, n)) < 0.6)
        .then(pl.concat_str(first, pl.lit("."), last))
        .otherwise(pl.concat_str(first.str.slice(0, 1), last))
    )
    at_free = pl.lit(_u(rng, n)) < free_share
    return (
        pl.when(at_free | domain.is_null())
        .then(pl.concat_str(local, pl.lit("@"), free))
        .otherwise(pl.concat_str(local, pl.lit("@"), domain))
    )
