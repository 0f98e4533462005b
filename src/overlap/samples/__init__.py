"""Seeded sample data: a realistic partner ecosystem with ground truth.

``write_samples`` writes the ecosystem of ``data/samples/``; ``generate_world`` returns
it in memory; ``generate_linkage_pair`` makes two account lists of any size with their
true pairs, for training the match model and for benchmarks. Everything is
deterministic for a given seed. Modules: ``names`` (word lists), ``companies`` (the
universe of real companies), ``noise`` (how other lists write them), ``world`` (vendor,
partners, deals), ``linkage`` and ``write``.
"""

from __future__ import annotations

from overlap.samples.linkage import generate_linkage_pair
from overlap.samples.world import World, generate_world
from overlap.samples.write import write_samples

__all__ = ["World", "generate_linkage_pair", "generate_world", "write_samples"]
