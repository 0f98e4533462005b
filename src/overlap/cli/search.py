"""The commands on one account's name: ``search`` lists the closest vendor accounts, and
``chosen_account`` tells ``recommend`` which account a name stands for, or asks."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import polars as pl
import typer

from overlap import schema
from overlap.cli.ecosystem import DataDir, Format, Truth, _ecosystem, _show
from overlap.ecosystem.data import VENDOR

if TYPE_CHECKING:
    from overlap.ecosystem.recommend import Recommender

EXIT_NOT_FOUND = 1
"""Exit code when no account is named as asked: ``search`` found none, or ``recommend``
found several that might be meant."""
COLUMNS = (schema.ID, schema.NAME, schema.STATUS, schema.COMPANY_ID, "score")


def search(
    text: Annotated[str, typer.Argument(help="A name, or part of one; typos are forgiven.")],
    data: DataDir = Path("data/samples"),
    fmt: Format = "table",
    limit: Annotated[int, typer.Option(help="Suggestions to show.", min=1)] = 10,
    truth: Truth = False,
) -> None:
    """The vendor accounts whose names are closest to TEXT, best first, with a score 0-100."""
    from overlap.ecosystem.search import search_accounts

    eco = _ecosystem(data, truth=truth)
    vendor = eco.accounts.filter(pl.col(schema.LIST_OWNER) == VENDOR)
    found = search_accounts(vendor, text, limit=limit)
    if found.is_empty():
        typer.echo(f"no account has a name like {text!r}", err=True)
        raise typer.Exit(EXIT_NOT_FOUND)
    _show(found.select(COLUMNS), fmt, title=f"Accounts like {text!r}")


def chosen_account(recommender: Recommender, account: str) -> int:
    """Company index of the vendor account ``account`` names, by ``Recommender.resolve``.

    An approximate name says on stderr which account it stands for. With no clear
    choice, the closest accounts are listed on stderr and the command exits with
    ``EXIT_NOT_FOUND``; with none close, ``locate``'s InputError (exit code 2).
    """
    code, suggestions = recommender.resolve(account)
    if code is not None:
        if not suggestions.is_empty():
            used = suggestions.row(0, named=True)
            typer.echo(f"showing {_described(used)}, the closest name to {account!r}", err=True)
        return code
    if suggestions.is_empty():
        return recommender.locate(account)
    typer.echo(f"error: no account matches {account!r}; did you mean:", err=True)
    for row in suggestions.iter_rows(named=True):
        typer.echo(f"  {_described(row)}", err=True)
    raise typer.Exit(EXIT_NOT_FOUND)


def _described(account: dict[str, object]) -> str:
    return f"{account[schema.NAME]} (id {account[schema.ID]}, {account[schema.STATUS]})"
