"""The text of new records and postmortems, and the messages written when none is given."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from statusledger.authoring.inputs import IncidentDraft, MaintenanceDraft, component_name
from statusledger.records.models import (
    MILESTONES,
    Category,
    ImpactLevel,
    Incident,
    IncidentStatus,
    MaintenanceStatus,
    Services,
)
from statusledger.records.types import format_timestamp
from statusledger.yamlwrite import emit_scalar

SCHEMA_COMMENT = "# yaml-language-server: $schema=../../site/schemas/incident.schema.json"


def opening_message(status: IncidentStatus, names: Sequence[str]) -> str:
    """The first update's message when none is given, by status."""
    what = _join(names) if names else "our services"
    if status is IncidentStatus.IDENTIFIED:
        return f"We have identified the cause of the problems with {what} and are working on a fix."
    if status is IncidentStatus.MONITORING:
        return f"A fix for the problems with {what} is in place and we are monitoring the results."
    return (
        f"We are investigating problems with {what}. "
        "We will post an update as soon as we know more."
    )


def maintenance_message(
    names: Sequence[str], start: datetime, end: datetime, zone: ZoneInfo
) -> str:
    """The announcement when none is given: what, and when in page time."""
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


def incident_text(
    draft: IncidentDraft,
    category: Category,
    impacts: Sequence[tuple[str, ImpactLevel]],
    message: str,
    timeline: dict[str, datetime],
    now: datetime,
) -> str:
    """The text of a new incident record, in the documented key order."""
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


def maintenance_text(
    draft: MaintenanceDraft, components: Sequence[str], message: str, now: datetime
) -> str:
    """The text of a new maintenance record."""
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


def postmortem_text(
    incident_id: str, incident: Incident, services: Services, now: datetime, zone: ZoneInfo
) -> str:
    """The text of a new postmortem: front matter with prompts, then sections."""
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
    name = component_name(services, impact.component)
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
