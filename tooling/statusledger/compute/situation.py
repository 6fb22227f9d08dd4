"""What is broken at `now`: the on-call view of `statusledger status`.

The statuses are those of compute/status.py (the page's own rules) and the update and resolve
deadlines those of the policy engine (compute/breaches.py), so `status`, `todo`, `validate` and
the page never disagree. Internal records count: this view is for the team.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from statusledger.compute.breaches import Duty, duties, seconds
from statusledger.compute.milestones import began_at
from statusledger.compute.status import impact_open, maintenance_active, overall_status, statuses
from statusledger.loading import Loaded, LoadedRecord
from statusledger.records.models import (
    ComponentStatus,
    ImpactLevel,
    Incident,
    IncidentStatus,
    Maintenance,
    MaintenanceStatus,
    Services,
    SeverityLevel,
    Visibility,
)
from statusledger.records.types import format_timestamp

_SEVERITY_ORDER = list(SeverityLevel)


def _stamp(moment: datetime | None) -> str | None:
    return format_timestamp(moment) if moment is not None else None


@dataclass(frozen=True)
class ComponentNow:
    """A component that is not operational, and the records that make it so."""

    id: str
    name: str
    status: ComponentStatus
    incidents: tuple[str, ...]
    maintenance: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        """The documented JSON shape (tooling/docs/oncall.md)."""
        return {
            "id": self.id,
            "name": self.name,
            "status": self.status.value,
            "incidents": list(self.incidents),
            "maintenance": list(self.maintenance),
        }


@dataclass(frozen=True)
class OpenIncident:
    """An incident whose last update is not `resolved`, with its clock.

    `next_update` and `resolve_by` are the policy's deadlines (None when its severity's policy
    has no `update_every` or `resolve`); `levels` the open impacts by component.
    """

    id: str
    title: str
    severity: SeverityLevel
    status: IncidentStatus
    visibility: Visibility
    started: datetime
    last_update: datetime
    next_update: datetime | None
    resolve_by: datetime | None
    levels: tuple[tuple[str, ImpactLevel], ...]

    def to_json(self, now: datetime) -> dict[str, object]:
        """The documented JSON shape (tooling/docs/oncall.md)."""
        return {
            "id": self.id,
            "title": self.title,
            "severity": self.severity.value,
            "status": self.status.value,
            "visibility": self.visibility.value,
            "started": format_timestamp(self.started),
            "age_seconds": seconds(now - self.started),
            "last_update": format_timestamp(self.last_update),
            "since_update_seconds": seconds(now - self.last_update),
            "next_update_due": _stamp(self.next_update),
            "update_overdue": self.next_update is not None and now > self.next_update,
            "resolve_due": _stamp(self.resolve_by),
            "resolve_overdue": self.resolve_by is not None and now > self.resolve_by,
            "components": {component: level.value for component, level in self.levels},
        }


@dataclass(frozen=True)
class MaintenanceNow:
    """A maintenance window in progress or still to come."""

    id: str
    title: str
    status: MaintenanceStatus
    visibility: Visibility
    start: datetime
    end: datetime
    components: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        """The documented JSON shape (tooling/docs/oncall.md)."""
        return {
            "id": self.id,
            "title": self.title,
            "status": self.status.value,
            "visibility": self.visibility.value,
            "start": format_timestamp(self.start),
            "end": format_timestamp(self.end),
            "components": list(self.components),
        }


@dataclass(frozen=True)
class Situation:
    """Everything `statusledger status` shows."""

    now: datetime
    overall: ComponentStatus
    components: list[ComponentNow]
    incidents: list[OpenIncident]
    active: list[MaintenanceNow]
    upcoming: list[MaintenanceNow]

    def to_json(self) -> dict[str, object]:
        """The documented JSON shape of `statusledger status --format json`."""
        return {
            "now": format_timestamp(self.now),
            "status": self.overall.value,
            "components": [c.to_json() for c in self.components],
            "incidents": [i.to_json(self.now) for i in self.incidents],
            "maintenance": {
                "active": [m.to_json() for m in self.active],
                "upcoming": [m.to_json() for m in self.upcoming],
            },
        }


def situation(services: Services, records: Sequence[LoadedRecord], now: datetime) -> Situation:
    """The state of every component, open incident and maintenance window at `now`."""
    current = statuses(records, now)
    known = [c for c in services.components if c.id in current]
    causes: dict[str, dict[str, None]] = {c.id: {} for c in known}
    held: dict[str, dict[str, None]] = {c.id: {} for c in known}
    active: list[MaintenanceNow] = []
    upcoming: list[MaintenanceNow] = []
    incidents = [r for r in records if isinstance(r.model, Incident)]
    for record in records:
        model = record.model
        if isinstance(model, Incident):
            for impact in model.impact:
                if impact.component in causes and impact_open(impact, now):
                    causes[impact.component][record.id] = None
        elif maintenance_active(model, now):
            active.append(_maintenance(record.id, model))
            for component_id in model.components:
                if component_id in held:
                    held[component_id][record.id] = None
        elif _upcoming(model, now):
            upcoming.append(_maintenance(record.id, model))
    return Situation(
        now=now,
        overall=overall_status(current[c.id] for c in known),
        components=[
            ComponentNow(c.id, c.name, current[c.id], tuple(causes[c.id]), tuple(held[c.id]))
            for c in known
        ],
        incidents=_open_incidents(services, incidents, now),
        active=sorted(active, key=lambda m: (m.start, m.id)),
        upcoming=sorted(upcoming, key=lambda m: (m.start, m.id)),
    )


def _upcoming(model: Maintenance, now: datetime) -> bool:
    ended = (MaintenanceStatus.COMPLETED, MaintenanceStatus.CANCELLED)
    return model.window.start > now and model.status not in ended


def _maintenance(record_id: str, model: Maintenance) -> MaintenanceNow:
    return MaintenanceNow(
        record_id,
        model.title,
        model.status,
        model.visibility,
        model.window.start,
        model.window.end,
        tuple(model.components),
    )


def _open_incidents(
    services: Services, incidents: Sequence[Loaded[Incident]], now: datetime
) -> list[OpenIncident]:
    opened = [r for r in incidents if r.model.is_open]
    owed: dict[tuple[str, str], Duty] = {
        (d.incident, d.kind): d
        for d in duties(services.policies, services.page.timezone, opened, [], now)
    }
    result = []
    for record in opened:
        model = record.model
        update, resolve = owed.get((record.id, "update")), owed.get((record.id, "resolve"))
        levels: dict[str, ImpactLevel] = {}
        for impact in model.impact:
            if impact_open(impact, now):
                worst = levels.get(impact.component)
                if worst is None or _rank(impact.level) > _rank(worst):
                    levels[impact.component] = impact.level
        result.append(
            OpenIncident(
                id=record.id,
                title=model.title,
                severity=model.severity,
                status=model.status,
                visibility=model.visibility,
                started=began_at(model),
                last_update=max(u.at for u in model.updates),
                next_update=update.deadline if update else None,
                resolve_by=resolve.deadline if resolve else None,
                levels=tuple(levels.items()),
            )
        )
    return sorted(result, key=lambda i: (_SEVERITY_ORDER.index(i.severity), i.started, i.id))


def _rank(level: ImpactLevel) -> int:
    return ComponentStatus(level.value).rank
