"""What an authoring command changes in a record, decided on its model before any text.

A `Change` says what to add in terms of the record's data; `ops` turns it into the operations of
the one YAML editor (yamledit.py), which edits the text and proves the result means exactly this.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from statusledger.errors import StatusledgerError
from statusledger.records.models import (
    MILESTONES,
    Incident,
    IncidentStatus,
    Maintenance,
    MaintenanceStatus,
    SeverityLevel,
    Timeline,
)
from statusledger.records.types import format_timestamp
from statusledger.yamledit import Append, Op, Set

OPERATIONAL = "operational"
FINAL_MAINTENANCE = (MaintenanceStatus.COMPLETED, MaintenanceStatus.CANCELLED)
# Milestones a status implies, set (when missing) by new and update.
IMPLIED = {
    IncidentStatus.INVESTIGATING: (),
    IncidentStatus.IDENTIFIED: ("acknowledged",),
    IncidentStatus.MONITORING: ("acknowledged", "mitigated"),
    IncidentStatus.RESOLVED: ("acknowledged", "mitigated", "resolved"),
}


@dataclass
class Change:
    """One edit of one record, in terms of its data; rendered into text by `ops`."""

    updates: list[tuple[str, str, str]] = field(default_factory=list)  # at, status, message
    close: dict[int, str] = field(default_factory=dict)  # impact index -> to
    open: list[tuple[str, str, str]] = field(default_factory=list)  # component, level, from
    milestones: dict[str, str] = field(default_factory=dict)  # set, or replaced when set
    postmortem: str | None = None
    severity: str | None = None
    severity_changes: list[tuple[str, str, str]] = field(default_factory=list)  # at, from, to
    roles: dict[str, str] = field(default_factory=dict)  # role -> who, set or replaced


def still_open(record_id: str, model: Incident) -> None:
    """Refuse to change a resolved incident: its history says it ended."""
    if not model.is_open:
        raise StatusledgerError(
            f"{record_id} was resolved at {format_timestamp(model.updates[-1].at)}; a resolved "
            "incident is not reopened. If the problem is back, open a new incident "
            "('statusledger new incident') and mention this one; to correct this record, "
            "edit it by hand (with a 'corrections' entry once it is merged)"
        )


def incident_update(
    record_id: str,
    model: Incident,
    status: IncidentStatus,
    message: str,
    now: datetime,
    label: str = "now",
) -> Change:
    """A public update at `now`, with the milestones its status implies."""
    still_open(record_id, model)
    _not_before_last(record_id, model.updates[-1].at, now, label)
    change = Change(updates=[(format_timestamp(now), status.value, message)])
    change.milestones = _milestones(model.timeline, IMPLIED[status], now)
    return change


def severity_change(
    record_id: str, model: Incident, change: Change, severity: SeverityLevel, at: datetime
) -> None:
    """Escalate or downgrade, keeping an internal timed entry of what it was before."""
    if severity is model.severity:
        raise StatusledgerError(f"{record_id} is already {severity.value}; nothing to change")
    change.severity = severity.value
    change.severity_changes.append((format_timestamp(at), model.severity.value, severity.value))


def maintenance_update(
    record_id: str,
    model: Maintenance,
    status: MaintenanceStatus,
    message: str,
    now: datetime,
    label: str = "now",
) -> Change:
    """A public update of a maintenance window that has not ended yet."""
    if model.status in FINAL_MAINTENANCE:
        raise StatusledgerError(
            f"{record_id} is already {model.status.value}; announce further work as a new "
            "maintenance with 'statusledger new maintenance'"
        )
    _not_before_last(record_id, model.updates[-1].at, now, label)
    return Change(updates=[(format_timestamp(now), status.value, message)])


def impact_change(
    record_id: str, model: Incident, change: Change, component: str, level: str, now: datetime
) -> None:
    """Close the component's open impacts unless already at `level`, then open one at it."""
    open_ = [
        (i, imp)
        for i, imp in enumerate(model.impact)
        if imp.component == component and imp.to is None
    ]
    if level == OPERATIONAL and not open_:
        raise StatusledgerError(f"{record_id} has no open impact on '{component}' to close")
    if level != OPERATIONAL and [imp.level.value for _, imp in open_] == [level]:
        return
    for index, impact in open_:
        close(record_id, change, index, component, impact.from_, now)
    if level != OPERATIONAL:
        change.open.append((component, level, format_timestamp(now)))


def close(
    record_id: str, change: Change, index: int, component: str, start: datetime, now: datetime
) -> None:
    """End an impact at `now`, which must come after it started."""
    if start >= now:
        raise StatusledgerError(
            f"the impact on '{component}' in {record_id} starts at {format_timestamp(start)}, "
            f"not before {format_timestamp(now)}; it cannot end there. Give a later --at or --now, "
            "or edit the impact by hand"
        )
    change.close[index] = format_timestamp(now)


def _milestones(timeline: Timeline, names: Iterable[str], now: datetime) -> dict[str, str]:
    """Missing milestones to set at now, or at the next one already set if that is earlier."""
    result: dict[str, str] = {}
    for name in names:
        if getattr(timeline, name) is not None:
            continue
        later = [getattr(timeline, m) for m in MILESTONES[MILESTONES.index(name) + 1 :]]
        result[name] = format_timestamp(min([now, *(t for t in later if t is not None)]))
    return result


def _not_before_last(record_id: str, last: datetime, now: datetime, label: str = "now") -> None:
    if now < last:
        raise StatusledgerError(
            f"{label} ({format_timestamp(now)}) is before the last update of {record_id} "
            f"({format_timestamp(last)}); updates are appended in time order, so an update "
            "written late is dated no earlier than the one above it"
        )


def incident_status(record_id: str, status: str) -> IncidentStatus:
    """The incident status named, or an error listing the allowed ones."""
    try:
        return IncidentStatus(status)
    except ValueError:
        allowed = ", ".join(s.value for s in IncidentStatus)
        raise StatusledgerError(
            f"{record_id} is an incident; its updates use {allowed}, not '{status}'"
        ) from None


def maintenance_status(record_id: str, status: str) -> MaintenanceStatus:
    """The maintenance status named, or an error listing the allowed ones."""
    try:
        return MaintenanceStatus(status)
    except ValueError:
        allowed = ", ".join(s.value for s in MaintenanceStatus)
        raise StatusledgerError(
            f"{record_id} is a maintenance window; its updates use {allowed}, not '{status}'"
        ) from None


def ops(change: Change) -> list[Op]:
    """The change as operations of the YAML editor, in the order the old editor made them."""
    result: list[Op] = [Set(("impact", index), {"to": to}) for index, to in change.close.items()]
    if change.open:
        items = [{"component": c, "level": lvl, "from": f} for c, lvl, f in change.open]
        result.append(Append(("impact",), items))
    if change.milestones:
        ordered = sorted(change.milestones.items(), key=lambda kv: MILESTONES.index(kv[0]))
        result.append(Set(("timeline",), dict(ordered)))
    if change.severity is not None:
        result.append(Set((), {"severity": change.severity}))
    if change.roles:
        result.append(Set(("roles",), dict(change.roles)))
    if change.severity_changes:
        items = [{"at": at, "from": f, "to": t} for at, f, t in change.severity_changes]
        result.append(Append(("severity_changes",), items))
    if change.updates:
        items = [{"at": at, "status": s, "message": m} for at, s, m in change.updates]
        result.append(Append(("updates",), items))
    if change.postmortem is not None:
        result.append(Set((), {"postmortem": change.postmortem}))
    return result
