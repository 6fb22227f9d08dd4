"""new, update, resolve, assign and new postmortem: each reads, decides, edits, proves, writes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from statusledger.authoring.changes import (
    IMPLIED,
    Change,
    close,
    impact_change,
    incident_status,
    incident_update,
    maintenance_status,
    maintenance_update,
    severity_change,
    still_open,
)
from statusledger.authoring.checks import (
    refuse_disorder,
    refuse_duplicate,
    refuse_future,
    refuse_incident_flags,
    refuse_update_options,
)
from statusledger.authoring.inputs import (
    IncidentDraft,
    MaintenanceDraft,
    Written,
    component_name,
    guess,
    known_component,
    no_repeats,
    nonempty_message,
    one_line,
    parse_component_level,
    rel,
    second,
)
from statusledger.authoring.lookup import find, ledger_of, new_record_path, services_of
from statusledger.authoring.texts import (
    incident_text,
    maintenance_message,
    maintenance_text,
    opening_message,
    postmortem_text,
)
from statusledger.authoring.writing import (
    apply_change,
    check,
    create,
    edit,
    read_source,
    replace_text,
    retrying,
)
from statusledger.errors import StatusledgerError, UsageError
from statusledger.loading import POSTMORTEMS_DIR
from statusledger.records.models import (
    ROLES,
    Category,
    ImpactLevel,
    Incident,
    IncidentStatus,
    Maintenance,
    MaintenanceStatus,
    Services,
    SeverityLevel,
)
from statusledger.records.types import format_timestamp

_OUTAGES = (ImpactLevel.MAJOR_OUTAGE, ImpactLevel.PARTIAL_OUTAGE)
_NEW_INCIDENT_STATUSES = (
    IncidentStatus.INVESTIGATING,
    IncidentStatus.IDENTIFIED,
    IncidentStatus.MONITORING,
)


def new_incident(
    root: Path, draft: IncidentDraft, now: datetime, *, clock: datetime | None = None
) -> Written:
    """Write incidents/YYYY/<day>-<slug>.yaml for an incident that starts now (or --started).

    `clock` is the machine's clock (default: read it), which no given moment may pass.
    """
    now = second(now)
    timeline = _new_timeline(draft, now)
    given = [("--started", draft.started), ("--detected", draft.detected)]
    given.append(("--acknowledged", draft.acknowledged))
    check_now = refuse_future(
        [("now", now), *((label, second(m)) for label, m in given if m is not None)], now, clock
    )
    refuse_disorder([(label, second(m) if m else None) for label, m in given])
    ledger = ledger_of(root, now)
    services = services_of(ledger)
    one_line(draft.title, "--title")
    if draft.status not in _NEW_INCIDENT_STATUSES:
        raise StatusledgerError(
            "a new incident starts as investigating, identified or monitoring; record it first, "
            "then run 'statusledger resolve'"
        )
    impacts = [(known_component(services, cid), ImpactLevel(level)) for cid, level in draft.impacts]
    no_repeats([cid for cid, _ in impacts])
    if not draft.force:
        refuse_duplicate(ledger, [cid for cid, _ in impacts])
    names = [component_name(services, cid) for cid, _ in impacts]
    message = draft.message if draft.message is not None else opening_message(draft.status, names)
    nonempty_message(message)
    category = draft.category or (
        Category.OUTAGE if any(level in _OUTAGES for _, level in impacts) else Category.DEGRADATION
    )
    day = now.astimezone(ZoneInfo(services.page.timezone)).date()
    path = new_record_path(root, day.isoformat(), draft.title, "incident")
    text = incident_text(draft, category, impacts, message, timeline, now)
    check(ledger, {rel(path, root): text}, check_now)
    create(path, text)
    return Written(path)


def _new_timeline(draft: IncidentDraft, now: datetime) -> dict[str, datetime]:
    """The milestones of a new incident: given ones, else now (detected by acknowledged)."""
    acknowledged = second(draft.acknowledged) if draft.acknowledged else None
    if acknowledged is None and "acknowledged" in IMPLIED[draft.status]:
        acknowledged = now
    timeline = {
        "started": second(draft.started) if draft.started else now,
        "detected": second(draft.detected) if draft.detected else min(now, acknowledged or now),
    }
    if acknowledged is not None:
        timeline["acknowledged"] = acknowledged
    if "mitigated" in IMPLIED[draft.status]:
        timeline["mitigated"] = now
    return timeline


def new_maintenance(
    root: Path, draft: MaintenanceDraft, now: datetime, *, clock: datetime | None = None
) -> Written:
    """Write a maintenance record announcing the window, with a `scheduled` update at now."""
    now = second(now)
    refuse_future([("now", now)], now, clock)
    ledger = ledger_of(root, now)
    services = services_of(ledger)
    one_line(draft.title, "--title")
    if draft.end <= draft.start:
        raise UsageError("--end must be after --start")
    if not draft.components:
        raise UsageError("name at least one --component that the maintenance affects")
    components = [known_component(services, cid) for cid in draft.components]
    no_repeats(components)
    zone = ZoneInfo(services.page.timezone)
    names = [component_name(services, cid) for cid in components]
    message = (
        draft.message
        if draft.message is not None
        else maintenance_message(names, draft.start, draft.end, zone)
    )
    nonempty_message(message)
    day = draft.start.astimezone(zone).date()
    path = new_record_path(root, day.isoformat(), draft.title, "maintenance")
    text = maintenance_text(draft, components, message, now)
    check(ledger, {rel(path, root): text}, now)
    create(path, text)
    return Written(path)


@retrying
def new_postmortem(
    root: Path, incident_id: str, now: datetime, *, clock: datetime | None = None
) -> Written:
    """Write postmortems/<id>.md from the template and link the incident to it."""
    now = second(now)
    refuse_future([("now", now)], now, clock)
    ledger = ledger_of(root, now)
    services = services_of(ledger)
    record = find(ledger, incident_id)
    if not isinstance(record.model, Incident):
        raise StatusledgerError(f"{record.id} is a maintenance window; postmortems cover incidents")
    incident: Incident = record.model
    path = root / POSTMORTEMS_DIR / f"{record.id}.md"
    if path.exists():
        raise StatusledgerError(f"{rel(path, root)} already exists; edit it instead")
    if incident.postmortem not in (None, record.id):
        raise StatusledgerError(
            f"{record.path} already links postmortem '{incident.postmortem}'; "
            f"add {record.id} to that postmortem's incidents: instead"
        )
    zone = ZoneInfo(services.page.timezone)
    text = postmortem_text(record.id, incident, services, now, zone)
    changes = {rel(path, root): text}
    raw, source = read_source(root, record)
    if incident.postmortem is None:
        changes[record.path] = edit(source, record, Change(postmortem=record.id))
    check(ledger, changes, now)
    create(path, text)
    if record.path in changes:
        try:
            replace_text(root / record.path, raw, changes[record.path])
        except BaseException:
            path.unlink()
            raise
        return Written(path, (root / record.path,))
    return Written(path)


@dataclass(frozen=True)
class _Update:
    """What `update` was asked to change, with its moments cut to the second."""

    status: str | None
    message: str | None
    components: Sequence[str]
    severity: SeverityLevel | None
    detected: datetime | None
    acknowledged: datetime | None
    when: datetime  # --at, else now
    label: str  # how the user gave `when`

    @property
    def public(self) -> bool:
        """Whether a public update (status and message) is written."""
        return self.status is not None and self.message is not None


@retrying
def update_record(
    root: Path,
    record_id: str,
    *,
    status: str | None,
    message: str | None,
    components: Sequence[str],
    now: datetime,
    at: datetime | None = None,
    severity: SeverityLevel | None = None,
    detected: datetime | None = None,
    acknowledged: datetime | None = None,
    clock: datetime | None = None,
) -> Written:
    """Append an update; for incidents also open, change or close impacts and set milestones.

    The public update (status and message) may be left out when the change is internal only:
    a new severity or a milestone. `at` dates the update (and the severity change) when it is
    written late; it defaults to now.
    """
    now = second(now)
    given = [("--at", at), ("--detected", detected), ("--acknowledged", acknowledged)]
    moments = [("now", now), *((name, second(m)) for name, m in given if m is not None)]
    check_now = refuse_future(moments, now, clock)
    refuse_update_options(status, message, components, at, severity, detected, acknowledged)
    ledger = ledger_of(root, now)
    services = services_of(ledger)
    record = find(ledger, record_id)
    if message is not None:
        nonempty_message(message)
    when, label = (second(at), "--at") if at is not None else (now, "now")
    asked = _Update(status, message, components, severity, detected, acknowledged, when, label)
    model = record.model
    if isinstance(model, Maintenance):
        change = _maintenance_change(record.id, model, asked)
    elif _resolves(asked):
        assert message is not None
        return resolve_record(root, record.id, message=message, now=now, at=at, clock=clock)
    else:
        change = _incident_change(record.id, model, services, asked)
    return apply_change(ledger, record, change, check_now)


def _maintenance_change(record_id: str, model: Maintenance, asked: _Update) -> Change:
    refuse_incident_flags(
        record_id, asked.components, asked.severity, asked.detected, asked.acknowledged
    )
    assert asked.status is not None and asked.message is not None
    status = maintenance_status(record_id, asked.status)
    return maintenance_update(record_id, model, status, asked.message, asked.when, asked.label)


def _resolves(asked: _Update) -> bool:
    """Whether the update resolves the incident: then it is a `resolve`, if nothing else."""
    if not asked.public or asked.status != IncidentStatus.RESOLVED.value:
        return False
    if asked.components:
        raise StatusledgerError("resolving closes every impact; drop --component")
    if asked.severity or asked.detected or asked.acknowledged:
        raise StatusledgerError(
            "set --severity, --detected and --acknowledged with 'statusledger update' "
            "first, then resolve"
        )
    return True


def _incident_change(record_id: str, model: Incident, services: Services, asked: _Update) -> Change:
    """The public update with the impacts it changes, a new severity, milestones given."""
    if asked.public:
        assert asked.status is not None and asked.message is not None
        status = incident_status(record_id, asked.status)
        change = incident_update(record_id, model, status, asked.message, asked.when, asked.label)
        pairs = [parse_component_level(c, allow_operational=True) for c in asked.components]
        no_repeats([known_component(services, cid) for cid, _ in pairs])
        for cid, level in pairs:
            impact_change(record_id, model, change, cid, level, asked.when)
    else:
        still_open(record_id, model)
        change = Change()
    if asked.severity is not None:
        severity_change(record_id, model, change, asked.severity, asked.when)
    for name, moment in (("detected", asked.detected), ("acknowledged", asked.acknowledged)):
        if moment is not None and getattr(model.timeline, name) != second(moment):
            change.milestones[name] = format_timestamp(second(moment))
    if change == Change():
        raise StatusledgerError(f"{record_id} already says that; nothing to change")
    return change


@retrying
def resolve_record(
    root: Path,
    record_id: str,
    *,
    message: str,
    now: datetime,
    at: datetime | None = None,
    clock: datetime | None = None,
) -> Written:
    """Resolve an incident (closing impacts, setting milestones) or complete a maintenance.

    `at` is when it ended, for a resolve written late; default now.
    """
    now = second(now)
    when = second(at) if at is not None else now
    label = "--at" if at is not None else "now"
    moments = [("now", now)] + ([("--at", when)] if at is not None else [])
    check_now = refuse_future(moments, now, clock)
    ledger = ledger_of(root, now)
    services_of(ledger)
    record = find(ledger, record_id)
    nonempty_message(message)
    model = record.model
    if isinstance(model, Maintenance):
        change = maintenance_update(
            record.id, model, MaintenanceStatus.COMPLETED, message, when, label
        )
    else:
        if not model.is_open:
            raise StatusledgerError(
                f"{record.id} is already resolved (at {format_timestamp(model.updates[-1].at)}); "
                "if the problem is back, open a new incident with 'statusledger new incident'"
            )
        change = incident_update(record.id, model, IncidentStatus.RESOLVED, message, when, label)
        for index, impact in enumerate(model.impact):
            if impact.to is None:
                close(record.id, change, index, impact.component, impact.from_, when)
    return apply_change(ledger, record, change, check_now)


@retrying
def assign_role(
    root: Path,
    record_id: str,
    *,
    role: str,
    who: str,
    now: datetime,
    clock: datetime | None = None,
) -> Written:
    """Set roles.<role> of an incident to `who` (internal: the page never shows roles).

    Handing over is the common case, so a role already held is given to the new person.
    """
    now = second(now)
    refuse_future([("now", now)], now, clock)
    if role not in ROLES:
        raise UsageError(f"--role: unknown role {role!r}{guess(role, ROLES)} ({', '.join(ROLES)})")
    one_line(who, "--who")
    ledger = ledger_of(root, now)
    services_of(ledger)
    record = find(ledger, record_id)
    model = record.model
    if isinstance(model, Maintenance):
        raise StatusledgerError(f"{record.id} is a maintenance window; roles are for incidents")
    if model.roles.get(role) == who:
        raise StatusledgerError(f"{who} is already the {role} of {record.id}; nothing to change")
    return apply_change(ledger, record, Change(roles={role: who}), now)
