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

from overlap import schema
from overlap.ecosystem.data import Ecosystem
from overlap.errors import OverlapError
from overlap.matching.config import MatchConfig
from overlap.matching.model import MatchModel, default_model

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


def _map_option(name: str, mapping_option: str) -> Any:
    """A repeatable "Header=field" option, over the JSON mapping of ``mapping_option``."""
    help_text = f'"Header=field"; repeat it. Overrides {mapping_option}.'
    return typer.Option(name, help=help_text, metavar="HEADER=FIELD")


MappingFile = Annotated[
    Path | None,
    typer.Option("--mapping", help='JSON file {"Source header": "field"}.', dir_okay=False),
]
MapOptions = Annotated[list[str] | None, _map_option("--map", "--mapping")]


def _mapping(mapping_file: Path | None, map_options: list[str] | None) -> dict[str, str] | None:
    """The column mapping of a mapping JSON and "Header=field" options (these win); None
    when neither is given, for the columns to be detected."""
    from overlap.ingest import read_mapping_file

    mapping = read_mapping_file(mapping_file) if mapping_file else {}
    mapping |= parse_map_options(map_options or [])
    return mapping or None


@app.command()
def ingest(
    file: Annotated[Path, typer.Argument(help="Account list: CSV/TSV/TXT, XLSX, Parquet, JSONL.")],
    mapping_file: MappingFile = None,
    map_options: MapOptions = None,
    max_rejected: Annotated[
        int, typer.Option(help="Rejected rows to list (the count is always shown).", min=0)
    ] = 20,
) -> None:
    """Read an account list and show how its columns map, and which rows were rejected."""
    from overlap.ingest import read_accounts

    result = read_accounts(file, mapping=_mapping(mapping_file, map_options))

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


def _read(path: Path, mapping: dict[str, str] | None = None) -> pl.DataFrame:
    """The accounts of one list, with rejected rows reported on stderr."""
    from overlap.ingest import detect_mapping, read_accounts

    result = read_accounts(path, mapping=mapping)
    id_header = next((h for h, field in result.mapping.items() if field == schema.ID), None)
    if id_header is None:
        err_console.print(
            f"{result.file}: no id column found, so its ids are line numbers "
            f"(headers left unmapped: {', '.join(result.ignored) or 'none'}); "
            'map one with {"Header": "id"} in a mapping JSON'
        )
    elif not detect_mapping([id_header]) and not (mapping and id_header in mapping):
        err_console.print(
            f"{result.file}: ids read from column {id_header!r}, which holds one of its own "
            'in every row; map another with {"Header": "id"} in a mapping JSON'
        )
    if result.rejected.height:
        reasons = result.rejected[schema.REASON].value_counts(sort=True).iter_rows()
        err_console.print(
            f"{result.file}: {result.rejected.height:,} rows left out ("
            + "; ".join(f"{count:,}: {reason}" for reason, count in reasons)
            + "); `overlap ingest` lists them"
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
    vendor_map: Annotated[list[str] | None, _map_option("--vendor-map", "--vendor-mapping")] = None,
    partner_mapping: Annotated[
        Path | None, typer.Option(help="Column mapping JSON for the partner file.")
    ] = None,
    partner_map: Annotated[
        list[str] | None, _map_option("--partner-map", "--partner-mapping")
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
    from overlap.matching.pipeline import link, read_feedback

    config, model = _settings(threshold, config_file, model_file)
    vendor = _read(vendor_file, _mapping(vendor_mapping, vendor_map))
    partner = _read(partner_file, _mapping(partner_mapping, partner_map))
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
    mapping_file: MappingFile = None,
    map_options: MapOptions = None,
    config_file: ConfigFile = None,
    model_file: ModelFile = None,
) -> None:
    """Find the duplicates in one list: every row with its cluster id and score."""
    from overlap.export import write_csv
    from overlap.matching.pipeline import dedupe as dedupe_accounts

    config, model = _settings(threshold, config_file, model_file)
    accounts = _read(file, _mapping(mapping_file, map_options))
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
    from overlap.matching.pipeline import read_feedback
    from overlap.matching.train import feedback_pairs, fit, generated_pairs

    if feedback is not None and (vendor_file is None or partner_file is None):
        raise typer.BadParameter("feedback needs the --vendor and --partner lists it is about")
    with _progress() as progress:
        labelled = [generated_pairs(progress=progress)]
    if feedback is not None and vendor_file is not None and partner_file is not None:
        decided = read_feedback(feedback)
        labelled.append(feedback_pairs(_read(vendor_file), _read(partner_file), decided))
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
    from overlap.ecosystem.load import load_ecosystem
    from overlap.ecosystem.rank import co_sell
    from overlap.ecosystem.report import scorecard
    from overlap.render import render

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


WEB_MODULES = {
    "fastapi": "fastapi",
    "uvicorn": "uvicorn",
    "pydantic_settings": "pydantic-settings",
    "python_multipart": "python-multipart",
}
"""The modules of the [api] extra, and the distributions they come from."""


def _web() -> None:
    """Check that the web stack of the [api] extra is installed, else say how to get it."""
    import importlib.util

    missing = [dist for module, dist in WEB_MODULES.items() if not importlib.util.find_spec(module)]
    if missing:
        # printed here rather than raised: the "[api]" would be read as rich markup
        err_console.print(
            f"error: the web service needs the [api] extra ({', '.join(missing)} missing): "
            "pip install 'overlap[api]'",
            style="red",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
        raise typer.Exit(EXIT_INPUT_ERROR)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    db: Annotated[Path, typer.Option(help="DuckDB file of the store.")] = Path("overlap.duckdb"),
    samples: Annotated[
        Path | None,
        typer.Option(help="Folder like data/samples, loaded (and matched) if the store is empty."),
    ] = None,
) -> None:
    """Start the web service; on first start print an admin key, once, and an example."""
    _web()
    from urllib.parse import quote

    import uvicorn

    from overlap.api.main import create_app
    from overlap.api.security import first_admin_key
    from overlap.api.service import load_directory
    from overlap.api.store import Store

    db.parent.mkdir(parents=True, exist_ok=True)
    store = Store.open(db)
    try:
        if samples is not None and store.is_empty():
            with console.status(f"loading and matching {samples}"):
                load_directory(store, samples)
        token = first_admin_key(store)
        if token is not None:
            console.print(
                f"admin key (shown once, keep it): {token}", highlight=False, soft_wrap=True
            )
        url = f"http://{host}:{port}"
        account = store.example_account()
        example = (
            f"{url}/accounts/{quote(account, safe='')}/partners?k=3"
            if account is not None
            else f"{url}/partners"
        )
        console.print(f"serving {db} on {url} (docs: {url}/docs)", highlight=False, soft_wrap=True)
        console.print(
            f"try: curl -H 'Authorization: Bearer {token or '<your key>'}' '{example}'",
            highlight=False,
            soft_wrap=True,
        )
        uvicorn.run(create_app(store=store), host=host, port=port, log_level="warning")
    finally:
        store.close()


@app.command("create-key")
def create_key_command(
    role: Annotated[str, typer.Option(help="admin, ecosystem, sales or partner.")] = "admin",
    partner_id: Annotated[str | None, typer.Option(help="The partner of a partner key.")] = None,
    db: Annotated[Path, typer.Option(help="DuckDB file of the store.")] = Path("overlap.duckdb"),
) -> None:
    """Create an API key in the store (stop `overlap serve` first) and print it once."""
    _web()
    from overlap.api.security import create_key
    from overlap.api.store import Store

    store = Store.open(db)
    try:
        key_id, token = create_key(store, role=role, partner_id=partner_id)
    finally:
        store.close()
    console.print(f"{role} key {key_id} (shown once): {token}", highlight=False, soft_wrap=True)


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
    """The ecosystem of a folder, its companies matched (or from its ground truth)."""
    from overlap.ecosystem.load import load_ecosystem

    with _progress() as progress:
        return load_ecosystem(data, companies="truth" if truth else "match", progress=progress)


def _show(frame: pl.DataFrame, fmt: str, *, title: str) -> None:
    """Print a result: tables for people, bare CSV or JSON for pipes."""
    from overlap.render import render

    typer.echo(render(frame, fmt, title=title).rstrip("\n"))


@app.command()
def rank(
    data: DataDir = Path("data/samples"),
    fmt: Format = "table",
    limit: Limit = 10,
    truth: Truth = False,
) -> None:
    """The top co-sell opportunities and the top new accounts partners could bring."""
    from overlap.ecosystem.lookalike import new_accounts
    from overlap.ecosystem.rank import co_sell

    eco = _ecosystem(data, truth=truth)
    best = co_sell(eco).filter(pl.col("rank_in_opportunity") == 1).head(limit)
    _show(
        best.select("account", "stage", "amount", "partner", "relationship", "score", "reason"),
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


@app.command()
def recommend(
    account: Annotated[str, typer.Argument(help="Vendor account id, company id or name.")],
    data: DataDir = Path("data/samples"),
    fmt: Format = "table",
    limit: Limit = 5,
    truth: Truth = False,
) -> None:
    """The partners to bring into one account, best first, with their evidence."""
    from overlap.ecosystem.recommend import Recommender

    partners = Recommender().fit(_ecosystem(data, truth=truth)).recommend(account, k=limit)
    _show(
        partners.select(
            "rank", "partner", "role", "relationship", "score", "factors_used", "reason"
        ),
        fmt,
        title=f"Partners for {account}",
    )


@app.command()
def report(
    data: DataDir = Path("data/samples"),
    partner: Annotated[str | None, typer.Option(help="One partner id, e.g. PRT-001.")] = None,
    fmt: Format = "table",
    truth: Truth = False,
) -> None:
    """The overlap matrix per partner, the partner scorecards and partner lift."""
    from overlap.ecosystem.lift import partner_lift
    from overlap.ecosystem.report import overlap_matrix, scorecard

    eco = _ecosystem(data, truth=truth)
    _show(overlap_matrix(eco, partner), fmt, title="Overlap matrix (companies, open pipeline)")
    cards = scorecard(eco)
    lift = partner_lift(eco, partner)
    if partner is not None:
        cards = cards.filter(pl.col("partner_id") == partner)
    _show(cards, fmt, title="Partner scorecards")
    _show(lift, fmt, title="Partner lift on win rate (raw vs adjusted, 95% interval)")
