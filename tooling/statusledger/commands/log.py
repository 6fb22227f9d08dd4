"""`statusledger log` (placeholder until its issue lands)."""

from __future__ import annotations

import click

from statusledger.errors import UsageError


@click.command(name="log", context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def log(args: tuple[str, ...]) -> None:
    """The history of one record, from Git."""
    raise UsageError("'log' is not implemented yet")
