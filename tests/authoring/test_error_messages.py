"""Messages for the mistakes people make at 3 a.m.: a near-miss enum value, a tab, a typo'd id.

An enum value gets "did you mean" on the command line and in `validate`, as keys and ids do;
a tab in the indentation is named as such; an unknown component given on the command line is
a usage error (exit 2) for every command that takes one, while the same id in a record is a
finding (exit 1).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import RESOLVED_INCIDENT, make_repo, run_cli

RECORD = "incidents/2026/2026-11-20-api-errors.yaml"
NOW = ("--now", "2026-11-23T00:00:00Z")


def test_a_mistyped_status_on_the_command_line_names_the_value_meant(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {RECORD: RESOLVED_INCIDENT})
    result = run_cli(
        "update", "2026-11-20-api-errors", "--status", "identifed", "--message", "m", cwd=root
    )
    assert result.code == 2
    assert result.err.splitlines()[-1] == (
        "Error: Invalid value for '--status': 'identifed' is not one of investigating, "
        "identified, monitoring, resolved, scheduled, in_progress, verifying, completed, "
        "cancelled; did you mean 'identified'?"
    )


def test_a_mistyped_severity_on_new_incident(tmp_path: Path) -> None:
    result = run_cli(
        "new", "incident", "--title", "T", "--severity", "sve2", *NOW, cwd=make_repo(tmp_path)
    )
    assert result.code == 2
    assert result.err.splitlines()[-1] == (
        "Error: Invalid value for '--severity': 'sve2' is not one of sev1, sev2, sev3, sev4; "
        "did you mean 'sev2'?"
    )


def test_validate_suggests_the_enum_value_meant(tmp_path: Path) -> None:
    text = RESOLVED_INCIDENT.replace("status: investigating", "status: identifed")
    root = make_repo(tmp_path, {RECORD: text})
    result = run_cli("validate", *NOW, cwd=root)
    assert result.code == 1
    assert result.out == (
        f"{RECORD}\n"
        "  18:13  error  updates.0.status: Input should be 'investigating', 'identified', "
        "'monitoring' or 'resolved' (got 'identifed')  [schema/invalid-value]\n"
        "      fix: did you mean 'identified'?\n"
        "invalid: 1 records, 3 components, 1 error, 0 warnings\n"
    )


def test_an_enum_value_far_from_any_keeps_the_general_hint(tmp_path: Path) -> None:
    text = RESOLVED_INCIDENT.replace("category: outage", "category: kaboom")
    result = run_cli("validate", *NOW, cwd=make_repo(tmp_path, {RECORD: text}))
    assert "fix: fix the value; the JSON Schemas from 'statusledger schema'" in result.out


@pytest.mark.parametrize(
    "old, new, where",
    [
        pytest.param("  - component: api\n", "\t- component: api\n", "6:1", id="tab-first"),
        pytest.param("  detected:", "  \tdetected:", "12:3", id="tab-after-spaces"),
    ],
)
def test_a_tab_in_the_indentation_says_indent_with_spaces(
    tmp_path: Path, old: str, new: str, where: str
) -> None:
    root = make_repo(tmp_path, {RECORD: RESOLVED_INCIDENT.replace(old, new)})
    result = run_cli("validate", *NOW, cwd=root)
    assert result.code == 1
    assert result.out == (
        f"{RECORD}\n"
        f"  {where}  error  a tab in the indentation: YAML indents with spaces only  "
        "[yaml/syntax]\n"
        "      fix: indent with spaces (set your editor to insert spaces for the Tab key)\n"
        "invalid: 1 records, 3 components, 1 error, 0 warnings\n"
    )


OPEN = (
    RESOLVED_INCIDENT.split("  - at: 2026-11-20T15:12:00Z")[0]
    .replace("    to: 2026-11-20T15:10:00Z\n", "")
    .replace("  resolved: 2026-11-20T15:10:00Z\n", "")
)


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(
            [
                "new",
                "incident",
                "--title",
                "T",
                "--severity",
                "sev2",
                "--component",
                "apx:major_outage",
            ],
            id="new-incident",
        ),
        pytest.param(
            [
                "update",
                "2026-11-20-api-errors",
                "--status",
                "identified",
                "--message",
                "m",
                "--component",
                "apx:major_outage",
            ],
            id="update",
        ),
        pytest.param(
            [
                "new",
                "maintenance",
                "--title",
                "T",
                "--component",
                "apx",
                "--start",
                "2026-12-01T00:00:00Z",
                "--end",
                "2026-12-01T01:00:00Z",
            ],
            id="new-maintenance",
        ),
        pytest.param(
            ["uptime", "--component", "apx", "--from", "2026-11-01", "--to", "2026-11-02"],
            id="uptime",
        ),
    ],
)
def test_an_unknown_component_on_the_command_line_is_a_usage_error(
    tmp_path: Path, args: list[str]
) -> None:
    root = make_repo(tmp_path, {RECORD: OPEN})
    result = run_cli(*args, *NOW, cwd=root)
    assert result.code == 2, result
    assert "unknown component 'apx'" in result.err


def test_an_unknown_component_in_a_record_is_a_finding(tmp_path: Path) -> None:
    text = RESOLVED_INCIDENT.replace("component: api", "component: apx")
    result = run_cli("validate", *NOW, cwd=make_repo(tmp_path, {RECORD: text}))
    assert result.code == 1
    assert "[ref/unknown-component]" in result.out
