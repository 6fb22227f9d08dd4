"""Response metrics (time to detect, acknowledge, mitigate, resolve) and policy breaches.

Only incidents count, internal ones included: these figures are for the team, not the page.
An incident belongs to a range by the moment it started; it counts once overall, once for its
severity and once for each component it impacted. Formulas are in tooling/docs/compute.md.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from fractions import Fraction
from typing import cast

from statusledger.compute.intervals import MICROS, micros
from statusledger.compute.periods import local_day, start_of_day
from statusledger.loading import Loaded, LoadedRecord
from statusledger.records.models import (
    MILESTONES,
    Category,
    Incident,
    Policy,
    Postmortem,
    PostmortemStatus,
    Services,
    SeverityLevel,
)
from statusledger.records.types import format_timestamp

# name: (from milestone, to milestone); "started" falls back to the earliest impact.
DURATIONS = {
    "ttd": ("started", "detected"),
    "tta": ("detected", "acknowledged"),
    "ttm": ("started", "mitigated"),
    "ttr": ("started", "resolved"),
}
BREACH_KINDS = (
    "late-acknowledge",
    "late-resolve",
    "stale-update",
    "missing-postmortem",
    "late-postmortem",
    "overdue-action-item",
)


@dataclass(frozen=True)
class Stats:
    """Mean, median and p90 of one duration, in seconds; None when nothing was measured.

    `missing` counts incidents of the group lacking one of the two milestones. p90 is the
    nearest-rank percentile: the smallest measured value with at least 90% of values at or
    below it.
    """

    count: int
    missing: int
    mean: float | None
    median: float | None
    p90: float | None

    def to_json(self) -> dict[str, object]:
        """The documented JSON shape."""
        return {
            "count": self.count,
            "missing": self.missing,
            "mean": self.mean,
            "median": self.median,
            "p90": self.p90,
        }


def summarise(values: Sequence[int], missing: int) -> Stats:
    """Exact statistics of durations in microseconds, as seconds."""
    if not values:
        return Stats(0, missing, None, None, None)
    ordered = sorted(values)
    n = len(ordered)
    mean = Fraction(sum(ordered), n)
    middle = n // 2
    if n % 2:
        median = Fraction(ordered[middle])
    else:
        median = Fraction(ordered[middle - 1] + ordered[middle], 2)
    p90 = ordered[(9 * n + 9) // 10 - 1]
    return Stats(n, missing, float(mean / MICROS), float(median / MICROS), p90 / MICROS)


@dataclass(frozen=True)
class Group:
    """Response metrics of a set of incidents (overall, one severity, one component)."""

    incidents: int
    durations: dict[str, Stats]

    def to_json(self) -> dict[str, object]:
        """The documented JSON shape: the incident count, then ttd, tta, ttm, ttr."""
        return {
            "incidents": self.incidents,
            **{name: stats.to_json() for name, stats in self.durations.items()},
        }


@dataclass(frozen=True)
class Recurrence:
    """A component hit at least twice by incidents of one category within the range."""

    component: str
    category: Category
    count: int
    incident_ids: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        """The documented JSON shape."""
        return {
            "component": self.component,
            "category": self.category.value,
            "count": self.count,
            "incidents": list(self.incident_ids),
        }


@dataclass(frozen=True)
class Breach:
    """One response-policy target missed by one incident.

    `allowed_seconds` is the policy's duration (None for an action item, which has a due day
    instead); `actual_seconds` is how long it really took, or has taken so far when still open.
    """

    incident: str
    kind: str
    severity: SeverityLevel
    allowed_seconds: float | None
    actual_seconds: float
    postmortem: str | None = None
    action_item: str | None = None
    due: date | None = None

    def to_json(self) -> dict[str, object]:
        """The documented JSON shape."""
        return {
            "incident": self.incident,
            "kind": self.kind,
            "severity": self.severity.value,
            "allowed_seconds": self.allowed_seconds,
            "actual_seconds": self.actual_seconds,
            "postmortem": self.postmortem,
            "action_item": self.action_item,
            "due": self.due.isoformat() if self.due else None,
        }


@dataclass(frozen=True)
class MetricsReport:
    """Everything `statusledger metrics` shows, for incidents started in [start, end)."""

    start: datetime | None
    end: datetime | None
    incidents: int
    by_severity_count: dict[SeverityLevel, int]
    by_category_count: dict[Category, int]
    overall: Group
    by_severity: dict[SeverityLevel, Group]
    by_component: dict[str, Group]
    recurrence: list[Recurrence] = field(default_factory=list)
    breaches: list[Breach] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        """The documented JSON shape of `statusledger metrics --format json`."""
        return {
            "range": {
                "from": format_timestamp(self.start) if self.start else None,
                "to": format_timestamp(self.end) if self.end else None,
            },
            "incidents": self.incidents,
            "counts": {
                "severity": {s.value: n for s, n in self.by_severity_count.items()},
                "category": {c.value: n for c, n in self.by_category_count.items()},
            },
            "response": {
                "overall": self.overall.to_json(),
                "severity": {s.value: g.to_json() for s, g in self.by_severity.items()},
                "component": {c: g.to_json() for c, g in self.by_component.items()},
            },
            "recurrence": [r.to_json() for r in self.recurrence],
            "breaches": [b.to_json() for b in self.breaches],
        }


def started_at(incident: Incident) -> datetime | None:
    """When the impact began: `timeline.started`, else the earliest impact's `from`."""
    if incident.timeline.started is not None:
        return incident.timeline.started
    return min((impact.from_ for impact in incident.impact), default=None)


def began_at(incident: Incident) -> datetime:
    """The moment that places an incident in a range: when it started, else its first update."""
    return started_at(incident) or incident.updates[0].at


def resolved_at(incident: Incident) -> datetime | None:
    """When a resolved incident was resolved: `timeline.resolved`, else its last update.

    None while the incident is open (its last update is not `resolved`), as validation has it.
    """
    if incident.is_open:
        return None
    return incident.timeline.resolved or incident.updates[-1].at


def _milestone(incident: Incident, name: str) -> datetime | None:
    if name == "started":
        return started_at(incident)
    if name == "resolved":
        return resolved_at(incident)
    value: datetime | None = getattr(incident.timeline, name)
    return value


Measured = tuple[int | None, ...]


def durations_of(incident: Incident) -> Measured:
    """TTD, TTA, TTM, TTR of one incident in microseconds; None where a milestone is missing."""
    moments = {name: _milestone(incident, name) for name in MILESTONES}
    result = []
    for first, second in DURATIONS.values():
        begin, finish = moments[first], moments[second]
        result.append(None if begin is None or finish is None else micros(finish) - micros(begin))
    return tuple(result)


def group_of(incidents: Sequence[Incident]) -> Group:
    """Response metrics of a set of incidents."""
    return _group([durations_of(incident) for incident in incidents])


def _group(rows: Sequence[Measured]) -> Group:
    durations = {}
    for position, name in enumerate(DURATIONS):
        values = [row[position] for row in rows]
        measured = [value for value in values if value is not None]
        durations[name] = summarise(measured, len(values) - len(measured))
    return Group(len(rows), durations)


def in_range(
    records: Sequence[LoadedRecord], start: datetime | None, end: datetime | None
) -> list[Loaded[Incident]]:
    """The incidents (not maintenance) that began in [start, end), in time order."""
    chosen: list[Loaded[Incident]] = []
    for record in records:
        model = record.model
        if not isinstance(model, Incident):
            continue
        moment = began_at(model)
        if (start is None or moment >= start) and (end is None or moment < end):
            chosen.append(cast(Loaded[Incident], record))
    return sorted(chosen, key=lambda r: (began_at(r.model), r.id))


def metrics_report(
    services: Services,
    records: Sequence[LoadedRecord],
    postmortems: Sequence[Loaded[Postmortem]],
    start: datetime | None,
    end: datetime | None,
    now: datetime,
) -> MetricsReport:
    """Response metrics, counts, recurrence and breaches of incidents that began in range."""
    chosen = in_range(records, start, end)
    models = [r.model for r in chosen]
    measured = {id(r): durations_of(r.model) for r in chosen}
    known = [c.id for c in services.components]
    per_component: dict[str, list[Loaded[Incident]]] = {c: [] for c in known}
    for record in chosen:
        for component in dict.fromkeys(i.component for i in record.model.impact):
            if component in per_component:
                per_component[component].append(record)
    return MetricsReport(
        start=start,
        end=end,
        incidents=len(chosen),
        by_severity_count={s: sum(m.severity is s for m in models) for s in SeverityLevel},
        by_category_count={c: sum(m.category is c for m in models) for c in Category},
        overall=_group(list(measured.values())),
        by_severity={
            s: _group([measured[id(r)] for r in chosen if r.model.severity is s])
            for s in SeverityLevel
        },
        by_component={c: _group([measured[id(r)] for r in rs]) for c, rs in per_component.items()},
        recurrence=list(_recurrence(per_component)),
        breaches=breaches(services, chosen, postmortems, now),
    )


def _recurrence(per_component: dict[str, list[Loaded[Incident]]]) -> Iterator[Recurrence]:
    for component, records in per_component.items():
        for category in Category:
            ids = tuple(r.id for r in records if r.model.category is category)
            if len(ids) >= 2:
                yield Recurrence(component, category, len(ids), ids)


# --- response-policy breaches -----------------------------------------------------------------


def breaches(
    services: Services,
    incidents: Sequence[Loaded[Incident]],
    postmortems: Sequence[Loaded[Postmortem]],
    now: datetime,
) -> list[Breach]:
    """Every response-policy target missed by these incidents, in incident order."""
    zone = services.page.timezone
    today = local_day(now, zone)
    by_incident = _postmortems_by_incident(incidents, postmortems)
    found: list[Breach] = []
    reported_items: set[tuple[str, str]] = set()
    for record in incidents:
        incident = record.model
        policy = services.policies.get(incident.severity, Policy())
        linked = by_incident.get(record.id, [])
        found.extend(_timing_breaches(record.id, incident, policy, now))
        found.extend(_postmortem_breaches(record.id, incident, policy, linked, now, zone))
        for postmortem in linked:
            for item in postmortem.model.action_items:
                if item.overdue(today) and (postmortem.id, item.id) not in reported_items:
                    reported_items.add((postmortem.id, item.id))
                    assert item.due is not None
                    late = now - start_of_day(item.due + timedelta(days=1), zone)
                    found.append(
                        Breach(
                            record.id,
                            "overdue-action-item",
                            incident.severity,
                            None,
                            _seconds(late),
                            postmortem.id,
                            item.id,
                            item.due,
                        )
                    )
    return found


def _postmortems_by_incident(
    incidents: Sequence[Loaded[Incident]], postmortems: Sequence[Loaded[Postmortem]]
) -> dict[str, list[Loaded[Postmortem]]]:
    """Postmortems of each incident, linked from either side, in postmortem id order."""
    by_id = {p.id: p for p in postmortems}
    result: dict[str, dict[str, Loaded[Postmortem]]] = {}
    for record in incidents:
        linked = record.model.postmortem
        if linked and linked in by_id:
            result.setdefault(record.id, {})[linked] = by_id[linked]
    for postmortem in postmortems:
        for incident_id in postmortem.model.incidents:
            result.setdefault(incident_id, {})[postmortem.id] = postmortem
    return {k: [v[p] for p in sorted(v)] for k, v in result.items()}


def _timing_breaches(
    record_id: str, incident: Incident, policy: Policy, now: datetime
) -> Iterator[Breach]:
    severity = incident.severity
    began = began_at(incident)
    resolved = resolved_at(incident)
    if policy.acknowledge is not None:
        base = incident.timeline.detected or began
        acknowledged = incident.timeline.acknowledged or (None if resolved else now)
        if acknowledged is not None and acknowledged - base > policy.acknowledge:
            yield Breach(
                record_id,
                "late-acknowledge",
                severity,
                _seconds(policy.acknowledge),
                _seconds(acknowledged - base),
            )
    if policy.resolve is not None:
        finish = resolved or now
        if finish - began > policy.resolve:
            yield Breach(
                record_id,
                "late-resolve",
                severity,
                _seconds(policy.resolve),
                _seconds(finish - began),
            )
    if policy.update_every is not None and resolved is None:
        silence = now - incident.updates[-1].at
        if silence > policy.update_every:
            yield Breach(
                record_id,
                "stale-update",
                severity,
                _seconds(policy.update_every),
                _seconds(silence),
            )


def _postmortem_breaches(
    record_id: str,
    incident: Incident,
    policy: Policy,
    linked: Sequence[Loaded[Postmortem]],
    now: datetime,
    zone: str,
) -> Iterator[Breach]:
    resolved = resolved_at(incident)
    if policy.postmortem is None or resolved is None:
        return
    published = [p for p in linked if p.model.status in _finished(incident)]
    allowed = _seconds(policy.postmortem)
    if not published:
        if now - resolved > policy.postmortem:
            yield Breach(
                record_id,
                "missing-postmortem",
                incident.severity,
                allowed,
                _seconds(now - resolved),
            )
        return
    first = min(published, key=lambda p: (p.model.date, p.id))
    taken = start_of_day(first.model.date, zone) - resolved
    if taken > policy.postmortem:
        yield Breach(
            record_id,
            "late-postmortem",
            incident.severity,
            allowed,
            _seconds(taken),
            postmortem=first.id,
        )


def _finished(incident: Incident) -> frozenset[PostmortemStatus]:
    """Postmortem statuses that count as written: published; for an internal incident also
    in_review, since publishing would reveal it (the same rule as policy/postmortem-missing).
    """
    if incident.visibility is Visibility.INTERNAL:
        return frozenset({PostmortemStatus.PUBLISHED, PostmortemStatus.IN_REVIEW})
    return frozenset({PostmortemStatus.PUBLISHED})


def _seconds(value: timedelta) -> float:
    return (value.days * 86_400 + value.seconds) + value.microseconds / MICROS
