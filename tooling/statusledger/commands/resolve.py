"""`statusledger resolve` (placeholder until its issue lands)."""

from __future__ import annotations

import click

from statusledger.errors import UsageError


@click.command(name="resolve", context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def resolve(args: tuple[str, ...]) -> None:
    """Resolve an incident: final update, impacts closed, milestones set."""
    raise UsageError("'resolve' is not implemented yet")
