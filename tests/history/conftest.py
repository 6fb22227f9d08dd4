"""A small organisation committed on `main` in a real git repository, for the history tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import RESOLVED_INCIDENT, git, git_commit, git_init, make_repo, run_cli

NOW = "2026-11-23T00:00:00Z"
RESOLVED_PATH = "incidents/2026/2026-11-20-api-errors.yaml"
OPEN_PATH = "incidents/2026/2026-11-22-db-slow.yaml"
POSTMORTEM_PATH = "postmortems/2026-11-20-api-errors.md"

RESOLVED = RESOLVED_INCIDENT + "postmortem: 2026-11-20-api-errors\n"

OPEN = """\
title: Slow database queries
kind: incident
severity: sev3
category: degradation
impact:
  - component: database
    level: degraded_performance
    from: 2026-11-22T09:00:00Z
timeline:
  started: 2026-11-22T09:00:00Z
updates:
  - at: 2026-11-22T09:10:00Z
    status: investigating
    message: Some database queries are slow.
"""

POSTMORTEM = """\
---
title: API errors after a configuration push
incidents: [2026-11-20-api-errors]
status: published
date: 2026-11-21
authors: [alice]
summary: A malformed rate-limit rule rejected API requests for 68 minutes.
root_causes: [config-change]
detection: alert
---
## Summary

A rate-limit rule was malformed.
"""


@pytest.fixture
def org(tmp_path: Path) -> Path:
    """Three records merged on main: a resolved incident, an open one and its postmortem."""
    root = tmp_path / "org"
    root.mkdir()
    make_repo(root, {RESOLVED_PATH: RESOLVED, OPEN_PATH: OPEN, POSTMORTEM_PATH: POSTMORTEM})
    git_init(root)
    git_commit(root, "Merged records")
    return root


def edit(root: Path, rel: str, old: str, new: str) -> None:
    """Replace one exact piece of text in a file, failing loudly if it is not there."""
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def append(root: Path, rel: str, text: str) -> None:
    """Add text at the end of a file."""
    path = root / rel
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def branch(root: Path, name: str = "feature") -> None:
    """Start a branch from the current commit."""
    git(root, "checkout", "-q", "-b", name)


def line_of(root: Path, rel: str, needle: str) -> int:
    """The 1-based line of the first line containing `needle`."""
    for number, line in enumerate((root / rel).read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {rel}")


def check(root: Path, base: str = "main") -> tuple[int, list[dict[str, object]]]:
    """Run `validate --base` as a user would and return the exit code and history findings."""
    result = run_cli(
        "--root", str(root), "validate", "--base", base, "--format", "json", "--now", NOW
    )
    assert result.code in (0, 1), result.err
    findings = json.loads(result.out)["findings"]
    return result.code, [f for f in findings if str(f["rule"]).startswith("history/")]


def errors(root: Path, base: str = "main") -> list[dict[str, object]]:
    """Every error-level finding of `validate --base`, history or not."""
    result = run_cli(
        "--root", str(root), "validate", "--base", base, "--format", "json", "--now", NOW
    )
    return [f for f in json.loads(result.out)["findings"] if f["severity"] == "error"]
