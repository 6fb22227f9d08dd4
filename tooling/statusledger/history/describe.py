"""What changed between two versions of one record file, in words a reviewer reads.

`diff` and `log` show these; the guard and `appended` (notify) share `align`, which pairs the
updates of two versions by content, so all of them agree on what was added, inserted,
rewritten or deleted.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from difflib import SequenceMatcher
from typing import Any

from statusledger.history.versions import Model, Record, Update
from statusledger.records.models import (
    Correction,
    Impact,
    Incident,
    Maintenance,
    Postmortem,
    PostmortemStatus,
    Services,
    Timeline,
)
from statusledger.records.types import format_timestamp


@dataclass(frozen=True)
class Change:
    """One thing that changed in a record, in words, with a stable `kind` for tools."""

    kind: str
    text: str

    def to_json(self) -> dict[str, str]:
        """The documented JSON shape of a change."""
        return {"kind": self.kind, "text": self.text}


def describe(old: Model | None, new: Model | None) -> list[Change]:
    """Say what changed between two versions of one file's model (None: absent)."""
    if new is None:
        return [Change("deleted", "deleted")] if old is not None else []
    if isinstance(new, Incident | Maintenance):
        prior = old if isinstance(old, Incident | Maintenance) else None
        return _describe_record(prior, new)
    if isinstance(new, Postmortem):
        return _describe_postmortem(old if isinstance(old, Postmortem) else None, new)
    return _describe_services(old if isinstance(old, Services) else None, new)


def clip(text: str, width: int = 100) -> str:
    """`text` on one line, cut to `width` characters: change texts stay one short line each."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def ts(moment: datetime | None) -> str:
    """A timestamp as records write it, or a dash for none (an open end)."""
    return format_timestamp(moment) if moment else "—"


def _describe_record(old: Record | None, new: Record) -> list[Change]:
    out = [_created(new)] if old is None else _record_fields(old, new)
    if isinstance(new, Incident):
        out.extend(_incident_changes(old if isinstance(old, Incident) else None, new))
    else:
        out.extend(_maintenance_changes(old if isinstance(old, Maintenance) else None, new))
    out.extend(_update_changes(old.updates if old else [], new.updates))
    if old is not None and old.status.value != new.status.value:
        out.append(Change("status-changed", f"status {old.status.value} → {new.status.value}"))
    out.extend(_correction_changes(old.corrections if old else [], new.corrections))
    return out


def _created(new: Record) -> Change:
    what = (
        f"{new.severity.value} incident"
        if isinstance(new, Incident)
        else f"maintenance {ts(new.window.start)} – {ts(new.window.end)}"
    )
    return Change("created", f"created: {what} '{new.title}' ({new.visibility.value})")


def _record_fields(old: Record, new: Record) -> list[Change]:
    out = _field_changes(old, new, ("title", "visibility"))
    if type(old) is not type(new):
        out.append(Change("kind-changed", f"kind {old.kind} → {new.kind}"))
    return out


def _incident_changes(before: Incident | None, new: Incident) -> list[Change]:
    """Severity, impacts, milestones, the postmortem (`before`: None if new or the kind changed)."""
    out = _field_changes(before, new, ("severity", "category")) if before is not None else []
    out.extend(_impact_changes(before.impact if before else [], new.impact))
    out.extend(_milestone_changes(before.timeline if before else Timeline(), new.timeline))
    if new.postmortem and (before is None or before.postmortem != new.postmortem):
        out.append(Change("postmortem-linked", f"postmortem linked: {new.postmortem}"))
    return out


def _maintenance_changes(prior: Maintenance | None, new: Maintenance) -> list[Change]:
    """The window and components (`prior`: None if new or the kind changed)."""
    if prior is None:
        return []
    out = []
    if prior.window != new.window:
        out.append(
            Change(
                "window-changed",
                f"window {ts(prior.window.start)} – "
                f"{ts(prior.window.end)} → {ts(new.window.start)} – "
                f"{ts(new.window.end)}",
            )
        )
    if prior.components != new.components:
        out.append(
            Change(
                "components-changed",
                f"components {', '.join(prior.components)} → {', '.join(new.components)}",
            )
        )
    return out


def _field_changes(old: Any, new: Any, names: Sequence[str]) -> list[Change]:
    out = []
    for name in names:
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            show = [getattr(v, "value", v) for v in (before, after)]
            out.append(Change(f"{name}-changed", f"{name} '{show[0]}' → '{show[1]}'"))
    return out


def _impact_changes(old: Sequence[Impact], new: Sequence[Impact]) -> list[Change]:
    """Impacts are matched by (component, from): closing one is a change of `to` only."""
    before = {(i.component, i.from_): i for i in old}
    out: list[Change] = []
    for impact in new:
        prior = before.pop((impact.component, impact.from_), None)
        where = f"{impact.component} {impact.level.value}"
        if prior is None:
            until = f" to {ts(impact.to)}" if impact.to else ""
            out.append(
                Change("impact-opened", f"impact opened: {where} from {ts(impact.from_)}{until}")
            )
            continue
        if prior.level != impact.level:
            out.append(
                Change(
                    "impact-changed",
                    f"impact on {impact.component}: {prior.level.value} → {impact.level.value}",
                )
            )
        if prior.to is None and impact.to is not None:
            out.append(Change("impact-closed", f"impact closed: {where} at {ts(impact.to)}"))
        elif prior.to is not None and impact.to is None:
            out.append(Change("impact-reopened", f"impact reopened: {where}"))
        elif prior.to != impact.to:
            out.append(
                Change(
                    "impact-changed",
                    f"impact on {impact.component} ends {ts(prior.to)} → {ts(impact.to)}",
                )
            )
    for impact in before.values():
        out.append(
            Change(
                "impact-removed",
                f"impact removed: {impact.component} {impact.level.value} from {ts(impact.from_)}",
            )
        )
    return out


def _milestone_changes(old: Timeline, new: Timeline) -> list[Change]:
    out = []
    for name in type(new).model_fields:
        before, after = getattr(old, name), getattr(new, name)
        if before == after:
            continue
        if before is None:
            out.append(Change("milestone-set", f"milestone set: {name} {ts(after)}"))
        elif after is None:
            out.append(Change("milestone-cleared", f"milestone cleared: {name}"))
        else:
            out.append(Change("milestone-changed", f"milestone {name} {ts(before)} → {ts(after)}"))
    return out


def _update_key(update: Update) -> tuple[datetime, str, str]:
    return update.at, update.status.value, update.message


def _update_text(update: Update) -> str:
    return f"{ts(update.at)} {update.status.value}: {clip(update.message)}"


def _update_changes(old: Sequence[Update], new: Sequence[Update]) -> list[Change]:
    out = []
    for tag, i, j in align(old, new):
        if tag == "added":
            out.append(Change("update-added", f"update added: {_update_text(new[j])}"))
        elif tag == "inserted":
            out.append(Change("update-inserted", f"update inserted: {_update_text(new[j])}"))
        elif tag == "changed":
            out.append(Change("update-changed", f"updates[{i}] rewritten: {_update_text(new[j])}"))
        else:
            out.append(Change("update-deleted", f"updates[{i}] deleted: {_update_text(old[i])}"))
    return out


def align(old: Sequence[Update], new: Sequence[Update]) -> Iterator[tuple[str, int, int]]:
    """Pair the updates of two versions: (tag, old index, new index) for every difference.

    Tags: added (after every merged update), inserted (before one), changed, deleted. Alignment
    is by content, so deleting one update is not mistaken for rewriting every later one.
    """
    a, b = [_update_key(u) for u in old], [_update_key(u) for u in new]
    for tag, i1, i2, j1, j2 in SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        paired = min(i2 - i1, j2 - j1)
        for k in range(paired):
            yield "changed", i1 + k, j1 + k
        for i in range(i1 + paired, i2):
            yield "deleted", i, -1
        extra = "added" if i2 == len(a) else "inserted"
        for j in range(j1 + paired, j2):
            yield extra, -1, j


def _correction_changes(old: Sequence[Correction], new: Sequence[Correction]) -> list[Change]:
    return [
        Change("correction-added", f"correction: {clip(c.what)} — {clip(c.why)}")
        for c in new
        if c not in old
    ]


def _describe_postmortem(old: Postmortem | None, new: Postmortem) -> list[Change]:
    out: list[Change] = []
    if old is None:
        out.append(Change("created", f"created: postmortem '{new.title}' ({new.status.value})"))
    else:
        out.extend(_field_changes(old, new, ("title", "summary")))
        if old.status != new.status:
            kind = "published" if new.status is PostmortemStatus.PUBLISHED else "status-changed"
            out.append(Change(kind, f"status {old.status.value} → {new.status.value}"))
    before = {item.id: item for item in (old.action_items if old else [])}
    for item in new.action_items:
        prior = before.pop(item.id, None)
        if prior is None:
            out.append(
                Change(
                    "action-item-added",
                    f"action item {item.id} added: {clip(item.title)} ({item.status.value})",
                )
            )
        elif prior.status != item.status:
            out.append(
                Change(
                    "action-item-changed",
                    f"action item {item.id} {prior.status.value} → {item.status.value}",
                )
            )
    for item in before.values():
        out.append(Change("action-item-removed", f"action item {item.id} removed"))
    out.extend(_correction_changes(old.corrections if old else [], new.corrections))
    return out


def _describe_services(old: Services | None, new: Services) -> list[Change]:
    if old is None:
        return [
            Change(
                "created", f"created: page '{new.page.name}' with {len(new.components)} components"
            )
        ]
    out = _field_changes(old.page, new.page, ("name", "url", "timezone", "language"))
    before = {c.id: c for c in old.components}
    for component in new.components:
        prior = before.pop(component.id, None)
        if prior is None:
            out.append(
                Change("component-added", f"component added: {component.id} '{component.name}'")
            )
        elif prior.name != component.name:
            out.append(
                Change(
                    "component-renamed",
                    f"component {component.id} '{prior.name}' → '{component.name}'",
                )
            )
    for component in before.values():
        out.append(Change("component-removed", f"component removed: {component.id}"))
    for sla_id, sla in new.slas.items():
        prior_sla = old.slas.get(sla_id)
        if prior_sla is not None and prior_sla.target != sla.target:
            out.append(
                Change("sla-changed", f"SLA {sla_id} target {prior_sla.target} → {sla.target}")
            )
    return out
