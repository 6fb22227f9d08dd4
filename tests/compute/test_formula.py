"""The uptime formula of the contract, computed by hand: 100 × (1 − downtime / window length).

Maintenance is taken out of the downtime only, never out of the window (as AWS, Google Cloud and
Azure SLAs count it); the window is the day or period clipped to `since` and now, cut in
page.timezone, so a Berlin day can be 23 or 25 hours.
"""

from __future__ import annotations

import json
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest

from statusledger.compute.periods import parse_period
from statusledger.compute.uptime import UptimeIndex
from tests.compute.records import incident, ledger, maintenance, repo, services, ts
from tests.helpers import run_cli

DAY = 86_400
NOVEMBER = 30 * DAY  # 2,592,000 s


def index_of(tmp_path: Path, records: dict[str, str], zone: str = "UTC") -> UptimeIndex:
    loaded = ledger(tmp_path, records, services_text=services(zone))
    assert loaded.services is not None
    return UptimeIndex(loaded.services.model, loaded.records, ts("2026-12-05T00:00:00Z"))


# A day with 2 h of maintenance and, outside it, 1 h of major outage.
DAY_RECORDS = {
    "m": maintenance(["api"], "2026-11-10T02:00:00Z", "2026-11-10T04:00:00Z"),
    "a": incident(("api", "major_outage", "2026-11-10T10:00:00Z", "2026-11-10T11:00:00Z")),
}


def test_maintenance_in_a_day_stays_in_the_window(tmp_path: Path) -> None:
    # 100 × (1 − 3600 / 86400) = 95.8333… (taking the 7200 s of maintenance out of the window
    # too would give 100 × (1 − 3600 / 79200) = 95.4545…, the figure the contract rules out).
    index = index_of(tmp_path, DAY_RECORDS)
    figures = index.measure_period("api", date(2026, 11, 10))
    assert figures.uptime == 100 * (1 - Fraction(3600, DAY))
    assert figures.uptime == Fraction(575, 6)
    assert (figures.downtime_seconds, figures.counted_seconds) == (3600, DAY)
    assert figures.maintenance_seconds == 7200
    result = run_cli(
        "uptime",
        "--component",
        "api",
        "--from",
        "2026-11-10",
        "--to",
        "2026-11-10",
        "--now",
        "2026-12-05T00:00:00Z",
        cwd=tmp_path,
    )
    assert result.out.splitlines() == [
        "day            api",
        "2026-11-10  95.833",
        "all         95.833",
    ]


def test_an_outage_during_maintenance_costs_nothing_but_the_time_still_counts(
    tmp_path: Path,
) -> None:
    # major 03:00-05:00 over maintenance 02:00-04:00: only 04:00-05:00 is downtime (3600 s),
    # of the whole day: 95.8333…
    index = index_of(
        tmp_path,
        {
            "m": maintenance(["api"], "2026-11-10T02:00:00Z", "2026-11-10T04:00:00Z"),
            "a": incident(("api", "major_outage", "2026-11-10T03:00:00Z", "2026-11-10T05:00:00Z")),
        },
    )
    [bar] = index.days("api", [date(2026, 11, 10)])
    assert (bar.downtime_seconds, bar.counted_seconds) == (3600, DAY)
    assert bar.uptime == pytest.approx(95.83333333333333, abs=1e-12)


def test_maintenance_in_a_month_and_the_sla_verdict(tmp_path: Path) -> None:
    # November 2026 (2,592,000 s): 2 h maintenance on the 10th, a 1 h major outage inside it
    # (free) and 1 h outside it (3600 s). Uptime 100 × (1 − 3600 / 2592000) = 99.86111…
    # (not 100 × (1 − 3600 / 2584800) = 99.86072…); budget 0.1 % of 2592000 = 2592 s, used
    # 3600 / 2592 = 138.88… %, left −1008 s; below 99.9 but not 99.0: credit 10.
    records = {
        "m": maintenance(["api"], "2026-11-10T02:00:00Z", "2026-11-10T04:00:00Z"),
        "inside": incident(("api", "major_outage", "2026-11-10T02:30:00Z", "2026-11-10T03:30:00Z")),
        "outside": incident(
            ("api", "major_outage", "2026-11-20T10:00:00Z", "2026-11-20T11:00:00Z")
        ),
    }
    repo(tmp_path, records, services_text=services())
    result = run_cli(
        "sla",
        "--period",
        "2026-11",
        "--format",
        "json",
        "--now",
        "2026-12-05T00:00:00Z",
        cwd=tmp_path,
    )
    api = json.loads(result.out)["components"][0]
    assert api["uptime"] == pytest.approx(100 * (1 - 3600 / NOVEMBER), abs=1e-12)
    assert api["uptime"] == pytest.approx(99.86111111111111, abs=1e-12)
    assert (api["downtime_seconds"], api["counted_seconds"]) == (3600, NOVEMBER)
    assert api["maintenance_seconds"] == 7200
    assert api["budget_seconds"] == pytest.approx(2592)
    assert api["budget_left_seconds"] == pytest.approx(-1008)
    assert (api["met"], api["credit"], api["current"]) == (False, 10, False)
    text = run_cli("sla", "--period", "2026-11", "--now", "2026-12-05T00:00:00Z", cwd=tmp_path)
    assert text.out.splitlines()[1].split() == [
        "api", "standard", "2026-11", "99.9%", "99.861%", "NO", "1h", "43m12s", "138.8%",
        "-16m48s", "10%",
    ]  # fmt: skip


def test_a_25_hour_day_with_maintenance_in_berlin(tmp_path: Path) -> None:
    # Europe/Berlin 2026-10-25 runs 2026-10-24T22:00Z .. 2026-10-25T23:00Z: 25 h = 90000 s.
    # 2 h maintenance 00:00-02:00Z and a 1 h major outage 10:00-11:00Z:
    # 100 × (1 − 3600 / 90000) = 96 exactly (not 100 × (1 − 3600 / 82800) = 95.652…).
    records = {
        "m": maintenance(["api"], "2026-10-25T00:00:00Z", "2026-10-25T02:00:00Z"),
        "a": incident(("api", "major_outage", "2026-10-25T10:00:00Z", "2026-10-25T11:00:00Z")),
    }
    index = index_of(tmp_path, records, "Europe/Berlin")
    [bar] = index.days("api", [date(2026, 10, 25)])
    assert (bar.downtime_seconds, bar.counted_seconds, bar.uptime) == (3600, 90_000, 96.0)
    # October 2026 in Berlin: 2026-09-30T22:00Z .. 2026-10-31T23:00Z = 31 d + 1 h = 2682000 s;
    # 100 × (1 − 3600 / 2682000) = 99.86577…
    october = index.measure_period("api", parse_period("2026-10"))
    assert october.counted_seconds == 2_682_000
    assert october.uptime == 100 * (1 - Fraction(3600, 2_682_000))
    assert october.uptime_percent == pytest.approx(99.86577181208054, abs=1e-12)


def test_a_current_month_says_budget_used_so_far(tmp_path: Path) -> None:
    # Now 2026-11-23T12:00Z, 1 h major outage on the 10th: uptime so far over 22.5 days =
    # 100 × (1 − 3600 / 1944000) = 99.8148…; the budget is the whole month's 2592 s, of which
    # 3600 s is 138.8 % used so far; database has used none of it.
    repo(
        tmp_path,
        {"a": incident(("api", "major_outage", "2026-11-10T10:00:00Z", "2026-11-10T11:00:00Z"))},
        services_text=services(),
    )
    text = run_cli("sla", "--now", "2026-11-23T12:00:00Z", cwd=tmp_path)
    lines = text.out.splitlines()
    assert lines[0].split()[7:10] == ["budget", "budget", "used"]
    assert lines[1].split() == [
        "api", "standard", "2026-11", "99.9%", "99.814%", "NO", "1h", "43m12s", "138.8%", "so",
        "far", "-16m48s", "10%",
    ]  # fmt: skip
    assert "  0% so far  " in lines[2]
    data = json.loads(
        run_cli("sla", "--format", "json", "--now", "2026-11-23T12:00:00Z", cwd=tmp_path).out
    )
    api = data["components"][0]
    assert api["uptime"] == pytest.approx(100 * (1 - 3600 / (22.5 * DAY)), abs=1e-12)
    assert (api["counted_seconds"], api["budget_seconds"], api["current"]) == (
        22.5 * DAY,
        pytest.approx(2592),
        True,
    )
