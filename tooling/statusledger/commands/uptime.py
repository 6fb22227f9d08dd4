"""`statusledger uptime`: uptime per component per day, what the status page's bars show.

Also holds the few helpers the figure commands (uptime, sla, metrics) share: loading the
records they need, reading day options, and writing percentages and durations for people.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from decimal import ROUND_FLOOR, Decimal

import click

from statusledger.clock import resolve_now
from statusledger.compute.periods import Period, instant_range
from statusledger.compute.uptime import DayUptime, UptimeIndex
from statusledger.errors import RecordError, UsageError
from statusledger.loading import Ledger, load_ledger
from statusledger.records.models import Services
from statusledger.records.types import parse_day

NOW_OPTION = click.option(
    "--now", "now_text", metavar="TS", default=None, help="Treat this ISO 8601 timestamp as now."
)


def load_figures(obj: object) -> tuple[Ledger, Services]:
    """Load every record for a figure command; any record that does not load stops it.

    Figures computed while a record is silently missing would be wrong without anyone noticing,
    so load problems end the command (exit 1) naming the file; `statusledger validate` lists all.
    """
    from statusledger.cli import Env

    assert isinstance(obj, Env)
    ledger = load_ledger(obj.root)
    if ledger.findings or ledger.services is None:
        raise RecordError(ledger.findings)
    return ledger, ledger.services.model


def day_option(name: str, text: str | None) -> date | None:
    """Read a --from/--to day; a bad one is a usage error (exit 2)."""
    if text is None:
        return None
    try:
        return parse_day(text)
    except ValueError:
        raise UsageError(f"{name}: expected a day written as YYYY-MM-DD, got {text!r}") from None


def day_span(first: date, last: date) -> Period:
    """The days first..last, both included; the wrong way round is a usage error."""
    if last < first:
        raise UsageError(f"--to {last} is before --from {first}")
    return Period(first, date.fromordinal(last.toordinal() + 1), f"{first}..{last}")


def percent(value: float | None) -> str:
    """A percentage for people: three decimals, cut (never rounded up to look better)."""
    if value is None:
        return "-"
    if value == 100:
        return "100"
    return str(Decimal(repr(value)).quantize(Decimal("0.001"), rounding=ROUND_FLOOR))


def duration(seconds: float | None) -> str:
    """A duration for people in at most three units (1d2h5m, 43m12s); negative if overspent."""
    if seconds is None:
        return "-"
    total = round(seconds)
    sign = "-" if total < 0 else ""
    total = abs(total)
    parts = []
    for unit, size in (("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)):
        count, total = divmod(total, size)
        if count:
            parts.append(f"{count}{unit}")
    return sign + ("".join(parts[:3]) or "0s")


def table(rows: Sequence[Sequence[str]], right: frozenset[int] = frozenset()) -> str:
    """Align text columns (columns in `right` to the right) with two spaces between them."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def as_json(data: object) -> str:
    """JSON as every figure command prints it: two-space indent, keys in documented order."""
    return json.dumps(data, indent=2, ensure_ascii=False)


def uptime_json(bars: dict[str, list[DayUptime]]) -> dict[str, object]:
    """The documented JSON shape of `statusledger uptime --format json`."""
    return {
        "components": {
            component_id: {
                "days": [
                    {
                        "date": bar.date.isoformat(),
                        "uptime": bar.uptime,
                        "downtime_seconds": bar.downtime_seconds,
                    }
                    for bar in days
                ]
            }
            for component_id, days in bars.items()
        }
    }


def uptime_text(index: UptimeIndex, bars: dict[str, list[DayUptime]], span: Period) -> str:
    """Days down, components across, and the whole range on the last line."""
    ids = list(bars)
    rows = [["day", *ids]]
    days = span.days()
    for position, day in enumerate(days):
        rows.append([day.isoformat(), *(percent(bars[c][position].uptime) for c in ids)])
    start, end = instant_range(span, index.zone)
    rows.append(["all", *(percent(index.measure(c, start, end).uptime_percent) for c in ids)])
    return table(rows, right=frozenset(range(1, len(ids) + 1)))


def select(index: UptimeIndex, chosen: Sequence[str]) -> list[str]:
    """The components asked for (all when none), each checked to exist."""
    for component_id in chosen:
        index.component(component_id)
    return list(dict.fromkeys(chosen)) or index.component_ids


@click.command(name="uptime")
@click.option(
    "--component",
    "components",
    metavar="ID",
    multiple=True,
    help="Only this component (repeatable). Default: every component.",
)
@click.option("--from", "from_text", metavar="DAY", required=True, help="First day (YYYY-MM-DD).")
@click.option("--to", "to_text", metavar="DAY", required=True, help="Last day, included.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="A table for people, or the documented JSON.",
)
@NOW_OPTION
@click.pass_obj
def uptime(
    obj: object,
    components: tuple[str, ...],
    from_text: str,
    to_text: str,
    fmt: str,
    now_text: str | None,
) -> None:
    """Uptime per component per day (what the bars show), days cut in page.timezone."""
    first, last = day_option("--from", from_text), day_option("--to", to_text)
    assert first is not None and last is not None
    span = day_span(first, last)
    now: datetime = resolve_now(now_text)
    ledger, services = load_figures(obj)
    index = UptimeIndex(services, ledger.records, now)
    days = span.days()
    bars = {c: index.days(c, days) for c in select(index, components)}
    click.echo(as_json(uptime_json(bars)) if fmt == "json" else uptime_text(index, bars, span))
