"""The commands on account lists: ``ingest``, ``match``, ``dedupe`` and ``train``."""

from __future__ import annotations

import functools
import time
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import polars as pl
import typer
from rich.table import Table

from overlap import schema
from overlap.cli.output import _progress, console, err_console
from overlap.matching.config import MatchConfig
from overlap.matching.model import MatchModel, default_model

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

    from overlap.ingest import IngestResult


class Engine(StrEnum):
    """Where ``match`` compares the candidate pairs."""

    PROCESS = "process"
    SPARK = "spark"


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
StatusOption = Annotated[
    str | None,
    typer.Option(
        help=f"Status of the records that give none ({', '.join(schema.STATUSES)}): "
        "customer reads a list of customers only as one population.",
    ),
]


def _mapping(mapping_file: Path | None, map_options: list[str] | None) -> dict[str, str] | None:
    """The column mapping of a mapping JSON and "Header=field" options (these win); None
    when neither is given, for the columns to be detected."""
    from overlap.ingest import read_mapping_file

    mapping = read_mapping_file(mapping_file) if mapping_file else {}
    mapping |= parse_map_options(map_options or [])
    return mapping or None


def ingest(
    file: Annotated[Path, typer.Argument(help="Account list: CSV/TSV/TXT, XLSX, Parquet, JSONL.")],
    mapping_file: MappingFile = None,
    map_options: MapOptions = None,
    max_rejected: Annotated[
        int,
        typer.Option(
            help="Rejected rows, and values not understood, to list (counts are always shown).",
            min=0,
        ),
    ] = 20,
    status: StatusOption = None,
) -> None:
    """Read an account list and show how its columns map, which status and country values
    it could not read, and which rows were rejected."""
    from overlap.ingest import read_accounts

    result = read_accounts(file, mapping=_mapping(mapping_file, map_options), status=status)

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
    statuses = result.accounts[schema.STATUS].fill_null("none").value_counts(sort=True)
    console.print("Statuses: " + ", ".join(f"{s} {n:,}" for s, n in statuses.iter_rows()))
    _print_unrecognised(result.unrecognised, max_values=max_rejected)
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


def _print_unrecognised(unrecognised: pl.DataFrame, *, max_values: int) -> None:
    """The status and country values ingest could not read, per column, with their rows."""
    if unrecognised.is_empty():
        return
    table = Table(title="Values not understood (left empty, rows kept)")
    for name in ("Column in file", "Field", "Value", "Rows"):
        table.add_column(name, justify="right" if name == "Rows" else "left")
    for header, field, value, rows in unrecognised.head(max_values).iter_rows():
        table.add_row(header, field, value, f"{rows:,}")
    console.print(table)
    if unrecognised.height > max_values:
        console.print(f"… and {unrecognised.height - max_values:,} more values (--max-rejected)")


def _read(
    path: Path, mapping: dict[str, str] | None = None, *, session: SparkSession | None = None
) -> IngestResult:
    """One list read, with rejected rows reported on stderr; Parquet (a file, or a folder
    as Spark writes a table) read by Spark when a ``session`` is given."""
    from overlap.ingest import detect_mapping, read_accounts

    if session is not None and (path.is_dir() or path.suffix.lower() in (".parquet", ".pq")):
        from overlap.matching.spark import read_list

        result = read_list(session, path, mapping=mapping)
    else:
        result = read_accounts(path, mapping=mapping)
    id_header = next((h for h, field in result.mapping.items() if field == schema.ID), None)
    if id_header is None:
        err_console.print(
            f"{result.file}: no id column found, so its ids number its accounts 1, 2, 3... "
            "in file order (the output's row columns give each one's row in the file) "
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
    return result


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


def _spark(master: str) -> SparkSession:
    """A Spark session of ``master``, or a usage error naming the extra it needs."""
    from importlib.util import find_spec

    from overlap.matching.spark import spark_session

    if find_spec("pyspark") is None:
        raise typer.BadParameter(
            "needs the spark extra: pip install 'overlap[spark]'", param_hint="--engine"
        )
    return spark_session(master)


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
    review: Annotated[
        Path | None,
        typer.Option(
            help="Review CSV to write: the pairs not matched a person should look at "
            "(ambiguous, family, unsure), with why each is there.",
            dir_okay=False,
        ),
    ] = None,
    engine: Annotated[
        Engine,
        typer.Option(
            help="Where the candidate pairs are compared: in this process, or on Spark "
            "(pip install 'overlap[spark]'; same results)."
        ),
    ] = Engine.PROCESS,
    master: Annotated[
        str, typer.Option(help="The Spark master URL, with --engine spark.")
    ] = "local[*]",
) -> None:
    """Match two account lists: one row per matched pair with its score and reason, then
    both records' names and rows as a spreadsheet shows them (``22``, ``Sheet1!22``)."""
    from overlap.cli.review import reviewable_matches
    from overlap.export import write_csv
    from overlap.matching.feedback import read_feedback
    from overlap.matching.pipeline import link
    from overlap.matching.review import WHY

    config, model = _settings(threshold, config_file, model_file)
    session = _spark(master) if engine is Engine.SPARK else None
    vendor_list = _read(vendor_file, _mapping(vendor_mapping, vendor_map), session=session)
    partner_list = _read(partner_file, _mapping(partner_mapping, partner_map), session=session)
    vendor, partner = vendor_list.accounts, partner_list.accounts
    decided = read_feedback(feedback) if feedback else None
    started = time.perf_counter()
    if session is not None:
        from overlap.matching.spark import link as link_on_spark

        link = functools.partial(link_on_spark, session=session)
    with _progress() as progress:
        result = link(
            vendor, partner, config=config, model=model, feedback=decided, progress=progress
        )
    write_csv(reviewable_matches(result.matches, vendor_list, partner_list), output)
    console.print(
        f"{vendor.height:,} vendor and {partner.height:,} partner accounts, "
        f"{result.candidates:,} candidate pairs compared, {result.matches.height:,} matches "
        f"written to {output} in {time.perf_counter() - started:.1f} s"
    )
    if review is not None:
        write_csv(reviewable_matches(result.review, vendor_list, partner_list), review)
        kinds = result.review[WHY].str.extract(r"^(\w+):").value_counts(sort=True)
        console.print(
            f"{result.review.height:,} pairs to review written to {review}"
            + "".join(f"; {kind}: {count:,}" for kind, count in kinds.iter_rows())
        )


CLUSTERS_HELP = (
    "Clusters CSV to write. A record's score is, in a cluster of several, its best match "
    "probability with a record of its cluster; for a record alone, how sure it is that the "
    "list holds no duplicate of it (1 minus its best match probability with any record)."
)


def dedupe(
    file: Annotated[Path, typer.Argument(help="The account list to de-duplicate.")],
    output: Annotated[Path, typer.Option("-o", "--output", help=CLUSTERS_HELP)],
    threshold: Threshold = None,
    mapping_file: MappingFile = None,
    map_options: MapOptions = None,
    config_file: ConfigFile = None,
    model_file: ModelFile = None,
) -> None:
    """Find the duplicates in one list: every row with its cluster id, score, name and row."""
    from overlap.cli.review import reviewable_clusters
    from overlap.export import write_csv
    from overlap.matching.pipeline import dedupe as dedupe_accounts

    config, model = _settings(threshold, config_file, model_file)
    listed = _read(file, _mapping(mapping_file, map_options))
    accounts = listed.accounts
    with _progress() as progress:
        result = dedupe_accounts(accounts, config=config, model=model, progress=progress)
    write_csv(reviewable_clusters(result.clusters, listed), output)
    clusters = result.clusters["cluster_id"].n_unique()
    console.print(
        f"{accounts.height:,} accounts in {clusters:,} clusters "
        f"({accounts.height - clusters:,} duplicates) written to {output}"
    )


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
    from overlap.matching.feedback import read_feedback
    from overlap.matching.train import feedback_pairs, fit, generated_pairs

    if feedback is not None and (vendor_file is None or partner_file is None):
        raise typer.BadParameter("feedback needs the --vendor and --partner lists it is about")
    with _progress() as progress:
        labelled = [generated_pairs(progress=progress)]
    if feedback is not None and vendor_file is not None and partner_file is not None:
        decided = read_feedback(feedback)
        labelled.append(
            feedback_pairs(_read(vendor_file).accounts, _read(partner_file).accounts, decided)
        )
    model = fit(pl.concat(labelled, how="vertical_relaxed"))
    model.save(output)
    console.print(f"model trained on {model.n_pairs_:,} labelled pairs, written to {output}")
