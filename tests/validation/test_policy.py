"""Policy rules: deadlines measured from the right moment, and never an overflow."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from statusledger.errors import Severity
from tests.helpers import MINIMAL_SERVICES, write_tree
from tests.validation.fixtures import INVALID, NOW, copy_case, line_of, run_rules

SEV2 = "incidents/2026/2026-11-01-checkout-failures.yaml"
RESOLVED_AT = datetime(2026, 11, 1, 9, 40, tzinfo=UTC)  # its timeline.resolved


def rules_at(root: Path, now: datetime, strict: bool = False) -> list[str]:
    return [f.rule for f in run_rules(root, now=now, strict=strict).findings]


def test_postmortem_deadline_counts_from_timeline_resolved(tmp_path: Path) -> None:
    root = copy_case(INVALID / "postmortem-missing", tmp_path / "repo")
    deadline = RESOLVED_AT + timedelta(days=10)
    assert rules_at(root, deadline) == []
    assert rules_at(root, deadline + timedelta(minutes=1)) == ["policy/postmortem-missing"]


def test_postmortem_message_and_hint(tmp_path: Path) -> None:
    root = copy_case(INVALID / "postmortem-missing", tmp_path / "repo")
    [finding] = run_rules(root).findings
    assert finding.severity is Severity.WARNING
    assert finding.message == (
        "sev2 incident resolved 22 days ago has no published postmortem (policy: within 10d)"
    )
    assert finding.hint == "write it: 'statusledger new postmortem 2026-11-01-checkout-failures'"


def test_strict_turns_policy_warnings_into_errors(tmp_path: Path) -> None:
    root = copy_case(INVALID / "postmortem-missing", tmp_path / "repo")
    assert run_rules(root).ok
    strict = run_rules(root, strict=True)
    assert not strict.ok
    assert [line_of(f) for f in strict.errors] == [f"error policy/postmortem-missing {SEV2}:3:11"]


def test_publishing_the_draft_satisfies_the_policy(tmp_path: Path) -> None:
    root = copy_case(INVALID / "postmortem-draft", tmp_path / "repo")
    path = root / "postmortems/2026-11-01-checkout-failures.md"
    [finding] = run_rules(root).findings
    assert finding.hint == (
        "finish postmortems/2026-11-01-checkout-failures.md (now 'draft') and set status: published"
    )
    path.write_text(path.read_text().replace("status: draft", "status: published"))
    assert run_rules(root, strict=True).findings == []


def test_internal_incident_needs_a_reviewed_postmortem_not_a_published_one(
    tmp_path: Path,
) -> None:
    root = copy_case(INVALID / "postmortem-draft", tmp_path / "repo")
    record = root / SEV2
    record.write_text(
        record.read_text().replace("category: outage", "category: security\nvisibility: internal")
    )
    assert rules_at(root, NOW) == ["policy/postmortem-missing"]
    [finding] = run_rules(root).findings
    assert "no finished postmortem" in finding.message
    assert finding.hint.endswith("set status: in_review (it stays internal, like its incident)")
    path = root / "postmortems/2026-11-01-checkout-failures.md"
    path.write_text(path.read_text().replace("status: draft", "status: in_review"))
    assert rules_at(root, NOW, strict=True) == []


def test_severities_without_a_postmortem_policy_are_never_asked(tmp_path: Path) -> None:
    root = copy_case(INVALID / "postmortem-missing", tmp_path / "repo")
    record = root / SEV2
    record.write_text(record.read_text().replace("severity: sev2", "severity: sev3"))
    assert rules_at(root, NOW + timedelta(days=3650)) == []


def test_update_cadence_counts_from_the_latest_update(tmp_path: Path) -> None:
    root = copy_case(INVALID / "update-overdue", tmp_path / "repo")
    last = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    assert rules_at(root, last + timedelta(minutes=30)) == []
    assert rules_at(root, last + timedelta(minutes=31)) == ["policy/update-overdue"]
    [finding] = run_rules(root).findings
    assert finding.message == "open sev1 incident last updated 1 hour ago (policy: every 30m)"


def test_resolved_incidents_need_no_more_updates(tmp_path: Path) -> None:
    root = copy_case(INVALID / "update-overdue", tmp_path / "repo")
    record = root / "incidents/2026/2026-11-23-api-unavailable.yaml"
    text = record.read_text().replace("status: identified", "status: resolved")
    text = text.replace(
        "from: 2026-11-23T08:30:00Z", "from: 2026-11-23T08:30:00Z\n    to: 2026-11-23T08:55:00Z"
    )
    text = text.replace(
        "detected: 2026-11-23T08:32:00Z",
        "detected: 2026-11-23T08:32:00Z\n  resolved: 2026-11-23T08:55:00Z",
    )
    record.write_text(text)
    assert rules_at(root, NOW) == []


def test_action_items_done_wont_do_or_due_today_are_not_late(tmp_path: Path) -> None:
    root = copy_case(INVALID / "action-item-overdue", tmp_path / "repo")
    [finding] = run_rules(root).findings
    assert finding.message == (
        "action item AI-1 ('Validate rate-limit rules in CI') was due 2026-11-20 and is still open"
    )
    path = root / "postmortems/2026-11-20-api-errors.md"
    path.write_text(path.read_text().replace("status: open", "status: wont_do"))
    assert run_rules(root, strict=True).findings == []


def test_huge_policy_durations_do_not_overflow(tmp_path: Path) -> None:
    services = MINIMAL_SERVICES.replace(
        "{acknowledge: 15m, resolve: 4h, update_every: 30m, postmortem: 5d}",
        "{acknowledge: 99999999w, resolve: 99999999w, update_every: 99999999w, "
        "postmortem: 99999999w}",
    )
    root = copy_case(INVALID / "update-overdue", tmp_path / "repo")
    (root / "services.yaml").write_text(services)
    far = datetime(9999, 12, 31, 23, 59, tzinfo=UTC)
    assert rules_at(root, far) == []


def test_action_items_are_checked_even_without_services(tmp_path: Path) -> None:
    root = copy_case(INVALID / "action-item-overdue", tmp_path / "repo")
    (root / "services.yaml").unlink()
    assert sorted(rules_at(root, NOW)) == ["file/missing", "policy/action-item-overdue"]


def test_policy_rules_skip_when_services_fail_to_load(tmp_path: Path) -> None:
    root = copy_case(INVALID / "update-overdue", tmp_path / "repo")
    write_tree(root, {"services.yaml": "page: [not, a, mapping]\n"})
    assert sorted(f.rule for f in run_rules(root).findings) == [
        "schema/invalid-value",
        "schema/missing-key",
    ]
