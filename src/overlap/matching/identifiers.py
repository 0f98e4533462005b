"""Identifiers that identify: domains, phones, registry ids and addresses that unlike
companies share are no evidence, and are read as unknown before blocking."""

from __future__ import annotations

import polars as pl

from overlap import schema
from overlap.normalise.domains import is_mailbox

IDENTIFYING = (
    schema.DOMAIN,
    schema.EMAIL_DOMAIN,
    schema.PHONE_NORM,
    schema.REGISTRY_NORM,
    schema.ADDRESS_NORM,
)
"""Normalised columns whose equal values are evidence by themselves (``block.KEYS``' strong
keys)."""

READ_FROM = {schema.DOMAIN: (schema.DOMAIN_LABEL,), schema.PHONE_NORM: (schema.PHONE_KEY,)}
"""Normalised columns worked out from an identifying one: unknown when it is."""


def without_shared_identifiers(
    records: pl.DataFrame, max_names: int, *, max_tenants: int
) -> pl.DataFrame:
    """``records`` with every ``IDENTIFYING`` value that names of more than ``max_names``
    distinct first words hold made null, and the values ``READ_FROM`` it; an address,
    more than ``max_tenants``.

    A domain, phone or registry id that unlike companies share says nothing of which
    one a record is: a reseller's e-mail domain on every account of its list, a
    switchboard, a made-up number. One company's accounts share their first word
    ("Acme Corp - Boston", "Acme Corp - Denver"), so names are told apart by it. An
    address is shared by the tenants of a building, and identifies them until a
    registered agent's address holds many more. Phones are read on their key (the last
    seven digits), as blocking and the comparison read them, and an address within its
    postal code and city ("12 main st" is a different place in every town). A mailbox
    provider's domain in the website column ("gmail.com") is the site of none of its
    holders but the provider ("Yahoo Inc" at yahoo.com), however few hold it.
    """
    name = pl.col(schema.NAME_CORE).str.extract(r"^(\S+)").hash()
    mailbox = is_mailbox(pl.col(schema.DOMAIN))
    # worked out for the few records at a mailbox provider only: null for the others
    holder = pl.when(mailbox).then(pl.col(schema.NAME_CORE)).str.replace_all(" ", "")
    label = pl.col(schema.DOMAIN_LABEL)
    identifies = {schema.DOMAIN: ~mailbox | holder.str.starts_with(label).fill_null(False)}
    keys: dict[str, list[pl.Expr]] = {
        schema.PHONE_NORM: [pl.col(schema.PHONE_KEY)],
        schema.ADDRESS_NORM: [
            pl.col(c) for c in (schema.ADDRESS_NORM, schema.POSTAL_NORM, schema.CITY_NORM)
        ],
    }
    shared: list[pl.Expr] = []
    for column in IDENTIFYING:
        limit = max_tenants if column == schema.ADDRESS_NORM else max_names
        holders = name.n_unique().over(keys.get(column, [pl.col(column)]))
        keep = (holders <= limit) & identifies.get(column, pl.lit(True))
        shared.extend(
            pl.when(keep).then(pl.col(c)).alias(c) for c in (column, *READ_FROM.get(column, ()))
        )
    return records.with_columns(shared)
