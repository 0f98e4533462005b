"""``link`` on Spark, and account lists that Spark reads."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from overlap.ingest import IngestResult, accounts_from_frame
from overlap.matching import pipeline
from overlap.matching.config import MatchConfig
from overlap.matching.model import MatchModel
from overlap.matching.results import LinkResult
from overlap.matching.spark.comparison import on_spark
from overlap.matching.spark.session import spark_session

if TYPE_CHECKING:
    from pyspark.sql import SparkSession


def link(
    vendor: pl.DataFrame,
    partner: pl.DataFrame,
    *,
    session: SparkSession | None = None,
    config: MatchConfig | None = None,
    model: MatchModel | None = None,
    feedback: pl.DataFrame | None = None,
    progress: pipeline.Progress | None = None,
) -> LinkResult:
    """``pipeline.link`` with the candidate pairs compared on Spark (``session``, or a
    ``local[*]`` one): the same matches, scores and clusters.

    Normalisation, the corpus-wide statistics, blocking, the rivalry features, scoring and
    the clusters run on the driver, as in the in-process engine.
    """
    return pipeline.link(
        vendor,
        partner,
        config=config,
        model=model,
        feedback=feedback,
        progress=progress,
        compare=on_spark(session or spark_session()),
    )


def read_list(
    session: SparkSession, path: str | Path, *, mapping: dict[str, str] | None = None
) -> IngestResult:
    """An account list in Parquet, a file or a folder of them as Spark writes a table, read by
    Spark and mapped and checked as ``ingest.read_accounts`` does a file."""
    frame = pl.from_arrow(session.read.parquet(str(path)).toArrow())
    assert isinstance(frame, pl.DataFrame)
    return accounts_from_frame(frame, file=str(path), mapping=mapping)
