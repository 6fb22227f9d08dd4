"""`statusledger build [--out DIR] [--now TS]`: the whole public site, feeds and API.

The build itself is `statusledger.site.build` (the only MkDocs user); this is its command line.
"""

from __future__ import annotations

from pathlib import Path

import click

from statusledger.clock import resolve_now
from statusledger.records.types import format_timestamp


@click.command(name="build")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder. Default: public/ in the repository.",
)
@click.option(
    "--now",
    "now_text",
    metavar="TS",
    default=None,
    help="Build the site as of this ISO 8601 timestamp (default: SOURCE_DATE_EPOCH, "
    "else the clock).",
)
@click.pass_obj
def build(obj: object, out: Path | None, now_text: str | None) -> None:
    """Build the public site, feeds and API."""
    from statusledger.cli import Env, Failed
    from statusledger.errors import RecordError
    from statusledger.site.build import build_site
    from statusledger.site.ledger import format_findings

    assert isinstance(obj, Env)
    root = obj.root
    now = resolve_now(now_text)
    target = out if out is not None else root / "public"
    try:
        warnings = build_site(root, target, now)
    except RecordError as err:
        click.echo(format_findings(err.findings), err=True)
        click.echo(
            f"build failed: {len(err.findings)} invalid record finding(s); "
            "the previous site was left in place",
            err=True,
        )
        raise Failed(1) from None
    for warning in warnings:
        click.echo(warning, err=True)
    click.echo(f"built {target} as of {format_timestamp(now)}")
