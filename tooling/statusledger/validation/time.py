"""Rules: time (docs/rules.md) — what a record says happened must be possible, in order, and past.

Uptime, metrics and the public timeline are all computed from these timestamps, so an impact
that ends before it starts, a resolved incident with an open impact, or an update dated
tomorrow would silently skew every figure on the page. Each is an error at the later or
offending value; `now` comes from the context, never from the clock.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime

from statusledger.errors import Finding
from statusledger.loading import Ledger, Loaded
from statusledger.records.models import (
    MILESTONES,
    Incident,
    IncidentStatus,
    IncidentUpdate,
    Maintenance,
    MaintenanceStatus,
    MaintenanceUpdate,
)
from statusledger.records.types import format_timestamp
from statusledger.validation import Context, Rule

Loc = tuple[str | int, ...]


def _finding(where: tuple[str, int, int], rule: str, message: str, hint: str) -> Finding:
    path, line, col = where
    return Finding(path, line, col, rule, message, hint)


def _ts(moment: datetime) -> str:
    return format_timestamp(moment)


def impact_order(ledger: Ledger, context: Context) -> Iterator[Finding]:
    """Check impacts end after they start; otherwise their length is zero or negative."""
    for record in ledger.incidents:
        for index, impact in enumerate(record.model.impact):
            if impact.to is None or impact.to > impact.from_:
                continue
            yield _finding(
                record.at("impact", index, "to"),
                "time/impact-order",
                f"the impact on '{impact.component}' ends ({_ts(impact.to)}) "
                f"{'when' if impact.to == impact.from_ else 'before'} it starts "
                f"({_ts(impact.from_)})",
                "make 'to' later than 'from', or remove 'to' while the impact goes on",
            )


def milestone_order(ledger: Ledger, context: Context) -> Iterator[Finding]:
    """Check milestones never decrease (started ≤ detected ≤ acknowledged ≤ mitigated ≤ resolved).

    The later milestone of a pair out of order is reported, as the one most likely mistyped.
    """
    for record in ledger.incidents:
        timeline = record.model.timeline
        latest: tuple[str, datetime] | None = None
        for name in MILESTONES:
            value: datetime | None = getattr(timeline, name)
            if value is None:
                continue
            if latest is not None and value < latest[1]:
                yield _finding(
                    record.at("timeline", name),
                    "time/milestone-order",
                    f"timeline.{name} ({_ts(value)}) is before timeline.{latest[0]} "
                    f"({_ts(latest[1])})",
                    "milestones never decrease in the order "
                    + " ≤ ".join(MILESTONES)
                    + "; fix the one that is wrong",
                )
            else:
                latest = (name, value)


def update_order(ledger: Ledger, context: Context) -> Iterator[Finding]:
    """Check updates are in time order: the timeline is read top to bottom, feeds too."""
    for record in ledger.records:
        latest: datetime | None = None
        updates: Sequence[IncidentUpdate | MaintenanceUpdate] = record.model.updates
        for index, update in enumerate(updates):
            if latest is not None and update.at < latest:
                yield _finding(
                    record.at("updates", index, "at"),
                    "time/update-order",
                    f"update {index + 1} ({_ts(update.at)}) is earlier than an update above it "
                    f"({_ts(latest)})",
                    "updates are appended in time order: fix its time, or move it up",
                )
            else:
                latest = update.at


def open_impacts(ledger: Ledger, context: Context) -> Iterator[Finding]:
    """Check a resolved incident closed every impact, or its component stays red forever."""
    for record in ledger.incidents:
        if record.model.status is not IncidentStatus.RESOLVED:
            continue
        for index, impact in enumerate(record.model.impact):
            if impact.to is not None:
                continue
            end = record.model.timeline.resolved or record.model.updates[-1].at
            yield _finding(
                record.at("impact", index),
                "time/open-impact",
                f"the incident is resolved but its impact on '{impact.component}' has no 'to'",
                f"add 'to:' with the time the impact ended (e.g. to: {_ts(end)})",
            )


def missing_resolved(ledger: Ledger, context: Context) -> Iterator[Finding]:
    """Check a resolved incident sets timeline.resolved, which time-to-resolve is made of."""
    for record in ledger.incidents:
        model = record.model
        if model.status is not IncidentStatus.RESOLVED or model.timeline.resolved is not None:
            continue
        ends = [i.to for i in model.impact if i.to is not None]
        suggestion = max(ends) if ends else model.updates[-1].at
        yield _finding(
            record.at("updates", len(model.updates) - 1, "status"),
            "time/missing-resolved",
            "the incident is resolved (last update) but timeline.resolved is not set",
            f"add 'resolved: {_ts(suggestion)}' (when the impact ended) under timeline:",
        )


def resolved_but_open(ledger: Ledger, context: Context) -> Iterator[Finding]:
    """Check timeline.resolved is set only once the last update says resolved."""
    for record in ledger.incidents:
        model = record.model
        if model.timeline.resolved is None or model.status is IncidentStatus.RESOLVED:
            continue
        yield _finding(
            record.at("timeline", "resolved"),
            "time/resolved-not-final",
            f"timeline.resolved is set but the last update's status is '{model.status.value}'",
            f"append an update with status: resolved ('statusledger resolve {record.id}'), "
            "or remove timeline.resolved",
        )


def _incident_moments(model: Incident) -> Iterator[tuple[Loc, datetime]]:
    for index, impact in enumerate(model.impact):
        yield ("impact", index, "from"), impact.from_
        if impact.to is not None:
            yield ("impact", index, "to"), impact.to
    for name in MILESTONES:
        value: datetime | None = getattr(model.timeline, name)
        if value is not None:
            yield ("timeline", name), value
    for index, update in enumerate(model.updates):
        yield ("updates", index, "at"), update.at
    for index, change in enumerate(model.severity_changes):
        yield ("severity_changes", index, "at"), change.at


def _maintenance_moments(model: Maintenance) -> Iterator[tuple[Loc, datetime]]:
    for index, update in enumerate(model.updates):
        if update.status is not MaintenanceStatus.SCHEDULED:
            yield ("updates", index, "at"), update.at


def past_moments(model: Incident | Maintenance) -> list[tuple[Loc, datetime]]:
    """Every moment of a record that must not lie after now (plans are left out)."""
    moments = (
        _incident_moments(model) if isinstance(model, Incident) else _maintenance_moments(model)
    )
    corrections = [(("corrections", i, "at"), c.at) for i, c in enumerate(model.corrections)]
    return [*moments, *corrections]


def _moment_name(model: Incident | Maintenance, loc: Loc) -> str:
    """How a finding names the moment at `loc` (worked out only for the few that need it)."""
    kind, index = loc[0], loc[1]
    if kind == "timeline":
        return f"timeline.{index}"
    assert isinstance(index, int)
    if kind == "impact" and isinstance(model, Incident):
        edge = "start" if loc[2] == "from" else "end"
        return f"the {edge} of the impact on '{model.impact[index].component}'"
    if kind == "corrections":
        return f"correction {index + 1}"
    if kind == "severity_changes":
        return f"severity change {index + 1}"
    if isinstance(model, Maintenance):
        return f"'{model.updates[index].status.value}' update {index + 1}"
    return f"update {index + 1}"


def future_times(ledger: Ledger, context: Context) -> Iterator[Finding]:
    """Check nothing lies after now: records tell what happened, only plans lie ahead.

    The window of a maintenance and its `scheduled` announcements are exempt: they are plans.
    """
    now = context.now
    for record in ledger.records:
        model = record.model
        for loc, moment in past_moments(model):
            if moment <= now:
                continue
            yield _finding(
                record.at(*loc),
                "time/future",
                f"{_moment_name(model, loc)} ({_ts(moment)}) is later than now ({_ts(now)})",
                _future_hint(record),
            )


def future_postmortems(ledger: Ledger, context: Context) -> Iterator[Finding]:
    """A postmortem is written after the fact: a `date` after today is a typo in the year."""
    today = context.today(ledger)
    for postmortem in ledger.postmortems:
        if postmortem.model.date <= today:
            continue
        yield _finding(
            postmortem.at("date"),
            "time/future",
            f"the postmortem is dated {postmortem.model.date.isoformat()}, after today "
            f"({today.isoformat()} in the page's time zone)",
            "fix the date (the day the postmortem was written); pass --now to validate as of "
            "another moment",
        )


def _future_hint(record: Loaded[Incident] | Loaded[Maintenance]) -> str:
    base = "fix the date or the offset (times are in UTC unless the offset says otherwise)"
    if isinstance(record.model, Maintenance):
        return base + "; only 'scheduled' updates and the window may be in the future"
    return base + "; pass --now to validate as of another moment"


def impact_before_start(ledger: Ledger, context: Context) -> Iterator[Finding]:
    """Check no impact starts before timeline.started, which is when the impact began.

    An error rather than a warning, because it is a contradiction, not a judgement: either the
    impact or `started` is wrong, and time-to-detect is measured from `started`. An impact that
    starts later than `started` is normal (an incident spreading) and is not reported.
    """
    for record in ledger.incidents:
        started = record.model.timeline.started
        if started is None:
            continue
        for index, impact in enumerate(record.model.impact):
            if impact.from_ >= started:
                continue
            earliest = min(i.from_ for i in record.model.impact)
            yield _finding(
                record.at("impact", index, "from"),
                "time/impact-before-start",
                f"the impact on '{impact.component}' starts ({_ts(impact.from_)}) before "
                f"timeline.started ({_ts(started)})",
                f"timeline.started is when the impact began: set it to {_ts(earliest)}, "
                "or fix this 'from'",
            )


def severity_changes(ledger: Ledger, context: Context) -> Iterator[Finding]:
    """Check severity changes form one chain, in time order, that ends at `severity`.

    Metrics read the severity in force at a moment from this list (Incident.severity_at), so
    a change out of order, or one that starts from another severity than the change before
    it ended at, would silently count the incident under the wrong severity.
    """
    for record in ledger.incidents:
        changes = record.model.severity_changes
        for index, change in enumerate(changes):
            before = changes[index - 1] if index else None
            if before is not None and change.at < before.at:
                yield _finding(
                    record.at("severity_changes", index, "at"),
                    "time/severity-change",
                    f"severity change {index + 1} ({_ts(change.at)}) is earlier than the "
                    f"change above it ({_ts(before.at)})",
                    "severity changes are listed in time order: fix its time, or move it up",
                )
            if change.from_ is change.to:
                yield _finding(
                    record.at("severity_changes", index, "to"),
                    "time/severity-change",
                    f"severity change {index + 1} changes nothing ({change.to.value} to "
                    f"{change.to.value})",
                    "remove it, or fix its 'from' or 'to'",
                )
            elif before is not None and change.from_ is not before.to:
                yield _finding(
                    record.at("severity_changes", index, "from"),
                    "time/severity-change",
                    f"severity change {index + 1} is from {change.from_.value}, but the change "
                    f"above it went to {before.to.value}",
                    f"set 'from: {before.to.value}': each change starts where the one before "
                    "it ended",
                )
        if changes and changes[-1].to is not record.model.severity:
            yield _finding(
                record.at("severity"),
                "time/severity-change",
                f"severity is {record.model.severity.value}, but the last severity change "
                f"({_ts(changes[-1].at)}) went to {changes[-1].to.value}",
                f"set 'severity: {changes[-1].to.value}', or record the later change with "
                f"'statusledger update {record.id} --severity S'",
            )


RULES: list[Rule] = [
    impact_order,
    milestone_order,
    update_order,
    open_impacts,
    missing_resolved,
    resolved_but_open,
    future_times,
    impact_before_start,
    severity_changes,
    future_postmortems,
]

# Rules that look at one record at a time (validation/settled.py skips records they passed).
PER_RECORD: list[Rule] = list(RULES)
