"""Where statusledger keeps what it can work out again, and how those files are read and written.

Four caches live here, one file or folder per repository root and kind: the parse cache
(parsecache.py: plain values of record files, `parsed-*`), validate's settled records
(validation/settled.py: their facts, `settled-*`), the site's page store and its memos
(site/reuse.py: rendered pages and feed archives, `pages-*`, `markdown-*`, ...). They live
outside the repository (`$XDG_CACHE_HOME/statusledger`) so they can never be committed by
accident; `STATUSLEDGER_CACHE_DIR` moves them, and setting it to `off` turns them all off.

Every cache is only a speed-up: a missing, stale, damaged or unwritable file costs a full run,
never a wrong answer and never an error. So writes are atomic (a reader never sees half a
file) and silent on failure, and the marshalled caches carry a digest checked before reading.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
from collections.abc import Collection
from pathlib import Path
from typing import Any

from statusledger.atomic import write_cache

CACHE_ENV = "STATUSLEDGER_CACHE_DIR"
_DIGEST = 16


def cache_dir() -> Path | None:
    """Where caches go, or None when the user turned caching off."""
    configured = os.environ.get(CACHE_ENV)
    if configured is not None:
        return None if configured.strip().lower() in ("", "off", "0", "no") else Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "statusledger"


def cache_path(root: Path, kind: str) -> Path | None:
    """Where one repository keeps one kind of cached thing, or None when caching is off."""
    folder = cache_dir()
    if folder is None:
        return None
    name = hashlib.blake2b(str(root.resolve()).encode(), digest_size=12).hexdigest()
    return folder / f"{kind}-{name}"


def read_bytes(source: Path) -> bytes | None:
    """A cache file's bytes, or None when it cannot be read."""
    try:
        return source.read_bytes()
    except OSError:
        return None


def write_marshalled(target: Path, head: bytes, value: Any) -> None:
    """Write `value` marshalled after `head` and a digest of it, atomically."""
    payload = marshal.dumps(value)
    digest = hashlib.blake2b(payload, digest_size=_DIGEST).digest()
    write_cache(target, head + digest + payload)


def read_marshalled(source: Path, head: bytes) -> Any:
    """What write_marshalled wrote, or None when the file is missing, stale or damaged.

    The digest is checked before unmarshalling: marshal trusts its input, and a damaged byte
    could otherwise turn into a wrong cached value, or into a length that asks for gigabytes.
    """
    blob = read_bytes(source)
    if blob is None or not blob.startswith(head):
        return None
    digest = blob[len(head) : len(head) + _DIGEST]
    payload = blob[len(head) + _DIGEST :]
    if hashlib.blake2b(payload, digest_size=_DIGEST).digest() != digest:
        return None
    try:
        return marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return None


def keep_only(folder: Path | None, names: Collection[str]) -> None:
    """Delete every file in a cache folder but `names`, so it stays the size of one run."""
    if folder is None or not folder.is_dir():
        return
    for entry in os.scandir(folder):
        if entry.name not in names:
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
