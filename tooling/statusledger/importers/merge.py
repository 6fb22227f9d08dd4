"""Re-importing a record that changed at the source: what to add, never what to rewrite.

A record once merged is history (docs/records.md: updates are append-only), and its author may have
improved it by hand. So a re-import only appends: updates the source added after the record's
last one, the impacts and milestones those updates bring, the close of an impact the source
has since ended, and a severity or category that was derived and now derives differently.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from statusledger.importers.notes import Notes
from statusledger.loading import LoadedRecord
from statusledger.records.models import MILESTONES, Impact, Incident, IncidentStatus, Maintenance
from statusledger.records.types import format_timestamp
from statusledger.yamledit import Append, Op, Set


def _dump(model: Any) -> Any:
    return model.model_dump(mode="json", by_alias=True, exclude_defaults=True)


def merge_edits(existing: LoadedRecord, model: Incident | Maintenance, notes: Notes) -> list[Op]:
    """What to add to a record that was imported before and changed at the source since.

    Updates the source added after the record's last update are appended. Only then are the
    impacts, milestones, window and derived severity brought up to date, and only by adding:
    an impact the source has since closed gets its `to`, a milestone still unset is set.
    """
    current = existing.model
    fresh = _fresh_updates(existing, model, notes)
    if not fresh:
        return []
    ops: list[Op] = [Append(("updates",), [_dump(u) for u in fresh])]
    if isinstance(current, Incident) and isinstance(model, Incident):
        ops += _incident_ops(current, model, fresh[-1].status is IncidentStatus.RESOLVED)
    elif isinstance(current, Maintenance) and isinstance(model, Maintenance):
        ops += _maintenance_ops(current, model)
    if model.source is not None and model.source != current.source:
        ops.append(Set((), {"source": _dump(model.source)}))
    return ops


def _fresh_updates(
    existing: LoadedRecord, model: Incident | Maintenance, notes: Notes
) -> list[Any]:
    """The source's updates the record lacks, from its last one on; earlier ones are noted."""
    current = existing.model
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
    return fresh


def _maintenance_ops(current: Maintenance, model: Maintenance) -> list[Op]:
    ops: list[Op] = []
    if model.window != current.window:
        ops.append(Set(("window",), _dump(model.window)))
    added = [c for c in model.components if c not in current.components]
    if added:
        ops.append(Append(("components",), added))
    return ops


def _key(impact: Impact) -> tuple[str, str, datetime]:
    return (impact.component, impact.level.value, impact.from_)


def _incident_ops(current: Incident, model: Incident, resolved: bool) -> list[Op]:
    """Impacts closed or opened at the source, milestones still unset, derived fields."""
    by_key = {_key(i): i for i in model.impact}
    ops: list[Op] = []
    for index, impact in enumerate(current.impact):
        end = _end(impact, by_key.get(_key(impact)), model.timeline.resolved if resolved else None)
        if end is not None:
            ops.append(Set(("impact", index), {"to": format_timestamp(end)}))
    have = {_key(i) for i in current.impact}
    opened = [_dump(i) for i in model.impact if _key(i) not in have]
    if opened:
        ops.append(Append(("impact",), opened))
    timeline = {
        name: format_timestamp(getattr(model.timeline, name))
        for name in MILESTONES
        if getattr(current.timeline, name) is None and getattr(model.timeline, name) is not None
    }
    if timeline:
        ops.append(Set(("timeline",), timeline))
    derived = current.source.derived if current.source else []
    changed: dict[str, Any] = {
        name: getattr(model, name).value
        for name in ("severity", "category")
        if name in derived and getattr(model, name) != getattr(current, name)
    }
    if changed:
        ops.append(Set((), changed))
    return ops


def _end(impact: Impact, source: Impact | None, resolved_at: datetime | None) -> datetime | None:
    """When an open impact ended: as the source says, else when the incident was resolved.

    Timestamps are written as records write them (years below 1000 zero-padded).
    """
    if impact.to is not None:
        return None
    if source is not None and source.to is not None:
        return source.to
    if resolved_at is not None:
        return max(resolved_at, impact.from_)
    return None
