"""MatchConfig: every knob of blocking, scoring and resolution, typed and explicit."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from overlap.errors import ConfigError


@dataclass(frozen=True, kw_only=True)
class MatchConfig:
    """How accounts are matched. Defaults are the product's defaults: change them on purpose.

    threshold: match probability at or above which two records are the same company.
    review_threshold: a pair of two lists scoring at or above this, yet not matched, goes
        to the review queue as unsure (``review.queue``).
    ambiguity_odds: a record whose best candidate in another list has odds (score / (1 -
        score)) at most this many times those of another candidate, both at or above
        ``review_threshold`` and scored apart against each other, is ambiguous: neither
        pair is matched, both go to the review queue (``review.ambiguous``). A best
        candidate with more than this many times every other's odds is clearly the best.
    min_name_similarity: candidate pairs whose core names are less alike than this
        (rapidfuzz token-set ratio, 0-1) are compared in full only if they share a
        domain, registry id, phone or address.
    min_cluster_link: two clusters merge only if the pairs compared between them have
        at least this average probability (a guard against chaining), or if
        ``min_cluster_support`` of those pairs are links by themselves.
    min_cluster_support: how many pairs at or above the threshold between two clusters
        merge them whatever their average: more than one bad link is not chaining. On
        generated lists of a million records, clusters joined by two links are mostly
        look-alike companies, never by three.
    max_conflict: two clusters joined by fewer than ``min_cluster_support`` links never
        merge when a pair between them scores below this, whatever their average: a clear
        non-match is no company's two records.
    max_block_size: a block of at most this many records pairs them all; a name token
        held by more names than this is too common to block on, and an address whose
        records' names start with more distinct words identifies none of them.
    max_sharing_names: a domain, phone or registry id whose records' names start with
        more than this many distinct words identifies none of them (a reseller's
        e-mail domain on every account of its list).
    max_candidates: at most this many candidates per record, the most promising kept.
    max_compared: every candidate with a strong shared key is compared in full; of the
        others, each record keeps those among its this many most promising candidates
        (a strong shared key first, then the most alike names).
    window: in a block too large to pair all with all, each distinct name is paired
        with this many following names in name order.
    rare_tokens: how many of a record's rarest name tokens it is blocked on.
    typo_min_length: name tokens at least this long are blocked on in their usual
        spelling, the most frequent token one edit away.
    typo_ratio: when names are compared, a token is read as a typo of a token one
        edit away that at least this many times as many names hold.
    prior_pairs: how many candidate pairs the model's training share of matches
        counts as when the share among the candidates of these lists is estimated
        (``model.adapted``): the larger, the closer scores stay to the model's.
    prior_band: a share of matches whose odds are within this factor of the training
        share's is taken as the model's own error, and the scores are moved only by
        the factor beyond it: generated lists of 1,000 to 1,000,000 records are all
        within 1.6 of it.
    chunk_size: candidate pairs compared per chunk (bounds memory; the unit of a
        partition).
    """

    threshold: float = 0.5
    review_threshold: float = 0.2
    ambiguity_odds: float = 3.0
    min_name_similarity: float = 0.6
    min_cluster_link: float = 0.3
    min_cluster_support: int = 3
    max_conflict: float = 0.05
    max_block_size: int = 30
    max_sharing_names: int = 5
    max_candidates: int = 30
    window: int = 2
    max_compared: int = 6
    rare_tokens: int = 3
    typo_min_length: int = 5
    typo_ratio: float = 3.0
    prior_pairs: int = 100
    prior_band: float = 2.0
    chunk_size: int = 1_000_000

    def __post_init__(self) -> None:
        for name in (
            "threshold",
            "review_threshold",
            "min_cluster_link",
            "min_name_similarity",
            "max_conflict",
        ):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ConfigError(f"{name} must be between 0 and 1, got {value}")
        for name in (
            "min_cluster_support",
            "max_block_size",
            "max_sharing_names",
            "max_candidates",
            "max_compared",
            "window",
            "rare_tokens",
            "typo_ratio",
            "ambiguity_odds",
            "prior_pairs",
            "prior_band",
            "chunk_size",
        ):
            if getattr(self, name) < 1:
                raise ConfigError(f"{name} must be at least 1, got {getattr(self, name)}")

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> MatchConfig:
        """Build from a dict, rejecting unknown keys by name."""
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ConfigError(f"unknown settings {unknown}; known: {sorted(known)}")
        return cls(**values)

    @classmethod
    def from_json(cls, path: str | Path) -> MatchConfig:
        """Build from a JSON file holding one object."""
        try:
            values = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as error:
            raise ConfigError(f"cannot read settings from {path}: {error}") from error
        if not isinstance(values, dict):
            raise ConfigError(f"{path} must hold a JSON object of settings")
        return cls.from_dict(values)

    def to_dict(self) -> dict[str, Any]:
        """The settings as a plain dict (round-trips through from_dict)."""
        return dataclasses.asdict(self)
