"""The report's window and the calendar months and quarters it is cut into (page.timezone).

Incident figures of a month or quarter count the incidents that began in that part of the
window only, so a window starting mid-month gives a first month that `metrics --from` agrees
with; the SLA grid judges whole calendar months, as `sla --period YYYY-MM` does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from statusledger.compute.periods import Period, local_day, month, quarter, start_of_day
from statusledger.errors import UsageError

DEFAULT_MONTHS = 12


@dataclass(frozen=True)
class Bucket:
    """One month or quarter of the window: its calendar period and the instants it covers."""

    period: Period
    start: datetime
    end: datetime

    @property
    def label(self) -> str:
        """The label of the period, such as 2026-10 or 2026-Q4."""
        return self.period.label


@dataclass(frozen=True)
class Window:
    """The days first..last (both included) as UTC instants, with its months and quarters."""

    first: date
    last: date
    start: datetime
    end: datetime
    months: tuple[Bucket, ...]
    quarters: tuple[Bucket, ...]

    def to_json(self) -> dict[str, object]:
        """The documented JSON shape (tooling/docs/report.md)."""
        return {
            "from": self.first.isoformat(),
            "to": self.last.isoformat(),
            "months": [b.label for b in self.months],
            "quarters": [b.label for b in self.quarters],
        }


def choose_days(
    first: date | None, last: date | None, now: datetime, zone: str
) -> tuple[date, date]:
    """--from/--to with their defaults: up to today, and the twelve months ending there."""
    if last is None:
        last = local_day(now, zone)
    if first is None:
        index = last.year * 12 + last.month - 1 - (DEFAULT_MONTHS - 1)
        first = date(index // 12, index % 12 + 1, 1)
    if last < first:
        raise UsageError(f"--to {last} is before --from {first}")
    return first, last


def window(first: date, last: date, zone: str) -> Window:
    """The window of the days first..last cut in `zone`."""
    after = last + timedelta(days=1)
    start, end = start_of_day(first, zone), start_of_day(after, zone)
    months: list[Period] = []
    cursor = month(first.year, first.month)
    while cursor.start < after:
        months.append(cursor)
        cursor = month(cursor.end.year, cursor.end.month)
    quarters: list[Period] = []
    cursor = quarter(first.year, (first.month - 1) // 3 + 1)
    while cursor.start < after:
        quarters.append(cursor)
        cursor = quarter(cursor.end.year, (cursor.end.month - 1) // 3 + 1)
    return Window(
        first,
        last,
        start,
        end,
        tuple(_bucket(p, start, end, zone) for p in months),
        tuple(_bucket(p, start, end, zone) for p in quarters),
    )


def _bucket(period: Period, start: datetime, end: datetime, zone: str) -> Bucket:
    return Bucket(
        period,
        max(start, start_of_day(period.start, zone)),
        min(end, start_of_day(period.end, zone)),
    )
