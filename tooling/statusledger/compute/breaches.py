"""The response-policy engine: every promise of services.yaml `policies`, judged at `now`.

One set of definitions with three readers. `validate` turns what is still owed and late into
warnings with file positions (validation/policy.py), `todo` orders what is owed, late or not
yet (compute/todo.py), and `metrics` lists every breach of a range of incidents, the ones
already settled included (compute/metrics.py). Durations are compared as `now - moment > limit`
rather than `moment + limit < now`, so a huge duration in services.yaml never overflows a date.

For a closed incident only its facts (facts.py: severity, visibility, the postmortem link, the
resolved moment) are read on the way to what is owed, so `validate` can pass the facts of the
records it took as settled; the settled breaches (`history=True`, for metrics) need complete
records.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from statusledger.compute.intervals import MICROS
from statusledger.compute.milestones import began_at, resolved_at
from statusledger.compute.periods import start_of_day
from statusledger.facts import IncidentFacts, incident_facts
from statusledger.loading import Loaded
from statusledger.records.models import (
    Incident,
    Policy,
    Postmortem,
    PostmortemStatus,
    Services,
    SeverityLevel,
    Visibility,
)

BREACH_KINDS = (
    "late-acknowledge",
    "late-resolve",
    "stale-update",
    "missing-postmortem",
    "late-postmortem",
    "overdue-action-item",
)
# What is owed, and the breach it becomes once late.
DUTY_KINDS = {
    "acknowledge": "late-acknowledge",
    "resolve": "late-resolve",
    "update": "stale-update",
    "postmortem": "missing-postmortem",
    "action-item": "overdue-action-item",
}


@dataclass(frozen=True)
class Breach:
    """One response-policy target missed by one incident.

    `allowed_seconds` is the policy's duration (None for an action item, which has a due day
    instead); `actual_seconds` is how long it really took, or has taken so far when still owed.
    `owed` says it can still be made good (the incident is open, the postmortem unwritten, the
    item open); `deadline` is when it fell due (None beyond what a date can hold).
    """

    incident: str
    kind: str
    severity: SeverityLevel
    allowed_seconds: float | None
    actual_seconds: float
    postmortem: str | None = None
    action_item: str | None = None
    due: date | None = None
    deadline: datetime | None = field(default=None, compare=False)
    owed: bool = field(default=False, compare=False)

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
            "owed": self.owed,
        }


@dataclass(frozen=True)
class Duty:
    """Something the policy still asks for: done by `deadline`, a breach once that has passed.

    `since` is the moment the allowance counts from (the last update, the start, the resolve)
    and `allowed` the policy's duration; an action item has neither, only its due day, and is
    late from the end of that day in page.timezone (`since` is then that moment too).
    """

    kind: str
    incident: str
    severity: SeverityLevel
    since: datetime
    allowed: timedelta | None
    postmortem: str | None = None
    action_item: str | None = None
    due: date | None = None

    @property
    def deadline(self) -> datetime | None:
        """When it falls due; None when that lies beyond what a date can hold."""
        if self.allowed is None:
            return self.since
        try:
            return self.since + self.allowed
        except OverflowError:
            return None

    def late(self, now: datetime) -> bool:
        """Whether the deadline has passed at `now`."""
        if self.allowed is None:
            return now >= self.since
        return now - self.since > self.allowed

    def breach(self, now: datetime) -> Breach:
        """The breach this duty is at `now` (call when `late`)."""
        return Breach(
            self.incident,
            DUTY_KINDS[self.kind],
            self.severity,
            None if self.allowed is None else seconds(self.allowed),
            seconds(now - self.since),
            self.postmortem,
            self.action_item,
            self.due,
            deadline=self.deadline,
            owed=True,
        )


# An incident loaded whole, or only its facts (closed, taken as settled by `validate`).
Judged = Loaded[Incident] | IncidentFacts


def duties(
    policies: Mapping[SeverityLevel, Policy],
    zone: str,
    incidents: Sequence[Judged],
    postmortems: Sequence[Loaded[Postmortem]],
    now: datetime,
) -> list[Duty]:
    """Everything still owed, late or not, in incident order (each incident's items after it).

    Validation calls this with the policies of services.yaml, or none when it did not load
    (action items are owed all the same).
    """
    return [d for d in _judged(policies, zone, incidents, postmortems, now) if isinstance(d, Duty)]


def breaches(
    services: Services,
    incidents: Sequence[Loaded[Incident]],
    postmortems: Sequence[Loaded[Postmortem]],
    now: datetime,
) -> list[Breach]:
    """Every policy target missed by these incidents, owed or settled, in incident order."""
    found = []
    judged = _judged(
        services.policies, services.page.timezone, incidents, postmortems, now, history=True
    )
    for item in judged:
        if isinstance(item, Breach):
            found.append(item)
        elif item.late(now):
            found.append(item.breach(now))
    place = {record.id: position for position, record in enumerate(incidents)}
    return sorted(found, key=lambda b: (place[b.incident], BREACH_KINDS.index(b.kind)))


def _facts(record: Judged) -> IncidentFacts:
    if isinstance(record, IncidentFacts):
        return record
    return incident_facts(record.id, record.path, record.model, record.positions)


def _judged(
    policies: Mapping[SeverityLevel, Policy],
    zone: str,
    incidents: Sequence[Judged],
    postmortems: Sequence[Loaded[Postmortem]],
    now: datetime,
    *,
    history: bool = False,
) -> Iterator[Duty | Breach]:
    by_incident = postmortems_by_incident(incidents, postmortems)
    reported_items: set[tuple[str, str]] = set()
    for record in incidents:
        facts = _facts(record)
        policy = policies.get(facts.severity, Policy())
        linked = by_incident.get(record.id, [])
        if isinstance(record, Loaded):
            if record.model.is_open:
                yield from _open_duties(record.id, record.model, policy)
            if history:
                yield from _settled_breaches(record.id, record.model, policy, linked, zone)
        yield from _postmortem_duty(facts, policy, linked)
        for postmortem in linked:
            for item in postmortem.model.action_items:
                if item.is_done or item.due is None or (postmortem.id, item.id) in reported_items:
                    continue
                reported_items.add((postmortem.id, item.id))
                try:
                    end_of_due = start_of_day(item.due + timedelta(days=1), zone)
                except OverflowError:
                    continue
                yield Duty(
                    "action-item",
                    record.id,
                    facts.severity,
                    end_of_due,
                    None,
                    postmortem.id,
                    item.id,
                    item.due,
                )


def postmortems_by_incident(
    incidents: Sequence[Judged], postmortems: Sequence[Loaded[Postmortem]]
) -> dict[str, list[Loaded[Postmortem]]]:
    """Postmortems of each incident, linked from either side, in postmortem id order."""
    by_id = {p.id: p for p in postmortems}
    result: dict[str, dict[str, Loaded[Postmortem]]] = {}
    for record in incidents:
        linked = record.postmortem if isinstance(record, IncidentFacts) else record.model.postmortem
        if linked and linked in by_id:
            result.setdefault(record.id, {})[linked] = by_id[linked]
    for postmortem in postmortems:
        for incident_id in postmortem.model.incidents:
            result.setdefault(incident_id, {})[postmortem.id] = postmortem
    return {k: [v[p] for p in sorted(v)] for k, v in result.items()}


def _open_duties(record_id: str, incident: Incident, policy: Policy) -> Iterator[Duty]:
    severity = incident.severity
    began = began_at(incident)
    if policy.acknowledge is not None and incident.timeline.acknowledged is None:
        base = incident.timeline.detected or began
        yield Duty("acknowledge", record_id, severity, base, policy.acknowledge)
    if policy.resolve is not None:
        yield Duty("resolve", record_id, severity, began, policy.resolve)
    if policy.update_every is not None:
        last = max(update.at for update in incident.updates)
        yield Duty("update", record_id, severity, last, policy.update_every)


def _settled_breaches(
    record_id: str,
    incident: Incident,
    policy: Policy,
    linked: Sequence[Loaded[Postmortem]],
    zone: str,
) -> Iterator[Breach]:
    """Targets missed and since met: they stay in the metrics, nobody owes anything now."""
    severity = incident.severity
    began = began_at(incident)
    resolved = resolved_at(incident)
    acknowledged = incident.timeline.acknowledged
    if policy.acknowledge is not None and acknowledged is not None:
        base = incident.timeline.detected or began
        if acknowledged - base > policy.acknowledge:
            yield Breach(
                record_id,
                "late-acknowledge",
                severity,
                seconds(policy.acknowledge),
                seconds(acknowledged - base),
            )
    if policy.resolve is not None and resolved is not None and resolved - began > policy.resolve:
        yield Breach(
            record_id, "late-resolve", severity, seconds(policy.resolve), seconds(resolved - began)
        )
    if policy.postmortem is None or resolved is None:
        return
    written = [p for p in linked if p.model.status in finished_statuses(incident)]
    if written:
        first = min(written, key=lambda p: (p.model.date, p.id))
        taken = start_of_day(first.model.date, zone) - resolved
        if taken > policy.postmortem:
            yield Breach(
                record_id,
                "late-postmortem",
                severity,
                seconds(policy.postmortem),
                seconds(taken),
                postmortem=first.id,
            )


def _postmortem_duty(
    incident: IncidentFacts, policy: Policy, linked: Sequence[Loaded[Postmortem]]
) -> Iterator[Duty]:
    resolved = incident.resolved
    if policy.postmortem is None or resolved is None:
        return
    if any(p.model.status in finished_statuses(incident) for p in linked):
        return
    ids = [p.id for p in linked]
    draft = incident.postmortem if incident.postmortem in ids else (ids[0] if ids else None)
    yield Duty("postmortem", incident.id, incident.severity, resolved, policy.postmortem, draft)


def finished_statuses(incident: Incident | IncidentFacts) -> frozenset[PostmortemStatus]:
    """Postmortem statuses that count as written.

    Published; for an internal incident also in_review, since publishing would reveal it.
    """
    if incident.visibility is Visibility.INTERNAL:
        return frozenset({PostmortemStatus.PUBLISHED, PostmortemStatus.IN_REVIEW})
    return frozenset({PostmortemStatus.PUBLISHED})


def seconds(value: timedelta) -> float:
    """A duration in seconds, exactly as far as a float allows."""
    return (value.days * 86_400 + value.seconds) + value.microseconds / MICROS
