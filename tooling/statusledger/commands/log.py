"""`statusledger log ID`: the history of one record from Git, commit by commit."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:  # GitPython is imported only when the command runs: every start stays fast
    from statusledger.history import LogEntry, RecordLog


def as_text(story: RecordLog) -> str:
    """Each commit with its author, date, subject and what it changed in the record."""
    out = [f"{story.type} {story.id} ({story.path})"]
    for entry in story.entries:
        out.append("")
        out.append(_heading(entry))
        out.extend(f"    - {change.text}" for change in entry.changes)
        if not entry.changes:
            out.append("    (no change to the record's content)")
    if not story.entries:
        out.append("")
        out.append("no commits yet")
    return "\n".join(out)


def _heading(entry: LogEntry) -> str:
    if entry.commit is None:
        return entry.subject
    return (
        f"commit {entry.commit[:12]}  {entry.date}  {entry.author} <{entry.email}>\n"
        f"    {entry.subject}"
    )


@click.command(name="log")
@click.argument("record_id", metavar="ID")
@click.option(
    "--postmortem", is_flag=True, help="Show the postmortem with this id rather than the incident."
)
@click.option("--reverse", is_flag=True, help="Oldest commit first.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output: text for people, JSON for tools.",
)
@click.pass_obj
def log(obj: object, record_id: str, postmortem: bool, reverse: bool, fmt: str) -> None:
    """The history of one record from Git: who changed what, commit by commit.

    Follows renames, includes uncommitted changes, and finds records deleted since.
    """
    from statusledger.cli import Env
    from statusledger.history import RecordLog, record_log

    assert isinstance(obj, Env)
    story = record_log(obj.root, record_id, postmortem=postmortem)
    if reverse:
        story = RecordLog(story.id, story.type, story.path, story.entries[::-1])
    if fmt == "json":
        click.echo(json.dumps(story.to_json(), indent=2, ensure_ascii=False))
    else:
        click.echo(as_text(story))
