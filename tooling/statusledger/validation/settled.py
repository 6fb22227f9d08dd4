"""Records that validated clean before, kept as their facts so `validate` skips them.

Most of a large repository is merged history that never changes again, yet every `validate`
parsed, modelled and checked all of it. Like ruff's and mypy's caches, this one remembers what
a run found out about each record file, keyed by a digest of everything the answer depends on:
the file's exact bytes and path, the component ids of services.yaml (all per-record rules read
of it), and the source of the loader, the models and the rules (plus the versions of pydantic,
PyYAML and Python).

A record is settled after a run in which neither the loader nor any per-record rule reported
on it, and it is closed (an open incident is still judged by the clock). The next run with the
same bytes takes a settled record as it is: it is not parsed, and per-record rules skip it
(their answer cannot have changed), except that a settled record with a moment after `--now`
is read afresh so `time/future` still sees it. Cross-record rules (links between incidents and
postmortems, duplicate ids, the postmortem policy) still run over every record each time, on
its facts (facts.py): a settled record is only its facts (`Ledger.settled`), a fresh one has
them computed from its model, so both answer those rules alike. `Ledger.whole` reads a settled
record's file when its complete model is needed (the history guard, authoring).

`validate` and the authoring commands (new, update, resolve) read records this way; the site,
SLA and metrics need complete models. The cache lives beside the parse cache, outside the
repository; a missing or damaged one only makes the run a full one.
"""

from __future__ import annotations

import hashlib
import posixpath
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pydantic
import yaml

from statusledger.cache import cache_path, read_marshalled, write_marshalled
from statusledger.facts import IncidentFacts, MaintenanceFacts, RecordFacts, facts_of
from statusledger.loading import SERVICES_FILE, Ledger, load_ledger, load_services_file
from statusledger.parsecache import ParseCache
from statusledger.records.models import Incident, Maintenance, SeverityLevel, Visibility
from statusledger.validation import Report
from statusledger.validation.time import past_moments
from statusledger.yamlfile import Positions, YamlProblem, decode

_MAGIC = b"statusledger-settled-3\n"

# A settled record's entry: its facts as plain values, and its latest moment (seconds since the
# epoch, for the `now` check). Incident: ("incident", visibility, latest, severity, postmortem,
# resolved as ISO 8601 with its offset); maintenance: ("maintenance", visibility, latest).
Entry = tuple[Any, ...]


def _stamp(components: bytes) -> bytes:
    """What a record's verdict depends on besides its own bytes and path."""
    import statusledger.blockyaml as blockyaml
    import statusledger.cache as cache
    import statusledger.facts as facts
    import statusledger.listing as listing
    import statusledger.loading as loading
    import statusledger.modelerrors as modelerrors
    import statusledger.parsecache as parsecache
    import statusledger.records.models as models
    import statusledger.records.types as types
    import statusledger.validation as validation
    import statusledger.yamlfile as yamlfile

    digest = hashlib.blake2b(_MAGIC, digest_size=32)
    # PyYAML reads what the fast reader cannot, and Python's own parsing (dates) may change.
    versions = f"pydantic={pydantic.VERSION}|pyyaml={yaml.__version__}|{sys.version_info[:2]}"
    digest.update(versions.encode() + b"\0")
    folder = Path(validation.__file__).parent
    sources = [loading.__file__, listing.__file__, models.__file__, types.__file__, __file__]
    sources += [modelerrors.__file__, facts.__file__]
    sources += sorted(str(p) for p in Path(models.__file__).parent.glob("*.py"))  # records/*
    sources += [yamlfile.__file__, blockyaml.__file__, parsecache.__file__, cache.__file__]
    sources += sorted(str(p) for p in folder.glob("*.py"))
    for source in sources:
        digest.update(Path(source).read_bytes())
    digest.update(b"\0components\0" + components)
    return digest.digest()


class SettledCache:
    """The facts of settled records by digest, for one repository and one `now`."""

    def __init__(self, file: Path | None, components: bytes, now: datetime) -> None:
        self.file = file
        self._now = now.timestamp()
        self._key = _stamp(components) if file else b""
        self._old: dict[bytes, Entry] = self._read() if file else {}
        self._keys: dict[str, bytes] = {}  # path -> key of the bytes read this run

    @classmethod
    def for_root(cls, root: Path, now: datetime) -> SettledCache:
        """The cache of one repository, or a disabled one (caching off, services.yaml invalid).

        Of services.yaml, per-record rules read only which components exist, so the key holds
        those ids: editing a policy, an SLA or the page keeps every record settled.
        """
        path = cache_path(root, "settled")
        services = load_services_file(root / SERVICES_FILE, root) if path else []
        if path is None or isinstance(services, list):
            return cls(None, b"", now)
        components = "\n".join(sorted(c.id for c in services.model.components))
        return cls(path.with_name(path.name + ".marshal"), components.encode(), now)

    def _read(self) -> dict[bytes, Entry]:
        assert self.file is not None
        entries = read_marshalled(self.file, _MAGIC)
        return entries if isinstance(entries, dict) else {}

    def lookup(self, rel: str, raw: bytes) -> RecordFacts | None:
        """The settled record's facts for these exact bytes at this path, or None to read it."""
        if self.file is None:
            return None
        digest = hashlib.blake2b(raw, digest_size=20, key=self._key)
        digest.update(b"\0" + rel.encode("utf-8", "surrogateescape"))
        key = self._keys[rel] = digest.digest()
        entry = self._old.get(key)
        if entry is None or not entry[2] < self._now:
            return None
        try:
            text = decode(raw)
            return _restore(entry, rel, Positions(source=(text, 0)))
        except (ValueError, TypeError, LookupError, YamlProblem):  # damaged: read it afresh
            return None

    def save(self, ledger: Ledger, report: Report) -> None:
        """Settle the clean, closed records of this run (dropping all others) when that changed."""
        if self.file is None:
            return
        entries: dict[bytes, Entry] = {}
        for facts in ledger.settled:
            key = self._keys.get(facts.path)
            if key is not None and facts.path not in report.flagged:
                entries[key] = self._old[key]
        for record in ledger.records:
            key = self._keys.get(record.path)
            if key is None or record.path in report.flagged:
                continue
            entry = settle(record.model)
            if entry is not None:
                entries[key] = entry
        if entries == self._old:
            return
        self._old = entries
        write_marshalled(self.file, _MAGIC, entries)


def load_settled(root: Path, now: datetime) -> tuple[Ledger, SettledCache]:
    """The ledger as `validate` reads it, and the cache to save after validating.

    Settled records come as their facts (`Ledger.settled`); services.yaml, the postmortems and
    the other records are parsed through a parse cache of validate's own (the full one is for
    complete models).
    """
    settled = SettledCache.for_root(root, now)
    cache = ParseCache.for_root(root, "parsed-front")
    return load_ledger(root, cache=cache, known=settled.lookup), settled


def settle(model: Incident | Maintenance) -> Entry | None:
    """What a record settles as, or None while it is open."""
    moments = [moment for _, moment in past_moments(model)]
    latest = max(moments).timestamp() if moments else float("-inf")
    facts = facts_of("", "", model, Positions())
    if isinstance(facts, MaintenanceFacts):
        return ("maintenance", facts.visibility.value, latest)
    if facts.resolved is None:
        return None
    resolved = facts.resolved.isoformat()
    visibility, severity = facts.visibility.value, facts.severity.value
    return ("incident", visibility, latest, severity, facts.postmortem, resolved)


# Enum members by value: calling the enum class per record costs more than the rest of it.
_SEVERITY = {e.value: e for e in SeverityLevel}
_VISIBILITY = {e.value: e for e in Visibility}


def _restore(entry: Entry, rel: str, positions: Positions) -> RecordFacts:
    """The facts of a settled record from its entry."""
    record_id = posixpath.splitext(posixpath.basename(rel))[0]
    visibility = _VISIBILITY[entry[1]]
    if entry[0] == "maintenance":
        return MaintenanceFacts(record_id, rel, visibility, positions)
    severity, postmortem, resolved = _SEVERITY[entry[3]], entry[4], entry[5]
    moment = datetime.fromisoformat(resolved)
    return IncidentFacts(record_id, rel, visibility, positions, severity, postmortem, moment)
