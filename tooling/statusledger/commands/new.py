"""`statusledger new incident|maintenance|postmortem`: start a record from the command line."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from statusledger.authoring import (
    IncidentDraft,
    MaintenanceDraft,
    Written,
    display_path,
    new_incident,
    new_maintenance,
    new_postmortem,
    parse_component_level,
)
from statusledger.clock import resolve_now
from statusledger.commands.choices import Suggesting, timestamp
from statusledger.records.models import Category, IncidentStatus, SeverityLevel

_NOW_HELP = "Treat this ISO 8601 timestamp as now."


def _root(obj: object) -> Path:
    from statusledger.cli import Env

    assert isinstance(obj, Env)
    return obj.root


def _report(written: Written) -> None:
    """The new file's path on stdout (for scripts and editors); other files touched on stderr."""
    cwd = Path.cwd()
    click.echo(display_path(written.path, cwd))
    for other in written.also:
        click.echo(f"linked from {display_path(other, cwd)}", err=True)


def _timestamp(option: str, text: str) -> datetime:
    moment = timestamp(option, text)
    assert moment is not None
    return moment


@click.group(name="new")
def new() -> None:
    """Write a new incident, maintenance window or postmortem."""


@new.command(name="incident", short_help="Open an incident that starts now (or --started).")
@click.option("--title", required=True, help="What users see, e.g. 'Elevated API error rate'.")
@click.option(
    "--severity",
    required=True,
    type=Suggesting([s.value for s in SeverityLevel]),
    help="sev1 is the worst.",
)
@click.option(
    "--component",
    "components",
    multiple=True,
    metavar="ID:LEVEL",
    help="An affected component and its level (degraded_performance, partial_outage, "
    "major_outage), from now (or --started) on. Repeatable; none makes an informational "
    "incident.",
)
@click.option(
    "--message",
    default=None,
    help="The first public update. Default: a generic 'we are investigating' text.",
)
@click.option(
    "--category",
    type=Suggesting([c.value for c in Category]),
    default=None,
    help="Default: outage when a component has a major or partial outage, else degradation.",
)
@click.option(
    "--status",
    type=Suggesting(["investigating", "identified", "monitoring"]),
    default="investigating",
    show_default=True,
    help="Status of the first update.",
)
@click.option("--internal", is_flag=True, help="Keep the incident off the public page.")
@click.option(
    "--started",
    "started_text",
    metavar="TS",
    default=None,
    help="When the impact began, if earlier than now: the impacts' from and timeline.started "
    "(the first update is still dated now).",
)
@click.option(
    "--detected",
    "detected_text",
    metavar="TS",
    default=None,
    help="timeline.detected (when an alert or a report arrived). Default: now.",
)
@click.option(
    "--acknowledged",
    "acknowledged_text",
    metavar="TS",
    default=None,
    help="timeline.acknowledged (when someone took it on), so time to acknowledge is not the "
    "time it took to type this. Default: unset (now with --status identified or monitoring).",
)
@click.option(
    "--force",
    is_flag=True,
    help="Declare it even though an open incident already covers one of its components.",
)
@click.option("--now", "now_text", metavar="TS", default=None, help=_NOW_HELP)
@click.pass_obj
def incident(
    obj: object,
    title: str,
    severity: str,
    components: tuple[str, ...],
    message: str | None,
    category: str | None,
    status: str,
    internal: bool,
    started_text: str | None,
    detected_text: str | None,
    acknowledged_text: str | None,
    force: bool,
    now_text: str | None,
) -> None:
    """Write incidents/YYYY/<day>-<slug>.yaml, starting now, and print its path.

    The day is today in page.timezone; a taken name gets -2, -3 ... appended. No time may be
    later than this machine's clock (a minute of skew is forgiven). A component that an open
    incident already covers is refused (update that incident, or pass --force).
    """
    draft = IncidentDraft(
        title=title,
        severity=SeverityLevel(severity),
        impacts=[parse_component_level(c, allow_operational=False) for c in components],
        message=message,
        category=Category(category) if category else None,
        status=IncidentStatus(status),
        internal=internal,
        started=timestamp("--started", started_text),
        detected=timestamp("--detected", detected_text),
        acknowledged=timestamp("--acknowledged", acknowledged_text),
        force=force,
    )
    _report(new_incident(_root(obj), draft, resolve_now(now_text)))


@new.command(name="maintenance", short_help="Announce a maintenance window.")
@click.option("--title", required=True, help="What users see, e.g. 'Database upgrade'.")
@click.option(
    "--start",
    "start_text",
    required=True,
    metavar="TS",
    help="When the window starts (ISO 8601 with offset).",
)
@click.option("--end", "end_text", required=True, metavar="TS", help="When the window ends.")
@click.option(
    "--component",
    "components",
    multiple=True,
    required=True,
    metavar="ID",
    help="A component under maintenance. Repeatable.",
)
@click.option(
    "--message",
    default=None,
    help="The announcement. Default: which components, and when in page.timezone.",
)
@click.option("--internal", is_flag=True, help="Keep the maintenance off the public page.")
@click.option("--now", "now_text", metavar="TS", default=None, help=_NOW_HELP)
@click.pass_obj
def maintenance(
    obj: object,
    title: str,
    start_text: str,
    end_text: str,
    components: tuple[str, ...],
    message: str | None,
    internal: bool,
    now_text: str | None,
) -> None:
    """Write a maintenance record with a `scheduled` update at now, and print its path.

    It is named after the day the window starts (in page.timezone).
    """
    draft = MaintenanceDraft(
        title=title,
        start=_timestamp("--start", start_text),
        end=_timestamp("--end", end_text),
        components=list(components),
        message=message,
        internal=internal,
    )
    _report(new_maintenance(_root(obj), draft, resolve_now(now_text)))


@new.command(name="postmortem", short_help="Start an incident's postmortem, linked both ways.")
@click.argument("incident_id")
@click.option("--now", "now_text", metavar="TS", default=None, help=_NOW_HELP)
@click.pass_obj
def postmortem(obj: object, incident_id: str, now_text: str | None) -> None:
    """Write postmortems/<id>.md from the template and link the incident to it.

    The template is a draft dated today with the Google SRE sections; the incident's impact and
    timeline are filled in from the record.
    """
    _report(new_postmortem(_root(obj), incident_id, resolve_now(now_text)))
