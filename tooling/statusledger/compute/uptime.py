"""Uptime exactly as docs/compute.md defines it, indexed once so that any window costs O(log n).

At each instant a component's weight is the largest weight among the impacts on it then; downtime
is the integral of that weight over the window. The window is clipped to the component's `since`
and to now, and, when its SLA excludes maintenance, the component's public maintenance time is
taken out of the downtime, never out of the window length: uptime % = 100 × (1 − downtime /
window). See tooling/docs/compute.md for every choice.
"""

from __future__ import annotations

import heapq
import math
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from fractions import Fraction
from itertools import accumulate

from statusledger.compute.intervals import (
    MICROS,
    Intervals,
    Span,
    clip,
    max_weight_spans,
    micros,
    subtract,
    union,
)
from statusledger.compute.periods import Period, instant_range, start_of_day, zone_of
from statusledger.errors import UsageError
from statusledger.loading import LoadedRecord
from statusledger.records.models import (
    Component,
    ImpactLevel,
    Incident,
    Maintenance,
    MaintenanceStatus,
    Services,
    Sla,
    Visibility,
    Weights,
)

LEVEL_RANK = {
    ImpactLevel.DEGRADED_PERFORMANCE: 1,
    ImpactLevel.PARTIAL_OUTAGE: 2,
    ImpactLevel.MAJOR_OUTAGE: 3,
}
_FAR_PAST = -(2**62)
_HUNDRED = Fraction(100)


class UnknownComponent(UsageError):
    """A component id that services.yaml does not declare (exit 2, listing the known ids)."""

    def __init__(self, component_id: str, known: Sequence[str]) -> None:
        super().__init__(
            f"unknown component {component_id!r}; services.yaml declares: {', '.join(known)}"
        )


@dataclass(frozen=True)
class Measure:
    """Exact uptime figures of one component over one window, in whole microseconds.

    `span` is the part of the window inside [since, now), the denominator of uptime; `whole` the
    part inside [since, end of the window), what a period not over yet will have counted by its
    end (the error budget is a share of it); `maintenance` the excluded maintenance inside `span`
    (no downtime is counted then). The weighted downtime is `weighted / scale` microseconds,
    kept as two integers because weights such as 0.3 are fractions and integer arithmetic is
    both exact and fast.
    """

    span: int
    maintenance: int
    weighted: int
    scale: int = 1
    whole: int = 0

    @property
    def downtime(self) -> Fraction:
        """Weighted downtime in microseconds, exactly."""
        return Fraction(self.weighted, self.scale)

    @property
    def uptime(self) -> Fraction | None:
        """Uptime in percent, exactly; None when no part of the window could be counted."""
        if self.span == 0:
            return None
        return _HUNDRED * (1 - Fraction(self.weighted, self.scale * self.span))

    @property
    def downtime_seconds(self) -> float:
        """Weighted downtime in seconds (one correctly rounded division)."""
        return self.weighted / (self.scale * MICROS)

    @property
    def counted_seconds(self) -> float:
        """The window length in seconds: the window clipped to `since` and to now."""
        return self.span / MICROS

    @property
    def maintenance_seconds(self) -> float:
        """Excluded maintenance inside the window, in seconds (free of downtime, still counted)."""
        return self.maintenance / MICROS

    @property
    def finished(self) -> bool:
        """Whether the window is over: nothing of it lies after now."""
        return self.span == self.whole

    @property
    def uptime_percent(self) -> float | None:
        """Uptime in percent as a float: the exact value, rounded once."""
        if self.span == 0:
            return None
        whole = self.scale * self.span
        return 100 * (whole - self.weighted) / whole


@dataclass(frozen=True)
class DayUptime:
    """One uptime bar: a calendar day of one component.

    `uptime` is None when the day lies entirely before the component's `since` or after now;
    `counted_seconds` is the part of the day uptime divides by (clipped to `since` and now,
    excluded maintenance included). `incident_ids` lists every incident with an impact on the
    component that day, public and internal alike (callers that publish must filter); `worst`
    is the worst level among them, and
    `levels` the worst level of each incident that day, in the order of `incident_ids`, so that
    a caller can recompute `worst` over the public incidents only.
    """

    date: date
    uptime: float | None
    downtime_seconds: float
    counted_seconds: float
    incident_ids: tuple[str, ...]
    worst: ImpactLevel | None
    levels: tuple[ImpactLevel, ...] = ()


# One impact on one component, closed at now when still open: (start, end, level rank, incident
# id), microseconds. Plain tuples, because sorting thousands of them is the hot path.
_Spell = tuple[int, int, int, str]


@dataclass(frozen=True)
class _Profile:
    """Everything needed to measure one component over any window."""

    low: int
    high: int
    excluded: Intervals
    down: tuple[tuple[int, Intervals], ...]
    scale: int
    spells: tuple[_Spell, ...]
    reach: tuple[int, ...]


def weights_of(services: Services, component: Component) -> tuple[Weights, bool]:
    """The weights and maintenance rule a component is measured with (defaults without an SLA)."""
    sla = services.slas.get(component.sla) if component.sla else None
    chosen = sla if sla is not None else Sla(target=100)
    return chosen.weights, chosen.exclude_maintenance


def maintenance_span(record: Maintenance) -> Span | None:
    """The time a maintenance window is left out of uptime, or None when it never counts.

    Cancelled and internal windows are never left out (nobody was told to expect them). A
    window counts from its announced start to its announced end, ended early by its first
    `completed` update; overrunning the announced end is not excused.
    """
    if record.status is MaintenanceStatus.CANCELLED or record.visibility is Visibility.INTERNAL:
        return None
    end = record.window.end
    for update in record.updates:
        if update.status is MaintenanceStatus.COMPLETED:
            end = min(end, update.at)
            break
    start = micros(record.window.start)
    stop = micros(end)
    return (start, stop) if stop > start else None


class UptimeIndex:
    """Impacts and maintenance of every component, indexed once for many uptime questions.

    Building costs one pass over the records; each component's step function is built on first
    use, and after that any window (a day, a month, a year) is measured in O(log n).
    """

    def __init__(self, services: Services, records: Sequence[LoadedRecord], now: datetime) -> None:
        self.services = services
        self.now = now
        self.zone = zone_of(services.page.timezone)
        self._components = {c.id: c for c in services.components}
        self._impacts: dict[str, list[tuple[int, int, ImpactLevel, str]]] = defaultdict(list)
        self._maintenance: dict[str, list[Span]] = defaultdict(list)
        self._profiles: dict[str, _Profile] = {}
        self._gather(records)

    def _gather(self, records: Sequence[LoadedRecord]) -> None:
        high = micros(self.now)
        for record in records:
            model = record.model
            if isinstance(model, Incident):
                for impact in model.impact:
                    start = micros(impact.from_)
                    end = high if impact.to is None else min(micros(impact.to), high)
                    if end > start and impact.component in self._components:
                        self._impacts[impact.component].append(
                            (start, end, impact.level, record.id)
                        )
            else:
                span = maintenance_span(model)
                if span is not None:
                    for component_id in model.components:
                        self._maintenance[component_id].append(span)

    @property
    def component_ids(self) -> list[str]:
        """Every component, in services.yaml order."""
        return list(self._components)

    def component(self, component_id: str) -> Component:
        """The component with this id; an unknown id is a usage error listing the known ones."""
        try:
            return self._components[component_id]
        except KeyError:
            raise UnknownComponent(component_id, self.component_ids) from None

    def _profile(self, component_id: str) -> _Profile:
        profile = self._profiles.get(component_id)
        if profile is None:
            profile = self._build(self.component(component_id))
            self._profiles[component_id] = profile
        return profile

    def _build(self, component: Component) -> _Profile:
        weights, exclude = weights_of(self.services, component)
        low = (
            _FAR_PAST
            if component.since is None
            else micros(start_of_day(component.since, self.zone))
        )
        high = micros(self.now)
        impacts = self._impacts.get(component.id, [])
        holes = clip(union(self._maintenance.get(component.id, [])), low, high) if exclude else []
        exact = {level: Fraction(str(weights.of(level))) for level in ImpactLevel}
        scale = math.lcm(*(weight.denominator for weight in exact.values()))
        scaled = {level: int(weight * scale) for level, weight in exact.items()}
        down = tuple(
            (weight, Intervals(subtract(clip(spans, low, high), holes)))
            for weight, spans in sorted(
                max_weight_spans((s, e, scaled[lvl]) for s, e, lvl, _ in impacts).items()
            )
        )
        spells = tuple(sorted((s, e, LEVEL_RANK[lvl], i) for s, e, lvl, i in impacts))
        reach = tuple(accumulate((spell[1] for spell in spells), max))
        return _Profile(low, high, Intervals(holes), down, scale, spells, reach)

    def measure(self, component_id: str, start: datetime, end: datetime) -> Measure:
        """Exact figures of one component over the instants [start, end)."""
        return self._measure(self._profile(component_id), micros(start), micros(end))

    def measure_period(self, component_id: str, period: Period | date) -> Measure:
        """Exact figures of one component over a day or calendar period in the page's zone."""
        start, end = instant_range(period, self.zone)
        return self.measure(component_id, start, end)

    @staticmethod
    def _measure(profile: _Profile, start: int, end: int) -> Measure:
        low, high = max(start, profile.low), min(end, profile.high)
        whole = max(0, end - low)
        if low >= high:
            return Measure(0, 0, 0, profile.scale, whole)
        excluded = profile.excluded.measure(low, high)
        weighted = 0
        for weight, spans in profile.down:
            weighted += weight * spans.measure(low, high)
        return Measure(high - low, excluded, weighted, profile.scale, whole)

    def days(self, component_id: str, days: Sequence[date]) -> list[DayUptime]:
        """One DayUptime per day, in the order given; incidents found in one sweep."""
        profile = self._profile(component_id)
        ranges = {day: instant_range(day, self.zone) for day in days}
        found = _overlapping(
            profile, sorted((micros(a), micros(b), d) for d, (a, b) in ranges.items())
        )
        result = []
        for day in days:
            start, end = ranges[day]
            figures = self._measure(profile, micros(start), micros(end))
            ids, levels = found[day]
            result.append(
                DayUptime(
                    day,
                    figures.uptime_percent,
                    figures.downtime_seconds,
                    figures.counted_seconds,
                    ids,
                    max(levels, key=LEVEL_RANK.__getitem__, default=None),
                    levels,
                )
            )
        return result


_LEVELS_BY_RANK = {rank: level for level, rank in LEVEL_RANK.items()}


def _overlapping(
    profile: _Profile, windows: list[tuple[int, int, date]]
) -> dict[date, tuple[tuple[str, ...], tuple[ImpactLevel, ...]]]:
    """For windows sorted by start: the incidents overlapping each, with each one's worst level.

    A sweep over impacts sorted by start with a heap of the active ones by end: each impact is
    pushed and popped once, whatever the number of windows.
    """
    spells = profile.spells
    result: dict[date, tuple[tuple[str, ...], tuple[ImpactLevel, ...]]] = {}
    if not windows:
        return result
    index = bisect_right(profile.reach, windows[0][0])
    active: list[tuple[int, int]] = []
    for low, high, day in windows:
        while index < len(spells) and spells[index][0] < high:
            heapq.heappush(active, (spells[index][1], index))
            index += 1
        while active and active[0][0] <= low:
            heapq.heappop(active)
        ranks: dict[str, int] = {}
        for position in sorted(i for _, i in active if spells[i][0] < high):
            _, _, rank, incident_id = spells[position]
            ranks[incident_id] = max(rank, ranks.get(incident_id, 0))
        result[day] = (tuple(ranks), tuple(_LEVELS_BY_RANK[r] for r in ranks.values()))
    return result


# --- thin wrappers: one question, one index (reused while the inputs are the same objects) ---

_cache: list[tuple[Services, tuple[LoadedRecord, ...], datetime, UptimeIndex]] = []


def index_for(services: Services, records: Sequence[LoadedRecord], now: datetime) -> UptimeIndex:
    """An UptimeIndex for these inputs, reused when asked again about the very same objects.

    The wrappers below are called once per component by the site; without the reuse each call
    would index every record again.
    """
    if _cache:
        cached_services, cached_records, cached_now, index = _cache[0]
        if (
            cached_services is services
            and cached_now == now
            and len(cached_records) == len(records)
            and all(a is b for a, b in zip(cached_records, records, strict=True))
        ):
            return index
    index = UptimeIndex(services, records, now)
    _cache[:] = [(services, tuple(records), now, index)]
    return index


def downtime_seconds(
    services: Services,
    records: Sequence[LoadedRecord],
    component_id: str,
    start: datetime,
    end: datetime,
    now: datetime,
) -> float:
    """Weighted downtime of a component in [start, end), in seconds."""
    return index_for(services, records, now).measure(component_id, start, end).downtime_seconds


def uptime_percent(
    services: Services,
    records: Sequence[LoadedRecord],
    component_id: str,
    start: datetime,
    end: datetime,
    now: datetime,
) -> float | None:
    """Uptime of a component in [start, end) in percent; None when nothing of it is counted."""
    return index_for(services, records, now).measure(component_id, start, end).uptime_percent


def daily_uptime(
    services: Services,
    records: Sequence[LoadedRecord],
    component_id: str,
    days: Sequence[date],
    now: datetime,
) -> list[DayUptime]:
    """The uptime bars of one component: one DayUptime per calendar day in page.timezone."""
    return index_for(services, records, now).days(component_id, days)
