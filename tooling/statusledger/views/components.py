"""The public views of components: status now, uptime bars, and the groups they sit in.

Status and bars are computed from the public ledger only, and each bar is coloured by the
public incidents of its day, so an internal incident never shows through.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from statusledger.compute.status import statuses
from statusledger.compute.uptime import UptimeIndex
from statusledger.loading import LoadedRecord
from statusledger.records.models import Component, ComponentStatus, Group, Services
from statusledger.views.model import (
    EPOCH,
    ComponentView,
    DayView,
    GroupView,
    IncidentView,
    worst,
)


@dataclass(frozen=True)
class _Facts:
    """What every component's view is read from, computed once for all of them."""

    services: Services
    zone: ZoneInfo
    shown: list[date]
    current: dict[str, ComponentStatus]
    index: UptimeIndex
    public_ids: set[str]
    by_component: dict[str, list[str]]
    group_names: dict[str, str]


def component_views(
    services: Services,
    records: Sequence[LoadedRecord],
    now: datetime,
    days: int,
    incidents: Sequence[IncidentView],
    public_ids: set[str],
) -> list[ComponentView]:
    """Every component in services.yaml order, with its last `days` days of bars."""
    zone = ZoneInfo(services.page.timezone)
    today = now.astimezone(zone).date()
    facts = _Facts(
        services=services,
        zone=zone,
        shown=[today - timedelta(days=n) for n in range(days - 1, -1, -1)],
        current=statuses(records, now),
        index=UptimeIndex(services, records, now),
        public_ids=public_ids,
        by_component=_incidents_by_component(incidents),
        group_names={g.id: g.name for g in services.groups},
    )
    return [
        _component_view(component, position, facts)
        for position, component in enumerate(services.components, start=1)
    ]


def _incidents_by_component(incidents: Sequence[IncidentView]) -> dict[str, list[str]]:
    by_component: dict[str, list[str]] = {}
    for incident in incidents:
        for component_id in incident.component_ids:
            by_component.setdefault(component_id, []).append(incident.id)
    return by_component


def _component_view(component: Component, position: int, facts: _Facts) -> ComponentView:
    services = facts.services
    day_views = _days(facts.index, component.id, facts.shown, facts.public_ids)
    sla = services.slas.get(component.sla) if component.sla else None
    return ComponentView(
        id=component.id,
        name=component.name,
        description=component.description,
        group_id=component.group,
        group_name=facts.group_names.get(component.group) if component.group else None,
        status=facts.current.get(component.id, ComponentStatus.OPERATIONAL),
        sla_id=component.sla,
        target=sla.target if sla else None,
        only_show_if_degraded=component.only_show_if_degraded,
        position=position,
        days=day_views,
        uptime=_mean_uptime(day_views),
        incident_ids=tuple(facts.by_component.get(component.id, ())),
        created=_created(component, facts.zone),
    )


def _mean_uptime(day_views: Sequence[DayView]) -> float | None:
    """The mean of the days that were measured; None when none was."""
    counted = [d.uptime for d in day_views if d.uptime is not None]
    return sum(counted) / len(counted) if counted else None


def _created(component: Component, zone: ZoneInfo) -> datetime:
    """The start of its `since` day in the page's zone, else EPOCH."""
    if not component.since:
        return EPOCH
    return datetime.combine(component.since, datetime.min.time(), zone).astimezone(UTC)


def _days(
    index: UptimeIndex, component_id: str, shown: list[date], public_ids: set[str]
) -> list[DayView]:
    return [
        DayView(
            date=d.date,
            uptime=d.uptime,
            downtime_seconds=d.downtime_seconds,
            # Colour from public incidents only: an internal one must not show through.
            worst=worst(
                level for i, level in zip(d.incident_ids, d.levels, strict=True) if i in public_ids
            ),
            incident_ids=tuple(i for i in d.incident_ids if i in public_ids),
        )
        for d in index.days(component_id, shown)
    ]


def group_views(components: list[ComponentView], groups: Sequence[Group]) -> list[GroupView]:
    """The groups in services.yaml order with their components, then the ungrouped ones."""
    result = []
    for group in groups:
        members = [c for c in components if c.group_id == group.id]
        if members:
            result.append(GroupView(group.id, group.name, members))
    ungrouped = [c for c in components if c.group_id is None]
    if ungrouped:
        result.append(GroupView(None, None, ungrouped))
    return result
