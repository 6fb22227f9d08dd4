"""Re-importing a record that changed at the source: what to add, never what to rewrite.

A record once merged is history (docs/records.md: updates are append-only), and its author may have
improved it by hand. So a re-import only appends: updates the source added after the record's
last one, the impacts and milestones those updates bring, the close of an impact the source
has since ended, and a severity or category that was derived and now derives differently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from statusledger.importers.notes import Notes
from statusledger.loading import LoadedRecord
from statusledger.records.models import MILESTONES, Incident, IncidentStatus, Maintenance
from statusledger.records.types import format_timestamp


@dataclass
class Edits:
    """Changes to one record file, in the terms of yamltext.edit_record."""

    changes: dict[str, Any] = field(default_factory=dict)
    item_changes: list[tuple[str, int, str, Any]] = field(default_factory=list)
    appends: dict[str, list[Any]] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        """Nothing to change."""
        return not (self.changes or self.item_changes or any(self.appends.values()))


def _dump(model: Any) -> Any:
    return model.model_dump(mode="json", by_alias=True, exclude_defaults=True)


def merge_edits(existing: LoadedRecord, model: Incident | Maintenance, notes: Notes) -> Edits:
    """What to add to a record that was imported before and changed at the source since.

    Updates the source added after the record's last update are appended. Only then are the
    impacts, milestones, window and derived severity brought up to date, and only by adding:
    an impact the source has since closed gets its `to`, a milestone still unset is set.
    """
    current = existing.model
    edits = Edits()
    known = {(u.at, u.status, u.message) for u in current.updates}
    last = current.updates[-1].at
    fresh = []
    for update in model.updates:
        if (update.at, update.status, update.message) in known:
            continue
        if update.at >= last:
            fresh.append(update)
        else:
            notes.add(
                "conflict",
                existing.path,
                f"the source has an update at {update.at:%Y-%m-%dT%H:%M:%SZ} that the "
                "record does not (edited at the source?); left as is",
            )
    if not fresh:
        return edits
    edits.appends["updates"] = [_dump(u) for u in fresh]
    if isinstance(current, Incident) and isinstance(model, Incident):
        _merge_incident(current, model, fresh[-1].status is IncidentStatus.RESOLVED, edits)
    elif isinstance(current, Maintenance) and isinstance(model, Maintenance):
        if model.window != current.window:
            edits.changes["window"] = _dump(model.window)
        added = [c for c in model.components if c not in current.components]
        if added:
            edits.appends["components"] = added
    if model.source is not None and model.source != current.source:
        edits.changes["source"] = _dump(model.source)
    return edits


def _merge_incident(current: Incident, model: Incident, resolved: bool, edits: Edits) -> None:
    def key(i: Any) -> tuple[str, str, datetime]:
        return (i.component, i.level.value, i.from_)

    by_key = {key(i): i for i in model.impact}
    resolved_at = model.timeline.resolved
    for index, impact in enumerate(current.impact):
        if impact.to is not None:
            continue
        source = by_key.get(key(impact))
        end = source.to if source is not None and source.to is not None else None
        if end is None and resolved and resolved_at is not None:
            end = max(resolved_at, impact.from_)
        if end is not None:
            edits.item_changes.append(("impact", index, "to", _dump_ts(end)))
    have = {key(i) for i in current.impact}
    edits.appends["impact"] = [_dump(i) for i in model.impact if key(i) not in have]
    timeline = {
        name: _dump_ts(getattr(model.timeline, name))
        for name in MILESTONES
        if getattr(current.timeline, name) is None and getattr(model.timeline, name) is not None
    }
    if timeline:
        edits.changes["timeline"] = timeline
    derived = current.source.derived if current.source else []
    for name in ("severity", "category"):
        if name in derived and getattr(model, name) != getattr(current, name):
            edits.changes[name] = getattr(model, name).value


def _dump_ts(value: datetime) -> str:
    return format_timestamp(value)  # years below 1000 zero-padded, as records write them
