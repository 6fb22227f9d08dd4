"""Response-policy breaches: each target of services.yaml `policies` an incident missed.

The definitions match validation's `policy/*` rules (which warn record by record); here they are
listed for a range of incidents with how long was allowed and how long it really took.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from statusledger.compute.intervals import MICROS
from statusledger.compute.milestones import began_at, resolved_at
from statusledger.compute.periods import local_day, start_of_day
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
    """Postmortem statuses that count as written (the same rule as policy/postmortem-missing).

    Published; for an internal incident also in_review, since publishing would reveal it.
    """
    if incident.visibility is Visibility.INTERNAL:
        return frozenset({PostmortemStatus.PUBLISHED, PostmortemStatus.IN_REVIEW})
    return frozenset({PostmortemStatus.PUBLISHED})


def _seconds(value: timedelta) -> float:
    return (value.days * 86_400 + value.seconds) + value.microseconds / MICROS
