"""What there is to tell: each public update a change appended, and the status changes it caused.

An update is told as the public saw it at that moment: the record cut after that update, so a
push that carries "identified" and "resolved" for one incident sends two messages, the first
of which still reads "identified" (as Statuspage would have sent them one by one). Component
statuses are the page's, from public records only, at `now`: a change is the difference
between the page as it was at the base (the appended records in their merged versions) and as
it is now, attributed to the latest appended update of a record that touches the component.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from statusledger.compute.status import statuses
from statusledger.history import Appended
from statusledger.loading import Ledger, Loaded, LoadedRecord
from statusledger.records.models import ComponentStatus, Incident, Maintenance, Visibility
from statusledger.render.api import statuspage_id
from statusledger.views import IncidentView, MaintenanceView, UpdateView, build_view

Record = Incident | Maintenance
RecordView = IncidentView | MaintenanceView


@dataclass(frozen=True)
class ComponentChange:
    """A component's public status before and after the change."""

    component_id: str
    old: ComponentStatus
    new: ComponentStatus
    at: datetime
    id: str


@dataclass(frozen=True)
class UpdateEvent:
    """One appended public update, with its record as the public saw it right after it."""

    record: RecordView
    index: int
    components: tuple[str, ...]
    changes: tuple[ComponentChange, ...] = ()

    @property
    def update(self) -> UpdateView:
        """The update being told (the last one of the cut record)."""
        return self.record.updates[-1]

    @property
    def id(self) -> str:
        """The update's id in the API and the webhooks: stable across runs."""
        return statuspage_id("update", self.update.id)

    @property
    def is_maintenance(self) -> bool:
        """Scheduled maintenance rather than an incident."""
        return isinstance(self.record, MaintenanceView)


def public_ledger(ledger: Ledger) -> Ledger:
    """The ledger without internal records: nothing told may come from one."""
    public = [r for r in ledger.records if r.model.visibility is Visibility.PUBLIC]
    return replace(ledger, records=public)


def find_events(ledger: Ledger, appended: Sequence[Appended], now: datetime) -> list[UpdateEvent]:
    """Every appended public update in time order, each with the status changes it caused."""
    public = public_ledger(ledger)
    heads = {r.id: r for r in public.records}
    found = [a for a in appended if a.id in heads]
    changes = _status_changes(public, found, now)
    events = []
    for item in found:
        head = heads[item.id]
        touched = _touched(head.model, item.old)
        for index in item.added:
            record = _cut(public, head, index, now)
            mine = tuple(changes.get((item.id, index), ()))
            events.append(UpdateEvent(record, index, touched, mine))
    return sorted(events, key=lambda e: (e.update.at, e.record.id, e.index))


def _components(model: Record | None) -> list[str]:
    if model is None:
        return []
    if isinstance(model, Incident):
        return [i.component for i in model.impact]
    return list(model.components)


def _touched(new: Record, old: Record | None) -> tuple[str, ...]:
    """Components a record names now or named before, each once, in order."""
    return tuple(dict.fromkeys([*_components(new), *_components(old)]))


def _cut(public: Ledger, head: LoadedRecord, index: int, now: datetime) -> RecordView:
    """The record's public view as it stood right after updates[index]."""
    model = head.model
    cut = model.model_copy(update={"updates": model.updates[: index + 1]})
    record: LoadedRecord = Loaded(head.id, head.path, cut, head.positions)  # type: ignore[assignment]
    linked = getattr(model, "postmortem", None)
    mini = replace(
        public,
        records=[record],
        postmortems=[p for p in public.postmortems if p.id == linked],
    )
    view = build_view(mini, now, days=1)
    found = view.incident(head.id) or view.maintenance(head.id)
    assert found is not None  # the record is public, so its view holds it
    return found


def _status_changes(
    public: Ledger, appended: Sequence[Appended], now: datetime
) -> dict[tuple[str, int], list[ComponentChange]]:
    """Status changes at `now` between the base's page and this one, by causing update."""
    changed = {a.id for a in appended}
    heads = {r.id: r for r in public.records}
    before_records: list[LoadedRecord] = [r for r in public.records if r.id not in changed]
    for item in appended:
        if item.old is not None:
            head = heads[item.id]
            before_records.append(
                Loaded(item.id, item.path, item.old, head.positions)  # type: ignore[arg-type]
            )
    before, after = statuses(before_records, now), statuses(public.records, now)
    ok = ComponentStatus.OPERATIONAL
    result: dict[tuple[str, int], list[ComponentChange]] = {}
    assert public.services is not None
    for component in public.services.model.components:
        old, new = before.get(component.id, ok), after.get(component.id, ok)
        if old is new:
            continue
        cause = _latest(heads, appended, component.id)
        if cause is None:
            continue
        record_id, index, at = cause
        key = f"{record_id}-{index}:{component.id}"
        change = ComponentChange(component.id, old, new, at, statuspage_id("component_update", key))
        result.setdefault((record_id, index), []).append(change)
    return result


def _latest(
    heads: dict[str, LoadedRecord], appended: Iterable[Appended], component_id: str
) -> tuple[str, int, datetime] | None:
    """The latest appended update of a record touching the component: what changed it."""
    best: tuple[datetime, str, int] | None = None
    for item in appended:
        model = heads[item.id].model
        if component_id not in _touched(model, item.old):
            continue
        for index in item.added:
            candidate = (model.updates[index].at, item.id, index)
            if best is None or candidate > best:
                best = candidate
    return None if best is None else (best[1], best[2], best[0])


__all__ = ["ComponentChange", "RecordView", "UpdateEvent", "find_events", "public_ledger"]
