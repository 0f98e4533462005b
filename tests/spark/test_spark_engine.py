"""The Spark engine gives the in-process engine's pairs, scores and clusters."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal
from typer.testing import CliRunner

from overlap.cli import app
from overlap.ingest import read_accounts
from overlap.matching import pipeline
from overlap.matching.config import MatchConfig
from overlap.matching.model import default_model
from overlap.matching.spark import read_list
from overlap.matching.spark.comparison import on_spark

pytestmark = pytest.mark.spark

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"
VENDOR = SAMPLES / "vendor_crm.csv"
PARTNER = SAMPLES / "partner_northgate_hubspot.csv"


def test_the_samples_give_the_same_pairs_scores_and_clusters_on_spark(spark):
    lists = pipeline.link_lists(read_accounts(VENDOR).accounts, read_accounts(PARTNER).accounts)
    config, model = MatchConfig(chunk_size=4_000), default_model()
    _, _, here, here_labels = pipeline.scored_pool(lists, config=config, model=model)
    _, _, there, there_labels = pipeline.scored_pool(
        lists, config=config, model=model, compare=on_spark(spark)
    )
    assert len(here.pairs) > 10_000
    assert_frame_equal(here.pairs.drop("score"), there.pairs.drop("score"))
    assert np.abs(here.pairs["score"] - there.pairs["score"]).max() <= 1e-6
    assert np.array_equal(here_labels, there_labels)


def test_a_parquet_folder_as_spark_writes_a_table_is_read_by_spark(spark, tmp_path):
    folder = tmp_path / "partner_table"
    spark.createDataFrame(pl.read_csv(PARTNER, infer_schema=False).to_arrow()).repartition(
        3
    ).write.parquet(str(folder))
    by_id = [pl.col("id"), pl.exclude("id", "source_row")]
    read = read_list(spark, folder).accounts.select(by_id).sort("id")
    assert_frame_equal(read, read_accounts(PARTNER).accounts.select(by_id).sort("id"))


def test_match_with_engine_spark_writes_the_file_the_in_process_engine_writes(spark, tmp_path):
    written = {}
    for engine in ("process", "spark"):
        out = tmp_path / f"{engine}.csv"
        arguments = ["match", str(VENDOR), str(PARTNER), "-o", str(out), "--engine", engine]
        result = CliRunner().invoke(app, [*arguments, "--master", "local[2]"])
        assert result.exit_code == 0, result.output
        written[engine] = out.read_text(encoding="utf-8")
    assert written["spark"] == written["process"]
