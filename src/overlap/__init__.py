"""overlap: match a vendor's CRM accounts with its partners' lists, and rank co-sell.

The public front. Read lists with ``read_accounts`` (an ``IngestResult``), add
normalised columns with ``normalise``, match two lists with ``link`` (a ``LinkResult``)
or de-duplicate one with ``dedupe`` (a ``DedupeResult``), resolve several lists into
companies with ``resolve_companies``; tune matching with a ``MatchConfig`` and a
``MatchModel`` (``default_model`` is the shipped one). Then load a whole ecosystem with
``load_ecosystem`` (an ``Ecosystem``) and ask ``overlap_matrix``, ``scorecard``,
``co_sell``, ``new_accounts``, a ``Ranker`` (partners for an account, learned from the
deal history, with win probabilities) or the hand-set ``Recommender``. Errors in the input raise an
``InputError``, every error of the library an ``OverlapError``. Everything else is
internal.
"""

from __future__ import annotations

from importlib import metadata

from overlap.ecosystem.data import Ecosystem
from overlap.ecosystem.load import load_ecosystem
from overlap.ecosystem.lookalike import new_accounts
from overlap.ecosystem.rank import co_sell
from overlap.ecosystem.ranker import Ranker
from overlap.ecosystem.recommend import Recommender
from overlap.ecosystem.report import overlap_matrix, scorecard
from overlap.errors import InputError, OverlapError
from overlap.ingest import IngestResult, read_accounts
from overlap.matching.config import MatchConfig
from overlap.matching.model import MatchModel, default_model
from overlap.matching.pipeline import dedupe, link, resolve_companies
from overlap.matching.results import DedupeResult, LinkResult
from overlap.normalise import normalise

__version__ = metadata.version("overlap")  # written once, in pyproject.toml

__all__ = [
    "DedupeResult",
    "Ecosystem",
    "IngestResult",
    "InputError",
    "LinkResult",
    "MatchConfig",
    "MatchModel",
    "OverlapError",
    "Ranker",
    "Recommender",
    "co_sell",
    "dedupe",
    "default_model",
    "link",
    "load_ecosystem",
    "new_accounts",
    "normalise",
    "overlap_matrix",
    "read_accounts",
    "resolve_companies",
    "scorecard",
]
