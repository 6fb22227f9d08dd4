"""`statusledger import` (placeholder until its issue lands)."""

from __future__ import annotations

import click


@click.group(name="import")
def import_() -> None:
    """Import records from Statuspage or cState."""
