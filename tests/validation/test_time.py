"""Time rules: boundaries, offsets and messages a user reads."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from tests.helpers import RESOLVED_INCIDENT, make_repo
from tests.validation.fixtures import INVALID, VALID, copy_case, line_of, run_rules

INCIDENT = "incidents/2026/2026-11-20-api-errors.yaml"
MAINTENANCE = "incidents/2026/2026-12-01-database-upgrade.yaml"


def rules_of(root: Path, **kwargs: object) -> list[str]:
    return [f.rule for f in run_rules(root, **kwargs).findings]  # type: ignore[arg-type]


def test_offsets_are_compared_as_instants_not_as_text(tmp_path: Path) -> None:
    # 15:00+02:00 is 13:00Z, earlier than the 14:10Z update above it.
    text = RESOLVED_INCIDENT.replace("at: 2026-11-20T15:12:00Z", "at: 2026-11-20T15:00:00+02:00")
    make_repo(tmp_path, {INCIDENT: text})
    [finding] = run_rules(tmp_path).findings
    assert line_of(finding) == f"error time/update-order {INCIDENT}:20:9"
    assert finding.message == (
        "update 2 (2026-11-20T13:00:00Z) is earlier than an update above it (2026-11-20T14:10:00Z)"
    )


def test_equal_times_are_in_order_but_an_impact_needs_a_length(tmp_path: Path) -> None:
    text = (
        RESOLVED_INCIDENT.replace(
            "detected: 2026-11-20T14:05:00Z", "detected: 2026-11-20T14:02:00Z"
        )
        .replace("at: 2026-11-20T15:12:00Z", "at: 2026-11-20T14:10:00Z")
        .replace("to: 2026-11-20T15:10:00Z", "to: 2026-11-20T14:02:00Z")
    )
    make_repo(tmp_path, {INCIDENT: text})
    [finding] = run_rules(tmp_path).findings
    assert finding.rule == "time/impact-order"
    assert finding.message == (
        "the impact on 'api' ends (2026-11-20T14:02:00Z) when it starts (2026-11-20T14:02:00Z)"
    )


def test_every_milestone_below_an_earlier_one_is_reported(tmp_path: Path) -> None:
    text = RESOLVED_INCIDENT.replace(
        "acknowledged: 2026-11-20T14:07:00Z", "acknowledged: 2026-11-20T15:30:00Z"
    )
    make_repo(tmp_path, {INCIDENT: text})
    findings = run_rules(tmp_path).findings
    assert [(f.rule, f.line) for f in findings] == [
        ("time/milestone-order", 14),
        ("time/milestone-order", 15),
    ]
    assert findings[0].message == (
        "timeline.mitigated (2026-11-20T14:50:00Z) is before timeline.acknowledged "
        "(2026-11-20T15:30:00Z)"
    )


def test_now_itself_is_not_the_future(tmp_path: Path) -> None:
    make_repo(tmp_path, {INCIDENT: RESOLVED_INCIDENT})
    last = datetime(2026, 11, 20, 15, 12, tzinfo=UTC)
    assert rules_of(tmp_path, now=last) == []
    assert rules_of(tmp_path, now=last.replace(minute=11)) == ["time/future"]


def test_maintenance_plans_may_lie_ahead_but_progress_may_not(tmp_path: Path) -> None:
    root = copy_case(INVALID / "future-maintenance", tmp_path / "repo")
    [finding] = run_rules(root).findings
    assert finding.message == (
        "'in_progress' update 2 (2026-12-01T02:00:00Z) is later than now (2026-11-23T10:00:00Z)"
    )
    assert "only 'scheduled' updates and the window may be in the future" in finding.hint
    assert run_rules(root, now=datetime(2026, 12, 1, 3, tzinfo=UTC)).findings == []


def test_corrections_are_not_dated_ahead(tmp_path: Path) -> None:
    text = RESOLVED_INCIDENT + (
        "corrections:\n  - at: 2026-12-01T00:00:00Z\n"
        "    what: fixed a typo\n    why: it was wrong\n"
    )
    make_repo(tmp_path, {INCIDENT: text})
    assert [line_of(f) for f in run_rules(tmp_path).findings] == [
        f"error time/future {INCIDENT}:24:9"
    ]


def test_an_open_incident_may_have_open_impacts_and_no_resolved_milestone(tmp_path: Path) -> None:
    text = (
        RESOLVED_INCIDENT.replace("    to: 2026-11-20T15:10:00Z\n", "")
        .replace("  resolved: 2026-11-20T15:10:00Z\n", "")
        .replace("status: resolved", "status: monitoring")
    )
    make_repo(tmp_path, {INCIDENT: text})
    assert rules_of(tmp_path) == []


def test_missing_resolved_suggests_the_latest_impact_end(tmp_path: Path) -> None:
    root = copy_case(INVALID / "missing-resolved", tmp_path / "repo")
    assert run_rules(root).findings[0].hint == (
        "add 'resolved: 2026-11-20T15:10:00Z' (when the impact ended) under timeline:"
    )


def test_impact_before_start_suggests_the_earliest_start(tmp_path: Path) -> None:
    root = copy_case(INVALID / "impact-before-start", tmp_path / "repo")
    assert (
        run_rules(root)
        .findings[0]
        .hint.startswith(
            "timeline.started is when the impact began: set it to 2026-11-20T14:00:00Z"
        )
    )


def test_an_impact_starting_after_started_is_normal() -> None:
    # valid/full has a second impact (web) beginning 28 minutes into the incident.
    assert run_rules(VALID / "full").findings == []
