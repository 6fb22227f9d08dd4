"""Calendar periods (month, quarter, year) and the UTC instants of days cut in the page's zone.

Uptime bars, SLA windows and metric ranges are calendar days and months *where the page lives*:
a day in Europe/Berlin can be 23 or 25 hours long, and the instants here carry that, so nothing
downstream ever has to think about daylight saving time.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from statusledger.errors import UsageError

WindowKind = Literal["month", "quarter", "year"]

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-[Qq]([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")


@dataclass(frozen=True, order=True)
class Period:
    """A run of whole calendar days: `start` included, `end` excluded."""

    start: date
    end: date
    label: str

    def days(self) -> list[date]:
        """Every day of the period, in order."""
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days)]

    def __contains__(self, day: object) -> bool:
        """Whether a day falls inside the period."""
        return isinstance(day, date) and self.start <= day < self.end

    def to_json(self) -> dict[str, str]:
        """The documented JSON shape: ISO days, `end` exclusive, and the label."""
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "label": self.label}


def month(year: int, number: int) -> Period:
    """The calendar month `number` (1..12) of `year`."""
    start = date(year, number, 1)
    end = date(year + 1, 1, 1) if number == 12 else date(year, number + 1, 1)
    return Period(start, end, f"{year:04d}-{number:02d}")


def quarter(year: int, number: int) -> Period:
    """The calendar quarter `number` (1..4) of `year`."""
    first = 3 * (number - 1) + 1
    start = date(year, first, 1)
    end = date(year + 1, 1, 1) if number == 4 else date(year, first + 3, 1)
    return Period(start, end, f"{year:04d}-Q{number}")


def year(number: int) -> Period:
    """The calendar year `number`."""
    return Period(date(number, 1, 1), date(number + 1, 1, 1), f"{number:04d}")


def parse_period(text: str) -> Period:
    """Read a period the way people write one: 2026-10, 2026-Q4 or 2026."""
    value = text.strip()
    try:
        if match := _MONTH.match(value):
            return month(int(match[1]), int(match[2]))
        if match := _QUARTER.match(value):
            return quarter(int(match[1]), int(match[2]))
        if match := _YEAR.match(value):
            return year(int(match[1]))
    except ValueError:
        pass
    raise UsageError(
        f"period {text!r} is not a month, quarter or year; write e.g. 2026-10, 2026-Q4 or 2026"
    )


def current_window(window: WindowKind, today: date) -> Period:
    """The calendar month, quarter or year that contains `today` (an SLA's current window)."""
    if window == "month":
        return month(today.year, today.month)
    if window == "quarter":
        return quarter(today.year, (today.month - 1) // 3 + 1)
    return year(today.year)


def recent_months(today: date, count: int) -> list[Period]:
    """The `count` calendar months up to and including today's, oldest first (site tables)."""
    result = []
    index = today.year * 12 + today.month - 1
    for offset in range(count - 1, -1, -1):
        year_, month_ = divmod(index - offset, 12)
        result.append(month(year_, month_ + 1))
    return result


def zone_of(zone: str | ZoneInfo) -> ZoneInfo:
    """Accept a zone by IANA name or as a ZoneInfo."""
    return zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone)


def start_of_day(day: date, zone: str | ZoneInfo) -> datetime:
    """The UTC instant at which `day` begins in `zone`.

    When midnight does not exist (a zone that springs forward at 00:00) this is the moment of
    the jump, which is when the day really begins.
    """
    return _start_of_day(day, zone_of(zone))


@functools.lru_cache(maxsize=4096)
def _start_of_day(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def instant_range(period_or_day: Period | date, zone: str | ZoneInfo) -> tuple[datetime, datetime]:
    """The UTC instants [start, end) of a day or a period as cut in `zone`."""
    if isinstance(period_or_day, Period):
        first, after = period_or_day.start, period_or_day.end
    else:
        first, after = period_or_day, period_or_day + timedelta(days=1)
    return start_of_day(first, zone), start_of_day(after, zone)


def local_day(moment: datetime, zone: str | ZoneInfo) -> date:
    """The calendar day in `zone` of an aware instant (e.g. today from now)."""
    return moment.astimezone(zone_of(zone)).date()
