"""Nothing a record holds reaches a terminal or a CI log raw, and the editor schema agrees.

Keys and values are quoted in messages; a double-quoted YAML string can hold any character, so an
escape sequence or a line break must be shown escaped, or a record could recolour a terminal or
(in GitHub Actions, which reads `::command::` lines from a job's output) write a workflow command.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from statusledger.records.types import parse_timestamp
from tests.helpers import PROJECT, RESOLVED_INCIDENT, make_repo, run_cli
from tests.validation.fixtures import NOW_TEXT

EVIL = RESOLVED_INCIDENT.replace(
    "severity: sev3",
    'severity: "\\e[31msev9\\a"\n"x\\n::error file=README.md::pwned\\e[2J": 1',
)


def run(root: Path, fmt: str) -> str:
    result = run_cli("--root", str(root), "validate", "--now", NOW_TEXT, "--format", fmt)
    assert result.code == 1, result.err
    return result.out


@pytest.mark.parametrize("fmt", ["text", "github", "json"])
def test_control_characters_in_keys_and_values_are_never_echoed_raw(
    fmt: str, tmp_path: Path
) -> None:
    root = make_repo(tmp_path, {"incidents/2026/2026-11-20-api-errors.yaml": EVIL})

    out = run(root, fmt)

    assert "\x1b" not in out and "\x07" not in out
    assert not any(line.startswith("::error file=README.md") for line in out.splitlines())
    if fmt == "github":
        # One workflow command per finding, and the summary: no line made by the record.
        lines = out.splitlines()
        assert all(line.startswith("::error file=incidents/") for line in lines[:-1])
        assert len(lines) == 3
    if fmt == "text":
        assert "\\x1b[31msev9\\x07" in out and "x\\n::error" in out


ACCEPTED = [
    "2026-11-20T14:02:00Z",
    "2026-11-20T14:02Z",
    "2026-11-20T14:02:00.123Z",
    "2026-11-20T15:02:00+01:00",
    "2026-11-20T09:02:00-05:00",
    "0999-01-01T00:00:00Z",
]
REFUSED = [
    "2026-11-20t14:02:00z",
    "2026-11-20 14:02:00Z",
    "2026-11-20T14:02:00+0100",
    "2026-11-20T14:02:00",
    "20261120T140200Z",
    "2026-W47-5T14:02:00Z",
    "2026-11-20T14Z",
    " 2026-11-20T14:02:00Z",
    "2026-11-20",
    "2026-11-20T14:02:00Z\n",
]


def _schema_accepts(value: str) -> bool:
    schema = json.loads((PROJECT / "site/schemas/incident.schema.json").read_text())
    timestamp = schema["$defs"]["Correction"]["properties"]["at"]
    try:
        jsonschema.validate(value, timestamp, format_checker=jsonschema.FormatChecker())
    except jsonschema.ValidationError:
        return False
    return True


def _validate_accepts(value: str) -> bool:
    try:
        parse_timestamp(value)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize("value", ACCEPTED + REFUSED)
def test_validate_and_the_editor_schema_accept_the_same_timestamps(value: str) -> None:
    assert _validate_accepts(value) == _schema_accepts(value) == (value in ACCEPTED)
