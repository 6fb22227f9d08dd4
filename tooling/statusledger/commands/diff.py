"""`statusledger diff [--base REF]`: what a branch changes on the public page, for reviewers."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:  # GitPython is imported only when the command runs: every start stays fast
    from statusledger.history import FileChange

_LABELS = {"added": "New", "deleted": "Deleted", "renamed": "Renamed", "modified": "Changed"}


def _label(change: FileChange) -> str:
    return f"{_LABELS.get(change.status, 'Changed')} {change.type}"


def _escape(text: str) -> str:
    """Keep record text from being read as HTML or code spans in a job summary."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("`", "'")


def as_markdown(found: list[FileChange]) -> str:
    """A section for $GITHUB_STEP_SUMMARY: public changes in full, internal ones counted."""
    public = [c for c in found if c.public]
    internal = len(found) - len(public)
    out = ["### What this changes on the public page", ""]
    if not public:
        out.append("Nothing on the public page changes.")
    for change in public:
        out.append(f"**{_label(change)}** `{change.id}` — {_escape(change.title)}  ")
        out.append(f"<sub>{_escape(change.path)}</sub>")
        out.append("")
        out.extend(f"- {_escape(item.text)}" for item in change.changes)
        out.append("")
    if internal:
        files = "file" if internal == 1 else "files"
        out.append(
            f"_Also {internal} internal {files} changed (internal records, unpublished "
            "postmortems); they never reach the page._"
        )
    return "\n".join(out).rstrip() + "\n"


def as_text(found: list[FileChange]) -> str:
    """The same for a terminal: one block per changed file, public ones first."""
    if not found:
        return "no record changed"
    out = []
    for change in sorted(found, key=lambda c: (not c.public, c.path)):
        where = "public" if change.public else "internal"
        out.append(f"{_label(change).lower()} {change.id} ({change.path}, {where})")
        out.extend(f"    - {item.text}" for item in change.changes)
    return "\n".join(out)


@click.command(name="diff")
@click.option(
    "--base",
    metavar="REF",
    default=None,
    help="Compare with the merge base of REF and HEAD (the target branch of a PR). "
    "Default: the upstream of the current branch, else main.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
    help="Output: text, Markdown for a job summary, or JSON.",
)
@click.pass_obj
def diff(obj: object, base: str | None, fmt: str) -> None:
    """What the working tree changes on the public page since REF, record by record."""
    from statusledger.cli import Env
    from statusledger.history import changes, default_base

    assert isinstance(obj, Env)
    if base is None:
        base, why = default_base(obj.root)
        click.echo(f"comparing with {base} ({why}; --base REF to choose)", err=True)
    found = changes(obj.root, base)
    if fmt == "json":
        body = {"base": base, "files": [c.to_json() for c in found]}
        click.echo(json.dumps(body, indent=2, ensure_ascii=False))
    elif fmt == "markdown":
        click.echo(as_markdown(found), nl=False)
    else:
        click.echo(as_text(found))
