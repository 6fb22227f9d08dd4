"""The folder a build writes: refused when it would cost data, replaced whole or not at all.

A build replaces its output folder entirely, so pointing it at the repository, the records or
the site sources would delete them. The folder is accepted only when it is empty, absent, or
an earlier statusledger output (it carries `MARKER`). The new site is staged beside the target
(the same file system, so it can be renamed into place) and swapped in with one atomic
exchange where the kernel offers it; a build killed half way leaves either the old site or the
new one, and the next build cleans up what it left.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from statusledger.atomic import current_umask
from statusledger.errors import StatusledgerError

MARKER = ".statusledger-site"
MARKER_TEXT = "This folder was written by `statusledger build`; each build replaces all of it.\n"
# What a site built before the marker existed always holds.
_EARLIER_OUTPUT = ("index.html", "api/v2/summary.json", "history.atom")


class UnsafeOutput(StatusledgerError):
    """The output folder would hold or replace something that is not a built site."""


def check_output(out: Path, root: Path, protected: Iterable[Path]) -> None:
    """Refuse an output folder whose replacement would delete the user's files.

    `protected` are the folders a build reads (records, site sources, docs folder): the output
    may be neither one of them, nor inside one, nor hold one. The repository itself may hold
    the output (public/), but the output may never be it or hold it.
    """
    out = out.resolve()
    root = root.resolve()
    if out == root or root.is_relative_to(out):
        raise UnsafeOutput(
            f"--out {out}: that folder holds the repository {root}, and a build replaces its "
            "output folder whole; choose a folder of its own, e.g. --out public"
        )
    for folder in protected:
        folder = folder.resolve()
        if out == folder or folder.is_relative_to(out):
            raise UnsafeOutput(
                f"--out {out}: a build replaces its output folder whole, and that would delete "
                f"{folder}, which the build reads; choose a folder of its own, e.g. --out public"
            )
        if out.is_relative_to(folder):
            raise UnsafeOutput(
                f"--out {out}: that is inside {folder}, which the build reads, and the site "
                "would be mixed into it; choose a folder of its own, e.g. --out public"
            )
    if out.is_dir() and not is_site(out) and any(out.iterdir()):
        raise UnsafeOutput(
            f"--out {out}: the folder holds files that statusledger did not write, and a build "
            "replaces it whole; empty it, or choose a new folder"
        )


def is_site(folder: Path) -> bool:
    """Whether `folder` is an earlier output of `statusledger build`."""
    if (folder / MARKER).is_file():
        return True
    return all((folder / rel).is_file() for rel in _EARLIER_OUTPUT)


def staging_folder(out: Path) -> Path:
    """A new empty folder beside `out`, with the mode the umask gives (mkdtemp's is 0700).

    A web server running as another user must be able to read the site once it is in place.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    for stale in out.parent.glob(f".{out.name}.build-*"):
        shutil.rmtree(stale, ignore_errors=True)  # left by a build that was killed
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.build-", dir=out.parent))
    os.chmod(staging, 0o777 & ~current_umask())
    return staging


def restore_interrupted(out: Path) -> None:
    """Put back the last good site when a build was killed between its two renames."""
    old = _old(out)
    if not out.exists() and old.is_dir():
        os.replace(old, out)


def swap(staging: Path, out: Path) -> None:
    """Put the new site in place of the old one, which is removed once the new one is there."""
    (staging / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
    if out.is_dir() and _exchange(staging, out):
        shutil.rmtree(staging, ignore_errors=True)  # now holds the old site
        return
    old = _old(out)
    shutil.rmtree(old, ignore_errors=True)
    if out.exists():
        os.replace(out, old)
    os.replace(staging, out)
    shutil.rmtree(old, ignore_errors=True)


def _old(out: Path) -> Path:
    return out.with_name(f".{out.name}.old")


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step (Linux renameat2); False where that is not offered."""
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(name, use_errno=True)
        renameat2 = libc.renameat2
        renameat2.argtypes = [
            ctypes.c_int,
            ctypes.c_char_p,
            ctypes.c_int,
            ctypes.c_char_p,
            ctypes.c_uint,
        ]
        done = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
        return bool(done == 0)
    return False
