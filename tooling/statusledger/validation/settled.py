"""Records that validated clean before, kept as short summaries so `validate` skips them.

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
postmortems, duplicate ids, the postmortem policy) still run over every record each time; a
settled record's model therefore holds exactly the fields those rules read (of its updates,
only the last, which says whether it is closed and when), and reading any other field raises
AttributeError rather than returning a made-up value. `whole()` reads the complete record
again from its text (the history guard does for the files it compares, authoring for the
record it changes).

`validate` and the authoring commands (new, update, resolve) read records this way; the site,
SLA and metrics need complete models. The cache lives beside the parse cache, outside the
repository; a missing or damaged one only makes the run a full one.
"""

from __future__ import annotations

import hashlib
import posixpath
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

import pydantic
import yaml

from statusledger.loading import (
    SERVICES_FILE,
    Ledger,
    Loaded,
    LoadedRecord,
    load_ledger,
    load_record_text,
    load_services_file,
)
from statusledger.parsecache import ParseCache, cache_path, read_marshalled, write_marshalled
from statusledger.records.models import (
    Incident,
    IncidentStatus,
    IncidentUpdate,
    Maintenance,
    MaintenanceStatus,
    MaintenanceUpdate,
    SeverityLevel,
    Timeline,
    Visibility,
)
from statusledger.validation import Report
from statusledger.validation.time import past_moments
from statusledger.yamlfile import Positions, YamlProblem, decode

_MAGIC = b"statusledger-settled-2\n"

# A settled incident: what the cross-record rules read of it, its latest moment, positions.
#   ("incident", severity, visibility, postmortem, resolved, last update at, last status,
#    latest, positions)
# A settled maintenance: ("maintenance", visibility, last update at, last status, latest,
#    positions).
# Moments are ISO 8601 text in UTC; `latest` is seconds since the epoch, for the `now` check;
# positions are those findings asked for so far, packed (yamlfile.Positions.pack).
Summary = tuple[Any, ...]


@dataclass(frozen=True)
class SettledRecord(Loaded[Any]):
    """A record taken from the settled cache, with its text to read it whole when asked."""

    text: str = ""
    settled: ClassVar[bool] = True

    def whole(self) -> Loaded[Any]:
        """The complete record, read again from its text (it loaded cleanly last time)."""
        loaded = load_record_text(self.text, self.path)
        return self if isinstance(loaded, list) else loaded


def _stamp(components: bytes) -> bytes:
    """What a record's verdict depends on besides its own bytes and path."""
    import statusledger.blockyaml as blockyaml
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
    sources += [modelerrors.__file__]
    sources += sorted(str(p) for p in Path(models.__file__).parent.glob("*.py"))  # records/*
    sources += [yamlfile.__file__, blockyaml.__file__, parsecache.__file__]
    sources += sorted(str(p) for p in folder.glob("*.py"))
    for source in sources:
        digest.update(Path(source).read_bytes())
    digest.update(b"\0components\0" + components)
    return digest.digest()


class SettledCache:
    """Summaries of settled records by digest, for one repository and one `now`."""

    def __init__(self, file: Path | None, components: bytes, now: datetime) -> None:
        self.file = file
        self._now = now.timestamp()
        self._key = _stamp(components) if file else b""
        self._old: dict[bytes, Summary] = self._read() if file else {}
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

    def _read(self) -> dict[bytes, Summary]:
        assert self.file is not None
        entries = read_marshalled(self.file, _MAGIC)
        return entries if isinstance(entries, dict) else {}

    def lookup(self, rel: str, raw: bytes) -> LoadedRecord | None:
        """The settled record for these exact bytes at this path, or None to read it afresh."""
        if self.file is None:
            return None
        digest = hashlib.blake2b(raw, digest_size=20, key=self._key)
        digest.update(b"\0" + rel.encode("utf-8", "surrogateescape"))
        key = self._keys[rel] = digest.digest()
        summary = self._old.get(key)
        if summary is None or not summary[-2] < self._now:
            return None
        try:
            model = _restore(summary)
            text = decode(raw)
        except (ValueError, TypeError, LookupError, YamlProblem):  # damaged: read it afresh
            return None
        record_id = posixpath.splitext(posixpath.basename(rel))[0]
        positions = Positions.unpack(summary[-1], text, 0)
        settled: LoadedRecord = SettledRecord(record_id, rel, model, positions, text)
        return settled

    def save(self, ledger: Ledger, report: Report) -> None:
        """Settle the clean, closed records of this run (dropping all others) when that changed."""
        if self.file is None:
            return
        entries: dict[bytes, Summary] = {}
        for record in ledger.records:
            key = self._keys.get(record.path)
            if key is None or record.path in report.flagged:
                continue
            summary = self._old[key][:-1] if record.settled else summarise(record.model)
            if summary is not None:
                entries[key] = (*summary, record.positions.pack())
        if entries == self._old:
            return
        self._old = entries
        write_marshalled(self.file, _MAGIC, entries)


def load_settled(root: Path, now: datetime) -> tuple[Ledger, SettledCache]:
    """The ledger as `validate` reads it, and the cache to save after validating.

    Settled records come as summaries; services.yaml, the postmortems and the other records are
    parsed through a parse cache of validate's own (the full one is for complete models).
    """
    settled = SettledCache.for_root(root, now)
    cache = ParseCache.for_root(root, "parsed-front")
    return load_ledger(root, cache=cache, known=settled.lookup), settled


def summarise(model: Incident | Maintenance) -> Summary | None:
    """What a record settles as (less its positions), or None while it is open."""
    moments = [moment for _, moment in past_moments(model)]
    latest = max(moments).timestamp() if moments else float("-inf")
    last = model.updates[-1]
    if isinstance(model, Incident):
        if model.is_open:
            return None
        resolved = model.timeline.resolved
        return (
            "incident",
            model.severity.value,
            model.visibility.value,
            model.postmortem,
            resolved.isoformat() if resolved is not None else None,
            last.at.isoformat(),
            last.status.value,
            latest,
        )
    return ("maintenance", model.visibility.value, last.at.isoformat(), last.status.value, latest)


def _bare(cls: type[pydantic.BaseModel], **fields: Any) -> Any:
    """A model instance holding only `fields`, as `model_construct` builds it (no defaults).

    A field left out raises AttributeError when read, so a rule that starts reading more of a
    settled record fails loudly in the tests instead of seeing a default.
    """
    instance = cls.__new__(cls)
    object.__setattr__(instance, "__dict__", fields)
    object.__setattr__(instance, "__pydantic_fields_set__", set(fields))
    object.__setattr__(instance, "__pydantic_extra__", None)
    object.__setattr__(instance, "__pydantic_private__", None)
    return instance


def _moment(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


# Enum members by value: calling the enum class per record costs more than the rest of it.
_SEVERITY = {e.value: e for e in SeverityLevel}
_VISIBILITY = {e.value: e for e in Visibility}
_INCIDENT_STATUS = {e.value: e for e in IncidentStatus}
_MAINTENANCE_STATUS = {e.value: e for e in MaintenanceStatus}


def _restore(summary: Summary) -> Incident | Maintenance:
    """The partial model of a settled record (see the module docstring)."""
    if summary[0] == "incident":
        _, severity, visibility, postmortem, resolved, at, status = summary[:7]
        update = _bare(IncidentUpdate, at=_moment(at), status=_INCIDENT_STATUS[status])
        incident: Incident = _bare(
            Incident,
            kind="incident",
            severity=_SEVERITY[severity],
            visibility=_VISIBILITY[visibility],
            postmortem=postmortem,
            timeline=_bare(Timeline, resolved=_moment(resolved)),
            updates=[update],
        )
        return incident
    _, visibility, at, status = summary[:4]
    last = _bare(MaintenanceUpdate, at=_moment(at), status=_MAINTENANCE_STATUS[status])
    maintenance: Maintenance = _bare(
        Maintenance, kind="maintenance", visibility=_VISIBILITY[visibility], updates=[last]
    )
    return maintenance
