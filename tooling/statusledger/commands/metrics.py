"""`statusledger metrics`: MTTD, MTTA, MTTM, MTTR and response-policy breaches."""

from __future__ import annotations

import click

from statusledger.clock import resolve_now
from statusledger.commands.figures import (
    NOW_OPTION,
    as_json,
    day_option,
    day_span,
    duration,
    load_figures,
    table,
)
from statusledger.compute.metrics import Group, MetricsReport, metrics_report
from statusledger.compute.periods import instant_range, start_of_day
from statusledger.records.types import format_timestamp

_NAMES = {"ttd": "detect", "tta": "acknowledge", "ttm": "mitigate", "ttr": "resolve"}


def _response_rows(label: str, group: Group) -> list[list[str]]:
    rows = []
    for name, stats in group.durations.items():
        rows.append(
            [
                label if name == "ttd" else "",
                f"time to {_NAMES[name]}",
                str(stats.count),
                str(stats.missing),
                duration(stats.mean),
                duration(stats.median),
                duration(stats.p90),
            ]
        )
    return rows


def metrics_text(report: MetricsReport) -> str:
    """Sections for people: counts, response times, recurrence, breaches."""
    since = format_timestamp(report.start) if report.start else "the first record"
    until = format_timestamp(report.end) if report.end else "now"
    plural = "" if report.incidents == 1 else "s"
    parts = [f"{report.incidents} incident{plural} from {since} to {until}"]
    counts = [f"{s.value}: {n}" for s, n in report.by_severity_count.items()]
    parts.append("by severity: " + ", ".join(counts))
    categories = [f"{c.value}: {n}" for c, n in report.by_category_count.items() if n]
    parts.append("by category: " + (", ".join(categories) or "none"))
    rows = [["", "", "count", "missing", "mean", "median", "p90"]]
    rows += _response_rows("overall", report.overall)
    for severity, group in report.by_severity.items():
        if group.incidents:
            rows += _response_rows(severity.value, group)
    for component, group in report.by_component.items():
        if group.incidents:
            rows += _response_rows(component, group)
    parts.append(table(rows, right=frozenset({2, 3, 4, 5, 6})))
    recurrence = [
        f"  {r.component}: {r.count} × {r.category.value} ({', '.join(r.incident_ids)})"
        for r in report.recurrence
    ]
    parts.append("recurrence:\n" + ("\n".join(recurrence) or "  none"))
    breaches = [["incident", "severity", "breach", "allowed", "actual", "detail"]]
    for b in report.breaches:
        detail = b.postmortem or ""
        if b.action_item:
            detail = f"{b.postmortem} {b.action_item} due {b.due}"
        breaches.append(
            [
                b.incident,
                b.severity.value,
                b.kind,
                duration(b.allowed_seconds),
                duration(b.actual_seconds),
                detail,
            ]
        )
    if len(breaches) > 1:
        parts.append(f"{len(breaches) - 1} policy breaches:\n" + table(breaches))
    else:
        parts.append("policy breaches: none")
    return "\n\n".join(parts)


@click.command(name="metrics")
@click.option(
    "--from",
    "from_text",
    metavar="DAY",
    default=None,
    help="Only incidents that started on or after this day (page.timezone).",
)
@click.option(
    "--to",
    "to_text",
    metavar="DAY",
    default=None,
    help="Only incidents that started on or before this day, included.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Sections for people, or the documented JSON.",
)
@NOW_OPTION
@click.pass_obj
def metrics(
    obj: object, from_text: str | None, to_text: str | None, fmt: str, now_text: str | None
) -> None:
    """Response metrics (MTTD, MTTA, MTTM, MTTR: mean, median, p90) and policy breaches."""
    first, last = day_option("--from", from_text), day_option("--to", to_text)
    now = resolve_now(now_text)
    ledger, services = load_figures(obj)
    zone = services.page.timezone
    start = start_of_day(first, zone) if first else None
    end = None
    if last is not None:
        end = instant_range(day_span(first or last, last), zone)[1]
    report = metrics_report(services, ledger.records, ledger.postmortems, start, end, now)
    click.echo(as_json(report.to_json()) if fmt == "json" else metrics_text(report))
