"""Record texts for the site tests: an open major outage, hostile text, internal sentinels."""

from __future__ import annotations

OPEN_MAJOR = """\
title: Public API down
kind: incident
severity: sev1
category: outage
impact:
  - component: api
    level: major_outage
    from: 2026-11-23T10:00:00Z
timeline:
  started: 2026-11-23T10:00:00Z
roles:
  commander: SENTINEL-ROLE
updates:
  - at: 2026-11-23T10:05:00Z
    status: investigating
    message: FIRST-UPDATE we are looking into it.
  - at: 2026-11-23T10:40:00Z
    status: identified
    message: SECOND-UPDATE a bad deploy; rolling back.
  - at: 2026-11-23T11:10:00Z
    status: identified
    message: THIRD-UPDATE rollback at 50%.
"""

HOSTILE = """\
title: Hostile <script>alert('title')</script> incident
kind: incident
severity: sev3
category: bug
impact:
  - component: web
    level: degraded_performance
    from: 2026-11-20T08:00:00Z
    to: 2026-11-20T09:00:00Z
timeline:
  started: 2026-11-20T08:00:00Z
  resolved: 2026-11-20T09:00:00Z
roles:
  commander: SENTINEL-ROLE
updates:
  - at: 2026-11-20T08:05:00Z
    status: investigating
    message: |
      <script>alert('xss')</script> <img src=x onerror=alert(1)>
      [click](javascript:alert(2)) <a href="javascript:alert(3)">x</a>
      <iframe src="https://evil.example/"></iframe> <svg onload=alert(4)>
  - at: 2026-11-20T09:05:00Z
    status: resolved
    message: Fixed. <b onmouseover="alert(5)">bold</b>
postmortem: hostile
corrections:
  - at: 2026-11-21T10:00:00Z
    what: CORRECTION-WHAT the end time was one hour off
    why: typo in the first version
"""

INTERNAL = """\
title: SENTINEL-INTERNAL-TITLE
kind: incident
severity: sev2
category: security
visibility: internal
impact:
  - component: database
    level: partial_outage
    from: 2026-11-21T08:00:00Z
    to: 2026-11-21T09:00:00Z
timeline:
  started: 2026-11-21T08:00:00Z
  resolved: 2026-11-21T09:00:00Z
roles:
  commander: SENTINEL-ROLE
updates:
  - at: 2026-11-21T08:05:00Z
    status: investigating
    message: SENTINEL-INTERNAL-MESSAGE
  - at: 2026-11-21T09:05:00Z
    status: resolved
    message: SENTINEL-INTERNAL-MESSAGE resolved
postmortem: internal-draft
"""

PUBLISHED_POSTMORTEM = """\
---
title: Hostile postmortem
incidents: [hostile]
status: published
date: 2026-11-22
authors: [SENTINEL-AUTHOR]
summary: A bad release broke the web app for an hour.
root_causes: [deploy]
detection: alert
action_items:
  - id: AI-1
    title: Add a canary stage
    type: prevent
    owner: SENTINEL-OWNER
    priority: high
    due: 2026-12-15
    status: open
    ticket: https://tracker.example.com/OPS-1
---
## Summary

<script>alert('pm')</script><img src="x" onerror="alert(6)">
[bad](javascript:alert(7)) <object data="evil.swf"></object>

## Timeline

Nothing else.
"""

DRAFT_POSTMORTEM = """\
---
title: SENTINEL-DRAFT-TITLE
incidents: [internal]
status: draft
date: 2026-11-22
authors: [SENTINEL-AUTHOR]
summary: SENTINEL-DRAFT-SUMMARY
root_causes: [security]
---
SENTINEL-DRAFT-BODY
"""


def q(text: str) -> str:
    """`text` as a YAML double-quoted scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def incident(title: str, day: int, message: str = "Fixed.", extra: str = "") -> str:
    """A resolved incident on 2026-11-<day> (title given as a YAML double-quoted scalar)."""
    return f"""\
title: {title}
kind: incident
severity: sev3
category: degradation
impact:
  - component: api
    level: degraded_performance
    from: 2026-11-{day:02d}T10:00:00Z
    to: 2026-11-{day:02d}T11:00:00Z
timeline:
  started: 2026-11-{day:02d}T10:00:00Z
  resolved: 2026-11-{day:02d}T11:00:00Z
updates:
  - at: 2026-11-{day:02d}T10:05:00Z
    status: investigating
    message: We are looking into it.
  - at: 2026-11-{day:02d}T11:00:00Z
    status: resolved
    message: {message}
{extra}"""
