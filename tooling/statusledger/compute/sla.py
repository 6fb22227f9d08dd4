"""SLA compliance per component and calendar window: uptime, error budget and service credit.

The figures come from the uptime index, so they follow compute.md exactly; this module only decides
which window each SLA is judged over, whether the target was met, and which credit is owed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction

from statusledger.compute.intervals import MICROS
from statusledger.compute.periods import Period, current_window, local_day
from statusledger.compute.uptime import Measure, UptimeIndex, index_for
from statusledger.loading import LoadedRecord
from statusledger.records.models import CreditTier, Services, Sla

_HUNDRED = Fraction(100)


@dataclass(frozen=True)
class SlaResult:
    """How one component did against its SLA over one period.

    `uptime` is None (and so are `met` and `credit`) when no part of the period lies between the
    component's `since` and now. `counted_seconds` is the window length uptime divides by (the
    period clipped to `since` and now, excluded maintenance included); `maintenance_seconds` the
    excluded maintenance in it. `budget_seconds` is (100 − target)% of the whole period clipped
    to `since`: for a `current` period (not over yet) it is what the whole period allows, of
    which `downtime_seconds` is used so far; `budget_left_seconds` goes negative once the
    budget is spent. Without an SLA (`monthly_sla` of such a component) `sla`, `target`, `met`,
    `budget_*` and `credit` are None and the uptime uses the default weights.
    """

    id: str
    sla: str | None
    target: float | None
    period: Period
    uptime: float | None
    met: bool | None
    downtime_seconds: float
    counted_seconds: float
    budget_seconds: float | None
    budget_left_seconds: float | None
    credit: float | None
    maintenance_seconds: float = 0.0
    current: bool = False

    @property
    def budget_used(self) -> float | None:
        """The share of the error budget spent (so far, for a current period), in percent."""
        if not self.budget_seconds:
            return None
        return 100 * self.downtime_seconds / self.budget_seconds

    def to_json(self) -> dict[str, object]:
        """The documented JSON shape of one component (tooling/docs/compute.md)."""
        return {
            "id": self.id,
            "sla": self.sla,
            "target": _number(self.target),
            "uptime": self.uptime,
            "met": self.met,
            "downtime_seconds": self.downtime_seconds,
            "budget_seconds": self.budget_seconds,
            "budget_left_seconds": self.budget_left_seconds,
            "credit": _number(self.credit),
            "period": self.period.to_json(),
            "counted_seconds": self.counted_seconds,
            "maintenance_seconds": self.maintenance_seconds,
            "current": self.current,
        }


@dataclass(frozen=True)
class SlaReport:
    """Every component with an SLA, judged over `period` (None: each over its own window)."""

    period: Period | None
    components: list[SlaResult]

    @property
    def shared_period(self) -> Period | None:
        """The one period all results share, if they share one."""
        if self.period is not None:
            return self.period
        periods = {result.period for result in self.components}
        return periods.pop() if len(periods) == 1 else None

    @property
    def met(self) -> bool:
        """True when no component missed its target."""
        return all(result.met is not False for result in self.components)

    def to_json(self) -> dict[str, object]:
        """The documented JSON shape of `statusledger sla --format json`."""
        shared = self.shared_period
        return {
            "period": shared.to_json() if shared else None,
            "components": [result.to_json() for result in self.components],
        }


def credit_for(uptime: Fraction, target: Fraction, tiers: Sequence[CreditTier]) -> float | None:
    """The credit of the tier with the smallest `below` that is above the uptime (docs/records.md).

    Nothing is owed when the target is met. Comparisons are exact: 99.9 % uptime is not below a
    tier at 99.9.
    """
    if uptime >= target:
        return None
    owed = [tier for tier in tiers if uptime < Fraction(str(tier.below))]
    if not owed:
        return None
    return min(owed, key=lambda tier: tier.below).credit


def judge(
    component_id: str, sla_id: str | None, sla: Sla | None, period: Period, figures: Measure
) -> SlaResult:
    """Turn the exact figures of one period into an SlaResult."""
    uptime = figures.uptime
    if sla is None:
        return SlaResult(
            component_id,
            None,
            None,
            period,
            figures.uptime_percent,
            None,
            figures.downtime_seconds,
            figures.counted_seconds,
            None,
            None,
            None,
            figures.maintenance_seconds,
            not figures.finished,
        )
    target = Fraction(str(sla.target))
    budget = (_HUNDRED - target) / _HUNDRED * figures.whole
    met = None if uptime is None else uptime >= target
    credit = None if uptime is None else credit_for(uptime, target, sla.credits)
    return SlaResult(
        id=component_id,
        sla=sla_id,
        target=sla.target,
        period=period,
        uptime=figures.uptime_percent,
        met=met,
        downtime_seconds=figures.downtime_seconds,
        counted_seconds=figures.counted_seconds,
        budget_seconds=float(budget / MICROS),
        budget_left_seconds=float((budget - figures.downtime) / MICROS),
        credit=credit,
        maintenance_seconds=figures.maintenance_seconds,
        current=not figures.finished,
    )


def sla_report(
    services: Services,
    records: Sequence[LoadedRecord],
    period: Period | None,
    now: datetime,
    *,
    index: UptimeIndex | None = None,
) -> SlaReport:
    """Every component with an SLA, over `period` or, when None, its SLA's current window.

    Pass `index` when you already hold an UptimeIndex of the same records and now.
    """
    index = index or index_for(services, records, now)
    today = local_day(now, index.zone)
    results = []
    for component in services.components:
        sla = services.slas.get(component.sla) if component.sla else None
        if sla is None:
            continue
        chosen = period or current_window(sla.window, today)
        figures = index.measure_period(component.id, chosen)
        results.append(judge(component.id, component.sla, sla, chosen, figures))
    return SlaReport(period, results)


def monthly_sla(
    services: Services,
    records: Sequence[LoadedRecord],
    component_id: str,
    months: Sequence[Period],
    now: datetime,
    *,
    index: UptimeIndex | None = None,
) -> list[SlaResult]:
    """One result per period for one component: the site's "uptime per month against its SLA"."""
    index = index or index_for(services, records, now)
    component = index.component(component_id)
    sla = services.slas.get(component.sla) if component.sla else None
    return [
        judge(
            component_id,
            component.sla if sla else None,
            sla,
            month,
            index.measure_period(component_id, month),
        )
        for month in months
    ]


def _number(value: float | None) -> float | int | None:
    """Write 10.0 as 10 in JSON, as the records do."""
    if value is not None and float(value).is_integer():
        return int(value)
    return value
