"""The example organisation at the repository root validates as of the day it was written."""

from __future__ import annotations

import json

import pytest

from tests.helpers import PROJECT, run_cli

pytestmark = pytest.mark.skipif(
    not (PROJECT / "services.yaml").is_file() or not (PROJECT / "incidents").is_dir(),
    reason="the example organisation is not in this checkout",
)


def test_example_organisation_validates() -> None:
    result = run_cli("--root", str(PROJECT), "validate", "--now", "2026-11-23T10:00:00Z")
    assert result.code == 0, result.out
    assert result.out.splitlines()[-1].startswith("valid: ")
    assert result.err == ""


def test_example_organisation_has_no_errors_and_names_its_warnings() -> None:
    result = run_cli(
        "--root", str(PROJECT), "validate", "--now", "2026-11-23T10:00:00Z", "--format", "json"
    )
    data = json.loads(result.out)
    assert data["errors"] == 0, data["findings"]
    # Warnings are policy findings the example may show on purpose (an overdue action item).
    assert all(f["rule"].startswith("policy/") for f in data["findings"])
