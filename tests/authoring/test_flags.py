"""Declaring what started earlier, updates written late, milestones, severity and roles.

Each test runs the real CLI on a real record folder and compares the files it writes (or the
message it refuses with) exactly, as tests/test_authoring.py does.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from statusledger.compute.metrics import durations_of
from statusledger.loading import load_ledger
from statusledger.records.models import Incident, SeverityLevel
from tests.helpers import RESOLVED_INCIDENT, make_repo, run_cli

ID = "2026-11-23-checkout-errors"
PATH = f"incidents/2026/{ID}.yaml"
SCHEMA = "# yaml-language-server: $schema=../../site/schemas/incident.schema.json\n"

OPEN = """\
title: Checkout errors
kind: incident
severity: sev3   # first guess
category: outage
impact:
  - component: api
    level: partial_outage
    from: 2026-11-23T09:40:00Z
timeline:
  started: 2026-11-23T09:40:00Z
  detected: 2026-11-23T10:00:00Z
updates:
  - at: 2026-11-23T10:00:00Z
    status: investigating
    message: Looking into it.
"""


def _ok(root: Path, *args: str) -> str:
    result = run_cli(*args, cwd=root)
    assert result.code == 0, result.err
    assert result.err == ""
    return result.out


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _refused(root: Path, code: int, *args: str) -> str:
    before = _tree(root)
    result = run_cli(*args, cwd=root)
    assert result.code == code, result
    assert result.out == ""
    assert _tree(root) == before
    return result.err


def _incident(root: Path, record_id: str = ID) -> Incident:
    record = load_ledger(root).record(record_id)
    assert record is not None and isinstance(record.model, Incident)
    return record.model


# --- new incident --started / --detected / --acknowledged -----------------------------------


def test_an_incident_declared_late_starts_when_the_impact_began(tmp_path: Path) -> None:
    root = make_repo(tmp_path)
    out = _ok(
        root,
        "new",
        "incident",
        "--title",
        "Checkout errors",
        "--severity",
        "sev2",
        "--component",
        "api:partial_outage",
        "--message",
        "Looking into it.",
        "--started",
        "2026-11-23T09:40:00Z",
        "--detected",
        "2026-11-23T09:45:00+00:00",
        "--acknowledged",
        "2026-11-23T10:52:00+01:00",
        "--now",
        "2026-11-23T10:00:00Z",
    )
    assert out == PATH + "\n"
    assert (root / PATH).read_text() == SCHEMA + (
        "title: Checkout errors\n"
        "kind: incident\n"
        "severity: sev2\n"
        "category: outage\n"
        "visibility: public\n"
        "impact:\n"
        "  - component: api\n"
        "    level: partial_outage\n"
        "    from: 2026-11-23T09:40:00Z\n"
        "timeline:\n"
        "  started: 2026-11-23T09:40:00Z\n"
        "  detected: 2026-11-23T09:45:00Z\n"
        "  acknowledged: 2026-11-23T09:52:00Z\n"
        "updates:\n"
        "  - at: 2026-11-23T10:00:00Z\n"
        "    status: investigating\n"
        "    message: Looking into it.\n"
    )
    # Time to acknowledge is what happened (7 minutes), not the time it took to type.
    assert durations_of(_incident(root))[1] == 7 * 60 * 1_000_000


def test_started_alone_leaves_detection_at_now_and_identified_acknowledges_now(
    tmp_path: Path,
) -> None:
    root = make_repo(tmp_path)
    _ok(
        root,
        "new",
        "incident",
        "--title",
        "Checkout errors",
        "--severity",
        "sev2",
        "--status",
        "identified",
        "--started",
        "2026-11-23T09:40:00Z",
        "--now",
        "2026-11-23T10:00:00Z",
    )
    timeline = _incident(root).timeline
    assert [timeline.started, timeline.detected, timeline.acknowledged] == [
        datetime(2026, 11, 23, 9, 40, tzinfo=UTC),
        datetime(2026, 11, 23, 10, 0, tzinfo=UTC),
        datetime(2026, 11, 23, 10, 0, tzinfo=UTC),
    ]


def test_milestone_options_out_of_order_are_refused(tmp_path: Path) -> None:
    root = make_repo(tmp_path)
    err = _refused(
        root,
        2,
        "new",
        "incident",
        "--title",
        "T",
        "--severity",
        "sev2",
        "--started",
        "2026-11-23T09:40:00Z",
        "--detected",
        "2026-11-23T09:30:00Z",
        "--now",
        "2026-11-23T10:00:00Z",
    )
    assert err == (
        "statusledger: --detected (2026-11-23T09:30:00Z) is before --started "
        "(2026-11-23T09:40:00Z); milestones never decrease: started <= detected <= acknowledged\n"
    )


# --- update --at, --detected, --acknowledged; resolve --at --------------------------------


def test_an_update_written_late_is_dated_when_it_happened(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {PATH: OPEN})
    _ok(
        root,
        "update",
        ID,
        "--status",
        "identified",
        "--message",
        "A bad deploy.",
        "--component",
        "api:major_outage",
        "--at",
        "2026-11-23T10:20:00Z",
        "--now",
        "2026-11-23T11:00:00Z",
    )
    _ok(root, "resolve", ID, "--message", "Fixed.", "--at", "2026-11-23T10:50:00Z", *NOW_11)
    assert (root / PATH).read_text() == (
        "title: Checkout errors\n"
        "kind: incident\n"
        "severity: sev3   # first guess\n"
        "category: outage\n"
        "impact:\n"
        "  - component: api\n"
        "    level: partial_outage\n"
        "    from: 2026-11-23T09:40:00Z\n"
        "    to: 2026-11-23T10:20:00Z\n"
        "  - component: api\n"
        "    level: major_outage\n"
        "    from: 2026-11-23T10:20:00Z\n"
        "    to: 2026-11-23T10:50:00Z\n"
        "timeline:\n"
        "  started: 2026-11-23T09:40:00Z\n"
        "  detected: 2026-11-23T10:00:00Z\n"
        "  acknowledged: 2026-11-23T10:20:00Z\n"
        "  mitigated: 2026-11-23T10:50:00Z\n"
        "  resolved: 2026-11-23T10:50:00Z\n"
        "updates:\n"
        "  - at: 2026-11-23T10:00:00Z\n"
        "    status: investigating\n"
        "    message: Looking into it.\n"
        "  - at: 2026-11-23T10:20:00Z\n"
        "    status: identified\n"
        "    message: A bad deploy.\n"
        "  - at: 2026-11-23T10:50:00Z\n"
        "    status: resolved\n"
        "    message: Fixed.\n"
    )
    assert run_cli("validate", "--now", "2026-11-23T11:00:00Z", cwd=root).code == 0


NOW_11 = ("--now", "2026-11-23T11:00:00Z")


def test_an_update_is_never_dated_before_the_previous_one(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {PATH: OPEN})
    err = _refused(
        root,
        1,
        "update",
        ID,
        "--status",
        "identified",
        "--message",
        "m",
        "--at",
        "2026-11-23T09:59:00Z",
        *NOW_11,
    )
    assert err == (
        f"statusledger: --at (2026-11-23T09:59:00Z) is before the last update of {ID} "
        "(2026-11-23T10:00:00Z); updates are appended in time order, so an update written "
        "late is dated no earlier than the one above it\n"
    )


def test_milestones_are_corrected_without_a_public_update(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {PATH: OPEN})
    _ok(
        root,
        "update",
        ID,
        "--detected",
        "2026-11-23T09:45:00Z",
        "--acknowledged",
        "2026-11-23T09:50:00Z",
        *NOW_11,
    )
    assert (root / PATH).read_text() == OPEN.replace(
        "  detected: 2026-11-23T10:00:00Z\n",
        "  detected: 2026-11-23T09:45:00Z\n  acknowledged: 2026-11-23T09:50:00Z\n",
    )
    # Identified later keeps the acknowledgement already given.
    _ok(root, "update", ID, "--status", "identified", "--message", "Found it.", *NOW_11)
    assert _incident(root).timeline.acknowledged == datetime(2026, 11, 23, 9, 50, tzinfo=UTC)


@pytest.mark.parametrize(
    "args, message",
    [
        pytest.param(
            ["--status", "identified"],
            "--message is missing: a public update needs both --status and --message",
            id="status-alone",
        ),
        pytest.param(
            [],
            "give --status and --message (a public update), or an internal change: "
            "--severity, --detected or --acknowledged",
            id="nothing",
        ),
        pytest.param(
            ["--component", "api:major_outage", "--severity", "sev1"],
            "--component changes what the page shows: give --status and --message with it",
            id="component-without-update",
        ),
        pytest.param(
            ["--acknowledged", "2026-11-23T10:10:00Z", "--at", "2026-11-23T10:10:00Z"],
            "--at dates a public update or a severity change",
            id="at-without-update",
        ),
        pytest.param(
            ["--acknowledged", "2026-11-23 10:10"],
            "--acknowledged: '2026-11-23 10:10' is not a timestamp",
            id="bad-timestamp",
        ),
    ],
)
def test_update_options_that_say_nothing_or_half_are_usage_errors(
    tmp_path: Path, args: list[str], message: str
) -> None:
    root = make_repo(tmp_path, {PATH: OPEN})
    assert message in _refused(root, 2, "update", ID, *args, *NOW_11)


# --- future times ---------------------------------------------------------------------------


def _wall(offset: timedelta) -> str:
    return (datetime.now(tz=UTC) + offset).replace(microsecond=0).isoformat()


@pytest.mark.parametrize(
    "args, message",
    [
        pytest.param(
            ["new", "incident", "--title", "T", "--severity", "sev2", "--now", "2099-01-01T00:00Z"],
            "now 2099-01-01T00:00:00Z (from --now or SOURCE_DATE_EPOCH) is later than this "
            "machine's clock (",
            id="new-now",
        ),
        pytest.param(
            [
                "new",
                "incident",
                "--title",
                "T",
                "--severity",
                "sev2",
                "--started",
                "2099-01-01T00:00:00Z",
            ],
            "--started 2099-01-01T00:00:00Z is later than this machine's clock (",
            id="new-started",
        ),
        pytest.param(
            ["update", ID, "--status", "identified", "--message", "m", "--at", "2099-01-01T00:00Z"],
            "--at 2099-01-01T00:00:00Z is later than this machine's clock (",
            id="update-at",
        ),
        pytest.param(
            ["update", ID, "--acknowledged", "2026-11-23T12:00:00Z", *NOW_11],
            "--acknowledged 2026-11-23T12:00:00Z is later than now (2026-11-23T11:00:00Z): a "
            "record says what has happened. Check the date and the offset, or give a later --now",
            id="update-acknowledged-after-now",
        ),
        pytest.param(
            ["resolve", ID, "--message", "m", "--now", "2099-01-01T00:00:00Z"],
            "is later than this machine's clock (",
            id="resolve-now",
        ),
        pytest.param(
            ["assign", ID, "--role", "commander", "--who", "a", "--now", "2099-01-01T00:00Z"],
            "is later than this machine's clock (",
            id="assign-now",
        ),
        pytest.param(
            [
                "new",
                "maintenance",
                "--title",
                "T",
                "--component",
                "api",
                "--start",
                "2099-01-01T00:00:00Z",
                "--end",
                "2099-01-01T01:00:00Z",
                "--now",
                "2099-01-01T00:00:00Z",
            ],
            "is later than this machine's clock (",
            id="maintenance-now",
        ),
    ],
)
def test_times_later_than_the_clock_are_refused(
    tmp_path: Path, args: list[str], message: str
) -> None:
    root = make_repo(tmp_path, {PATH: OPEN})
    err = _refused(root, 2, *args)
    assert message in err, err
    if "machine's clock" in message:
        assert "by more than a minute: a record says what has happened" in err


def test_a_minute_of_skew_is_forgiven_but_not_more(tmp_path: Path) -> None:
    root = make_repo(tmp_path)
    declare = ("new", "incident", "--title", "T", "--severity", "sev4")
    _refused(root, 2, *declare, "--now", _wall(timedelta(minutes=5)))
    assert run_cli(*declare, "--now", _wall(timedelta(seconds=30)), cwd=root).code == 0
    # A maintenance window may lie ahead: it is a plan.
    _ok(
        root,
        "new",
        "maintenance",
        "--title",
        "Upgrade",
        "--component",
        "database",
        "--start",
        _wall(timedelta(days=3)),
        "--end",
        _wall(timedelta(days=3, hours=1)),
    )


# --- the duplicate-declaration guard --------------------------------------------------------


DECLARE_API = (
    "new",
    "incident",
    "--title",
    "API errors",
    "--severity",
    "sev2",
    "--component",
    "web:degraded_performance",
    "--component",
    "api:major_outage",
    "--now",
    "2026-11-23T10:30:00Z",
)


def test_a_second_incident_on_a_component_asks_for_force_or_an_update(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {PATH: OPEN})
    err = _refused(root, 1, *DECLARE_API)
    assert err == (
        "statusledger: api already has an open incident; nothing was written:\n"
        f"  {ID} ({PATH}): 'Checkout errors', investigating since 2026-11-23T10:00:00Z, on api\n"
        f"Post to it with 'statusledger update {ID} --status S --message M' (add --component "
        "ID:LEVEL to change what it affects), or pass --force to declare a separate incident\n"
    )
    assert _ok(root, *DECLARE_API, "--force") == "incidents/2026/2026-11-23-api-errors.yaml\n"


def test_resolved_incidents_and_other_components_do_not_block(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {"incidents/2026/2026-11-20-api-errors.yaml": RESOLVED_INCIDENT})
    _ok(root, *DECLARE_API)
    # An informational incident (no component) never counts as a duplicate.
    _ok(root, "new", "incident", "--title", "Note", "--severity", "sev4", *NOW_11)
    # Another component is free.
    _ok(
        root,
        "new",
        "incident",
        "--title",
        "DB slow",
        "--severity",
        "sev3",
        "--component",
        "database:degraded_performance",
        *NOW_11,
    )


# --- severity changes -----------------------------------------------------------------------


def test_escalating_and_downgrading_keep_a_timed_internal_entry(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {PATH: OPEN})
    _ok(root, "update", ID, "--severity", "sev1", "--now", "2026-11-23T10:10:00Z")
    _ok(
        root,
        "update",
        ID,
        "--severity",
        "sev2",
        "--status",
        "monitoring",
        "--message",
        "Fix deployed.",
        "--at",
        "2026-11-23T10:40:00Z",
        *NOW_11,
    )
    assert (root / PATH).read_text() == (
        "title: Checkout errors\n"
        "kind: incident\n"
        "severity: sev2   # first guess\n"
        "category: outage\n"
        "impact:\n"
        "  - component: api\n"
        "    level: partial_outage\n"
        "    from: 2026-11-23T09:40:00Z\n"
        "timeline:\n"
        "  started: 2026-11-23T09:40:00Z\n"
        "  detected: 2026-11-23T10:00:00Z\n"
        "  acknowledged: 2026-11-23T10:40:00Z\n"
        "  mitigated: 2026-11-23T10:40:00Z\n"
        "severity_changes:\n"
        "  - at: 2026-11-23T10:10:00Z\n"
        "    from: sev3\n"
        "    to: sev1\n"
        "  - at: 2026-11-23T10:40:00Z\n"
        "    from: sev1\n"
        "    to: sev2\n"
        "updates:\n"
        "  - at: 2026-11-23T10:00:00Z\n"
        "    status: investigating\n"
        "    message: Looking into it.\n"
        "  - at: 2026-11-23T10:40:00Z\n"
        "    status: monitoring\n"
        "    message: Fix deployed.\n"
    )
    incident = _incident(root)
    at = lambda hh_mm: datetime.fromisoformat(f"2026-11-23T{hh_mm}:00+00:00")  # noqa: E731
    assert [incident.severity_at(at(t)) for t in ("10:05", "10:10", "10:39", "10:40")] == [
        SeverityLevel.SEV3,
        SeverityLevel.SEV1,
        SeverityLevel.SEV1,
        SeverityLevel.SEV2,
    ]
    assert run_cli("validate", "--now", "2026-11-23T11:00:00Z", cwd=root).code == 0


@pytest.mark.parametrize(
    "files, args, message",
    [
        pytest.param(
            {PATH: OPEN},
            ["update", ID, "--severity", "sev3", *NOW_11],
            f"{ID} is already sev3; nothing to change",
            id="same-severity",
        ),
        pytest.param(
            {"incidents/2026/2026-11-20-api-errors.yaml": RESOLVED_INCIDENT},
            ["update", "2026-11-20-api-errors", "--severity", "sev1", *NOW_11],
            "a resolved incident is not reopened",
            id="resolved",
        ),
        pytest.param(
            {PATH: OPEN},
            ["update", ID, "--severity", "sev1", "--status", "resolved", "--message", "m", *NOW_11],
            "then resolve",
            id="with-resolve",
        ),
        pytest.param(
            {
                "incidents/2026/2026-12-01-db.yaml": (
                    "title: DB upgrade\nkind: maintenance\n"
                    "window: {start: 2026-11-23T12:00:00Z, end: 2026-11-23T13:00:00Z}\n"
                    "components: [database]\nupdates:\n  - at: 2026-11-20T09:00:00Z\n"
                    "    status: scheduled\n    message: Planned.\n"
                )
            },
            ["update", "2026-12-01-db", "--severity", "sev1", *NOW_11],
            "2026-12-01-db is a maintenance window; --severity is for incidents",
            id="maintenance",
        ),
    ],
)
def test_severity_changes_that_make_no_sense_are_refused(
    tmp_path: Path, files: dict[str, str], args: list[str], message: str
) -> None:
    root = make_repo(tmp_path, files)
    assert message in _refused(root, 1, *args)


# --- assign ---------------------------------------------------------------------------------


def test_assign_adds_roles_and_hands_them_over(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {PATH: OPEN})
    assert _ok(root, "assign", ID, "--role", "commander", "--who", "alice", *NOW_11) == PATH + "\n"
    _ok(root, "assign", ID, "--role", "communications", "--who", "Bob Smith", *NOW_11)
    _ok(root, "assign", ID, "--role", "commander", "--who", "carol", *NOW_11)
    assert (root / PATH).read_text() == OPEN.replace(
        "updates:\n", "roles:\n  commander: carol\n  communications: Bob Smith\nupdates:\n"
    )


def test_assign_edits_a_flow_mapping_in_its_style(tmp_path: Path) -> None:
    text = OPEN.replace("updates:\n", "roles: {commander: alice}  # on call\nupdates:\n")
    root = make_repo(tmp_path, {PATH: text})
    _ok(root, "assign", ID, "--role", "scribe", "--who", "dan", *NOW_11)
    _ok(root, "assign", ID, "--role", "commander", "--who", "erin", *NOW_11)
    assert (root / PATH).read_text() == text.replace(
        "{commander: alice}", "{commander: erin, scribe: dan}"
    )


@pytest.mark.parametrize(
    "args, code, message",
    [
        pytest.param(
            ["--role", "comander", "--who", "a"],
            2,
            "Invalid value for '--role': 'comander' is not one of commander, deputy, "
            "communications, operations, scribe, liaison; did you mean 'commander'?",
            id="unknown-role",
        ),
        pytest.param(["--role", "commander", "--who", " "], 2, "--who must be", id="empty-who"),
        pytest.param(
            ["--role", "commander", "--who", "alice"],
            1,
            f"alice is already the commander of {ID}; nothing to change",
            id="same",
        ),
    ],
)
def test_assign_refusals(tmp_path: Path, args: list[str], code: int, message: str) -> None:
    text = OPEN.replace("updates:\n", "roles:\n  commander: alice\nupdates:\n")
    root = make_repo(tmp_path, {PATH: text})
    assert message in _refused(root, code, "assign", ID, *args, *NOW_11)
