"""How the report writes durations and percentages for people (the JSON keeps raw numbers)."""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal

from statusledger.records.types import duration_text

# Round steps for duration axes, in seconds: 1 min .. 1 week.
DURATION_STEPS = (
    60.0, 300.0, 600.0, 900.0, 1800.0, 3600.0, 7200.0, 10800.0, 21600.0, 43200.0,
    86400.0, 172800.0, 604800.0,
)  # fmt: skip


def duration(seconds: float | None) -> str:
    """At most two units (3h20m, 45m, 12s); "-" when nothing was measured."""
    if seconds is None:
        return "-"
    return duration_text(round(seconds), parts=2, zero="0")


def percent(value: float | None, places: int = 3) -> str:
    """A percentage cut (never rounded up) to `places` decimals; "-" when there is none."""
    if value is None:
        return "-"
    if value == 100:
        return "100%"
    step = Decimal(1).scaleb(-places)
    return f"{Decimal(repr(value)).quantize(step, rounding=ROUND_FLOOR)}%"
