"""Work carried out in a child process: its value, its files, its errors and its death."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from pathlib import Path

import pytest

from overlap.api.elsewhere import ChildDied, in_child
from overlap.api.problems import Problem

Report = Callable[[str, int, int], None]


def counted(folder: Path, report: Report, *, words: list[str]) -> int:
    for done in range(1, len(words) + 1):
        report("count", done, len(words))
    (folder / "words.txt").write_text(" ".join(words))
    return os.getpid()


def refused(folder: Path, report: Report) -> None:
    raise Problem(413, "too-large", "file big.csv has 3 rows; the limit is 2", headers={"A": "b"})


def unpicklable(folder: Path, report: Report) -> None:
    class Local(Exception):
        pass

    raise Local("made here")


def dies(folder: Path, report: Report) -> None:
    report("start", 0, 1)
    os.kill(os.getpid(), signal.SIGKILL)


def reports_forever(folder: Path, report: Report) -> None:
    while True:
        report("loop", 0, 1)


def test_work_runs_in_another_process_and_its_value_and_files_come_back() -> None:
    seen: list[tuple[str, int, int]] = []
    progress = lambda *move: seen.append(move)  # noqa: E731
    with in_child(counted, progress=progress, words=["a", "b"]) as (pid, folder):
        assert pid != os.getpid()
        assert (folder / "words.txt").read_text() == "a b"
    assert seen == [("count", 1, 2), ("count", 2, 2)]
    assert not folder.exists()


def test_an_error_the_work_raises_is_raised_again_as_it_was() -> None:
    with pytest.raises(Problem) as raised, in_child(refused):
        pass
    assert (raised.value.status, raised.value.kind) == (413, "too-large")
    assert raised.value.detail == "file big.csv has 3 rows; the limit is 2"
    assert raised.value.headers == {"A": "b"}


def test_an_error_that_cannot_travel_is_named() -> None:
    with pytest.raises(Exception, match="Local: made here"), in_child(unpicklable):
        pass


def test_a_child_killed_half_way_raises_child_died() -> None:
    with pytest.raises(ChildDied, match="exit code -9"), in_child(dies):
        pass


def test_an_error_raised_by_progress_stops_the_child() -> None:
    class Cancelled(Exception):
        pass

    def cancel(stage: str, done: int, total: int) -> None:
        raise Cancelled(stage)

    with pytest.raises(Cancelled, match="loop"), in_child(reports_forever, progress=cancel):
        pass
