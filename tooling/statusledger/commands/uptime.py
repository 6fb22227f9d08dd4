"""`statusledger uptime` (placeholder until its issue lands)."""

from __future__ import annotations

import click

from statusledger.errors import UsageError


@click.command(name="uptime", context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def uptime(args: tuple[str, ...]) -> None:
    """Uptime per component per day (what the bars show)."""
    raise UsageError("'uptime' is not implemented yet")
