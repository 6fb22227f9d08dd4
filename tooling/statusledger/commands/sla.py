"""`statusledger sla` (placeholder until its issue lands)."""

from __future__ import annotations

import click

from statusledger.errors import UsageError


@click.command(name="sla", context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def sla(args: tuple[str, ...]) -> None:
    """SLA compliance per component for a period."""
    raise UsageError("'sla' is not implemented yet")
