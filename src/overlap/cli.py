"""The ``overlap`` command: a thin layer that calls the library and prints with rich.

Each command is a function decorated with ``@app.command()``; an OverlapError raised
by any of them (a bad file, setting or model) is printed in red on stderr and exits
with code 2 (see ``_Group``), so commands need no error handling of their own.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import polars as pl
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, TaskID, TextColumn, TimeElapsedColumn
from rich.progress import Progress as RichProgress
from rich.table import Table
from typer.core import TyperGroup

from overlap.config import MatchConfig
from overlap.errors import OverlapError
from overlap.model import MatchModel, default_model

EXIT_INPUT_ERROR = 2

console = Console()
err_console = Console(stderr=True)


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


def parse_map_options(options: list[str]) -> dict[str, str]:
    """{header: field} from ``--map "Header=field"`` options (the last "=" splits)."""
    mapping = {}
    for option in options:
        header, equals, field = option.rpartition("=")
        if not equals or not header.strip() or not field.strip():
            raise typer.BadParameter(f'{option!r} is not "Header=field"', param_hint="--map")
        mapping[header.strip()] = field.strip()
    return mapping


@app.command()
def ingest(
    file: Annotated[Path, typer.Argument(help="Account list: CSV/TSV/TXT, XLSX, Parquet, JSONL.")],
    mapping_file: Annotated[
        Path | None,
        typer.Option("--mapping", help='JSON file {"Source header": "field"}.', dir_okay=False),
    ] = None,
    map_options: Annotated[
        list[str] | None,
        typer.Option("--map", help='"Header=field"; repeat it. Overrides --mapping.'),
    ] = None,
    max_rejected: Annotated[
        int, typer.Option(help="Rejected rows to list (the count is always shown).", min=0)
    ] = 20,
) -> None:
    """Read an account list and show how its columns map, and which rows were rejected."""
    from overlap.ingest import read_accounts, read_mapping_file

    mapping = read_mapping_file(mapping_file) if mapping_file else {}
    mapping |= parse_map_options(map_options or [])
    result = read_accounts(file, mapping=mapping or None)

    columns = Table(title=f"Columns of {result.file}")
    columns.add_column("Column in file")
    columns.add_column("Field")
    for header, field in result.mapping.items():
        columns.add_row(header, field)
    for header in result.ignored:
        columns.add_row(header, "[dim](ignored)[/dim]")
    console.print(columns)

    rejected = result.rejected.height
    console.print(
        f"Rows read: {result.rows_read:,}   accepted: {result.accounts.height:,}   "
        f"rejected: {rejected:,}"
    )
    if rejected == 0:
        return
    table = Table(title="Rejected rows")
    for name in result.rejected.columns:
        table.add_column(name.replace("_", " "))
    for row in result.rejected.head(max_rejected).iter_rows():
        table.add_row(*("" if value is None else str(value) for value in row))
    console.print(table)
    if rejected > max_rejected:
        console.print(f"… and {rejected - max_rejected:,} more (--max-rejected to list them)")


@app.command()
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


@contextmanager
def _progress() -> Iterator[Callable[[str, int, int], None]]:
    """A rich progress bar fed by the library's ``progress(stage, done, total)`` calls."""
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with RichProgress(*columns, console=err_console, transient=True) as bar:
        tasks: dict[str, TaskID] = {}

        def update(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield update


def _read(path: Path, mapping_file: Path | None) -> pl.DataFrame:
    """The accounts of one list, with rejected rows reported on stderr."""
    from overlap.ingest import read_accounts, read_mapping_file

    mapping = read_mapping_file(mapping_file) if mapping_file else None
    result = read_accounts(path, mapping=mapping)
    if result.rejected.height:
        err_console.print(
            f"{result.file}: {result.rejected.height:,} rows without a name, website or "
            "e-mail were left out (see `overlap ingest` for the list)"
        )
    return result.accounts


def _settings(
    threshold: float | None, config_file: Path | None, model_file: Path | None
) -> tuple[MatchConfig, MatchModel]:
    """The match settings and model the options ask for, else the defaults."""
    config = MatchConfig.from_json(config_file) if config_file else MatchConfig()
    if threshold is not None:
        config = MatchConfig.from_dict(config.to_dict() | {"threshold": threshold})
    model = MatchModel.load(model_file) if model_file else default_model()
    return config, model


Threshold = Annotated[
    float | None,
    typer.Option(help="Match probability from which two records are one company.", min=0, max=1),
]
ConfigFile = Annotated[
    Path | None, typer.Option("--config", help="JSON file of MatchConfig settings.", dir_okay=False)
]
ModelFile = Annotated[
    Path | None,
    typer.Option("--model", help="Match model JSON from `overlap train`.", dir_okay=False),
]


@app.command()
def match(
    vendor_file: Annotated[Path, typer.Argument(help="The vendor's account list.")],
    partner_file: Annotated[Path, typer.Argument(help="The partner's account list.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Matches CSV to write.")],
    threshold: Threshold = None,
    vendor_mapping: Annotated[
        Path | None, typer.Option(help="Column mapping JSON for the vendor file.")
    ] = None,
    partner_mapping: Annotated[
        Path | None, typer.Option(help="Column mapping JSON for the partner file.")
    ] = None,
    feedback: Annotated[
        Path | None,
        typer.Option(help="CSV of vendor_id,partner_id,decision (confirm/reject) to obey."),
    ] = None,
    config_file: ConfigFile = None,
    model_file: ModelFile = None,
) -> None:
    """Match two account lists: one row per matched pair with its score and reason."""
    from overlap.export import write_csv
    from overlap.pipeline import link, read_feedback

    config, model = _settings(threshold, config_file, model_file)
    vendor = _read(vendor_file, vendor_mapping)
    partner = _read(partner_file, partner_mapping)
    decided = read_feedback(feedback) if feedback else None
    started = time.perf_counter()
    with _progress() as progress:
        result = link(
            vendor, partner, config=config, model=model, feedback=decided, progress=progress
        )
    write_csv(result.matches, output)
    console.print(
        f"{vendor.height:,} vendor and {partner.height:,} partner accounts, "
        f"{result.candidates:,} candidate pairs compared, {result.matches.height:,} matches "
        f"written to {output} in {time.perf_counter() - started:.1f} s"
    )


@app.command()
def dedupe(
    file: Annotated[Path, typer.Argument(help="The account list to de-duplicate.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Clusters CSV to write.")],
    threshold: Threshold = None,
    mapping: Annotated[Path | None, typer.Option(help="Column mapping JSON.")] = None,
    config_file: ConfigFile = None,
    model_file: ModelFile = None,
) -> None:
    """Find the duplicates in one list: every row with its cluster id and score."""
    from overlap.export import write_csv
    from overlap.pipeline import dedupe as dedupe_accounts

    config, model = _settings(threshold, config_file, model_file)
    accounts = _read(file, mapping)
    with _progress() as progress:
        result = dedupe_accounts(accounts, config=config, model=model, progress=progress)
    write_csv(result.clusters, output)
    clusters = result.clusters["cluster_id"].n_unique()
    console.print(
        f"{accounts.height:,} accounts in {clusters:,} clusters "
        f"({accounts.height - clusters:,} duplicates) written to {output}"
    )


@app.command()
def train(
    output: Annotated[Path, typer.Option("-o", "--output", help="Model JSON to write.")],
    vendor_file: Annotated[
        Path | None, typer.Option("--vendor", help="Vendor list the feedback is about.")
    ] = None,
    partner_file: Annotated[
        Path | None, typer.Option("--partner", help="Partner list the feedback is about.")
    ] = None,
    feedback: Annotated[
        Path | None,
        typer.Option(help="CSV of vendor_id,partner_id,decision (confirm/reject)."),
    ] = None,
) -> None:
    """Retrain the match model on generated labelled pairs plus your feedback."""
    from overlap.pipeline import read_feedback
    from overlap.train import feedback_pairs, fit, generated_pairs

    if feedback is not None and (vendor_file is None or partner_file is None):
        raise typer.BadParameter("feedback needs the --vendor and --partner lists it is about")
    with console.status("labelling generated pairs"):
        labelled = [generated_pairs()]
    if feedback is not None and vendor_file is not None and partner_file is not None:
        decided = read_feedback(feedback)
        labelled.append(
            feedback_pairs(_read(vendor_file, None), _read(partner_file, None), decided)
        )
    model = fit(pl.concat(labelled, how="vertical_relaxed"))
    model.save(output)
    console.print(f"model trained on {model.n_pairs_:,} labelled pairs, written to {output}")


@app.command()
def demo(
    directory: Annotated[
        Path, typer.Argument(help="Folder of the sample ecosystem.", file_okay=False)
    ] = Path("data/samples"),
) -> None:
    """Match the vendor with every partner of DIRECTORY, then show the overlap and co-sell."""
    from overlap.demo import summarise
    from overlap.ecosystem import load_ecosystem
    from overlap.rank import co_sell
    from overlap.render import render
    from overlap.report import scorecard

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
    best = co_sell(eco).filter(pl.col("rank_in_opportunity") == 1).head(5)
    typer.echo(
        render(
            best.select("account", "stage", "amount", "partner", "score", "reason"),
            "table",
            title="Top co-sell opportunities",
        )
    )
