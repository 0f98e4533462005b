"""The comparison of candidate pairs on Spark.

The records and the pairs go to Spark once; each pair is joined to its two records there,
and every partition is compared by ``compare.features``, the function the in-process
engine calls, on polars frames made of the partition's Arrow batches. The corpus-wide
inputs of the comparison, the token frequencies, are broadcast.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from overlap import schema
from overlap.matching.block import LEFT_ROW, RIGHT_ROW, ROW
from overlap.matching.compare import COMPARED, features
from overlap.matching.config import MatchConfig
from overlap.matching.pipeline import Compare, Progress

if TYPE_CHECKING:
    import pyarrow as pa
    from pyspark import Broadcast
    from pyspark.sql import DataFrame, SparkSession

WEIGHTS = ("word_idf", "word_distinct")
"""A record's two summed word weights (``name_words.name_weights``), as record columns."""
PAIRS = (LEFT_ROW, RIGHT_ROW)


def on_spark(session: SparkSession) -> Compare:
    """``pipeline.Compare`` on ``session``: the feature frame of the pairs, compared by Spark."""
    return functools.partial(compared_on_spark, session)


def compared_on_spark(
    session: SparkSession,
    records: pl.DataFrame,
    pairs: pl.DataFrame,
    idf: pl.DataFrame,
    weights: np.ndarray,
    config: MatchConfig,
    progress: Progress | None = None,
) -> pl.DataFrame:
    """``compare.features`` of ``pairs`` (``i``, ``j`` of ``records``), row for row, each
    partition of at most about ``config.chunk_size`` pairs compared by a Spark task, and at
    least as many partitions as the cluster runs tasks at once. ``progress`` hears of the
    comparison once it is done: Spark's tasks report to Spark."""
    empty = features(records, pairs.head(0), idf, weights=weights)
    if pairs.is_empty():
        return empty
    sides = records.select(
        pl.int_range(pl.len(), dtype=pl.Int64).alias(ROW),
        *COMPARED,
        *(pl.Series(name, weights[:, k]) for k, name in enumerate(WEIGHTS)),
    )
    tasks = max(session.sparkContext.defaultParallelism, -(-len(pairs) // config.chunk_size))
    both = _joined(session, sides, pairs, tasks=tasks)
    tokens = session.sparkContext.broadcast(_ipc(idf))
    found = both.mapInArrow(lambda batches: _compared(batches, tokens), _ddl(empty))
    collected = pl.from_arrow(found.toArrow())
    assert isinstance(collected, pl.DataFrame)
    if progress is not None:
        progress("compare", len(pairs), len(pairs))
    order = pairs.select(PAIRS)
    return order.join(
        collected.with_columns(pl.col(PAIRS).cast(pl.UInt32)), on=list(PAIRS), maintain_order="left"
    ).select(empty.columns)


def _joined(
    session: SparkSession, sides: pl.DataFrame, pairs: pl.DataFrame, *, tasks: int
) -> DataFrame:
    """The pairs, in ``tasks`` partitions, with both records' columns, suffixed ``_l`` and
    ``_r``: a join on each end.

    The records are broadcast to the pairs' partitions: they are far fewer than the pairs,
    and a shuffle would split them into the session's 200 partitions, a task each.
    """
    from pyspark.sql import functions as F

    records = session.createDataFrame(sides.to_arrow())
    candidates = session.createDataFrame(
        pairs.select(pl.col(PAIRS).cast(pl.Int64)).to_arrow()
    ).repartition(tasks)
    for end, suffix in zip(PAIRS, (schema.LEFT, schema.RIGHT), strict=True):
        side = records.select([F.col(c).alias(c + suffix) for c in sides.columns])
        joined = candidates.join(F.broadcast(side), F.col(end) == F.col(ROW + suffix))
        candidates = joined.drop(ROW + suffix)
    return candidates


def _compared(
    batches: Iterator[pa.RecordBatch], tokens: Broadcast[bytes]
) -> Iterator[pa.RecordBatch]:
    """The features of a partition's joined pairs, batch by batch (runs on a Spark worker)."""
    idf = pl.read_ipc(io.BytesIO(tokens.value))
    for batch in batches:
        joined = pl.from_arrow(batch)
        assert isinstance(joined, pl.DataFrame)
        if joined.height:
            yield from _features(joined, idf).to_arrow().to_batches()


def _features(joined: pl.DataFrame, idf: pl.DataFrame) -> pl.DataFrame:
    """``compare.features`` of joined pairs: their records, left ends then right ends, are the
    records the pairs number."""
    ends = [
        joined.select(pl.col(c + suffix).alias(c) for c in (*COMPARED, *WEIGHTS))
        for suffix in (schema.LEFT, schema.RIGHT)
    ]
    records = pl.concat(ends)
    n = joined.height
    local = pl.DataFrame(
        {
            LEFT_ROW: pl.int_range(n, dtype=pl.UInt32, eager=True),
            RIGHT_ROW: pl.int_range(n, 2 * n, dtype=pl.UInt32, eager=True),
        }
    )
    found = features(records, local, idf, weights=records.select(WEIGHTS).to_numpy())
    return found.with_columns(joined[LEFT_ROW], joined[RIGHT_ROW])


def _ipc(frame: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.write_ipc(buffer)
    return buffer.getvalue()


def _ddl(frame: pl.DataFrame) -> str:
    """The Spark schema of a feature frame: row numbers as longs, features as floats."""
    return ", ".join(
        f"`{name}` {'long' if dtype.is_integer() else 'float'}"
        for name, dtype in frame.schema.items()
    )
