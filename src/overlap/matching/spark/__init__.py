"""The matching pipeline on Apache Spark: ``link`` as ``pipeline.link`` does it, with the
comparison of candidate pairs run partition by partition on a Spark cluster.

Needs the ``spark`` extra (``pip install 'overlap[spark]'``) and Java 17; ``pyspark`` is
imported only when a session is made, so the rest of the library never needs it.
"""

from overlap.matching.spark.engine import link, read_list
from overlap.matching.spark.session import spark_session

__all__ = ["link", "read_list", "spark_session"]
