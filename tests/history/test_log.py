"""`statusledger log ID`: the history of one record, commit by commit, from Git."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import git, git_commit, run_cli
from tests.history.conftest import (
    OPEN_PATH,
    POSTMORTEM_PATH,
    RESOLVED_PATH,
    append,
    branch,
    edit,
)

OPEN_ID = "2026-11-22-db-slow"


def log_json(root: Path, *args: str) -> dict[str, object]:
    result = run_cli("--root", str(root), "log", *args, "--format", "json")
    assert result.code == 0, result.err
    data: dict[str, object] = json.loads(result.out)
    return data


def texts(entry: object) -> list[str]:
    assert isinstance(entry, dict)
    return [c["text"] for c in entry["changes"]]


def kinds(entry: object) -> list[str]:
    assert isinstance(entry, dict)
    return [c["kind"] for c in entry["changes"]]


@pytest.fixture
def story(org: Path) -> Path:
    """The open incident gets an update, then is resolved, then renamed, in three commits."""
    edit(
        org,
        OPEN_PATH,
        "  started: 2026-11-22T09:00:00Z\n",
        "  started: 2026-11-22T09:00:00Z\n  detected: 2026-11-22T09:04:00Z\n",
    )
    append(
        org,
        OPEN_PATH,
        "  - at: 2026-11-22T09:40:00Z\n    status: identified\n"
        "    message: A missing index slows one query.\n",
    )
    git_commit(org, "Identified the slow query")
    edit(
        org,
        OPEN_PATH,
        "    from: 2026-11-22T09:00:00Z\n",
        "    from: 2026-11-22T09:00:00Z\n    to: 2026-11-22T10:00:00Z\n",
    )
    edit(
        org,
        OPEN_PATH,
        "  detected: 2026-11-22T09:04:00Z\n",
        "  detected: 2026-11-22T09:04:00Z\n  resolved: 2026-11-22T10:00:00Z\n",
    )
    append(
        org,
        OPEN_PATH,
        "  - at: 2026-11-22T10:05:00Z\n    status: resolved\n"
        "    message: Queries are fast again.\n",
    )
    git_commit(org, "Resolve the database incident")
    git(org, "mv", OPEN_PATH, "incidents/2026/2026-11-22-database-slow.yaml")
    git_commit(org, "Rename")
    return org


def test_the_log_tells_each_commit_newest_first_following_renames(story: Path) -> None:
    data = log_json(story, "2026-11-22-database-slow")
    assert data["type"] == "incident"
    assert data["path"] == "incidents/2026/2026-11-22-database-slow.yaml"
    entries = data["entries"]
    assert isinstance(entries, list)
    assert [e["subject"] for e in entries] == [
        "Rename",
        "Resolve the database incident",
        "Identified the slow query",
        "Merged records",
    ]
    assert texts(entries[0]) == ["renamed from incidents/2026/2026-11-22-db-slow.yaml"]
    assert entries[0]["path"] == "incidents/2026/2026-11-22-database-slow.yaml"
    assert entries[1]["path"] == OPEN_PATH
    assert texts(entries[1]) == [
        "impact closed: database degraded_performance at 2026-11-22T10:00:00Z",
        "milestone set: resolved 2026-11-22T10:00:00Z",
        "update added: 2026-11-22T10:05:00Z resolved: Queries are fast again.",
        "status identified → resolved",
    ]
    assert kinds(entries[2]) == ["milestone-set", "update-added", "status-changed"]
    assert kinds(entries[3])[:2] == ["created", "impact-opened"]
    first = entries[3]
    assert first["author"] == "Test Author"
    assert first["email"] == "author@example.com"
    assert len(str(first["commit"])) == 40
    assert str(first["date"])[:4].isdigit()


def test_text_output_reads_like_git_log(story: Path) -> None:
    result = run_cli("--root", str(story), "log", "2026-11-22-database-slow")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == (
        "incident 2026-11-22-database-slow (incidents/2026/2026-11-22-database-slow.yaml)"
    )
    assert lines[2].startswith("commit ")
    assert "Test Author <author@example.com>" in lines[2]
    assert lines[3] == "    Rename"
    assert "    - status identified → resolved" in lines


def test_reverse_puts_the_oldest_commit_first(story: Path) -> None:
    entries = log_json(story, "2026-11-22-database-slow", "--reverse")["entries"]
    assert isinstance(entries, list)
    assert entries[0]["subject"] == "Merged records"


def test_uncommitted_changes_come_first_without_a_commit(org: Path) -> None:
    append(
        org,
        OPEN_PATH,
        "  - at: 2026-11-22T09:40:00Z\n    status: monitoring\n    message: A fix is out.\n",
    )
    entries = log_json(org, OPEN_ID)["entries"]
    assert isinstance(entries, list)
    assert entries[0]["commit"] is None
    assert texts(entries[0]) == [
        "update added: 2026-11-22T09:40:00Z monitoring: A fix is out.",
        "status investigating → monitoring",
    ]


def test_a_postmortem_s_log_shows_publication_and_action_items(org: Path) -> None:
    edit(org, POSTMORTEM_PATH, "status: published", "status: draft")
    git_commit(org, "Back to draft")
    edit(org, POSTMORTEM_PATH, "status: draft", "status: published")
    edit(
        org,
        POSTMORTEM_PATH,
        "detection: alert\n",
        "detection: alert\naction_items:\n  - {id: AI-1, title: Lint rules in CI, type: prevent}\n",
    )
    git_commit(org, "Publish")
    data = log_json(org, "2026-11-20-api-errors", "--postmortem")
    assert data["type"] == "postmortem"
    entries = data["entries"]
    assert isinstance(entries, list)
    assert texts(entries[0]) == [
        "status draft → published",
        "action item AI-1 added: Lint rules in CI (open)",
    ]
    assert kinds(entries[0]) == ["published", "action-item-added"]


def test_an_incident_id_is_preferred_over_the_postmortem_with_the_same_id(org: Path) -> None:
    assert log_json(org, "2026-11-20-api-errors")["path"] == RESOLVED_PATH


def test_a_deleted_record_is_found_in_history(org: Path) -> None:
    git(org, "rm", "-q", OPEN_PATH)
    git_commit(org, "Delete it")
    data = log_json(org, OPEN_ID)
    entries = data["entries"]
    assert isinstance(entries, list)
    assert data["path"] == OPEN_PATH
    assert [e["subject"] for e in entries] == ["Delete it", "Merged records"]
    assert texts(entries[0]) == ["deleted"]


def test_a_branch_merged_with_a_merge_commit_shows_each_change_once(org: Path) -> None:
    branch(org)
    append(
        org,
        OPEN_PATH,
        "  - at: 2026-11-22T09:40:00Z\n    status: identified\n    message: Found it.\n",
    )
    git_commit(org, "On the branch")
    git(org, "checkout", "-q", "main")
    (org / "README.md").write_text("Status records.\n", encoding="utf-8")
    git_commit(org, "Unrelated on main")
    git(org, "merge", "-q", "--no-ff", "--no-edit", "feature")
    entries = log_json(org, OPEN_ID)["entries"]
    assert isinstance(entries, list)
    assert [e["subject"] for e in entries] == ["On the branch", "Merged records"]


def test_a_version_that_did_not_load_is_named_not_fatal(org: Path) -> None:
    edit(org, OPEN_PATH, "severity: sev3", "severity: sev9")
    git_commit(org, "Broken")
    edit(org, OPEN_PATH, "severity: sev9", "severity: sev2")
    git_commit(org, "Fixed")
    entries = log_json(org, OPEN_ID)["entries"]
    assert isinstance(entries, list)
    assert kinds(entries[0]) == ["valid-again"]
    assert kinds(entries[1]) == ["invalid"]


def test_an_unknown_id_is_a_usage_error(org: Path) -> None:
    result = run_cli("--root", str(org), "log", "2026-01-01-nothing")
    assert result.code == 2
    assert "no record with id '2026-01-01-nothing'" in result.err


def test_a_record_never_committed_has_only_uncommitted_changes(org: Path) -> None:
    (org / "incidents/2026/2026-11-22-web-down.yaml").write_text(
        (org / OPEN_PATH).read_text(encoding="utf-8"), encoding="utf-8"
    )
    entries = log_json(org, "2026-11-22-web-down")["entries"]
    assert isinstance(entries, list)
    assert len(entries) == 1
    assert entries[0]["commit"] is None
    assert kinds(entries[0])[0] == "created"
