"""`validate --base REF`: merged history may grow, never silently shrink or change."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.helpers import git, git_commit, run_cli, write_tree
from tests.history.conftest import (
    NOW,
    OPEN,
    OPEN_PATH,
    POSTMORTEM,
    POSTMORTEM_PATH,
    RESOLVED,
    RESOLVED_PATH,
    append,
    branch,
    check,
    edit,
    errors,
    line_of,
)

RESOLVED_UPDATE = "    message: Error rates are back to normal.\n"
APPENDED_UPDATE = """\
  - at: 2026-11-22T09:40:00Z
    status: identified
    message: A missing index slows down one query; we are adding it.
"""


def rules(findings: list[dict[str, object]]) -> list[object]:
    return [f["rule"] for f in findings]


# --- what is caught ---------------------------------------------------------------------------


def test_an_untouched_tree_passes(org: Path) -> None:
    assert check(org) == (0, [])


def test_a_deleted_update_is_caught_at_the_updates_key(org: Path) -> None:
    edit(
        org,
        RESOLVED_PATH,
        "  - at: 2026-11-20T14:10:00Z\n    status: investigating\n"
        "    message: We are investigating elevated error rates on the API.\n",
        "",
    )
    code, found = check(org)
    assert code == 1
    assert rules(found) == ["history/update-deleted"]
    assert found[0]["file"] == RESOLVED_PATH
    assert found[0]["line"] == line_of(org, RESOLVED_PATH, "updates:")
    assert "updates[0] (2026-11-20T14:10:00Z investigating)" in str(found[0]["message"])
    assert "We are investigating" in str(found[0]["message"])


def test_a_changed_update_time_is_caught_on_its_line(org: Path) -> None:
    edit(org, RESOLVED_PATH, "at: 2026-11-20T15:12:00Z", "at: 2026-11-20T15:11:00Z")
    code, found = check(org)
    assert code == 1
    assert rules(found) == ["history/update-changed"]
    assert found[0]["line"] == line_of(org, RESOLVED_PATH, "at: 2026-11-20T15:11:00Z")
    assert "at was 2026-11-20T15:12:00Z" in str(found[0]["message"])


def test_a_changed_update_status_is_caught_on_its_line(org: Path) -> None:
    edit(org, RESOLVED_PATH, "    status: investigating", "    status: identified")
    code, found = check(org)
    assert code == 1
    assert rules(found) == ["history/update-changed"]
    assert found[0]["line"] == line_of(org, RESOLVED_PATH, "status: identified")
    assert "updates[0]" in str(found[0]["message"])
    assert "status was 'investigating'" in str(found[0]["message"])


def test_a_changed_update_message_is_caught_on_its_line(org: Path) -> None:
    edit(org, RESOLVED_PATH, "back to normal.", "back to normal since 15:10.")
    code, found = check(org)
    assert code == 1
    assert rules(found) == ["history/update-changed"]
    assert found[0]["line"] == line_of(org, RESOLVED_PATH, "since 15:10")
    assert found[0]["column"] == 14
    assert "updates[1] message" in str(found[0]["hint"])


def test_rewording_into_a_folded_block_with_the_same_text_is_not_a_change(org: Path) -> None:
    edit(
        org,
        RESOLVED_PATH,
        RESOLVED_UPDATE,
        "    message: >-\n      Error rates are\n      back to normal.\n",
    )
    assert check(org) == (0, [])


def test_a_deleted_incident_points_at_line_1_and_says_how_to_restore_it(org: Path) -> None:
    (org / OPEN_PATH).unlink()
    code, found = check(org)
    assert code == 1
    assert rules(found) == ["history/deleted"]
    assert (found[0]["file"], found[0]["line"], found[0]["column"]) == (OPEN_PATH, 1, 1)
    assert f"git checkout main -- {OPEN_PATH}" in str(found[0]["hint"])


def test_a_deleted_postmortem_is_caught(org: Path) -> None:
    git(org, "rm", "-q", POSTMORTEM_PATH)
    edit(org, RESOLVED_PATH, "postmortem: 2026-11-20-api-errors\n", "")
    code, found = check(org)
    assert code == 1
    assert rules(found) == ["history/deleted"]
    assert found[0]["file"] == POSTMORTEM_PATH
    assert "postmortem 2026-11-20-api-errors was merged" in str(found[0]["message"])


def test_a_renamed_incident_is_an_id_change(org: Path) -> None:
    new = "incidents/2026/2026-11-22-database-slow.yaml"
    git(org, "mv", OPEN_PATH, new)
    code, found = check(org)
    assert code == 1
    assert rules(found) == ["history/id-changed"]
    assert (found[0]["file"], found[0]["line"]) == (new, 1)
    assert f"git mv {new} {OPEN_PATH}" in str(found[0]["hint"])


def test_a_rename_left_unstaged_is_still_caught(org: Path) -> None:
    new = org / "incidents/2026/2026-11-22-database-slow.yaml"
    (org / OPEN_PATH).rename(new)
    code, found = check(org)
    assert code == 1
    assert rules(found) == ["history/deleted"]


def test_a_record_moved_to_another_folder_is_caught(org: Path) -> None:
    moved = "incidents/2025/2026-11-22-db-slow.yaml"
    (org / "incidents/2025").mkdir()
    (org / OPEN_PATH).rename(org / moved)
    found = errors(org)
    assert "history/renamed" in rules(found)
    renamed = next(f for f in found if f["rule"] == "history/renamed")
    assert renamed["file"] == moved
    assert f"git mv {moved} {OPEN_PATH}" in str(renamed["hint"])


def test_a_renamed_postmortem_is_an_id_change(org: Path) -> None:
    new = "postmortems/2026-11-20-api-config-push.md"
    git(org, "mv", POSTMORTEM_PATH, new)
    edit(
        org,
        RESOLVED_PATH,
        "postmortem: 2026-11-20-api-errors",
        "postmortem: 2026-11-20-api-config-push",
    )
    code, found = check(org)
    assert code == 1
    assert rules(found) == ["history/id-changed"]
    assert found[0]["file"] == new


def test_an_unpublished_postmortem_is_caught_on_its_status(org: Path) -> None:
    edit(org, POSTMORTEM_PATH, "status: published", "status: draft")
    code, found = check(org)
    assert code == 1
    assert rules(found) == ["history/unpublished"]
    assert found[0]["line"] == line_of(org, POSTMORTEM_PATH, "status: draft")


def test_a_public_incident_made_internal_is_caught(org: Path) -> None:
    edit(org, OPEN_PATH, "category: degradation\n", "category: degradation\nvisibility: internal\n")
    code, found = check(org)
    assert code == 1
    assert rules(found) == ["history/hidden"]
    assert found[0]["line"] == line_of(org, OPEN_PATH, "visibility: internal")


def test_an_update_inserted_before_merged_ones_is_caught(org: Path) -> None:
    edit(
        org,
        RESOLVED_PATH,
        "  - at: 2026-11-20T15:12:00Z",
        "  - at: 2026-11-20T14:40:00Z\n    status: identified\n"
        "    message: A bad rule was found.\n  - at: 2026-11-20T15:12:00Z",
    )
    code, found = check(org)
    assert code == 1
    assert rules(found) == ["history/update-inserted"]
    assert found[0]["line"] == line_of(org, RESOLVED_PATH, "at: 2026-11-20T14:40:00Z")


def test_every_loss_in_one_change_is_reported(org: Path) -> None:
    edit(org, RESOLVED_PATH, "back to normal.", "fine.")
    edit(org, POSTMORTEM_PATH, "status: published", "status: in_review")
    (org / OPEN_PATH).unlink()
    code, found = check(org)
    assert code == 1
    assert sorted(map(str, rules(found))) == [
        "history/deleted",
        "history/unpublished",
        "history/update-changed",
    ]


def test_a_committed_rewrite_on_a_branch_is_caught(org: Path) -> None:
    branch(org)
    edit(org, RESOLVED_PATH, "back to normal.", "fine.")
    git_commit(org, "Reword")
    code, found = check(org)
    assert code == 1
    assert rules(found) == ["history/update-changed"]


# --- what passes ------------------------------------------------------------------------------


def test_appending_an_update_passes(org: Path) -> None:
    append(org, OPEN_PATH, APPENDED_UPDATE)
    assert check(org) == (0, [])


def test_closing_an_impact_and_resolving_passes(org: Path) -> None:
    edit(
        org,
        OPEN_PATH,
        "    from: 2026-11-22T09:00:00Z\n",
        "    from: 2026-11-22T09:00:00Z\n    to: 2026-11-22T10:00:00Z\n",
    )
    edit(
        org,
        OPEN_PATH,
        "  started: 2026-11-22T09:00:00Z\n",
        "  started: 2026-11-22T09:00:00Z\n  resolved: 2026-11-22T10:00:00Z\n",
    )
    append(
        org,
        OPEN_PATH,
        "  - at: 2026-11-22T10:05:00Z\n    status: resolved\n"
        "    message: Queries are fast again.\n",
    )
    assert check(org) == (0, [])


def test_adding_milestones_passes(org: Path) -> None:
    edit(
        org,
        OPEN_PATH,
        "  started: 2026-11-22T09:00:00Z\n",
        "  started: 2026-11-22T09:00:00Z\n  detected: 2026-11-22T09:04:00Z\n"
        "  acknowledged: 2026-11-22T09:06:00Z\n",
    )
    assert check(org) == (0, [])


def test_new_records_pass(org: Path) -> None:
    write_tree(
        org,
        {
            "incidents/2026/2026-11-22-web-down.yaml": OPEN.replace(
                "component: database", "component: web"
            )
        },
    )
    git(org, "add", "-A")
    assert check(org) == (0, [])


def test_editing_a_postmortem_body_and_action_items_passes(org: Path) -> None:
    append(org, POSTMORTEM_PATH, "\n## Where we got lucky\n\nIt was a quiet day.\n")
    edit(
        org,
        POSTMORTEM_PATH,
        "detection: alert\n",
        "detection: alert\naction_items:\n"
        "  - {id: AI-1, title: Lint rules in CI, type: prevent, due: 2026-12-15}\n",
    )
    assert check(org) == (0, [])


def test_a_draft_postmortem_may_change_status(org: Path) -> None:
    edit(org, POSTMORTEM_PATH, "status: published", "status: draft")
    git_commit(org, "Back to draft, with a correction")  # simulate a base where it is a draft
    edit(org, POSTMORTEM_PATH, "status: draft", "status: in_review")
    assert check(org, "HEAD") == (0, [])


# --- the escape hatch: corrections ------------------------------------------------------------

CORRECTION = """\
corrections:
  - at: 2026-11-22T12:00:00Z
    what: {what}
    why: The first message said the wrong region.
"""


def test_a_rewrite_named_by_a_new_correction_passes(org: Path) -> None:
    edit(org, RESOLVED_PATH, "back to normal.", "back to normal in eu-west.")
    append(org, RESOLVED_PATH, CORRECTION.format(what="updates[1] message"))
    assert check(org) == (0, [])


def test_a_correction_may_name_the_update_by_its_timestamp(org: Path) -> None:
    edit(org, RESOLVED_PATH, "back to normal.", "back to normal in eu-west.")
    append(org, RESOLVED_PATH, CORRECTION.format(what="'the 2026-11-20T15:12:00+00:00 update'"))
    assert check(org) == (0, [])


def test_a_correction_naming_another_update_does_not_cover_the_change(org: Path) -> None:
    edit(org, RESOLVED_PATH, "back to normal.", "back to normal in eu-west.")
    append(org, RESOLVED_PATH, CORRECTION.format(what="updates[0] message"))
    code, found = check(org)
    assert code == 1
    assert rules(found) == ["history/update-changed"]


def test_a_correction_merged_earlier_does_not_cover_a_new_change(org: Path) -> None:
    append(org, RESOLVED_PATH, CORRECTION.format(what="updates[1] message"))
    git_commit(org, "An earlier correction")
    edit(org, RESOLVED_PATH, "back to normal.", "back to normal in eu-west.")
    code, found = check(org, "HEAD")
    assert code == 1
    assert rules(found) == ["history/update-changed"]


def test_a_deleted_update_named_by_a_correction_passes(org: Path) -> None:
    edit(
        org,
        RESOLVED_PATH,
        "  - at: 2026-11-20T14:10:00Z\n    status: investigating\n"
        "    message: We are investigating elevated error rates on the API.\n",
        "",
    )
    append(org, RESOLVED_PATH, CORRECTION.format(what="updates[0] deleted, it was a duplicate"))
    assert check(org) == (0, [])


def test_unpublishing_with_a_correction_naming_status_passes(org: Path) -> None:
    edit(org, POSTMORTEM_PATH, "status: published", "status: in_review")
    edit(
        org,
        POSTMORTEM_PATH,
        "---\n## Summary",
        CORRECTION.format(what="status, back to review") + "---\n## Summary",
    )
    assert check(org) == (0, [])


def test_a_rename_named_by_a_correction_passes(org: Path) -> None:
    new = "incidents/2026/2026-11-22-database-slow.yaml"
    git(org, "mv", OPEN_PATH, new)
    append(org, new, CORRECTION.format(what="id, was 2026-11-22-db-slow"))
    assert check(org) == (0, [])


def test_removing_a_merged_correction_is_caught(org: Path) -> None:
    append(org, RESOLVED_PATH, CORRECTION.format(what="title"))
    git_commit(org, "A correction")
    edit(
        org, RESOLVED_PATH, "why: The first message said the wrong region.", "why: Another reason."
    )
    code, found = check(org, "HEAD")
    assert code == 1
    assert rules(found) == ["history/correction-changed"]


# --- branches, merges and where the records live ----------------------------------------------


def test_a_base_that_moved_on_is_compared_at_the_merge_base(org: Path) -> None:
    """main gains an update and a record after the branch point; the branch lacks both."""
    branch(org)
    append(org, OPEN_PATH, APPENDED_UPDATE)
    git_commit(org, "Feature: an update")
    git(org, "checkout", "-q", "main")
    append(org, OPEN_PATH, APPENDED_UPDATE.replace("09:40", "09:30"))
    write_tree(
        org,
        {
            "incidents/2026/2026-11-22-web-down.yaml": OPEN.replace(
                "component: database", "component: web"
            )
        },
    )
    git_commit(org, "Main: an update and a new record")
    git(org, "checkout", "-q", "feature")
    assert check(org) == (0, [])


def test_a_branch_that_diverged_still_may_not_lose_what_was_merged_before_it(org: Path) -> None:
    branch(org)
    edit(org, RESOLVED_PATH, "back to normal.", "fine.")
    git_commit(org, "Feature: reword")
    git(org, "checkout", "-q", "main")
    append(org, OPEN_PATH, APPENDED_UPDATE)
    git_commit(org, "Main moves on")
    git(org, "checkout", "-q", "feature")
    code, found = check(org)
    assert code == 1
    assert rules(found) == ["history/update-changed"]


def test_after_merging_main_into_the_branch_main_s_updates_are_protected(org: Path) -> None:
    branch(org)
    write_tree(
        org,
        {
            "incidents/2026/2026-11-22-web-down.yaml": OPEN.replace(
                "component: database", "component: web"
            )
        },
    )
    git_commit(org, "Feature: new record")
    git(org, "checkout", "-q", "main")
    append(org, OPEN_PATH, APPENDED_UPDATE)
    git_commit(org, "Main: an update")
    git(org, "checkout", "-q", "feature")
    git(org, "merge", "-q", "--no-edit", "main")
    assert check(org) == (0, [])
    edit(org, OPEN_PATH, APPENDED_UPDATE, "")
    code, found = check(org)
    assert code == 1
    assert rules(found) == ["history/update-deleted"]


def test_records_in_a_subfolder_of_the_repository(tmp_path: Path) -> None:
    from tests.helpers import git_init, make_repo

    top = tmp_path / "repo"
    root = top / "status"
    root.mkdir(parents=True)
    make_repo(root, {RESOLVED_PATH: RESOLVED, POSTMORTEM_PATH: POSTMORTEM})
    write_tree(top, {"README.md": "The status page.\n"})
    git_init(top)
    git_commit(top, "Records in status/")
    edit(root, RESOLVED_PATH, "back to normal.", "fine.")
    code, found = check(root)
    assert code == 1
    assert [(f["rule"], f["file"]) for f in found] == [("history/update-changed", RESOLVED_PATH)]


def test_a_record_that_was_invalid_when_merged_is_not_guarded(org: Path) -> None:
    edit(org, OPEN_PATH, "severity: sev3", "severity: sev9")
    git_commit(org, "Broken")
    edit(org, OPEN_PATH, "severity: sev9", "severity: sev3")
    edit(org, OPEN_PATH, "Some database", "Many database")
    assert check(org, "HEAD") == (0, [])


def test_github_format_annotates_the_changed_line(org: Path) -> None:
    edit(org, RESOLVED_PATH, "back to normal.", "fine.")
    result = run_cli(
        "--root", str(org), "validate", "--base", "main", "--format", "github", "--now", NOW
    )
    assert result.code == 1
    line = line_of(org, RESOLVED_PATH, "message: Error rates are fine.")
    assert (
        f"::error file={RESOLVED_PATH},line={line},col=14,title=history/update-changed::updates[1]"
    ) in result.out


# --- errors a user can act on -----------------------------------------------------------------


def test_outside_a_git_repository_the_error_says_so(tmp_path: Path) -> None:
    from tests.helpers import make_repo

    root = make_repo(tmp_path / "plain", {RESOLVED_PATH: RESOLVED, POSTMORTEM_PATH: POSTMORTEM})
    result = run_cli("--root", str(root), "validate", "--base", "main", "--now", NOW)
    assert result.code == 1
    assert "is not inside a git repository" in result.err
    assert "Traceback" not in result.err


def test_an_unknown_base_says_how_to_fetch_it(org: Path) -> None:
    result = run_cli("--root", str(org), "validate", "--base", "origin/nope", "--now", NOW)
    assert result.code == 1
    assert "--base origin/nope: no such branch, tag or commit" in result.err
    assert "fetch-depth: 0" in result.err


def test_a_base_that_looks_like_an_option_is_a_usage_error(org: Path) -> None:
    result = run_cli("--root", str(org), "validate", "--base=--output=x", "--now", NOW)
    assert result.code == 2
    assert "cannot start with '-'" in result.err


def test_a_base_with_no_common_history_is_refused(org: Path) -> None:
    git(org, "checkout", "-q", "--orphan", "other")
    git_commit(org, "Unrelated")
    result = run_cli("--root", str(org), "validate", "--base", "main", "--now", NOW)
    assert result.code == 1
    assert "shares no history with HEAD" in result.err


def test_without_git_on_path_the_error_says_to_install_it(org: Path) -> None:
    entry = "import sys; from statusledger.cli import main; sys.exit(main(sys.argv[1:]))"
    done = subprocess.run(
        [sys.executable, "-c", entry, "--root", str(org), "validate", "--base", "main"],
        env={**os.environ, "PATH": str(org / "no-such-folder")},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert "git is not installed or not on PATH" in done.stderr
    assert "Traceback" not in done.stderr


def test_importing_the_history_leaves_the_environment_as_it_was(tmp_path: Path) -> None:
    # A host program that imports statusledger, and the processes it starts, must not inherit
    # GitPython's settings; with git missing too, the import must still succeed.
    script = (
        "import os; before = dict(os.environ); import statusledger.history; "
        "print(sorted(set(os.environ.items()) ^ set(before.items())))"
    )
    env = {k: v for k, v in os.environ.items() if k != "GIT_PYTHON_REFRESH"}
    for path in (env.get("PATH", ""), str(tmp_path / "no-such-folder")):
        done = subprocess.run(
            [sys.executable, "-c", script],
            env={**env, "PATH": path},
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == "[]"
