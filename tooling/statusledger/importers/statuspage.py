"""Read Atlassian Statuspage public API v2 JSON into drafts.

Accepted: `summary.json`, `components.json`, `incidents.json` (and `incidents/unresolved.json`),
`scheduled-maintenances.json` (and its `upcoming`/`active` variants), a bare list of incidents
or a single incident object, or folders holding such files. The same incident seen in several
files is read once, from the copy updated last. tooling/docs/importing.md documents the mapping.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from statusledger.importers.drafts import (
    Batch,
    ComponentDraft,
    ComponentRef,
    GroupDraft,
    ImpactDraft,
    PageDraft,
    RecordDraft,
    UpdateDraft,
    category_for,
    clean_text,
    close_open,
    drop_empty,
    final_resolution,
    milestones,
    seconds,
)
from statusledger.importers.notes import Notes
from statusledger.importers.published import POSTMORTEM, postmortem_draft, postmortem_text
from statusledger.records.models import (
    ImpactLevel,
    IncidentStatus,
    MaintenanceStatus,
    SeverityLevel,
    Source,
)
from statusledger.records.types import url_problem

Json = dict[str, Any]

# Incident impact -> (severity, the level used when updates carry no component transitions).
IMPACT: dict[str, tuple[SeverityLevel, ImpactLevel | None]] = {
    "critical": (SeverityLevel.SEV1, ImpactLevel.MAJOR_OUTAGE),
    "major": (SeverityLevel.SEV2, ImpactLevel.PARTIAL_OUTAGE),
    "minor": (SeverityLevel.SEV3, ImpactLevel.DEGRADED_PERFORMANCE),
    "none": (SeverityLevel.SEV4, None),
    "maintenance": (SeverityLevel.SEV4, None),
}
LEVELS = {level.value: level for level in ImpactLevel}
NO_IMPACT = {"operational", "under_maintenance"}

# Statuspage's own default texts, used for an update that was posted without a message.
DEFAULT_MESSAGES = {
    "investigating": "We are currently investigating this issue.",
    "identified": "The issue has been identified and a fix is being implemented.",
    "monitoring": "A fix has been implemented and we are monitoring the results.",
    "resolved": "This incident has been resolved.",
    "scheduled": "The scheduled maintenance has been scheduled.",
    "in_progress": "Scheduled maintenance is currently in progress.",
    "verifying": "Verification is currently underway for the maintenance items.",
    "completed": "The scheduled maintenance has been completed.",
    "cancelled": "The scheduled maintenance has been cancelled.",
}
INCIDENT_STATUSES = {s.value for s in IncidentStatus}
MAINTENANCE_STATUSES = {s.value for s in MaintenanceStatus}


@dataclass
class _Collected:
    """Everything found in the input files, deduplicated by Statuspage id."""

    page: Json | None = None
    components: dict[str, Json] = field(default_factory=dict)
    incidents: dict[str, tuple[str, Json]] = field(default_factory=dict)


def _objects(value: Any) -> list[Json]:
    """The objects of a JSON list that carry an id; anything else in it is not ours to read."""
    if not isinstance(value, list):
        return []
    return [v for v in value if isinstance(v, dict) and v.get("id") not in (None, "")]


def _items(value: Any) -> list[Json]:
    """The objects of a JSON list (affected_components have no id)."""
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def input_files(paths: Iterable[Path]) -> list[Path]:
    """The JSON files named, and those inside named folders, in a stable order."""
    files: list[Path] = []
    for path in paths:
        files.extend(sorted(path.rglob("*.json")) if path.is_dir() else [path])
    return files


def read_statuspage(paths: Sequence[Path]) -> Batch:
    """Read Statuspage API responses; what cannot be mapped goes into the batch's notes."""
    notes = Notes()
    collected = _Collected()
    for path in input_files(paths):
        data = _load(path, notes)
        if data is not None:
            _collect(path.name, data, collected, notes)
    zone = _zone(collected.page, notes)
    batch = Batch(notes=notes, page=_page(collected.page, zone.key, notes))
    for component in collected.components.values():
        if component.get("group"):
            batch.groups.append(
                GroupDraft(
                    str(component["id"]),
                    _name(component),
                    _text_or_none(component.get("description")),
                )
            )
    members = _group_members(collected.components.values())
    for component in collected.components.values():
        if not component.get("group"):
            batch.components.append(_component(component, members))
    page_url = str((collected.page or {}).get("url") or "").rstrip("/")
    page_url = page_url if url_problem(page_url, base=True) is None else ""
    for file, incident in collected.incidents.values():
        draft = _record(incident, file, page_url, zone, notes)
        if draft is not None:
            batch.records.append(draft)
    return batch


def _load(path: Path, notes: Notes) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        notes.add("bad-file", path.name, f"cannot read it: {err.strerror}")
    except UnicodeDecodeError:
        notes.add("bad-file", path.name, "it is not UTF-8 text")
    except json.JSONDecodeError as err:
        notes.add("bad-file", f"{path.name}:{err.lineno}:{err.colno}", f"not JSON: {err.msg}")
    return None


def _collect(file: str, data: Any, out: _Collected, notes: Notes) -> None:
    if isinstance(data, list):
        incidents = [i for i in _objects(data) if "incident_updates" in i]
        if not incidents:
            notes.add("unknown-file", file, "a list, but not of incidents; skipped")
        for incident in incidents:
            _keep_incident(file, incident, out)
        return
    if not isinstance(data, dict):
        notes.add("unknown-file", file, "not a Statuspage API response; skipped")
        return
    if "incident_updates" in data and data.get("id") not in (None, ""):
        _keep_incident(file, data, out)
        return
    known = False
    if isinstance(data.get("page"), dict):
        known = True
        if out.page is None or (not out.page.get("time_zone") and data["page"].get("time_zone")):
            out.page = data["page"]
    for key in ("incidents", "scheduled_maintenances"):
        if isinstance(data.get(key), list):
            known = True
            for incident in _objects(data[key]):
                _keep_incident(file, incident, out)
    if isinstance(data.get("components"), list):
        known = True
        for component in _objects(data["components"]):
            out.components[str(component["id"])] = component
    if not known or set(data) <= {"page", "status"}:
        notes.add(
            "unknown-file",
            file,
            "no components, incidents or maintenance in it (e.g. status.json); skipped",
        )


def _keep_incident(file: str, incident: Json, out: _Collected) -> None:
    """Keep the copy updated last; components of incidents are components too."""
    key = str(incident["id"])
    previous = out.incidents.get(key)
    if previous is None or _freshness(incident) > _freshness(previous[1]):
        out.incidents[key] = (file, incident)
    for component in _objects(incident.get("components")):
        out.components.setdefault(str(component["id"]), component)


def _freshness(incident: Json) -> tuple[str, int]:
    return (str(incident.get("updated_at") or ""), len(_items(incident.get("incident_updates"))))


def _zone(page: Json | None, notes: Notes) -> ZoneInfo:
    name = str((page or {}).get("time_zone") or "UTC")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        notes.add("bad-page", "page.time_zone", f"unknown time zone {name!r}; UTC is used")
        return ZoneInfo("UTC")


def _page(page: Json | None, zone: str, notes: Notes) -> PageDraft | None:
    if page is None:
        return None
    url = str(page.get("url") or "")
    problem = url_problem(url, base=True)
    if problem is not None:
        # Kept only for the refusal's message: services.yaml is never made from it (apply.py).
        notes.add("bad-page", "page.url", f"{problem}; it is not imported")
    return PageDraft(name=str(page.get("name") or "Status"), url=url, timezone=zone)


def _name(obj: Json) -> str:
    return " ".join(str(obj.get("name") or obj.get("id") or "unnamed").split())


def _text_or_none(value: Any) -> str | None:
    text = clean_text(str(value)) if value else ""
    return text or None


def _group_members(components: Iterable[Json]) -> dict[str, str]:
    """Child id -> group id, from the groups' own `components` lists (summary.json has them)."""
    members: dict[str, str] = {}
    for component in components:
        if component.get("group"):
            children = component.get("components")
            for child in children if isinstance(children, list) else []:
                members[str(child)] = str(component["id"])
    return members


def _component(component: Json, members: dict[str, str]) -> ComponentDraft:
    key = str(component["id"])
    group = component.get("group_id") or members.get(key)
    return ComponentDraft(
        key=key,
        name=_name(component),
        group=str(group) if group else None,
        description=_text_or_none(component.get("description")),
        since=_day(component.get("start_date")),
        only_show_if_degraded=bool(component.get("only_show_if_degraded")),
    )


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _time(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return seconds(parsed) if parsed.tzinfo is not None else None


# --- incidents and maintenance --------------------------------------------------------------


@dataclass
class _Updates:
    """An incident's updates in time order, what they say, and the component moves they carry."""

    updates: list[UpdateDraft] = field(default_factory=list)
    derived: list[str] = field(default_factory=list)
    moves: list[tuple[datetime, Json]] = field(default_factory=list)
    postmortems: list[tuple[datetime, str]] = field(default_factory=list)


def _record(
    incident: Json, file: str, page_url: str, zone: ZoneInfo, notes: Notes
) -> RecordDraft | None:
    key = str(incident["id"])
    title = _name(incident) if incident.get("name") else f"Incident {key}"
    maintenance = bool(incident.get("scheduled_for"))
    where = f"{file}: {'maintenance' if maintenance else 'incident'} {key} '{title}'"
    statuses = MAINTENANCE_STATUSES if maintenance else INCIDENT_STATUSES
    read = _read_updates(incident, statuses, where, notes)
    started = (
        _time(incident.get("started_at"))
        or _time(incident.get("created_at"))
        or (read.updates[0].at if read.updates else None)
    )
    if not read.updates or started is None:
        notes.add("no-updates", where, "no update with a status and time; left out")
        return None
    source = Source(
        system="statuspage",
        id=key,
        url=_source_url(incident, page_url, key),
    )
    if maintenance:
        return _maintenance(incident, read, source, title, where, notes)
    return _incident(incident, read, source, title, where, started, zone, notes)


def _source_url(incident: Json, page_url: str, key: str) -> str | None:
    """The incident's shortlink, else its page; None when neither is a URL records may hold."""
    for url in (str(incident.get("shortlink") or ""), f"{page_url}/incidents/{key}"):
        if url_problem(url) is None:
            return url
    return None


def _read_updates(incident: Json, statuses: set[str], where: str, notes: Notes) -> _Updates:
    raw = list(reversed(_items(incident.get("incident_updates"))))
    timed = [(at, u) for u in raw if (at := _time(u.get("display_at") or u.get("created_at")))]
    if len(timed) < len(raw):
        notes.add("bad-time", where, f"{len(raw) - len(timed)} update(s) without a time; left out")
    timed.sort(key=lambda pair: pair[0])
    out = _Updates()
    for at, update in timed:
        out.moves.extend((at, move) for move in _items(update.get("affected_components")))
        status = str(update.get("status") or "")
        if status == POSTMORTEM and statuses is INCIDENT_STATUSES:
            out.postmortems.extend(postmortem_text(at, update, where, notes))
            continue
        if status not in statuses:
            notes.add(
                "unknown-status",
                where,
                f"update at {at:%Y-%m-%d %H:%M} has status {status!r}; left out",
            )
            continue
        message = clean_text(str(update.get("body") or ""))
        if not message:
            message = DEFAULT_MESSAGES[status]
            out.derived.append(f"updates[{len(out.updates)}].message")
            notes.add(
                "empty-message",
                where,
                f"the {status} update at {at:%Y-%m-%d %H:%M} has no text; wrote {message!r}",
            )
        out.updates.append(UpdateDraft(at, status, message))
    return out


def _incident(
    incident: Json,
    read: _Updates,
    source: Source,
    title: str,
    where: str,
    started: datetime,
    zone: ZoneInfo,
    notes: Notes,
) -> RecordDraft:
    impact_name = str(incident.get("impact") or "none")
    severity, fallback_level = IMPACT.get(impact_name, (SeverityLevel.SEV4, None))
    if impact_name not in IMPACT:
        notes.add("unknown-impact", where, f"impact {impact_name!r}; severity sev4 assumed")
    elif impact_name == "maintenance":
        notes.add(
            "maintenance-impact",
            where,
            "impact 'maintenance' without a schedule; imported as a sev4 incident without impact",
        )
    resolved = _resolution(incident, read, where, notes)
    derived = ["severity", "category", "timeline", *read.derived]
    impacts = _impacts_from_moves(read.moves, where, notes)
    if impacts is None:
        impacts = _fallback_impacts(incident, fallback_level, started)
        if impacts:
            derived.insert(2, "impact")
    if resolved is not None:
        impacts = close_open(impacts, resolved)
    impacts = drop_empty(impacts)
    return RecordDraft(
        kind="incident",
        source=source.model_copy(update={"derived": derived}),
        title=title,
        where=where,
        started=started,
        updates=read.updates,
        severity=severity,
        category=category_for(impacts),
        impacts=impacts,
        timeline=milestones(
            started, read.updates, impacts, resolved, _time(incident.get("monitoring_at"))
        ),
        postmortem=postmortem_draft(
            title,
            str(incident.get("postmortem_body") or ""),
            read.postmortems,
            _time(incident.get("postmortem_published_at")),
            resolved or started,
            zone,
        ),
    )


def _resolution(incident: Json, read: _Updates, where: str, notes: Notes) -> datetime | None:
    """When it was resolved; a resolved incident whose last update is not gets one appended."""
    resolved_at = _time(incident.get("resolved_at"))
    last = read.updates[-1]
    if last.status == "resolved":
        final = final_resolution(read.updates)
        return resolved_at if resolved_at and final and resolved_at >= final else final
    if str(incident.get("status")) in ("resolved", "postmortem") and resolved_at:
        at = max(resolved_at, last.at)
        read.derived.append(f"updates[{len(read.updates)}]")
        read.updates.append(UpdateDraft(at, "resolved", DEFAULT_MESSAGES["resolved"]))
        notes.add(
            "not-resolved",
            where,
            "resolved at the source but its last update says "
            f"{last.status!r}; a resolved update was added at {at:%Y-%m-%d %H:%M}",
        )
        return at
    return None


def _impacts_from_moves(
    moves: list[tuple[datetime, Json]], where: str, notes: Notes
) -> list[ImpactDraft] | None:
    """Impact intervals replayed from the updates' old_status -> new_status moves.

    None when no update says how a component changed, so the caller falls back to the
    incident's impact over its whole duration.
    """
    if not any(move.get("new_status") for _, move in moves):
        return None
    impacts: list[ImpactDraft] = []
    open_: dict[str, ImpactDraft] = {}
    for at, move in moves:
        status = str(move.get("new_status") or "")
        if not status:
            continue
        ref = ComponentRef(str(move["code"]) if move.get("code") else None, _name(move))
        slot = ref.key or ref.name
        current = open_.get(slot)
        if status not in LEVELS and status not in NO_IMPACT:
            notes.add("unknown-status", where, f"component status {status!r}; ignored")
            continue
        level = LEVELS.get(status)
        if current is not None and current.level is level:
            continue
        if current is not None:
            impacts.append(ImpactDraft(current.component, current.level, current.start, at))
            del open_[slot]
        if level is not None:
            open_[slot] = ImpactDraft(ref, level, at, None)
    return sorted([*impacts, *open_.values()], key=lambda i: (i.start, i.component.name))


def _fallback_impacts(
    incident: Json, level: ImpactLevel | None, started: datetime
) -> list[ImpactDraft]:
    if level is None:
        return []
    return [
        ImpactDraft(ComponentRef(str(c["id"]), _name(c)), level, started, None)
        for c in _objects(incident.get("components"))
    ]


def _maintenance(
    incident: Json, read: _Updates, source: Source, title: str, where: str, notes: Notes
) -> RecordDraft | None:
    start = _time(incident.get("scheduled_for"))
    end = _time(incident.get("scheduled_until"))
    if start is None or end is None or end <= start:
        notes.add(
            "bad-window", where, "scheduled_for/scheduled_until missing or out of order; left out"
        )
        return None
    refs = [ComponentRef(str(c["id"]), _name(c)) for c in _objects(incident.get("components"))]
    refs += [ComponentRef(str(m["code"]), _name(m)) for _, m in read.moves if m.get("code")]
    if not refs:
        notes.add("no-components", where, "the maintenance names no component; left out")
        return None
    return RecordDraft(
        kind="maintenance",
        source=source.model_copy(update={"derived": read.derived}),
        title=title,
        where=where,
        started=start,
        updates=read.updates,
        window=(start, end),
        components=list(dict.fromkeys(refs)),
    )
