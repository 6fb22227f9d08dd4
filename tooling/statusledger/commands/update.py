"""`statusledger update`: append an update to an incident or maintenance, with impact changes."""

from __future__ import annotations

from pathlib import Path

import click

from statusledger.authoring import display_path, update_record
from statusledger.clock import resolve_now
from statusledger.commands.choices import Suggesting, timestamp
from statusledger.records.models import IncidentStatus, MaintenanceStatus, SeverityLevel

_STATUSES = [s.value for s in IncidentStatus] + [s.value for s in MaintenanceStatus]


@click.command(name="update", short_help="Append an update; change impacts, severity, milestones.")
@click.argument("record_id", metavar="ID")
@click.option(
    "--status",
    default=None,
    type=Suggesting(_STATUSES),
    help="Incidents: investigating, identified, monitoring, resolved. Maintenance: "
    "scheduled, in_progress, verifying, completed, cancelled. With --message: the public update.",
)
@click.option("--message", default=None, help="The public update text (any characters).")
@click.option(
    "--component",
    "components",
    multiple=True,
    metavar="ID:LEVEL",
    help="Incidents: set a component's level from now on (closing its open impact and "
    "opening one at the new level); ID:operational closes it. Repeatable.",
)
@click.option(
    "--severity",
    default=None,
    type=Suggesting([s.value for s in SeverityLevel]),
    help="Escalate or downgrade the incident; the change is kept, timed, in the internal "
    "severity_changes list.",
)
@click.option(
    "--at",
    "at_text",
    metavar="TS",
    default=None,
    help="When it happened, for an update written late (default: now); never before the "
    "last update.",
)
@click.option("--detected", "detected_text", metavar="TS", default=None, help="timeline.detected.")
@click.option(
    "--acknowledged", "acknowledged_text", metavar="TS", default=None, help="timeline.acknowledged."
)
@click.option(
    "--now", "now_text", metavar="TS", default=None, help="Treat this ISO 8601 timestamp as now."
)
@click.pass_obj
def update(
    obj: object,
    record_id: str,
    status: str | None,
    message: str | None,
    components: tuple[str, ...],
    severity: str | None,
    at_text: str | None,
    detected_text: str | None,
    acknowledged_text: str | None,
    now_text: str | None,
) -> None:
    """Append an update to an incident or maintenance window, and print the record's path.

    identified sets timeline.acknowledged and monitoring also timeline.mitigated when missing;
    resolved does what 'statusledger resolve' does. A resolved incident is not reopened: open a
    new incident that mentions it. --severity, --detected and --acknowledged are internal and
    need no public update (leave out --status and --message). No time may be later than this
    machine's clock (a minute of skew is forgiven).
    """
    from statusledger.cli import Env

    assert isinstance(obj, Env)
    written = update_record(
        obj.root,
        record_id,
        status=status,
        message=message,
        components=components,
        now=resolve_now(now_text),
        at=timestamp("--at", at_text),
        severity=SeverityLevel(severity) if severity else None,
        detected=timestamp("--detected", detected_text),
        acknowledged=timestamp("--acknowledged", acknowledged_text),
    )
    click.echo(display_path(written.path, Path.cwd()))
