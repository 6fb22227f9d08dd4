"""Rules: policy (docs/rules.md) — the response promises of services.yaml, checked against now.

What is late comes from the one policy engine (compute/breaches.py, which `todo` and `metrics`
read too); this module only places each late duty in its file and says how to make it good.
These findings are about process, not about broken data, so the framework shows them as
warnings unless --strict; here they are returned as errors. Only what can still be made good is
reported: a target missed and since met stays in `statusledger metrics`, not in every review.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta

from statusledger.compute.breaches import Duty, Judged, duties
from statusledger.errors import Finding
from statusledger.facts import IncidentFacts
from statusledger.loading import Ledger, Loaded
from statusledger.records.models import Incident, Visibility
from statusledger.records.types import format_duration
from statusledger.validation import Context, Rule

Where = tuple[str, int, int]


def _finding(where: Where, rule: str, message: str, hint: str) -> Finding:
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


def response_policy(ledger: Ledger, context: Context) -> Iterator[Finding]:
    """Check every duty of the policies that is late at now: one finding each, in its file."""
    services = ledger.services.model if ledger.services else None
    policies = services.policies if services else {}
    zone = services.page.timezone if services else "UTC"
    # Open incidents are loaded whole (never settled); closed ones may be only their facts.
    whole: dict[str, Loaded[Incident]] = {}
    for record in ledger.incidents:
        whole.setdefault(record.id, record)
    by_path = {record.path: record for record in ledger.incidents}
    facts: dict[str, IncidentFacts] = {}
    judged: list[Judged] = []
    for fact in ledger.facts:
        if isinstance(fact, IncidentFacts):
            facts.setdefault(fact.id, fact)
            judged.append(by_path.get(fact.path, fact))
    for duty in duties(policies, zone, judged, ledger.postmortems, context.now):
        if not duty.late(context.now):
            continue
        if duty.kind == "postmortem":
            yield _postmortem(ledger, facts[duty.incident], duty, context)
        elif duty.kind == "action-item":
            yield _action_item(ledger, duty)
        else:
            yield _OPEN_WRITERS[duty.kind](ledger, whole[duty.incident], duty, context)


def _started_at(record: Loaded[Incident]) -> Where:
    """Where the moment the resolve time counts from is written."""
    model = record.model
    if model.timeline.started is not None:
        return record.at("timeline", "started")
    if model.impact:
        index = min(range(len(model.impact)), key=lambda i: model.impact[i].from_)
        return record.at("impact", index, "from")
    return record.at("updates", 0, "at")


def _acknowledge(ledger: Ledger, record: Loaded[Incident], duty: Duty, context: Context) -> Finding:
    model = record.model
    detected = model.timeline.detected is not None
    assert duty.allowed is not None
    return _finding(
        record.at("timeline", "detected") if detected else _started_at(record),
        "policy/acknowledge-overdue",
        f"open {duty.severity.value} incident not acknowledged {_ago(context.now - duty.since)} "
        f"after it {'was detected' if detected else 'started'} "
        f"(policy: within {format_duration(duty.allowed)})",
        "write when someone took it on as 'acknowledged: TS' under timeline:, or post "
        f"'statusledger update {record.id} --status identified --message M'",
    )


def _resolve(ledger: Ledger, record: Loaded[Incident], duty: Duty, context: Context) -> Finding:
    assert duty.allowed is not None
    return _finding(
        _started_at(record),
        "policy/resolve-overdue",
        f"open {duty.severity.value} incident started {_ago(context.now - duty.since)} ago "
        f"is past its resolve time (policy: within {format_duration(duty.allowed)})",
        f"once it is fixed, 'statusledger resolve {record.id} --message M'; the breach stays in "
        "'statusledger metrics'",
    )


def _update(ledger: Ledger, record: Loaded[Incident], duty: Duty, context: Context) -> Finding:
    model = record.model
    index, _ = max(enumerate(model.updates), key=lambda pair: pair[1].at)
    assert duty.allowed is not None
    return _finding(
        record.at("updates", index, "at"),
        "policy/update-overdue",
        f"open {duty.severity.value} incident last updated {_ago(context.now - duty.since)} ago "
        f"(policy: every {format_duration(duty.allowed)})",
        f"post an update: 'statusledger update {record.id} --status S --message M', or resolve it",
    )


def _postmortem(ledger: Ledger, record: IncidentFacts, duty: Duty, context: Context) -> Finding:
    internal = record.visibility is Visibility.INTERNAL
    assert duty.allowed is not None
    return _finding(
        record.at("postmortem") if record.postmortem else record.at("severity"),
        "policy/postmortem-missing",
        f"{duty.severity.value} incident resolved {_ago(context.now - duty.since)} ago has no "
        f"{'finished' if internal else 'published'} postmortem "
        f"(policy: within {format_duration(duty.allowed)})",
        _postmortem_hint(ledger, record, duty, internal),
    )


def _postmortem_hint(ledger: Ledger, record: IncidentFacts, duty: Duty, internal: bool) -> str:
    draft = ledger.postmortem(duty.postmortem) if duty.postmortem else None
    if draft is None:
        return f"write it: 'statusledger new postmortem {record.id}'"
    target = "in_review (it stays internal, like its incident)" if internal else "published"
    return f"finish {draft.path} (now '{draft.model.status.value}') and set status: {target}"


def _action_item(ledger: Ledger, duty: Duty) -> Finding:
    postmortem = ledger.postmortem(duty.postmortem or "")
    assert postmortem is not None
    items = postmortem.model.action_items
    index = next(i for i, item in enumerate(items) if item.id == duty.action_item)
    item = items[index]
    assert item.due is not None
    return _finding(
        postmortem.at("action_items", index, "due"),
        "policy/action-item-overdue",
        f"action item {item.id} ('{item.title}') was due {item.due.isoformat()} and is "
        f"still {item.status.value}",
        "finish it and set status: done, move its due date, or set status: wont_do",
    )


_Writer = Callable[[Ledger, Loaded[Incident], Duty, Context], Finding]
# What an open incident owes (open incidents are always loaded whole).
_OPEN_WRITERS: dict[str, _Writer] = {
    "acknowledge": _acknowledge,
    "resolve": _resolve,
    "update": _update,
}

RULES: list[Rule] = [response_policy]
