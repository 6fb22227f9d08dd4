from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.site.records import OPEN_MAJOR, PUBLISHED_POSTMORTEM
from tests.site.support import build, site_repo

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
)

RESOLVED_WEB = """\
title: Web app slow to load
kind: incident
severity: sev3
category: degradation
impact:
  - component: web
    level: degraded_performance
    from: 2026-11-20T08:00:00Z
    to: 2026-11-20T09:00:00Z
timeline:
  started: 2026-11-20T08:00:00Z
  resolved: 2026-11-20T09:00:00Z
updates:
  - at: 2026-11-20T08:05:00Z
    status: investigating
    message: Pages of the web app load slowly.
  - at: 2026-11-20T09:05:00Z
    status: resolved
    message: A bad release was rolled back; pages load normally.
postmortem: hostile
"""

POSTMORTEM_BODY = """\
## Summary

A release with a slow database query went out without a canary stage.

## Action items

See the table below; [the release notes](https://example.com/notes) say more.
"""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    skip = pytest.mark.skip(reason="Debian's chromium and chromedriver are not installed")
    for item in items:
        if "browser" in item.keywords and not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A built site with an open major outage and a postmortem, on 127.0.0.1."""
    root = site_repo(
        tmp_path_factory.mktemp("browser"),
        {
            "incidents/2026/down.yaml": OPEN_MAJOR,
            "incidents/2026/hostile.yaml": RESOLVED_WEB,
            "postmortems/hostile.md": PUBLISHED_POSTMORTEM.replace("SENTINEL-", "").split(
                "## Summary"
            )[0]
            + POSTMORTEM_BODY,
        },
    )
    site = build(root, root / "public")
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def driver() -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument("--window-size=1280,800")
    browser = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        yield browser
    finally:
        browser.quit()
