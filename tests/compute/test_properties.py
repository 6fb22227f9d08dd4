"""Properties of uptime that must hold for any records (hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from statusledger.compute.intervals import instant, micros
from statusledger.compute.periods import Period
from statusledger.compute.uptime import UptimeIndex
from statusledger.loading import LoadedRecord, load_record_text, load_services_text
from statusledger.records.models import Services
from statusledger.records.types import format_timestamp
from tests.compute.records import incident, maintenance, services, ts

# Six days around the end of DST in Berlin (2026-10-25 has 25 hours there).
FIRST = date(2026, 10, 23)
DAYS = [FIRST + timedelta(days=n) for n in range(6)]
BASE = micros(ts("2026-10-22T20:00:00Z"))
MINUTE = 60_000_000
SPAN = 7 * 1440

LEVELS = st.sampled_from(["degraded_performance", "partial_outage", "major_outage"])
IMPACT = st.tuples(
    st.sampled_from(["api", "database"]),
    LEVELS,
    st.integers(0, SPAN),
    st.integers(1, 3000),
    st.booleans(),
)
MAINTENANCE = st.tuples(st.integers(0, SPAN), st.integers(1, 600))
SCENARIO = {
    "zone": st.sampled_from(["UTC", "Europe/Berlin", "America/New_York"]),
    "impacts": st.lists(IMPACT, max_size=8),
    "windows": st.lists(MAINTENANCE, max_size=3),
    "now": st.integers(0, SPAN + 600),
    "since": st.sampled_from([None, "2026-10-24"]),
}
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def at(minute: int) -> str:
    return format_timestamp(instant(BASE + minute * MINUTE))


def load(text: str, rel: str) -> LoadedRecord:
    loaded = load_record_text(text, rel)
    assert not isinstance(loaded, list), loaded
    return loaded


def build(
    zone: str,
    since: str | None,
    impacts: list[tuple[str, str, int, int, bool]],
    windows: list[tuple[int, int]],
) -> tuple[Services, list[LoadedRecord]]:
    parsed = load_services_text(services(zone, since=since), "services.yaml")
    assert not isinstance(parsed, list), parsed
    records = [
        load(
            incident((component, level, at(start), None if is_open else at(start + length))),
            f"incidents/2026/i{n}.yaml",
        )
        for n, (component, level, start, length, is_open) in enumerate(impacts)
    ]
    records += [
        load(maintenance(["api"], at(start), at(start + length)), f"incidents/2026/m{n}.yaml")
        for n, (start, length) in enumerate(windows)
    ]
    return parsed.model, records


@SETTINGS
@given(**SCENARIO)
def test_uptime_is_always_between_0_and_100(
    zone: str,
    impacts: list[tuple[str, str, int, int, bool]],
    windows: list[tuple[int, int]],
    now: int,
    since: str | None,
) -> None:
    model, records = build(zone, since, impacts, windows)
    index = UptimeIndex(model, records, instant(BASE + now * MINUTE))
    for component in ("api", "database"):
        for bar in index.days(component, DAYS):
            assert bar.uptime is None or 0 <= bar.uptime <= 100
            assert 0 <= bar.downtime_seconds <= bar.counted_seconds
        whole = index.measure_period(component, Period(DAYS[0], DAYS[-1] + timedelta(1), "x"))
        assert whole.uptime is None or 0 <= whole.uptime <= 100


@SETTINGS
@given(**SCENARIO)
def test_splitting_a_window_into_days_conserves_downtime(
    zone: str,
    impacts: list[tuple[str, str, int, int, bool]],
    windows: list[tuple[int, int]],
    now: int,
    since: str | None,
) -> None:
    model, records = build(zone, since, impacts, windows)
    index = UptimeIndex(model, records, instant(BASE + now * MINUTE))
    whole = index.measure_period("api", Period(DAYS[0], DAYS[-1] + timedelta(1), "x"))
    parts = [index.measure_period("api", day) for day in DAYS]
    assert sum(p.downtime for p in parts) == whole.downtime  # exact Fractions
    assert sum(p.span for p in parts) == whole.span
    assert sum(p.maintenance for p in parts) == whole.maintenance


@SETTINGS
@given(**SCENARIO, extra=IMPACT)
def test_adding_an_impact_never_raises_uptime(
    zone: str,
    impacts: list[tuple[str, str, int, int, bool]],
    windows: list[tuple[int, int]],
    now: int,
    since: str | None,
    extra: tuple[str, str, int, int, bool],
) -> None:
    model, records = build(zone, since, impacts, windows)
    _, more = build(zone, since, [*impacts, extra], windows)
    moment = instant(BASE + now * MINUTE)
    before, after = UptimeIndex(model, records, moment), UptimeIndex(model, more, moment)
    for component in ("api", "database"):
        windows_: list[Period | date] = [*DAYS, Period(DAYS[0], DAYS[-1] + timedelta(1), "x")]
        for day in windows_:
            old = before.measure_period(component, day).uptime
            new = after.measure_period(component, day).uptime
            assert (old is None) == (new is None)
            if old is not None and new is not None:
                assert new <= old
