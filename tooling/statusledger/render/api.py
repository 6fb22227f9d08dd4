"""The Atlassian Statuspage public API v2, field for field, as static JSON files (docs/api.md).

Existing Statuspage clients (dashboards, chat bots, monitoring checks) read these files without
change, so keys, nesting, enum values and the timestamp format follow real Statuspage responses;
tooling/docs/api.md maps each field to the record it comes from. Ids are short stable hashes of
record ids, so a client that remembers an incident id sees the same id in every build.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from statusledger.records.models import ComponentStatus, ImpactLevel
from statusledger.views import (
    EPOCH,
    ComponentView,
    GroupView,
    IncidentView,
    MaintenanceView,
    UpdateView,
    View,
)

Json = dict[str, Any]
RECENT = 50
_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"
_UTC_NAMES = {"UTC", "Etc/UTC", "Etc/UCT", "UCT", "Etc/Universal", "Universal", "Etc/Zulu", "Zulu"}

# Statuspage's indicator for the page, and the words it shows beside it.
INDICATOR = {
    "none": "All Systems Operational",
    "maintenance": "Service Under Maintenance",
    "minor": "Partially Degraded Service",
    "major": "Partial System Outage",
    "critical": "Major System Outage",
}
_INDICATOR_RANK = {"none": 0, "maintenance": 1, "minor": 2, "major": 3, "critical": 4}
_STATUS_INDICATOR = {
    ComponentStatus.OPERATIONAL: "none",
    ComponentStatus.UNDER_MAINTENANCE: "maintenance",
    ComponentStatus.DEGRADED_PERFORMANCE: "minor",
    ComponentStatus.PARTIAL_OUTAGE: "major",
    ComponentStatus.MAJOR_OUTAGE: "critical",
}
_LEVEL_RANK = {
    ImpactLevel.DEGRADED_PERFORMANCE: 1,
    ImpactLevel.PARTIAL_OUTAGE: 2,
    ImpactLevel.MAJOR_OUTAGE: 3,
}


def statuspage_id(kind: str, key: str) -> str:
    """A 12-character lowercase alphanumeric id, like Statuspage's, that never changes.

    It is the first 62 bits of SHA-256 over "kind:key" written in base 36, so the same record
    always gets the same id and a component, an incident and an update never collide by kind.
    """
    number = int.from_bytes(hashlib.sha256(f"{kind}:{key}".encode()).digest()[:8], "big") >> 2
    digits = []
    for _ in range(12):
        number, rest = divmod(number, 36)
        digits.append(_ALPHABET[rest])
    return "".join(reversed(digits))


def timestamp(value: datetime, zone_name: str) -> str:
    """Statuspage's format: milliseconds and the page's offset ("Z" on UTC pages)."""
    local = value.astimezone(ZoneInfo(zone_name))
    text = local.isoformat(timespec="milliseconds")
    if zone_name in _UTC_NAMES and text.endswith("+00:00"):
        text = text[: -len("+00:00")] + "Z"
    return text


def indicator(view: View) -> str:
    """The page indicator: the worst of component statuses and open incidents' impact."""
    best = _STATUS_INDICATOR[view.overall]
    for incident in view.open_incidents:
        if _INDICATOR_RANK[incident.impact] > _INDICATOR_RANK[best]:
            best = incident.impact
    return best


class _Api:
    """What every endpoint shares: the view, the page's id and time zone, components by id."""

    def __init__(self, view: View) -> None:
        self.view = view
        self.zone = view.page.timezone
        self.page_id = statuspage_id("page", view.page.url)
        self.changed = _last_changes(view)
        self.components: dict[str, Json] = {}
        for group in view.groups:
            for component in group.components:
                self.components[component.id] = self._component(component, group)

    def ts(self, value: datetime | None) -> str | None:
        return None if value is None else timestamp(value, self.zone)

    # --- page and status ---------------------------------------------------------------------

    def page(self) -> Json:
        times = [i.updated for i in self.view.incidents]
        times += [m.updated for m in self.view.maintenances]
        times += self.changed.values()
        updated = max((t for t in times if t <= self.view.now), default=self.view.now)
        return {
            "id": self.page_id,
            "name": self.view.page.name,
            "url": self.view.page.url,
            "time_zone": self.zone,
            "updated_at": self.ts(updated),
        }

    def status(self) -> Json:
        value = indicator(self.view)
        return {"indicator": value, "description": INDICATOR[value]}

    # --- components --------------------------------------------------------------------------

    def _component(self, component: ComponentView, group: GroupView) -> Json:
        position = next(i for i, c in enumerate(group.components, start=1) if c is component)
        if group.id is None:
            position = len(self.view.groups) - 1 + position
        start = component.created.astimezone(ZoneInfo(self.zone)).date().isoformat()
        return {
            "id": statuspage_id("component", component.id),
            "name": component.name,
            "status": component.status.value,
            "created_at": self.ts(component.created),
            "updated_at": self.ts(self.changed[component.id]),
            "position": position,
            "description": component.description,
            "showcase": True,
            "start_date": None if component.created == EPOCH else start,
            "group_id": statuspage_id("group", group.id) if group.id else None,
            "page_id": self.page_id,
            "group": False,
            "only_show_if_degraded": component.only_show_if_degraded,
        }

    def _group(self, group: GroupView, position: int) -> Json:
        assert group.id is not None
        members = [self.components[c.id] for c in group.components]
        worst = max((c.status for c in group.components), key=lambda s: s.rank)
        return {
            "id": statuspage_id("group", group.id),
            "name": group.name,
            "status": worst.value,
            "created_at": self.ts(min(c.created for c in group.components)),
            "updated_at": self.ts(max(self.changed[c.id] for c in group.components)),
            "position": position,
            "description": None,
            "showcase": False,
            "start_date": None,
            "group_id": None,
            "page_id": self.page_id,
            "group": True,
            "only_show_if_degraded": False,
            "components": [m["id"] for m in members],
        }

    def component_list(self) -> list[Json]:
        """Groups, each followed by its members, then the ungrouped components."""
        result: list[Json] = []
        for position, group in enumerate(self.view.groups, start=1):
            if group.id is not None:
                result.append(self._group(group, position))
            result.extend(self.components[c.id] for c in group.components)
        return result

    # --- incidents ---------------------------------------------------------------------------

    def _affected(self, ids: Iterable[str]) -> list[Json]:
        return [self.components[i] for i in dict.fromkeys(ids) if i in self.components]

    def incident(self, incident: IncidentView) -> Json:
        record_id = statuspage_id("incident", incident.id)
        updates = []
        previous: dict[str, str] = {}
        for update in incident.updates:
            current = _incident_levels(incident, update.at)
            changes = [
                (cid, previous.get(cid, "operational"), current.get(cid, "operational"))
                for cid in incident.component_ids
            ]
            updates.append(self._update(record_id, update, changes))
            previous = current
        return {
            "id": record_id,
            "name": incident.title,
            "status": incident.status.value,
            "created_at": self.ts(incident.updates[0].at),
            "updated_at": self.ts(incident.updated),
            "monitoring_at": self.ts(incident.monitoring_at),
            "resolved_at": self.ts(incident.resolved),
            "impact": incident.impact,
            "shortlink": incident.url,
            "started_at": self.ts(incident.started),
            "page_id": self.page_id,
            "incident_updates": list(reversed(updates)),
            "components": self._affected(incident.component_ids),
            "reminder_intervals": None,
        }

    def maintenance(self, maintenance: MaintenanceView) -> Json:
        record_id = statuspage_id("incident", maintenance.id)
        updates = []
        before = "operational"
        monitoring_at: datetime | None = None
        resolved_at: datetime | None = None
        for update in maintenance.updates:
            running = update.status in ("in_progress", "verifying")
            after = "under_maintenance" if running else "operational"
            changes = [(cid, before, after) for cid in maintenance.component_ids]
            updates.append(self._update(record_id, update, changes, _maintenance_status))
            before = after
            if update.status == "verifying" and monitoring_at is None:
                monitoring_at = update.at
            if update.status in ("completed", "cancelled"):
                resolved_at = update.at
        if maintenance.state == "completed" and resolved_at is None:
            resolved_at = maintenance.end
        return {
            "id": record_id,
            "name": maintenance.title,
            "status": _maintenance_api_status(maintenance),
            "created_at": self.ts(maintenance.created),
            "updated_at": self.ts(maintenance.updated),
            "monitoring_at": self.ts(monitoring_at),
            "resolved_at": self.ts(resolved_at),
            "impact": "maintenance",
            "shortlink": maintenance.url,
            "started_at": self.ts(maintenance.created),
            "page_id": self.page_id,
            "incident_updates": list(reversed(updates)),
            "components": self._affected(maintenance.component_ids),
            "scheduled_for": self.ts(maintenance.start),
            "scheduled_until": self.ts(maintenance.end),
            "reminder_intervals": None,
        }

    def _update(
        self,
        record_id: str,
        update: UpdateView,
        changes: Sequence[tuple[str, str, str]],
        status: Callable[[str], str] | None = None,
    ) -> Json:
        """One incident_update; `body` is the raw message text, as Statuspage sends it."""
        at = self.ts(update.at)
        return {
            "id": statuspage_id("update", update.id),
            "status": status(update.status) if status else update.status,
            "body": update.message,
            "incident_id": record_id,
            "created_at": at,
            "updated_at": at,
            "display_at": at,
            "affected_components": [
                {
                    "code": statuspage_id("component", cid),
                    "name": self.components[cid]["name"],
                    "old_status": old,
                    "new_status": new,
                }
                for cid, old, new in changes
                if cid in self.components
            ],
            "deliver_notifications": True,
            "custom_tweet": None,
            "tweet_id": None,
        }


def _maintenance_status(status: str) -> str:
    """Statuspage has no "cancelled": a cancelled window is over, so it reads "completed"."""
    return "completed" if status == "cancelled" else status


def _maintenance_api_status(maintenance: MaintenanceView) -> str:
    """The status clients expect from the window's state, even without a fresh update."""
    if maintenance.state == "active":
        return "verifying" if maintenance.status.value == "verifying" else "in_progress"
    if maintenance.state == "upcoming":
        return "scheduled"
    return "completed"


def _incident_levels(incident: IncidentView, at: datetime) -> dict[str, str]:
    """Each component's status from this incident's own impacts at one moment."""
    worst: dict[str, ImpactLevel] = {}
    for affected in incident.affected:
        if affected.start <= at and (affected.end is None or affected.end > at):
            known = worst.get(affected.component_id)
            if known is None or _LEVEL_RANK[affected.level] > _LEVEL_RANK[known]:
                worst[affected.component_id] = affected.level
    return {cid: level.value for cid, level in worst.items()}


def _last_changes(view: View) -> dict[str, datetime]:
    """For each component, the last moment a public record changed it, never later than now.

    One pass over the records, so a ledger of thousands of incidents stays fast.
    """
    changed = {c.id: c.created for c in view.components}

    def seen(component_id: str, *moments: datetime | None) -> None:
        for moment in moments:
            if component_id in changed and moment is not None and moment <= view.now:
                changed[component_id] = max(changed[component_id], moment)

    for incident in view.incidents:
        for affected in incident.affected:
            seen(affected.component_id, affected.start, affected.end)
    for maintenance in view.maintenances:
        if maintenance.state != "cancelled":
            for component_id in maintenance.component_ids:
                seen(component_id, maintenance.start, maintenance.end)
    return changed


def _dump(payload: Json) -> bytes:
    return (json.dumps(payload, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def render_api(view: View) -> dict[str, bytes]:
    """Every api/v2 file, keyed by its path under the site root."""
    api = _Api(view)
    page = api.page()
    components = api.component_list()
    incidents = [api.incident(i) for i in view.incidents[:RECENT]]
    unresolved = [api.incident(i) for i in view.open_incidents]
    maintenances = [api.maintenance(m) for m in view.maintenances[:RECENT]]
    upcoming = [api.maintenance(m) for m in view.upcoming_maintenances]
    active = [api.maintenance(m) for m in view.active_maintenances]
    status = api.status()
    files: dict[str, Json] = {
        "summary.json": {
            "page": page,
            "components": components,
            "incidents": unresolved,
            "scheduled_maintenances": active + upcoming,
            "status": status,
        },
        "status.json": {"page": page, "status": status},
        "components.json": {"page": page, "components": components},
        "incidents.json": {"page": page, "incidents": incidents},
        "incidents/unresolved.json": {"page": page, "incidents": unresolved},
        "scheduled-maintenances.json": {
            "page": page,
            "scheduled_maintenances": maintenances,
        },
        "scheduled-maintenances/upcoming.json": {
            "page": page,
            "scheduled_maintenances": upcoming,
        },
        "scheduled-maintenances/active.json": {"page": page, "scheduled_maintenances": active},
    }
    return {f"api/v2/{name}": _dump(payload) for name, payload in files.items()}


class StatuspageObjects:
    """The API's objects one at a time, for the webhooks `notify` sends.

    Statuspage's webhook payloads carry the same page, incident and component objects its API
    serves, so they are built here by the same code as the files, field for field.
    """

    def __init__(self, view: View) -> None:
        self._api = _Api(view)

    @property
    def page_id(self) -> str:
        """The page's stable id."""
        return self._api.page_id

    def status(self) -> Json:
        """{indicator, description} of the page, as status.json has it."""
        return self._api.status()

    def component(self, component_id: str) -> Json | None:
        """A component as components.json has it (None: no such component)."""
        return self._api.components.get(component_id)

    def incident(self, record: IncidentView | MaintenanceView) -> Json:
        """An incident or scheduled maintenance as incidents.json and its siblings have it."""
        if isinstance(record, IncidentView):
            return self._api.incident(record)
        return self._api.maintenance(record)

    def timestamp(self, value: datetime) -> str:
        """A moment in the API's format and the page's time zone."""
        return timestamp(value, self._api.zone)
