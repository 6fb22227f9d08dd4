"""`validate --base`: what a finished record says happened is not rewritten silently.

Once an incident is merged as resolved (or a maintenance as completed), its impacts, levels,
severity and window are what published uptime, SLA figures and credits were computed from.
Changing them needs a new `corrections` entry naming the field; an open incident may change.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.helpers import PROJECT, RESOLVED_INCIDENT, git_commit, run_cli, write_tree
from tests.history.conftest import (
    OPEN_PATH,
    RESOLVED_PATH,
    append,
    check,
    edit,
    errors,
    line_of,
)

CORRECTION = """\
corrections:
  - at: 2026-11-22T12:00:00Z
    what: {what}
    why: The monitoring export was read in the wrong time zone.
"""
IMPACT = """\
  - component: api
    level: partial_outage
    from: 2026-11-20T14:02:00Z
    to: 2026-11-20T15:10:00Z
"""
MAINTENANCE_PATH = "incidents/2026/2026-11-18-database-upgrade.yaml"
MAINTENANCE = """\
title: Database upgrade
kind: maintenance
window:
  start: 2026-11-18T02:00:00Z
  end: 2026-11-18T04:00:00Z
components: [database]
updates:
  - at: 2026-11-10T09:00:00Z
    status: scheduled
    message: Planned.
  - at: 2026-11-18T04:00:00Z
    status: completed
    message: Done.
"""
SCHEDULED = MAINTENANCE.replace(
    "  - at: 2026-11-18T04:00:00Z\n    status: completed\n    message: Done.\n", ""
).replace("2026-11-18T0", "2026-11-28T0")


def rules(found: list[dict[str, object]]) -> list[object]:
    return [f["rule"] for f in found]


# --- a resolved incident ----------------------------------------------------------------------


def test_shrinking_a_merged_impact_is_caught_on_its_to(org: Path) -> None:
    edit(org, RESOLVED_PATH, "    to: 2026-11-20T15:10:00Z", "    to: 2026-11-20T14:30:00Z")
    code, found = check(org)
    assert code == 1
    assert rules(found) == ["history/impact-changed"]
    assert found[0]["file"] == RESOLVED_PATH
    assert found[0]["line"] == line_of(org, RESOLVED_PATH, "    to: 2026-11-20T14:30")
    message, hint = str(found[0]["message"]), str(found[0]["hint"])
    assert "partial_outage 2026-11-20T14:02:00Z – 2026-11-20T15:10:00Z" in message
    assert "2026-11-20T14:30:00Z here" in message
    assert "restore impact[0]" in hint and "corrections" in hint


def test_deleting_a_merged_impact_is_caught(org: Path) -> None:
    edit(org, RESOLVED_PATH, IMPACT, "")
    edit(org, RESOLVED_PATH, "impact:\n", "")
    code, found = check(org)
    assert code == 1
    assert rules(found) == ["history/impact-removed"]
    assert "impact[0] on api" in str(found[0]["message"])


def test_lowering_a_merged_level_is_caught_on_the_level(org: Path) -> None:
    edit(org, RESOLVED_PATH, "level: partial_outage", "level: degraded_performance")
    code, found = check(org)
    assert code == 1
    assert rules(found) == ["history/impact-changed"]
    assert found[0]["line"] == line_of(org, RESOLVED_PATH, "level: degraded_performance")


def test_adding_an_impact_to_a_resolved_incident_is_caught(org: Path) -> None:
    edit(
        org,
        RESOLVED_PATH,
        IMPACT,
        IMPACT + IMPACT.replace("api", "web").replace("partial_outage", "major_outage"),
    )
    code, found = check(org)
    assert code == 1
    assert rules(found) == ["history/impact-added"]


def test_lowering_the_severity_is_caught_on_the_severity(org: Path) -> None:
    edit(org, RESOLVED_PATH, "severity: sev3", "severity: sev4")
    code, found = check(org)
    assert code == 1
    assert rules(found) == ["history/severity-changed"]
    assert found[0]["line"] == line_of(org, RESOLVED_PATH, "severity: sev4")
    assert "set severity: sev3 again" in str(found[0]["hint"])


def test_raising_the_severity_after_the_fact_is_caught_too(org: Path) -> None:
    edit(org, RESOLVED_PATH, "severity: sev3", "severity: sev1")
    assert rules(check(org)[1]) == ["history/severity-changed"]


def test_every_changed_fact_is_reported(org: Path) -> None:
    edit(org, RESOLVED_PATH, "severity: sev3", "severity: sev4")
    edit(org, RESOLVED_PATH, "level: partial_outage", "level: degraded_performance")
    edit(org, RESOLVED_PATH, "back to normal.", "back to normal, mostly.")
    code, found = check(org)
    assert code == 1
    assert sorted(map(str, rules(found))) == [
        "history/impact-changed",
        "history/severity-changed",
        "history/update-changed",
    ]


@pytest.mark.parametrize(
    "what",
    ["impact[0] to, was 15:10", "'impacts: the end was wrong'", "'Impact on api: 15:10 → 14:30'"],
)
def test_a_correction_naming_the_impact_covers_it(org: Path, what: str) -> None:
    edit(org, RESOLVED_PATH, "    to: 2026-11-20T15:10:00Z", "    to: 2026-11-20T14:30:00Z")
    append(org, RESOLVED_PATH, CORRECTION.format(what=what))
    assert check(org) == (0, [])


def test_a_correction_naming_the_level_covers_a_level_change_only(org: Path) -> None:
    edit(org, RESOLVED_PATH, "level: partial_outage", "level: degraded_performance")
    append(org, RESOLVED_PATH, CORRECTION.format(what="level, was partial_outage"))
    assert check(org) == (0, [])
    edit(org, RESOLVED_PATH, "    to: 2026-11-20T15:10:00Z", "    to: 2026-11-20T14:30:00Z")
    assert rules(check(org)[1]) == ["history/impact-changed"]


def test_a_correction_naming_the_severity_covers_it_and_nothing_else(org: Path) -> None:
    edit(org, RESOLVED_PATH, "severity: sev3", "severity: sev4")
    append(org, RESOLVED_PATH, CORRECTION.format(what="severity, was sev3"))
    assert check(org) == (0, [])
    edit(org, RESOLVED_PATH, "level: partial_outage", "level: degraded_performance")
    assert rules(check(org)[1]) == ["history/impact-changed"]


def test_a_correction_merged_earlier_does_not_cover_a_new_severity_change(org: Path) -> None:
    append(org, RESOLVED_PATH, CORRECTION.format(what="severity, was sev2"))
    git_commit(org, "An earlier correction")
    edit(org, RESOLVED_PATH, "severity: sev3", "severity: sev4")
    assert rules(check(org, "HEAD")[1]) == ["history/severity-changed"]


def test_the_same_times_written_another_way_are_not_a_change(org: Path) -> None:
    edit(org, RESOLVED_PATH, "from: 2026-11-20T14:02:00Z", "from: 2026-11-20T15:02:00+01:00")
    edit(org, RESOLVED_PATH, "level: partial_outage", "level: 'partial_outage'")
    assert check(org) == (0, [])


def test_resolving_on_the_branch_may_still_rescope_the_incident(org: Path) -> None:
    """Merged open: escalating, re-scoping and resolving in one change all pass."""
    edit(org, OPEN_PATH, "severity: sev3", "severity: sev1")
    edit(org, OPEN_PATH, "level: degraded_performance", "level: major_outage")
    edit(org, OPEN_PATH, "2026-11-22T09:00:00Z\n", "2026-11-22T08:50:00Z\n")
    edit(org, OPEN_PATH, "2026-11-22T09:00:00Z\n", "2026-11-22T08:50:00Z\n")
    edit(org, OPEN_PATH, "timeline:\n", "    to: 2026-11-22T10:00:00Z\ntimeline:\n")
    edit(org, OPEN_PATH, "updates:\n", "  resolved: 2026-11-22T10:00:00Z\nupdates:\n")
    append(org, OPEN_PATH, "  - at: 2026-11-22T10:00:00Z\n    status: resolved\n    message: Ok.\n")
    assert errors(org) == []


def test_an_open_incident_may_drop_an_impact_it_no_longer_has(org: Path) -> None:
    edit(
        org,
        OPEN_PATH,
        "impact:\n  - component: database\n    level: degraded_performance\n"
        "    from: 2026-11-22T09:00:00Z\n",
        "",
    )
    assert check(org) == (0, [])


# --- maintenance ------------------------------------------------------------------------------


@pytest.fixture
def windows(org: Path) -> Path:
    """The org with a completed maintenance and a scheduled one merged."""
    write_tree(
        org,
        {
            MAINTENANCE_PATH: MAINTENANCE,
            "incidents/2026/2026-11-28-database-upgrade.yaml": SCHEDULED,
        },
    )
    git_commit(org, "Maintenance")
    return org


def test_moving_a_completed_window_is_caught(windows: Path) -> None:
    edit(windows, MAINTENANCE_PATH, "  start: 2026-11-18T02:00", "  start: 2026-11-18T03:00")
    code, found = check(windows, "HEAD")
    assert code == 1
    assert rules(found) == ["history/window-changed"]
    assert found[0]["line"] == line_of(windows, MAINTENANCE_PATH, "  start: 2026-11-18T03:00")
    assert "2026-11-18T02:00:00Z – 2026-11-18T04:00:00Z" in str(found[0]["message"])


def test_a_completed_window_moved_with_a_correction_passes(windows: Path) -> None:
    edit(windows, MAINTENANCE_PATH, "  end: 2026-11-18T04:00", "  end: 2026-11-18T05:00")
    append(windows, MAINTENANCE_PATH, CORRECTION.format(what="window end, was 04:00"))
    assert check(windows, "HEAD") == (0, [])


def test_changing_a_completed_maintenance_s_components_is_caught(windows: Path) -> None:
    edit(windows, MAINTENANCE_PATH, "components: [database]", "components: [database, api]")
    assert rules(check(windows, "HEAD")[1]) == ["history/components-changed"]


def test_a_scheduled_window_may_move(windows: Path) -> None:
    rel = "incidents/2026/2026-11-28-database-upgrade.yaml"
    edit(windows, rel, "  start: 2026-11-28T02:00", "  start: 2026-11-28T01:00")
    edit(windows, rel, "components: [database]", "components: [database, api]")
    assert check(windows, "HEAD") == (0, [])


def test_a_resolved_incident_turned_into_a_maintenance_is_caught(org: Path) -> None:
    path = org / RESOLVED_PATH
    path.write_text(MAINTENANCE.replace("2026-11-18", "2026-11-20"), encoding="utf-8")
    found = check(org)[1]
    assert "history/kind-changed" in rules(found)


def test_the_page_shows_the_correction(windows: Path, tmp_path: Path) -> None:
    edit(windows, RESOLVED_PATH, "severity: sev3", "severity: sev4")
    append(windows, RESOLVED_PATH, CORRECTION.format(what="severity, was sev3"))
    assert check(windows, "HEAD") == (0, [])
    shutil.copy(PROJECT / "mkdocs.yml", windows / "mkdocs.yml")
    shutil.copytree(PROJECT / "site" / "docs", windows / "site" / "docs")
    out = tmp_path / "site"
    result = run_cli(
        "--root", str(windows), "build", "--out", str(out), "--now", "2026-11-23T00:00:00Z"
    )
    assert result.code == 0, result.err
    page = (out / "incidents" / "2026-11-20-api-errors" / "index.html").read_text("utf-8")
    assert "severity, was sev3" in page
    assert "The monitoring export was read in the wrong time zone." in page


def test_moving_a_milestone_of_a_resolved_incident_is_caught(org: Path) -> None:
    edit(org, RESOLVED_PATH, "  mitigated: 2026-11-20T14:50", "  mitigated: 2026-11-20T14:45")
    found = check(org)[1]
    assert rules(found) == ["history/milestone-changed"]
    assert found[0]["line"] == line_of(org, RESOLVED_PATH, "  mitigated: 2026-11-20T14:45")
    append(org, RESOLVED_PATH, CORRECTION.format(what="timeline.mitigated, was 14:50"))
    assert check(org) == (0, [])


def test_setting_a_missing_milestone_of_a_resolved_incident_passes(org: Path) -> None:
    edit(org, RESOLVED_PATH, "  detected: 2026-11-20T14:05:00Z\n", "")
    git_commit(org, "Merged without detected")
    edit(org, RESOLVED_PATH, "  acknowledged:", "  detected: 2026-11-20T14:05:00Z\n  acknowledged:")
    assert check(org, "HEAD") == (0, [])


def test_publishing_a_finished_internal_incident_needs_a_correction(org: Path) -> None:
    rel = "incidents/2026/2026-11-20-internal-errors.yaml"
    internal = RESOLVED_INCIDENT.replace(
        "category: outage\n", "category: outage\nvisibility: internal\n"
    )
    write_tree(org, {rel: internal})
    git_commit(org, "An internal incident")
    edit(org, rel, "visibility: internal", "visibility: public")
    code, found = check(org, "HEAD")
    assert code == 1
    assert rules(found) == ["history/published-late"]
    assert found[0]["line"] == line_of(org, rel, "visibility: public")
    append(org, rel, CORRECTION.format(what="visibility, now public"))
    assert check(org, "HEAD") == (0, [])
