"""A small organisation that exercises every renderer.

Open and resolved incidents, maintenance in every state, a published and a draft postmortem,
internal data marked with sentinels, and XSS vectors in messages.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from statusledger.errors import Severity
from statusledger.loading import load_ledger
from statusledger.validation import Context, validate
from statusledger.views import View, build_view
from tests.helpers import RESOLVED_INCIDENT, make_repo

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
SENTINELS = (
    "SENTINEL-ROLE-commander",
    "SENTINEL-ROLE-comms",
    "SENTINEL-INTERNAL-title",
    "SENTINEL-INTERNAL-message",
    "SENTINEL-AUTHOR",
    "SENTINEL-OWNER",
    "SENTINEL-DRAFT",
)
XSS = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    '<iframe src="https://evil.example/"></iframe>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    "<svg onload=alert(1)>",
)

OPEN_INCIDENT = """\
title: Database writes failing
kind: incident
severity: sev2
category: outage
impact:
  - component: database
    level: partial_outage
    from: 2026-11-23T10:00:00Z
timeline:
  started: 2026-11-23T10:00:00Z
postmortem: 2026-11-23-db-writes
roles:
  commander: SENTINEL-ROLE-commander
  communications: SENTINEL-ROLE-comms
updates:
  - at: 2026-11-23T10:05:00Z
    status: investigating
    message: Some database writes fail. We are investigating.
  - at: 2026-11-23T11:00:00Z
    status: identified
    message: A full disk on one primary. We are moving data off it.
"""

INTERNAL_INCIDENT = """\
title: SENTINEL-INTERNAL-title
kind: incident
severity: sev4
category: other
visibility: internal
timeline:
  resolved: 2026-11-22T09:00:00Z
updates:
  - at: 2026-11-22T09:00:00Z
    status: resolved
    message: SENTINEL-INTERNAL-message
"""

ACTIVE_MAINTENANCE = """\
title: Web app deploy window
kind: maintenance
window: {start: 2026-11-23T11:00:00Z, end: 2026-11-23T13:00:00Z}
components: [web]
updates:
  - at: 2026-11-20T09:00:00Z
    status: scheduled
    message: We will deploy a new web app version.
  - at: 2026-11-23T11:00:00Z
    status: in_progress
    message: The deploy has started.
"""

UPCOMING_MAINTENANCE = """\
title: API gateway upgrade
kind: maintenance
window: {start: 2026-12-01T02:00:00Z, end: 2026-12-01T04:00:00Z}
components: [api]
updates:
  - at: 2026-11-21T09:00:00Z
    status: scheduled
    message: We will upgrade the API gateway; expect short reconnects.
"""

CANCELLED_MAINTENANCE = """\
title: Database minor version upgrade
kind: maintenance
window: {start: 2026-11-25T02:00:00Z, end: 2026-11-25T03:00:00Z}
components: [database]
updates:
  - at: 2026-11-18T09:00:00Z
    status: scheduled
    message: We will upgrade the database.
  - at: 2026-11-19T09:00:00Z
    status: cancelled
    message: Cancelled; we will announce a new date.
"""


def _xss_incident() -> str:
    updates = "".join(
        f"  - at: 2026-11-15T1{n}:00:00Z\n    status: {'investigating' if n < 5 else 'resolved'}\n"
        f"    message: {vector!r}\n"
        for n, vector in enumerate(XSS)
    )
    return f"""\
title: Login errors <script>alert(1)</script>
kind: incident
severity: sev3
category: bug
impact:
  - component: web
    level: degraded_performance
    from: 2026-11-15T10:00:00Z
    to: 2026-11-15T15:00:00Z
timeline:
  resolved: 2026-11-15T15:00:00Z
updates:
{updates}"""


PUBLISHED_POSTMORTEM = """\
---
title: API errors after a configuration push
incidents: [2026-11-20-api-errors]
status: published
date: 2026-11-22
authors: [SENTINEL-AUTHOR]
summary: A malformed rule rejected some API requests.
root_causes: [config-change]
detection: alert
action_items:
  - id: AI-1
    title: Validate rules in CI
    type: prevent
    owner: SENTINEL-OWNER
    priority: high
    due: 2026-12-15
    status: open
---
## Summary
A malformed rule rejected some API requests. <script>alert(1)</script>
"""

DRAFT_POSTMORTEM = """\
---
title: SENTINEL-DRAFT title
incidents: [2026-11-23-db-writes]
status: draft
date: 2026-11-23
summary: SENTINEL-DRAFT summary
---
SENTINEL-DRAFT body
"""

RESOLVED = RESOLVED_INCIDENT.replace(
    "updates:",
    "postmortem: 2026-11-20-api-errors\nroles:\n  commander: SENTINEL-ROLE-commander\nupdates:",
)

FILES = {
    "incidents/2026/2026-11-20-api-errors.yaml": RESOLVED,
    "incidents/2026/2026-11-23-db-writes.yaml": OPEN_INCIDENT,
    "incidents/2026/2026-11-22-internal.yaml": INTERNAL_INCIDENT,
    "incidents/2026/2026-11-15-login-xss.yaml": _xss_incident(),
    "incidents/2026/2026-11-23-web-deploy.yaml": ACTIVE_MAINTENANCE,
    "incidents/2026/2026-12-01-gateway.yaml": UPCOMING_MAINTENANCE,
    "incidents/2026/2026-11-25-db-upgrade.yaml": CANCELLED_MAINTENANCE,
    "postmortems/2026-11-20-api-errors.md": PUBLISHED_POSTMORTEM,
    "postmortems/2026-11-23-db-writes.md": DRAFT_POSTMORTEM,
}


def scenario(root: Path, extra: dict[str, str] | None = None) -> Path:
    """Write the scenario organisation under root."""
    return make_repo(root, {**FILES, **(extra or {})})


def view_of(root: Path, now: datetime = NOW) -> View:
    """Load the records under root and project them as a build would."""
    ledger = load_ledger(root)
    report = validate(ledger, Context(now=now))
    assert not [f for f in report.findings if f.severity is Severity.ERROR], report.findings
    return build_view(ledger, now)
