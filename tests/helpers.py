"""Test helpers: record folders written from dicts of text, real git repos, the CLI in-process."""

from __future__ import annotations

import io
import os
import subprocess
import textwrap
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

from statusledger.cli import main

PROJECT = Path(__file__).resolve().parents[1]
SHARED = PROJECT.parent / "shared"

MINIMAL_SERVICES = """\
page:
  name: Acme Cloud
  url: https://status.example.com
  timezone: UTC
  language: en
components:
  - id: api
    name: Public API
    group: core
    sla: standard
    depends_on: [database]
  - id: database
    name: Database
    group: core
    sla: standard
  - id: web
    name: Web app
groups:
  - {id: core, name: Core platform}
slas:
  standard:
    target: 99.9
    window: month
    weights: {major_outage: 1.0, partial_outage: 0.3, degraded_performance: 0.0}
    exclude_maintenance: true
    credits:
      - {below: 99.9, credit: 10}
      - {below: 99.0, credit: 25}
      - {below: 95.0, credit: 100}
policies:
  sev1: {acknowledge: 15m, resolve: 4h, update_every: 30m, postmortem: 5d}
  sev2: {acknowledge: 30m, resolve: 8h, update_every: 1h, postmortem: 10d}
  sev3: {acknowledge: 4h, resolve: 3d}
  sev4: {acknowledge: 1d}
"""

RESOLVED_INCIDENT = """\
title: Elevated API error rate
kind: incident
severity: sev3
category: outage
impact:
  - component: api
    level: partial_outage
    from: 2026-11-20T14:02:00Z
    to: 2026-11-20T15:10:00Z
timeline:
  started: 2026-11-20T14:02:00Z
  detected: 2026-11-20T14:05:00Z
  acknowledged: 2026-11-20T14:07:00Z
  mitigated: 2026-11-20T14:50:00Z
  resolved: 2026-11-20T15:10:00Z
updates:
  - at: 2026-11-20T14:10:00Z
    status: investigating
    message: We are investigating elevated error rates on the API.
  - at: 2026-11-20T15:12:00Z
    status: resolved
    message: Error rates are back to normal.
"""


def write_tree(root: Path, files: dict[str, str]) -> Path:
    """Write {relative path: text} under root (text is dedented) and return root."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def make_repo(root: Path, files: dict[str, str] | None = None) -> Path:
    """A minimal valid organisation plus `files` (which may override services.yaml)."""
    tree = {"services.yaml": MINIMAL_SERVICES, **(files or {})}
    return write_tree(root, tree)


@dataclass
class Result:
    """What a CLI run returned and printed."""

    code: int
    out: str
    err: str


def run_cli(*args: str, cwd: Path | None = None) -> Result:
    """Run `statusledger ARGS` in-process, as a user would from `cwd`."""
    out, err = io.StringIO(), io.StringIO()
    old = Path.cwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        with redirect_stdout(out), redirect_stderr(err):
            code = main(list(args))
    finally:
        os.chdir(old)
    return Result(code, out.getvalue(), err.getvalue())


def git(repo: Path, *args: str) -> str:
    """Run git in repo with a pinned identity and return its output."""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Test Author",
        "GIT_AUTHOR_EMAIL": "author@example.com",
        "GIT_COMMITTER_NAME": "Test Author",
        "GIT_COMMITTER_EMAIL": "author@example.com",
    }
    return subprocess.run(
        ["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True
    ).stdout


def git_init(repo: Path) -> Path:
    """Make repo a git repository on branch main."""
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "commit.gpgsign", "false")
    return repo


def git_commit(repo: Path, message: str = "commit") -> str:
    """Commit everything and return the new commit's sha."""
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()
