"""Every figure of the insights report, computed by the engine behind `metrics` and `sla`.

Counts, response times and breaches come from `compute.metrics.metrics_report` run over each
month and quarter of the window; uptime, downtime and SLA from `compute.sla.monthly_sla`; so
the report can never disagree with those commands. What they do not give (root causes, the
30-day recurrence, postmortem timeliness, action items per month) is counted here from the same
records, asking `compute.breaches` wherever a policy decides.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from statusledger.compute.breaches import BREACH_KINDS, breaches
from statusledger.compute.metrics import MetricsReport, in_range, metrics_report
from statusledger.compute.milestones import began_at, resolved_at
from statusledger.compute.periods import local_day, start_of_day
from statusledger.compute.sla import SlaResult, monthly_sla
from statusledger.compute.uptime import index_for
from statusledger.loading import Loaded, LoadedRecord
from statusledger.records.models import (
    Category,
    Incident,
    Policy,
    Postmortem,
    RootCause,
    Services,
    SeverityLevel,
)
from statusledger.records.types import format_timestamp
from statusledger.report.window import Window

RECURRENCE_DAYS = 30
MEASURES = ("ttd", "tta", "ttm", "ttr")
POSTMORTEM_OUTCOMES = ("on_time", "late", "missing", "pending")
ACTION_COUNTS = ("opened", "done", "overdue")
_LATER = timedelta(microseconds=1)


@dataclass(frozen=True)
class Ranked:
    """One bar of a Pareto chart: a count, its share of all counts, and the running share."""

    name: str
    count: int
    percent: float
    cumulative_percent: float

    def to_json(self) -> dict[str, object]:
        """The documented JSON shape."""
        return {
            "name": self.name,
            "count": self.count,
            "percent": self.percent,
            "cumulative_percent": self.cumulative_percent,
        }


@dataclass(frozen=True)
class Recurring:
    """An incident on a component hit by an incident of the same category shortly before."""

    incident: str
    component: str
    category: Category
    previous: str
    days_apart: float

    def to_json(self) -> dict[str, object]:
        """The documented JSON shape."""
        return {
            "incident": self.incident,
            "component": self.component,
            "category": self.category.value,
            "previous": self.previous,
            "days_apart": self.days_apart,
        }


Response = dict[str, dict[str, dict[str, dict[str, float | int | None]]]]


@dataclass(frozen=True)
class Figures:
    """What the report shows, keyed as report.json is (tooling/docs/report.md)."""

    now: datetime
    window: Window
    timezone: str
    whole: MetricsReport
    incidents_by_month: dict[str, dict[str, int]]
    categories_by_month: dict[str, dict[str, int]]
    response_by_quarter: Response
    downtime_by_month: dict[str, dict[str, float]]
    sla_by_month: dict[str, dict[str, SlaResult]]
    categories_ranked: list[Ranked]
    root_causes_ranked: list[Ranked]
    without_root_cause: int
    recurring: list[Recurring]
    postmortems_by_month: dict[str, dict[str, int]]
    action_items_by_month: dict[str, dict[str, int]]
    breaches_by_month: dict[str, dict[str, int]]

    def to_json(self) -> dict[str, object]:
        """report.json: every figure of the page, in the order the page shows them."""
        return {
            "generated": format_timestamp(self.now),
            "timezone": self.timezone,
            "window": self.window.to_json(),
            "incidents": self.whole.incidents,
            "incidents_by_severity": {s.value: n for s, n in self.whole.by_severity_count.items()},
            "incidents_by_month": self.incidents_by_month,
            "incidents_by_month_category": self.categories_by_month,
            "response_by_quarter": self.response_by_quarter,
            "downtime_by_month": self.downtime_by_month,
            "sla_by_month": {
                c: {m: r.to_json() for m, r in months.items()}
                for c, months in self.sla_by_month.items()
            },
            "categories_ranked": [r.to_json() for r in self.categories_ranked],
            "root_causes_ranked": [r.to_json() for r in self.root_causes_ranked],
            "incidents_without_root_cause": self.without_root_cause,
            "recurring": [r.to_json() for r in self.recurring],
            "postmortems_by_month": self.postmortems_by_month,
            "action_items_by_month": self.action_items_by_month,
            "breaches_by_month": self.breaches_by_month,
            "breaches": _kinds(self.whole),
        }


def report_figures(
    services: Services,
    records: Sequence[LoadedRecord],
    postmortems: Sequence[Loaded[Postmortem]],
    window: Window,
    now: datetime,
) -> Figures:
    """All figures of the report for the incidents that began in the window."""
    chosen = in_range(records, window.start, window.end)
    begins = [began_at(r.model) for r in chosen]

    def part(start: datetime, end: datetime) -> list[Loaded[Incident]]:
        # metrics_report picks the incidents of [start, end) itself; handing it only the run
        # of them (chosen is in time order) changes nothing but the time it takes.
        return chosen[bisect_left(begins, start) : bisect_left(begins, end)]

    def metrics(start: datetime, end: datetime) -> MetricsReport:
        return metrics_report(services, part(start, end), postmortems, start, end, now)

    parts = {b.label: part(b.start, b.end) for b in window.months}
    monthly = {b.label: metrics(b.start, b.end) for b in window.months}
    quarterly = {b.label: metrics(b.start, b.end) for b in window.quarters}
    whole = metrics(window.start, window.end)
    downtime, slas = _uptime(services, records, window, now)
    causes = causes_by_incident(chosen, postmortems)
    return Figures(
        now=now,
        window=window,
        timezone=services.page.timezone,
        whole=whole,
        incidents_by_month={
            m: {s.value: n for s, n in r.by_severity_count.items()} for m, r in monthly.items()
        },
        categories_by_month={
            m: {c.value: n for c, n in r.by_category_count.items()} for m, r in monthly.items()
        },
        response_by_quarter={q: _response(r) for q, r in quarterly.items()},
        downtime_by_month=downtime,
        sla_by_month=slas,
        categories_ranked=ranked({c.value: n for c, n in whole.by_category_count.items()}),
        root_causes_ranked=ranked(_cause_counts(causes)),
        without_root_cause=sum(1 for named in causes.values() if not named),
        recurring=recurring(records, window),
        postmortems_by_month={
            m: postmortem_outcomes(services, r, parts[m], postmortems, now)
            for m, r in monthly.items()
        },
        action_items_by_month=_action_items(postmortems, window, services.page.timezone, now),
        breaches_by_month={m: _kinds(r) for m, r in monthly.items()},
    )


def _kinds(report: MetricsReport) -> dict[str, int]:
    counts = Counter(b.kind for b in report.breaches)
    return {kind: counts[kind] for kind in BREACH_KINDS}


def _response(report: MetricsReport) -> dict[str, dict[str, dict[str, float | int | None]]]:
    """Median and p90 of each measure, overall and by severity, as metrics gives them."""
    groups = {"overall": report.overall, **{s.value: g for s, g in report.by_severity.items()}}
    result: dict[str, dict[str, dict[str, float | int | None]]] = {}
    for name, group in groups.items():
        entry: dict[str, dict[str, float | int | None]] = {}
        for measure in MEASURES:
            stats = group.durations[measure]
            entry[measure] = {"count": stats.count, "median": stats.median, "p90": stats.p90}
        result[name] = entry
    return result


def _uptime(
    services: Services, records: Sequence[LoadedRecord], window: Window, now: datetime
) -> tuple[dict[str, dict[str, float]], dict[str, dict[str, SlaResult]]]:
    """Weighted downtime of every component per month, and the SLA verdicts where there is one."""
    index = index_for(services, records, now)
    months = [b.period for b in window.months]
    downtime: dict[str, dict[str, float]] = {}
    slas: dict[str, dict[str, SlaResult]] = {}
    for component in services.components:
        results = monthly_sla(services, records, component.id, months, now, index=index)
        downtime[component.id] = {r.period.label: r.downtime_seconds for r in results}
        if results and results[0].sla is not None:
            slas[component.id] = {r.period.label: r for r in results}
    return downtime, slas


def ranked(counts: dict[str, int]) -> list[Ranked]:
    """Non-zero counts, largest first (ties in the given order), with running shares."""
    total = sum(counts.values())
    order = sorted((item for item in counts.items() if item[1]), key=lambda i: -i[1])
    result, running = [], 0
    for name, count in order:
        running += count
        result.append(Ranked(name, count, 100 * count / total, 100 * running / total))
    return result


def causes_by_incident(
    chosen: Sequence[Loaded[Incident]], postmortems: Sequence[Loaded[Postmortem]]
) -> dict[str, set[RootCause]]:
    """The root causes named by any postmortem of each incident, linked from either side."""
    by_id = {p.id: p for p in postmortems}
    linked: dict[str, dict[str, Loaded[Postmortem]]] = {}
    for postmortem in postmortems:
        for incident_id in postmortem.model.incidents:
            linked.setdefault(incident_id, {})[postmortem.id] = postmortem
    result = {}
    for record in chosen:
        mine = dict(linked.get(record.id, {}))
        named = record.model.postmortem
        if named is not None and named in by_id:
            mine[named] = by_id[named]
        result[record.id] = {c for p in mine.values() for c in p.model.root_causes}
    return result


def _cause_counts(causes: dict[str, set[RootCause]]) -> dict[str, int]:
    """Incidents naming each root cause (once per incident), in the order of the records."""
    counts = dict.fromkeys((c.value for c in RootCause), 0)
    for named in causes.values():
        for cause in named:
            counts[cause.value] += 1
    return counts


def recurring(records: Sequence[LoadedRecord], window: Window) -> list[Recurring]:
    """Incidents of the window on a component hit by one of the same category shortly before.

    "Shortly" is at most RECURRENCE_DAYS; the look back reaches before the window's start.
    """
    reach = timedelta(days=RECURRENCE_DAYS)
    last: dict[tuple[str, Category], Loaded[Incident]] = {}
    found: list[Recurring] = []
    for record in in_range(records, window.start - reach, window.end):
        began = began_at(record.model)
        for component in dict.fromkeys(i.component for i in record.model.impact):
            key = (component, record.model.category)
            previous = last.get(key)
            if previous is not None and began >= window.start:
                gap = began - began_at(previous.model)
                if gap <= reach:
                    days = gap.total_seconds() / 86_400
                    found.append(Recurring(record.id, component, key[1], previous.id, days))
            last[key] = record
    return found


def postmortem_outcomes(
    services: Services,
    month: MetricsReport,
    incidents: Sequence[Loaded[Incident]],
    postmortems: Sequence[Loaded[Postmortem]],
    now: datetime,
) -> dict[str, int]:
    """The month's resolved incidents whose policy asks for a postmortem, by how it went.

    Late and missing are the month's policy breaches. Of the others, one whose deadline has
    passed was written on time; for one still inside it the policy engine is asked what it
    would say just after the deadline: nothing (written on time) or a breach (still pending).
    """
    assert month.start is not None and month.end is not None
    start, end = month.start, month.end
    kinds = {(b.incident, b.kind) for b in month.breaches}
    counts = dict.fromkeys(POSTMORTEM_OUTCOMES, 0)
    for record in in_range(incidents, start, end):
        policy = services.policies.get(record.model.severity, Policy())
        resolved = resolved_at(record.model)
        if policy.postmortem is None or resolved is None:
            continue
        if (record.id, "late-postmortem") in kinds:
            counts["late"] += 1
        elif (record.id, "missing-postmortem") in kinds:
            counts["missing"] += 1
        elif now - resolved > policy.postmortem:
            counts["on_time"] += 1
        else:
            later = breaches(services, [record], postmortems, resolved + policy.postmortem + _LATER)
            owed = any(b.kind.endswith("-postmortem") for b in later)
            counts["pending" if owed else "on_time"] += 1
    return counts


def _action_items(
    postmortems: Sequence[Loaded[Postmortem]], window: Window, zone: str, now: datetime
) -> dict[str, dict[str, int]]:
    """Action items by the month of their postmortem's date: how many, done now, overdue now."""
    today = local_day(now, zone)
    result = {b.label: dict.fromkeys(ACTION_COUNTS, 0) for b in window.months}
    for postmortem in postmortems:
        moment = start_of_day(postmortem.model.date, zone)
        for bucket in window.months:
            if bucket.start <= moment < bucket.end:
                counts = result[bucket.label]
                for item in postmortem.model.action_items:
                    counts["opened"] += 1
                    counts["done"] += item.is_done
                    counts["overdue"] += item.overdue(today)
                break
    return result


SEVERITIES = tuple(s.value for s in SeverityLevel)
CATEGORIES = tuple(c.value for c in Category)
