from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from statusledger.render.api import statuspage_id, timestamp
from tests.helpers import SHARED

DATA = SHARED / "data" / "statuspage"
COMPONENT_STATUSES = {
    "operational",
    "degraded_performance",
    "partial_outage",
    "major_outage",
    "under_maintenance",
}
ENUMS = {
    "indicator": {"none", "minor", "major", "critical", "maintenance"},
    "impact": {"none", "minor", "major", "critical", "maintenance"},
    "status": COMPONENT_STATUSES
    | {
        "investigating",
        "identified",
        "monitoring",
        "resolved",
        "postmortem",
        "scheduled",
        "in_progress",
        "verifying",
        "completed",
    },
    "old_status": COMPONENT_STATUSES,
    "new_status": COMPONENT_STATUSES,
}
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}(Z|[+-]\d\d:\d\d)$")
ID = re.compile(r"^[0-9a-z]{12}$")

needs_fixtures = pytest.mark.skipif(not DATA.is_dir(), reason=f"{DATA} is absent")


def load(rel: str) -> Any:
    return json.loads((DATA / rel).read_text(encoding="utf-8"))


def wrapped(rel: str, key: str, status: str | None = None) -> dict[str, Any]:
    """A real list endpoint's shape rebuilt from the same objects inside a real summary.json."""
    summary = load(rel)
    items = [i for i in summary[key] if status is None or i["status"] == status]
    assert items
    return {"page": summary["page"], key: items}


SUMMARIES = [
    "amureki-statuscheck/twilio_incident.json",
    "amureki-statuscheck/cloudamqp_maintenance.json",
    "atc0005-check-statuspage/summary/instructure-summary.json",
    "discord-undoc/discord_summary.json",
]


def fixtures_for(endpoint: str) -> list[Any]:
    if endpoint == "summary.json":
        return [load(s) for s in SUMMARIES]
    if endpoint == "status.json":
        return [load("discord-undoc/discord_status.json")]
    if endpoint == "components.json":
        return [
            load(p.relative_to(DATA).as_posix()) for p in sorted(DATA.glob("**/*components*.json"))
        ]
    if endpoint == "incidents.json":
        return [
            load("discord-undoc/discord_incidents.json"),
            load("slok-stactus/github_incidents_2024-09-17_trimmed.json"),
            load("zsharpe-managerdashboard/emma_incidents.json"),
        ]
    if endpoint == "incidents/unresolved.json":
        return [
            load("discord-undoc/discord_incidents__unresolved.json"),
            wrapped(SUMMARIES[2], "incidents"),
            wrapped(SUMMARIES[0], "incidents"),
        ]
    if endpoint == "scheduled-maintenances.json":
        return [
            load("discord-undoc/discord_scheduled-maintenances.json"),
            wrapped(SUMMARIES[0], "scheduled_maintenances"),
            wrapped(SUMMARIES[1], "scheduled_maintenances"),
        ]
    if endpoint == "scheduled-maintenances/upcoming.json":
        return [
            load("discord-undoc/discord_scheduled-maintenances__upcoming.json"),
            wrapped(SUMMARIES[0], "scheduled_maintenances", "scheduled"),
        ]
    assert endpoint == "scheduled-maintenances/active.json"
    return [
        load("discord-undoc/discord_scheduled-maintenances__active.json"),
        wrapped(SUMMARIES[1], "scheduled_maintenances", "in_progress"),
    ]


@functools.cache
def nullable_keys() -> frozenset[str]:
    """Keys that real Statuspage responses send as null somewhere."""
    found: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if item is None:
                    found.add(key)
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for path in DATA.glob("**/*.json"):
        walk(json.loads(path.read_text(encoding="utf-8")))
    return frozenset(found)


def mismatches(ours: Any, theirs: Any, where: str, nullable: frozenset[str]) -> Iterator[str]:
    """Every way `ours` fails to have the shape of the real response `theirs`."""
    key = where.rsplit(".", 1)[-1]
    if theirs is None or (ours is None and key in nullable):
        return
    if isinstance(theirs, dict):
        if not isinstance(ours, dict):
            yield f"{where}: expected an object, got {ours!r}"
            return
        for name, value in theirs.items():
            if name not in ours:
                yield f"{where}.{name}: missing"
            else:
                yield from mismatches(ours[name], value, f"{where}.{name}", nullable)
    elif isinstance(theirs, list):
        if not isinstance(ours, list):
            yield f"{where}: expected a list, got {ours!r}"
            return
        for index, item in enumerate(ours):
            problems: list[list[str]] = []
            for candidate in theirs:
                found = list(mismatches(item, candidate, f"{where}[{index}]", nullable))
                if not found:
                    break
                problems.append(found)
            else:
                if problems:
                    yield from min(problems, key=len)
    elif type(ours) is not type(theirs):
        yield f"{where}: expected {type(theirs).__name__}, got {ours!r}"


def enum_and_time_problems(value: Any, where: str = "") -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            here = f"{where}.{key}"
            if key in ENUMS and isinstance(item, str) and item not in ENUMS[key]:
                yield f"{here}: {item!r} is not one of Statuspage's values"
            timed = key.endswith("_at") or key.startswith("scheduled_")
            if timed and isinstance(item, str) and not TIMESTAMP.match(item):
                yield f"{here}: {item!r} is not in Statuspage's timestamp format"
            named = key in ("id", "page_id", "incident_id", "group_id", "code")
            if named and item is not None and not ID.match(item):
                yield f"{here}: {item!r} is not a 12-character id"
            yield from enum_and_time_problems(item, here)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from enum_and_time_problems(item, f"{where}[{index}]")


ENDPOINTS = [
    "summary.json",
    "status.json",
    "components.json",
    "incidents.json",
    "incidents/unresolved.json",
    "scheduled-maintenances.json",
    "scheduled-maintenances/upcoming.json",
    "scheduled-maintenances/active.json",
]


def api(files: dict[str, bytes], endpoint: str) -> Any:
    return json.loads(files[f"api/v2/{endpoint}"])


@needs_fixtures
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_every_endpoint_has_the_shape_of_real_statuspage_responses(
    files: dict[str, bytes], endpoint: str
) -> None:
    ours = api(files, endpoint)
    nullable = nullable_keys()
    for real in fixtures_for(endpoint):
        assert list(enum_and_time_problems(real)) == [], "the fixture itself breaks our rules"
        assert list(mismatches(ours, real, endpoint, nullable)) == []
    assert list(enum_and_time_problems(ours)) == []


def test_the_scenario_fills_every_list_so_the_shape_check_means_something(
    files: dict[str, bytes],
) -> None:
    for endpoint, key in [
        ("summary.json", "incidents"),
        ("summary.json", "scheduled_maintenances"),
        ("incidents/unresolved.json", "incidents"),
        ("scheduled-maintenances/upcoming.json", "scheduled_maintenances"),
        ("scheduled-maintenances/active.json", "scheduled_maintenances"),
    ]:
        assert api(files, endpoint)[key], endpoint


def test_an_open_incident_and_an_active_maintenance_show_as_statuspage_would(
    files: dict[str, bytes],
) -> None:
    summary = api(files, "summary.json")
    assert summary["status"] == {"indicator": "major", "description": "Partial System Outage"}
    assert api(files, "status.json")["status"] == summary["status"]
    by_name = {c["name"]: c for c in summary["components"]}
    assert by_name["Database"]["status"] == "partial_outage"
    assert by_name["Web app"]["status"] == "under_maintenance"
    assert by_name["Public API"]["status"] == "operational"
    group = by_name["Core platform"]
    assert group["group"] is True and group["status"] == "partial_outage"
    assert set(group["components"]) == {by_name["Public API"]["id"], by_name["Database"]["id"]}
    assert by_name["Database"]["group_id"] == group["id"]

    unresolved = api(files, "incidents/unresolved.json")["incidents"]
    assert [i["name"] for i in unresolved] == ["Database writes failing"]
    incident = unresolved[0]
    assert incident["status"] == "identified" and incident["impact"] == "major"
    assert incident["resolved_at"] is None
    assert [u["status"] for u in incident["incident_updates"]] == ["identified", "investigating"]
    first = incident["incident_updates"][-1]["affected_components"]
    assert first == [
        {
            "code": by_name["Database"]["id"],
            "name": "Database",
            "old_status": "operational",
            "new_status": "partial_outage",
        }
    ]

    active = api(files, "scheduled-maintenances/active.json")["scheduled_maintenances"]
    assert [(m["name"], m["status"], m["impact"]) for m in active] == [
        ("Web app deploy window", "in_progress", "maintenance")
    ]
    assert active[0]["scheduled_for"] == "2026-11-23T11:00:00.000Z"
    upcoming = api(files, "scheduled-maintenances/upcoming.json")["scheduled_maintenances"]
    assert [(m["name"], m["status"]) for m in upcoming] == [("API gateway upgrade", "scheduled")]
    assert {m["name"] for m in summary["scheduled_maintenances"]} == {
        "Web app deploy window",
        "API gateway upgrade",
    }


def test_resolved_incidents_are_listed_newest_first_with_resolution_times(
    files: dict[str, bytes],
) -> None:
    incidents = api(files, "incidents.json")["incidents"]
    assert [i["name"] for i in incidents][1:] == [
        "Elevated API error rate",
        "Login errors <script>alert(1)</script>",
    ]
    resolved = incidents[1]
    assert resolved["status"] == "resolved"
    assert resolved["resolved_at"] == "2026-11-20T15:10:00.000Z"
    assert resolved["started_at"] == "2026-11-20T14:02:00.000Z"
    assert resolved["shortlink"] == "https://status.example.com/incidents/2026-11-20-api-errors/"


def test_a_cancelled_window_reads_completed_because_statuspage_has_no_cancelled(
    files: dict[str, bytes],
) -> None:
    windows = api(files, "scheduled-maintenances.json")["scheduled_maintenances"]
    cancelled = next(m for m in windows if m["name"] == "Database minor version upgrade")
    assert cancelled["status"] == "completed"
    assert cancelled["incident_updates"][0]["body"].startswith("Cancelled")


def test_ids_are_stable_short_and_distinct_by_kind() -> None:
    assert statuspage_id("incident", "2026-11-20-api-errors") == statuspage_id(
        "incident", "2026-11-20-api-errors"
    )
    assert ID.match(statuspage_id("incident", "x"))
    assert statuspage_id("incident", "api") != statuspage_id("component", "api")
    assert statuspage_id("incident", "2026-11-20-api-errors") == "fiskohscne1j"


def test_timestamps_use_the_page_zone_with_milliseconds() -> None:
    from datetime import UTC, datetime

    moment = datetime(2024, 1, 6, 2, 42, 33, 123000, tzinfo=UTC)
    assert timestamp(moment, "America/Los_Angeles") == "2024-01-05T18:42:33.123-08:00"
    assert timestamp(moment, "UTC") == "2024-01-06T02:42:33.123Z"
    assert timestamp(moment, "Europe/London") == "2024-01-06T02:42:33.123+00:00"


def test_the_page_time_zone_is_respected(tmp_path: Path) -> None:
    from statusledger.render import render_all
    from tests.helpers import MINIMAL_SERVICES
    from tests.render.scenario import scenario, view_of

    services = MINIMAL_SERVICES.replace("timezone: UTC", "timezone: Europe/Berlin")
    view = view_of(scenario(tmp_path, {"services.yaml": services}))
    summary = json.loads(render_all(view)["api/v2/summary.json"])
    assert summary["page"]["time_zone"] == "Europe/Berlin"
    assert summary["incidents"][0]["started_at"] == "2026-11-23T11:00:00.000+01:00"
