"""The exact keys private set intersection compares: what two lists agree on to the letter.

An account has up to three keys, each tagged with its kind so that a domain never meets a
name: its registrable domain, its core name with its country, and its registry id. Values
that unlike companies of one list share (a reseller's domain on all its accounts) are no
evidence and are dropped first, as the plaintext engine drops them before blocking.
"""

from __future__ import annotations

from enum import StrEnum

import polars as pl

from overlap import schema
from overlap.matching.config import MatchConfig
from overlap.matching.identifiers import without_shared_identifiers
from overlap.normalise import normalise


class KeyKind(StrEnum):
    """What an exact key is made of; its value is the key's tag and its column's name."""

    DOMAIN = "domain"
    NAME_COUNTRY = "name_country"
    REGISTRY = "registry"


KEY_KINDS: tuple[KeyKind, ...] = tuple(KeyKind)
"""Every account's key slots, in message order: a missing key fills its slot with noise."""

POPULATION = "population"
"""The population (``schema.POPULATIONS``) an account is counted in; ``other`` outside them."""

OTHER = "other"


def normalised(accounts: pl.DataFrame) -> pl.DataFrame:
    """Normalised accounts without the identifiers that unlike companies of the list share."""
    config = MatchConfig()
    return without_shared_identifiers(
        normalise(accounts), config.max_sharing_names, max_tenants=config.max_block_size
    )


def exact_keys(records: pl.DataFrame) -> pl.DataFrame:
    """One row per account: ``id``, ``population`` and one column per ``KeyKind`` (or null).

    ``records`` is a normalised frame (``normalised``). A name key needs a country: a core
    name alone ("first national bank") names different companies in different countries,
    and a list without countries still meets the other list on domains and registry ids.
    A name that several accounts of the list hold (the sites of one agency) tells none of
    them apart, here or in the other list, and is no key.
    """
    status = pl.col(schema.STATUS)
    population = pl.when(status.is_in(schema.POPULATIONS)).then(status).otherwise(pl.lit(OTHER))
    name = pl.col(schema.NAME_CORE)
    country = pl.coalesce(schema.COUNTRY_CODE, schema.NAME_COUNTRY)
    named = pl.when((name.str.len_chars() > 0) & country.is_not_null()).then(
        pl.concat_str(name, pl.lit("|"), country)
    )
    return records.select(
        pl.col(schema.ID),
        population.alias(POPULATION),
        pl.col(schema.DOMAIN).alias(KeyKind.DOMAIN),
        pl.when(pl.len().over(named) == 1).then(named).alias(KeyKind.NAME_COUNTRY),
        pl.col(schema.REGISTRY_NORM).alias(KeyKind.REGISTRY),
    )
