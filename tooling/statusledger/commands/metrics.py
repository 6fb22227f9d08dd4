"""`statusledger metrics` (placeholder until its issue lands)."""

from __future__ import annotations

import click

from statusledger.errors import UsageError


@click.command(name="metrics", context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def metrics(args: tuple[str, ...]) -> None:
    """Response metrics (MTTD, MTTA, MTTM, MTTR) and policy breaches."""
    raise UsageError("'metrics' is not implemented yet")
