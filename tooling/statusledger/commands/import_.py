"""`statusledger import statuspage FILE...` and `statusledger import cstate DIR`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from statusledger.errors import StatusledgerError
from statusledger.loading import find_root

if TYPE_CHECKING:
    from statusledger.importers import Outcome


@click.group(name="import")
def import_() -> None:
    """Import records from Statuspage or cState (running it twice changes nothing)."""


_DRY_RUN = click.option(
    "--dry-run", is_flag=True, help="Show what would be written, and write nothing."
)


@import_.command("statuspage")
@click.argument(
    "files",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, path_type=Path),
)
@_DRY_RUN
@click.pass_context
def statuspage(ctx: click.Context, files: tuple[Path, ...], dry_run: bool) -> None:
    """Import Statuspage API v2 JSON: summary, components, incidents, scheduled maintenance.

    FILE may be a folder; every .json file in it is read.
    """
    root = _root(ctx)
    from statusledger.importers import import_statuspage

    _finish(import_statuspage(root, list(files), dry_run=dry_run), dry_run)


@import_.command("cstate")
@click.argument("site", type=click.Path(exists=True, file_okay=False, path_type=Path))
@_DRY_RUN
@click.pass_context
def cstate(ctx: click.Context, site: Path, dry_run: bool) -> None:
    """Import a cState site: systems from config.yml, incidents from content/issues/*.md."""
    root = _root(ctx)
    from statusledger.importers import import_cstate

    _finish(import_cstate(root, site, dry_run=dry_run), dry_run)


def _root(ctx: click.Context) -> Path:
    """The repository, or where to create one: --root, else upward, else this folder.

    An import may be the first thing run in a new repository, so a missing services.yaml is
    not an error here: it is created from the source's page settings.
    """
    explicit = ctx.find_root().params.get("root")
    if isinstance(explicit, Path):
        return explicit.resolve()
    try:
        return find_root(Path.cwd())
    except StatusledgerError:
        return Path.cwd()


def _finish(outcome: Outcome, dry_run: bool) -> None:
    from statusledger.cli import Failed

    verb = "would write" if dry_run else "wrote"
    for path in outcome.writes:
        click.echo(f"{verb} {path}")
    click.echo(outcome.summary())
    if outcome.notes:
        click.echo(outcome.notes.as_text())
    if outcome.records == 0 and not outcome.components_added and not outcome.unchanged:
        click.echo("nothing could be imported", err=True)
        raise Failed(1)
