"""The heavy parts of each new view built in the background, before anyone asks.

At a million accounts the ranker takes minutes to fit, the matrix's overlaps and the
name index tens of seconds: built on first use, the first reader of each page after a
restart (or a new view) would wait for them. ``WarmUp`` is the ``Service``'s ``on_view``:
it builds them, cheapest and most asked for first, in one thread per view that serves
nothing. A page asked for meanwhile waits for the part it needs, which the view builds
once (a lock per part), never twice; a page that needs no part is served at once.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from overlap.api.lookups import build_lookups
from overlap.api.service import Service, View

log = logging.getLogger(__name__)

STEPS: tuple[tuple[str, Callable[[View], object]], ...] = (
    ("overlaps (the matrix)", View.overlaps),
    ("lookups and the name index", build_lookups),
    ("scorecards", View.scorecards),
    ("ranker", View.recommender),
    ("listings", View.listing_index),
    ("co-sell", View.co_sell),
)
"""What the warm-up builds, in order: the pages of most readers first, the ranker (the
account page's, minutes at a million accounts) after them."""


class WarmUp:
    """Builds ``STEPS`` of each view handed to it, in a background thread; a view that a
    newer one replaced is left (its parts are built on demand, if asked for at all)."""

    def __init__(self) -> None:
        self.latest: View | None = None
        self.warming: View | None = None
        self.threads: list[threading.Thread] = []

    def __call__(self, view: View) -> None:
        self.latest = view
        self._spawn(lambda: self.warm(view), "warm-up")

    def warm(self, view: View) -> None:
        """Build ``STEPS`` of ``view`` in order, until a newer view is handed over."""
        self.warming = view
        try:
            self._steps(view)
        finally:
            if self.warming is view:
                self.warming = None

    def _steps(self, view: View) -> None:
        for name, step in STEPS:
            if self.latest is not view:
                return
            started = time.perf_counter()
            try:
                step(view)
            except Exception:
                # the page that needs it meets the error itself; the steps after it may
                # need it too, and would only try it again
                log.exception("warm-up: building %s failed; the rest is built on demand", name)
                return
            log.info("warm-up: %s built in %.1f s", name, time.perf_counter() - started)

    def preparing(self, view: View, *parts: str) -> bool:
        """Whether the warm-up is still to build these parts of ``view``: a page that
        needs them can say they are being prepared rather than wait."""
        return self.warming is view and not view.has(*parts)

    def start(self, service: Service) -> None:
        """Warm every view ``service`` installs, from its first, built now in the
        background: a request meanwhile waits for that same build (``Service.view``)."""
        service.on_view = self
        self._spawn(service.view, "first-view")

    def join(self, timeout: float = 600.0) -> bool:
        """Wait up to ``timeout`` seconds for the warm-ups under way and those they start
        (a test's, a bench's); whether they all ended."""
        deadline = time.monotonic() + timeout
        while running := [thread for thread in self.threads if thread.is_alive()]:
            if time.monotonic() >= deadline:
                return False
            running[0].join(deadline - time.monotonic())
        return True

    def _spawn(self, target: Callable[[], object], name: str) -> None:
        self.threads = [thread for thread in self.threads if thread.is_alive()]
        thread = threading.Thread(target=target, name=name, daemon=True)
        self.threads.append(thread)
        thread.start()
