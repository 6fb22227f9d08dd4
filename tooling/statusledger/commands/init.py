"""`statusledger init [DIR] [--name NAME] [--url URL]`: a new organisation's status repository.

What is written, and what is refused or kept, is `statusledger.scaffold.initialise`'s.
"""

from __future__ import annotations

from pathlib import Path

import click


@click.command(name="init")
@click.argument(
    "folder", type=click.Path(file_okay=False, path_type=Path), default=".", required=False
)
@click.option("--name", default=None, help="The page's name. Default: from the folder's name.")
@click.option(
    "--url",
    default="https://status.example.com",
    show_default=True,
    help="Where the page will be published (feeds, API and links use it).",
)
def init(folder: Path, name: str | None, url: str) -> None:
    """Scaffold a new organisation's status repository in FOLDER (default: here)."""
    from statusledger.scaffold import initialise

    written, kept = initialise(folder, name, url)
    click.echo(f"wrote {written} files in {folder}")
    for rel in kept:
        click.echo(f"kept your {rel} as it was", err=True)
    click.echo(
        "next: edit services.yaml (page name, url, components), then\n"
        f"  cd {folder} && statusledger validate && statusledger build && statusledger serve"
    )
