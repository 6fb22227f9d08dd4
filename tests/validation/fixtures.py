"""Shared by the validation tests: the fixture folders, a fixed now, and running the rules."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

from statusledger.errors import Finding
from statusledger.loading import load_ledger
from statusledger.validation import Context, Report, validate
from tests.helpers import PROJECT

FIXTURES = PROJECT / "tests" / "fixtures"
INVALID = FIXTURES / "invalid"
VALID = FIXTURES / "valid"
NOW_TEXT = "2026-11-23T10:00:00Z"
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def cases(folder: Path) -> list[str]:
    """Names of the fixture folders under `folder`."""
    return sorted(p.name for p in folder.iterdir() if p.is_dir())


def copy_case(folder: Path, target: Path) -> Path:
    """Copy a fixture repository (without its expected.txt) to `target`."""
    shutil.copytree(folder, target, ignore=shutil.ignore_patterns("expected.txt"))
    return target


def run_rules(root: Path, *, now: datetime = NOW, strict: bool = False) -> Report:
    """Load and validate the repository at root, as `statusledger validate` does."""
    return validate(load_ledger(root), Context(now=now, strict=strict))


def line_of(finding: Finding) -> str:
    """The form of expected.txt: severity rule file:line:col."""
    return f"{finding.severity.value} {finding.rule} {finding.path}:{finding.line}:{finding.col}"


def expected_lines(folder: Path) -> list[str]:
    """The findings a fixture expects, from its expected.txt (comments skipped)."""
    text = (folder / "expected.txt").read_text(encoding="utf-8")
    return sorted(ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#"))
