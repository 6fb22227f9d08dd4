"""When an incident started, began, was resolved: the milestones metrics and breaches share.

Records may lack milestones (imports, informational incidents); these functions say which
stand-in is used, in one place, so metrics and policy breaches agree.
"""

from __future__ import annotations

from datetime import datetime

from statusledger.records.models import Incident


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


def milestone(incident: Incident, name: str) -> datetime | None:
    """A milestone by name, with the stand-ins of `started_at` and `resolved_at`."""
    if name == "started":
        return started_at(incident)
    if name == "resolved":
        return resolved_at(incident)
    value: datetime | None = getattr(incident.timeline, name)
    return value
