"""`statusledger validate`: every rule of docs/rules.md over the repository.

It writes nothing in the repository; only its two caches (parse and settled), outside it, unless
STATUSLEDGER_CACHE_DIR=off (tooling/docs/rules.md, "What it writes").
"""

from __future__ import annotations

import sys

import click

from statusledger.clock import resolve_now
from statusledger.validation import Context
from statusledger.validation import validate as run_validation
from statusledger.validation.output import as_github, as_json, as_text
from statusledger.validation.settled import load_settled


@click.command()
@click.option(
    "--base",
    metavar="REF",
    default=None,
    help="Also check that no merged update, incident or postmortem since REF was "
    "deleted or rewritten.",
)
@click.option("--strict", is_flag=True, help="Policy findings fail too (they warn by default).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "github", "json"]),
    default="text",
    show_default=True,
    help="Output: grouped text, GitHub annotations, or JSON.",
)
@click.option(
    "--now", "now_text", metavar="TS", default=None, help="Treat this ISO 8601 timestamp as now."
)
@click.pass_obj
def validate(obj: object, base: str | None, strict: bool, fmt: str, now_text: str | None) -> None:
    """Check every record; exit 0 when valid, 1 when findings fail, 2 on usage errors."""
    from statusledger.cli import Env, Failed

    assert isinstance(obj, Env)
    now = resolve_now(now_text)
    # Records that validated clean before are taken as they were (validation/settled.py).
    ledger, settled = load_settled(obj.root, now)
    context = Context(now=now, strict=strict, base=base)
    report = run_validation(ledger, context)
    if fmt == "json":
        click.echo(as_json(report))
    elif fmt == "github":
        click.echo(as_github(report))
    else:
        click.echo(as_text(report, color=sys.stdout.isatty()))
    # After the output: what this run settled is kept for the next run.
    settled.save(ledger, report)
    if not report.ok:
        raise Failed(1)
