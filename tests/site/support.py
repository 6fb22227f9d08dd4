"""Building sites of tmp organisations with the project's mkdocs.yml and site sources."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.helpers import PROJECT, make_repo, run_cli

NOW = "2026-11-23T12:00:00Z"


def site_repo(root: Path, files: dict[str, str] | None = None) -> Path:
    """A tmp organisation with the project's mkdocs.yml and site sources beside its records."""
    make_repo(root, files)
    shutil.copy(PROJECT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(PROJECT / "site" / "docs", root / "site" / "docs")
    return root


def build(root: Path, out: Path, now: str = NOW) -> Path:
    result = run_cli("--root", str(root), "build", "--out", str(out), "--now", now)
    assert result.code == 0, result.err + result.out
    return out
