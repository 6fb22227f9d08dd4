"""`statusledger resolve`: the final update of an incident (or a maintenance's completion)."""

from __future__ import annotations

from pathlib import Path

import click

from statusledger.authoring import display_path, resolve_record
from statusledger.clock import resolve_now
from statusledger.commands.choices import timestamp


@click.command(name="resolve", short_help="Resolve an incident or complete a maintenance.")
@click.argument("record_id", metavar="ID")
@click.option("--message", required=True, help="The public closing update (any characters).")
@click.option(
    "--at",
    "at_text",
    metavar="TS",
    default=None,
    help="When it ended, for a resolve written late (default: now); never before the last update.",
)
@click.option(
    "--now", "now_text", metavar="TS", default=None, help="Treat this ISO 8601 timestamp as now."
)
@click.pass_obj
def resolve(
    obj: object, record_id: str, message: str, at_text: str | None, now_text: str | None
) -> None:
    """Resolve an incident: final update, impacts closed, milestones set; print its path.

    Every open impact ends now (or --at); timeline.resolved, and acknowledged and mitigated
    when missing, are set to that time. For a maintenance window this appends the `completed`
    update.
    """
    from statusledger.cli import Env

    assert isinstance(obj, Env)
    written = resolve_record(
        obj.root,
        record_id,
        message=message,
        now=resolve_now(now_text),
        at=timestamp("--at", at_text),
    )
    click.echo(display_path(written.path, Path.cwd()))
