"""The matching stages in order: normalise, block, compare, score, resolve.

Each stage is a function over polars frames. The two expensive ones, candidate
generation and comparison, work on independent parts (blocking keys, chunks of
pairs), so a distributed engine can run them partition by partition.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import polars as pl

from overlap import schema
from overlap.matching.block import LEFT_ROW, RIGHT_ROW, candidate_pairs, promising
from overlap.matching.compare import features, record_columns
from overlap.matching.config import MatchConfig
from overlap.matching.feedback import (
    LINK_PARTNER,
    LINK_VENDOR,
    apply_feedback,
    decided_rows,
    pair_feedback,
)
from overlap.matching.identifiers import without_shared_identifiers
from overlap.matching.model import (
    MatchModel,
    adapted,
    default_model,
    reweighed,
    with_family_words,
    with_identifiers,
)
from overlap.matching.name_words import (
    contested,
    generic_at_large,
    generic_words,
    name_weights,
    unrivalled,
    with_rivalry,
    written_alike,
)
from overlap.matching.resolve import (
    cluster_labels,
    cross_pairs,
    membership_reasons,
    membership_scores,
)
from overlap.matching.results import (
    UNSURE_SCORES,
    DedupeResult,
    LinkResult,
    Scored,
    explained,
)
from overlap.matching.review import ALONE, RELATION, WHY, held, queue, rivalled, with_records
from overlap.matching.spelling import (
    TOKENS,
    USUAL,
    in_latin_spelling,
    in_usual_breaks,
    in_usual_spelling,
    name_tokens,
    token_frequencies,
)
from overlap.normalise import normalise

Progress = Callable[[str, int, int], None]
"""Called as ``progress(stage, done, total)`` as each stage of ``STAGES`` starts and ends,
and between the chunks of the long ones (compare, score)."""

STAGES = ("normalise", "block", "compare", "score", "resolve")
"""The stages of a match, in order, as ``Progress`` names them."""


def _report(progress: Progress | None, stage: str, done: int = 0, total: int = 1) -> None:
    if progress is not None:
        progress(stage, done, total)


def prepare(
    accounts: pl.DataFrame, *, config: MatchConfig | None = None, lists: pl.Series | None = None
) -> pl.DataFrame:
    """Normalised records with their core-name tokens, as written and in usual spelling
    (``lists``, the list of each record when several are pooled: a word two lists write
    alike is no typo, ``spelling.in_usual_spelling``).

    The usual spelling of a token depends on every record, and so does whether a
    domain, phone, registry id or address identifies a company
    (``identifiers.without_shared_identifiers``): prepare the records matched together as
    one frame.
    """
    config = config or MatchConfig()
    records = without_shared_identifiers(
        normalise(accounts), config.max_sharing_names, max_tenants=config.max_block_size
    ).with_columns(name_tokens(pl.col(schema.NAME_CORE)).alias(TOKENS))
    tokens = in_latin_spelling(records[TOKENS], records[schema.NAME])
    records = records.with_columns(in_usual_breaks(tokens, config.typo_min_length))
    return records.with_columns(
        in_usual_spelling(
            records[TOKENS],
            config.typo_min_length,
            ratio=config.typo_ratio,
            lists=lists,
            generic=generic_at_large(),
        )
    ).with_columns(record_columns())


Compare = Callable[
    [pl.DataFrame, pl.DataFrame, pl.DataFrame, np.ndarray, MatchConfig, Progress | None],
    pl.DataFrame,
]
"""``(records, pairs, idf, weights, config, progress)`` -> the feature frame of ``pairs``
(``compare.features``), row for row: how an engine runs the comparison (``in_chunks`` here,
partition by partition on Spark)."""


def in_chunks(
    records: pl.DataFrame,
    pairs: pl.DataFrame,
    idf: pl.DataFrame,
    weights: np.ndarray,
    config: MatchConfig,
    progress: Progress | None,
) -> pl.DataFrame:
    """``compare.features`` of ``pairs``, ``config.chunk_size`` pairs at a time, as two
    half chunks side by side: polars and rapidfuzz let go of the GIL, so the two keep both
    cores busy between their parallel steps."""
    total = len(pairs)
    half = max(config.chunk_size // 2, 1)
    starts = range(0, max(total, 1), half)

    def compared_from(start: int) -> pl.DataFrame:
        return features(records, pairs.slice(start, half), idf, weights=weights)

    parts = []
    with ThreadPoolExecutor(max_workers=2) as pool:
        for start, part in zip(starts, pool.map(compared_from, starts), strict=True):
            parts.append(part)
            if progress is not None:
                progress("compare", min(start + half, total), total)
    return pl.concat(parts)


def compared(
    records: pl.DataFrame,
    *,
    config: MatchConfig,
    progress: Progress | None = None,
    lists: pl.Series | None = None,
    compare: Compare | None = None,
) -> Iterator[pl.DataFrame]:
    """Candidate pairs of ``records``, chunk by chunk: their feature frames (``i``, ``j``, ...).

    ``lists`` names the list of each record when records of several lists are pooled
    (see ``block.candidate_pairs``); ``compare`` runs the comparison (``in_chunks`` unless
    given).
    """
    _report(progress, "block")
    idf = token_frequencies(records[USUAL])
    pairs = promising(records, candidate_pairs(records, idf, config, lists=lists), config)
    _report(progress, "block", 1)
    total = len(pairs)
    weights = name_weights(records, idf)
    found = (compare or in_chunks)(records, pairs, idf, weights, config, progress)
    # a pair's competition is read among all of its records' candidates, not one chunk's
    compared_pairs = with_rivalry(found, lists, written_alike(records))
    for start in range(0, max(total, 1), config.chunk_size):
        yield compared_pairs.slice(start, config.chunk_size)


def score(
    records: pl.DataFrame,
    *,
    config: MatchConfig,
    model: MatchModel,
    progress: Progress | None = None,
    lists: pl.Series | None = None,
    compare: Compare | None = None,
) -> Scored:
    """Block, compare and score: every candidate pair with its probability.

    The model's probabilities are adapted to the share of matches among these
    candidates (``model.adapted``). Pairs at or above the threshold get the reason
    they match; the reason of the others, never shown, is left null. ``compare`` runs the
    comparison (``in_chunks`` unless given).
    """
    parts = list(compared(records, config=config, progress=progress, lists=lists, compare=compare))
    probabilities = []
    for done, part in enumerate(parts, start=1):
        probabilities.append(model.predict_proba(part))
        _report(progress, "score", done, len(parts))
    probability = np.concatenate(probabilities)
    pairs = pl.concat(parts)
    alone = probability.copy()  # as scored were there no rivals: read for review only
    competed = np.flatnonzero(contested(pairs).to_numpy())
    if len(competed):
        alone[competed] = model.predict_proba(unrivalled(pairs[competed]))
    if model.prior_ is not None:
        probability, share = adapted(
            probability, model.prior_, weight=config.prior_pairs, band=config.prior_band
        )
        alone = reweighed(alone, model.prior_, share, band=config.prior_band)
    pairs = pairs.with_columns(
        pl.Series(schema.SCORE, _finished(pairs, probability), dtype=pl.Float64),
        pl.Series(ALONE, _finished(pairs, alone), dtype=pl.Float64),
    )
    generic = generic_words(records[USUAL])
    reasons = _reasons(records, pairs, config, generic)
    return Scored(records=records, pairs=pairs.with_columns(reasons), generic=generic)


def _finished(pairs: pl.DataFrame, probability: np.ndarray) -> np.ndarray:
    """The model's probabilities with what the features decide on their own: a family word
    caps them (``with_family_words``), registry ids settle them (``with_identifiers``)."""
    return with_identifiers(pairs, with_family_words(pairs, probability))


def _reasons(
    records: pl.DataFrame, pairs: pl.DataFrame, config: MatchConfig, generic: list[str]
) -> pl.Series:
    """The reason of each scored pair at or above the threshold, null for the others."""
    matched = pl.col(schema.SCORE) >= config.threshold
    where = pairs.select(pl.arg_where(matched)).to_series()
    return (
        pl.repeat(None, len(pairs), dtype=pl.String, eager=True)
        .alias(schema.REASON)
        .scatter(where, explained(records, pairs.filter(matched), generic))
    )


def link_lists(vendor: pl.DataFrame, partner: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """``link``'s two lists by the owners that ``pair_feedback`` names."""
    return {LINK_VENDOR: vendor, LINK_PARTNER: partner}


def pooled(lists: Mapping[str, pl.DataFrame]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The records of ``lists`` (owner -> account frame) as one frame, and their keys.

    The keys (``schema.LIST_OWNER``, ``schema.ID`` of each record) are a frame of their
    own, so that the list's owner cannot overwrite a column of the accounts
    (``schema.OWNER``, the sales owner, shares its name).
    """
    accounts = pl.concat(list(lists.values()), how="vertical_relaxed")
    owners = pl.concat(
        pl.repeat(owner, len(frame), dtype=pl.String, eager=True) for owner, frame in lists.items()
    ).alias(schema.LIST_OWNER)
    return accounts, pl.DataFrame([owners, accounts[schema.ID]])


def scored_pool(
    lists: Mapping[str, pl.DataFrame],
    *,
    config: MatchConfig,
    model: MatchModel,
    progress: Progress | None = None,
    feedback: pl.DataFrame | None = None,
    compare: Compare | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame, Scored, np.ndarray]:
    """All lists as one pool of records: (``pooled`` accounts and keys, scored, labels).

    What ``link``, ``dedupe`` and ``resolve_companies`` work from: every record and
    candidate pair with its features and score (``Scored``), and each record's cluster.

    ``feedback`` (``feedback.PAIR_FEEDBACK_SCHEMA``) overrides the model's score of the pairs it
    decides, before the records are clustered; ``compare`` runs the comparison (see ``score``).
    """
    accounts, keys = pooled(lists)
    owners = keys[schema.LIST_OWNER] if len(lists) > 1 else None
    _report(progress, "normalise")
    records = prepare(accounts, config=config, lists=owners)
    _report(progress, "normalise", 1)
    scored = score(
        records,
        config=config,
        model=model,
        progress=progress,
        lists=owners,
        compare=compare,
    )
    decided = None if feedback is None else decided_rows(keys, feedback)
    if decided is not None and len(decided):
        scored = dataclasses.replace(scored, pairs=apply_feedback(scored.pairs, decided))
    _report(progress, "resolve")
    kept_out = held(scored.records, scored.pairs, owners, config, decided=decided)
    pairs = scored.pairs.join(kept_out, on=[LEFT_ROW, RIGHT_ROW], how="left", maintain_order="left")
    scored = dataclasses.replace(scored, pairs=pairs)
    labels = cluster_labels(len(accounts), _clustered_pairs(scored), config)
    if owners is not None:
        # asked about, not held: a rival's low score is no evidence against the pair either
        asked = rivalled(scored.records, scored.pairs, owners, config, decided=decided).join(
            kept_out, on=[LEFT_ROW, RIGHT_ROW], how="anti"
        )
        same = pl.lit(schema.Relation.SAME).alias(RELATION)
        scored = dataclasses.replace(
            scored, pairs=scored.pairs.update(asked.with_columns(same), on=[LEFT_ROW, RIGHT_ROW])
        )
    return accounts, keys, scored, labels


def _clustered_pairs(scored: Scored) -> pl.DataFrame:
    """The scored pairs the clustering weighs: all but those held for review (``review.held``:
    ambiguous and family pairs) and those of two subsidiaries of one group named for
    different countries ("Acme Deutschland GmbH", "Acme France SAS"). Two accounts, they are
    no link of their own, and no evidence against the group both join through their parent
    ("Acme Inc"), as unlike pairs inside a cluster otherwise are."""
    named = scored.records[schema.NAME_COUNTRY]
    pairs = scored.pairs
    left, right = named.gather(pairs[LEFT_ROW]), named.gather(pairs[RIGHT_ROW])
    sisters = (left != right).fill_null(False) & (pairs["core_equal"] > 0)
    weighed = pairs.select(LEFT_ROW, RIGHT_ROW, schema.SCORE)
    return weighed.filter(~sisters & pairs[WHY].is_null())


def resolve_companies(
    lists: Mapping[str, pl.DataFrame],
    *,
    config: MatchConfig | None = None,
    model: MatchModel | None = None,
    feedback: pl.DataFrame | None = None,
    progress: Progress | None = None,
) -> pl.DataFrame:
    """The real company behind every record of several lists, matched as one pool.

    ``lists`` maps an owner ("vendor", a partner id) to its account frame. Returns
    ``owner``, ``id``, ``company_id``, ``score`` (``resolve.membership_scores``) and
    ``reason`` (``resolve.membership_reasons``): records with the same ``company_id`` are
    the same company, within a list or across lists. ``company_id`` is ``owner:id`` of
    the company's first record.
    ``feedback`` (``feedback.PAIR_FEEDBACK_SCHEMA``) overrides the model for the pairs it
    decides: a confirmed pair scores 1 and a rejected one 0 when records are clustered.
    """
    config = config or MatchConfig()
    pool = scored_pool(
        lists, config=config, model=model or default_model(), progress=progress, feedback=feedback
    )
    companies = _companies(*pool[1:])
    _report(progress, "resolve", 1)
    return companies


def resolve_with_review(
    lists: Mapping[str, pl.DataFrame],
    *,
    config: MatchConfig | None = None,
    model: MatchModel | None = None,
    feedback: pl.DataFrame | None = None,
    progress: Progress | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """``resolve_companies``' companies, and the review queue of pairs of records of two
    lists (``review.queue``): ``owner_l``, ``id_l``, ``owner_r``, ``id_r``, ``score``,
    ``relation``, ``why`` and ``reason``."""
    config = config or MatchConfig()
    _, keys, scored, labels = scored_pool(
        lists, config=config, model=model or default_model(), progress=progress, feedback=feedback
    )
    found = scored.explain(queue(scored.pairs, labels, keys[schema.LIST_OWNER], config))
    companies = _companies(keys, scored, labels)
    _report(progress, "resolve", 1)
    return companies, with_records(keys, found)


def _companies(keys: pl.DataFrame, scored: Scored, labels: np.ndarray) -> pl.DataFrame:
    """``keys`` with each record's ``company_id``, ``score`` and ``reason``."""
    names = keys.select(pl.concat_str(schema.LIST_OWNER, pl.lit(":"), schema.ID)).to_series()
    company, sureness = _named_clusters(names, scored, labels)
    return keys.with_columns(
        company.alias(schema.COMPANY_ID),
        sureness.alias(schema.SCORE),
        membership_reasons(len(keys), scored.pairs, labels).alias(schema.REASON),
    )


def _named_clusters(
    names: pl.Series, scored: Scored, labels: np.ndarray
) -> tuple[pl.Series, pl.Series]:
    """Each record's cluster, named after its first record, and how sure its membership is."""
    n = len(names)
    first = np.full(n, n)
    np.minimum.at(first, labels, np.arange(n))
    sureness = pl.Series(membership_scores(n, scored.pairs, labels)).round(4)
    return names.gather(first[labels]), sureness


def link(
    vendor: pl.DataFrame,
    partner: pl.DataFrame,
    *,
    config: MatchConfig | None = None,
    model: MatchModel | None = None,
    feedback: pl.DataFrame | None = None,
    progress: Progress | None = None,
    compare: Compare | None = None,
) -> LinkResult:
    """Match a vendor account list with a partner account list.

    Duplicates inside either list (records sharing a domain, registry id, phone,
    address or name) are resolved first, so a company listed twice on one side yields
    a pair for each of its rows and both sides count it once.
    ``feedback`` (``feedback.FEEDBACK_SCHEMA``) overrides the model for the pairs it names, as
    in ``resolve_companies``. ``compare`` runs the comparison of the candidate pairs
    (``in_chunks`` in this process unless given; ``overlap.matching.spark`` gives Spark's).
    """
    config = config or MatchConfig()
    model = model or default_model()
    accounts, _, scored, labels = scored_pool(
        link_lists(vendor, partner),
        config=config,
        model=model,
        progress=progress,
        feedback=None if feedback is None else pair_feedback(feedback),
        compare=compare,
    )
    sides = np.repeat(np.array([0, 1], dtype=np.int8), [len(vendor), len(partner)])
    direct = scored.pairs.select(LEFT_ROW, RIGHT_ROW, schema.SCORE, schema.REASON)
    # A pair whose own score is below the threshold is matched through others of its
    # cluster: it is reported with the link that made the match.
    strong = direct.filter(pl.col(schema.SCORE) >= config.threshold)
    matches = cross_pairs(labels, sides).join(strong, on=[LEFT_ROW, RIGHT_ROW], how="left")
    matches = _fill_indirect(matches, direct, labels)
    ids = accounts[schema.ID]

    def named(pairs: pl.DataFrame) -> pl.DataFrame:
        return pairs.select(
            ids.gather(pairs[LEFT_ROW]).alias(schema.VENDOR_ID),
            ids.gather(pairs[RIGHT_ROW]).alias(schema.PARTNER_ID),
            pl.col(schema.SCORE).round(4),
            pl.col(schema.REASON),
        )

    unsure = scored.pairs.filter(
        (pl.col(LEFT_ROW) < len(vendor))
        & (pl.col(RIGHT_ROW) >= len(vendor))
        & pl.col(schema.SCORE).is_between(*UNSURE_SCORES)
    ).sort(schema.SCORE, LEFT_ROW, RIGHT_ROW)
    review = scored.explain(queue(scored.pairs, labels, pl.Series(sides), config))
    return LinkResult(
        matches=named(matches),
        unsure=named(scored.explain(unsure)),
        candidates=len(scored.pairs),
        review=named(review).insert_column(3, review[RELATION]).insert_column(4, review[WHY]),
    )


def _fill_indirect(matches: pl.DataFrame, direct: pl.DataFrame, labels: np.ndarray) -> pl.DataFrame:
    """Score and reason of matches made through other records: the cluster's best direct link."""
    if matches[schema.SCORE].null_count() == 0:
        return matches
    left_label = labels[direct[LEFT_ROW].to_numpy()]
    direct_in_cluster = (
        direct.with_columns(label=pl.Series(left_label))
        .filter(pl.Series(left_label == labels[direct[RIGHT_ROW].to_numpy()]))
        .sort(schema.SCORE, descending=True)
        .group_by("label", maintain_order=True)
        .first()
        .select(
            "label",
            pl.col(schema.SCORE).alias("via_score"),
            pl.col(schema.REASON).alias("via_reason"),
        )
    )
    return (
        matches.with_columns(label=pl.Series(labels[matches[LEFT_ROW].to_numpy()]))
        .join(direct_in_cluster, on="label", how="left")
        .with_columns(
            pl.coalesce(schema.SCORE, "via_score").alias(schema.SCORE),
            pl.coalesce(
                schema.REASON, pl.lit("same company through other records: ") + pl.col("via_reason")
            ).alias(schema.REASON),
        )
        .drop("label", "via_score", "via_reason")
    )


def dedupe(
    accounts: pl.DataFrame,
    *,
    config: MatchConfig | None = None,
    model: MatchModel | None = None,
    progress: Progress | None = None,
) -> DedupeResult:
    """Cluster the records of one list: same ``cluster_id``, same company.

    ``cluster_id`` is the id of the cluster's first record in file order; ``score``
    says how sure the record's membership is (see ``resolve.membership_scores``).
    """
    config = config or MatchConfig()
    model = model or default_model()
    _, _, scored, labels = scored_pool(
        {"list": accounts}, config=config, model=model, progress=progress
    )
    cluster, sureness = _named_clusters(accounts[schema.ID], scored, labels)
    clusters = pl.DataFrame(
        [accounts[schema.ID], cluster.alias(schema.CLUSTER_ID), sureness.alias(schema.SCORE)]
    )
    return DedupeResult(clusters=clusters, candidates=len(scored.pairs))
