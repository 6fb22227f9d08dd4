from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.site.records import PUBLISHED_POSTMORTEM
from tests.site.support import NOW, build, site_repo

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

# The outage the page is read in: a sev1 with the API down and the database degraded.
OPEN_SEV1 = """\
title: Public API down
kind: incident
severity: sev1
category: outage
impact:
  - component: api
    level: major_outage
    from: 2026-11-23T10:00:00Z
  - component: database
    level: degraded_performance
    from: 2026-11-23T10:20:00Z
timeline:
  started: 2026-11-23T10:00:00Z
updates:
  - at: 2026-11-23T10:05:00Z
    status: investigating
    message: FIRST-UPDATE we are looking into it.
  - at: 2026-11-23T10:40:00Z
    status: identified
    message: SECOND-UPDATE a bad deploy; rolling back.
  - at: 2026-11-23T11:50:00Z
    status: identified
    message: THIRD-UPDATE rollback at 50%.
"""

FUTURE_MAINTENANCE = """\
title: Database storage migration
kind: maintenance
window:
  start: 2026-11-28T01:00:00Z
  end: 2026-11-28T03:00:00Z
components: [database]
updates:
  - at: 2026-11-21T09:00:00Z
    status: scheduled
    message: We will move the database to new storage; writes pause for up to 5 minutes.
"""

LONG_TICKET = (
    "https://tracker.example.com/browse/OPERATIONS-12345?focusedCommentId=987654321"
    "&page=com.atlassian.jira.plugin.system.issuetabpanels%3Acomment-tabpanel"
    "#comment-987654321-and-a-very-long-fragment-without-any-break"
)
LONG_ACTIONS = f"""\
  - id: AI-2
    title: Page the on-call engineer when a canary stage fails
    type: detect
    owner: OWNER
    priority: medium
    due: 2026-11-21
    status: open
    ticket: {LONG_TICKET}
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
    """A site built during an outage, on 127.0.0.1.

    An open sev1 (the API down, the database degraded), a past incident with a postmortem
    whose action items have long ticket URLs (one overdue), and a maintenance window ahead.
    """
    front = PUBLISHED_POSTMORTEM.replace("SENTINEL-", "").split("## Summary")[0]
    front = front.removesuffix("---\n") + LONG_ACTIONS + "---\n"
    root = site_repo(
        tmp_path_factory.mktemp("browser"),
        {
            "incidents/2026/down.yaml": OPEN_SEV1,
            "incidents/2026/hostile.yaml": RESOLVED_WEB,
            "incidents/2026/storage.yaml": FUTURE_MAINTENANCE,
            "postmortems/hostile.md": front.replace(
                "ticket: https://tracker.example.com/OPS-1",
                f"ticket: {LONG_TICKET}",
            )
            + POSTMORTEM_BODY,
        },
    )
    site = build(root, root / "public", NOW)
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
