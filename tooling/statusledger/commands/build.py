"""`statusledger build [--out DIR] [--now TS]`: the whole public site, feeds and API.

MkDocs builds into a fresh folder next to the target, which replaces the target only when the
build succeeded: a failed build (invalid records, a theme error) leaves the last good site
where it was. "Now" is fixed for the whole build, and SOURCE_DATE_EPOCH is set from it, so two
builds of the same records at the same --now are byte-identical.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import click

from statusledger.clock import resolve_now
from statusledger.errors import StatusledgerError
from statusledger.records.types import format_timestamp


@contextmanager
def _environment(now: datetime) -> Iterator[None]:
    """Fix now for the plugin and for MkDocs' own dates (sitemap) during one build."""
    from statusledger.site.config import NOW_ENV

    saved = {k: os.environ.get(k) for k in (NOW_ENV, "SOURCE_DATE_EPOCH")}
    os.environ[NOW_ENV] = format_timestamp(now)
    os.environ["SOURCE_DATE_EPOCH"] = str(int(now.timestamp()))
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def build_site(root: Path, out: Path, now: datetime) -> list[str]:
    """Build the site of `root` into `out`, replacing it only on success; returns warnings."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    from statusledger.errors import RecordError
    from statusledger.site.plugin import InvalidRecords, StatusledgerPlugin

    config_file = root / "mkdocs.yml"
    if not config_file.is_file():
        raise StatusledgerError(f"{config_file}: no mkdocs.yml; the site needs one at the root")
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.build-", dir=out.parent))
    plugin: StatusledgerPlugin | None = None
    log = _Collect()
    try:
        with _environment(now), _quiet() as log:
            config = load_config(config_file=str(config_file), site_dir=str(staging))
            plugin = config["plugins"].get("statusledger")
            if not isinstance(plugin, StatusledgerPlugin):
                raise StatusledgerError(f"{config_file}: add `statusledger` under `plugins:`")
            plugin.config["root"] = str(root)
            # The staging folder starts empty, so a dirty build leaves nothing stale behind.
            plugin.reuse_pages = plugin.can_skip_pages(config)
            mkdocs_build(config, dirty=plugin.reuse_pages)
        _swap(staging, out)
    except (InvalidRecords, MkDocsException) as err:
        if plugin is not None and plugin.findings:
            raise RecordError(plugin.findings) from None
        details = "\n".join(log.messages)
        raise StatusledgerError(f"site build failed: {err}\n{details}".rstrip()) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return log.messages


def _swap(staging: Path, out: Path) -> None:
    """Put the new site in place; the old one is removed only once the new one is there."""
    old = out.with_name(f".{out.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if out.exists():
        os.replace(out, old)
    os.replace(staging, out)
    shutil.rmtree(old, ignore_errors=True)


_DIRTY_WARNING = "A 'dirty' build is being performed"


class _Collect(logging.Handler):
    """Keeps MkDocs' warnings and errors so the command can print them once, its own way."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.startswith(_DIRTY_WARNING):
            return  # our staged dirty build is complete; MkDocs' warning is about its own
        self.messages.append(f"{record.levelname.lower()}: {message}")


@contextmanager
def _quiet() -> Iterator[_Collect]:
    """Keep MkDocs' INFO chatter (one line per page outside the nav) off the terminal."""
    logger = logging.getLogger("mkdocs")
    level, propagate = logger.level, logger.propagate
    handler = _Collect()
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.propagate = propagate


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
    from statusledger.site.plugin import format_findings

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
