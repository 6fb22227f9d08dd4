from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from icalendar import Calendar

from statusledger.render import render_all
from tests.render.scenario import ACTIVE_MAINTENANCE, scenario, view_of


def events(files: dict[str, bytes]) -> dict[str, Any]:
    calendar = Calendar.from_ical(files["maintenance.ics"])
    assert str(calendar["X-WR-CALNAME"]) == "Acme Cloud maintenance"
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_one_event_per_window_with_stable_uid_and_record_times(files: dict[str, bytes]) -> None:
    found = events(files)
    assert set(found) == {
        "2026-11-23-web-deploy@status.example.com",
        "2026-12-01-gateway@status.example.com",
        "2026-11-25-db-upgrade@status.example.com",
    }
    deploy = found["2026-11-23-web-deploy@status.example.com"]
    assert deploy.decoded("DTSTART") == datetime(2026, 11, 23, 11, tzinfo=UTC)
    assert deploy.decoded("DTEND") == datetime(2026, 11, 23, 13, tzinfo=UTC)
    assert deploy.decoded("DTSTAMP") == datetime(2026, 11, 23, 11, tzinfo=UTC)
    assert int(str(deploy["SEQUENCE"])) == 1
    assert str(deploy["STATUS"]) == "CONFIRMED"
    assert str(deploy["SUMMARY"]) == "Web app deploy window"
    assert str(deploy["URL"]) == "https://status.example.com/incidents/2026-11-23-web-deploy/"
    assert str(deploy["DESCRIPTION"]).startswith("In progress: The deploy has started.")


def test_a_cancelled_window_is_cancelled_in_calendars(files: dict[str, bytes]) -> None:
    cancelled = events(files)["2026-11-25-db-upgrade@status.example.com"]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert int(str(cancelled["SEQUENCE"])) == 1


def test_a_new_update_raises_the_sequence_and_keeps_the_uid(
    tmp_path: Path, files: dict[str, bytes]
) -> None:
    appended = ACTIVE_MAINTENANCE + (
        "  - at: 2026-11-23T11:30:00Z\n    status: verifying\n    message: Checking.\n"
    )
    later = render_all(
        view_of(scenario(tmp_path, {"incidents/2026/2026-11-23-web-deploy.yaml": appended}))
    )
    uid = "2026-11-23-web-deploy@status.example.com"
    before, after = events(files)[uid], events(later)[uid]
    assert int(str(after["SEQUENCE"])) > int(str(before["SEQUENCE"]))
    assert after.decoded("DTSTAMP") > before.decoded("DTSTAMP")


def test_a_window_on_several_components_has_one_categories_line(tmp_path: Path) -> None:
    """Every component on one CATEGORIES line: parsers such as `ics` 0.7 reject a second."""
    both = ACTIVE_MAINTENANCE.replace("components: [web]", "components: [web, api]")
    root = scenario(tmp_path / "org", {"incidents/2026/2026-11-23-web-deploy.yaml": both})
    text = render_all(view_of(root))["maintenance.ics"].decode("utf-8")
    event = next(e for e in text.split("BEGIN:VEVENT") if "UID:2026-11-23-web-deploy@" in e)
    assert [line for line in event.splitlines() if line.startswith("CATEGORIES")] == [
        "CATEGORIES:Web app,Public API"
    ]
    found = events(render_all(view_of(root)))["2026-11-23-web-deploy@status.example.com"]
    assert [str(c) for c in found["CATEGORIES"].cats] == ["Web app", "Public API"]
