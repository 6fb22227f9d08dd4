"""Uptime per calendar month for the component and SLA pages.

The figures are those of `statusledger sla` (compute.sla.monthly_sla: weights, maintenance
excluded), so the page and the command never disagree. Without the records at hand they fall
back to the daily figures the View holds. A month not over yet, or only partly counted (a
component's `since`), is marked partial.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Sequence
from dataclasses import dataclass

from statusledger.compute.sla import SlaResult
from statusledger.views import ComponentView


@dataclass(frozen=True)
class MonthUptime:
    """One component's uptime over the counted days of one month."""

    year: int
    month: int
    uptime: float | None
    days_counted: int
    days_in_month: int
    target: float | None

    @property
    def key(self) -> str:
        """The month as YYYY-MM."""
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def partial(self) -> bool:
        """Whether fewer days than the whole month were counted."""
        return self.days_counted < self.days_in_month

    @property
    def met(self) -> bool | None:
        """Whether the month met the SLA target; None without a target or data."""
        if self.target is None or self.uptime is None:
            return None
        return self.uptime >= self.target


def monthly(component: ComponentView, count: int = 3) -> list[MonthUptime]:
    """The last `count` months of the shown days, newest first."""
    buckets: dict[tuple[int, int], list[float]] = {}
    for day in component.days:
        values = buckets.setdefault((day.date.year, day.date.month), [])
        if day.uptime is not None:
            values.append(day.uptime)
    months = sorted(buckets, reverse=True)[:count]
    return [
        MonthUptime(
            year=y,
            month=m,
            uptime=sum(buckets[(y, m)]) / len(buckets[(y, m)]) if buckets[(y, m)] else None,
            days_counted=len(buckets[(y, m)]),
            days_in_month=calendar.monthrange(y, m)[1],
            target=component.target,
        )
        for y, m in months
    ]


def from_sla(results: Sequence[SlaResult]) -> list[MonthUptime]:
    """Month rows from `monthly_sla` results, newest first."""
    rows = []
    for result in results:
        start = result.period.start
        rows.append(
            MonthUptime(
                year=start.year,
                month=start.month,
                uptime=result.uptime,
                days_counted=math.ceil(result.counted_seconds / 86400 - 1e-9),
                days_in_month=calendar.monthrange(start.year, start.month)[1],
                target=result.target,
            )
        )
    return sorted(rows, key=lambda r: (r.year, r.month), reverse=True)
