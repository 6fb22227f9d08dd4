"""`statusledger todo`: what is owed, most urgent first (the policy engine's deadlines)."""

from __future__ import annotations

from datetime import datetime

import click

from statusledger.clock import resolve_now
from statusledger.commands.figures import NOW_OPTION, as_json, duration, load_figures, text_or_json
from statusledger.compute.breaches import seconds
from statusledger.compute.todo import Todo, TodoList, todo
from statusledger.records.types import format_timestamp


def _when(item: Todo, now: datetime) -> str:
    if item.deadline is None:
        return "in review" if item.kind == "postmortem-review" else "no deadline"
    left = seconds(item.deadline - now)
    return f"LATE {duration(-left)}" if item.late else f"due in {duration(left)}"


def todo_text(owed: TodoList) -> str:
    """A numbered list, each item with the command or edit that makes it good."""
    stamp = format_timestamp(owed.now)
    if not owed.items:
        return f"nothing owed at {stamp}"
    count = len(owed.items)
    lines = [f"{count} thing{'s' if count != 1 else ''} owed at {stamp}, most urgent first:"]
    width = len(str(count))
    for number, item in enumerate(owed.items, 1):
        severity = item.severity.value if item.severity else "-"
        record = item.incident if item.kind != "postmortem-review" else item.postmortem
        deadline = f", due {format_timestamp(item.deadline)}" if item.deadline else ""
        lines.append("")
        lines.append(
            f"{number:>{width}}. {_when(item, owed.now)}  {severity}  {record}: "
            f"{item.what}{'' if item.action_item else deadline}"
        )
        lines.append(f"{' ' * (width + 2)}{item.do}")
    return "\n".join(lines)


@click.command(name="todo")
@text_or_json("A numbered list for people, or the documented JSON.")
@NOW_OPTION
@click.pass_obj
def todo_command(obj: object, fmt: str, now_text: str | None) -> None:
    """What is owed: late updates and resolves, postmortems, action items, reviews."""
    now = resolve_now(now_text)
    ledger, services = load_figures(obj)
    owed = todo(services, ledger.records, ledger.postmortems, now)
    click.echo(as_json(owed.to_json()) if fmt == "json" else todo_text(owed))
