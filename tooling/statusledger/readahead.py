"""Work for a site build done in a second process, the results streamed back.

Building a big site is pure Python, so one process uses one core however the code is tuned.
Two pieces of it depend only on the View and produce plain data: the feeds, API, calendar and
badges (bytes), and the pages' HTML (text). With a second core, a forked child renders the
first while MkDocs renders pages (`start`), and generates half of the second meanwhile
(`halved`). Results cross a pipe as `marshal` data (built-in types only, cheap, unlike
pickling models); the child never writes to anything the parent owns. If a child fails in any
way, the parent does its work itself, so the outcome is the same, only slower.

Loading and validating records stay in one process: measured on this project's 2-core
machine, a reader process saved 11% of a cold `validate` at 10,000 records and cost 25% with
a warm parse cache (the child's copy-on-write faults and the data's second trip through
marshal eat the second core), so BENCHMARKS.md records it and the loader does not use it.

Used only where fork is safe and worth it: Linux, a single-threaded process (`serve` rebuilds
in a thread, so it works in-process), at least MIN_ITEMS records, more than one core, and not
disabled with STATUSLEDGER_WORKERS=1.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import signal
import struct
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Generic, TypeVar

I = TypeVar("I")  # noqa: E741 - the usual name for an item type
R = TypeVar("R")

MIN_ITEMS = 400
WORKERS_ENV = "STATUSLEDGER_WORKERS"
_BATCH = 128
_HEADER = struct.Struct("<Q")


def _forking_helps(count: int) -> bool:
    """Whether a reader process is safe here and worth its start-up."""
    if os.environ.get(WORKERS_ENV, "").strip() == "1":
        return False
    if os.environ.get(WORKERS_ENV, "").strip() == "force":
        return hasattr(os, "fork")
    return (
        sys.platform == "linux"
        and count >= MIN_ITEMS
        and (os.cpu_count() or 1) > 1
        and threading.active_count() == 1
    )


def halved(
    items: Sequence[I],
    work: Callable[[I], R],
    encode: Callable[[R], Any],
    decode: Callable[[Any], R],
    *,
    size: int,
) -> list[R]:
    """[work(item) for item in items], the second half done by a forked child meanwhile.

    For work that needs everything already built (pages from the View): the child sees the
    parent's memory as it was at the fork, for free. `size` is how many records the
    work is about, which decides whether a second process pays for itself.
    """
    if len(items) < 2 or not _forking_helps(size):
        return [work(item) for item in items]
    middle = (len(items) + 1) // 2
    theirs = items[middle:]
    child = _Child(theirs, work, encode)
    results = [work(item) for item in items[:middle]]
    received = [decode(data) for data in child.results()]
    if len(received) < len(theirs) or child.failed:
        received.extend(work(item) for item in theirs[len(received) :])
    return results + received


class Background(Generic[R]):
    """One call running in a forked child; `result()` waits for it (or makes it here)."""

    def __init__(
        self, work: Callable[[], R], encode: Callable[[R], Any], decode: Callable[[Any], R]
    ) -> None:
        self._work, self._decode = work, decode
        self._child = _Child([None], lambda _: work(), encode)

    def discard(self) -> None:
        """Stop the child: its result is no longer wanted (the build failed)."""
        self._child.stop()

    def result(self) -> R:
        """The call's value; if the child failed, the call is made again here."""
        received = list(self._child.results())
        if len(received) != 1 or self._child.failed:
            return self._work()
        return self._decode(received[0])


class _Deferred(Background[R]):
    """Where forking does not help: the call is made when its result is asked for."""

    def __init__(self, work: Callable[[], R]) -> None:  # no fork
        self._work = work

    def discard(self) -> None:
        """Nothing runs, so nothing to stop."""

    def result(self) -> R:
        return self._work()


def start(
    work: Callable[[], R],
    encode: Callable[[R], Any],
    decode: Callable[[Any], R],
    *,
    size: int,
) -> Background[R]:
    """Start `work()` in a forked child now, for `result()` to collect later.

    The child sees memory as it is at this moment: start it only once everything `work`
    reads is final. `size` (records involved) decides whether a second process pays.
    """
    if not _forking_helps(size):
        return _Deferred(work)
    return Background(work, encode, decode)


class _Child:
    """A forked process working through items and sending their results down a pipe."""

    def __init__(
        self,
        items: Sequence[I],
        work: Callable[[I], R],
        encode: Callable[[R], Any],
    ) -> None:
        sys.stdout.flush()
        sys.stderr.flush()
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            os.close(read_end)
            _work_and_exit(items, work, encode, write_end)
        os.close(write_end)
        self.pid, self.read_end = pid, read_end
        self.failed = False
        self.reaped = False

    def stop(self) -> None:
        """Kill and reap the child unless its results were already read."""
        if self.reaped:
            return
        with contextlib.suppress(OSError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            os.close(self.read_end)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)
        self.reaped = self.failed = True

    def results(self) -> Iterator[Any]:
        """The encoded results as they arrive; then the child is reaped (`failed` set)."""
        try:
            with os.fdopen(self.read_end, "rb") as pipe:
                for batch in _batches(pipe):
                    yield from batch
        finally:
            _, status = os.waitpid(self.pid, 0)
            self.reaped, self.failed = True, status != 0


def _work_and_exit(
    items: Sequence[I],
    work: Callable[[I], R],
    encode: Callable[[R], Any],
    fd: int,
) -> None:
    """Work through the items, sending batches; exit without running the parent's clean-up."""
    code = 1
    try:
        with os.fdopen(fd, "wb", buffering=1 << 20) as pipe:
            batch: list[Any] = []
            for item in items:
                batch.append(encode(work(item)))
                if len(batch) == _BATCH:
                    _send(pipe, batch)
                    batch = []
            if batch:
                _send(pipe, batch)
        code = 0
    except BaseException:  # any failure at all: the parent redoes the rest
        code = 1
    finally:
        os._exit(code)


def _send(pipe: Any, batch: list[Any]) -> None:
    payload = marshal.dumps(batch)
    pipe.write(_HEADER.pack(len(payload)))
    pipe.write(payload)
    pipe.flush()


def _batches(pipe: Any) -> Iterator[list[Any]]:
    """Batches until the child closes the pipe; a torn batch (child killed) ends the stream."""
    while True:
        header = pipe.read(_HEADER.size)
        if len(header) < _HEADER.size:
            return
        (size,) = _HEADER.unpack(header)
        payload = pipe.read(size)
        if len(payload) < size:
            return
        batch = marshal.loads(payload)
        if not isinstance(batch, list):
            return
        yield batch
