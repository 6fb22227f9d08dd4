"""Options, loading and formatting shared by the figure commands (uptime, sla, metrics)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import date
from decimal import ROUND_FLOOR, Decimal
from typing import Any, TypeVar

import click

from statusledger.clock import in_range
from statusledger.compute.periods import Period
from statusledger.errors import RecordError, UsageError
from statusledger.loading import Ledger, load_ledger
from statusledger.records.models import Services
from statusledger.records.types import duration_text, parse_day

F = TypeVar("F", bound=Callable[..., Any])

NOW_OPTION = click.option(
    "--now", "now_text", metavar="TS", default=None, help="Treat this ISO 8601 timestamp as now."
)


def text_or_json(help_text: str) -> Callable[[F], F]:
    """The `--format text|json` option of the figure commands (text for people, JSON for tools)."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(["text", "json"]),
        default="text",
        show_default=True,
        help=help_text,
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
        day = parse_day(text)
    except ValueError:
        raise UsageError(f"{name}: expected a day written as YYYY-MM-DD, got {text!r}") from None
    return in_range(name, day)


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
    return sign + duration_text(abs(total), parts=3)


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
