from __future__ import annotations

from collections.abc import Callable
from typing import Any

import polars as pl
import pytest

from overlap.private import psi
from overlap.private.keys import POPULATION, KeyKind, exact_keys, normalised
from overlap.schema import SharingLevel

Accounts = Callable[[list[dict[str, Any]]], pl.DataFrame]


def _keys(accounts: Accounts, rows: list[dict[str, Any]]) -> pl.DataFrame:
    return exact_keys(normalised(accounts(rows)))


def _run(
    mine: pl.DataFrame, theirs: pl.DataFrame, level: SharingLevel
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Both parties' results, every message passed through its JSON text."""
    a, offer_a = psi.offer(mine, mode=level)
    b, offer_b = psi.offer(theirs, mode=level)

    def sent(message: psi.Message) -> psi.Message:
        return psi.Message.from_json(message.to_json(), step=message.step)

    reply_a, reply_b = psi.reply(a, sent(offer_b)), psi.reply(b, sent(offer_a))
    return (
        psi.finish(a, sent(offer_b), sent(reply_b)),
        psi.finish(b, sent(offer_a), sent(reply_a)),
    )


VENDOR = [
    {
        "id": "v1",
        "name": "Acme Tools Inc",
        "website": "https://acmetools.com",
        "country": "US",
        "status": "customer",
    },
    {"id": "v2", "name": "Borealis GmbH", "country": "Germany", "status": "prospect"},
    {"id": "v3", "name": "Cobalt Ltd", "website": "cobalt.co.uk", "status": "customer"},
    {"id": "v4", "name": "Dune SA", "registry_id": "FR-123 456", "status": "opportunity"},
]
PARTNER = [
    {"id": "p1", "name": "ACME", "website": "www.acmetools.com/about", "status": "customer"},
    {"id": "p2", "name": "Borealis", "country": "DE", "status": "customer"},
    {"id": "p3", "name": "Cobalt Limited", "website": "cobalt-ltd.com", "status": "prospect"},
    {"id": "p4", "name": "Dune", "registry_id": "fr123456", "status": "prospect"},
]


def test_each_party_learns_which_of_its_own_accounts_are_shared_and_tokens_pair_them(
    accounts: Accounts,
) -> None:
    mine, theirs = _run(_keys(accounts, VENDOR), _keys(accounts, PARTNER), SharingLevel.OVERLAP)
    pairs = mine.join(theirs, on=psi.MATCH_TOKEN).select("id", "id_right", psi.KIND).sort("id")
    assert pairs.rows() == [
        ("v1", "p1", KeyKind.DOMAIN),
        ("v2", "p2", KeyKind.NAME_COUNTRY),
        ("v4", "p4", KeyKind.REGISTRY),
    ]
    assert mine.filter(pl.col("id") == "v1")[psi.THEIR_POPULATION].to_list() == ["customer"]


def test_at_the_counts_level_each_party_learns_only_counts_per_population_pair(
    accounts: Accounts,
) -> None:
    mine, _ = _run(_keys(accounts, VENDOR), _keys(accounts, PARTNER), SharingLevel.COUNTS)
    assert mine.columns == [POPULATION, psi.THEIR_POPULATION, psi.SHARED]
    shared = {(p, t): n for p, t, n in mine.rows() if n}
    assert shared == {
        ("customer", "customer"): 1,
        ("prospect", "customer"): 1,
        ("opportunity", "prospect"): 1,
    }


def test_no_message_holds_a_key_in_the_clear(accounts: Accounts) -> None:
    _, offer = psi.offer(_keys(accounts, VENDOR), mode=SharingLevel.COUNTS)
    text = offer.to_json().lower()
    assert not any(word in text for word in ("acmetools", "borealis", "cobalt", "fr123456"))


def test_a_name_is_a_key_only_with_a_country_and_when_no_other_account_holds_it(
    accounts: Accounts,
) -> None:
    keys = _keys(
        accounts,
        [
            {"name": "Kinder Care", "country": "US"},
            {"name": "Kinder Care", "country": "US"},
            {"name": "Lone Star Co", "country": "US"},
            {"name": "Nowhere Co"},
        ],
    )
    assert keys[KeyKind.NAME_COUNTRY].to_list() == [None, None, "lone star|US", None]


def test_a_party_refuses_messages_of_another_level_or_protocol(accounts: Accounts) -> None:
    a, _ = psi.offer(_keys(accounts, VENDOR), mode=SharingLevel.COUNTS)
    _, theirs = psi.offer(_keys(accounts, PARTNER), mode=SharingLevel.OVERLAP)
    with pytest.raises(psi.ProtocolError, match="level"):
        psi.reply(a, theirs)
    with pytest.raises(psi.ProtocolError, match="not a"):
        psi.Message.from_json('{"protocol": "other", "step": "offer"}', step="offer")
    with pytest.raises(psi.ProtocolError, match="counts or overlap"):
        psi.offer(_keys(accounts, VENDOR), mode=SharingLevel.ALL)
