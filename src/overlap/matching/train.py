"""Training the match model from labelled records and from feedback on matches.

Labels come in two shapes: an entity per record (ground truth: same entity, same
company), or decisions on pairs (a user confirmed or rejected a match). Both become
labelled candidate pairs: features from ``compare``, label 1 or 0.
"""

from __future__ import annotations

from itertools import product
from pathlib import Path

import numpy as np
import polars as pl

from overlap import schema
from overlap.ingest import read_accounts
from overlap.matching.block import LEFT_ROW, RIGHT_ROW
from overlap.matching.compare import FEATURES, features
from overlap.matching.config import MatchConfig
from overlap.matching.feedback import DECISION, decided_rows, pair_feedback
from overlap.matching.model import MatchModel
from overlap.matching.name_words import with_rivalry, written_alike
from overlap.matching.pipeline import Progress, compared, link_lists, pooled, prepare
from overlap.matching.spelling import USUAL, token_frequencies

LABEL = "label"


def labelled_pairs(
    accounts: pl.DataFrame,
    entities: pl.Series,
    *,
    config: MatchConfig | None = None,
    progress: Progress | None = None,
    lists: pl.Series | None = None,
) -> pl.DataFrame:
    """Features of every candidate pair of ``accounts``, labelled by ``entities``.

    ``entities`` holds the true company of each record (null: unknown, the record's
    pairs are left out). ``lists`` names the list of each record, as ``link`` pools
    two lists. Returns ``i``, ``j``, every feature and ``label``.
    """
    config = config or MatchConfig()
    records = prepare(accounts, config=config, lists=lists)
    truth = entities.cast(pl.String)
    parts = []
    for feature_frame in compared(records, config=config, progress=progress, lists=lists):
        left, right = truth.gather(feature_frame[LEFT_ROW]), truth.gather(feature_frame[RIGHT_ROW])
        parts.append(
            feature_frame.with_columns(pl.Series(LABEL, left == right).cast(pl.Int8)).filter(
                left.is_not_null() & right.is_not_null()
            )
        )
    return pl.concat(parts)


def feedback_pairs(
    vendor: pl.DataFrame,
    partner: pl.DataFrame,
    feedback: pl.DataFrame,
    *,
    config: MatchConfig | None = None,
) -> pl.DataFrame:
    """Features of the pairs a user decided on (``feedback.FEEDBACK_SCHEMA``), 1 if confirmed.

    The pairs are found as ``pipeline.link`` finds them to obey the feedback. Decided
    pairs that blocking did not propose are compared too: a confirmed match the blocker
    missed is the most useful lesson.
    """
    config = config or MatchConfig()
    accounts, keys = pooled(link_lists(vendor, partner))
    records = prepare(accounts, config=config, lists=keys[schema.LIST_OWNER])
    pairs = decided_rows(keys, pair_feedback(feedback))
    idf = token_frequencies(records[USUAL])
    feature_frame = with_rivalry(
        features(records, pairs.select(LEFT_ROW, RIGHT_ROW), idf), alike=written_alike(records)
    )
    labels = (pairs[DECISION] == schema.Decision.CONFIRM).cast(pl.Int8).alias(LABEL)
    return feature_frame.with_columns(labels)


def real_pairs(folder: Path, name: str) -> pl.DataFrame:
    """Labelled candidate pairs of a real pair of lists, as ``link`` compares them.

    ``folder`` holds ``{name}_vendor.csv``, ``{name}_partner.csv`` and ``{name}_truth.csv``
    (``vendor_id``, ``partner_id``), as ``bench/real_lists.py`` writes them. Only pairs of
    a vendor and a partner record are kept: the truth says nothing of two records of one
    list (one company listed twice is not marked).
    """
    vendor, partner = (
        read_accounts(folder / f"{name}_{side}.csv").accounts for side in ("vendor", "partner")
    )
    truth = pl.read_csv(folder / f"{name}_truth.csv", infer_schema=False)
    same_as = dict(zip(truth["partner_id"], truth["vendor_id"], strict=True))
    entities = pl.Series(
        [*vendor[schema.ID], *(same_as.get(pid, f"partner {pid}") for pid in partner[schema.ID])]
    )
    accounts, keys = pooled(link_lists(vendor, partner))
    lists = keys[schema.LIST_OWNER]
    pairs = labelled_pairs(accounts, entities, lists=lists)
    across = lists.gather(pairs[LEFT_ROW]) != lists.gather(pairs[RIGHT_ROW])
    return pairs.filter(across)


REAL_SHARE = 0.3
"""The share of the default model's training weight its real pairs carry; every generated
pair shares the rest. The generated lists carry what the real ones lack (websites, phones,
addresses, countries, duplicates within a list); the real ones carry how people write
company names. Picked with ``C`` by leaving one real list out (``bench/model_cv.py``): 0.3
and 0.6 gave the same figures there (mean F1 0.971 and 0.969), and the smaller keeps what
the generated lists teach of websites, places and sites."""

C = 0.3
"""The default model's inverse regularisation strength (``REAL_SHARE`` says how it was picked)."""

WEIGHT = "weight"


def training_set(
    real: list[pl.DataFrame], generated: pl.DataFrame, *, real_share: float
) -> pl.DataFrame:
    """Real and generated labelled pairs, with a ``weight`` column: the real pairs carry
    ``real_share`` of the total weight, the generated ones the rest."""
    pairs = pl.concat(real)
    weights = real_share / len(pairs), (1.0 - real_share) / len(generated)
    scale = (len(pairs) + len(generated)) / 2  # a mean weight of about 1: C keeps its meaning
    return pl.concat(
        [
            pairs.with_columns(pl.lit(weights[0] * scale).alias(WEIGHT)),
            generated.select(pairs.columns).with_columns(pl.lit(weights[1] * scale).alias(WEIGHT)),
        ]
    )


def fit(labelled: pl.DataFrame, *, C: float = 1.0) -> MatchModel:
    """A match model fitted on labelled pairs (``labelled_pairs`` / ``feedback_pairs``), each
    weighing its ``weight`` where the frame has one (``training_set``)."""
    weight = labelled[WEIGHT] if WEIGHT in labelled.columns else None
    return MatchModel(C=C, features=FEATURES).fit(labelled, labelled[LABEL], sample_weight=weight)


EVIDENCE_MASKS: tuple[tuple[str, ...], ...] = (
    (),
    tuple(c for c in schema.ACCOUNT_FIELDS if c not in (schema.ID, schema.NAME)),
    (schema.WEBSITE, schema.EMAIL, schema.REGISTRY_ID),
    (schema.PHONE, schema.ADDRESS, schema.POSTAL_CODE, schema.REGISTRY_ID),
    tuple(
        c
        for c in schema.ACCOUNT_FIELDS
        if c not in (schema.ID, schema.NAME, schema.WEBSITE, schema.EMAIL)
    ),
    (schema.COUNTRY, schema.CITY, schema.STATE, schema.REGISTRY_ID),
)
"""Fields blanked in each generated training set: lists carry very different evidence
(names only, names and places, no identifiers, names and websites only, street addresses
without city or country), and the model must not learn that a true match always comes
with a domain or a phone, nor that a shared domain or address always comes with a
country. A model trained without the last read Chicago's raw list (addresses, no city)
with cluster recall 0.75 instead of 0.88."""


SITES = 0.03
"""Share of a generated partner list that is another site of a vendor account, in the
lists that carry street addresses: lists name branches, campuses and offices of one
organisation as accounts of their own, and the model must learn that a shared switchboard
or website with another site name and another street address is not a match. Without
addresses nothing tells a site from an office a partner keeps an account for, and the
same share of those lists is instead the vendor's companies named after one of their
offices ("Acme Corp - Boston" at acme.com): matches, as account lists mean them."""


ACRONYMS = 0.02
"""Share of a generated partner list that is a vendor company named by its initials
("International Business Machines" -> "IBM"), in the lists that carry websites: partners
write large accounts as everyone calls them, and the model must learn that an acronym at
the company's own website is a match. Not in the lists without websites: there the
lesson was that unlike names at one street address match (a generated 100,000-row list
pair: 194 false pairs against 180)."""


NAMELESS = 0.05
"""Share of a generated partner list's records with a website or e-mail whose name is
blanked: some lists are domains only, and the model must learn that no name is unknown,
not unlike."""


def _nameless(partner: pl.DataFrame, masked: tuple[str, ...], *, seed: int) -> pl.DataFrame:
    """``partner`` with the names blanked of a ``NAMELESS`` share of the records that keep
    a website or e-mail once ``masked`` is blanked."""
    kept = [pl.col(c).is_not_null() for c in (schema.WEBSITE, schema.EMAIL) if c not in masked]
    if not kept:
        return partner
    drawn = pl.Series(np.random.default_rng(seed).random(partner.height) < NAMELESS)
    return partner.with_columns(
        pl.when(pl.any_horizontal(kept) & pl.lit(drawn))
        .then(None)
        .otherwise(schema.NAME)
        .alias(schema.NAME)
    )


def generated_pairs(
    *,
    n: int = 10_000,
    worlds: int = 4,
    seed: int = 11,
    config: MatchConfig | None = None,
    progress: Progress | None = None,
) -> pl.DataFrame:
    """Labelled candidate pairs of generated vendor and partner lists (``samples``).

    One pair of lists of ``n`` accounts per entry of ``EVIDENCE_MASKS``, each with its
    fields blanked, in each of ``worlds`` generated worlds: what one world happens to
    hold of a rare situation should not decide how the model weighs it. Both lists are
    matched as one pool, as ``pipeline.link`` does, so the pairs include look-alike
    companies inside one list as well as across the two. ``progress`` is told of each
    pair of lists labelled.
    """
    from overlap.samples import generate_linkage_pair

    parts = []
    lists = list(product(range(worlds), enumerate(EVIDENCE_MASKS)))
    for done, (world, (offset, masked)) in enumerate(lists):
        if progress is not None:
            progress("labelling generated lists", done, len(lists))
        # sites where addresses tell them apart, offices where nothing does
        sites, offices = (0.0, SITES) if schema.ADDRESS in masked else (SITES, 0.0)
        list_seed = seed + world * len(EVIDENCE_MASKS) + offset
        vendor, partner, truth = generate_linkage_pair(
            n,
            overlap=0.3,
            sites=sites,
            offices=offices,
            acronyms=0.0 if schema.WEBSITE in masked else ACRONYMS,
            seed=list_seed,
        )
        same_as = dict(zip(truth["partner_id"], truth["vendor_id"], strict=True))
        entities = pl.Series(
            [*vendor[schema.ID], *(same_as.get(pid, pid) for pid in partner[schema.ID])]
        )
        accounts = pl.concat([vendor, _nameless(partner, masked, seed=list_seed)])
        if schema.COUNTRY in masked:
            # Without countries, lists of one country: in a list of many countries,
            # "Capital Systems" (US) and "Capital Systems" (FI) cannot be told apart, and
            # learning from them would teach that equal names say nothing.
            home = accounts[schema.COUNTRY].mode().sort()[0]
            keep = accounts[schema.COUNTRY] == home
            accounts, entities = accounts.filter(keep), entities.filter(keep)
        accounts = accounts.with_columns(
            pl.lit(None, dtype=schema.ACCOUNT_SCHEMA[c]).alias(c) for c in masked
        )
        parts.append(labelled_pairs(accounts, entities, config=config))
    if progress is not None:
        progress("labelling generated lists", len(lists), len(lists))
    return pl.concat(parts)


REAL_LISTS = ("us_sp500_sec_dev", "india_nse_bse_dev", "europe_lse_xetra_dev")
"""The real pairs of lists the default model learns from: the development splits of the
real benchmark (``bench/real_lists.py``), never their test splits."""


def main(argv: list[str] | None = None) -> None:
    """Retrain the shipped default model (`python -m overlap.matching.train FOLDER...`).

    The model learns from the labelled candidate pairs of ``REAL_LISTS`` (each looked for
    in the folders given: ``bench/real`` and ``bench/out/real``), with the
    generated pairs (``generated_pairs``), real pairs carrying ``REAL_SHARE`` of the weight.
    """
    import sys
    from importlib import resources

    folders = [Path(arg) for arg in (sys.argv[1:] if argv is None else argv)]
    real = []
    for name in REAL_LISTS:
        found = [f for f in folders if (f / f"{name}_truth.csv").exists()]
        if not found:
            raise SystemExit(f"no {name}_truth.csv in {folders}: run bench/real_lists.py")
        real.append(real_pairs(found[0], name))
    model = fit(training_set(real, generated_pairs(worlds=1), real_share=REAL_SHARE), C=C)
    path = Path(str(resources.files("overlap.matching").joinpath("default_model.json")))
    model.save(path)
    print(f"default model trained on {model.n_pairs_} pairs, written to {path}")


if __name__ == "__main__":
    main()
