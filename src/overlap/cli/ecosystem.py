"""The commands on a folder of an ecosystem's lists: ``samples`` writes one, ``demo`` matches
it, ``check`` says what it holds and makes available, ``rank``, ``recommend`` and ``report``
print what it holds (a table, CSV or JSON)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import polars as pl
import typer

from overlap.cli.output import _progress, console, err_console
from overlap.ecosystem.data import Ecosystem


def samples(
    directory: Annotated[
        Path, typer.Argument(help="Folder to write the sample files into.", file_okay=False)
    ] = Path("data/samples"),
    seed: Annotated[int, typer.Option(help="Random seed: the same seed gives the same files.")] = 7,
) -> None:
    """Write the sample vendor CRM, partner lists and ground truth into DIRECTORY."""
    from overlap.samples import write_samples

    written = write_samples(directory, seed=seed)
    console.print(f"Wrote {len(written)} files to {directory}")


def demo(
    directory: Annotated[
        Path, typer.Argument(help="Folder of the sample ecosystem.", file_okay=False)
    ] = Path("data/samples"),
) -> None:
    """Match the vendor with every partner of DIRECTORY, then show the overlap and co-sell."""
    from overlap.cli.render import render
    from overlap.demo import summarise
    from overlap.ecosystem.load import load_ecosystem
    from overlap.ecosystem.rank import co_sell, top_co_sell
    from overlap.ecosystem.report import scorecard

    with _progress() as progress:
        matching = summarise(directory, progress=progress)
        eco = load_ecosystem(directory, progress=progress)
    typer.echo(render(matching, "table", title="Matches with each partner (vs ground truth)"))
    typer.echo(
        render(
            scorecard(eco).select(
                "name", "overlap_companies", "overlap_share", "overlap_pipeline", "win_rate_with"
            ),
            "table",
            title="Overlap per partner (companies, duplicates resolved)",
        )
    )
    best = top_co_sell(co_sell(eco), limit=5)
    typer.echo(
        render(
            best.select("account", "stage", "amount", "partner", "score", "reason", "note"),
            "table",
            title="Top co-sell opportunities",
        )
    )


DataDir = Annotated[
    Path, typer.Option("--data", help="Folder of the ecosystem's lists.", file_okay=False)
]
Truth = Annotated[
    bool,
    typer.Option("--truth", help="Use the folder's ground_truth.csv instead of matching."),
]
Format = Annotated[str, typer.Option("--format", help="table, csv or json.")]
Limit = Annotated[int, typer.Option(help="Rows to show.", min=1)]


def _ecosystem(data: Path, *, truth: bool) -> Ecosystem:
    """The ecosystem of a folder, its companies matched (or from its ground truth); what
    a file left out makes unavailable is said on stderr."""
    from overlap.ecosystem.load import left_out, load_ecosystem

    with _progress() as progress:
        eco = load_ecosystem(data, companies="truth" if truth else "match", progress=progress)
    for spec in left_out(data):
        err_console.print(f"note: no {spec.name} in {data}, so no {spec.uses}", highlight=False)
    return eco


def check(data: DataDir = Path("data/samples")) -> None:
    """What a folder holds, what is missing, and what that makes available or not."""
    from overlap.ecosystem.load import partner_columns, survey

    _show(survey(data), "table", title=f"Files of {data}")
    _show(partner_columns(data), "table", title="Optional columns of partners.csv")
    console.print("Ready: rank, recommend and report can read this folder.")


def _show(frame: pl.DataFrame, fmt: str, *, title: str) -> None:
    """Print a result: tables for people, bare CSV or JSON for pipes."""
    from overlap.cli.render import render

    typer.echo(render(frame, fmt, title=title).rstrip("\n"))


def rank(
    data: DataDir = Path("data/samples"),
    fmt: Format = "table",
    limit: Limit = 10,
    truth: Truth = False,
) -> None:
    """The top co-sell opportunities and the top new accounts partners could bring."""
    from overlap.ecosystem.lookalike import new_accounts
    from overlap.ecosystem.rank import co_sell, top_co_sell
    from overlap.ecosystem.ranker import Ranker

    eco = _ecosystem(data, truth=truth)
    best = Ranker().fit(eco).with_odds(top_co_sell(co_sell(eco), limit=limit))
    _show(
        best.select(
            "account",
            "amount",
            "partner",
            "score",
            "win_probability",
            "uplift",
            "similar_deals",
            "reason",
            "note",
        ),
        fmt,
        title="Co-sell: open opportunities a partner already knows",
    )
    _show(
        new_accounts(eco)
        .head(limit)
        .select("name", "country", "partner", "fit", "score", "explanation"),
        fmt,
        title="New accounts: partners' customers that fit the vendor's best customers",
    )


def recommend(
    account: Annotated[
        str, typer.Argument(help="Vendor account id, company id or name (typos forgiven).")
    ],
    data: DataDir = Path("data/samples"),
    fmt: Format = "table",
    limit: Limit = 5,
    truth: Truth = False,
) -> None:
    """The partners to bring into one account, best first, with their evidence."""
    from overlap.cli.search import chosen_account
    from overlap.ecosystem.ranker import Ranker

    recommender = Ranker().fit(_ecosystem(data, truth=truth))
    code = chosen_account(recommender, account)
    partners = recommender.recommend_company(code, k=limit)
    _show(
        partners.select(
            "rank",
            "partner",
            "role",
            "relationship",
            "score",
            "factors_used",
            "reason",
            "win_probability",
            "win_probability_without",
            "uplift",
            "similar_deals",
        ),
        fmt,
        title=f"Partners for {recommender.company_names_[code] or account}",
    )


REPORT_TABLES = ("matrix", "scorecards", "lift")


def report(
    data: DataDir = Path("data/samples"),
    partner: Annotated[str | None, typer.Option(help="One partner id, e.g. PRT-001.")] = None,
    fmt: Format = "table",
    table: Annotated[
        str | None, typer.Option(help=f"Print one table only: {', '.join(REPORT_TABLES)}.")
    ] = None,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            help="Write each table to its own file, NAME.csv or NAME.json, here.", file_okay=False
        ),
    ] = None,
    truth: Truth = False,
) -> None:
    """The overlap matrix per partner, the partner scorecards and partner lift.

    CSV holds one table: name it with --table, or write each to a file with --out-dir.
    """
    from overlap.cli.render import cards, render
    from overlap.ecosystem.lift import partner_lift
    from overlap.ecosystem.report import overlap_matrix, scorecard

    if table is not None and table not in REPORT_TABLES:
        raise typer.BadParameter(
            f"{table!r} is not a table; choose {', '.join(REPORT_TABLES)}", param_hint="--table"
        )
    if out_dir is not None and fmt not in ("csv", "json"):
        raise typer.BadParameter("--out-dir writes csv or json files", param_hint="--format")
    if fmt == "csv" and table is None and out_dir is None:
        raise typer.BadParameter(
            "the report has three tables of different columns; print one with --table "
            f"({', '.join(REPORT_TABLES)}) or write each to a file with --out-dir DIR",
            param_hint="--format csv",
        )
    eco = _ecosystem(data, truth=truth)
    cards_frame = scorecard(eco)
    if partner is not None:
        cards_frame = cards_frame.filter(pl.col("partner_id") == partner)
    tables = {
        "matrix": (overlap_matrix(eco, partner), "Overlap matrix (companies, open pipeline)"),
        "scorecards": (cards_frame, "Partner scorecard"),
        "lift": (
            partner_lift(eco, partner),
            "Partner lift on win rate (raw vs adjusted, 95% interval)",
        ),
    }
    chosen = [table] if table is not None else list(REPORT_TABLES)
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        for name in chosen:
            path = out_dir / f"{name}.{fmt}"
            path.write_text(render(tables[name][0], fmt, title=name), encoding="utf-8")
            console.print(f"wrote {path}")
        return
    for name in chosen:
        frame, title = tables[name]
        if name == "scorecards" and fmt == "table":
            # 17 columns do not fit a terminal: one field a line, one table a partner.
            typer.echo(cards(frame, title=title, heading="name").rstrip("\n"))
        else:
            _show(frame, fmt, title=title)
