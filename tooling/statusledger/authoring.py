"""new, update and resolve: write records the way an author would, keeping what they wrote.

Records are reviewed in pull requests, so an edit must show up in the diff as the lines it adds
and nothing else. Edits are therefore textual: the YAML is composed (not loaded) to learn where
each node starts and ends, and new lines are inserted there in the indentation and style the
author used; comments, key order, quoting and blank lines are never re-emitted. Each edit is
then proven twice before anything is written: the new text must load to exactly the model the
change intends (so a mistake in the editor cannot slip through as a silent rewrite), and the
whole repository with the new text in place must pass the validation rules for that file.

Choices the record format leaves open, made here and shown in `--help`:
- a new incident's category defaults to `outage` when any impact is a major or partial outage,
  else `degradation`;
- a new maintenance record is named after the day its window starts (in page.timezone), the
  day people look for it, while an incident is named after the day it was opened;
- a resolved incident is never reopened by `update`: its history says it ended. If the problem
  is back, open a new incident that mentions the old one (Statuspage does the same); a record
  that is simply wrong is corrected by hand in review.
"""

from __future__ import annotations

import difflib
import functools
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, ParamSpec
from zoneinfo import ZoneInfo

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from statusledger.authoring_checks import (
    refuse_disorder,
    refuse_duplicate,
    refuse_future,
    refuse_incident_flags,
    refuse_update_options,
)
from statusledger.errors import Finding, StatusledgerError, UsageError
from statusledger.loading import (
    INCIDENTS_DIR,
    POSTMORTEMS_DIR,
    Ledger,
    Loaded,
    LoadedPostmortem,
    LoadedRecord,
    load_postmortem_text,
    load_record_text,
    record_files,
)
from statusledger.locking import locked
from statusledger.records.models import (
    MILESTONES,
    ROLES,
    Category,
    ImpactLevel,
    Incident,
    IncidentStatus,
    Maintenance,
    MaintenanceStatus,
    Services,
    SeverityLevel,
    Timeline,
)
from statusledger.records.types import format_timestamp
from statusledger.validation import Context, validate
from statusledger.validation.settled import load_settled
from statusledger.yamlfile import YamlProblem, double_quoted, parse

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

SCHEMA_COMMENT = "# yaml-language-server: $schema=../../site/schemas/incident.schema.json"
OPERATIONAL = "operational"
INCIDENT_KEYS = (
    "title",
    "kind",
    "severity",
    "category",
    "visibility",
    "impact",
    "timeline",
    "roles",
    "severity_changes",
    "updates",
    "postmortem",
    "tags",
    "corrections",
    "source",
)
SLUG_MAX = 60
BOM = "\ufeff"
RETRIES = 50  # fresh starts of a command whose record changed under it (see _retrying)
FOLD_WIDTH = 80
_OUTAGES = (ImpactLevel.MAJOR_OUTAGE, ImpactLevel.PARTIAL_OUTAGE)
_FINAL_MAINTENANCE = (MaintenanceStatus.COMPLETED, MaintenanceStatus.CANCELLED)
_NEW_INCIDENT_STATUSES = (
    IncidentStatus.INVESTIGATING,
    IncidentStatus.IDENTIFIED,
    IncidentStatus.MONITORING,
)
# Milestones a status implies, set (when missing) by new and update.
_IMPLIED = {
    IncidentStatus.INVESTIGATING: (),
    IncidentStatus.IDENTIFIED: ("acknowledged",),
    IncidentStatus.MONITORING: ("acknowledged", "mitigated"),
    IncidentStatus.RESOLVED: ("acknowledged", "mitigated", "resolved"),
}


# --- what the commands hand in and get back ---------------------------------------------------


@dataclass(frozen=True)
class IncidentDraft:
    """What `new incident` was told; impacts are (component id, level) pairs."""

    title: str
    severity: SeverityLevel
    impacts: Sequence[tuple[str, str]] = ()
    message: str | None = None
    category: Category | None = None
    status: IncidentStatus = IncidentStatus.INVESTIGATING
    internal: bool = False
    started: datetime | None = None  # impact and timeline.started; default now
    detected: datetime | None = None
    acknowledged: datetime | None = None
    force: bool = False  # declare even when an open incident covers a component


@dataclass(frozen=True)
class MaintenanceDraft:
    """What `new maintenance` was told."""

    title: str
    start: datetime
    end: datetime
    components: Sequence[str]
    message: str | None = None
    internal: bool = False


@dataclass(frozen=True)
class Written:
    """The file a command wrote, and any other file it had to touch (a linked incident)."""

    path: Path
    also: tuple[Path, ...] = ()


def parse_component_level(text: str, *, allow_operational: bool) -> tuple[str, str]:
    """Split `ID:LEVEL`, accepting hyphens for underscores (partial-outage) as people type them."""
    component, sep, level = text.partition(":")
    component, level = component.strip(), level.strip().replace("-", "_")
    allowed = [lvl.value for lvl in ImpactLevel] + ([OPERATIONAL] if allow_operational else [])
    if not sep or not component or not level:
        raise UsageError(
            f"--component wants ID:LEVEL such as api:partial_outage, got {text!r} "
            f"(levels: {', '.join(allowed)})"
        )
    if level not in allowed:
        close = difflib.get_close_matches(level, allowed, n=1)
        guess = f"; did you mean {close[0]}?" if close else ""
        raise UsageError(
            f"--component {text}: unknown level {level!r}{guess} (levels: {', '.join(allowed)})"
        )
    return component, level


def display_path(path: Path, cwd: Path) -> str:
    """The path as the user should type it from where they are (relative when possible)."""
    try:
        return Path(os.path.relpath(path, cwd)).as_posix()
    except ValueError:  # another drive on Windows
        return path.as_posix()


# --- one writer at a time ---------------------------------------------------------------------


class _Stale(StatusledgerError):
    """The record changed between reading it and writing it; `_retrying` starts again."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"{path} changed while the command ran (another command or an editor wrote it); "
            "nothing was written. Run the command again"
        )
        self.path = path


_P = ParamSpec("_P")


def _retrying(command: Callable[_P, Written]) -> Callable[_P, Written]:
    """Run an authoring command again, from a fresh read, when its record changed under it.

    Each retry means another command's edit landed first, so the commands take turns and all
    land; only a record that keeps changing for RETRIES attempts ends in _Stale's message.
    """

    @functools.wraps(command)
    def run(*args: _P.args, **kwargs: _P.kwargs) -> Written:
        for _ in range(RETRIES):
            try:
                return command(*args, **kwargs)
            except _Stale:
                continue
        return command(*args, **kwargs)

    return run


# --- the commands -----------------------------------------------------------------------------


def new_incident(
    root: Path, draft: IncidentDraft, now: datetime, *, clock: datetime | None = None
) -> Written:
    """Write incidents/YYYY/<day>-<slug>.yaml for an incident that starts now (or --started).

    `clock` is the machine's clock (default: read it), which no given moment may pass.
    """
    now = _second(now)
    timeline = _new_timeline(draft, now)
    given = [("--started", draft.started), ("--detected", draft.detected)]
    given.append(("--acknowledged", draft.acknowledged))
    check_now = refuse_future(
        [("now", now), *((label, _second(m)) for label, m in given if m is not None)], now, clock
    )
    refuse_disorder([(label, _second(m) if m else None) for label, m in given])
    ledger = _ledger(root, now)
    services = _services(ledger)
    _one_line(draft.title, "--title")
    if draft.status not in _NEW_INCIDENT_STATUSES:
        raise StatusledgerError(
            "a new incident starts as investigating, identified or monitoring; record it first, "
            "then run 'statusledger resolve'"
        )
    impacts = [(_component(services, cid), ImpactLevel(level)) for cid, level in draft.impacts]
    _no_repeats([cid for cid, _ in impacts])
    if not draft.force:
        refuse_duplicate(ledger, [cid for cid, _ in impacts])
    names = [_name(services, cid) for cid, _ in impacts]
    message = draft.message if draft.message is not None else _opening_message(draft.status, names)
    _message(message)
    category = draft.category or (
        Category.OUTAGE if any(level in _OUTAGES for _, level in impacts) else Category.DEGRADATION
    )
    day = now.astimezone(ZoneInfo(services.page.timezone)).date()
    path = _new_record_path(root, day.isoformat(), _slug(draft.title, "incident"))
    text = _incident_text(draft, category, impacts, message, timeline, now)
    _check(ledger, {_rel(path, root): text}, check_now)
    _create(path, text)
    return Written(path)


def _new_timeline(draft: IncidentDraft, now: datetime) -> dict[str, datetime]:
    """The milestones of a new incident: given ones, else now (detected by acknowledged)."""
    acknowledged = _second(draft.acknowledged) if draft.acknowledged else None
    if acknowledged is None and "acknowledged" in _IMPLIED[draft.status]:
        acknowledged = now
    timeline = {
        "started": _second(draft.started) if draft.started else now,
        "detected": _second(draft.detected) if draft.detected else min(now, acknowledged or now),
    }
    if acknowledged is not None:
        timeline["acknowledged"] = acknowledged
    if "mitigated" in _IMPLIED[draft.status]:
        timeline["mitigated"] = now
    return timeline


def new_maintenance(
    root: Path, draft: MaintenanceDraft, now: datetime, *, clock: datetime | None = None
) -> Written:
    """Write a maintenance record announcing the window, with a `scheduled` update at now."""
    now = _second(now)
    refuse_future([("now", now)], now, clock)
    ledger = _ledger(root, now)
    services = _services(ledger)
    _one_line(draft.title, "--title")
    if draft.end <= draft.start:
        raise UsageError("--end must be after --start")
    if not draft.components:
        raise UsageError("name at least one --component that the maintenance affects")
    components = [_component(services, cid) for cid in draft.components]
    _no_repeats(components)
    zone = ZoneInfo(services.page.timezone)
    names = [_name(services, cid) for cid in components]
    message = (
        draft.message
        if draft.message is not None
        else _maintenance_message(names, draft.start, draft.end, zone)
    )
    _message(message)
    day = draft.start.astimezone(zone).date()
    path = _new_record_path(root, day.isoformat(), _slug(draft.title, "maintenance"))
    text = _maintenance_text(draft, components, message, now)
    _check(ledger, {_rel(path, root): text}, now)
    _create(path, text)
    return Written(path)


@_retrying
def new_postmortem(
    root: Path, incident_id: str, now: datetime, *, clock: datetime | None = None
) -> Written:
    """Write postmortems/<id>.md from the template and link the incident to it."""
    now = _second(now)
    refuse_future([("now", now)], now, clock)
    ledger = _ledger(root, now)
    services = _services(ledger)
    record = _find(ledger, incident_id)
    if not isinstance(record.model, Incident):
        raise StatusledgerError(f"{record.id} is a maintenance window; postmortems cover incidents")
    incident: Incident = record.model
    path = root / POSTMORTEMS_DIR / f"{record.id}.md"
    if path.exists():
        raise StatusledgerError(f"{_rel(path, root)} already exists; edit it instead")
    if incident.postmortem not in (None, record.id):
        raise StatusledgerError(
            f"{record.path} already links postmortem '{incident.postmortem}'; "
            f"add {record.id} to that postmortem's incidents: instead"
        )
    zone = ZoneInfo(services.page.timezone)
    text = _postmortem_text(record.id, incident, services, now, zone)
    changes = {_rel(path, root): text}
    source = _source(root, record)
    if incident.postmortem is None:
        changes[record.path] = _edit(source, record, _Change(postmortem=record.id))
    _check(ledger, changes, now)
    _create(path, text)
    if record.path in changes:
        try:
            _replace(root / record.path, source, changes[record.path])
        except BaseException:
            path.unlink()
            raise
        return Written(path, (root / record.path,))
    return Written(path)


@_retrying
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
    now = _second(now)
    when = _second(at) if at is not None else now
    label = "--at" if at is not None else "now"
    given = [("--at", at), ("--detected", detected), ("--acknowledged", acknowledged)]
    moments = [("now", now), *((name, _second(m)) for name, m in given if m is not None)]
    check_now = refuse_future(moments, now, clock)
    refuse_update_options(status, message, components, at, severity, detected, acknowledged)
    ledger = _ledger(root, now)
    services = _services(ledger)
    record = _find(ledger, record_id)
    if message is not None:
        _message(message)
    model = record.model
    if isinstance(model, Maintenance):
        refuse_incident_flags(record.id, components, severity, detected, acknowledged)
        assert status is not None and message is not None
        change = _maintenance_update(
            record.id, model, _maintenance_status(record.id, status), message, when, label
        )
        return _apply(ledger, record, change, check_now)
    if status is not None and message is not None:
        incident_status = _incident_status(record.id, status)
        if incident_status is IncidentStatus.RESOLVED:
            if components:
                raise StatusledgerError("resolving closes every impact; drop --component")
            if severity or detected or acknowledged:
                raise StatusledgerError(
                    "set --severity, --detected and --acknowledged with 'statusledger update' "
                    "first, then resolve"
                )
            return resolve_record(root, record.id, message=message, now=now, at=at, clock=clock)
        change = _incident_update(record.id, model, incident_status, message, when, label)
        pairs = [parse_component_level(c, allow_operational=True) for c in components]
        _no_repeats([_component(services, cid) for cid, _ in pairs])
        for cid, level in pairs:
            _impact_change(record.id, model, change, cid, level, when)
    else:
        _still_open(record.id, model)
        change = _Change()
    if severity is not None:
        _severity_change(record.id, model, change, severity, when)
    for name, moment in (("detected", detected), ("acknowledged", acknowledged)):
        if moment is not None and getattr(model.timeline, name) != _second(moment):
            change.milestones[name] = format_timestamp(_second(moment))
    if change == _Change():
        raise StatusledgerError(f"{record.id} already says that; nothing to change")
    return _apply(ledger, record, change, check_now)


@_retrying
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
    now = _second(now)
    when = _second(at) if at is not None else now
    label = "--at" if at is not None else "now"
    moments = [("now", now)] + ([("--at", when)] if at is not None else [])
    check_now = refuse_future(moments, now, clock)
    ledger = _ledger(root, now)
    _services(ledger)
    record = _find(ledger, record_id)
    _message(message)
    model = record.model
    if isinstance(model, Maintenance):
        change = _maintenance_update(
            record.id, model, MaintenanceStatus.COMPLETED, message, when, label
        )
    else:
        if not model.is_open:
            raise StatusledgerError(
                f"{record.id} is already resolved (at {format_timestamp(model.updates[-1].at)}); "
                "if the problem is back, open a new incident with 'statusledger new incident'"
            )
        change = _incident_update(record.id, model, IncidentStatus.RESOLVED, message, when, label)
        for index, impact in enumerate(model.impact):
            if impact.to is None:
                _close(record.id, change, index, impact.component, impact.from_, when)
    return _apply(ledger, record, change, check_now)


@_retrying
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
    now = _second(now)
    refuse_future([("now", now)], now, clock)
    if role not in ROLES:
        raise UsageError(f"--role: unknown role {role!r}{_guess(role, ROLES)} ({', '.join(ROLES)})")
    _one_line(who, "--who")
    ledger = _ledger(root, now)
    _services(ledger)
    record = _find(ledger, record_id)
    model = record.model
    if isinstance(model, Maintenance):
        raise StatusledgerError(f"{record.id} is a maintenance window; roles are for incidents")
    if model.roles.get(role) == who:
        raise StatusledgerError(f"{who} is already the {role} of {record.id}; nothing to change")
    return _apply(ledger, record, _Change(roles={role: who}), now)


def _guess(value: str, allowed: Sequence[str]) -> str:
    close = difflib.get_close_matches(value, list(allowed), n=1)
    return f"; did you mean {close[0]}?" if close else ""


# --- deciding what changes --------------------------------------------------------------------


@dataclass
class _Change:
    """One edit of one record, in terms of its data; rendered into text by _Editor."""

    updates: list[tuple[str, str, str]] = field(default_factory=list)  # at, status, message
    close: dict[int, str] = field(default_factory=dict)  # impact index -> to
    open: list[tuple[str, str, str]] = field(default_factory=list)  # component, level, from
    milestones: dict[str, str] = field(default_factory=dict)  # set, or replaced when set
    postmortem: str | None = None
    severity: str | None = None
    severity_changes: list[tuple[str, str, str]] = field(default_factory=list)  # at, from, to
    roles: dict[str, str] = field(default_factory=dict)  # role -> who, set or replaced


def _still_open(record_id: str, model: Incident) -> None:
    if not model.is_open:
        raise StatusledgerError(
            f"{record_id} was resolved at {format_timestamp(model.updates[-1].at)}; a resolved "
            "incident is not reopened. If the problem is back, open a new incident "
            "('statusledger new incident') and mention this one; to correct this record, "
            "edit it by hand (with a 'corrections' entry once it is merged)"
        )


def _incident_update(
    record_id: str,
    model: Incident,
    status: IncidentStatus,
    message: str,
    now: datetime,
    label: str = "now",
) -> _Change:
    _still_open(record_id, model)
    _not_before_last(record_id, model.updates[-1].at, now, label)
    change = _Change(updates=[(format_timestamp(now), status.value, message)])
    change.milestones = _milestones(model.timeline, _IMPLIED[status], now)
    return change


def _severity_change(
    record_id: str, model: Incident, change: _Change, severity: SeverityLevel, at: datetime
) -> None:
    """Escalate or downgrade, keeping an internal timed entry of what it was before."""
    if severity is model.severity:
        raise StatusledgerError(f"{record_id} is already {severity.value}; nothing to change")
    change.severity = severity.value
    change.severity_changes.append((format_timestamp(at), model.severity.value, severity.value))


def _maintenance_update(
    record_id: str,
    model: Maintenance,
    status: MaintenanceStatus,
    message: str,
    now: datetime,
    label: str = "now",
) -> _Change:
    if model.status in _FINAL_MAINTENANCE:
        raise StatusledgerError(
            f"{record_id} is already {model.status.value}; announce further work as a new "
            "maintenance with 'statusledger new maintenance'"
        )
    _not_before_last(record_id, model.updates[-1].at, now, label)
    return _Change(updates=[(format_timestamp(now), status.value, message)])


def _impact_change(
    record_id: str, model: Incident, change: _Change, component: str, level: str, now: datetime
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
        _close(record_id, change, index, component, impact.from_, now)
    if level != OPERATIONAL:
        change.open.append((component, level, format_timestamp(now)))


def _close(
    record_id: str, change: _Change, index: int, component: str, start: datetime, now: datetime
) -> None:
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


def _incident_status(record_id: str, status: str) -> IncidentStatus:
    try:
        return IncidentStatus(status)
    except ValueError:
        allowed = ", ".join(s.value for s in IncidentStatus)
        raise StatusledgerError(
            f"{record_id} is an incident; its updates use {allowed}, not '{status}'"
        ) from None


def _maintenance_status(record_id: str, status: str) -> MaintenanceStatus:
    try:
        return MaintenanceStatus(status)
    except ValueError:
        allowed = ", ".join(s.value for s in MaintenanceStatus)
        raise StatusledgerError(
            f"{record_id} is a maintenance window; its updates use {allowed}, not '{status}'"
        ) from None


# --- applying a change: text edit, proof, validation, write -----------------------------------


def _apply(ledger: Ledger, record: LoadedRecord, change: _Change, now: datetime) -> Written:
    path = ledger.root / record.path
    source = _source(ledger.root, record)
    text = _edit(source, record, change)
    _check(ledger, {record.path: text}, now)
    _replace(path, source, text)
    return Written(path)


def _edit(source: str, record: LoadedRecord, change: _Change) -> str:
    """Render the change as insertions, then prove the result means exactly the change."""
    editor = _Editor(source, record.path)
    editor.render(change)
    text = editor.result()
    loaded = load_record_text(text, record.path)
    expected = _expected(record.model, change)
    if isinstance(loaded, list) or loaded.model.model_dump(mode="json", by_alias=True) != expected:
        raise StatusledgerError(
            f"cannot edit {record.path} without disturbing its layout (an unusual YAML style "
            "near the place to change); nothing was written. Make the change by hand"
        )
    return text


def _expected(model: Incident | Maintenance, change: _Change) -> dict[str, Any]:
    data = model.model_dump(mode="json", by_alias=True)
    data["updates"] += [{"at": at, "status": s, "message": m} for at, s, m in change.updates]
    for index, to in change.close.items():
        data["impact"][index]["to"] = to
    if change.open:
        data["impact"] += [
            {"component": c, "level": lvl, "from": f, "to": None} for c, lvl, f in change.open
        ]
    for name, at in change.milestones.items():
        data["timeline"][name] = at
    if change.postmortem is not None:
        data["postmortem"] = change.postmortem
    if change.severity is not None:
        data["severity"] = change.severity
    data_changes = [{"at": at, "from": f, "to": t} for at, f, t in change.severity_changes]
    if data_changes:
        data["severity_changes"] += data_changes
    for role, who in change.roles.items():
        data["roles"][role] = who
    return data


def _check(ledger: Ledger, texts: dict[str, str], now: datetime) -> None:
    """Validate the repository as it would be with `texts` written; refuse on their errors."""
    records = [r for r in ledger.records if r.path not in texts]
    postmortems = [p for p in ledger.postmortems if p.path not in texts]
    problems: list[Finding] = []
    added = 0
    for rel, text in texts.items():
        added += not (ledger.root / rel).exists()
        if rel.startswith(POSTMORTEMS_DIR + "/"):
            loaded_pm = load_postmortem_text(text, rel)
            if isinstance(loaded_pm, LoadedPostmortem):
                postmortems.append(loaded_pm)
            else:
                problems += loaded_pm
        else:
            loaded = load_record_text(text, rel)
            if isinstance(loaded, Loaded):
                records.append(loaded)
            else:
                problems += loaded
    candidate = Ledger(
        root=ledger.root,
        services=ledger.services,
        records=sorted(records, key=lambda r: r.path),
        postmortems=sorted(postmortems, key=lambda p: p.path),
        findings=[f for f in ledger.findings if f.path not in texts],
        files=ledger.files + added,
        settled=[f for f in ledger.settled if f.path not in texts],
    )
    report = validate(candidate, Context(now=now))
    problems += [f for f in report.errors if f.path in texts]
    if problems:
        raise StatusledgerError(_refusal(sorted(set(problems))))


def _refusal(problems: list[Finding]) -> str:
    files = ", ".join(sorted({p.path for p in problems}))
    lines = [f"refusing to write {files}: the result would not be valid; nothing was written"]
    for problem in problems:
        hint = f" (fix: {problem.hint})" if problem.hint else ""
        lines.append(f"  {problem.path}:{problem.line}:{problem.col}: {problem.message}{hint}")
    return "\n".join(lines)


def _source(root: Path, record: LoadedRecord) -> str:
    """The record's text (without a byte order mark), as the model being changed was read.

    The model came from an earlier read; if the file changed since, the edit would be made
    for a record that is no longer there, so the command starts again (_Stale).
    """
    try:
        text = (root / record.path).read_bytes().decode("utf-8").removeprefix(BOM)
    except (OSError, UnicodeDecodeError) as err:
        raise StatusledgerError(f"cannot read {record.path}: {err}") from None
    loaded = load_record_text(text, record.path)
    if isinstance(loaded, list) or loaded.model != record.model:
        raise _Stale(root / record.path)
    return text


def _create(path: Path, text: str) -> None:
    """Write a new file whole, refusing (never overwriting) one another command just made."""
    if path.exists():
        raise _Taken(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    _write_atomic(path, text.encode("utf-8"), None, exclusive=True)


def _replace(path: Path, source: str, text: str) -> None:
    """Write `text` over the record if it still holds `source`, keeping its byte order mark.

    The comparison and the rename happen under the record's lock (locking.py), so of two
    commands editing one record at once, the second sees the first's result and starts again.
    """
    try:
        with locked(path):
            current = path.read_bytes()
            mode = path.stat().st_mode & 0o7777
            bom = BOM.encode("utf-8") if current.startswith(BOM.encode("utf-8")) else b""
            if current[len(bom) :] != source.encode("utf-8"):
                raise _Stale(path)
            _write_atomic(path, bom + text.encode("utf-8"), mode)
    except OSError as err:
        raise StatusledgerError(
            f"cannot write {path}: {err.strerror or err}; nothing was written"
        ) from None


def _write_atomic(path: Path, data: bytes, mode: int | None, *, exclusive: bool = False) -> None:
    """Write a sibling temporary file and rename it over the target, so readers never see half.

    `exclusive`: the target must not exist; it is linked into place instead, which fails when
    another command created it meanwhile (a rename would silently replace that file).
    """
    if mode is None:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        if exclusive:
            _link_new(tmp, path)
        else:
            os.replace(tmp, path)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _link_new(tmp: str, path: Path) -> None:
    """Put the finished temporary file at `path`, which must not exist yet."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise _Taken(path) from None
    except OSError:  # a file system without hard links: reserve the name, then rename
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            raise _Taken(path) from None
        os.replace(tmp, path)
        return
    os.unlink(tmp)


class _Taken(StatusledgerError):
    """A file this command creates was created by another one first."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"{path} was created by another command while this one ran; nothing was written. "
            "Look at it, and run the command again if yours is something else"
        )


# --- finding things ---------------------------------------------------------------------------


def _ledger(root: Path, now: datetime) -> Ledger:
    """The records as `validate` reads them: those it settled stay summaries (settled.py).

    A change is checked like a `validate` of the result, so at ten thousand records declaring
    an incident costs what the change does, not a full load. The record being changed is read
    whole (_find).
    """
    return load_settled(root, now)[0]


def _services(ledger: Ledger) -> Services:
    if ledger.services is None:
        raise StatusledgerError(
            "services.yaml does not load; run 'statusledger validate' and fix it first"
        )
    return ledger.services.model


def _find(ledger: Ledger, record_id: str) -> LoadedRecord:
    """The record by id (or by its path), or an error that suggests the ids meant."""
    wanted = Path(record_id).stem if record_id.endswith((".yaml", ".yml")) else record_id
    record = ledger.whole(wanted)
    if record is not None:
        return record
    broken = [
        f
        for f in ledger.findings
        if f.path.startswith(INCIDENTS_DIR + "/") and Path(f.path).stem == wanted
    ]
    if broken:
        first = broken[0]
        raise StatusledgerError(
            f"{first.path} does not load ({first.line}:{first.col}: {first.message}); fix it "
            "first ('statusledger validate' lists every problem)"
        )
    ids = sorted(r.id for r in ledger.facts)
    near = [i for i in ids if wanted and wanted in i][:3]
    near += [i for i in difflib.get_close_matches(wanted, ids, n=3, cutoff=0.6) if i not in near]
    hint = (
        f"; did you mean {' or '.join(near[:3])}?"
        if near
        else "; an id is a file name under incidents/YYYY/ without .yaml"
    )
    raise StatusledgerError(f"no incident or maintenance with id '{wanted}'{hint}")


def _component(services: Services, component_id: str) -> str:
    if services.component(component_id) is not None:
        return component_id
    ids = [c.id for c in services.components]
    close = difflib.get_close_matches(component_id, ids, n=1)
    guess = f"did you mean '{close[0]}'? " if close else ""
    raise UsageError(
        f"unknown component '{component_id}'; {guess}components in services.yaml: {', '.join(ids)}"
    )


def _name(services: Services, component_id: str) -> str:
    component = services.component(component_id)
    return component.name if component else component_id


def _no_repeats(ids: Sequence[str]) -> None:
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise UsageError(f"--component names {', '.join(repeated)} more than once")


def _one_line(text: str, option: str) -> None:
    if not text.strip() or "\n" in text or "\r" in text:
        raise UsageError(f"{option} must be one non-empty line")


def _message(text: str) -> None:
    if not text.strip():
        raise UsageError("--message must not be empty: it is what readers of the page see")


def _second(now: datetime) -> datetime:
    return now.replace(microsecond=0)


def _rel(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def _slug(title: str, fallback: str) -> str:
    """A file-name slug: ASCII words of the title, at most SLUG_MAX characters."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    if len(slug) > SLUG_MAX:
        cut = slug[: SLUG_MAX + 1]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else slug[:SLUG_MAX]
    return slug or fallback


def _new_record_path(root: Path, day: str, slug: str) -> Path:
    """incidents/YYYY/<day>-<slug>.yaml, with -2, -3 ... when the id is taken in any year."""
    taken = {p.stem for p in record_files(root)}
    base = f"{day}-{slug}"
    record_id, n = base, 1
    while record_id in taken:
        n += 1
        record_id = f"{base}-{n}"
    return root / INCIDENTS_DIR / day[:4] / f"{record_id}.yaml"


# --- texts of new files -----------------------------------------------------------------------


def _opening_message(status: IncidentStatus, names: Sequence[str]) -> str:
    what = _join(names) if names else "our services"
    if status is IncidentStatus.IDENTIFIED:
        return f"We have identified the cause of the problems with {what} and are working on a fix."
    if status is IncidentStatus.MONITORING:
        return f"A fix for the problems with {what} is in place and we are monitoring the results."
    return (
        f"We are investigating problems with {what}. "
        "We will post an update as soon as we know more."
    )


def _maintenance_message(
    names: Sequence[str], start: datetime, end: datetime, zone: ZoneInfo
) -> str:
    local_start, local_end = start.astimezone(zone), end.astimezone(zone)
    until = (
        local_end.strftime("%H:%M")
        if local_end.date() == local_start.date()
        else local_end.strftime("%Y-%m-%d %H:%M")
    )
    return (
        f"We will carry out maintenance on {_join(names)} between "
        f"{local_start:%Y-%m-%d %H:%M} and {until} {local_end.tzname()}."
    )


def _join(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _incident_text(
    draft: IncidentDraft,
    category: Category,
    impacts: Sequence[tuple[str, ImpactLevel]],
    message: str,
    timeline: dict[str, datetime],
    now: datetime,
) -> str:
    ts = format_timestamp(now)
    started = format_timestamp(timeline["started"])
    lines = [
        SCHEMA_COMMENT,
        f"title: {emit_scalar(draft.title, 2)}",
        "kind: incident",
        f"severity: {draft.severity.value}",
        f"category: {category.value}",
        f"visibility: {'internal' if draft.internal else 'public'}",
    ]
    if impacts:
        lines.append("impact:")
        for component, level in impacts:
            lines += [
                f"  - component: {component}",
                f"    level: {level.value}",
                f"    from: {started}",
            ]
    lines.append("timeline:")
    lines += [
        f"  {name}: {format_timestamp(timeline[name])}" for name in MILESTONES if name in timeline
    ]
    lines += [
        "updates:",
        f"  - at: {ts}",
        f"    status: {draft.status.value}",
        f"    message: {emit_scalar(message, 6)}",
    ]
    return "\n".join(lines) + "\n"


def _maintenance_text(
    draft: MaintenanceDraft, components: Sequence[str], message: str, now: datetime
) -> str:
    lines = [
        SCHEMA_COMMENT,
        f"title: {emit_scalar(draft.title, 2)}",
        "kind: maintenance",
        f"visibility: {'internal' if draft.internal else 'public'}",
        "window:",
        f"  start: {format_timestamp(draft.start)}",
        f"  end: {format_timestamp(draft.end)}",
        f"components: [{', '.join(components)}]",
        "updates:",
        f"  - at: {format_timestamp(now)}",
        f"    status: {MaintenanceStatus.SCHEDULED.value}",
        f"    message: {emit_scalar(message, 6)}",
    ]
    return "\n".join(lines) + "\n"


POSTMORTEM_FRONT_MATTER = """\
---
title: {title}
incidents: [{incident}]
status: draft                         # draft | in_review | published (only published go public)
date: {date}
authors: []                           # internal
summary: Write a one-paragraph summary.
root_causes: []                       # config-change | deploy | capacity | dependency | hardware |
                                      # network | security | data | human-process | unknown
# detection: alert                    # alert | customer-report | internal-report | other
action_items: []
# action_items:
#   - id: AI-1
#     title: What will be done
#     type: prevent                   # mitigate | prevent | detect | process
#     owner: someone                  # internal
#     priority: high                  # high | medium | low
#     due: YYYY-MM-DD
#     status: open                    # open | in_progress | done | wont_do
#     ticket: https://tracker.example.com/OPS-123
---
"""

POSTMORTEM_SECTIONS = (
    ("Summary", "One paragraph: what happened, who was affected, for how long, how it ended."),
    ("Impact", "What users saw and how many of them; data lost, if any."),
    ("Root causes", "The conditions that made this possible; there is usually more than one."),
    ("Trigger", "What turned the latent problem into an incident."),
    ("Resolution", "What stopped the impact, and what made the fix permanent."),
    ("Detection", "How we found out, and how long that took."),
    ("What went well", ""),
    ("What went wrong", ""),
    ("Where we got lucky", ""),
    ("Timeline", ""),
)


def _postmortem_text(
    incident_id: str, incident: Incident, services: Services, now: datetime, zone: ZoneInfo
) -> str:
    front = POSTMORTEM_FRONT_MATTER.format(
        title=emit_scalar(incident.title, 2),
        incident=emit_scalar(incident_id, 2, flow=True),
        date=now.astimezone(zone).date().isoformat(),
    ).splitlines()
    body: list[str] = []
    for heading, prompt in POSTMORTEM_SECTIONS:
        body += [f"## {heading}", ""]
        if prompt:
            body += [f"<!-- {prompt} -->", ""]
        if heading == "Impact" and incident.impact:
            body += [_impact_line(imp, services, zone) for imp in incident.impact] + [""]
        if heading == "Timeline":
            body += [*_timeline_lines(incident, zone), ""]
    return "\n".join(front + body).rstrip("\n") + "\n"


def _when(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")


def _impact_line(impact: Any, services: Services, zone: ZoneInfo) -> str:
    level = impact.level.value.replace("_", " ")
    until = f"to {_when(impact.to, zone)}" if impact.to else "ongoing"
    name = _name(services, impact.component)
    return f"- {name}: {level} from {_when(impact.from_, zone)} {until}"


_MILESTONE_EVENTS = {
    "started": "impact began",
    "detected": "detected",
    "acknowledged": "acknowledged",
    "mitigated": "mitigated",
    "resolved": "resolved",
}


def _timeline_lines(incident: Incident, zone: ZoneInfo) -> list[str]:
    events: list[tuple[datetime, int, str]] = []
    for order, name in enumerate(MILESTONES):
        moment = getattr(incident.timeline, name)
        if moment is not None:
            events.append((moment, order, _MILESTONE_EVENTS[name]))
    for update in incident.updates:
        text = " ".join(update.message.split())
        events.append((update.at, len(MILESTONES), f"update ({update.status.value}): {text}"))
    return [f"- {_when(moment, zone)}: {what}" for moment, _, what in sorted(events)]


# --- YAML scalars that read back exactly ------------------------------------------------------


def emit_scalar(value: str, indent: int, *, flow: bool = False) -> str:
    """YAML text for `value` after `key: ` that any YAML reader turns back into `value` exactly.

    Plain when that is unambiguous, folded over lines of FOLD_WIDTH when long (as people write
    them), a literal block (indented `indent` columns) for multi-line text, double-quoted with
    escapes otherwise. Each choice is checked by parsing it back.
    """
    single = "\n" not in value and "\r" not in value
    if single and not flow and indent + len(value) > FOLD_WIDTH:
        folded = _folded(value, indent)
        if folded is not None:
            return folded
    if single and _reads_back(value, value, flow):
        return value
    if "\n" in value and not flow:
        block = _literal(value, indent)
        if block is not None:
            return block
    return double_quoted(value)


def _folded(value: str, indent: int) -> str | None:
    """`>-` with the words wrapped; only for text whose spaces folding cannot change."""
    if value != value.strip() or "  " in value or "\t" in value:
        return None
    lines: list[str] = []
    for word in value.split(" "):
        if lines and indent + len(lines[-1]) + 1 + len(word) <= FOLD_WIDTH:
            lines[-1] += " " + word
        else:
            lines.append(word)
    text = ">-" + "".join("\n" + " " * indent + line for line in lines)
    return text if _reads_back(text, value, False) else None


def _literal(value: str, indent: int) -> str | None:
    body, chomp = (value[:-1], "") if value.endswith("\n") else (value, "-")
    lines = body.split("\n")
    if body.endswith("\n") or not lines[0].strip() or lines[0][0] in " \t":
        return None
    if any(line != line.rstrip(" \t") for line in lines):
        return None  # trailing spaces are invisible in review: quote them instead
    text = "|" + chomp + "".join("\n" + (" " * indent + line if line else "") for line in lines)
    return text if _reads_back(text, value, False) else None


def _reads_back(text: str, value: str, flow: bool) -> bool:
    """Whether `k: text` reads as `value`, for our reader and for a YAML 1.1 one alike."""
    snippet = "{k: " + text + "}\n" if flow else "k: " + text + "\n"
    try:
        ours, _ = parse(snippet, with_positions=False)
        theirs = yaml.load(snippet, Loader=_Loader)
    except (YamlProblem, yaml.YAMLError):
        return False
    return all(
        isinstance(d, dict) and d.get("k") == value and isinstance(d.get("k"), str)
        for d in (ours, theirs)
    )


# --- the text editor --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Lines:
    """A nested block value for a new top-level key, as lines already indented."""

    lines: list[str]


_Value = str | _Lines


@dataclass(frozen=True)
class _Raw:
    """A value known to be safe as plain YAML (timestamps, enum values): written as is."""

    text: str


_Item = Sequence[tuple[str, str | _Raw]]


class _Editor:
    """Insertions into the original text, placed by the marks of its composed YAML nodes."""

    def __init__(self, text: str, rel: str) -> None:
        self.text = text
        self.rel = rel
        self.newline = "\r\n" if "\r\n" in text else "\n"
        self._edits: list[tuple[int, int, int, str]] = []
        try:
            root = yaml.compose(text, Loader=_Loader)
        except yaml.YAMLError:
            root = None
        if not isinstance(root, MappingNode) or root.flow_style:
            raise StatusledgerError(
                f"{rel} is not a block-style YAML mapping; write it with one key per line"
            )
        self.root = root

    def result(self) -> str:
        """The text with every edit applied, in position order (ties in the order made)."""
        out, pos = [], 0
        for start, _, end, new in sorted(self._edits):
            out += [self.text[pos:start], new]
            pos = end
        out.append(self.text[pos:])
        return "".join(out)

    # -- the change

    def render(self, change: _Change) -> None:
        """Turn a change into edits against the original text."""
        impact = self._top("impact")
        if change.close:
            assert isinstance(impact, SequenceNode)
            for index, to in change.close.items():
                item = impact.value[index]
                assert isinstance(item, MappingNode)
                self.set_keys(item, [("to", _Raw(to))])
        if change.open:
            items: list[_Item] = [
                [("component", c), ("level", _Raw(lvl)), ("from", _Raw(f))]
                for c, lvl, f in change.open
            ]
            self._append_items("impact", items)
        if change.milestones:
            entries = [
                (name, _Raw(at))
                for name, at in sorted(
                    change.milestones.items(), key=lambda kv: MILESTONES.index(kv[0])
                )
            ]
            timeline = self._top("timeline")
            if isinstance(timeline, MappingNode):
                self.set_keys(timeline, entries, MILESTONES, replace=True)
            else:
                self._absent(timeline, "timeline")
                lines = [f"  {name}: {value.text}" for name, value in entries]
                self.set_keys(self.root, [("timeline", _Lines(lines))], INCIDENT_KEYS)
        if change.severity is not None:
            self._set_scalar("severity", change.severity)
        if change.roles:
            self._roles(change.roles)
        if change.severity_changes:
            self._append_items(
                "severity_changes",
                [
                    [("at", _Raw(at)), ("from", _Raw(f)), ("to", _Raw(t))]
                    for at, f, t in change.severity_changes
                ],
            )
        if change.updates:
            self._append_items(
                "updates",
                [
                    [("at", _Raw(at)), ("status", _Raw(status)), ("message", message)]
                    for at, status, message in change.updates
                ],
            )
        if change.postmortem is not None:
            self.set_keys(self.root, [("postmortem", change.postmortem)], INCIDENT_KEYS)

    def _set_scalar(self, key: str, text: str) -> None:
        """Replace a top-level scalar's text (severity), keeping any comment after it."""
        node = self._top(key)
        if not isinstance(node, ScalarNode) or node.end_mark.index <= node.start_mark.index:
            raise StatusledgerError(
                f"{self.rel}: '{key}' holds something unexpected; fix it by hand"
            )
        self._replace(node.start_mark.index, node.end_mark.index, text)

    def _roles(self, roles: dict[str, str]) -> None:
        node = self._top("roles")
        entries: list[tuple[str, _Value | _Raw]] = list(roles.items())
        if isinstance(node, MappingNode):
            self.set_keys(node, entries, replace=True)
            return
        self._absent(node, "roles")
        lines = [f"  {role}: {emit_scalar(who, 4)}" for role, who in roles.items()]
        self.set_keys(self.root, [("roles", _Lines(lines))], INCIDENT_KEYS)

    def _append_items(self, key: str, items: Sequence[_Item]) -> None:
        node = self._top(key)
        if isinstance(node, SequenceNode):
            self.append_items(node, items)
            return
        self._absent(node, key)
        updates = self._top("updates")
        dash, col = self._item_columns(updates) if isinstance(updates, SequenceNode) else (2, 4)
        lines = [line for item in items for line in self._block_item(item, dash, col)]
        self.set_keys(self.root, [(key, _Lines(lines))], INCIDENT_KEYS)

    def _absent(self, node: Node | None, key: str) -> None:
        if node is not None:
            raise StatusledgerError(
                f"{self.rel}: '{key}' holds something unexpected; fix it by hand first"
            )

    def _top(self, key: str) -> Node | None:
        for key_node, value in self.root.value:
            if key_node.value == key:
                assert isinstance(value, Node)
                return value
        return None

    # -- sequences

    def append_items(self, seq: SequenceNode, items: Sequence[_Item]) -> None:
        """Add mappings to the end of a sequence in the style of its last item."""
        if seq.flow_style:
            flows = [self._flow_map(item) for item in items]
            if seq.value:
                self._insert(self._content_end(seq.value[-1]), "".join(", " + f for f in flows))
            else:
                self._insert(self._closing(seq, "]"), ", ".join(flows))
            return
        last = seq.value[-1]
        dash, col = self._item_columns(seq)
        at = self._after(self._content_end(last), dash)
        if isinstance(last, MappingNode) and last.flow_style:
            lines = [" " * dash + "- " + self._flow_map(item) for item in items]
        else:
            lines = [line for item in items for line in self._block_item(item, dash, col)]
        self._insert_lines(at, lines)

    def _item_columns(self, seq: SequenceNode) -> tuple[int, int]:
        """The column of the dash and of the keys of block mapping items."""
        dash = seq.start_mark.column
        last = seq.value[-1] if seq.value else None
        if isinstance(last, MappingNode) and not last.flow_style and last.value:
            return dash, last.start_mark.column
        return dash, dash + 2

    def _block_item(self, item: _Item, dash: int, col: int) -> list[str]:
        lines = []
        for n, (key, value) in enumerate(item):
            lead = " " * dash + "-" + " " * (col - dash - 1) if n == 0 else " " * col
            lines.append(f"{lead}{key}: {_emit(value, col + 2)}")
        return lines

    def _flow_map(self, item: _Item) -> str:
        return "{" + ", ".join(f"{k}: {_emit(v, 0, flow=True)}" for k, v in item) + "}"

    # -- mappings

    def set_keys(
        self,
        mapping: MappingNode,
        entries: Sequence[tuple[str, _Value | _Raw]],
        order: Sequence[str] | None = None,
        *,
        replace: bool = False,
    ) -> None:
        """Give keys a value: fill an empty (null) one, else insert it after its predecessor.

        With `order`, a new key goes after the last present key that comes before it there
        (milestones in order, top-level keys in the documented order); without, at the end.
        With `replace`, a key that holds a scalar gets the new value in its place.
        """
        present = {k.value: (k, v) for k, v in mapping.value}
        groups: dict[int | None, list[tuple[str, _Value | _Raw]]] = {}
        for key, value in entries:
            if key in present:
                self._fill_null(*present[key], value, replace=replace)
            else:
                groups.setdefault(self._anchor(mapping, key, order), []).append((key, value))
        for anchor, group in groups.items():
            if mapping.flow_style:
                self._flow_keys(mapping, anchor, group)
            else:
                self._block_keys(mapping, anchor, group)

    def _anchor(self, mapping: MappingNode, key: str, order: Sequence[str] | None) -> int | None:
        if order is None:
            return len(mapping.value) - 1 if mapping.value else None
        rank = order.index(key)
        best: int | None = None
        for index, (key_node, _) in enumerate(mapping.value):
            other = key_node.value
            if (
                other in order
                and order.index(other) < rank
                and (
                    best is None or order.index(other) >= order.index(mapping.value[best][0].value)
                )
            ):
                best = index
        return best

    def _fill_null(
        self, key_node: Node, value_node: Node, value: _Value | _Raw, *, replace: bool = False
    ) -> None:
        if not (
            isinstance(value_node, ScalarNode) and (replace or value_node.tag.endswith(":null"))
        ) or isinstance(value, _Lines):
            raise StatusledgerError(
                f"{self.rel}:{key_node.start_mark.line + 1}: '{key_node.value}' is already set"
            )
        text = _emit(value, key_node.start_mark.column + 2)
        start, end = value_node.start_mark.index, value_node.end_mark.index
        self._replace(start, end, text if end > start else " " + text)

    def _block_keys(
        self, mapping: MappingNode, anchor: int | None, group: list[tuple[str, _Value | _Raw]]
    ) -> None:
        col = mapping.start_mark.column
        lines: list[str] = []
        for key, value in group:
            if isinstance(value, _Lines):
                lines += [" " * col + f"{key}:", *(" " * col + line for line in value.lines)]
            else:
                lines.append(" " * col + f"{key}: {_emit(value, col + 2)}")
        if anchor is None:
            at = self._before(mapping.value[0][0])
        else:
            # Comments at the keys' column after the last key still belong to this mapping
            # (except at the top level, where they head what follows).
            last = anchor == len(mapping.value) - 1 and mapping is not self.root
            at = self._after(self._content_end(mapping.value[anchor][1]), col - last)
        self._insert_lines(at, lines)

    def _flow_keys(
        self, mapping: MappingNode, anchor: int | None, group: list[tuple[str, _Value | _Raw]]
    ) -> None:
        parts = []
        for key, value in group:
            if isinstance(value, _Lines):
                raise StatusledgerError(f"{self.rel}: cannot add '{key}' to a flow mapping")
            parts.append(f"{key}: {_emit(value, 0, flow=True)}")
        if not mapping.value:
            self._insert(self._closing(mapping, "}"), ", ".join(parts))
        elif anchor is None:
            self._insert(mapping.value[0][0].start_mark.index, ", ".join(parts) + ", ")
        else:
            self._insert(
                self._content_end(mapping.value[anchor][1]), "".join(", " + p for p in parts)
            )

    # -- positions

    def _content_end(self, node: Node) -> int:
        """Index just past the last character of a node's own text (not trailing blank lines)."""
        if isinstance(node, MappingNode | SequenceNode) and not node.flow_style and node.value:
            last = node.value[-1]
            return self._content_end(last[1] if isinstance(node, MappingNode) else last)
        end = node.end_mark.index
        if (
            isinstance(node, ScalarNode)
            and node.style in ("|", ">")
            and "+"
            in self.text[node.start_mark.index : self.text.find("\n", node.start_mark.index)]
        ):
            return end  # keep chomping: the blank lines after the text are part of it
        while end > node.start_mark.index and self.text[end - 1] in " \t\r\n":
            end -= 1
        return end

    def _after(self, end: int, col: int) -> int:
        """Start of the line after `end`, past the comments indented deeper than `col` below it.

        Such comments (and blank lines between them) belong to the node that ends at `end`, so
        what is added after the node goes after them too; blank lines after them are left.
        """
        if end > 0 and self.text[end - 1] == "\n":
            pos = end
        else:
            pos = self.text.find("\n", end)
            if pos < 0:
                return len(self.text)
            pos += 1
        scan = pos
        while scan < len(self.text):
            stop = self.text.find("\n", scan)
            following = stop + 1 if stop >= 0 else len(self.text)
            line = self.text[scan:following].rstrip("\r\n")
            body = line.lstrip(" ")
            if body.startswith("#") and len(line) - len(body) > col:
                pos = following
            elif body.strip():
                break
            scan = following
        return pos

    def _before(self, key_node: Node) -> int:
        """Start of the key's line, above the comment lines directly over it."""
        start = self.text.rfind("\n", 0, key_node.start_mark.index) + 1
        while start > 0:
            previous = self.text.rfind("\n", 0, start - 1) + 1
            if not self.text[previous:start].strip().startswith("#"):
                break
            start = previous
        return start

    def _closing(self, node: Node, bracket: str) -> int:
        at = self.text.rfind(bracket, node.start_mark.index, node.end_mark.index)
        if at < 0:  # pragma: no cover - a flow collection always ends with its bracket
            raise StatusledgerError(f"{self.rel}: cannot find the closing '{bracket}'")
        return at

    # -- edits

    def _replace(self, start: int, end: int, new: str) -> None:
        self._edits.append((start, len(self._edits), end, new.replace("\n", self.newline)))

    def _insert(self, at: int, new: str) -> None:
        self._replace(at, at, new)

    def _insert_lines(self, at: int, lines: list[str]) -> None:
        text = "".join(line + "\n" for line in lines)
        if at == len(self.text) and self.text and not self.text.endswith("\n"):
            text = "\n" + text
        self._insert(at, text)


def _emit(value: str | _Raw, indent: int, *, flow: bool = False) -> str:
    return value.text if isinstance(value, _Raw) else emit_scalar(value, indent, flow=flow)
