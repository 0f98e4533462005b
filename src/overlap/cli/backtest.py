"""``overlap backtest``: how often each ranking method names the partner that worked a
won deal, every method reading only what was known when the deal was created.

A stable contract that outside evaluations run on folders laid out like data/samples:
``--format json`` prints to stdout only a JSON array, one object per method with
``method``, ``deals``, ``precision_at_1``, ``hit_rate_at_3``, ``ndcg_at_5`` and ``mrr``
(and extra keys); notes go to stderr. A folder that cannot be used exits with code 2.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from overlap.cli.ecosystem import DataDir, Truth, _ecosystem, _show
from overlap.cli.output import _progress, err_console


def backtest(
    data: DataDir = Path("data/samples"),
    truth: Truth = False,
    cutoff: Annotated[
        float,
        typer.Option(
            "--cutoff",
            help="Quantile of deal creation dates splitting history from the test deals.",
        ),
    ] = 0.5,
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    seed: Annotated[int, typer.Option(help="Seed of the random method.")] = 0,
) -> None:
    """Rank the partners of every won partner deal after the cutoff, method by method."""
    from overlap.ecosystem import backtest as bt
    from overlap.ecosystem.history import undated_lists
    from overlap.errors import ConfigError

    if fmt not in ("table", "json"):
        raise ConfigError(f"unknown format {fmt!r}; use table or json")
    eco = _ecosystem(data, truth=truth)
    found = bt.split(eco, cutoff_fraction=cutoff)
    notes = [f"{found.tests.height} test deals: won with a partner, created on or after "]
    notes[0] += str(found.cutoff) if found.cutoff else "a cutoff (no deal has a created date)"
    if found.unknown_partner:
        notes.append(
            f"{found.unknown_partner} won deals after the cutoff name a partner missing from "
            "partners.csv: left out"
        )
    days = bt.refresh_days(found.tests["created_date"])
    if len(days) < found.tests["created_date"].n_unique():
        notes.append(f"what is known is refreshed on {len(days)} of the test deals' days")
    undated = undated_lists(eco)
    if undated:
        notes.append(f"{bt.UNDATED_NOTE}: {', '.join(undated)}")
    for note in notes:
        err_console.print(f"note: {note}", highlight=False)
    with _progress() as progress:
        figures = bt.backtest(eco, cutoff_fraction=cutoff, seed=seed, progress=progress)
    title = "Backtest: the true partner's rank per method"
    if fmt == "table":  # short headers, so that every column fits a terminal
        figures = figures.rename(_short)
    _show(figures, fmt, title=f"{title}. {bt.UNDATED_NOTE.capitalize()}" if undated else title)


_SHORT = {"precision_at_1": "p@1", "hit_rate_at_3": "hit@3", "ndcg_at_5": "ndcg@5"}


def _short(column: str) -> str:
    """A table header for a figure's column: ``precision_at_1_without_lists`` is
    ``p@1 w/o lists``."""
    for name, short in _SHORT.items():
        column = column.replace(name, short)
    from overlap.ecosystem.backtest import WITHOUT_LISTS

    return column.replace(WITHOUT_LISTS, " w/o lists")
