"""The site served with live reload (`statusledger serve`), through MkDocs' own server.

MkDocs' own live-reload server; the plugin adds services.yaml, incidents/, postmortems/ and site/
to what it watches, so saving a record rebuilds the site. Every build goes into a fresh folder
that replaces the served one only when it succeeded: an invalid record shows as a failed rebuild
in the log (file:line:col first) and the last good pages stay up. (`mkdocs serve` itself would
hold every request until the records are fixed.) Ctrl-C or SIGTERM stops the server cleanly.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import urlsplit

from statusledger.errors import StatusledgerError
from statusledger.outdir import swap

log = logging.getLogger("mkdocs.statusledger.serve")


class _Site:
    """Builds the site into fresh folders and keeps the last good one at `served`."""

    def __init__(self, root: Path, work: Path, dev_addr: str) -> None:
        self.root = root
        self.work = work
        self.served = work / "site"
        self.dev_addr = dev_addr
        self.serve_url = ""

    def load(self, site_dir: Path) -> Any:
        """A fresh MkDocs config (and plugin instances) building into `site_dir`."""
        from mkdocs.config import load_config

        from statusledger.site.plugin import StatusledgerPlugin

        config = load_config(
            config_file=str(self.root / "mkdocs.yml"),
            site_dir=str(site_dir),
            dev_addr=self.dev_addr,
        )
        plugin = config["plugins"].get("statusledger")
        if not isinstance(plugin, StatusledgerPlugin):
            raise StatusledgerError(f"{self.root / 'mkdocs.yml'}: add `statusledger` to plugins")
        plugin.config["root"] = str(self.root)
        if self.serve_url:
            config.site_url = self.serve_url
        return config

    def build(self, config: Any = None) -> None:
        """Build into a new folder; on success it becomes the served site, else nothing changes.

        Raises the build's error; `rebuild` is the variant for the live-reload loop.
        """
        from mkdocs.commands.build import build as mkdocs_build

        staging = Path(tempfile.mkdtemp(prefix="build-", dir=self.work))
        try:
            if config is None:
                config = self.load(staging)
            else:
                config.site_dir = str(staging)
            mkdocs_build(config, serve_url=self.serve_url)
            # One exchange where the kernel offers it: a request never finds no site.
            swap(staging, self.served)
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    def rebuild(self, config: Any = None) -> None:
        """The live-reload builder: a failed rebuild is logged and the last good site stays.

        MkDocs' server holds every request while a build is wanted but has not finished, so
        a builder that raised would leave the page hanging until the records are fixed.
        """
        from mkdocs.exceptions import MkDocsException

        log.info("Building the site...")
        try:
            self.build(config)
        except MkDocsException:
            # MkDocs has already logged the cause (for invalid records, one finding a line).
            log.error("Rebuild failed; still serving the last good site. Fix it and save again.")
        except StatusledgerError as err:
            log.error("Rebuild failed: %s; still serving the last good site.", err)
        except Exception as err:
            log.exception("Rebuild failed (%s); still serving the last good site.", err)


def serve_site(root: Path, dev_addr: str) -> None:
    """Serve the site of `root` on `dev_addr` until interrupted, rebuilding on every change."""
    from mkdocs.exceptions import MkDocsException
    from mkdocs.livereload import LiveReloadServer

    work = Path(tempfile.mkdtemp(prefix="statusledger-serve-"))
    site = _Site(root, work, dev_addr)
    config: Any = None
    try:
        try:
            config = site.load(site.served)
            host, port = config.dev_addr
            mount_path = urlsplit(config.site_url or "/").path
            site.serve_url = _url(host, port, mount_path)
            config.site_url = site.serve_url
            site.build(config)
        except MkDocsException as err:
            raise StatusledgerError(f"serve failed: {err} (see the messages above)") from None
        server = LiveReloadServer(
            builder=site.rebuild, host=host, port=port, root=str(site.served), mount_path=mount_path
        )
        server.error_handler = lambda code: _error_page(site.served, code)
        server.watch(config.docs_dir)
        if config.config_file_path:
            server.watch(config.config_file_path)
        server = config.plugins.on_serve(server, config=config, builder=site.rebuild)
        for item in config.watch:
            server.watch(item)
        try:
            server.serve()
        except KeyboardInterrupt:
            log.info("Shutting down...")
        except OSError as err:
            raise StatusledgerError(f"cannot serve on {dev_addr}: {err}") from None
        finally:
            server.shutdown()
    finally:
        if config is not None:
            config.plugins.on_shutdown()
        shutil.rmtree(work, ignore_errors=True)


def _url(host: str, port: int, mount_path: str) -> str:
    """The address the site is served on, as MkDocs puts it in the pages' `site_url`."""
    path = "/" + mount_path.strip("/")
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}{path if path == '/' else path + '/'}"


def _error_page(site_dir: Path, code: int) -> bytes | None:
    page = site_dir / f"{code}.html"
    return page.read_bytes() if code in (404, 500) and page.is_file() else None


@contextmanager
def _logging() -> Iterator[None]:
    """MkDocs' messages on stderr as `mkdocs serve` shows them (INFO and up)."""
    logger = logging.getLogger("mkdocs")
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    level, propagate = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.propagate = propagate


@contextmanager
def _environment(name: str, value: str | None) -> Iterator[None]:
    saved = os.environ.get(name)
    if value is not None:
        os.environ[name] = value
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = saved


@contextmanager
def _sigterm_stops() -> Iterator[None]:
    """SIGTERM stops the server as Ctrl-C does, so the temporary site folders are removed."""

    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def serve_repository(root: Path, dev_addr: str, now: str | None) -> None:
    """Serve `root`'s site, "now" fixed when given, until Ctrl-C or SIGTERM."""
    from statusledger.site.config import NOW_ENV

    config_file = root / "mkdocs.yml"
    if not config_file.is_file():
        raise StatusledgerError(f"{config_file}: no mkdocs.yml; the site needs one at the root")
    with _environment(NOW_ENV, now), _logging(), _sigterm_stops():
        serve_site(root, dev_addr)
