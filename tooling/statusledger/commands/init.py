"""`statusledger init [DIR] [--name NAME] [--url URL]`: a new organisation's status repository.

Like `mkdocs new` or `hugo new site`, it never overwrites: a folder that already holds a
services.yaml or mkdocs.yml is refused whole, and any other file already there (a README, a
.gitignore) is kept as it is and named in the output.
"""

from __future__ import annotations

from pathlib import Path

import click

from statusledger.errors import StatusledgerError, UsageError


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
    from statusledger.loading import load_services_text
    from statusledger.scaffold import OWNED, default_name, scaffold

    files = scaffold(name or default_name(folder), url.rstrip("/"))
    # The page's name and URL go through the same checks as any services.yaml.
    services = load_services_text(files["services.yaml"], "services.yaml")
    if isinstance(services, list):
        raise UsageError("; ".join(f"--name/--url: {f.message}" for f in services))
    owned = [rel for rel in OWNED if (folder / rel).exists()]
    if owned:
        raise StatusledgerError(
            f"{folder}: already holds {', '.join(owned)}; statusledger init never overwrites. "
            "Run it in a new or empty folder"
        )
    kept = []
    for rel, text in files.items():
        target = folder / rel
        if target.exists():
            kept.append(rel)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "x", encoding="utf-8", newline="\n") as out:
            out.write(text)
    written = len(files) - len(kept)
    click.echo(f"wrote {written} files in {folder}")
    for rel in kept:
        click.echo(f"kept your {rel} as it was", err=True)
    click.echo(
        "next: edit services.yaml (page name, url, components), then\n"
        f"  cd {folder} && statusledger validate && statusledger build && statusledger serve"
    )
