"""Work done in a second process (readahead.py) must change nothing but the time it takes."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator

import pytest

from statusledger import readahead

PARENT = os.getpid()


@pytest.fixture
def workers(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv(readahead.WORKERS_ENV, "force")
    yield


def square(item: int) -> int:
    return item * item


def test_halves_come_back_in_order(workers: None) -> None:
    items = list(range(1000))
    forks: list[int] = []
    real_fork = os.fork

    def counted_fork() -> int:
        forks.append(1)
        return real_fork()

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(readahead.os, "fork", counted_fork)
        got = readahead.halved(items, square, lambda r: r, lambda d: d, size=0)
    assert got == [i * i for i in items]
    assert forks == [1]


def test_a_child_that_fails_half_way_leaves_the_rest_to_the_parent(workers: None) -> None:
    def fragile(item: int) -> int:
        if item == 700 and os.getpid() != PARENT:
            raise RuntimeError("the child breaks")
        return item + 1

    got = readahead.halved(list(range(1000)), fragile, lambda r: r, lambda d: d, size=0)
    assert got == [i + 1 for i in range(1000)]


def test_a_killed_child_leaves_the_rest_to_the_parent(workers: None) -> None:
    def doomed(item: int) -> int:
        if item == 900 and os.getpid() != PARENT:
            os.kill(os.getpid(), signal.SIGKILL)
        return -item

    got = readahead.halved(list(range(1200)), doomed, lambda r: r, lambda d: d, size=0)
    assert got == [-i for i in range(1200)]


def test_serial_when_disabled_or_small(monkeypatch: pytest.MonkeyPatch) -> None:
    pids: list[int] = []

    def where(item: int) -> int:
        pids.append(os.getpid())
        return item

    monkeypatch.setenv(readahead.WORKERS_ENV, "1")
    got = readahead.halved(list(range(2000)), where, int, int, size=10_000)
    assert got == list(range(2000))
    monkeypatch.delenv(readahead.WORKERS_ENV)
    assert readahead.halved([1, 2, 3], where, int, int, size=3) == [1, 2, 3]
    assert set(pids) == {PARENT}


def test_background_work_comes_back_or_is_stopped(workers: None) -> None:
    job = readahead.start(lambda: {"feed.xml": b"<feed/>"}, dict, dict, size=0)
    assert job.result() == {"feed.xml": b"<feed/>"}

    def forever() -> dict[str, bytes]:
        if os.getpid() != PARENT:
            signal.pause()
        return {}

    stuck = readahead.start(forever, dict, dict, size=0)
    assert isinstance(stuck, readahead.Background)
    pid = stuck._child.pid
    stuck.discard()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # already reaped: no zombie left behind
