"""A vectorised universe of fictional companies: the real entities behind every list.

``generate_companies`` draws every attribute for all rows at once with numpy and
assembles strings with polars expressions; no Python code runs per company, so
a million companies take a few seconds.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import polars as pl

from overlap.samples import names

COUNTRY_CODES: tuple[str, ...] = tuple(names.COUNTRIES)
LANGS: tuple[str, ...] = ("en", "de", "fr", "it", "es", "nl", "nordic", "pl", "ja")
INDUSTRY_NAMES: tuple[str, ...] = tuple(names.INDUSTRIES)

# Name patterns and their shares; the numbers are what the ``pattern`` column holds.
PATTERNS: dict[str, float] = {
    "brand_industry": 0.27,  # Kestrel Logistics
    "brand_qualifier_industry": 0.11,  # Kestrel Applied Analytics
    "surname_industry": 0.13,  # Marlowe Engineering
    "surname_and_surname": 0.05,  # Whitaker & Sinclair
    "place_industry": 0.07,  # Great Lakes Freight
    "generic_industry": 0.12,  # American Logistics, Delta Dental
    "bank": 0.015,  # First National Bank of Springfield
    "brand_only": 0.10,  # Vantara
    "the_group": 0.035,  # The Hargrove Group
    "acronym_industry": 0.04,  # KMG Engineering
    "generic_generic": 0.05,  # Global Solutions, United Services
}
PATTERN_NAMES: tuple[str, ...] = tuple(PATTERNS)

_TRANSLIT = {
    "ä": "ae",
    "ö": "oe",
    "ü": "ue",
    "ß": "ss",
    "é": "e",
    "è": "e",
    "ê": "e",
    "à": "a",
    "â": "a",
    "î": "i",
    "ô": "o",
    "û": "u",
    "ç": "c",
    "ñ": "n",
    "á": "a",
    "í": "i",
    "ó": "o",
    "ú": "u",
    "å": "a",
    "ø": "o",
    "æ": "ae",
    "ł": "l",
    "ś": "s",
    "ń": "n",
    "ą": "a",
    "ę": "e",
    "ż": "z",
    "ź": "z",
    "ć": "c",
    "'": "",
    ".": "",
    ",": "",
    "&": " ",
    "/": " ",
}


def _series(values: Sequence[str]) -> pl.Series:
    return pl.Series(list(values), dtype=pl.String)


def pick(values: Sequence[str], idx: np.ndarray) -> pl.Series:
    """``values[idx]`` as a polars string series."""
    return _series(values).gather(idx)


def weighted(rng: np.random.Generator, weights: Sequence[float], n: int) -> np.ndarray:
    """``n`` indices drawn with the given (unnormalised) weights."""
    p = np.asarray(weights, dtype=float)
    return rng.choice(len(p), size=n, p=p / p.sum())


def pick_grouped(
    rng: np.random.Generator, groups: np.ndarray, pools: Sequence[Sequence[str]]
) -> pl.Series:
    """For each row, a uniform choice from ``pools[groups[row]]``."""
    sizes = np.array([len(p) for p in pools])
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    flat = [v for p in pools for v in p]
    idx = offsets[groups] + (rng.random(len(groups)) * sizes[groups]).astype(np.int64)
    return pick(flat, idx)


def fill_templates(
    rng: np.random.Generator, templates: Sequence[str], idx: np.ndarray
) -> pl.Series:
    """``templates[idx]`` with each ``#`` a random digit and each ``@`` a random letter."""
    width = max(len(t.encode()) for t in templates)
    mat = np.zeros((len(templates), width), dtype=np.uint8)
    for i, t in enumerate(templates):
        b = t.encode()
        mat[i, : len(b)] = np.frombuffer(b, dtype=np.uint8)
    rows = mat[idx]
    digits = rng.integers(48, 58, rows.shape, dtype=np.uint8)
    letters = rng.choice(np.frombuffer(b"ABDEFGHJLNPQRSTUWXYZ", dtype=np.uint8), rows.shape)
    out = np.where(rows == ord("#"), digits, np.where(rows == ord("@"), letters, rows))
    return pl.Series(np.ascontiguousarray(out).view(f"S{width}").ravel()).cast(pl.String)


def slug(expr: pl.Expr) -> pl.Expr:
    """Lower-case ASCII words of a name, space-separated, for building domains."""
    keys = [k for k in _TRANSLIT if not k.isascii()]
    lower = expr.str.to_lowercase()
    return (
        pl.when(lower.str.contains(r"[^\x00-\x7F]"))
        .then(lower.str.replace_many(keys, [_TRANSLIT[k] for k in keys]))
        .otherwise(lower)
        .str.replace_all(r"[^a-z0-9 ]", "")
        .str.replace_all(r"\s+", " ")
        .str.strip_chars()
    )


_COUNTRY_LANG = np.array([LANGS.index(names.COUNTRIES[c][5]) for c in COUNTRY_CODES])


def by_case(frame: pl.DataFrame, case: np.ndarray, exprs: Sequence[pl.Expr]) -> pl.Series:
    """``exprs[case[row]]`` evaluated on each row, each expression on its own rows only."""
    indexed = frame.with_columns(pl.Series("_case", case), pl.int_range(pl.len()).alias("_i"))
    parts = [
        part.select("_i", exprs[key].alias("_value")) for (key,), part in indexed.group_by("_case")
    ]
    return pl.concat(parts).sort("_i").get_column("_value")


def pick_weighted_grouped(
    rng: np.random.Generator,
    groups: np.ndarray,
    pools: Sequence[Sequence[tuple[str, float]]],
) -> pl.Series:
    """For each row, a weighted choice from ``pools[groups[row]]`` of (value, weight)."""
    idx = np.zeros(len(groups), dtype=np.int64)
    u = rng.random(len(groups))
    offset = 0
    for g, pool in enumerate(pools):
        mask = groups == g
        cum = np.cumsum([w for _, w in pool])
        idx[mask] = offset + np.minimum(np.searchsorted(cum / cum[-1], u[mask]), len(pool) - 1)
        offset += len(pool)
    return pick([v for pool in pools for v, _ in pool], idx)


def _legal_forms(rng: np.random.Generator, cc: np.ndarray) -> pl.Series:
    return pick_weighted_grouped(rng, cc, [names.LEGAL_FORMS[c] for c in COUNTRY_CODES])


def _industry_words(rng: np.random.Generator, ind: np.ndarray, lang: np.ndarray) -> pl.Series:
    english = pick_grouped(rng, ind, [names.INDUSTRIES[i][1] for i in INDUSTRY_NAMES])
    pools: list[Sequence[str]] = [("",)]
    key = np.zeros(len(ind), dtype=np.int64)
    for li, lg in enumerate(LANGS):
        for ii, industry in enumerate(INDUSTRY_NAMES):
            words = names.LOCAL_INDUSTRY_WORDS.get(lg, {}).get(industry)
            if words:
                key[(lang == li) & (ind == ii)] = len(pools)
                pools.append(words)
    local = pick_grouped(rng, key, pools)
    use_local = (key > 0) & (rng.random(len(ind)) < 0.5)
    return pl.select(
        pl.when(pl.lit(pl.Series(use_local))).then(pl.lit(local)).otherwise(pl.lit(english))
    ).to_series()


_BODIES: dict[str, pl.Expr] = {
    "brand_industry": pl.concat_str("brand", "word", separator=" "),
    "brand_qualifier_industry": pl.concat_str("brand", "qualifier", "word", separator=" "),
    "surname_industry": pl.concat_str("surname", "word", separator=" "),
    "surname_and_surname": pl.when(pl.col("surname") == pl.col("surname2"))
    .then(pl.concat_str("surname", pl.lit("Brothers"), separator=" "))
    .otherwise(pl.concat_str("surname", pl.lit("&"), "surname2", separator=" ")),
    "place_industry": pl.concat_str("place", "word", separator=" "),
    "generic_industry": pl.concat_str("generic", "word", separator=" "),
    "bank": pl.col("bank").str.replace("{}", pl.col("city"), literal=True),
    "brand_only": pl.col("brand"),
    "the_group": pl.concat_str(pl.lit("The"), "surname", "the_tail", separator=" "),
    "acronym_industry": pl.concat_str("acronym", "word", separator=" "),
    "generic_generic": pl.concat_str("generic", "generic_tail", separator=" "),
}

# Rough number of distinct names each pattern can make. A large universe draws the
# small patterns less often, so that names stay distinct without endless redraws.
_CAPACITY: dict[str, float] = {
    "brand_industry": 2e6,
    "brand_qualifier_industry": 2e7,
    "surname_industry": 1.5e5,
    "surname_and_surname": 3e4,
    "place_industry": 6e4,
    "generic_industry": 8e4,
    "bank": 1e3,
    "brand_only": 4e4,
    "the_group": 1.2e4,
    "acronym_industry": 6e5,
    "generic_generic": 6e3,
}


def _pattern_weights(n: int) -> list[float]:
    return [w * min(1.0, 0.3 * _CAPACITY[k] / (w * n)) for k, w in PATTERNS.items()]


def _draw(rng: np.random.Generator, n: int, n_total: int) -> pl.DataFrame:
    """One batch of ``n`` companies, names possibly repeated."""
    cc = weighted(rng, [v[1] for v in names.COUNTRIES.values()], n)
    lang = _COUNTRY_LANG[cc]
    ind = weighted(rng, [v[0] for v in names.INDUSTRIES.values()], n)
    pattern = weighted(rng, _pattern_weights(n_total), n)
    compound = pick(names.BRAND_PREFIXES, rng.integers(0, len(names.BRAND_PREFIXES), n)) + pick(
        names.BRAND_SUFFIXES, rng.integers(0, len(names.BRAND_SUFFIXES), n)
    )
    coined = pick(names.COINED_STARTS, rng.integers(0, len(names.COINED_STARTS), n)) + pick(
        names.COINED_ENDINGS, rng.integers(0, len(names.COINED_ENDINGS), n)
    )
    curated = pick(names.BRANDS, rng.integers(0, len(names.BRANDS), n))
    kind = rng.random(n)
    brand = pl.select(
        pl.when(pl.lit(pl.Series(kind < 0.55)))
        .then(pl.lit(compound))
        .when(pl.lit(pl.Series(kind < 0.8)))
        .then(pl.lit(curated))
        .otherwise(pl.lit(coined))
    ).to_series()
    # Founders mostly share the country's language, sometimes not (Marlowe GmbH exists).
    surname_lang = np.where(rng.random(n) < 0.8, lang, 0)
    city_idx = pick_grouped_index(rng, cc, [len(names.CITIES[c]) for c in COUNTRY_CODES])
    flat_cities = [c for code in COUNTRY_CODES for c in names.CITIES[code]]
    acronym = (
        pick(list("ABCDEFGHJKLMNPRSTW"), rng.integers(0, 18, n))
        + pick(list("ABCDEFGHJKLMNPRSTW"), rng.integers(0, 18, n))
        + pick(list("ABCDEFGHJKLMNPRSTW"), rng.integers(0, 18, n))
    )
    frame = pl.DataFrame(
        {
            "country": pick(COUNTRY_CODES, cc),
            "lang": pick(LANGS, lang),
            "industry": pick(INDUSTRY_NAMES, ind),
            "pattern": pick(PATTERN_NAMES, pattern),
            "brand": brand,
            "surname": pick_grouped(rng, surname_lang, [names.SURNAMES[g] for g in LANGS]),
            "surname2": pick_grouped(rng, surname_lang, [names.SURNAMES[g] for g in LANGS]),
            "place": pick_grouped(rng, lang, [names.PLACES[g] for g in LANGS]),
            "generic": pick(names.GENERIC_STEMS, rng.integers(0, len(names.GENERIC_STEMS), n)),
            "generic_tail": pick(names.NAME_SUFFIXES, rng.integers(0, len(names.NAME_SUFFIXES), n)),
            "word": _industry_words(rng, ind, lang),
            "qualifier": pick(
                names.INDUSTRY_QUALIFIERS, rng.integers(0, len(names.INDUSTRY_QUALIFIERS), n)
            ),
            "tail": pick(names.NAME_SUFFIXES, rng.integers(0, len(names.NAME_SUFFIXES), n)),
            "has_tail": rng.random(n) < 0.15,
            "the_tail": pick(names.THE_TAILS, rng.integers(0, len(names.THE_TAILS), n)),
            "bank": pick_grouped(rng, lang, [names.BANK_PATTERNS[g] for g in LANGS]),
            "acronym": acronym,
            "city": pick([c[0] for c in flat_cities], city_idx),
            "state": pick([c[1] for c in flat_cities], city_idx),
            "area": pick([c[2] for c in flat_cities], city_idx),
            "postal_code": fill_templates(rng, [c[3] for c in flat_cities], city_idx),
            "form": _legal_forms(rng, cc),
        }
    )
    # Each pattern's expression runs on its own rows only; the bodies are put back in order.
    body = (
        pl.concat(
            [
                part.select("_i", _BODIES[key].alias("body"))
                for (key,), part in frame.with_row_index("_i").group_by("pattern")
            ]
        )
        .sort("_i")
        .get_column("body")
    )
    frame = frame.with_columns(body)
    p = pl.col("pattern")
    short_tail = p.is_in(["brand_industry", "surname_industry", "place_industry"]) & pl.col(
        "has_tail"
    )
    frame = frame.with_columns(
        pl.when(short_tail)
        .then(pl.concat_str("body", "tail", separator=" "))
        .otherwise(pl.col("body"))
        .alias("core"),
        # The words a partner may leave out of a long name ("Kestrel Analytics").
        pl.when(short_tail)
        .then(pl.col("body"))
        .when(p == "brand_qualifier_industry")
        .then(pl.concat_str("brand", "word", separator=" "))
        .when(p == "the_group")
        .then(pl.concat_str("surname", "the_tail", separator=" "))
        .alias("core_short"),
        # Banks and credit unions carry no company legal form in their name.
        pl.when(p == "bank").then(pl.lit("")).otherwise(pl.col("form")).alias("form"),
        pl.when(p == "bank")
        .then(pl.lit("Banking"))
        .otherwise(pl.col("industry"))
        .alias("industry"),
    )
    return frame.select(
        "country",
        "lang",
        "industry",
        "pattern",
        "core",
        "core_short",
        "form",
        "brand",
        "city",
        "state",
        "area",
        "postal_code",
    )


def pick_grouped_index(
    rng: np.random.Generator, groups: np.ndarray, sizes: Sequence[int]
) -> np.ndarray:
    """Flat indices into concatenated pools: a uniform choice within ``groups[row]``'s pool."""
    size = np.asarray(sizes)
    offsets = np.concatenate([[0], np.cumsum(size)[:-1]])
    return offsets[groups] + (rng.random(len(groups)) * size[groups]).astype(np.int64)


# Words companies add to their name in a domain: acme-group.com, acmeinc.com.
DOMAIN_WORDS = ("group", "inc", "hq", "corp", "global", "online", "co", "intl", "usa")


def _second_domain(domain: pl.Expr) -> pl.Expr:
    """A multinational's other site: its name under another suffix (acme.de -> acme.com,
    acme.com -> acme.co.uk) or, for about one in three, with a word added (acmecorp.com).

    Picked by a hash of the domain, not drawn, so the rest of a world stays as it was.
    """
    pick = domain.hash(7)
    other_suffix = domain.str.replace(r"\.[a-z.]+$", ".com")
    other_suffix = (
        pl.when(other_suffix == domain)
        .then(domain.str.replace(r"\.com$", ".co.uk"))
        .otherwise(other_suffix)
    )
    word = (pick // 3 % len(DOMAIN_WORDS)).replace_strict(dict(enumerate(DOMAIN_WORDS)))
    with_word = domain.str.extract(r"^([^.]+)") + word + pl.lit(".com")
    return pl.when(pick % 3 == 0).then(with_word).otherwise(other_suffix)


def _domains(frame: pl.DataFrame, rng: np.random.Generator) -> pl.DataFrame:
    n = frame.height
    tld_pools = [names.COUNTRIES[c][2] for c in COUNTRY_CODES]
    code_index = pl.Series(COUNTRY_CODES).to_frame("country").with_row_index("cc")
    ccs = frame.select("country").join(code_index, on="country", how="left")["cc"].to_numpy()
    home = pick([p[0] for p in tld_pools], ccs)
    tld = pl.select(
        pl.when(pl.lit(pl.Series(rng.random(n) < 0.8)))
        .then(pl.lit(home))
        .otherwise(pl.lit(pick_grouped(rng, ccs, tld_pools)))
    ).to_series()
    words = frame.select(
        slug(
            pl.when(pl.lit(pl.Series(rng.random(n) < 0.5)) & pl.col("core_short").is_not_null())
            .then(pl.col("core_short"))
            .otherwise(pl.col("core"))
        )
    ).to_series()
    base = (
        pl.when(pl.lit(pl.Series(rng.random(n) < 0.35)))
        .then(pl.lit(words).str.replace_all(" ", "-"))
        .otherwise(pl.lit(words).str.replace_all(" ", ""))
    )
    # A taken domain gets a suffix, as companies do (acme-group.com, acmeinc.com); if that
    # is taken too, the company has no website.
    extra = pl.Series(DOMAIN_WORDS)
    suffix = extra.gather(rng.integers(0, len(extra), n))
    key = pl.concat_str("_slug", "_tld")
    domain = (
        pl.when(key.is_first_distinct())
        .then(key)
        .otherwise(pl.concat_str("_slug", pl.lit(suffix), "_tld"))
    )
    return (
        frame.with_columns(base.alias("_slug"), tld.alias("_tld"))
        .with_columns(domain.alias("domain"))
        .with_columns(pl.when(pl.col("domain").is_first_distinct()).then(pl.col("domain")))
        .drop("_slug", "_tld")
    )


def named() -> pl.Expr:
    """A company's name: its ``core`` with its legal ``form`` ("Acme GmbH", "Acme, Inc.")."""
    return (
        pl.when(pl.col("form") == "")
        .then(pl.col("core"))
        .when(pl.col("form").str.starts_with(","))
        .then(pl.concat_str("core", "form"))
        .otherwise(pl.concat_str("core", "form", separator=" "))
    )


_BRANDED = ("brand_industry", "brand_qualifier_industry", "brand_only")


def _own_brand() -> pl.Expr:
    """A company's brand where no other company of the world names itself by it, else null:
    only such a brand can stand for its company alone ("Kestrel" for Kestrel Logistics)."""
    branded = pl.col("pattern").is_in(_BRANDED)
    key = pl.when(branded).then(pl.col("brand").str.to_lowercase())
    return pl.when(branded & (pl.len().over(key) == 1)).then(pl.col("brand"))


def generate_companies(rng: np.random.Generator, n: int) -> pl.DataFrame:
    """``n`` distinct companies (distinct by name and country) with every attribute drawn.

    Columns: entity_id (0..n-1), country (ISO code), lang, industry, pattern, core (name
    without legal form), core_short (core without its optional words), form (legal form),
    name (as the company writes itself), brand, own_brand (the brand where no other company
    names itself by it, ``_own_brand``), domain (null: no website), domain2 (a
    second site, ``_second_domain``, or null), employees, annual_revenue, street, city, state,
    postal_code, phone_cc, phone_area, phone_sub, duns, multinational.
    """
    parts: list[pl.DataFrame] = []
    have = 0
    seen: pl.DataFrame | None = None
    while have < n:
        batch = _draw(rng, max(int((n - have) * 1.2), 64), n)
        batch = batch.unique(["core", "country"], keep="first", maintain_order=True)
        if seen is not None:
            batch = batch.join(seen, on=["core", "country"], how="anti")
        parts.append(batch)
        seen = pl.concat([p.select("core", "country") for p in parts])
        have = seen.height
    frame = pl.concat(parts).head(n)
    frame = _domains(frame, rng)

    employees = np.exp(rng.normal(4.6, 1.7, n)).astype(np.int64) + 3
    employees = np.minimum(employees, 250_000)
    revenue = employees * np.exp(rng.normal(12.2, 0.5, n))
    revenue = np.round(revenue, -3)
    multinational = (employees > 500) & (rng.random(n) < 0.45)
    number = np.where(rng.random(n) < 0.7, rng.integers(1, 200, n), rng.integers(200, 9900, n))
    street_lang = {
        "US": "en",
        "CA": "en",
        "AU": "en",
        "GB": "GB",
        "IE": "GB",
        "DE": "de",
        "AT": "de",
        "CH": "de",
        "FR": "fr",
        "BE": "fr",
        "NL": "nl",
        "IT": "it",
        "ES": "es",
        "SE": "SE",
        "DK": "DK",
        "NO": "NO",
        "FI": "FI",
        "PL": "pl",
        "JP": "ja",
    }
    styles = tuple(names.STREETS)
    country_style = pl.DataFrame(
        {
            "country": list(street_lang),
            "_style": [styles.index(v) for v in street_lang.values()],
        }
    )
    style = frame.select("country").join(country_style, on="country", how="left")["_style"]
    street = pick_grouped(rng, style.to_numpy(), [names.STREETS[s] for s in styles])
    sub_len = np.where(frame["country"].is_in(["US", "CA"]).to_numpy(), 7, rng.integers(6, 9, n))
    sub = rng.integers(1_000_000, 99_999_999, n) % (10**sub_len)
    has_site = rng.random(n) > 0.08
    return (
        frame.with_columns(
            named().alias("name"),
            pl.when(pl.lit(pl.Series(has_site))).then(pl.col("domain")).alias("domain"),
            pl.Series("employees", employees),
            pl.Series("annual_revenue", revenue),
            pl.Series("multinational", multinational),
            pl.lit(street)
            .str.replace("{n}", pl.lit(pl.Series(number).cast(pl.String)), literal=True)
            .alias("street"),
            pl.Series("phone_sub", sub).cast(pl.String).str.zfill(pl.Series(sub_len)),
            pl.Series("duns", rng.integers(10_000_000, 999_999_999, n))
            .cast(pl.String)
            .str.zfill(9),
        )
        .join(
            pl.DataFrame(
                {
                    "country": list(COUNTRY_CODES),
                    "phone_cc": [names.COUNTRIES[c][3] for c in COUNTRY_CODES],
                }
            ),
            on="country",
            how="left",
        )
        .with_columns(
            pl.when(pl.col("multinational") & pl.col("domain").is_not_null())
            .then(_second_domain(pl.col("domain")))
            .alias("domain2")
        )
        # A domain is one company's: a second domain another company holds is not taken.
        .with_columns(
            pl.when(
                ~pl.col("domain2").is_in(pl.col("domain").drop_nulls().implode())
                & pl.col("domain2").is_first_distinct()
            )
            .then(pl.col("domain2"))
            .alias("domain2")
        )
        .with_row_index("entity_id")
        .with_columns(pl.col("entity_id").cast(pl.Int64), _own_brand().alias("own_brand"))
        .select(
            "entity_id",
            "country",
            "lang",
            "industry",
            "pattern",
            "core",
            "core_short",
            "form",
            "name",
            "brand",
            "own_brand",
            "domain",
            "domain2",
            "employees",
            "annual_revenue",
            "street",
            "city",
            "state",
            "postal_code",
            "phone_cc",
            "area",
            "phone_sub",
            "duns",
            "multinational",
        )
        .rename({"area": "phone_area"})
    )
