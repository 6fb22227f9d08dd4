"""`statusledger update`: append an update to an incident or maintenance, with impact changes."""

from __future__ import annotations

from pathlib import Path

import click

from statusledger.authoring import display_path, update_record
from statusledger.clock import resolve_now
from statusledger.records.models import IncidentStatus, MaintenanceStatus

_STATUSES = [s.value for s in IncidentStatus] + [s.value for s in MaintenanceStatus]


@click.command(name="update", short_help="Append an update; open, change or close impacts.")
@click.argument("record_id", metavar="ID")
@click.option(
    "--status",
    required=True,
    type=click.Choice(_STATUSES),
    help="Incidents: investigating, identified, monitoring, resolved. Maintenance: "
    "scheduled, in_progress, verifying, completed, cancelled.",
)
@click.option("--message", required=True, help="The public update text (any characters).")
@click.option(
    "--component",
    "components",
    multiple=True,
    metavar="ID:LEVEL",
    help="Incidents: set a component's level from now on (closing its open impact and "
    "opening one at the new level); ID:operational closes it. Repeatable.",
)
@click.option(
    "--now", "now_text", metavar="TS", default=None, help="Treat this ISO 8601 timestamp as now."
)
@click.pass_obj
def update(
    obj: object,
    record_id: str,
    status: str,
    message: str,
    components: tuple[str, ...],
    now_text: str | None,
) -> None:
    """Append an update to an incident or maintenance window, and print the record's path.

    identified sets timeline.acknowledged and monitoring also timeline.mitigated when missing;
    resolved does what 'statusledger resolve' does. A resolved incident is not reopened: open a
    new incident that mentions it.
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
    )
    click.echo(display_path(written.path, Path.cwd()))
