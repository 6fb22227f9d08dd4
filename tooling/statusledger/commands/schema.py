"""`statusledger schema` (placeholder until its issue lands)."""

from __future__ import annotations

import click

from statusledger.errors import UsageError


@click.command(name="schema", context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def schema(args: tuple[str, ...]) -> None:
    """Write JSON Schemas of the records, for editors."""
    raise UsageError("'schema' is not implemented yet")
