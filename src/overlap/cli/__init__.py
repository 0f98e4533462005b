"""The ``overlap`` command: a thin layer that calls the library and prints with rich.

The commands are functions grouped by what they work on: ``lists`` (ingest, match,
dedupe, train), ``ecosystem`` (samples, demo, rank, recommend, report, check), ``backtest``,
``search``
(search) and ``service`` (serve, create-key). They are registered on ``app`` below, in
the order ``overlap --help`` lists them. An OverlapError raised by any of them (a bad
file, setting or model) is printed in red on stderr and exits with code 2 (see
``_Group``), so commands need no error handling of their own.
"""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperGroup

from overlap.cli.backtest import backtest
from overlap.cli.ecosystem import check, demo, rank, recommend, report, samples
from overlap.cli.lists import dedupe, ingest, match, train
from overlap.cli.output import EXIT_INPUT_ERROR, err_console
from overlap.cli.search import search
from overlap.cli.service import create_key_command, serve
from overlap.errors import OverlapError


class _Group(TyperGroup):
    """Turns an OverlapError from any command into a red message and exit code 2."""

    # typer.Context is narrower than the vendored click Context that TyperGroup declares.
    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except OverlapError as error:
            err_console.print(f"[red]error:[/red] {error}", style="red", highlight=False)
            raise typer.Exit(EXIT_INPUT_ERROR) from None


app = typer.Typer(
    cls=_Group,
    help="Match a vendor's CRM accounts with its partners' account lists.",
    no_args_is_help=True,
    add_completion=False,
)


app.command()(ingest)
app.command()(samples)
app.command()(match)
app.command()(dedupe)
app.command()(train)
app.command()(demo)
app.command()(serve)
app.command("create-key")(create_key_command)
app.command()(rank)
app.command()(search)
app.command()(recommend)
app.command()(report)
app.command()(check)
app.command()(backtest)
