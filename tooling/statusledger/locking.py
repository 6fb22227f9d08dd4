"""One writer at a time per record file, across every statusledger process on the machine.

An authoring command reads a record, works out its edit and renames a new file over the old
one. Two commands on one record at once would both start from the same text, and the second
rename would silently drop the first edit, while both reported success. So the last step,
"the file is still the text the edit was made from, so write", runs while holding an exclusive
flock(2) on the record; a command that finds the text changed starts again from the new text.

The lock is taken on the record file itself, not on a lock file beside it: nothing is left in
the repository to commit or clean up, and nothing has to be removed afterwards (removing a
lock file races with a process that is about to open it). The rename gives the path a new
inode, so a process that waited on the old one checks, once it holds it, that the path still
names the file it locked, and otherwise locks the new one.

Where flock(2) does not exist (Windows) there is no lock; the check of the text before the
rename still catches all but a race within the same millisecond.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from statusledger.errors import StatusledgerError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

WAIT_SECONDS = 10.0
_POLL_SECONDS = 0.005


@contextmanager
def locked(path: Path, *, wait: float = WAIT_SECONDS) -> Iterator[None]:
    """Hold the exclusive lock of the file at `path` (which must exist) for the block.

    OSError (the file is gone or unreadable) is the caller's to report; a lock still held by
    another process after `wait` seconds is a StatusledgerError that says so.
    """
    if fcntl is None:  # pragma: no cover - Windows
        yield
        return
    deadline = time.monotonic() + wait
    while True:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        try:
            _acquire(fd, path, deadline)
            if _still_names(path, fd):
                break
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)  # renamed over while we waited: lock the file the path names now
    try:
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _acquire(fd: int, path: Path, deadline: float) -> None:
    assert fcntl is not None
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise StatusledgerError(
                    f"{path} is being written by another statusledger command that has not "
                    "finished; nothing was written. Run the command again once it is done"
                ) from None
            time.sleep(_POLL_SECONDS)


def _still_names(path: Path, fd: int) -> bool:
    """Whether `path` is still the file open as `fd` (an atomic rename replaces it)."""
    try:
        now = os.stat(path)
    except FileNotFoundError:
        return True  # deleted: the caller's read of it reports that
    held = os.fstat(fd)
    return (now.st_dev, now.st_ino) == (held.st_dev, held.st_ino)
