"""Pieces several page types share: facts, updates, corrections, records in lists, wording.

Everything here is a function of the View and the Locale; record text is escaped, and only the
sanitised HTML of update messages is inserted as-is.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from statusledger.records.models import Correction
from statusledger.site.html import esc, link, section, status_badge, time_tag
from statusledger.site.i18n import Locale
from statusledger.views import IncidentView, MaintenanceView, UpdateView, View

Record = IncidentView | MaintenanceView
_RANK = {"degraded_performance": 1, "partial_outage": 2, "major_outage": 3}


def facts(pairs: Iterable[tuple[str, str]]) -> str:
    """A list of labelled facts (labels are text, values HTML)."""
    body = "".join(f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in pairs)
    return f'<dl class="sl-facts">{body}</dl>'


def updates(items: Iterable[UpdateView], prefix: str, loc: Locale) -> str:
    """The public updates, newest first (as Statuspage shows them), each with word and time."""
    rows = "".join(
        f'<li class="sl-update" id="{esc(u.id)}"><p class="sl-update__head">'
        f"<strong>{esc(loc.t(prefix + u.status))}</strong> · {time_tag(u.at, loc)}</p>"
        f'<div class="sl-message">{u.html}</div></li>'
        for u in reversed(list(items))
    )
    return f'<ol class="sl-updates" reversed>{rows}</ol>'


def corrections(items: Iterable[Correction], loc: Locale) -> str:
    """What was corrected in a merged record, and why: the page shows corrections."""
    rows = [
        f"<li>{time_tag(c.at, loc)}: "
        f"{esc(loc.t('incident.correction', what=c.what, why=c.why))}</li>"
        for c in items
    ]
    if not rows:
        return ""
    return section(
        loc.t("incident.corrections"), f'<ul class="sl-corrections">{"".join(rows)}</ul>'
    )


def started(record: Record) -> datetime:
    """When a record began: an incident's start, a maintenance window's start."""
    return record.started if isinstance(record, IncidentView) else record.start


def impact(incident: IncidentView, loc: Locale) -> str:
    """The worst impact of an incident in words, icon and colour; "No impact" without one."""
    level = incident.worst_level
    if level is None:
        return f'<span class="sl-status sl-status--none">{esc(loc.t("impact.none"))}</span>'
    return status_badge(level.value, loc)


def component_levels(incident: IncidentView) -> list[tuple[str, str, str]]:
    """(id, name, level) of each affected component, its worst level, in order of first impact.

    While the incident is open, only impacts still open count, so a component that recovered
    is not named as affected now.
    """
    found: dict[str, tuple[str, str]] = {}
    impacts = [a for a in incident.affected if a.end is None] if incident.is_open else []
    for a in impacts or incident.affected:
        name, level = found.get(a.component_id, (a.name, a.level.value))
        if _RANK[a.level.value] > _RANK[level]:
            level = a.level.value
        found[a.component_id] = (name, level)
    return [(cid, name, level) for cid, (name, level) in found.items()]


def affects(incident: IncidentView, depth: int, loc: Locale) -> str:
    """The components an incident affects, each with its level, as one line of links."""
    named = [
        f"{link(depth, f'components/{cid}/', name)} ({esc(loc.t('status.' + level))})"
        for cid, name, level in component_levels(incident)
    ]
    if not named:
        return ""
    return f'<p class="sl-affects">{esc(loc.t("affects"))} {", ".join(named)}</p>'


def span(start: datetime, end: datetime, loc: Locale) -> str:
    """From and until, the second as a time of day when both fall on the same local day."""
    same_day = loc.local(start).date() == loc.local(end).date()
    return f"{time_tag(start, loc)} – {time_tag(end, loc, clock=same_day)}"


def maintenance_when(item: MaintenanceView, now: datetime, loc: Locale) -> str:
    """The window in the words of its state: "Scheduled for …", "In progress until …"."""
    if item.state == "active":
        same_day = loc.local(now).date() == loc.local(item.end).date()
        return esc(loc.t("maintenance.until", until="\0")).replace(
            "\0", time_tag(item.end, loc, clock=same_day)
        )
    key = {"upcoming": "maintenance.scheduled_for", "cancelled": "maintenance.cancelled_for"}
    return esc(loc.t(key.get(item.state, "maintenance.took_place"), window="\0")).replace(
        "\0", span(item.start, item.end, loc)
    )


def maintenance_state(item: MaintenanceView, loc: Locale, word: str = "") -> str:
    """A maintenance's state as a badge (scheduled, in progress...), or `word` in its place."""
    word = esc(word or loc.t("maintenance_state." + item.state))
    return (
        f'<span class="sl-status sl-status--maintenance sl-state--{item.state}">'
        f'<span class="sl-icon" aria-hidden="true">⚙</span> {word}</span>'
    )


def duration_words(incident: IncidentView, now: datetime, loc: Locale) -> str:
    """How long: "Ongoing for 2 h 10 min" as of the build, or "Lasted 1 h 5 min"."""
    if incident.duration is not None:
        return loc.t("incident.lasted", duration=loc.duration(incident.duration))
    return loc.t("incident.ongoing_for", duration=loc.duration(now - incident.started))


def record_item(record: Record, view: View, depth: int, loc: Locale) -> str:
    """One incident or maintenance in a list (history, component page, past incidents)."""
    title = link(depth, f"incidents/{record.id}/", record.title)
    if isinstance(record, MaintenanceView):
        return (
            f'<li><p class="sl-list__title">{title}</p>'
            f"<p>{maintenance_state(record, loc, loc.t('maintenance'))} · "
            f"{maintenance_when(record, view.now, loc)}</p></li>"
        )
    status = esc(loc.t("incident_status." + record.status.value))
    return (
        f'<li><p class="sl-list__title">{title}</p>'
        f"<p>{impact(record, loc)} · <strong>{status}</strong> · {time_tag(record.started, loc)}"
        f" · {esc(duration_words(record, view.now, loc))}</p></li>"
    )
