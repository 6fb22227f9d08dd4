"""`statusledger uptime`: uptime per component per day, what the status page's bars show.

Also holds the few helpers the figure commands (uptime, sla, metrics) share: loading the
records they need, reading day options, and writing percentages and durations for people.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import click

from statusledger.clock import resolve_now
from statusledger.commands.figures import (
    NOW_OPTION,
    as_json,
    day_option,
    day_span,
    load_figures,
    percent,
    table,
)
from statusledger.compute.periods import Period, instant_range
from statusledger.compute.uptime import DayUptime, UptimeIndex


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
                        "worst": bar.worst.value if bar.worst else None,
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
