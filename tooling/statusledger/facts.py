"""What the cross-record rules read of a record: its facts, from a model or from validate's cache.

Links between incidents and postmortems, duplicate ids and the postmortem policy look at every
record on every `validate`, yet read only a handful of its fields. Those fields are the facts:
a record loaded whole has them computed from its model (`facts_of`), a record `validate` took
from its settled cache (validation/settled.py) has only them. Rules that read facts therefore
work the same on both, and mypy refuses a rule that reaches for a field the facts do not hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from statusledger.records.models import Incident, Maintenance, SeverityLevel, Visibility
from statusledger.yamlfile import Path_, Position, Positions


@dataclass(frozen=True)
class _Facts:
    """Where a record is: its id (file stem), path and the positions of its values."""

    id: str
    path: str
    visibility: Visibility
    # Positions are found in the file's text when a finding asks (yamlfile.Positions).
    positions: Positions

    def at(self, *loc: str | int, key: bool = False) -> tuple[str, int, int]:
        """Return (path, line, col) of a value, for findings about it."""
        line, col = self.position(loc, key=key)
        return self.path, line, col

    def position(self, loc: Path_, *, key: bool = False) -> Position:
        """(line, col) of a value or, with `key`, of its key."""
        return self.positions.of(loc, key=key)


@dataclass(frozen=True)
class IncidentFacts(_Facts):
    """An incident's facts: its severity, postmortem link and when it was resolved."""

    severity: SeverityLevel
    postmortem: str | None
    # None while open; else `timeline.resolved`, or the last update (compute.milestones).
    resolved: datetime | None

    @property
    def is_open(self) -> bool:
        """Whether the incident is still going on (an open one is never taken from the cache)."""
        return self.resolved is None


@dataclass(frozen=True)
class MaintenanceFacts(_Facts):
    """A maintenance window's facts: where it is, and its visibility."""


RecordFacts = IncidentFacts | MaintenanceFacts


def incident_facts(
    record_id: str, path: str, model: Incident, positions: Positions
) -> IncidentFacts:
    """The facts of an incident loaded whole."""
    resolved = None if model.is_open else (model.timeline.resolved or model.updates[-1].at)
    return IncidentFacts(
        record_id, path, model.visibility, positions, model.severity, model.postmortem, resolved
    )


def facts_of(
    record_id: str, path: str, model: Incident | Maintenance, positions: Positions
) -> RecordFacts:
    """The facts of a record loaded whole."""
    if isinstance(model, Incident):
        return incident_facts(record_id, path, model, positions)
    return MaintenanceFacts(record_id, path, model.visibility, positions)
