"""`statusledger notify --base REF`: tell the channels of services.yaml what a push published."""

from __future__ import annotations

import os
from pathlib import Path

import click

from statusledger.clock import resolve_now


@click.command(name="notify")
@click.option(
    "--base",
    metavar="REF",
    required=True,
    help="Tell of public updates added since the merge base of REF and HEAD (in CI: the "
    "push's before commit).",
)
@click.option("--dry-run", is_flag=True, help="Print every payload and send nothing.")
@click.option(
    "--state",
    "state_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Remember what was sent in FILE, so a second run sends nothing twice.",
)
@click.option(
    "--now", "now_text", metavar="TS", default=None, help="Treat this ISO 8601 timestamp as now."
)
@click.option(
    "--attempts",
    type=click.IntRange(1, 10),
    default=4,
    show_default=True,
    help="Tries per message before a channel is reported as failed.",
)
@click.option(
    "--backoff",
    type=click.FloatRange(0, 60),
    default=2.0,
    show_default=True,
    help="Seconds before the first retry; doubled after each failed try (at most 60).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(0.1, 120),
    default=10.0,
    show_default=True,
    help="Seconds to wait for a server on every request.",
)
@click.pass_obj
def notify(
    obj: object,
    base: str,
    dry_run: bool,
    state_file: Path | None,
    now_text: str | None,
    attempts: int,
    backoff: float,
    timeout: float,
) -> None:
    """Send every public update added since REF to the channels of services.yaml."""
    from statusledger.cli import Env, Failed
    from statusledger.errors import RecordError, Severity
    from statusledger.loading import load_ledger
    from statusledger.notify.dispatch import Options
    from statusledger.notify.dispatch import notify as run
    from statusledger.notify.sending import Retry
    from statusledger.notify.state import SentState

    assert isinstance(obj, Env)
    now = resolve_now(now_text)
    ledger = load_ledger(obj.root)
    errors = [f for f in ledger.findings if f.severity is Severity.ERROR]
    if errors or ledger.services is None:
        raise RecordError(errors)
    state = SentState.load(state_file)
    options = Options(
        dry_run=dry_run,
        retry=Retry(attempts=attempts, backoff=backoff, timeout=timeout),
        environ=dict(os.environ),
    )
    outcome = run(ledger, base, now, state, options, click.echo)
    if not ledger.services.model.notifications:
        click.echo("no notification channels in services.yaml; nothing to send")
    elif outcome.updates == 0:
        click.echo(f"no public update added since {base}; nothing to send")
    else:
        done = "shown, none sent (--dry-run)" if dry_run else "sent"
        summary = (
            f"{outcome.updates} public update(s) since {base}: {outcome.sent} message(s) {done}"
        )
        if outcome.already:
            summary += f", {outcome.already} sent before (--state)"
        click.echo(summary)
    if outcome.failed:
        names = ", ".join(sorted(outcome.failed))
        click.echo(f"notify failed for {len(outcome.failed)} channel(s): {names}", err=True)
        raise Failed(1)
