"""Heavy work carried out in a child process, so the serving process keeps answering.

A match run holds the GIL for seconds to minutes and parsing a large upload takes
gigabytes for a moment: in the serving process, either would stall every request (the
issue measured /health at over a second) and leave its memory grown. ``in_child`` runs a
function in a process of its own, forked from a fork server (never from the server
itself, which holds DuckDB connections and threads) that has imported ``PRELOAD``
already, so a child starts in a fraction of a second; the child is gone when the function
returns, and its memory with it. Frames travel as Parquet files, never pickled.

The child reports progress through a pipe; the parent hands each report to ``progress``,
and if ``progress`` raises (a run cancelled) the child is killed and the error goes on.
A child that dies (killed, out of memory) raises ``ChildDied``: nothing it made is used.
An error the work raises is raised again in the parent, as it was.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from overlap.errors import OverlapError

__all__ = ["ChildDied", "ChildFailed", "in_child"]

POLL_SECONDS = 0.2
PRELOAD = ["overlap.api.uploads", "overlap.api.runner", "overlap.api.ecosystem_apart"]
"""Modules the fork server imports once, for its children: the work done in them."""
NICENESS = 10
"""Added to the child's niceness: on a busy machine the server's requests come first."""
Work = Callable[..., Any]
"""``work(folder, report, **kwargs)``: reads and writes its frames in ``folder``, calls
``report(stage, done, total)`` as it goes, and returns a small picklable value."""


class ChildDied(OverlapError):
    """The child process ended without an answer (killed, out of memory)."""


class ChildFailed(OverlapError):
    """The work raised an error in the child that cannot be sent back as it is."""


@contextmanager
def in_child(
    work: Work,
    *,
    progress: Callable[[str, int, int], None] | None = None,
    **kwargs: Any,
) -> Iterator[tuple[Any, Path]]:
    """``work``'s value and its folder, ``work`` run in a child process.

    ``work`` gets a new temporary folder, a ``report`` function and ``kwargs``
    (picklable: paths, settings, small values); the files it writes in the folder stay
    there for the block, then the folder is removed.
    """
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)  # read when the fork server starts, the first time
    with tempfile.TemporaryDirectory(prefix="overlap-child-") as directory:
        folder = Path(directory)
        ours, theirs = context.Pipe(duplex=False)
        child = context.Process(
            target=_child,
            args=(theirs, work, folder, kwargs),
            name=f"overlap-{getattr(work, '__name__', 'work')}",
            daemon=True,
        )
        child.start()
        theirs.close()  # ours then sees EOF once the child is gone, however it ends
        try:
            answer = _relay(ours, child, progress)
        finally:
            if child.is_alive():
                child.kill()
            child.join()
            ours.close()
        if answer[0] == "failed":
            raise answer[1]
        yield answer[1], folder


def _relay(
    ours: Connection,
    child: Any,
    progress: Callable[[str, int, int], None] | None,
) -> tuple[Any, ...]:
    """The child's last message, its progress reports handed to ``progress`` meanwhile."""
    while True:
        try:
            if not ours.poll(POLL_SECONDS):
                continue
            message = ours.recv()
        except (EOFError, OSError):
            child.join()
            raise ChildDied(
                f"the worker process stopped without an answer (exit code {child.exitcode})"
            ) from None
        if message[0] != "progress":
            return tuple(message)
        if progress is not None:
            progress(*message[1:])


def _child(pipe: Connection, work: Work, folder: Path, kwargs: dict[str, Any]) -> None:
    os.nice(NICENESS)

    def report(stage: str, done: int, total: int) -> None:
        pipe.send(("progress", stage, done, total))

    try:
        answer: tuple[Any, ...] = ("done", work(folder, report, **kwargs))
    except Exception as error:  # raised again in the parent, which decides
        answer = ("failed", _sendable(error))
    with contextlib.suppress(OSError):  # the parent is gone (a broken pipe): nobody to tell
        pipe.send(answer)
    pipe.close()


def _sendable(error: Exception) -> Exception:
    """``error`` if it survives pickling, else a ChildFailed naming it."""
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:
        return ChildFailed(f"{type(error).__name__}: {error}")
    return error
