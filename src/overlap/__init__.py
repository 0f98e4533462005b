"""overlap: match a vendor's CRM accounts with its partners' lists, and rank co-sell.

The public front. Read lists with ``read_accounts``, add normalised columns with
``normalise``, match two lists with ``link`` or de-duplicate one with ``dedupe``,
resolve several lists into companies with ``resolve_companies``; then load a whole
ecosystem with ``load_ecosystem`` and ask ``overlap_matrix``, ``co_sell``,
``new_accounts`` or a ``Recommender``. Everything else is internal.
"""

from __future__ import annotations

from importlib import metadata

from overlap.ecosystem.data import Ecosystem
from overlap.ecosystem.load import load_ecosystem
from overlap.ecosystem.rank import co_sell
from overlap.ecosystem.recommend import Recommender
from overlap.ecosystem.report import overlap_matrix, scorecard
from overlap.errors import InputError, OverlapError
from overlap.ingest import IngestResult, read_accounts
from overlap.matching.config import MatchConfig
from overlap.matching.model import MatchModel, default_model
from overlap.matching.pipeline import dedupe, link, resolve_companies
from overlap.normalise import normalise

__version__ = metadata.version("overlap")  # written once, in pyproject.toml

__all__ = [
    "Ecosystem",
    "IngestResult",
    "InputError",
    "MatchConfig",
    "MatchModel",
    "OverlapError",
    "Recommender",
    "co_sell",
    "dedupe",
    "default_model",
    "link",
    "load_ecosystem",
    "normalise",
    "overlap_matrix",
    "read_accounts",
    "resolve_companies",
    "scorecard",
]
