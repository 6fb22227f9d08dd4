from __future__ import annotations

from datetime import date

import pytest

from statusledger.compute.periods import (
    Period,
    current_window,
    instant_range,
    parse_period,
    recent_months,
)
from statusledger.errors import UsageError
from tests.compute.records import ts


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2026-10", date(2026, 10, 1), date(2026, 11, 1)),
        ("2026-12", date(2026, 12, 1), date(2027, 1, 1)),
        ("2026-Q4", date(2026, 10, 1), date(2027, 1, 1)),
        ("2026-q1", date(2026, 1, 1), date(2026, 4, 1)),
        ("2026", date(2026, 1, 1), date(2027, 1, 1)),
    ],
)
def test_parse_period(text: str, start: date, end: date) -> None:
    period = parse_period(text)
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize("text", ["2026-13", "2026-Q5", "26", "October", "2026-10-01", ""])
def test_a_bad_period_says_how_to_write_one(text: str) -> None:
    with pytest.raises(UsageError, match="2026-10, 2026-Q4 or 2026"):
        parse_period(text)


def test_current_window() -> None:
    today = date(2026, 11, 23)
    assert current_window("month", today).label == "2026-11"
    assert current_window("quarter", today).label == "2026-Q4"
    assert current_window("year", today).label == "2026"


def test_recent_months_cross_a_year() -> None:
    labels = [p.label for p in recent_months(date(2026, 2, 10), 4)]
    assert labels == ["2025-11", "2025-12", "2026-01", "2026-02"]


def test_period_days_and_membership() -> None:
    period = parse_period("2026-02")
    assert len(period.days()) == 28
    assert date(2026, 2, 28) in period
    assert date(2026, 3, 1) not in period


def test_days_are_cut_in_the_page_zone_with_real_dst_lengths() -> None:
    # 2026-03-29: Berlin springs forward at 02:00 CET -> 23 hours.
    start, end = instant_range(date(2026, 3, 29), "Europe/Berlin")
    assert (start, end) == (ts("2026-03-28T23:00:00Z"), ts("2026-03-29T22:00:00Z"))
    assert (end - start).total_seconds() == 23 * 3600
    # 2026-10-25: Berlin falls back at 03:00 CEST -> 25 hours.
    start, end = instant_range(date(2026, 10, 25), "Europe/Berlin")
    assert (start, end) == (ts("2026-10-24T22:00:00Z"), ts("2026-10-25T23:00:00Z"))
    assert (end - start).total_seconds() == 25 * 3600


def test_a_month_in_berlin_starts_at_local_midnight() -> None:
    start, end = instant_range(parse_period("2026-11"), "Europe/Berlin")
    assert start == ts("2026-10-31T23:00:00Z")
    assert end == ts("2026-11-30T23:00:00Z")


def test_a_period_in_utc() -> None:
    period = Period(date(2026, 1, 1), date(2026, 1, 3), "two days")
    start, end = instant_range(period, "UTC")
    assert (end - start).total_seconds() == 2 * 86400
