"""Build the site with MkDocs into a staged folder that replaces the output only on success.

A failed build (invalid records, a theme error) leaves the last good site where it was. A page
frame that fails its proof stops the build before MkDocs comes to that folder's pages; it is
then started again with the folder's pages left to MkDocs (frames.py). "Now"
is fixed for the whole build, and SOURCE_DATE_EPOCH is set from it, so two builds of the same
records at the same --now are byte-identical. Where the output may be, and how it is swapped
in, is `statusledger.outdir`'s.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException
from mkdocs.utils import clean_directory

from statusledger import outdir
from statusledger.errors import RecordError, StatusledgerError
from statusledger.records.types import format_timestamp
from statusledger.site.config import NOW_ENV
from statusledger.site.frames import FrameFailed
from statusledger.site.ledger import InvalidRecords
from statusledger.site.plugin import StatusledgerPlugin

# What a build reads besides the docs folder: never inside, never replaced by, the output.
READ = ("incidents", "postmortems", "site", ".git", "tooling")


@contextmanager
def _environment(now: datetime) -> Iterator[None]:
    """Fix now for the plugin and for MkDocs' own dates (sitemap) during one build."""
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
    config_file = root / "mkdocs.yml"
    if not config_file.is_file():
        raise StatusledgerError(f"{config_file}: no mkdocs.yml; the site needs one at the root")
    out = out.resolve()
    with _quiet():
        docs_dir = Path(load_config(config_file=str(config_file)).docs_dir)
    outdir.check_output(out, root, [*(root / name for name in READ), docs_dir])
    outdir.restore_interrupted(out)
    staging = outdir.staging_folder(out)
    plugin: StatusledgerPlugin | None = None
    log = _Collect()
    unframed: set[str] = set()
    try:
        with _environment(now), _quiet() as log:
            while True:
                config, plugin = _configured(config_file, root, staging, unframed, plugin)
                try:
                    mkdocs_build(config, dirty=plugin.reuse_pages)
                    break
                except FrameFailed as failed:  # again, those folders' pages left to MkDocs
                    unframed.update(failed.folders)
                    clean_directory(str(staging))
                    log.messages.clear()
        outdir.swap(staging, out)
    except (InvalidRecords, MkDocsException) as err:
        if plugin is not None and plugin.findings:
            raise RecordError(plugin.findings) from None
        details = "\n".join(log.messages)
        raise StatusledgerError(f"site build failed: {err}\n{details}".rstrip()) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return log.messages


def _configured(
    config_file: Path,
    root: Path,
    staging: Path,
    unframed: set[str],
    earlier: StatusledgerPlugin | None,
) -> tuple[MkDocsConfig, StatusledgerPlugin]:
    """MkDocs' configuration for one attempt at the build, and the plugin in it.

    Another attempt (after a frame failed) starts from the records the first one loaded.
    """
    config = load_config(config_file=str(config_file), site_dir=str(staging))
    plugin = config["plugins"].get("statusledger")
    if not isinstance(plugin, StatusledgerPlugin):
        raise StatusledgerError(f"{config_file}: add `statusledger` under `plugins:`")
    plugin.config["root"] = str(root)
    # The staging folder starts empty, so a dirty build leaves nothing stale behind.
    plugin.reuse_pages = plugin.can_skip_pages(config)
    plugin.unframed = set(unframed)
    if earlier is not None:
        plugin.take_pages(earlier)
    return config, plugin


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
