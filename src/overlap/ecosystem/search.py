"""Accounts ranked for a name typed by a person: typos forgiven, legal forms ignored.

``AccountSearch().fit(accounts)`` reduces each name to its core (``normalise.name_core``:
no legal form, punctuation or case, "Apple Inc." -> "apple") and indexes the cores'
words. ``search("Gulf Cost")`` then looks up, for each word of the query's core, the
indexed words one typo from it (a letter dropped, added or changed, or two swapped: an
index of each word with one letter deleted finds them) that rapidfuzz's ratio finds
alike; for the last word, which may be cut short, also the words it starts. It adds up
per name how rare the words it shares are, and scores the best ``CANDIDATES`` names
with WRatio on whole cores (``process.cdist``). A core that starts with the query's is
raised to ``WORD_PREFIX`` ("Gulf Coast" finds "Gulf Coast Computing LLC"). Numpy on the
word postings keeps a query over a million names in tens of milliseconds
(``bench/search.py``).

``suggest("Gulf Co")`` answers as a name is typed: the names whose core starts with the
query's, found by binary search in the cores sorted once by ``fit``, the most popular
first (``popularity``: the lists that hold the company), then, when they are too few,
``search``'s best. A prefix held by a million names ("company") reads a few thousand
of them, never all.
"""

from __future__ import annotations

import bisect
from collections.abc import Collection
from functools import lru_cache

import numpy as np
import polars as pl
from rapidfuzz import fuzz, process

from overlap import schema
from overlap.normalise import name_core

SCORE = "score"
MIN_SCORE = 70.0
"""Least score (0-100) of a suggestion."""
WORD_SIMILARITY = 75.0
"""Least rapidfuzz ratio between a query word and a name's word for the name to be a
candidate: one typo in a four-letter word ("aple", "apple") is 89."""
WORD_PREFIX = 95.0
"""Score of a name whose core starts with the query's core at a word boundary."""
PREFIX = 90.0
"""Score of a name whose core starts with the query's core within a word ("gulf co")."""
SHORTER = 0.9
"""Factor on the score of a name shorter than the query: it misses part of the query."""
CANDIDATES = 1000
"""Names re-scored on their whole core: those that share the rarest words with the query."""
COMMON = 0.05
"""Share of the names a word is in that makes it common ("company", "systems")."""
CLEAR = 85.0
"""Least score of a suggestion that ``first_is_clear`` takes for the query."""
MARGIN = 5.0
"""Lead over the next company's best suggestion that makes a suggestion the clear choice."""
RANGE = 50_000
"""Most names sharing a prefix that ``suggest`` ranks by popularity one by one; beyond,
it walks the most popular names of all until enough start with the prefix."""
STEP = 4096
"""Names read at a time in that walk."""
LAST = "\U0010ffff"
"""A character after every other: the words a prefix starts lie before prefix + LAST."""


def _core(names: pl.Expr) -> pl.Expr:
    """The searched text of a name: its core, else (a placeholder's) the name in lower case."""
    return pl.coalesce(name_core(names), names.str.to_lowercase().str.strip_chars()).fill_null("")


@lru_cache(maxsize=1024)  # a page of results asks again: the core costs milliseconds
def query_core(query: str) -> str:
    """The core of a query as names are indexed: "Apple, Inc." -> "apple"."""
    return str(pl.select(_core(pl.lit(query, pl.String))).item())


class AccountSearch:
    """Accounts ranked for a query: ``AccountSearch().fit(accounts).search("Aple")``."""

    def fit(self, accounts: pl.DataFrame) -> AccountSearch:
        """Index the cores of ``accounts``' names (any frame with ``name``); returns self."""
        self.accounts_ = accounts
        # Cores stay in a polars Series: a million-item Python list would make every full
        # garbage collection walk it.
        self.cores_ = accounts.select(_core(pl.col(schema.NAME).cast(pl.String))).to_series()
        words = (
            pl.DataFrame({"word": self.cores_.str.split(" ")})
            .with_row_index("row")
            .explode("word")
            .filter(pl.col("word") != "")
            .unique()
        )
        vocabulary = words.get_column("word").unique().sort()
        self.vocabulary_ = vocabulary.to_list()
        self.variant_hashes_, self.variant_codes_ = _deletion_index(vocabulary)
        postings = words.join(
            vocabulary.to_frame().with_row_index("code"), on="word", how="inner"
        ).sort("code", "row")
        self.postings_ = postings.get_column("row").to_numpy()
        self.indptr_ = np.searchsorted(
            postings.get_column("code").to_numpy(), np.arange(len(self.vocabulary_) + 1)
        )
        # how rare a word is: "gulf" tells more than "systems"
        frequency = np.diff(self.indptr_)
        self.rarity_ = np.log1p(len(accounts) / np.maximum(frequency, 1))
        if schema.LIST_OWNER in accounts.columns:
            owners = accounts.get_column(schema.LIST_OWNER).cast(pl.String).fill_null("")
            self.owners_ = owners.unique().sort().to_list()
            self.owner_codes_ = owners.replace_strict(
                self.owners_, range(len(self.owners_)), return_dtype=pl.Int32
            ).to_numpy()
        self._fit_prefixes(accounts)
        return self

    def _fit_prefixes(self, accounts: pl.DataFrame) -> None:
        """The cores in sorted order (``sorted_cores_``; ``sorted_rows_``: the row of
        each), the popularity of each row, and the sorted positions, most popular first."""
        order = self.cores_.arg_sort()
        self.sorted_rows_ = order.to_numpy()
        self.sorted_cores_ = self.cores_.gather(order)
        self.popularity_ = popularity(accounts)
        # ties in core order, so the walk in ``_completions`` meets them as a slice would
        self.popular_positions_ = np.lexsort(
            (np.arange(len(order)), -self.popularity_[self.sorted_rows_])
        )

    def search(
        self, query: str, *, limit: int | None = 10, owners: Collection[str] | None = None
    ) -> pl.DataFrame:
        """The fitted accounts closest to ``query``, best first, with their ``score`` (0-100).

        ``owners`` keeps the records of these list owners (``owner``) only. Equal scores
        are in name order; a core equal to the query's scores 100.
        """
        text = query_core(query) if query.strip() else ""
        allowed = None if owners is None else self._allowed(owners)
        rows = self._candidates(text, allowed) if text else np.empty(0, np.int64)
        scores = np.round(_scores(text, self.cores_.gather(rows).to_list()), 1)
        kept = scores >= MIN_SCORE
        rows, scores = rows[kept], scores[kept]
        # a thousand rows at most: ordered in Python, as polars' per-call overhead would
        # dwarf them
        names = self.accounts_.get_column(schema.NAME).gather(rows).to_list()
        order = sorted(
            range(len(rows)), key=lambda i: (-scores[i], names[i] is None, names[i] or "")
        )
        order = order if limit is None else order[:limit]
        return self.accounts_[rows[order]].hstack([pl.Series(SCORE, scores[order], pl.Float64)])

    def suggest(
        self, query: str, *, limit: int = 10, owners: Collection[str] | None = None
    ) -> pl.DataFrame:
        """Up to ``limit`` fitted accounts to offer as ``query`` is typed, with their ``score``.

        First the names whose core starts with the query's, most popular first (then in
        core order); when fewer than ``limit`` do, ``search``'s best of the others follow.
        ``owners`` as in ``search``.
        """
        text = query_core(query) if query.strip() else ""
        if not text:
            return self.search("", limit=limit)
        allowed = None if owners is None else self._allowed(owners)
        rows = self._completions(text, limit, allowed)
        scores = np.round(_scores(text, self.cores_.gather(rows).to_list()), 1)
        found = self.accounts_[rows].hstack([pl.Series(SCORE, scores, pl.Float64)])
        if len(rows) == limit:
            return found
        others = self.search(query, limit=limit, owners=owners)
        if len(rows):
            others = others.join(
                found.select(schema.LIST_OWNER, schema.ID),
                on=[schema.LIST_OWNER, schema.ID],
                how="anti",
            )
        return pl.concat([found, others.head(limit - len(rows))])

    def _allowed(self, owners: Collection[str]) -> np.ndarray:
        """Whether each fitted row is one of ``owners``' records."""
        wanted = [code for code, owner in enumerate(self.owners_) if owner in owners]
        allowed: np.ndarray = np.isin(self.owner_codes_, wanted)
        return allowed

    def _completions(self, text: str, limit: int, allowed: np.ndarray | None) -> np.ndarray:
        """Rows (``allowed``) of up to ``limit`` names whose core starts with ``text``, most
        popular first."""
        cores = self.sorted_cores_
        start, end = (int(cores.search_sorted(t, side="left")) for t in (text, text + LAST))
        if end - start <= RANGE:
            rows = self.sorted_rows_[start:end]
            if allowed is not None:
                rows = rows[allowed[rows]]
            # stable: equally popular names stay in core order
            return rows[np.argsort(-self.popularity_[rows], kind="stable")[:limit]]
        found: list[np.ndarray] = []
        taken = 0
        for at in range(0, len(self.popular_positions_), STEP):
            positions = self.popular_positions_[at : at + STEP]
            rows = self.sorted_rows_[positions[(positions >= start) & (positions < end)]]
            if allowed is not None:
                rows = rows[allowed[rows]]
            found.append(rows[: limit - taken])
            taken += len(found[-1])
            if taken == limit:
                break
        return np.concatenate([np.empty(0, np.int64), *found])

    def _candidates(self, text: str, allowed: np.ndarray | None) -> np.ndarray:
        """Rows of the names that share the most (and rarest) words with the query's core.

        A query word spelled like a ``COMMON`` word only adds to the names that the
        query's other words find (unless they find none): the postings of "company", a
        million, are not walked.
        """
        limit = COMMON * len(self.cores_)
        rare: list[tuple[np.ndarray, np.ndarray]] = []
        common: list[tuple[np.ndarray, np.ndarray]] = []
        words = text.split()
        for position, word in enumerate(words):
            codes, alike = self._similar_words(word, last=position == len(words) - 1)
            often = (self.indptr_[codes + 1] - self.indptr_[codes] > limit).any()
            (common if often else rare).append((codes, alike * self.rarity_[codes]))
        rows, weight = self._weights(rare, allowed)
        if len(rows) == 0:
            rows, weight = self._weights(rare + common, allowed)
        else:
            for codes, values in common:
                for code, value in zip(codes, values, strict=True):
                    posted = self.postings_[self.indptr_[code] : self.indptr_[code + 1]]
                    at = np.searchsorted(posted, rows).clip(max=len(posted) - 1)  # by row
                    weight += value * (posted[at] == rows)
        if len(rows) > CANDIDATES:
            rows = rows[np.argpartition(-weight, CANDIDATES)[:CANDIDATES]]
        return rows

    def _weights(
        self, words: list[tuple[np.ndarray, np.ndarray]], allowed: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray]:
        """The rows (``allowed``) whose names hold any of ``words`` (codes, and the value of
        each), and the sum of the values of the words each holds."""
        n = len(self.cores_)
        codes = np.concatenate([np.empty(0, np.int64), *(codes for codes, _ in words)])
        values = np.concatenate([np.empty(0), *(values for _, values in words)])
        counts = self.indptr_[codes + 1] - self.indptr_[codes]
        starts = np.repeat(self.indptr_[codes] - np.cumsum(counts) + counts, counts)
        rows = self.postings_[starts + np.arange(counts.sum())]
        each = np.repeat(values, counts)
        if allowed is not None:
            kept = allowed[rows]
            rows, each = rows[kept], each[kept]
        if len(rows) > n // 8:  # many: summed over every row, not sorted
            dense = np.bincount(rows, weights=each, minlength=n)
            found = np.flatnonzero(dense)
            return found, dense[found]
        found, at = np.unique(rows, return_inverse=True)
        return found, np.bincount(at, weights=each, minlength=len(found))

    def _similar_words(self, word: str, *, last: bool) -> tuple[np.ndarray, np.ndarray]:
        """Codes of the indexed words spelled like ``word``, and how alike (0-1).

        The ``last`` word of a query may be cut short as it is typed: the words it starts
        are alike too.
        """
        near = self._one_typo_from(word)
        alike = process.extract(
            word,
            [self.vocabulary_[code] for code in near],
            scorer=fuzz.ratio,
            score_cutoff=WORD_SIMILARITY,
            limit=None,
        )
        similarity = {int(near[at]): score / 100 for _, score, at in alike}
        if last and len(word) >= 3:  # the vocabulary is sorted: the words it starts are together
            start = bisect.bisect_left(self.vocabulary_, word)
            end = bisect.bisect_left(self.vocabulary_, word + "\U0010ffff")
            for code in range(start, end):
                similarity[code] = max(similarity.get(code, 0.0), PREFIX / 100)
        if not similarity:  # words run together ("gulfcoast"): the indexed words it starts with
            for end in range(3, len(word)):
                code = bisect.bisect_left(self.vocabulary_, word[:end])
                if code < len(self.vocabulary_) and self.vocabulary_[code] == word[:end]:
                    similarity[code] = end / len(word)
        codes = np.fromiter(similarity, dtype=np.int64, count=len(similarity))
        return codes, np.fromiter(similarity.values(), dtype=np.float64, count=len(similarity))

    def _one_typo_from(self, word: str) -> np.ndarray:
        """Codes of the indexed words that share a one-letter deletion (or themselves) with
        ``word``: every word one typo from it, among few others."""
        variants = pl.Series([word, *(word[:i] + word[i + 1 :] for i in range(len(word)))])
        hashes = variants.hash().to_numpy()
        starts = np.searchsorted(self.variant_hashes_, hashes, side="left")
        ends = np.searchsorted(self.variant_hashes_, hashes, side="right")
        found = [self.variant_codes_[a:b] for a, b in zip(starts, ends, strict=True)]
        return np.unique(np.concatenate(found))


def _deletion_index(vocabulary: pl.Series) -> tuple[np.ndarray, np.ndarray]:
    """Hashes of each word and of its one-letter deletions, sorted, and the code (position
    in ``vocabulary``) of the word each came from."""
    words = vocabulary.to_frame("word").with_row_index("code")
    length = pl.col("word").str.len_chars()
    deleted = [
        words.filter(length > i).select(
            "code",
            pl.concat_str(pl.col("word").str.slice(0, i), pl.col("word").str.slice(i + 1)),
        )
        for i in range(int(words.select(length.max()).item() or 0))
    ]
    variants = (
        pl.concat([words, *deleted])
        .select(pl.col("word").hash().alias("hash"), "code")
        .unique()
        .sort("hash")
    )
    return variants.get_column("hash").to_numpy(), variants.get_column("code").to_numpy()


def popularity(accounts: pl.DataFrame) -> np.ndarray:
    """How many records each account's company has (the lists that hold it); 1 for an
    account of no company."""
    if schema.COMPANY_ID not in accounts.columns:
        return np.ones(accounts.height, np.int64)
    company = pl.col(schema.COMPANY_ID)
    counts = accounts.select(
        pl.when(company.is_null()).then(1).otherwise(pl.len().over(company)).cast(pl.Int64)
    )
    return counts.to_series().to_numpy()


def _scores(text: str, cores: list[str]) -> np.ndarray:
    """Scores (0-100) of ``cores`` for the query's core ``text``.

    WRatio, times ``SHORTER`` for a core shorter than the query (it misses part of it:
    "lionwind" for "lionwind advancd"), raised to ``WORD_PREFIX`` or ``PREFIX`` for a
    core that starts with the query.
    """
    scores = process.cdist([text], cores, scorer=fuzz.WRatio, dtype=np.float64)[0]
    shorter = np.fromiter((len(core) < len(text) for core in cores), bool, count=len(cores))
    scores[shorter] *= SHORTER
    prefix = np.fromiter((_prefix_score(text, core) for core in cores), float, count=len(cores))
    return np.maximum(scores, prefix)


def _prefix_score(text: str, core: str) -> float:
    """``WORD_PREFIX`` or ``PREFIX`` when ``core`` starts with ``text``, else 0."""
    if not core.startswith(text) or len(text) < 3:
        return 0.0
    return WORD_PREFIX if len(core) == len(text) or core[len(text)] == " " else PREFIX


def search_accounts(accounts: pl.DataFrame, query: str, *, limit: int | None = 10) -> pl.DataFrame:
    """``accounts`` closest to ``query``, best first, with their ``score``: a one-off search.

    Indexes the names on every call; keep an ``AccountSearch`` to ask again.
    """
    return AccountSearch().fit(accounts).search(query, limit=limit)


def first_is_clear(suggestions: pl.DataFrame) -> bool:
    """Whether the first of ``suggestions`` (best first) clearly stands for the query.

    It does when it scores ``CLEAR`` or more and leads the best suggestion of any other
    company (``company_id``, else the record's ``id``) by ``MARGIN``: "Aple" stands for
    Apple Inc.; "Gulf Coast" for none of ten Gulf Coast firms.
    """
    if suggestions.is_empty() or suggestions[SCORE][0] < CLEAR:
        return False
    key = schema.COMPANY_ID if schema.COMPANY_ID in suggestions.columns else schema.ID
    company = suggestions.get_column(key)
    others = suggestions.filter(company.ne_missing(company[0]))
    return others.is_empty() or suggestions[SCORE][0] - others[SCORE][0] >= MARGIN
