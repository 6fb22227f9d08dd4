"""The ICPE'25 LLM-service outage data as statusledger records, to check uptime against a paper.

Source: /work/shared/data/icpe25 (see SOURCES.md there; not copied into the project). The paper
("An Empirical Characterization of Outages and Incidents in Public Services for Large Language
Models", ICPE 2025) scraped the 90-day uptime bars of three Statuspage pages: per service and
day, minutes of partial and of major outage. Its availability table uses, per service-day,

    availability = 100 × (1 − (major + 0.3 × partial) / 1440)

which is our uptime with weights major 1.0 / partial 0.3, provided the partial and major
minutes of a day do not overlap. Statuspage counts each minute once, under its worst status, so
they do not: here each outage day becomes one incident whose major impact starts at 00:00 UTC
and lasts the major minutes, followed by a partial impact lasting the partial minutes (never
more than 1440 minutes together in the data). Days are UTC days; each service is a component
whose `since` is its first day in the data, and every day of the data is a day the paper counted.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction
from pathlib import Path

from statusledger.loading import LoadedRecord, load_record_text, load_services_text
from statusledger.records.models import Services
from statusledger.records.types import format_timestamp

# Service name in the CSV -> (component id, name in the paper's table).
SERVICES = {
    "api": ("api", "API-OpenAI"),
    "chatgpt": ("chatgpt", "ChatGPT"),
    "labs": ("labs", "DALL·E"),
    "playground": ("playground", "Playground"),
    "api.anthropic.com": ("api-anthropic-com", "API-Anthropic"),
    "claude.ai": ("claude-ai", "Claude"),
    "console.anthropic.com": ("console-anthropic-com", "Console"),
    "character.ai": ("character-ai", "Character.AI"),
}


@dataclass(frozen=True)
class Row:
    """One service-day of outage_unexploded.csv."""

    component: str
    day: date
    partial_minutes: int
    major_minutes: int


# The columns of table-service_availability.csv: statistics of the daily availability of one
# service over every day of the data ("=100%" etc.: share of days at that availability).
COLUMNS = (
    "Min",
    "Max",
    "Mean",
    "Median",
    "=100%",
    ">=99.999%",
    ">=99.99%",
    ">=99.9%",
    ">=99%",
    ">=90%",
    "<90%",
)


def read_rows(folder: Path) -> list[Row]:
    """Every service-day of the outage data."""
    with (folder / "outage_unexploded.csv").open(encoding="utf-8", newline="") as handle:
        return [
            Row(
                SERVICES[r["Service"]][0],
                date.fromisoformat(r["Date"]),
                int(r["partial_outage_minutes"]),
                int(r["major_outage_minutes"]),
            )
            for r in csv.DictReader(handle)
        ]


def read_paper(folder: Path) -> dict[str, dict[str, str]]:
    """The paper's availability table per component id, as printed ("80.57%")."""
    by_name = {name: component for component, name in SERVICES.values()}
    path = folder / "expected_tables" / "table-service_availability.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return {
            by_name[r["Service"]]: {column: r[column] for column in COLUMNS}
            for r in csv.DictReader(handle)
        }


def table_row(uptimes: Sequence[Fraction]) -> dict[str, float]:
    """The paper's columns computed from exact daily uptimes (percent)."""
    n = len(uptimes)

    def share(test: Callable[[Fraction], bool]) -> float:
        return 100 * sum(1 for u in uptimes if test(u)) / n

    ordered = sorted(uptimes)
    middle = n // 2
    median = ordered[middle] if n % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    return {
        "Min": float(ordered[0]),
        "Max": float(ordered[-1]),
        "Mean": float(sum(uptimes, Fraction(0)) / n),
        "Median": float(median),
        "=100%": share(lambda u: u == 100),
        ">=99.999%": share(lambda u: u >= Fraction("99.999")),
        ">=99.99%": share(lambda u: u >= Fraction("99.99")),
        ">=99.9%": share(lambda u: u >= Fraction("99.9")),
        ">=99%": share(lambda u: u >= 99),
        ">=90%": share(lambda u: u >= 90),
        "<90%": share(lambda u: u < 90),
    }


def printed(value: float) -> str:
    """As the paper prints: two decimals, rounded half to even (numpy), with a % sign."""
    return f"{round(value, 2)}%"


def services_yaml(rows: Sequence[Row]) -> str:
    """services.yaml: a UTC page, one component per service, weights 1.0 / 0.3 / 0.0."""
    first: dict[str, date] = {}
    for row in rows:
        first[row.component] = min(first.get(row.component, row.day), row.day)
    lines = [
        "page:",
        "  name: LLM services (ICPE'25)",
        "  url: https://status.example.com",
        "  timezone: UTC",
        "components:",
    ]
    for component, _ in SERVICES.values():
        lines += [
            f"  - id: {component}",
            f"    name: {component}",
            "    sla: paper",
            f"    since: {first[component].isoformat()}",
        ]
    lines += [
        "slas:",
        "  paper:",
        "    target: 99.9",
        "    window: month",
        "    weights: {major_outage: 1.0, partial_outage: 0.3, degraded_performance: 0.0}",
        "    exclude_maintenance: true",
    ]
    return "\n".join(lines) + "\n"


def record_yaml(row: Row) -> str:
    """One resolved incident for an outage day: major minutes from 00:00, then partial ones."""
    midnight = datetime(row.day.year, row.day.month, row.day.day, tzinfo=UTC)
    major_end = midnight + timedelta(minutes=row.major_minutes)
    partial_end = major_end + timedelta(minutes=row.partial_minutes)
    lines = [
        f"title: Outage of {row.component}",
        "kind: incident",
        "severity: sev3",
        "category: outage",
        "impact:",
    ]
    for level, start, end in (
        ("major_outage", midnight, major_end),
        ("partial_outage", major_end, partial_end),
    ):
        if end > start:
            lines += [
                f"  - component: {row.component}",
                f"    level: {level}",
                f"    from: {format_timestamp(start)}",
                f"    to: {format_timestamp(end)}",
            ]
    lines += [
        "updates:",
        f"  - at: {format_timestamp(partial_end)}",
        "    status: resolved",
        "    message: Recorded from the public uptime bars.",
    ]
    return "\n".join(lines) + "\n"


def record_files(rows: Sequence[Row]) -> dict[str, str]:
    """{relative path: text} of services.yaml and one incident per day with any outage."""
    files = {"services.yaml": services_yaml(rows)}
    for row in rows:
        if row.partial_minutes or row.major_minutes:
            record_id = f"{row.day.isoformat()}-{row.component}"
            files[f"incidents/{row.day.year}/{record_id}.yaml"] = record_yaml(row)
    return files


def load(rows: Sequence[Row]) -> tuple[Services, list[LoadedRecord]]:
    """The records of `rows`, loaded in memory through the real loader."""
    files = record_files(rows)
    services = load_services_text(files.pop("services.yaml"), "services.yaml")
    assert not isinstance(services, list), services
    records = []
    for rel, text in files.items():
        loaded = load_record_text(text, rel)
        assert not isinstance(loaded, list), loaded
        records.append(loaded)
    return services.model, records


def days_by_component(rows: Sequence[Row]) -> dict[str, list[date]]:
    """The days the paper counted, per component, in order."""
    result: dict[str, list[date]] = {}
    for row in rows:
        result.setdefault(row.component, []).append(row.day)
    return {component: sorted(days) for component, days in result.items()}
