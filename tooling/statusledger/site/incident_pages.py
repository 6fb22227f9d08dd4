"""Incident and maintenance pages: what happened, to what, for how long, and every update.

Updates read newest first, as on Statuspage. Impact is said in a customer's words (the worst
level, its icon and colour), never as the internal severity; an open incident says how long it
has been going on as of the build, and when its next update is due.
"""

from __future__ import annotations

from statusledger.site.generated import GeneratedPage, page, record_description
from statusledger.site.html import esc, link, section, status_badge, time_tag
from statusledger.site.i18n import Locale
from statusledger.site.parts import (
    corrections,
    duration_words,
    facts,
    impact,
    maintenance_state,
    maintenance_when,
    updates,
)
from statusledger.views import IncidentView, MaintenanceView, View

DEPTH = 2


def incident_page(view: View, incident: IncidentView, loc: Locale) -> GeneratedPage:
    """One incident: impact and duration, affected components, postmortem, updates, corrections."""
    status = esc(loc.t("incident_status." + incident.status.value))
    lead = (
        f'<p class="sl-lead">{impact(incident, loc)} · <strong>{status}</strong> · '
        f"{esc(duration_words(incident, view.now, loc))}</p>"
    )
    pairs = [
        (loc.t("incident.started"), time_tag(incident.started, loc)),
        (
            loc.t("incident.resolved"),
            time_tag(incident.resolved, loc)
            if incident.resolved
            else esc(loc.t("incident.not_yet")),
        ),
        (loc.t("incident.category"), esc(loc.t("category." + incident.category.value))),
        (loc.t("incident.last_update"), time_tag(incident.updated, loc)),
    ]
    if incident.next_update_due is not None:
        pairs.append((loc.t("incident.next_update"), time_tag(incident.next_update_due, loc)))
    parts = [f"<h1>{esc(incident.title)}</h1>", lead]
    if incident.postmortem_id:
        target = f"postmortems/{incident.postmortem_id}/"
        parts.append(
            f'<p class="sl-postmortem-link">{link(DEPTH, target, loc.t("incident.postmortem"))}</p>'
        )
    parts.append(facts(pairs))
    parts.append(section(loc.t("incident.affected"), _affected(incident, loc)))
    parts.append(
        section(loc.t("incident.updates"), updates(incident.updates, "incident_status.", loc))
    )
    parts.append(corrections(incident.corrections, loc))
    return page(
        f"incidents/{incident.id}.md",
        incident.title,
        "".join(parts),
        record_description(incident.title, view.page.name, loc),
    )


def _affected(incident: IncidentView, loc: Locale) -> str:
    """Each impact as a row that wraps on a phone: component, level, from and until."""
    if not incident.affected:
        return f"<p>{esc(loc.t('incident.no_impact'))}</p>"
    rows = []
    for a in incident.affected:
        until = time_tag(a.end, loc) if a.end else esc(loc.t("incident.ongoing"))
        rows.append(
            f"<li>{link(DEPTH, f'components/{a.component_id}/', a.name)} "
            f"{status_badge(a.level.value, loc)} "
            f'<span class="sl-when">{time_tag(a.start, loc)} – {until}</span></li>'
        )
    return f'<ul class="sl-affected">{"".join(rows)}</ul>'


def maintenance_page(view: View, item: MaintenanceView, loc: Locale) -> GeneratedPage:
    """One maintenance window: its state in words, the components, its updates newest first."""
    components = ", ".join(
        link(DEPTH, f"components/{c}/", found.name if found else c)
        for c, found in ((c, view.component(c)) for c in item.component_ids)
    )
    pairs = [
        (loc.t("maintenance.window"), maintenance_when(item, view.now, loc)),
        (loc.t("incident.affected"), components),
    ]
    parts = [
        f"<h1>{esc(item.title)}</h1>",
        f'<p class="sl-lead">{maintenance_state(item, loc)}</p>',
        facts(pairs),
        section(loc.t("incident.updates"), updates(item.updates, "maintenance_status.", loc)),
        corrections(item.corrections, loc),
    ]
    return page(
        f"incidents/{item.id}.md",
        item.title,
        "".join(parts),
        record_description(item.title, view.page.name, loc),
    )
