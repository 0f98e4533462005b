"""What the routes share: the store, the Ecosystem built from it, and match runs.

``Service`` installs a ``View`` (the Ecosystem of the latest lists and the latest
succeeded run, its accounts resolved in a child process: ``ecosystem_apart``) and every
request reads the one installed: readers never build it. A write asks for the next
(``Service.refresh``, in the background of its request); while it is built, readers are
served the previous view, and the next replaces it in one assignment once it is built,
with the parts the previous one had built (``View.PARTS``; ``Service._install``). Writes
during a build are coalesced into one build after it. The Ranker (a learned
Recommender, fitted in a child process too) and the rankings are built lazily on the
view and cached with it.

Feedback: a run hands the stored decisions to ``resolve_with_review``, which scores a
confirmed (vendor record, partner record) pair 1 and a rejected one 0 before it
clusters the records, as ``overlap match --feedback`` does. Decisions are kept
across runs.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, TypeVar, cast

import numpy as np
import polars as pl

from overlap import schema
from overlap.api.ecosystem_apart import build_ecosystem, fit_apart
from overlap.api.private_runs import with_private_matches
from overlap.api.runner import match_apart
from overlap.api.security import Principal, hash_secret
from overlap.api.sharing import Rules
from overlap.api.store import RunCancelled, Store, StoreError
from overlap.ecosystem.data import AS_OF, VENDOR, Ecosystem
from overlap.ecosystem.load import LIST_FILE, read_catalogue, read_lists, read_partners
from overlap.ecosystem.lookalike import new_accounts
from overlap.ecosystem.rank import co_sell
from overlap.ecosystem.ranker import Ranker
from overlap.ecosystem.report import overlaps, scorecard
from overlap.matching.pipeline import STAGES

_MISSING = object()
log = logging.getLogger(__name__)
T = TypeVar("T")

RUN_STAGES = ("ingest", *STAGES, "store")
"""A run's stages: its lists read from the store, the match's, its companies stored."""
SPANS = dict(
    zip(
        RUN_STAGES,
        ((0.0, 0.05), (0.05, 0.2), (0.2, 0.3), (0.3, 0.75), (0.75, 0.8), (0.8, 0.95), (0.95, 1.0)),
        strict=True,
    )
)
"""The share of a run's ``progress`` each stage spans, about as long as it takes."""


class ViewUnavailable(RuntimeError):
    """The first view could not be built (the error is in the server's log)."""


@dataclass(frozen=True)
class View:
    """The Ecosystem of one store data generation and what is derived from it, lazily.

    Its data never changes once built: a write makes a new view rather than edit one.

    Each part (``recommender``, ``co_sell``, ...) is built on first use and kept; ``has``
    and ``build`` let an async route build the parts it needs in a worker thread
    rather than on the event loop (see ``api.deps.built``).
    """

    PARTS: ClassVar[tuple[str, ...]] = (
        "recommender",
        "listing_index",
        "co_sell",
        "new_accounts",
        "scorecards",
        "overlaps",
        "partner_companies",
    )
    """The parts a view builds on demand (``build``), its next view before the swap."""

    generation: int
    eco: Ecosystem
    rules: Rules
    _cache: dict[str, object] = field(default_factory=dict)
    _locks: dict[str, threading.Lock] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _cached(self, name: str, build: Callable[[], T]) -> T:
        found = self._cache.get(name, _MISSING)  # built parts are read without the lock
        if found is not _MISSING:
            return cast(T, found)
        # A lock per part: a request waits for the part it needs (built once, by whoever
        # asked first), not for the ranker that the warm-up builds meanwhile.
        with self._lock:
            lock = self._locks.setdefault(name, threading.Lock())
        with lock:
            if name not in self._cache:
                self._cache[name] = build()
            return cast(T, self._cache[name])

    def has(self, *parts: str) -> bool:
        """Whether the parts named (methods of the view without arguments) are built."""
        return all(part in self._cache for part in parts)

    def built(self) -> list[str]:
        """The ``PARTS`` built so far."""
        return [part for part in self.PARTS if part in self._cache]

    def build(self, *parts: str) -> None:
        """Build the parts named (methods of the view without arguments)."""
        for part in parts:
            getattr(self, part)()

    def recommender(self) -> Ranker:
        return self._cached("recommender", lambda: fit_apart(self.eco))

    def co_sell(self) -> pl.DataFrame:
        return self._cached("co_sell", lambda: self.recommender().with_odds(co_sell(self.eco)))

    def new_accounts(self) -> pl.DataFrame:
        return self._cached("new_accounts", lambda: new_accounts(self.eco))

    def scorecards(self) -> pl.DataFrame:
        return self._cached("scorecards", lambda: scorecard(self.eco))

    def overlaps(self) -> pl.DataFrame:
        return self._cached("overlaps", lambda: overlaps(self.eco))

    def listing_index(self) -> tuple[np.ndarray, pl.DataFrame]:
        """``partner_id``, ``status`` (its first record's) of each partner listing, by company.

        Rows are ordered by the recommender's company index, and the listings of company
        ``code`` are rows ``indptr[code]:indptr[code + 1]``: a Python index of a million
        companies would be walked by every full garbage collection, a pause mid-request.
        """

        def build() -> tuple[np.ndarray, pl.DataFrame]:
            companies = self.recommender().company_ids_
            codes = pl.DataFrame({schema.COMPANY_ID: companies}).with_row_index("code")
            listed = (
                self.eco.accounts.filter(pl.col(schema.LIST_OWNER) != VENDOR)
                .group_by(schema.COMPANY_ID, pl.col(schema.LIST_OWNER).alias(schema.PARTNER_ID))
                .agg(pl.col(schema.STATUS).first())
                .join(codes, on=schema.COMPANY_ID)
                .sort("code", schema.PARTNER_ID)
            )
            indptr = np.searchsorted(listed["code"].to_numpy(), np.arange(len(companies) + 1))
            return indptr, listed.select(schema.PARTNER_ID, schema.STATUS)

        return self._cached("listing_index", build)

    def listings(self, code: int) -> dict[str, str | None]:
        """``{partner_id: status}`` of the partners that list the recommender's company ``code``."""
        indptr, listed = self.listing_index()
        found = listed.slice(int(indptr[code]), int(indptr[code + 1] - indptr[code]))
        partners = found.get_column(schema.PARTNER_ID).to_list()
        return dict(zip(partners, found.get_column(schema.STATUS).to_list(), strict=True))

    def shared(self, key: tuple[Any, ...], build: Callable[[], T]) -> T:
        """A result built once per view and ``key`` (a route, a principal, filters)."""
        return self._cached(repr(key), build)

    def has_shared(self, key: tuple[Any, ...]) -> bool:
        return repr(key) in self._cache

    def partner_companies(self) -> pl.DataFrame:
        """``partner_id``, ``company_id`` of every company a partner lists."""
        return self._cached(
            "partner_companies",
            lambda: (
                self.eco.accounts.filter(pl.col(schema.LIST_OWNER) != VENDOR)
                .select(pl.col(schema.LIST_OWNER).alias(schema.PARTNER_ID), schema.COMPANY_ID)
                .unique()
            ),
        )


class Service:
    """The store and the installed view of it that every request reads.

    Readers never build a view: they read the one installed (``current_view``), stale by
    at most the rebuild under way. A write asks for a rebuild (``refresh``); one thread
    builds at a time, and writes that land during a build are coalesced into one more
    build after it, however many they are. Only the very first view is waited for.
    """

    def __init__(self, store: Store, *, on_view: Callable[[View], object] | None = None) -> None:
        self.store = store
        # called with each view as it is installed: ``api.warmup.WarmUp`` builds its parts
        self.on_view = on_view
        self._view: View | None = None
        self._state = threading.Condition()
        self._building = False
        self._tried = -1  # the data generation of the last build, installed or failed
        self._principals: dict[str, tuple[int, Principal | None]] = {}

    def current_view(self) -> View | None:
        """The installed view, however old; None before the first is built.

        A view older than the store's data (a write that asked for no rebuild) has one
        built in the background; it is served meanwhile.
        """
        view = self._view
        if view is not None and view.generation != self.store.data_generation:
            self.refresh_soon()
        return view

    def authenticate(self, token: str) -> Principal | None:
        """The principal of ``token`` as last checked since the keys last changed, if any.

        A key created or revoked starts a new ``keys_generation``, so a cached answer is
        never older than the keys table; other writes leave it be, so requests during a
        write are not sent to the store, which the write holds.
        """
        found = self._principals.get(hash_secret(token))
        return found[1] if found is not None and found[0] == self.store.keys_generation else None

    def remember(self, token: str, principal: Principal | None) -> None:
        if principal is None:
            return
        if len(self._principals) > 10_000:
            self._principals.clear()
        self._principals[hash_secret(token)] = (self.store.keys_generation, principal)

    def view(self) -> View:
        """The installed view; the very first is built here (or waited for), and tried
        again by the next request if its build failed."""
        if self._view is None:
            with self._state:
                if not self._building:
                    self._tried = -1
            self.refresh()
        if self._view is None:
            raise ViewUnavailable("the view of the store could not be built: see the server log")
        return self._view

    def refresh(self) -> None:
        """Have the view of the store's data as of now built and installed, and return once
        it is (or its build failed): in the background of a write's request.

        The first caller builds, and builds again while writes land meanwhile; the others
        wait for it. Readers are served the installed view all along.
        """
        wanted = self.store.data_generation
        with self._state:
            if self._building:
                self._state.wait_for(lambda: self._tried >= wanted or not self._building)
                return
            self._building = True
        while (generation := self._due()) is not None:
            try:
                self._install(View(generation, build_ecosystem(self.store), rules(self.store)))
            except Exception:  # the previous view is served; the next write tries again
                log.exception("building the view of data generation %s failed", generation)
            with self._state:
                self._tried = generation
                self._state.notify_all()

    def refresh_soon(self) -> None:
        """``refresh`` in a thread of its own, unless a build under way will see the write."""
        with self._state:
            if self._building or self._tried >= self.store.data_generation:
                return
        threading.Thread(target=self.refresh, name="view-rebuild", daemon=True).start()

    def _due(self) -> int | None:
        """The store's data generation if no build has tried it yet; else None, and the
        building thread is done (in the same breath, so a write's ``refresh`` is either
        seen here or builds itself)."""
        with self._state:
            generation = self.store.data_generation
            if self._tried < generation:
                return generation
            self._building = False
            self._state.notify_all()
            return None

    def _install(self, view: View) -> View:
        """Serve ``view`` from now on, once it has built the parts the view it replaces had
        built (readers are served that one until then); the one place a view is installed.

        The replaced view is let go here: once the requests reading it are answered, its
        memory is freed, so the server holds two views only while the next is readied.
        """
        previous = self._view
        if previous is not None:
            view.build(*previous.built())
        self._view = view
        if self.on_view is not None:
            self.on_view(view)
        return view

    def run(self, run_id: str) -> None:
        """``run_match`` of ``run_id``, then the view of its results built."""
        run_match(self.store, run_id)
        self.refresh()

    def start_run(self) -> dict[str, Any]:
        """A queued run; ``run_match`` carries it out (in the background)."""
        if VENDOR not in self.store.latest_list_ids():
            raise StoreError("no vendor list yet: upload the vendor's list before matching")
        return self.store.create_run()


def rules(store: Store) -> Rules:
    return Rules({p[schema.PARTNER_ID]: p["sharing"] for p in store.partners()})


def stored_feedback(store: Store) -> pl.DataFrame:
    """The decisions kept in ``store`` as ``feedback.PAIR_FEEDBACK_SCHEMA``."""
    return store.feedback().select(
        pl.lit(VENDOR).alias(schema.left(schema.LIST_OWNER)),
        pl.col("vendor_id").alias(schema.left(schema.ID)),
        pl.col(schema.PARTNER_ID).alias(schema.right(schema.LIST_OWNER)),
        pl.col("partner_account_id").alias(schema.right(schema.ID)),
        "decision",
    )


def run_match(
    store: Store,
    run_id: str,
    *,
    on_progress: Callable[[str, float], None] | None = None,
) -> None:
    """Resolve the latest lists into companies and store them; on error mark the run failed.

    The matching runs in a child process (``runner.match_apart``), so this process keeps
    serving; a child that dies fails the run like any error.

    Nothing of the run is stored before its last step, which writes every company
    and marks the run succeeded in one transaction. ``progress`` moves as each of
    ``RUN_STAGES`` starts and ends, and between the chunks of the long ones;
    ``on_progress(stage, fraction of the stage)`` is told each move. A run cancelled
    (``Store.cancel_run``) stops at its next move and stores nothing.
    """
    try:
        store.start_run(run_id)

        def progress(stage: str, done: int, total: int) -> None:
            fraction = min(done / total, 1.0) if total else 0.0
            start, end = SPANS[stage]
            store.set_progress(run_id, round(start + (end - start) * fraction, 4), stage)
            if on_progress is not None:
                on_progress(stage, fraction)

        progress("ingest", 0, 1)
        if VENDOR not in store.latest_list_ids():
            raise StoreError("no vendor list: upload the vendor's list before matching")
        feedback = stored_feedback(store)
        progress("ingest", 1, 1)
        companies, review = match_apart(store, feedback=feedback, progress=progress)
        companies = with_private_matches(store, companies)
        progress("store", 0, 1)
        store.finish_run(run_id, companies, review)
    except RunCancelled:
        return
    except Exception as error:  # a run never takes the server down
        store.fail_run(run_id, f"{type(error).__name__}: {error}")


def load_directory(store: Store, directory: Path, *, match: bool = True) -> str | None:
    """Load a directory laid out like ``data/samples`` into ``store``; the run id, if any."""
    partners = read_partners(directory)
    for partner in partners.drop(LIST_FILE).to_dicts():
        store.put_partner(partner)
    for owner, file, accounts in read_lists(directory, partners):
        as_of = accounts[AS_OF].max() if AS_OF in accounts.columns else None
        store.put_list(owner, accounts, file_name=file, as_of=as_of)  # type: ignore[arg-type]
    store.put_catalogue(*read_catalogue(directory))
    if not match:
        return None
    run_id = str(store.create_run()["run_id"])
    run_match(store, run_id)
    return run_id
