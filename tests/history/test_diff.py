"""`statusledger diff --base REF`: what a pull request changes on the public page."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import git, git_commit, run_cli, write_tree
from tests.history.conftest import OPEN, OPEN_PATH, POSTMORTEM_PATH, append, branch, edit

NEW_PATH = "incidents/2026/2026-11-22-web-down.yaml"
INTERNAL_PATH = "incidents/2026/2026-11-22-batch-slow.yaml"


def diff(root: Path, fmt: str) -> str:
    result = run_cli("--root", str(root), "diff", "--base", "main", "--format", fmt)
    assert result.code == 0, result.err
    return result.out


def declare(root: Path) -> None:
    """A branch that declares a new incident, updates another, and adds an internal record."""
    branch(root)
    write_tree(
        root,
        {
            NEW_PATH: OPEN.replace("component: database", "component: web").replace(
                "Slow database queries", "Web app <down>"
            ),
            INTERNAL_PATH: OPEN.replace(
                "category: degradation", "category: degradation\nvisibility: internal"
            ),
        },
    )
    append(
        root,
        OPEN_PATH,
        "  - at: 2026-11-22T09:40:00Z\n    status: identified\n"
        "    message: A missing index slows one query.\n",
    )
    git_commit(root, "Declare")


def test_markdown_summary_lists_public_changes_and_counts_internal_ones(org: Path) -> None:
    declare(org)
    out = diff(org, "markdown")
    assert out.startswith("### What this changes on the public page\n")
    assert "**Changed incident** `2026-11-22-db-slow` — Slow database queries" in out
    assert (
        "- update added: 2026-11-22T09:40:00Z identified: A missing index slows one query." in out
    )
    assert "- status investigating → identified" in out
    assert "**New incident** `2026-11-22-web-down` — Web app &lt;down&gt;" in out
    assert "- impact opened: web degraded_performance from 2026-11-22T09:00:00Z" in out
    assert "batch-slow" not in out
    assert out.rstrip().endswith(
        "_Also 1 internal file changed (internal records, "
        "unpublished postmortems); they never reach the page._"
    )


def test_uncommitted_and_untracked_files_are_included(org: Path) -> None:
    write_tree(org, {NEW_PATH: OPEN.replace("component: database", "component: web")})
    edit(org, POSTMORTEM_PATH, "status: published", "status: draft")
    data = json.loads(diff(org, "json"))
    files = {f["path"]: f for f in data["files"]}
    assert files[NEW_PATH]["status"] == "added"
    assert files[POSTMORTEM_PATH]["changes"] == [
        {"kind": "status-changed", "text": "status published → draft"}
    ]
    assert files[POSTMORTEM_PATH]["public"] is True


def test_nothing_changed_says_so(org: Path) -> None:
    assert diff(org, "markdown") == (
        "### What this changes on the public page\n\nNothing on the public page changes.\n"
    )
    assert diff(org, "text") == "no record changed\n"


def test_text_output_puts_public_changes_first(org: Path) -> None:
    declare(org)
    lines = diff(org, "text").splitlines()
    assert lines[0] == f"changed incident 2026-11-22-db-slow ({OPEN_PATH}, public)"
    headings = [line for line in lines if not line.startswith(" ")]
    assert headings[-1] == f"new incident 2026-11-22-batch-slow ({INTERNAL_PATH}, internal)"


def test_a_new_component_shows_as_a_page_change(org: Path) -> None:
    edit(org, "services.yaml", "  - id: web\n", "  - id: search\n    name: Search\n  - id: web\n")
    data = json.loads(diff(org, "json"))
    (services,) = data["files"]
    assert services["type"] == "services"
    assert services["public"] is True
    assert services["changes"] == [
        {"kind": "component-added", "text": "component added: search 'Search'"}
    ]


# --- the default base -------------------------------------------------------------------------


def _release_then_feature(root: Path) -> None:
    """main <- release (one update posted) <- feature (one incident declared)."""
    git(root, "checkout", "-q", "-b", "release")
    append(
        root,
        OPEN_PATH,
        "  - at: 2026-11-22T09:40:00Z\n    status: identified\n    message: On release.\n",
    )
    git_commit(root, "Release update")
    git(root, "checkout", "-q", "-b", "feature", "--track", "release")
    write_tree(root, {NEW_PATH: OPEN.replace("component: database", "component: web")})
    git_commit(root, "Feature incident")


def _default_diff(root: Path) -> tuple[dict[str, object], str]:
    result = run_cli("--root", str(root), "diff", "--format", "json")
    assert result.code == 0, result.err
    return json.loads(result.out), result.err


def test_without_base_diff_compares_with_the_branch_s_upstream(org: Path) -> None:
    _release_then_feature(org)
    data, err = _default_diff(org)
    assert data["base"] == "release"
    assert [f["path"] for f in data["files"]] == [NEW_PATH]  # not release's own update
    assert "comparing with release (the upstream of the current branch" in err


def test_without_base_or_upstream_diff_compares_with_main(org: Path) -> None:
    _release_then_feature(org)
    git(org, "branch", "--unset-upstream")
    data, err = _default_diff(org)
    assert data["base"] == "main"
    assert sorted(f["path"] for f in data["files"]) == sorted([NEW_PATH, OPEN_PATH])
    assert "comparing with main (the current branch has no upstream" in err
    git(org, "checkout", "-q", "--detach")
    assert _default_diff(org)[0]["base"] == "main"


def test_an_explicit_base_wins_over_the_upstream(org: Path) -> None:
    _release_then_feature(org)
    data = json.loads(diff(org, "json"))
    assert data["base"] == "main"
    assert len(data["files"]) == 2
