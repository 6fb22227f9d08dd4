"""`statusledger serve [--dev-addr HOST:PORT] [--now TS]`: the site with live reload.

MkDocs' own server; the plugin adds services.yaml, incidents/, postmortems/ and site/ to what
it watches, so saving a record rebuilds the page. Invalid records show as a failed rebuild in
the log and the last good pages stay up.
"""

from __future__ import annotations

import os
from pathlib import Path

import click

from statusledger.errors import StatusledgerError


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
    help="Show the site as of this ISO 8601 timestamp (default: the clock).",
)
@click.pass_obj
def serve(obj: object, dev_addr: str, now_text: str | None) -> None:
    """Serve the site with live reload on every record change."""
    from mkdocs.commands.serve import serve as mkdocs_serve
    from mkdocs.exceptions import MkDocsException

    from statusledger.cli import Env
    from statusledger.clock import resolve_now
    from statusledger.records.types import format_timestamp
    from statusledger.site.config import NOW_ENV

    assert isinstance(obj, Env)
    root: Path = obj.root
    config_file = root / "mkdocs.yml"
    if not config_file.is_file():
        raise StatusledgerError(f"{config_file}: no mkdocs.yml; the site needs one at the root")
    if now_text:
        os.environ[NOW_ENV] = format_timestamp(resolve_now(now_text))
    try:
        mkdocs_serve(config_file=str(config_file), dev_addr=dev_addr, livereload=True)
    except MkDocsException as err:
        raise StatusledgerError(f"serve failed: {err}") from None
