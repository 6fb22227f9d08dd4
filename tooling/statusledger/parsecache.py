"""Parsed record files from earlier runs, so unchanged files are not parsed again.

Parsing is a large part of loading a repository, even with the fast block reader
(blockyaml.py): ten thousand records take about a second. Merged records almost never change,
so the plain values a file parsed into are kept between runs, with its positions: all of them
when PyYAML read it, and for the fast reader's text those a finding asked for (the rest are
worked out from the text when needed; `Ledger.save_cache` keeps them after the rules ran),
keyed by a digest of the exact text parsed and of the parser itself (both readers' source and
PyYAML's version). Same bytes in, same values out: the models and every rule still run on every
record, only the parse is reused. Files that did not parse cleanly are never cached, so their
findings always come from a fresh parse.

The cache lives outside the repository (`$XDG_CACHE_HOME/statusledger`, one file per
repository root) so it can never be committed by accident; `STATUSLEDGER_CACHE_DIR` moves it,
and setting that to `off` turns it off. A missing, stale or damaged cache is simply rebuilt.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
from pathlib import Path
from typing import Any

import yaml

from statusledger import blockyaml, yamlfile
from statusledger.atomic import write_cache
from statusledger.yamlfile import Positions

CACHE_ENV = "STATUSLEDGER_CACHE_DIR"
_MAGIC = b"statusledger-parse-cache-2\n"
_DIGEST = 20


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


def write_marshalled(target: Path, head: bytes, value: Any) -> None:
    """Write `value` marshalled after `head` and a digest of it, atomically."""
    payload = marshal.dumps(value)
    write_cache(target, head + hashlib.blake2b(payload, digest_size=16).digest() + payload)


def read_marshalled(source: Path, head: bytes) -> Any:
    """What write_marshalled wrote, or None when the file is missing, stale or damaged.

    The digest is checked before unmarshalling: marshal trusts its input, and a damaged byte
    could otherwise turn into a wrong cached value, or into a length that asks for gigabytes.
    """
    try:
        blob = source.read_bytes()
    except OSError:
        return None
    if not blob.startswith(head):
        return None
    digest, payload = blob[len(head) : len(head) + 16], blob[len(head) + 16 :]
    if hashlib.blake2b(payload, digest_size=16).digest() != digest:
        return None
    try:
        return marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return None


def _parser_stamp() -> bytes:
    """What the cached values depend on besides the text: the parser's code and PyYAML."""
    source = Path(yamlfile.__file__).read_bytes() + Path(blockyaml.__file__).read_bytes()
    version = f"{yaml.__version__}|{sys.version_info[:2]}|{sys.byteorder}".encode()
    return hashlib.blake2b(source + version, digest_size=_DIGEST).digest()


class ParseCache:
    """A map from (text, line offset) to what `yamlfile.parse` made of it."""

    def __init__(self, file: Path | None) -> None:
        self.file = file
        self._stamp = _parser_stamp() if file else b""
        self._old: dict[bytes, tuple[Any, bytes]] = self._read() if file else {}
        self._used: dict[bytes, tuple[Any, bytes]] = {}
        self._added = 0
        # Positions handed out for the fast reader's text: those a finding placed are kept.
        self._handed: dict[bytes, Positions] = {}

    @classmethod
    def for_root(cls, root: Path, kind: str = "parsed") -> ParseCache:
        """The cache of one repository, or a disabled one when caching is off.

        `validate` keeps its own (`kind="parsed-front"`): it parses only services.yaml, the
        postmortems and the records it could not take as settled, and reading the whole
        repository's cache for those would cost more than it saves.
        """
        path = cache_path(root, kind)
        return cls(path.with_name(path.name + ".marshal") if path else None)

    def _read(self) -> dict[bytes, tuple[Any, bytes]]:
        assert self.file is not None
        entries = read_marshalled(self.file, _MAGIC + self._stamp)
        return entries if isinstance(entries, dict) else {}

    @staticmethod
    def key(text: str, line_offset: int) -> bytes:
        """Digest of what is parsed; the path is not part of it, the text is all that matters."""
        digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=_DIGEST)
        digest.update(line_offset.to_bytes(4, "little"))
        return digest.digest()

    def parse(self, text: str, *, line_offset: int = 0) -> tuple[Any, Positions]:
        """`yamlfile.parse`, answered from the cache when this exact text was parsed before.

        Raises YamlProblem exactly as `yamlfile.parse` does: problems are never cached.
        """
        if self.file is None:
            return yamlfile.parse(text, line_offset=line_offset)
        key = self.key(text, line_offset)
        hit = self._used.get(key) or self._old.get(key)
        if hit is not None:
            self._used[key] = hit
            positions = Positions.unpack(hit[1], text, line_offset)
        else:
            data, positions = yamlfile.parse(text, line_offset=line_offset)
            if positions.problems:
                return data, positions
            hit = self._used[key] = (data, positions.pack())
            self._added += 1
        if positions.source is not None:
            self._handed[key] = positions
        return hit[0], positions

    def save(self) -> None:
        """Write the entries used in this run (dropping the rest) when anything changed.

        Failing to write (read-only home, full disk) only costs speed next time.
        """
        if self.file is None:
            return
        for key, positions in self._handed.items():
            packed = positions.pack()
            if packed != self._used[key][1]:
                self._used[key] = (self._used[key][0], packed)
                self._added += 1
        if not self._added and len(self._used) == len(self._old):
            return
        self._added = 0
        self._old = dict(self._used)
        write_marshalled(self.file, _MAGIC + self._stamp, self._used)
