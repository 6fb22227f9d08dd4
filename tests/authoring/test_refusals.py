"""Commands that must refuse: a clear message, exit 1 (2 for bad options), nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import RESOLVED_INCIDENT, make_repo, run_cli

OPEN_INCIDENT = """\
title: Checkout errors
kind: incident
severity: sev2
category: outage
impact:
  - component: api
    level: partial_outage
    from: 2026-11-20T13:00:00Z
timeline:
  started: 2026-11-20T13:00:00Z
  detected: 2026-11-20T13:20:00Z
updates:
  - at: 2026-11-20T13:10:00Z
    status: investigating
    message: Looking into it.
"""

MAINTENANCE = """\
title: Database upgrade
kind: maintenance
window: {start: 2026-12-01T02:00:00Z, end: 2026-12-01T04:00:00Z}
components: [database]
updates:
  - at: 2026-11-20T09:00:00Z
    status: scheduled
    message: Planned.
"""

FILES = {
    "incidents/2026/2026-11-20-checkout-errors.yaml": OPEN_INCIDENT,
    "incidents/2026/2026-11-20-api-errors.yaml": RESOLVED_INCIDENT,
    "incidents/2026/2026-12-01-database-upgrade.yaml": MAINTENANCE,
    "incidents/2026/2026-11-21-broken.yaml": "title: [unclosed\n",
    "postmortems/2026-11-20-api-errors.md": """\
---
title: API errors
incidents: [2026-11-20-api-errors]
status: draft
date: 2026-11-21
summary: Write a one-paragraph summary.
---
## Summary
""",
}
NOW = ("--now", "2026-11-20T14:00:00Z")
OPEN = "2026-11-20-checkout-errors"


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


CASES = [
    pytest.param(
        ["update", "2026-11-20-checkout-error", "--status", "identified", "--message", "m", *NOW],
        "no incident or maintenance with id '2026-11-20-checkout-error'; "
        "did you mean 2026-11-20-checkout-errors or 2026-11-20-api-errors?\n",
        id="unknown-id",
    ),
    pytest.param(
        ["resolve", "checkout", "--message", "m", *NOW],
        "did you mean 2026-11-20-checkout-errors?",
        id="partial-id",
    ),
    pytest.param(
        ["resolve", "2026-11-21-broken", "--message", "m", *NOW],
        "incidents/2026/2026-11-21-broken.yaml does not load",
        id="broken-record",
    ),
    pytest.param(
        ["resolve", "2026-11-20-api-errors", "--message", "m", "--now", "2026-11-21T00:00:00Z"],
        "2026-11-20-api-errors is already resolved",
        id="already-resolved",
    ),
    pytest.param(
        [
            "update",
            "2026-11-20-api-errors",
            "--status",
            "investigating",
            "--message",
            "m",
            "--now",
            "2026-11-21T00:00:00Z",
        ],
        "a resolved incident is not reopened",
        id="reopen",
    ),
    pytest.param(
        ["update", OPEN, "--status", "in_progress", "--message", "m", *NOW],
        "is an incident; its updates use investigating, identified, monitoring, "
        "resolved, not 'in_progress'",
        id="maintenance-status-on-incident",
    ),
    pytest.param(
        ["update", "2026-12-01-database-upgrade", "--status", "identified", "--message", "m", *NOW],
        "is a maintenance window; its updates use scheduled",
        id="incident-status",
    ),
    pytest.param(
        [
            "update",
            "2026-12-01-database-upgrade",
            "--status",
            "in_progress",
            "--message",
            "m",
            "--component",
            "database:major_outage",
            *NOW,
        ],
        "which has no impacts",
        id="component-on-maintenance",
    ),
    pytest.param(
        [
            "update",
            OPEN,
            "--status",
            "identified",
            "--message",
            "m",
            "--now",
            "2026-11-20T13:05:00Z",
        ],
        "is before the last update",
        id="now-before-last-update",
    ),
    pytest.param(
        [
            "update",
            OPEN,
            "--status",
            "identified",
            "--message",
            "m",
            "--component",
            "web:operational",
            *NOW,
        ],
        "has no open impact on 'web' to close",
        id="nothing-to-close",
    ),
    # Passes every check of the command, but the result breaks a validation rule:
    # acknowledged (13:15) would come before detected (13:20).
    pytest.param(
        [
            "update",
            OPEN,
            "--status",
            "identified",
            "--message",
            "m",
            "--now",
            "2026-11-20T13:15:00Z",
        ],
        "refusing to write incidents/2026/2026-11-20-checkout-errors.yaml: the result "
        "would not be valid; nothing was written\n  incidents/2026/"
        "2026-11-20-checkout-errors.yaml:",
        id="result-invalid",
    ),
    pytest.param(
        [
            "update",
            OPEN,
            "--status",
            "identified",
            "--message",
            "m",
            "--now",
            "2026-11-20T13:15:00Z",
        ],
        "timeline.acknowledged",
        id="result-invalid-names-the-problem",
    ),
    pytest.param(
        ["new", "postmortem", "2026-12-01-database-upgrade", *NOW],
        "is a maintenance window; postmortems cover incidents",
        id="pm-maintenance",
    ),
    pytest.param(
        ["new", "postmortem", "2026-11-20-api-errors", *NOW],
        "postmortems/2026-11-20-api-errors.md already exists",
        id="pm-exists",
    ),
    pytest.param(
        ["new", "postmortem", "2026-11-20-nothing", *NOW],
        "no incident or maintenance with id",
        id="pm-unknown-incident",
    ),
]


@pytest.mark.parametrize("args, message", CASES)
def test_refusals_leave_every_file_untouched(tmp_path: Path, args: list[str], message: str) -> None:
    root = make_repo(tmp_path, FILES)
    before = _tree(root)
    result = run_cli(*args, cwd=root)
    assert result.code == 1, result
    assert result.out == ""
    assert message in result.err
    assert _tree(root) == before


USAGE = [
    pytest.param(
        ["update", OPEN, "--status", "identified", "--message", "m", "--component", "api", *NOW],
        "--component wants ID:LEVEL",
        id="no-level",
    ),
    pytest.param(
        [
            "update",
            OPEN,
            "--status",
            "identified",
            "--message",
            "m",
            "--component",
            "api:down",
            *NOW,
        ],
        "unknown level 'down'",
        id="bad-level",
    ),
    pytest.param(
        [
            "new",
            "incident",
            "--title",
            "T",
            "--severity",
            "sev1",
            "--component",
            "api:operational",
            *NOW,
        ],
        "unknown level 'operational'",
        id="operational-on-new",
    ),
    pytest.param(
        [
            "new",
            "incident",
            "--title",
            "T",
            "--severity",
            "sev1",
            "--component",
            "api:major_outage",
            "--component",
            "api:partial_outage",
            *NOW,
        ],
        "names api more than once",
        id="repeated-component",
    ),
    pytest.param(
        ["new", "incident", "--title", "Two\nlines", "--severity", "sev1", *NOW],
        "--title must be one non-empty line",
        id="multi-line-title",
    ),
    pytest.param(
        ["update", OPEN, "--status", "identified", "--message", "  ", *NOW],
        "--message must not be empty",
        id="empty-message",
    ),
    pytest.param(
        [
            "new",
            "maintenance",
            "--title",
            "T",
            "--component",
            "api",
            "--start",
            "2026-12-01T02:00:00",
            "--end",
            "2026-12-01T03:00:00Z",
            *NOW,
        ],
        "--start: timestamp '2026-12-01T02:00:00' has no offset",
        id="naive-start",
    ),
    pytest.param(
        [
            "new",
            "maintenance",
            "--title",
            "T",
            "--component",
            "api",
            "--start",
            "2026-12-01T02:00:00Z",
            "--end",
            "2026-12-01T02:00:00Z",
            *NOW,
        ],
        "--end must be after --start",
        id="empty-window",
    ),
    pytest.param(
        ["update", OPEN, "--status", "fixed", "--message", "m", *NOW],
        "Invalid value for '--status'",
        id="unknown-status",
    ),
    pytest.param(["resolve", OPEN, "--message", "m", "--now", "yesterday"], "--now:", id="bad-now"),
    # An unknown component given on the command line is a usage error, as for `uptime`.
    pytest.param(
        [
            "update",
            OPEN,
            "--status",
            "identified",
            "--message",
            "m",
            "--component",
            "apii:major_outage",
            *NOW,
        ],
        "unknown component 'apii'; did you mean 'api'?",
        id="unknown-component",
    ),
    pytest.param(
        [
            "new",
            "incident",
            "--title",
            "T",
            "--severity",
            "sev1",
            "--component",
            "nope:major_outage",
            *NOW,
        ],
        "unknown component 'nope'",
        id="new-unknown-component",
    ),
    pytest.param(
        [
            "new",
            "maintenance",
            "--title",
            "T",
            "--component",
            "nope",
            "--start",
            "2026-12-01T02:00:00Z",
            "--end",
            "2026-12-01T03:00:00Z",
            *NOW,
        ],
        "unknown component 'nope'",
        id="maintenance-unknown-component",
    ),
]


@pytest.mark.parametrize("args, message", USAGE)
def test_bad_options_are_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    root = make_repo(tmp_path, FILES)
    before = _tree(root)
    result = run_cli(*args, cwd=root)
    assert result.code == 2, result
    assert message in result.err
    assert _tree(root) == before


def test_a_postmortem_linked_elsewhere_is_not_replaced(tmp_path: Path) -> None:
    linked = OPEN_INCIDENT + "postmortem: 2026-11-20-api-errors\n"
    root = make_repo(tmp_path, {**FILES, "incidents/2026/2026-11-20-checkout-errors.yaml": linked})
    before = _tree(root)
    result = run_cli("new", "postmortem", OPEN, *NOW, cwd=root)
    assert result.code == 1
    assert "already links postmortem '2026-11-20-api-errors'" in result.err
    assert _tree(root) == before


def test_nothing_is_written_while_services_yaml_is_broken(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {"services.yaml": "page: [\n"})
    before = _tree(root)
    result = run_cli("new", "incident", "--title", "T", "--severity", "sev1", *NOW, cwd=root)
    assert result.code == 1
    assert "services.yaml does not load" in result.err
    assert _tree(root) == before


ALIASED = """\
title: Checkout errors
kind: incident
severity: sev2
category: outage
impact:
  - &api {component: api, level: partial_outage, from: 2026-11-20T13:00:00Z}
  - *api
updates:
  - at: 2026-11-20T13:10:00Z
    status: investigating
    message: Looking into it.
"""


@pytest.mark.parametrize(
    "text, message",
    [
        # One node listed twice: closing "both" impacts would edit one text twice. The proof that
        # the edited text means exactly the intended change catches it.
        pytest.param(
            ALIASED,
            "cannot edit incidents/2026/2026-11-20-checkout-errors.yaml without "
            "disturbing its layout",
            id="aliased-impact",
        ),
        pytest.param(
            "{title: Checkout errors, kind: incident, severity: sev2, category: outage, "
            "updates: [{at: 2026-11-20T13:10:00Z, status: investigating, message: m}]}\n",
            "is not a block-style YAML mapping",
            id="flow-document",
        ),
    ],
)
def test_layouts_that_cannot_be_edited_safely_are_left_alone(
    tmp_path: Path, text: str, message: str
) -> None:
    root = make_repo(tmp_path, {"incidents/2026/2026-11-20-checkout-errors.yaml": text})
    before = _tree(root)
    result = run_cli("resolve", OPEN, "--message", "Fixed.", *NOW, cwd=root)
    assert result.code == 1
    assert message in result.err
    assert _tree(root) == before
