"""The Spark session the engine runs on: ``local[*]`` unless told a cluster's URL."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

LOCAL = "local[*]"
"""Every core of this machine: Spark on a laptop."""


def spark_session(master: str = LOCAL, *, app: str = "overlap") -> SparkSession:
    """The active Spark session of ``master``, made if there is none.

    Python workers run this interpreter, so they import the same ``overlap``; Arrow carries
    the records and pairs between the JVM and Python.
    """
    from pyspark.sql import SparkSession

    # the workers of a local master start the interpreter PYSPARK_PYTHON names
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    return (
        SparkSession.builder.master(master)
        .appName(app)
        .config("spark.pyspark.python", sys.executable)
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
