"""Response metrics (time to detect, acknowledge, mitigate, resolve) and policy breaches.

Only incidents count, internal ones included: these figures are for the team, not the page.
An incident belongs to a range by the moment it started; it counts once overall, once for its
severity and once for each component it impacted. Formulas are in tooling/docs/compute.md.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from fractions import Fraction
from typing import cast

from statusledger.compute.breaches import Breach, breaches
from statusledger.compute.intervals import MICROS, micros
from statusledger.compute.milestones import began_at, milestone
from statusledger.loading import Loaded, LoadedRecord
from statusledger.records.models import (
    MILESTONES,
    Category,
    Incident,
    Postmortem,
    Services,
    SeverityLevel,
)
from statusledger.records.types import format_timestamp

# name: (from milestone, to milestone); "started" falls back to the earliest impact.
DURATIONS = {
    "ttd": ("started", "detected"),
    "tta": ("detected", "acknowledged"),
    "ttm": ("started", "mitigated"),
    "ttr": ("started", "resolved"),
}


@dataclass(frozen=True)
class Stats:
    """Mean, median and p90 of one duration, in seconds; None when nothing was measured.

    `missing` counts incidents of the group lacking one of the two milestones. p90 is the
    nearest-rank percentile: the smallest measured value with at least 90% of values at or
    below it.
    """

    count: int
    missing: int
    mean: float | None
    median: float | None
    p90: float | None

    def to_json(self) -> dict[str, object]:
        """The documented JSON shape."""
        return {
            "count": self.count,
            "missing": self.missing,
            "mean": self.mean,
            "median": self.median,
            "p90": self.p90,
        }


def summarise(values: Sequence[int], missing: int) -> Stats:
    """Exact statistics of durations in microseconds, as seconds."""
    if not values:
        return Stats(0, missing, None, None, None)
    ordered = sorted(values)
    n = len(ordered)
    mean = Fraction(sum(ordered), n)
    middle = n // 2
    if n % 2:
        median = Fraction(ordered[middle])
    else:
        median = Fraction(ordered[middle - 1] + ordered[middle], 2)
    p90 = ordered[(9 * n + 9) // 10 - 1]
    return Stats(n, missing, float(mean / MICROS), float(median / MICROS), p90 / MICROS)


@dataclass(frozen=True)
class Group:
    """Response metrics of a set of incidents (overall, one severity, one component)."""

    incidents: int
    durations: dict[str, Stats]

    def to_json(self) -> dict[str, object]:
        """The documented JSON shape: the incident count, then ttd, tta, ttm, ttr."""
        return {
            "incidents": self.incidents,
            **{name: stats.to_json() for name, stats in self.durations.items()},
        }


@dataclass(frozen=True)
class Recurrence:
    """A component hit at least twice by incidents of one category within the range."""

    component: str
    category: Category
    count: int
    incident_ids: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        """The documented JSON shape."""
        return {
            "component": self.component,
            "category": self.category.value,
            "count": self.count,
            "incidents": list(self.incident_ids),
        }


@dataclass(frozen=True)
class MetricsReport:
    """Everything `statusledger metrics` shows, for incidents started in [start, end)."""

    start: datetime | None
    end: datetime | None
    incidents: int
    by_severity_count: dict[SeverityLevel, int]
    by_category_count: dict[Category, int]
    overall: Group
    by_severity: dict[SeverityLevel, Group]
    by_component: dict[str, Group]
    recurrence: list[Recurrence] = field(default_factory=list)
    breaches: list[Breach] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        """The documented JSON shape of `statusledger metrics --format json`."""
        return {
            "range": {
                "from": format_timestamp(self.start) if self.start else None,
                "to": format_timestamp(self.end) if self.end else None,
            },
            "incidents": self.incidents,
            "counts": {
                "severity": {s.value: n for s, n in self.by_severity_count.items()},
                "category": {c.value: n for c, n in self.by_category_count.items()},
            },
            "response": {
                "overall": self.overall.to_json(),
                "severity": {s.value: g.to_json() for s, g in self.by_severity.items()},
                "component": {c: g.to_json() for c, g in self.by_component.items()},
            },
            "recurrence": [r.to_json() for r in self.recurrence],
            "breaches": [b.to_json() for b in self.breaches],
        }


Measured = tuple[int | None, ...]


def durations_of(incident: Incident) -> Measured:
    """TTD, TTA, TTM, TTR of one incident in microseconds; None where a milestone is missing."""
    moments = {name: milestone(incident, name) for name in MILESTONES}
    result = []
    for first, second in DURATIONS.values():
        begin, finish = moments[first], moments[second]
        result.append(None if begin is None or finish is None else micros(finish) - micros(begin))
    return tuple(result)


def _group(rows: Sequence[Measured]) -> Group:
    durations = {}
    for position, name in enumerate(DURATIONS):
        values = [row[position] for row in rows]
        measured = [value for value in values if value is not None]
        durations[name] = summarise(measured, len(values) - len(measured))
    return Group(len(rows), durations)


def in_range(
    records: Sequence[LoadedRecord], start: datetime | None, end: datetime | None
) -> list[Loaded[Incident]]:
    """The incidents (not maintenance) that began in [start, end), in time order."""
    chosen: list[Loaded[Incident]] = []
    for record in records:
        model = record.model
        if not isinstance(model, Incident):
            continue
        moment = began_at(model)
        if (start is None or moment >= start) and (end is None or moment < end):
            chosen.append(cast(Loaded[Incident], record))
    return sorted(chosen, key=lambda r: (began_at(r.model), r.id))


def metrics_report(
    services: Services,
    records: Sequence[LoadedRecord],
    postmortems: Sequence[Loaded[Postmortem]],
    start: datetime | None,
    end: datetime | None,
    now: datetime,
) -> MetricsReport:
    """Response metrics, counts, recurrence and breaches of incidents that began in range."""
    chosen = in_range(records, start, end)
    models = [r.model for r in chosen]
    measured = {id(r): durations_of(r.model) for r in chosen}
    known = [c.id for c in services.components]
    per_component: dict[str, list[Loaded[Incident]]] = {c: [] for c in known}
    for record in chosen:
        for component in dict.fromkeys(i.component for i in record.model.impact):
            if component in per_component:
                per_component[component].append(record)
    return MetricsReport(
        start=start,
        end=end,
        incidents=len(chosen),
        by_severity_count={s: sum(m.severity is s for m in models) for s in SeverityLevel},
        by_category_count={c: sum(m.category is c for m in models) for c in Category},
        overall=_group(list(measured.values())),
        by_severity={
            s: _group([measured[id(r)] for r in chosen if r.model.severity is s])
            for s in SeverityLevel
        },
        by_component={c: _group([measured[id(r)] for r in rs]) for c, rs in per_component.items()},
        recurrence=list(_recurrence(per_component)),
        breaches=breaches(services, chosen, postmortems, now),
    )


def _recurrence(per_component: dict[str, list[Loaded[Incident]]]) -> Iterator[Recurrence]:
    for component, records in per_component.items():
        for category in Category:
            ids = tuple(r.id for r in records if r.model.category is category)
            if len(ids) >= 2:
                yield Recurrence(component, category, len(ids), ids)
