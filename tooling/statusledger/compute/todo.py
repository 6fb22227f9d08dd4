"""What is owed at `now`, most urgent first: the list behind `statusledger todo`.

Every deadline comes from the policy engine (compute/breaches.py), the same one `validate` warns
with and `metrics` counts breaches by. This module adds what is owed without being late yet (a
postmortem within its policy's time, an action item due within a week), the postmortems waiting
in review, and one order:

1. late on an open incident (update, resolve, acknowledge): customers are waiting now; worst
   severity first, then the longest overdue;
2. late follow-ups (a postmortem, an action item): the longest overdue first;
3. due soon: the nearest deadline first;
4. postmortems in review: the oldest first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from statusledger.compute.breaches import DUTY_KINDS, Duty, duties, seconds
from statusledger.compute.periods import local_day
from statusledger.loading import Loaded, LoadedRecord
from statusledger.records.models import (
    Incident,
    Postmortem,
    PostmortemStatus,
    Services,
    SeverityLevel,
    Visibility,
)
from statusledger.records.types import format_duration, format_timestamp

ACTION_ITEM_HORIZON = timedelta(days=7)
_SEVERITY_ORDER = list(SeverityLevel)
_NEVER = datetime.max.replace(tzinfo=UTC)
_LIVE = ("acknowledge", "resolve", "update")
# What is owed but not late yet, by duty kind.
_DUE_KINDS = {"postmortem": "postmortem-due", "action-item": "action-item-due"}


@dataclass(frozen=True)
class Todo:
    """One thing owed, and what to run or edit to make it good.

    `kind` is a breach kind of the engine when late, else `postmortem-due`, `action-item-due`
    or `postmortem-review`; `deadline` is None for a review (no policy sets one) or a deadline
    beyond what a date can hold.
    """

    kind: str
    late: bool
    incident: str | None
    title: str
    severity: SeverityLevel | None
    deadline: datetime | None
    allowed: timedelta | None
    what: str
    do: str
    postmortem: str | None = None
    action_item: str | None = None
    owner: str | None = None
    tier: int = 3

    def to_json(self, now: datetime) -> dict[str, object]:
        """The documented JSON shape (tooling/docs/oncall.md)."""
        return {
            "kind": self.kind,
            "late": self.late,
            "incident": self.incident,
            "title": self.title,
            "severity": self.severity.value if self.severity else None,
            "deadline": format_timestamp(self.deadline) if self.deadline else None,
            "overdue_seconds": seconds(now - self.deadline) if self.deadline else None,
            "allowed_seconds": seconds(self.allowed) if self.allowed is not None else None,
            "postmortem": self.postmortem,
            "action_item": self.action_item,
            "owner": self.owner,
            "what": self.what,
            "do": self.do,
        }


@dataclass(frozen=True)
class TodoList:
    """Everything owed at `now`, in order."""

    now: datetime
    items: list[Todo]

    def to_json(self) -> dict[str, object]:
        """The documented JSON shape of `statusledger todo --format json`."""
        return {
            "now": format_timestamp(self.now),
            "items": [item.to_json(self.now) for item in self.items],
        }


def todo(
    services: Services,
    records: Sequence[LoadedRecord],
    postmortems: Sequence[Loaded[Postmortem]],
    now: datetime,
) -> TodoList:
    """Everything owed at `now`, most urgent first (see the module's docstring)."""
    incidents = [r for r in records if isinstance(r.model, Incident)]
    by_id = {r.id: r.model for r in incidents}
    pm_by_id = {p.id: p for p in postmortems}
    horizon = local_day(now + ACTION_ITEM_HORIZON, services.page.timezone)
    items = []
    for duty in duties(services.policies, services.page.timezone, incidents, postmortems, now):
        late = duty.late(now)
        soon = duty.kind == "postmortem" or (duty.due is not None and duty.due <= horizon)
        if late or soon:
            items.append(_item(duty, late, by_id[duty.incident], pm_by_id))
    items += _reviews(postmortems, by_id)
    return TodoList(now, sorted(items, key=_urgency))


def _urgency(item: Todo) -> tuple[object, ...]:
    severity = _SEVERITY_ORDER.index(item.severity) if item.tier == 0 and item.severity else 0
    deadline = item.deadline or _NEVER
    return (item.tier, severity, deadline, item.incident or "", item.postmortem or "", item.kind)


def _item(
    duty: Duty, late: bool, incident: Incident, postmortems: dict[str, Loaded[Postmortem]]
) -> Todo:
    kind = DUTY_KINDS[duty.kind] if late else _DUE_KINDS[duty.kind]
    tier = (0 if duty.kind in _LIVE else 1) if late else 2
    title, what, do = incident.title, _what(duty), _do(duty, postmortems)
    owner = None
    if duty.kind == "action-item":
        postmortem = postmortems[duty.postmortem or ""]
        item = next(i for i in postmortem.model.action_items if i.id == duty.action_item)
        title, owner = item.title, item.owner
        who = f", owner {item.owner}" if item.owner else ""
        what = f"action item {item.id} '{item.title}' of {postmortem.id} (due {item.due}{who})"
        do = f"finish it and set its status: done in {postmortem.path}"
    return Todo(
        kind=kind,
        late=late,
        incident=duty.incident,
        title=title,
        severity=duty.severity,
        deadline=duty.deadline,
        allowed=duty.allowed,
        what=what,
        do=do,
        postmortem=duty.postmortem,
        action_item=duty.action_item,
        owner=owner,
        tier=tier,
    )


def _what(duty: Duty) -> str:
    allowed = format_duration(duty.allowed) if duty.allowed is not None else "?"
    if duty.kind == "update":
        return f"post an update (every {allowed})"
    if duty.kind == "resolve":
        return f"resolve (within {allowed} of the start)"
    if duty.kind == "acknowledge":
        return f"acknowledge (within {allowed})"
    if duty.postmortem:
        return f"finish postmortem {duty.postmortem} (within {allowed} of the resolve)"
    return f"write the postmortem (within {allowed} of the resolve)"


def _do(duty: Duty, postmortems: dict[str, Loaded[Postmortem]]) -> str:
    if duty.kind == "update":
        return f"statusledger update {duty.incident} --status S --message M"
    if duty.kind == "resolve":
        return f"statusledger resolve {duty.incident} --message M"
    if duty.kind == "acknowledge":
        return f"statusledger update {duty.incident} --status identified --message M"
    if duty.postmortem:
        return f"finish {postmortems[duty.postmortem].path} and set status: published"
    return f"statusledger new postmortem {duty.incident}"


def _reviews(
    postmortems: Sequence[Loaded[Postmortem]], incidents: dict[str, Incident]
) -> list[Todo]:
    """Postmortems in review that still have to be published.

    One whose incidents are all internal is finished in review (publishing would reveal them).
    """
    found = []
    ordered = sorted(postmortems, key=lambda p: (p.model.date, p.id))
    for postmortem in ordered:
        model = postmortem.model
        if model.status is not PostmortemStatus.IN_REVIEW:
            continue
        linked = [incidents[i] for i in model.incidents if i in incidents]
        if linked and all(i.visibility is Visibility.INTERNAL for i in linked):
            continue
        worst = min((i.severity for i in linked), key=_SEVERITY_ORDER.index, default=None)
        found.append(
            Todo(
                kind="postmortem-review",
                late=False,
                incident=model.incidents[0],
                title=model.title,
                severity=worst,
                deadline=None,
                allowed=None,
                what=f"review postmortem {postmortem.id}, dated {model.date}",
                do=f"review {postmortem.path} and set status: published",
                postmortem=postmortem.id,
                tier=3,
            )
        )
    return found
