"""The shapes of the public projection: what a View holds, and nothing internal.

Each class lists only the fields a public output may show (no roles, owners or authors), so a
renderer cannot leak what it was never given.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cached_property
from typing import Any, Literal
from zoneinfo import ZoneInfo

from statusledger.records.models import (
    ActionStatus,
    ActionType,
    Category,
    ComponentStatus,
    Correction,
    Detection,
    ImpactLevel,
    IncidentStatus,
    MaintenanceStatus,
    Page,
    Priority,
    RootCause,
    SeverityLevel,
)

# The creation time of a component without `since` (the API writes no start date for it).
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
_LEVEL_RANK = {
    ImpactLevel.DEGRADED_PERFORMANCE: 1,
    ImpactLevel.PARTIAL_OUTAGE: 2,
    ImpactLevel.MAJOR_OUTAGE: 3,
}


@dataclass(frozen=True)
class DayView:
    """One uptime bar: a day in the page's time zone."""

    date: date
    uptime: float | None
    downtime_seconds: float
    worst: ImpactLevel | None
    incident_ids: tuple[str, ...]


@dataclass(frozen=True)
class ComponentView:
    """A component as the page shows it."""

    id: str
    name: str
    description: str | None
    group_id: str | None
    group_name: str | None
    status: ComponentStatus
    sla_id: str | None
    target: float | None
    only_show_if_degraded: bool
    position: int
    days: list[DayView]
    uptime: float | None
    incident_ids: tuple[str, ...]
    created: datetime


@dataclass(frozen=True)
class GroupView:
    """A heading with its components; id None gathers the ungrouped ones."""

    id: str | None
    name: str | None
    components: list[ComponentView]


@dataclass(frozen=True)
class UpdateView:
    """One public update with its message already sanitised to HTML."""

    id: str
    at: datetime
    status: str
    message: str
    html: str
    affected: tuple[str, ...] = ()


@dataclass(frozen=True)
class AffectedView:
    """One impact as published: component, level and when."""

    component_id: str
    name: str
    level: ImpactLevel
    start: datetime
    end: datetime | None


@dataclass(frozen=True)
class IncidentView:
    """A public incident."""

    id: str
    title: str
    severity: SeverityLevel
    category: Category
    status: IncidentStatus
    impact: str
    started: datetime
    resolved: datetime | None
    updated: datetime
    monitoring_at: datetime | None
    duration: timedelta | None
    affected: list[AffectedView]
    updates: list[UpdateView]
    postmortem_id: str | None
    corrections: list[Correction]
    tags: list[str]
    url: str
    # When the response policy of its severity (`update_every`) expects the next update.
    next_update_due: datetime | None = None

    @property
    def is_open(self) -> bool:
        """Still going on."""
        return self.status is not IncidentStatus.RESOLVED

    @property
    def worst_level(self) -> ImpactLevel | None:
        """The worst impact level of the incident, if it had any impact."""
        return worst(a.level for a in self.affected)

    @property
    def component_ids(self) -> tuple[str, ...]:
        """Affected components, each once, in order of first impact."""
        return tuple(dict.fromkeys(a.component_id for a in self.affected))


MaintenanceState = Literal["upcoming", "active", "completed", "cancelled"]


@dataclass(frozen=True)
class MaintenanceView:
    """A public maintenance window."""

    id: str
    title: str
    status: MaintenanceStatus
    start: datetime
    end: datetime
    component_ids: tuple[str, ...]
    updates: list[UpdateView]
    state: MaintenanceState
    url: str
    created: datetime
    updated: datetime
    corrections: list[Correction] = field(default_factory=list)


@dataclass(frozen=True)
class ActionItemView:
    """The public fields of an action item (the owner is internal)."""

    id: str
    title: str
    type: ActionType
    priority: Priority
    due: date | None
    status: ActionStatus
    ticket: str | None


@dataclass(frozen=True)
class PostmortemView:
    """A published postmortem (authors are internal)."""

    id: str
    title: str
    date: date
    summary: str
    root_causes: list[RootCause]
    detection: Detection | None
    incident_ids: tuple[str, ...]
    html: str
    action_items: list[ActionItemView]
    url: str


@dataclass(frozen=True)
class View:
    """Everything a build publishes, public data only."""

    page: Page
    now: datetime
    overall: ComponentStatus
    components: list[ComponentView]
    groups: list[GroupView]
    incidents: list[IncidentView]
    maintenances: list[MaintenanceView]
    postmortems: list[PostmortemView]

    @property
    def zone(self) -> ZoneInfo:
        """The page's time zone, in which days and months are cut and times shown."""
        return ZoneInfo(self.page.timezone)

    # Lookups by id go through dicts built on first use: pages look records up for every
    # link they draw, and a scan per lookup made the site build quadratic in the records.
    @cached_property
    def _by_id(self) -> dict[str, dict[str, Any]]:
        return {
            # reversed: with a duplicate id (which validation refuses) the first one wins.
            "component": {c.id: c for c in reversed(self.components)},
            "incident": {i.id: i for i in reversed(self.incidents)},
            "maintenance": {m.id: m for m in reversed(self.maintenances)},
            "postmortem": {p.id: p for p in reversed(self.postmortems)},
        }

    def component(self, component_id: str) -> ComponentView | None:
        """Return a component by id."""
        found: ComponentView | None = self._by_id["component"].get(component_id)
        return found

    def incident(self, incident_id: str) -> IncidentView | None:
        """Return a public incident by id."""
        found: IncidentView | None = self._by_id["incident"].get(incident_id)
        return found

    def maintenance(self, maintenance_id: str) -> MaintenanceView | None:
        """Return a public maintenance by id."""
        found: MaintenanceView | None = self._by_id["maintenance"].get(maintenance_id)
        return found

    def postmortem(self, postmortem_id: str) -> PostmortemView | None:
        """Return a published postmortem by id."""
        found: PostmortemView | None = self._by_id["postmortem"].get(postmortem_id)
        return found

    @property
    def open_incidents(self) -> list[IncidentView]:
        """Incidents still going on, newest first."""
        return [i for i in self.incidents if i.is_open]

    @property
    def active_maintenances(self) -> list[MaintenanceView]:
        """Maintenance in progress now."""
        return [m for m in self.maintenances if m.state == "active"]

    @property
    def upcoming_maintenances(self) -> list[MaintenanceView]:
        """Maintenance announced and not yet begun, soonest first."""
        return sorted(
            (m for m in self.maintenances if m.state == "upcoming"), key=lambda m: m.start
        )


def worst(levels: Iterable[ImpactLevel]) -> ImpactLevel | None:
    """The worst of some impact levels, None when there are none."""
    best: ImpactLevel | None = None
    for level in levels:
        if best is None or _LEVEL_RANK[level] > _LEVEL_RANK[best]:
            best = level
    return best
