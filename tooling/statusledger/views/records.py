"""The public views of incidents, maintenance windows and postmortems, one record at a time.

Each function reads a record that public_ledger let through and copies only the fields a
public output shows: roles, severity changes, owners and authors stay behind.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, MutableMapping, Sequence
from datetime import datetime

from statusledger.compute.status import maintenance_active
from statusledger.loading import LoadedPostmortem, LoadedRecord
from statusledger.markup import render_markdown, render_markdown_remembered
from statusledger.records.models import (
    ImpactLevel,
    Incident,
    IncidentStatus,
    IncidentUpdate,
    Maintenance,
    MaintenanceStatus,
    MaintenanceUpdate,
    Page,
    Policy,
    SeverityLevel,
)
from statusledger.views.model import (
    ActionItemView,
    AffectedView,
    IncidentView,
    MaintenanceState,
    MaintenanceView,
    PostmortemView,
    UpdateView,
    worst,
)

_STATUSPAGE_IMPACT = {
    None: "none",
    ImpactLevel.DEGRADED_PERFORMANCE: "minor",
    ImpactLevel.PARTIAL_OUTAGE: "major",
    ImpactLevel.MAJOR_OUTAGE: "critical",
}


def incident_views(
    records: Iterable[LoadedRecord],
    page: Page,
    names: dict[str, str],
    published: dict[str, LoadedPostmortem],
    policies: Mapping[SeverityLevel, Policy],
) -> list[IncidentView]:
    """The incidents among `records`, newest first."""
    return sorted(
        (
            _incident_view(r, page, names, published, policies)
            for r in records
            if isinstance(r.model, Incident)
        ),
        key=lambda i: (i.started, i.id),
        reverse=True,
    )


def maintenance_views(
    records: Iterable[LoadedRecord], page: Page, now: datetime
) -> list[MaintenanceView]:
    """The maintenance windows among `records`, latest start first."""
    return sorted(
        (_maintenance_view(r, page, now) for r in records if isinstance(r.model, Maintenance)),
        key=lambda m: (m.start, m.id),
        reverse=True,
    )


def postmortem_views(
    published: Iterable[LoadedPostmortem],
    page: Page,
    public_ids: set[str],
    memo: MutableMapping[str, bytes] | None,
) -> list[PostmortemView]:
    """The published postmortems, newest first, linking public records only."""
    return sorted(
        (_postmortem_view(p, page, public_ids, memo) for p in published),
        key=lambda p: (p.date, p.id),
        reverse=True,
    )


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


def _next_update_due(model: Incident, policy: Policy | None) -> datetime | None:
    """When the severity's `update_every` expects the next update of an open incident."""
    if model.is_open and policy is not None and policy.update_every is not None:
        return model.updates[-1].at + policy.update_every
    return None


def _incident_view(
    record: LoadedRecord,
    page: Page,
    names: dict[str, str],
    published: dict[str, LoadedPostmortem],
    policies: Mapping[SeverityLevel, Policy],
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
    return IncidentView(
        id=record.id,
        title=model.title,
        severity=model.severity,
        category=model.category,
        status=model.status,
        impact=_STATUSPAGE_IMPACT[worst(a.level for a in affected)],
        started=started,
        resolved=resolved,
        updated=model.updates[-1].at,
        monitoring_at=monitoring,
        duration=(resolved - started) if resolved else None,
        affected=affected,
        updates=_updates(record.id, model.updates),
        postmortem_id=model.postmortem if model.postmortem in published else None,
        corrections=list(model.corrections),
        tags=list(model.tags),
        url=f"{page.url}/incidents/{record.id}/",
        next_update_due=_next_update_due(model, policies.get(model.severity)),
    )


def _maintenance_state(model: Maintenance, now: datetime) -> MaintenanceState:
    if model.status is MaintenanceStatus.CANCELLED:
        return "cancelled"
    if model.status is MaintenanceStatus.COMPLETED:
        return "completed"
    if maintenance_active(model, now):
        return "active"
    if model.window.start > now:
        return "upcoming"
    return "completed"


def _maintenance_view(record: LoadedRecord, page: Page, now: datetime) -> MaintenanceView:
    model = record.model
    assert isinstance(model, Maintenance)
    return MaintenanceView(
        id=record.id,
        title=model.title,
        status=model.status,
        start=model.window.start,
        end=model.window.end,
        component_ids=tuple(model.components),
        updates=_updates(record.id, model.updates),
        state=_maintenance_state(model, now),
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
