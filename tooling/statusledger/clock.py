"""What "now" is: --now, else SOURCE_DATE_EPOCH, else the wall clock, always with an offset.

Fixing now is what makes two builds of the same records byte-identical, so every command that
reads the clock takes it from here and passes it down as a parameter.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime

from statusledger.errors import UsageError
from statusledger.records.types import parse_timestamp

# The days figures are computed for. Windows, bars and periods reach days and years beyond the
# moment asked about, so moments near the ends of Python's calendar (year 1, year 9999) would
# overflow deep inside a computation; they are usage errors instead.
FIRST_DAY = date(1970, 1, 1)
LAST_DAY = date(9000, 12, 31)


def in_range(name: str, day: date) -> date:
    """A day from the command line, refused (exit 2) outside FIRST_DAY..LAST_DAY."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise UsageError(
            f"{name} {day.isoformat()} is out of range: statusledger computes figures for days "
            f"from {FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()}"
        )
    return day


def resolve_now(text: str | None = None) -> datetime:
    """Return the moment commands should treat as now, in UTC."""
    if text:
        try:
            now = parse_timestamp(text)
        except ValueError as err:
            raise UsageError(f"--now: {err}") from None
        in_range("--now", now.date())
        return now
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            now = datetime.fromtimestamp(int(epoch), tz=UTC)
        except (ValueError, OverflowError, OSError):
            raise UsageError(
                f"SOURCE_DATE_EPOCH must be whole seconds since 1970, got {epoch!r}"
            ) from None
        in_range("SOURCE_DATE_EPOCH", now.date())
        return now
    return datetime.now(tz=UTC).replace(microsecond=0)
