"""Uptime exactly as tooling/docs/compute.md says, with hand-computed answers."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from statusledger.compute.periods import parse_period
from statusledger.compute.uptime import UptimeIndex, daily_uptime, downtime_seconds, uptime_percent
from statusledger.errors import UsageError
from statusledger.records.models import ImpactLevel
from tests.compute.records import incident, ledger, maintenance, repo, services, ts
from tests.helpers import run_cli

NOW = ts("2026-11-23T12:00:00Z")
DAY = 86_400


def index_of(
    tmp_path: Path,
    records: dict[str, str],
    services_text: str | None = None,
    now: str = "2026-11-23T12:00:00Z",
) -> UptimeIndex:
    loaded = ledger(tmp_path, records, services_text=services_text or services())
    assert loaded.services is not None
    return UptimeIndex(loaded.services.model, loaded.records, ts(now))


def test_overlapping_impacts_take_the_largest_weight_not_the_sum(tmp_path: Path) -> None:
    # partial 10:00-12:00 (0.3) and major 11:00-11:30 (1.0) on api:
    # 10:00-11:00 0.3*3600 = 1080; 11:00-11:30 1.0*1800 = 1800; 11:30-12:00 0.3*1800 = 540
    # total 3420 s (the sum would be 0.3*7200 + 1800 = 3960 s).
    index = index_of(
        tmp_path,
        {
            "a": incident(
                ("api", "partial_outage", "2026-11-10T10:00:00Z", "2026-11-10T12:00:00Z")
            ),
            "b": incident(("api", "major_outage", "2026-11-10T11:00:00Z", "2026-11-10T11:30:00Z")),
        },
    )
    [bar] = index.days("api", [date(2026, 11, 10)])
    assert bar.downtime_seconds == 3420
    assert bar.counted_seconds == DAY
    assert bar.uptime == pytest.approx(100 * (1 - 3420 / DAY))  # 96.0416...
    assert bar.incident_ids == ("a", "b")
    assert bar.worst is ImpactLevel.MAJOR_OUTAGE
    assert bar.levels == (ImpactLevel.PARTIAL_OUTAGE, ImpactLevel.MAJOR_OUTAGE)


def test_the_same_level_twice_counts_once(tmp_path: Path) -> None:
    # two major impacts 10:00-11:00 and 10:30-11:30 -> 10:00-11:30 = 5400 s, not 7200.
    index = index_of(
        tmp_path,
        {
            "a": incident(
                ("api", "major_outage", "2026-11-10T10:00:00Z", "2026-11-10T11:00:00Z"),
                ("api", "major_outage", "2026-11-10T10:30:00Z", "2026-11-10T11:30:00Z"),
            ),
        },
    )
    [bar] = index.days("api", [date(2026, 11, 10)])
    assert bar.downtime_seconds == 5400
    assert bar.incident_ids == ("a",)


def test_degraded_performance_costs_nothing_by_default(tmp_path: Path) -> None:
    index = index_of(
        tmp_path,
        {
            "a": incident(
                ("web", "degraded_performance", "2026-11-10T10:00:00Z", "2026-11-10T11:00:00Z")
            ),
        },
    )
    [bar] = index.days("web", [date(2026, 11, 10)])
    assert (bar.uptime, bar.downtime_seconds) == (100.0, 0.0)
    assert bar.worst is ImpactLevel.DEGRADED_PERFORMANCE
    assert bar.incident_ids == ("a",)


def test_an_impact_across_midnight_and_a_month_end(tmp_path: Path) -> None:
    # major 2026-10-31T23:00Z .. 2026-11-01T01:30Z: 3600 s on Oct 31, 5400 s on Nov 1.
    index = index_of(
        tmp_path,
        {
            "a": incident(("api", "major_outage", "2026-10-31T23:00:00Z", "2026-11-01T01:30:00Z")),
        },
    )
    oct31, nov1, nov2 = index.days(
        "api", [date(2026, 10, 31), date(2026, 11, 1), date(2026, 11, 2)]
    )
    assert (oct31.downtime_seconds, nov1.downtime_seconds, nov2.downtime_seconds) == (3600, 5400, 0)
    assert nov2.incident_ids == ()
    assert nov2.worst is None
    october = index.measure_period("api", parse_period("2026-10"))
    november = index.measure_period("api", parse_period("2026-11"))
    assert october.downtime_seconds == 3600
    assert october.uptime_percent == pytest.approx(100 * (1 - 3600 / (31 * DAY)))  # 99.8656
    assert november.downtime_seconds == 5400
    # November is counted up to now (Nov 23 12:00): 22.5 days.
    assert november.counted_seconds == 22.5 * DAY


def test_maintenance_is_left_out_of_downtime_not_of_the_window(tmp_path: Path) -> None:
    # maintenance 02:00-04:00, completed at 03:30 -> 02:00-03:30 excluded (5400 s);
    # major outage 03:00-05:00 -> counted downtime 03:30-05:00 = 5400 s;
    # the window stays the whole day: uptime 100 * (1 - 5400/86400) = 93.75 exactly.
    index = index_of(
        tmp_path,
        {
            "m": maintenance(
                ["api"],
                "2026-11-10T02:00:00Z",
                "2026-11-10T04:00:00Z",
                completed="2026-11-10T03:30:00Z",
            ),
            "a": incident(("api", "major_outage", "2026-11-10T03:00:00Z", "2026-11-10T05:00:00Z")),
        },
    )
    [bar] = index.days("api", [date(2026, 11, 10)])
    assert bar.downtime_seconds == 5400
    assert bar.counted_seconds == DAY
    assert bar.uptime == 93.75
    assert index.measure_period("api", date(2026, 11, 10)).maintenance_seconds == 5400


def test_maintenance_counts_when_the_sla_does_not_exclude_it(tmp_path: Path) -> None:
    # The same records with exclude_maintenance: false: downtime 03:00-05:00 = 7200 s of 86400.
    text = services().replace("exclude_maintenance: true", "exclude_maintenance: false")
    index = index_of(
        tmp_path,
        {
            "m": maintenance(["api"], "2026-11-10T02:00:00Z", "2026-11-10T04:00:00Z"),
            "a": incident(("api", "major_outage", "2026-11-10T03:00:00Z", "2026-11-10T05:00:00Z")),
        },
        text,
    )
    [bar] = index.days("api", [date(2026, 11, 10)])
    assert (bar.downtime_seconds, bar.counted_seconds) == (7200, DAY)


@pytest.mark.parametrize("kind", ["cancelled", "internal"])
def test_cancelled_or_internal_maintenance_excuses_nothing(tmp_path: Path, kind: str) -> None:
    record = (
        maintenance(
            ["api"],
            "2026-11-10T02:00:00Z",
            "2026-11-10T04:00:00Z",
            cancelled="2026-11-09T12:00:00Z",
        )
        if kind == "cancelled"
        else maintenance(
            ["api"], "2026-11-10T02:00:00Z", "2026-11-10T04:00:00Z", visibility="internal"
        )
    )
    index = index_of(
        tmp_path,
        {
            "m": record,
            "a": incident(("api", "major_outage", "2026-11-10T03:00:00Z", "2026-11-10T05:00:00Z")),
        },
    )
    [bar] = index.days("api", [date(2026, 11, 10)])
    assert (bar.downtime_seconds, bar.counted_seconds) == (7200, DAY)


def test_a_day_entirely_under_maintenance_is_100(tmp_path: Path) -> None:
    index = index_of(
        tmp_path,
        {
            "m": maintenance(["api"], "2026-11-09T22:00:00Z", "2026-11-11T02:00:00Z"),
        },
    )
    [bar] = index.days("api", [date(2026, 11, 10)])
    assert (bar.uptime, bar.counted_seconds) == (100.0, DAY)


def test_an_open_impact_counts_up_to_now(tmp_path: Path) -> None:
    # partial since 10:00, still open at now = 12:00:
    # Nov 23 counted 00:00-12:00 = 43200 s, downtime 0.3 * 7200 = 2160 s, uptime 95.0;
    # Nov 24 is after now: not counted.
    repo(
        tmp_path,
        {"a": incident(("api", "partial_outage", "2026-11-23T10:00:00Z", None))},
        services_text=services(),
    )
    result = run_cli(
        "uptime",
        "--component",
        "api",
        "--from",
        "2026-11-22",
        "--to",
        "2026-11-24",
        "--format",
        "json",
        "--now",
        "2026-11-23T12:00:00Z",
        cwd=tmp_path,
    )
    assert result.code == 0, result.err
    assert json.loads(result.out) == {
        "components": {
            "api": {
                "days": [
                    {
                        "date": "2026-11-22",
                        "uptime": 100.0,
                        "downtime_seconds": 0.0,
                        "worst": None,
                    },
                    {
                        "date": "2026-11-23",
                        "uptime": 95.0,
                        "downtime_seconds": 2160.0,
                        "worst": "partial_outage",
                    },
                    {
                        "date": "2026-11-24",
                        "uptime": None,
                        "downtime_seconds": 0.0,
                        "worst": None,
                    },
                ]
            }
        }
    }
    # An hour later the same record has cost 0.3 * 10800 = 3240 s of 46800 s.
    later = run_cli(
        "uptime",
        "--component",
        "api",
        "--from",
        "2026-11-23",
        "--to",
        "2026-11-23",
        "--format",
        "json",
        "--now",
        "2026-11-23T13:00:00Z",
        cwd=tmp_path,
    )
    day = json.loads(later.out)["components"]["api"]["days"][0]
    assert day["downtime_seconds"] == 3240.0
    assert day["uptime"] == pytest.approx(100 * (1 - 3240 / 46_800))


def test_days_before_since_are_not_counted(tmp_path: Path) -> None:
    # api since 2026-11-15; an outage on Nov 14 22:00 .. Nov 15 02:00 (UTC page):
    # Nov 14 is before since (None); Nov 15 counts 00:00-02:00 = 7200 s.
    index = index_of(
        tmp_path,
        {
            "a": incident(("api", "major_outage", "2026-11-14T22:00:00Z", "2026-11-15T02:00:00Z")),
        },
        services(since="2026-11-15"),
    )
    bars = index.days("api", [date(2026, 11, 14), date(2026, 11, 15)])
    assert bars[0].uptime is None
    assert bars[0].counted_seconds == 0
    assert bars[1].downtime_seconds == 7200
    # November so far: from Nov 15 00:00 to now (Nov 23 12:00) = 8.5 days.
    november = index.measure_period("api", parse_period("2026-11"))
    assert november.counted_seconds == 8.5 * DAY
    assert november.downtime_seconds == 7200


def test_berlin_days_with_a_dst_change(tmp_path: Path) -> None:
    # Europe/Berlin. 2026-03-29 is 23 h (82800 s); a major outage 2026-03-28T23:00Z..
    # 2026-03-29T00:00Z is its first local hour: uptime 100 * (1 - 3600/82800) = 95.652...
    # 2026-10-25 is 25 h (90000 s); a major outage 2026-10-24T21:30Z..23:00Z is
    # 23:30-00:00 CEST on Oct 24 (1800 s) and 00:00-01:00 CEST on Oct 25 (3600 s):
    # Oct 25 uptime 100 * (1 - 3600/90000) = 96.0.
    index = index_of(
        tmp_path,
        {
            "spring": incident(
                ("api", "major_outage", "2026-03-28T23:00:00Z", "2026-03-29T00:00:00Z")
            ),
            "autumn": incident(
                ("api", "major_outage", "2026-10-24T21:30:00Z", "2026-10-24T23:00:00Z")
            ),
        },
        services("Europe/Berlin"),
    )
    spring_eve, spring = index.days("api", [date(2026, 3, 28), date(2026, 3, 29)])
    assert spring_eve.downtime_seconds == 0
    assert spring.counted_seconds == 82_800
    assert spring.uptime == pytest.approx(100 * (1 - 3600 / 82_800))
    autumn_eve, autumn = index.days("api", [date(2026, 10, 24), date(2026, 10, 25)])
    assert (autumn_eve.downtime_seconds, autumn_eve.counted_seconds) == (1800, DAY)
    assert (autumn.downtime_seconds, autumn.counted_seconds) == (3600, 90_000)
    assert autumn.uptime == 96.0
    assert autumn.incident_ids == autumn_eve.incident_ids == ("autumn",)


def test_internal_incidents_count_for_uptime(tmp_path: Path) -> None:
    index = index_of(
        tmp_path,
        {
            "a": incident(
                ("api", "major_outage", "2026-11-10T10:00:00Z", "2026-11-10T11:00:00Z"),
                visibility="internal",
            ),
        },
    )
    [bar] = index.days("api", [date(2026, 11, 10)])
    assert bar.downtime_seconds == 3600
    assert bar.incident_ids == ("a",)


def test_the_wrappers_agree_with_the_index(tmp_path: Path) -> None:
    loaded = ledger(
        tmp_path,
        {
            "a": incident(("api", "major_outage", "2026-11-10T10:00:00Z", "2026-11-10T11:00:00Z")),
        },
    )
    assert loaded.services is not None
    model = loaded.services.model
    start, end = ts("2026-11-10T00:00:00Z"), ts("2026-11-11T00:00:00Z")
    assert downtime_seconds(model, loaded.records, "api", start, end, NOW) == 3600
    assert uptime_percent(model, loaded.records, "api", start, end, NOW) == pytest.approx(
        100 * (1 - 3600 / DAY)
    )
    [bar] = daily_uptime(model, loaded.records, "api", [date(2026, 11, 10)], NOW)
    assert bar.downtime_seconds == 3600
    # Another moment is another answer (the reused index is keyed on now too).
    early = ts("2026-11-10T10:30:00Z")
    assert downtime_seconds(model, loaded.records, "api", start, end, early) == 1800
    with pytest.raises(UsageError, match="api, database, web"):
        uptime_percent(model, loaded.records, "nope", start, end, NOW)
