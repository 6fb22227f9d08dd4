"""Parsed record files from earlier runs, so unchanged files are not parsed again.

Parsing is a large part of loading a repository, even with the fast block reader
(blockyaml.py): ten thousand records take about a second. Merged records almost never change,
so the plain values a file parsed into are kept between runs, keyed by a digest of the exact
text parsed and of the parser itself (both readers' source and PyYAML's version). Positions are
not kept: a finding that asks where a value is finds it in the text (yamlfile.Positions). Same
bytes in, same values out: the models and every rule still run on every record, only the parse
is reused. Files that did not parse cleanly are never cached, so their findings always come
from a fresh parse. Where the cache lives and how it is written: cache.py.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from typing import Any

import yaml

from statusledger import blockyaml, yamlfile
from statusledger.cache import cache_path, read_marshalled, write_marshalled
from statusledger.yamlfile import Positions

_MAGIC = b"statusledger-parse-cache-3\n"
_DIGEST = 20


def _parser_stamp() -> bytes:
    """What the cached values depend on besides the text: the parser's code and PyYAML."""
    source = Path(yamlfile.__file__).read_bytes() + Path(blockyaml.__file__).read_bytes()
    version = f"{yaml.__version__}|{sys.version_info[:2]}|{sys.byteorder}".encode()
    return hashlib.blake2b(source + version, digest_size=_DIGEST).digest()


class ParseCache:
    """A map from (text, line offset) to the values `yamlfile.parse` made of it."""

    def __init__(self, file: Path | None) -> None:
        self.file = file
        self._stamp = _parser_stamp() if file else b""
        self._old: dict[bytes, Any] = self._read() if file else {}
        self._used: dict[bytes, Any] = {}
        self._added = 0

    @classmethod
    def for_root(cls, root: Path, kind: str = "parsed") -> ParseCache:
        """The cache of one repository, or a disabled one when caching is off.

        `validate` keeps its own (`kind="parsed-front"`): it parses only services.yaml, the
        postmortems and the records it could not take as settled, and reading the whole
        repository's cache for those would cost more than it saves.
        """
        path = cache_path(root, kind)
        return cls(path.with_name(path.name + ".marshal") if path else None)

    def _read(self) -> dict[bytes, Any]:
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
        if key in self._used or key in self._old:
            data = self._used[key] = self._used[key] if key in self._used else self._old[key]
            return data, Positions(source=(text, line_offset))
        data, positions = yamlfile.parse(text, line_offset=line_offset)
        if not positions.problems:
            self._used[key] = data
            self._added += 1
        return data, positions

    def save(self) -> None:
        """Write the entries used in this run (dropping the rest) when anything changed.

        Failing to write (read-only home, full disk) only costs speed next time.
        """
        if self.file is None:
            return
        if not self._added and len(self._used) == len(self._old):
            return
        self._added = 0
        self._old = dict(self._used)
        write_marshalled(self.file, _MAGIC + self._stamp, self._used)
