"""One local Spark session for every Spark test of the run (starting one takes seconds)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from pyspark.sql import SparkSession


@pytest.fixture(scope="session")
def spark() -> Iterator[SparkSession]:
    """A ``local[2]`` session, stopped when the run ends; the tests skip without the extra."""
    pytest.importorskip("pyspark", reason="the spark extra is not installed")
    from overlap.matching.spark import spark_session

    session = spark_session("local[2]", app="overlap-tests")
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
