"""`statusledger assign`: who holds an incident role (internal: never on the page)."""

from __future__ import annotations

from pathlib import Path

import click

from statusledger.authoring import assign_role, display_path
from statusledger.clock import resolve_now
from statusledger.commands.choices import Suggesting
from statusledger.records.models import ROLES


@click.command(name="assign", short_help="Set an internal role of an incident.")
@click.argument("record_id", metavar="ID")
@click.option("--role", required=True, type=Suggesting(ROLES), help="The role to hand out.")
@click.option("--who", required=True, metavar="NAME", help="Who holds it from now on.")
@click.option(
    "--now", "now_text", metavar="TS", default=None, help="Treat this ISO 8601 timestamp as now."
)
@click.pass_obj
def assign(obj: object, record_id: str, role: str, who: str, now_text: str | None) -> None:
    """Set roles.<ROLE> of an incident to NAME, and print the record's path.

    A role someone already holds is handed over (the record keeps only who holds it now).
    Roles are internal: the site, feeds and API never show them.
    """
    from statusledger.cli import Env

    assert isinstance(obj, Env)
    written = assign_role(obj.root, record_id, role=role, who=who, now=resolve_now(now_text))
    click.echo(display_path(written.path, Path.cwd()))
