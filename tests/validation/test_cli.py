"""`statusledger validate` as a user and CI run it: exit codes, formats, --strict, --now."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import run_cli
from tests.validation.fixtures import INVALID, NOW_TEXT, VALID, cases, copy_case

INCIDENT = "incidents/2026/2026-11-20-api-errors.yaml"


def validate(root: Path, *args: str) -> tuple[int, str, str]:
    result = run_cli("--root", str(root), "validate", "--now", NOW_TEXT, *args)
    return result.code, result.out, result.err


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file and folder under root with its bytes and modification time."""
    return {
        path.relative_to(root).as_posix(): (
            path.read_bytes() if path.is_file() else b"<dir>",
            path.stat().st_mtime_ns,
        )
        for path in sorted(root.rglob("*"))
    }


def test_valid_repository_exits_0_with_the_one_line_summary(tmp_path: Path) -> None:
    root = copy_case(VALID / "minimal", tmp_path / "repo")
    code, out, err = validate(root)
    assert (code, out, err) == (0, "valid: 1 records, 3 components, 0 errors, 0 warnings\n", "")


def test_repository_is_found_from_a_subfolder(tmp_path: Path) -> None:
    root = copy_case(VALID / "full", tmp_path / "repo")
    result = run_cli("validate", "--now", NOW_TEXT, cwd=root / "incidents" / "2026")
    assert result.code == 0
    assert result.out == "valid: 11 records, 3 components, 0 errors, 0 warnings\n"


def test_findings_exit_1_grouped_by_file_with_position_rule_and_fix(tmp_path: Path) -> None:
    root = copy_case(INVALID / "impact-order", tmp_path / "repo")
    code, out, err = validate(root)
    assert code == 1
    assert err == ""
    assert out.splitlines() == [
        INCIDENT,
        "  9:9  error  the impact on 'api' ends (2026-11-20T14:00:00Z) before it starts "
        "(2026-11-20T14:02:00Z)  [time/impact-order]",
        "      fix: make 'to' later than 'from', or remove 'to' while the impact goes on",
        "invalid: 1 records, 3 components, 1 error, 0 warnings",
    ]


@pytest.mark.parametrize(
    "args",
    [
        ["validate", "--format", "xml"],
        ["validate", "--now", "yesterday"],
        ["validate", "--now", "2026-11-23T10:00:00"],
        ["validate", "--no-such-option"],
    ],
)
def test_usage_errors_exit_2(tmp_path: Path, args: list[str]) -> None:
    root = copy_case(VALID / "minimal", tmp_path / "repo")
    result = run_cli("--root", str(root), *args)
    assert result.code == 2
    assert result.out == ""
    assert result.err.strip()
    assert "Traceback" not in result.err


def test_root_without_services_fails_like_a_missing_services_file(tmp_path: Path) -> None:
    # rules.md: a missing services.yaml is the error file/missing (exit 1), with --root too.
    result = run_cli("--root", str(tmp_path), "validate", "--now", NOW_TEXT)
    assert result.code == 1
    assert "no services.yaml" in result.err and "Traceback" not in result.err


def test_a_root_that_does_not_exist_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli("--root", str(tmp_path / "nowhere"), "validate", "--now", NOW_TEXT)
    assert result.code == 2
    assert "no such folder" in result.err


def test_base_outside_a_git_repository_exits_1_as_documented(tmp_path: Path) -> None:
    root = copy_case(VALID / "minimal", tmp_path / "repo")
    result = run_cli("--root", str(root), "validate", "--now", NOW_TEXT, "--base", "main")
    assert result.code == 1
    assert "not inside a git repository" in result.err and "Traceback" not in result.err


@pytest.mark.parametrize(
    "args",
    [
        ["validate", "--now", "9999-12-31T23:00:00Z"],
        ["validate", "--now", "0001-01-01T00:00:00Z"],
        ["uptime", "--from", "0001-01-01", "--to", "0001-01-02"],
        ["uptime", "--from", "9999-12-30", "--to", "9999-12-31"],
        ["metrics", "--from", "0001-01-01", "--to", "2026-01-01"],
        ["sla", "--period", "0001-01"],
        ["build", "--now", "9999-12-31T00:00:00Z"],
    ],
)
def test_moments_at_the_ends_of_the_calendar_are_usage_errors(
    tmp_path: Path, args: list[str]
) -> None:
    root = copy_case(VALID / "minimal", tmp_path / "repo")
    if args[0] == "build":
        args = [*args, "--out", str(tmp_path / "public")]
    result = run_cli("--root", str(root), *args)
    assert result.code == 2, result.err
    assert "out of range" in result.err and "internal error" not in result.err


def test_github_format_emits_workflow_commands(tmp_path: Path) -> None:
    root = copy_case(INVALID / "unknown-key", tmp_path / "repo")
    code, out, _ = validate(root, "--format", "github")
    assert code == 1
    first, summary = out.splitlines()
    assert first.startswith(
        f"::error file={INCIDENT},line=5,col=1,title=schema/unknown-key::unknown key 'visibilty'. "
        "Fix: did you mean 'visibility'?"
    )
    assert summary == "invalid: 1 records, 3 components, 1 error, 0 warnings"


def test_github_format_marks_policy_findings_as_warnings(tmp_path: Path) -> None:
    root = copy_case(INVALID / "update-overdue", tmp_path / "repo")
    code, out, _ = validate(root, "--format", "github")
    assert code == 0
    assert out.startswith(
        "::warning file=incidents/2026/2026-11-23-api-unavailable.yaml,line=16,col=9,"
        "title=policy/update-overdue::"
    )


def test_json_format_parses_and_lists_findings(tmp_path: Path) -> None:
    root = copy_case(INVALID / "future-incident", tmp_path / "repo")
    code, out, _ = validate(root, "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert data["valid"] is False
    assert (data["records"], data["components"], data["errors"], data["warnings"]) == (1, 3, 3, 0)
    assert [
        (f["file"], f["line"], f["column"], f["rule"], f["severity"]) for f in data["findings"]
    ] == [
        (INCIDENT, 9, 9, "time/future", "error"),
        (INCIDENT, 13, 13, "time/future", "error"),
        (INCIDENT, 18, 9, "time/future", "error"),
    ]
    assert all(f["message"] and f["hint"] for f in data["findings"])


def test_strict_turns_a_policy_warning_into_failure(tmp_path: Path) -> None:
    root = copy_case(INVALID / "postmortem-missing", tmp_path / "repo")
    code, out, _ = validate(root)
    assert code == 0
    assert "warning  sev2 incident resolved 22 days ago" in out
    assert out.endswith("valid: 1 records, 3 components, 0 errors, 1 warning\n")
    code, out, _ = validate(root, "--strict")
    assert code == 1
    assert "error  sev2 incident resolved 22 days ago" in out
    assert out.endswith("invalid: 1 records, 3 components, 1 error, 0 warnings\n")


def test_now_moves_what_is_in_the_future(tmp_path: Path) -> None:
    root = copy_case(INVALID / "future-incident", tmp_path / "repo")
    late = run_cli("--root", str(root), "validate", "--now", "2026-11-25T00:00:00Z")
    assert late.code == 0
    early = run_cli("--root", str(root), "validate", "--now", "2026-11-24T15:11:00+00:00")
    assert early.code == 1
    assert "[time/future]" in early.out
    assert early.out.count("[time/future]") == 1  # only the update at 15:12 is still ahead


def test_source_date_epoch_fixes_now_when_no_flag_is_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_case(INVALID / "future-incident", tmp_path / "repo")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795392000")  # 2026-11-23T00:00:00Z
    assert run_cli("--root", str(root), "validate").code == 1
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795651200")  # 2026-11-26T00:00:00Z
    assert run_cli("--root", str(root), "validate").code == 0


@pytest.mark.parametrize("case", [c for c in cases(INVALID) if c != "services-missing"])
def test_no_traceback_on_any_bad_input_in_any_format(case: str, tmp_path: Path) -> None:
    root = copy_case(INVALID / case, tmp_path / "repo")
    for fmt in ("text", "github", "json"):
        code, out, err = validate(root, "--format", fmt, "--strict")
        assert code == 1, (fmt, out)
        assert "Traceback" not in out + err
        assert err == ""


def test_validate_writes_nothing(tmp_path: Path) -> None:
    root = copy_case(VALID / "full", tmp_path / "valid")
    broken = copy_case(INVALID / "non-utf8", tmp_path / "invalid")
    for folder in (root, broken):
        before = snapshot(folder)
        for fmt in ("text", "github", "json"):
            validate(folder, "--format", fmt)
            run_cli("validate", "--now", NOW_TEXT, "--strict", cwd=folder)
        assert snapshot(folder) == before
