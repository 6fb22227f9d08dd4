"""Writing a file whole or not at all: readers never see half a record or half a cache.

A sibling temporary file is written, flushed and renamed over the target, so a kill or a full
disk leaves the old file (or none) in place. Records and caches share this one helper; a cache
that cannot be written only costs speed next time, so `write_cache` stays silent.
"""

from __future__ import annotations

import os
import tempfile
from contextlib import suppress
from pathlib import Path

from statusledger.locking import locked


def write_atomic(
    path: Path, data: bytes, mode: int | None = None, *, exclusive: bool = False, sync: bool = True
) -> None:
    """Write `data` to `path` through a sibling temporary file renamed into place.

    `mode`: the new file's permission bits (default: what the umask gives a new file).
    `exclusive`: the target must not exist; the file is linked into place instead, which fails
    with FileExistsError when another process created it meanwhile (a rename would silently
    replace that file). `sync`: fsync before the rename (records; caches skip it).
    """
    if mode is None:
        mode = 0o666 & ~current_umask()
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if sync:
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        if exclusive:
            _link_new(tmp, path)
        else:
            os.replace(tmp, path)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def current_umask() -> int:
    """The process's umask (reading it means setting it, so it is put straight back)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_cache(path: Path, data: bytes) -> None:
    """Write a cache file atomically, silently giving up (read-only home, full disk)."""
    with suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, data, sync=False)


def _link_new(tmp: str, path: Path) -> None:
    """Put the finished temporary file at `path`, which must not exist yet."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links: reserve the name, then rename
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        os.replace(tmp, path)
        return
    os.unlink(tmp)


def replace_unchanged(path: Path, expected: bytes, data: bytes) -> bool:
    """Write `data` over `path` if it still holds `expected`; False (nothing written) if not.

    The comparison and the rename happen under the file's lock (locking.py), so of two
    processes editing one file at once, the second sees the first's result. The file keeps its
    permission bits. OSError (the file is gone or unwritable) is the caller's to report.
    """
    with locked(path):
        if path.read_bytes() != expected:
            return False
        write_atomic(path, data, path.stat().st_mode & 0o7777)
    return True
