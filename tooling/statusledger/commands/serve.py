"""`statusledger serve` (placeholder until its issue lands)."""

from __future__ import annotations

import click

from statusledger.errors import UsageError


@click.command(name="serve", context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def serve(args: tuple[str, ...]) -> None:
    """Serve the site with live reload on every record change."""
    raise UsageError("'serve' is not implemented yet")
