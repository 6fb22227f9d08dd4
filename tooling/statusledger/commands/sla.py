"""`statusledger sla`: per component, uptime against target, error budget and credit owed."""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal

import click

from statusledger.clock import in_range, resolve_now
from statusledger.commands.figures import (
    NOW_OPTION,
    as_json,
    duration,
    load_figures,
    percent,
    table,
)
from statusledger.compute.periods import parse_period
from statusledger.compute.sla import SlaReport, SlaResult, sla_report

_HEADER = (
    "component",
    "sla",
    "period",
    "target",
    "uptime",
    "met",
    "downtime",
    "budget",
    "budget used",
    "budget left",
    "credit",
)


def _met(result: SlaResult) -> str:
    return "-" if result.met is None else ("yes" if result.met else "NO")


def _credit(result: SlaResult) -> str:
    return "-" if result.credit is None else f"{result.credit:g}%"


def _used(result: SlaResult) -> str:
    """The share of the budget spent, cut to one decimal; 'so far' while the period runs."""
    used = result.budget_used
    if used is None:
        return "-"
    text = str(Decimal(repr(used)).quantize(Decimal("0.1"), rounding=ROUND_FLOOR))
    text = text.removesuffix(".0") + "%"
    return f"{text} so far" if result.current else text


def _cells(result: SlaResult) -> list[str]:
    return [
        result.id,
        result.sla or "-",
        result.period.label,
        f"{result.target:g}%",
        percent(result.uptime) + ("%" if result.uptime is not None else ""),
        _met(result),
        duration(result.downtime_seconds),
        duration(result.budget_seconds),
        _used(result),
        duration(result.budget_left_seconds),
        _credit(result),
    ]


def sla_text(report: SlaReport) -> str:
    """An aligned table, one line per component with an SLA."""
    if not report.components:
        return "no component has an SLA (add 'sla:' to components in services.yaml)"
    rows = [list(_HEADER), *(_cells(r) for r in report.components)]
    return table(rows, right=frozenset({3, 4, 6, 7, 8, 9, 10}))


def sla_markdown(report: SlaReport) -> str:
    """A GitHub-flavoured Markdown table, for job summaries ($GITHUB_STEP_SUMMARY)."""
    shared = report.shared_period
    title = f"### SLA {shared.label}" if shared else "### SLA (current window of each SLA)"
    if not report.components:
        return f"{title}\n\nNo component has an SLA."
    lines = [
        title,
        "",
        "| " + " | ".join(_HEADER) + " |",
        "|"
        + "|".join(["---", "---", "---", "--:", "--:", ":-:", "--:", "--:", "--:", "--:", "--:"])
        + "|",
    ]
    for result in report.components:
        cells = _cells(result)
        cells[0] = f"`{cells[0]}`"
        cells[5] = {"yes": "✅", "NO": "❌"}.get(cells[5], "-")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


@click.command(name="sla")
@click.option(
    "--period",
    metavar="P",
    default=None,
    help="A month (2026-10), quarter (2026-Q4) or year (2026). Default: each SLA's current "
    "window (its month, quarter or year so far).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="A table for people, the documented JSON, or Markdown for CI job summaries.",
)
@NOW_OPTION
@click.pass_obj
def sla(obj: object, period: str | None, fmt: str, now_text: str | None) -> None:
    """SLA compliance per component: uptime, target, met, downtime, error budget, credit.

    For a period not over yet (the default), uptime is over the time elapsed so far and the
    budget is what the whole period allows, of which the share shown is used so far.
    """
    chosen = parse_period(period) if period is not None else None
    if chosen is not None:
        in_range("--period", chosen.start)
    now = resolve_now(now_text)
    ledger, services = load_figures(obj)
    report = sla_report(services, ledger.records, chosen, now)
    if fmt == "json":
        click.echo(as_json(report.to_json()))
    elif fmt == "markdown":
        click.echo(sla_markdown(report))
    else:
        click.echo(sla_text(report))
