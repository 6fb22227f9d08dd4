"""`statusledger serve [--dev-addr HOST:PORT] [--now TS]`: the site with live reload.

The server is `statusledger.site.serve` (MkDocs' live-reload server, every build staged so the
last good site stays up); this is its command line.
"""

from __future__ import annotations

from pathlib import Path

import click


@click.command(name="serve")
@click.option(
    "--dev-addr",
    metavar="HOST:PORT",
    default="127.0.0.1:8000",
    show_default=True,
    help="Address to serve on.",
)
@click.option(
    "--now",
    "now_text",
    metavar="TS",
    default=None,
    help="Show the site as of this ISO 8601 timestamp (default: the clock, read at every build).",
)
@click.pass_obj
def serve(obj: object, dev_addr: str, now_text: str | None) -> None:
    """Serve the site with live reload on every record change."""
    from statusledger.cli import Env
    from statusledger.clock import resolve_now
    from statusledger.records.types import format_timestamp
    from statusledger.site.serve import serve_repository

    assert isinstance(obj, Env)
    root: Path = obj.root
    now = format_timestamp(resolve_now(now_text)) if now_text else None
    serve_repository(root, dev_addr, now)
