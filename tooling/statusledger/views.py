"""The public projection of the records, computed once per build.

Everything the site, feeds, API, calendar and badges show comes from a View, and a View holds
nothing internal: no internal record, no draft postmortem, no roles, authors or owners. So a
renderer cannot leak what it was never given.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from functools import cached_property
from typing import Any, Literal
from zoneinfo import ZoneInfo

from statusledger.compute.status import maintenance_active, overall_status, statuses
from statusledger.compute.uptime import UptimeIndex
from statusledger.loading import Ledger, LoadedPostmortem, LoadedRecord
from statusledger.markup import render_markdown, render_markdown_remembered
from statusledger.records.models import (
    ActionStatus,
    ActionType,
    Category,
    ComponentStatus,
    Correction,
    Detection,
    Group,
    ImpactLevel,
    Incident,
    IncidentStatus,
    IncidentUpdate,
    Maintenance,
    MaintenanceStatus,
    MaintenanceUpdate,
    Page,
    Policy,
    PostmortemStatus,
    Priority,
    RootCause,
    SeverityLevel,
    Visibility,
)

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
_LEVEL_RANK = {
    ImpactLevel.DEGRADED_PERFORMANCE: 1,
    ImpactLevel.PARTIAL_OUTAGE: 2,
    ImpactLevel.MAJOR_OUTAGE: 3,
}
_STATUSPAGE_IMPACT = {
    None: "none",
    ImpactLevel.DEGRADED_PERFORMANCE: "minor",
    ImpactLevel.PARTIAL_OUTAGE: "major",
    ImpactLevel.MAJOR_OUTAGE: "critical",
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
        return _worst(a.level for a in self.affected)

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


def _worst(levels: Iterable[ImpactLevel]) -> ImpactLevel | None:
    best: ImpactLevel | None = None
    for level in levels:
        if best is None or _LEVEL_RANK[level] > _LEVEL_RANK[best]:
            best = level
    return best


def public_ledger(ledger: Ledger) -> Ledger:
    """The ledger as the public may see it: public records and published postmortems only.

    Every public output is computed from this (component status, bars, badges, the API's
    indicator, the SLA pages), so an internal incident changes nothing the public sees; the
    internal commands (sla, uptime, metrics) read the whole ledger. Filtering once, here, is
    what keeps a later figure from forgetting to.
    """
    return replace(
        ledger,
        records=[r for r in ledger.records if r.model.visibility is Visibility.PUBLIC],
        postmortems=[p for p in ledger.postmortems if p.model.status is PostmortemStatus.PUBLISHED],
    )


def build_view(
    ledger: Ledger,
    now: datetime,
    days: int = 90,
    markdown_memo: MutableMapping[str, bytes] | None = None,
) -> View:
    """Project the ledger onto what the public may see, at `now`.

    `markdown_memo` keeps the HTML of postmortem bodies between builds (see markup.py).
    """
    ledger = public_ledger(ledger)
    if ledger.services is None:
        raise ValueError("build_view needs a ledger whose services.yaml loaded")
    services = ledger.services.model
    page = services.page
    zone = ZoneInfo(page.timezone)
    public = [r for r in ledger.records if r.model.visibility is Visibility.PUBLIC]
    published = {
        p.id: p for p in ledger.postmortems if p.model.status is PostmortemStatus.PUBLISHED
    }
    names = {c.id: c.name for c in services.components}
    incidents = sorted(
        (
            _incident_view(r, page, names, published, services.policies)
            for r in public
            if isinstance(r.model, Incident)
        ),
        key=lambda i: (i.started, i.id),
        reverse=True,
    )
    maintenances = sorted(
        (_maintenance_view(r, page, now) for r in public if isinstance(r.model, Maintenance)),
        key=lambda m: (m.start, m.id),
        reverse=True,
    )
    public_ids = {i.id for i in incidents} | {m.id for m in maintenances}
    postmortems = sorted(
        (_postmortem_view(p, page, public_ids, markdown_memo) for p in published.values()),
        key=lambda p: (p.date, p.id),
        reverse=True,
    )
    today = now.astimezone(zone).date()
    shown = [today - timedelta(days=n) for n in range(days - 1, -1, -1)]
    current = statuses(ledger.records, now)
    by_component: dict[str, list[str]] = {}
    for incident in incidents:
        for component_id in incident.component_ids:
            by_component.setdefault(component_id, []).append(incident.id)
    groups = {g.id: g.name for g in services.groups}
    index = UptimeIndex(services, ledger.records, now)
    components = []
    for position, component in enumerate(services.components, start=1):
        day_views = _days(index, component.id, shown, public_ids)
        counted = [d for d in day_views if d.uptime is not None]
        uptime = (
            sum(d.uptime for d in counted if d.uptime is not None) / len(counted)
            if counted
            else None
        )
        sla = services.slas.get(component.sla) if component.sla else None
        created = (
            datetime.combine(component.since, datetime.min.time(), zone).astimezone(UTC)
            if component.since
            else EPOCH
        )
        components.append(
            ComponentView(
                id=component.id,
                name=component.name,
                description=component.description,
                group_id=component.group,
                group_name=groups.get(component.group) if component.group else None,
                status=current.get(component.id, ComponentStatus.OPERATIONAL),
                sla_id=component.sla,
                target=sla.target if sla else None,
                only_show_if_degraded=component.only_show_if_degraded,
                position=position,
                days=day_views,
                uptime=uptime,
                incident_ids=tuple(by_component.get(component.id, ())),
                created=created,
            )
        )
    return View(
        page=page,
        now=now,
        overall=overall_status(c.status for c in components),
        components=components,
        groups=_groups(components, services.groups),
        incidents=incidents,
        maintenances=maintenances,
        postmortems=postmortems,
    )


def _groups(components: list[ComponentView], groups: Sequence[Group]) -> list[GroupView]:
    result = []
    for group in groups:
        members = [c for c in components if c.group_id == group.id]
        if members:
            result.append(GroupView(group.id, group.name, members))
    ungrouped = [c for c in components if c.group_id is None]
    if ungrouped:
        result.append(GroupView(None, None, ungrouped))
    return result


def _days(
    index: UptimeIndex, component_id: str, shown: list[date], public_ids: set[str]
) -> list[DayView]:
    return [
        DayView(
            date=d.date,
            uptime=d.uptime,
            downtime_seconds=d.downtime_seconds,
            # Colour from public incidents only: an internal one must not show through.
            worst=_worst(
                level for i, level in zip(d.incident_ids, d.levels, strict=True) if i in public_ids
            ),
            incident_ids=tuple(i for i in d.incident_ids if i in public_ids),
        )
        for d in index.days(component_id, shown)
    ]


def _updates(
    record_id: str, updates: Sequence[IncidentUpdate | MaintenanceUpdate]
) -> list[UpdateView]:
    return [
        UpdateView(
            id=f"{record_id}-{index}",
            at=u.at,
            status=u.status.value,
            message=u.message,
            html=render_markdown(u.message),
        )
        for index, u in enumerate(updates)
    ]


def _incident_view(
    record: LoadedRecord,
    page: Page,
    names: dict[str, str],
    published: dict[str, LoadedPostmortem],
    policies: Mapping[SeverityLevel, Policy] | None = None,
) -> IncidentView:
    model = record.model
    assert isinstance(model, Incident)
    started = model.timeline.started or min([i.from_ for i in model.impact] + [model.updates[0].at])
    resolved = None
    if not model.is_open:
        resolved = model.timeline.resolved or model.updates[-1].at
    monitoring = next((u.at for u in model.updates if u.status is IncidentStatus.MONITORING), None)
    affected = [
        AffectedView(i.component, names.get(i.component, i.component), i.level, i.from_, i.to)
        for i in model.impact
    ]
    postmortem = model.postmortem if model.postmortem in published else None
    policy = (policies or {}).get(model.severity)
    due = None
    if model.is_open and policy is not None and policy.update_every is not None:
        due = model.updates[-1].at + policy.update_every
    return IncidentView(
        id=record.id,
        title=model.title,
        severity=model.severity,
        category=model.category,
        status=model.status,
        impact=_STATUSPAGE_IMPACT[_worst(a.level for a in affected)],
        started=started,
        resolved=resolved,
        updated=model.updates[-1].at,
        monitoring_at=monitoring,
        duration=(resolved - started) if resolved else None,
        affected=affected,
        updates=_updates(record.id, model.updates),
        postmortem_id=postmortem,
        corrections=list(model.corrections),
        tags=list(model.tags),
        url=f"{page.url}/incidents/{record.id}/",
        next_update_due=due,
    )


def _maintenance_view(record: LoadedRecord, page: Page, now: datetime) -> MaintenanceView:
    model = record.model
    assert isinstance(model, Maintenance)
    state: MaintenanceState
    if model.status is MaintenanceStatus.CANCELLED:
        state = "cancelled"
    elif model.status is MaintenanceStatus.COMPLETED:
        state = "completed"
    elif maintenance_active(model, now):
        state = "active"
    elif model.window.start > now:
        state = "upcoming"
    else:
        state = "completed"
    return MaintenanceView(
        id=record.id,
        title=model.title,
        status=model.status,
        start=model.window.start,
        end=model.window.end,
        component_ids=tuple(model.components),
        updates=_updates(record.id, model.updates),
        state=state,
        url=f"{page.url}/incidents/{record.id}/",
        created=model.updates[0].at,
        updated=model.updates[-1].at,
        corrections=list(model.corrections),
    )


def _postmortem_view(
    postmortem: LoadedPostmortem,
    page: Page,
    public_ids: set[str],
    memo: MutableMapping[str, bytes] | None,
) -> PostmortemView:
    model = postmortem.model
    return PostmortemView(
        id=postmortem.id,
        title=model.title,
        date=model.date,
        summary=model.summary,
        root_causes=list(model.root_causes),
        detection=model.detection,
        incident_ids=tuple(i for i in model.incidents if i in public_ids),
        html=render_markdown_remembered(postmortem.body, memo),
        action_items=[
            ActionItemView(a.id, a.title, a.type, a.priority, a.due, a.status, a.ticket)
            for a in model.action_items
        ],
        url=f"{page.url}/postmortems/{postmortem.id}/",
    )


__all__ = [
    "ActionItemView",
    "AffectedView",
    "ComponentView",
    "DayView",
    "GroupView",
    "IncidentView",
    "MaintenanceView",
    "PostmortemView",
    "UpdateView",
    "View",
    "build_view",
    "public_ledger",
]
