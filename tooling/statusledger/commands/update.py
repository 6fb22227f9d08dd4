"""`statusledger update` (placeholder until its issue lands)."""

from __future__ import annotations

import click

from statusledger.errors import UsageError


@click.command(name="update", context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def update(args: tuple[str, ...]) -> None:
    """Append an update to an incident or maintenance window."""
    raise UsageError("'update' is not implemented yet")
