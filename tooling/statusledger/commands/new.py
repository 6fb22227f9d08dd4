"""`statusledger new` (placeholder until its issue lands)."""

from __future__ import annotations

import click


@click.group(name="new")
def new() -> None:
    """Write a new incident, maintenance window or postmortem."""
