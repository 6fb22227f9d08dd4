"""What a user sees from `statusledger uptime`, and the errors all figure commands share."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.compute.records import incident, repo, services
from tests.helpers import run_cli

NOW = "2026-11-23T12:00:00Z"


def test_uptime_text_is_a_compact_table(tmp_path: Path) -> None:
    # api: 1 h major on Nov 10 -> 100 * (1 - 3600/86400) = 95.8333 (cut to 95.833);
    # over Nov 9..11 (259200 s): 100 * (1 - 3600/259200) = 98.6111 (98.611).
    repo(
        tmp_path,
        {"a": incident(("api", "major_outage", "2026-11-10T10:00:00Z", "2026-11-10T11:00:00Z"))},
        services_text=services(),
    )
    result = run_cli(
        "uptime", "--from", "2026-11-09", "--to", "2026-11-11", "--now", NOW, cwd=tmp_path
    )
    assert result.code == 0, result.err
    assert result.out.splitlines() == [
        "day            api  database  web",
        "2026-11-09     100       100  100",
        "2026-11-10  95.833       100  100",
        "2026-11-11     100       100  100",
        "all         98.611       100  100",
    ]


def test_uptime_json_lists_components_in_order(tmp_path: Path) -> None:
    repo(tmp_path, {}, services_text=services())
    result = run_cli(
        "uptime",
        "--component",
        "web",
        "--component",
        "api",
        "--from",
        "2026-11-09",
        "--to",
        "2026-11-09",
        "--format",
        "json",
        "--now",
        NOW,
        cwd=tmp_path,
    )
    data = json.loads(result.out)
    assert list(data["components"]) == ["web", "api"]
    assert list(data["components"]["web"]["days"][0]) == [
        "date",
        "uptime",
        "downtime_seconds",
        "worst",
    ]


def test_an_unknown_component_lists_the_known_ones(tmp_path: Path) -> None:
    repo(tmp_path, {}, services_text=services())
    result = run_cli(
        "uptime", "--component", "apii", "--from", "2026-11-09", "--to", "2026-11-09", cwd=tmp_path
    )
    assert result.code == 2
    assert "unknown component 'apii'; services.yaml declares: api, database, web" in result.err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--from", "2026-11-09", "--to", "2026-11-01"), "--to 2026-11-01 is before --from"),
        (("--from", "2026-11-31", "--to", "2026-12-01"), "--from: expected a day"),
        (
            ("--from", "2026-11-09", "--to", "2026-11-10", "--now", "2026-11-23T12:00:00"),
            "has no offset",
        ),
    ],
)
def test_bad_uptime_options_are_usage_errors(
    tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    repo(tmp_path, {}, services_text=services())
    result = run_cli("uptime", *args, cwd=tmp_path)
    assert result.code == 2
    assert message in result.err


@pytest.mark.parametrize("command", ["uptime", "sla", "metrics"])
def test_a_record_that_does_not_load_stops_the_figures(tmp_path: Path, command: str) -> None:
    # A figure computed while a record is silently missing would be wrong: exit 1, name it.
    repo(
        tmp_path, {"broken": "title: x\nkind: incident\nseverity: sev9\n"}, services_text=services()
    )
    args = ["--from", "2026-11-01", "--to", "2026-11-02"] if command != "sla" else []
    result = run_cli(command, *args, "--now", NOW, cwd=tmp_path)
    assert result.code == 1
    assert "incidents/2026/broken.yaml" in result.err
