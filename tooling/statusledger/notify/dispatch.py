"""Who is sent what, in which order, and what is said about it.

Channels are served one after the other, each with its messages in time order. A message that
fails (after its retries) ends that channel's turn, so a consumer never sees a later update
before an earlier one; what was not sent stays out of the state, and the next run sends it.
One channel failing never stops the others.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from functools import partial

from statusledger.history import appended
from statusledger.loading import Ledger
from statusledger.notify.channels import Channel, ChannelProblem, channels, scrub
from statusledger.notify.events import UpdateEvent, find_events, public_ledger
from statusledger.notify.payloads import Context, Outgoing, messages
from statusledger.notify.sending import Retry, SendError, attempt, post_json, send_mail
from statusledger.notify.state import SentState
from statusledger.records.types import format_timestamp
from statusledger.views import build_view


@dataclass
class Outcome:
    """What a run did: updates found, messages sent (or shown, on a dry run) or sent before."""

    updates: int = 0
    sent: int = 0
    already: int = 0
    failed: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Options:
    """How a run behaves: print instead of send, how hard to try, where secrets come from."""

    dry_run: bool = False
    retry: Retry = field(default_factory=Retry)
    environ: Mapping[str, str] = field(default_factory=dict)
    sleep: Callable[[float], None] = time.sleep


def notify(
    ledger: Ledger,
    base: str,
    now: datetime,
    state: SentState,
    options: Options,
    say: Callable[[str], None],
) -> Outcome:
    """Tell every channel of the public updates added since `base`, as services.yaml asks."""
    assert ledger.services is not None
    events = find_events(ledger, appended(ledger, base), now)
    outcome = Outcome(updates=len(events))
    if not events:
        return outcome
    context = Context.of(build_view(public_ledger(ledger), now, days=1))
    for channel in channels(ledger.services.model, options.environ):
        _serve(channel, events, context, state, options, now, say, outcome)
    return outcome


def _serve(
    channel: Channel,
    events: list[UpdateEvent],
    context: Context,
    state: SentState,
    options: Options,
    now: datetime,
    say: Callable[[str], None],
    outcome: Outcome,
) -> None:
    """One channel's turn: its matching messages not sent before, in order."""
    todo: list[Outgoing] = []
    for event in events:
        if not channel.matches(event):
            continue
        for message in messages(channel.config, event, context):
            if state.has(channel.id, message.key):
                outcome.already += 1
            else:
                todo.append(message)
    if not todo:
        return
    if options.dry_run:
        for message in todo:
            say(_preview(channel, message))
        outcome.sent += len(todo)
        return
    secrets = channel.secrets()
    try:
        url = channel.url()
    except ChannelProblem as problem:
        _failed(channel, str(problem), secrets, say, outcome)
        return
    for message in todo:
        try:
            send = partial(_deliver, channel, url, message, options.retry)
            tries = attempt(send, options.retry, options.sleep)
        except SendError as err:
            _failed(channel, f"{message.label}: {err}", secrets, say, outcome)
            return
        state.add(channel.id, message.key, format_timestamp(now))
        outcome.sent += 1
        again = f" (after {tries} attempts)" if tries > 1 else ""
        say(f"sent {channel.id}: {message.label}{again}")


def _deliver(channel: Channel, url: str, message: Outgoing, retry: Retry) -> None:
    if isinstance(message.body, EmailMessage):
        send_mail(url, message.body, list(channel.config.to), retry.timeout)
    else:
        post_json(url, message.body, retry.timeout)


def _failed(
    channel: Channel, reason: str, secrets: list[str], say: Callable[[str], None], outcome: Outcome
) -> None:
    text = scrub(f"{reason} [{channel.where()}]", secrets)
    outcome.failed[channel.id] = text
    say(f"failed {channel.id}: {text}")


def _preview(channel: Channel, message: Outgoing) -> str:
    """A message as --dry-run prints it: a header line, then the body."""
    head = f"--- {channel.id} ({channel.where()}): {message.label} [id {message.key}]"
    if isinstance(message.body, EmailMessage):
        recipients = ", ".join(channel.config.to)
        body = f"(to {recipients})\n{message.body.as_string()}"
    else:
        body = json.dumps(message.body, indent=2, ensure_ascii=False)
    return scrub(f"{head}\n{body}", channel.secrets())
