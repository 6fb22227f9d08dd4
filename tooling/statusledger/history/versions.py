"""Versions of record files read from Git: which kind a path is, and its model as it loads.

The guard, the change summaries and the log all compare an old version of a file (a blob)
with a new one (a blob or the file on disk); they load both with the loader's own functions,
so a version in history means what the same file would mean in the working tree.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from statusledger.errors import Finding
from statusledger.loading import (
    INCIDENTS_DIR,
    POSTMORTEMS_DIR,
    SERVICES_FILE,
    Loaded,
    LoadedPostmortem,
    load_postmortem_text,
    load_record_text,
    load_services_text,
)
from statusledger.records.models import (
    Incident,
    IncidentUpdate,
    Maintenance,
    MaintenanceUpdate,
    Postmortem,
    Services,
)

Model = Incident | Maintenance | Postmortem | Services
Record = Incident | Maintenance
Update = IncidentUpdate | MaintenanceUpdate
Version = Loaded[Incident] | Loaded[Maintenance] | LoadedPostmortem | Loaded[Services]


def kind_of(path: str | None) -> str | None:
    """Which kind of record file a ledger-relative path is, as the loader decides it."""
    if path is None:
        return None
    parts = PurePosixPath(path).parts
    if path == SERVICES_FILE:
        return "services"
    if len(parts) >= 2 and parts[0] == INCIDENTS_DIR and path.endswith((".yaml", ".yml")):
        return "record"
    if len(parts) == 2 and parts[0] == POSTMORTEMS_DIR and path.endswith(".md"):
        return "postmortem"
    return None


def load(raw: bytes, path: str) -> Version | list[Finding]:
    """One version of a record file, or the loader's findings when it does not load."""
    kind = kind_of(path)
    if kind == "record":
        return load_record_text(raw, path)
    if kind == "postmortem":
        return load_postmortem_text(raw, path)
    return load_services_text(raw, path)


def version(raw: bytes, path: str | None) -> Version | None:
    """One version of a record file (None: not a record file, or it does not load)."""
    if path is None or kind_of(path) is None:
        return None
    loaded = load(raw, path)
    return None if isinstance(loaded, list) else loaded


def type_of(model: Model) -> str:
    """The `type` a change summary or log shows for a model."""
    if isinstance(model, Incident | Maintenance):
        return model.kind
    return "postmortem" if isinstance(model, Postmortem) else "services"
