"""`statusledger build` (placeholder until its issue lands)."""

from __future__ import annotations

import click

from statusledger.errors import UsageError


@click.command(name="build", context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def build(args: tuple[str, ...]) -> None:
    """Build the public site, feeds and API."""
    raise UsageError("'build' is not implemented yet")
