"""`statusledger status`: what is broken now, for whoever is on call."""

from __future__ import annotations

from datetime import datetime

import click

from statusledger.clock import resolve_now
from statusledger.commands.figures import (
    NOW_OPTION,
    as_json,
    duration,
    load_figures,
    table,
    text_or_json,
)
from statusledger.compute.breaches import seconds
from statusledger.compute.situation import MaintenanceNow, OpenIncident, Situation, situation
from statusledger.records.types import format_timestamp


def relative(moment: datetime, now: datetime) -> str:
    """'2h ago' or 'in 20m', for a moment near now."""
    span = seconds(now - moment)
    return f"{duration(span)} ago" if span >= 0 else f"in {duration(-span)}"


def _deadline(name: str, moment: datetime | None, now: datetime) -> str | None:
    if moment is None:
        return None
    late = seconds(now - moment)
    when = f"{duration(late)} late" if late > 0 else f"in {duration(-late)}"
    return f"{name} {format_timestamp(moment)} ({when})"


def _incident_lines(incident: OpenIncident, now: datetime) -> list[str]:
    head = f"  {incident.id}  {incident.severity.value}  {incident.status.value}"
    if incident.visibility.value != "public":
        head += f"  ({incident.visibility.value})"
    lines = [f"{head}  {incident.title}"]
    lines.append(
        f"    started {format_timestamp(incident.started)} ({relative(incident.started, now)}), "
        f"last update {format_timestamp(incident.last_update)} "
        f"({relative(incident.last_update, now)})"
    )
    due = [
        text
        for text in (
            _deadline("next update due", incident.next_update, now),
            _deadline("resolve due", incident.resolve_by, now),
        )
        if text
    ]
    if due:
        lines.append("    " + "; ".join(due))
    if incident.levels:
        impacts = ", ".join(f"{c} {level.value}" for c, level in incident.levels)
        lines.append(f"    impact: {impacts}")
    return lines


def _maintenance_lines(title: str, windows: list[MaintenanceNow]) -> list[str]:
    if not windows:
        return [f"{title}: none"]
    rows = [
        [
            f"  {m.id}",
            m.status.value,
            f"{format_timestamp(m.start)}..{format_timestamp(m.end)}",
            ", ".join(m.components),
            m.title,
        ]
        for m in windows
    ]
    return [f"{title}:", table(rows)]


def status_text(name: str, state: Situation) -> str:
    """Sections for people: the headline, components, open incidents, maintenance."""
    headline = (
        "all systems operational"
        if state.overall.value == "operational"
        else state.overall.value.replace("_", " ")
    )
    parts = [f"{name} at {format_timestamp(state.now)}: {headline}"]
    if state.components:
        rows = []
        for c in state.components:
            causes = [*c.incidents, *(f"maintenance {m}" for m in c.maintenance)]
            rows.append([f"  {c.id}", c.status.value, ", ".join(causes)])
        parts.append("components not operational:\n" + table(rows))
    else:
        parts.append("components not operational: none")
    if state.incidents:
        lines = [f"open incidents ({len(state.incidents)}):"]
        for incident in state.incidents:
            lines += _incident_lines(incident, state.now)
        parts.append("\n".join(lines))
    else:
        parts.append("open incidents: none")
    parts.append("\n".join(_maintenance_lines("maintenance in progress", state.active)))
    parts.append("\n".join(_maintenance_lines("upcoming maintenance", state.upcoming)))
    return "\n\n".join(parts)


@click.command(name="status")
@text_or_json("Sections for people, or the documented JSON.")
@NOW_OPTION
@click.pass_obj
def status(obj: object, fmt: str, now_text: str | None) -> None:
    """What is broken now: components, open incidents with their deadlines, maintenance."""
    now = resolve_now(now_text)
    ledger, services = load_figures(obj)
    state = situation(services, ledger.records, now)
    text = as_json(state.to_json()) if fmt == "json" else status_text(services.page.name, state)
    click.echo(text)
