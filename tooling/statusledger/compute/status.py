"""Current status of components and of the page, from the records at a given moment.

A component's status is the worst level among the impacts open on it at `now`, or
under_maintenance while a maintenance on it is in progress; the page's status is the worst of
its components, from the records it is given: the public page passes public records only
(views.public_ledger), so an internal incident never turns a public status; internal commands
pass every record.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from statusledger.loading import LoadedRecord
from statusledger.records.models import (
    ComponentStatus,
    Impact,
    Incident,
    Maintenance,
    MaintenanceStatus,
)

_ENDED = (MaintenanceStatus.COMPLETED, MaintenanceStatus.CANCELLED)


def impact_open(impact: Impact, now: datetime) -> bool:
    """An impact is open at `now` when it has begun and not ended."""
    return impact.from_ <= now and (impact.to is None or impact.to > now)


def maintenance_active(maintenance: Maintenance, now: datetime) -> bool:
    """In progress: its status says so, or its window covers now and it has not ended."""
    status = maintenance.status
    if status in _ENDED:
        return False
    if status in (MaintenanceStatus.IN_PROGRESS, MaintenanceStatus.VERIFYING):
        return maintenance.updates[-1].at <= now
    return maintenance.window.start <= now < maintenance.window.end


def statuses(records: Sequence[LoadedRecord], now: datetime) -> dict[str, ComponentStatus]:
    """Status of every component that has an open impact or active maintenance (one pass)."""
    result: dict[str, ComponentStatus] = {}

    def raise_to(component_id: str, level: ComponentStatus) -> None:
        current = result.get(component_id, ComponentStatus.OPERATIONAL)
        if level.rank > current.rank:
            result[component_id] = level

    for record in records:
        model = record.model
        if isinstance(model, Incident):
            for impact in model.impact:
                if impact_open(impact, now):
                    raise_to(impact.component, ComponentStatus(impact.level.value))
        elif maintenance_active(model, now):
            for component_id in model.components:
                raise_to(component_id, ComponentStatus.UNDER_MAINTENANCE)
    return result


def overall_status(values: Iterable[ComponentStatus]) -> ComponentStatus:
    """The page's status: the worst of its components."""
    return max(values, key=lambda s: s.rank, default=ComponentStatus.OPERATIONAL)
