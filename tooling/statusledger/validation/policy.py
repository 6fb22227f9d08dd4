"""Rules: policy (docs/rules.md) — the response promises of services.yaml, checked against now.

These findings are about process, not about broken data, so the framework shows them as
warnings unless --strict; here they are returned as errors. Durations are compared as
`now - moment > limit` rather than `moment + limit < now`, so a huge duration in services.yaml
can never overflow a date.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from statusledger.errors import Finding
from statusledger.loading import Ledger, Loaded, LoadedPostmortem
from statusledger.records.models import (
    ActionStatus,
    Incident,
    PostmortemStatus,
    Visibility,
)
from statusledger.records.types import format_duration
from statusledger.validation import Context, Rule

_FINISHED_PUBLIC = {PostmortemStatus.PUBLISHED}
# An internal incident's postmortem must not be published (that would reveal the incident),
# so for those a postmortem that reached review counts as done.
_FINISHED_INTERNAL = {PostmortemStatus.IN_REVIEW, PostmortemStatus.PUBLISHED}


def _finding(where: tuple[str, int, int], rule: str, message: str, hint: str) -> Finding:
    path, line, col = where
    return Finding(path, line, col, rule, message, hint)


def _ago(span: timedelta) -> str:
    """Round a duration for people: '12 days', '5 hours', '40 minutes'."""
    seconds = int(span.total_seconds())
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return f"{seconds} seconds"


def _links(ledger: Ledger) -> tuple[dict[str, LoadedPostmortem], dict[str, list[LoadedPostmortem]]]:
    """Postmortems by id, and by the incident ids they list (built once, not per incident)."""
    by_id: dict[str, LoadedPostmortem] = {}
    listing: dict[str, list[LoadedPostmortem]] = {}
    for postmortem in ledger.postmortems:
        by_id.setdefault(postmortem.id, postmortem)
        for ident in postmortem.model.incidents:
            listing.setdefault(ident, []).append(postmortem)
    return by_id, listing


def _postmortems_of(
    record: Loaded[Incident],
    links: tuple[dict[str, LoadedPostmortem], dict[str, list[LoadedPostmortem]]],
) -> list[LoadedPostmortem]:
    """Postmortems linked either way: named by the incident, or listing it."""
    by_id, listing = links
    found = list(listing.get(record.id, []))
    named = by_id.get(record.model.postmortem) if record.model.postmortem else None
    if named is not None and all(named is not pm for pm in found):
        found.insert(0, named)
    return found


def postmortem_missing(ledger: Ledger, context: Context) -> Iterator[Finding]:
    """Check severe incidents got their postmortem within the policy's `postmortem` time."""
    if ledger.services is None:
        return
    policies = ledger.services.model.policies
    links = _links(ledger)
    for record in ledger.incidents:
        model = record.model
        policy = policies.get(model.severity)
        if policy is None or policy.postmortem is None or model.is_open:
            continue
        resolved_at = model.timeline.resolved or model.updates[-1].at
        age = context.now - resolved_at
        if age <= policy.postmortem:
            continue
        internal = model.visibility is Visibility.INTERNAL
        finished = _FINISHED_INTERNAL if internal else _FINISHED_PUBLIC
        linked = _postmortems_of(record, links)
        if any(pm.model.status in finished for pm in linked):
            continue
        yield _finding(
            record.at("postmortem") if model.postmortem else record.at("severity"),
            "policy/postmortem-missing",
            f"{model.severity.value} incident resolved {_ago(age)} ago has no "
            f"{'finished' if internal else 'published'} postmortem "
            f"(policy: within {format_duration(policy.postmortem)})",
            _postmortem_hint(record, linked, internal),
        )


def _postmortem_hint(
    record: Loaded[Incident], linked: list[LoadedPostmortem], internal: bool
) -> str:
    if not linked:
        return f"write it: 'statusledger new postmortem {record.id}'"
    pm = linked[0]
    target = "in_review (it stays internal, like its incident)" if internal else "published"
    return f"finish {pm.path} (now '{pm.model.status.value}') and set status: {target}"


def update_overdue(ledger: Ledger, context: Context) -> Iterator[Finding]:
    """Check open incidents are updated at least every `update_every` of their policy."""
    if ledger.services is None:
        return
    policies = ledger.services.model.policies
    for record in ledger.incidents:
        model = record.model
        policy = policies.get(model.severity)
        if policy is None or policy.update_every is None or not model.is_open:
            continue
        index, last = max(enumerate(model.updates), key=lambda pair: pair[1].at)
        silence = context.now - last.at
        if silence <= policy.update_every:
            continue
        yield _finding(
            record.at("updates", index, "at"),
            "policy/update-overdue",
            f"open {model.severity.value} incident last updated {_ago(silence)} ago "
            f"(policy: every {format_duration(policy.update_every)})",
            f"post an update: 'statusledger update {record.id} --status S --message M', "
            "or resolve it",
        )


def action_items_overdue(ledger: Ledger, context: Context) -> Iterator[Finding]:
    """Open action items past their due day (in the page's time zone) are promises broken."""
    today = context.today(ledger)
    for postmortem in ledger.postmortems:
        for index, item in enumerate(postmortem.model.action_items):
            if item.due is None or item.status not in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS):
                continue
            if item.due >= today:
                continue
            yield _finding(
                postmortem.at("action_items", index, "due"),
                "policy/action-item-overdue",
                f"action item {item.id} ('{item.title}') was due {item.due.isoformat()} and is "
                f"still {item.status.value}",
                "finish it and set status: done, move its due date, or set status: wont_do",
            )


RULES: list[Rule] = [postmortem_missing, update_overdue, action_items_overdue]
