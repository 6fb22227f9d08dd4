"""The home page, top down, as a customer reads it during an outage.

The banner names what is affected; then each open incident as a card coloured by its worst
impact, its latest update first and when the next one is due; maintenance in progress and
scheduled; the components by group with their bars; the incidents of the last days, day by
day; and near the top, when the page was built and how to subscribe.
"""

from __future__ import annotations

from datetime import timedelta

from statusledger.site.bars import bars
from statusledger.site.generated import GeneratedPage, page
from statusledger.site.html import esc, icon, link, section, status_badge, time_tag
from statusledger.site.i18n import Locale
from statusledger.site.parts import (
    affects,
    impact,
    maintenance_when,
    record_item,
    started,
)
from statusledger.views import ComponentView, IncidentView, MaintenanceView, View

PAST_DAYS = 7
# Worst first: the order in which the banner names what is affected.
_BANNER_ORDER = ("major_outage", "partial_outage", "degraded_performance", "under_maintenance")


def affected_names(view: View) -> list[tuple[str, list[str]]]:
    """(status, component names) for every status but operational, worst first."""
    found = []
    for status in _BANNER_ORDER:
        names = [c.name for c in view.components if c.status.value == status]
        if names:
            found.append((status, names))
    return found


def banner(view: View, loc: Locale) -> str:
    """The overall status as the page's heading, naming the affected components."""
    status = view.overall.value
    named = affected_names(view)
    if named:
        text = " · ".join(f"{loc.t('banner.part.' + s)}: {', '.join(names)}" for s, names in named)
    else:
        text = loc.t("banner." + status)
    return (
        f'<div class="sl-banner sl-banner--{esc(status)}">'
        f'<span class="sl-icon" aria-hidden="true">{icon(status)}</span>'
        f"<h1>{esc(text)}</h1></div>"
    )


def description(view: View, loc: Locale) -> str:
    """The home page's meta description: what is affected now, and whose page this is."""
    named = affected_names(view)
    now = (
        "; ".join(f"{loc.t('banner.part.' + s)}: {', '.join(n)}" for s, n in named)
        if named
        else loc.t("banner.operational")
    )
    return loc.t("meta.home", site=view.page.name, now=now)


def home(view: View, loc: Locale) -> GeneratedPage:
    """The front page (see the module docstring for its order)."""
    parts = [
        banner(view, loc),
        f'<p class="sl-updated">{esc(loc.t("home.last_updated"))} {time_tag(view.now, loc)}</p>',
    ]
    if view.page.description:
        parts.append(f"<p>{esc(view.page.description)}</p>")
    parts.append(subscribe(view, loc))
    if view.open_incidents:
        cards = "".join(_card(i, view, loc) for i in view.open_incidents)
        parts.append(section(loc.t("home.open_incidents"), cards, cls="sl-current"))
    for key, found in (
        ("home.active_maintenance", view.active_maintenances),
        ("home.upcoming_maintenance", view.upcoming_maintenances),
    ):
        if found:
            items = "".join(_maintenance_card(m, view, loc) for m in found)
            parts.append(section(loc.t(key), items))
    parts.append(section(loc.t("home.components"), _groups(view, loc)))
    parts.append(_past(view, loc))
    return page("index.md", view.page.name, "".join(parts), description(view, loc))


def _card(incident: IncidentView, view: View, loc: Locale) -> str:
    level = incident.worst_level.value if incident.worst_level else "none"
    latest = incident.updates[-1]
    due = ""
    if incident.next_update_due is not None:
        when = time_tag(
            incident.next_update_due,
            loc,
            clock=loc.local(incident.next_update_due).date() == loc.local(view.now).date(),
        )
        due = f'<p class="sl-due">{esc(loc.t("home.next_update"))} {when}</p>'
    return (
        f'<article class="sl-card sl-card--{esc(level)}">'
        f"<h3>{link(0, f'incidents/{incident.id}/', incident.title)}</h3>"
        f"<p>{impact(incident, loc)}</p>{affects(incident, 0, loc)}"
        f'<div class="sl-latest"><p><strong>'
        f"{esc(loc.t('incident_status.' + latest.status))}</strong> · "
        f"{time_tag(latest.at, loc)}</p>"
        f'<div class="sl-message">{latest.html}</div></div>{due}</article>'
    )


def _maintenance_card(item: MaintenanceView, view: View, loc: Locale) -> str:
    names = ", ".join(
        link(0, f"components/{c}/", found.name if found else c)
        for c, found in ((c, view.component(c)) for c in item.component_ids)
    )
    affects_line = f'<p class="sl-affects">{esc(loc.t("affects"))} {names}</p>' if names else ""
    return (
        f'<article class="sl-card sl-card--maintenance">'
        f"<h3>{link(0, f'incidents/{item.id}/', item.title)}</h3>"
        f"<p><strong>{maintenance_when(item, view.now, loc)}</strong></p>{affects_line}"
        f'<div class="sl-message">{item.updates[-1].html}</div></article>'
    )


def _groups(view: View, loc: Locale) -> str:
    parts = []
    for group in view.groups:
        shown = [
            c
            for c in group.components
            if not c.only_show_if_degraded or c.status.value != "operational"
        ]
        if not shown:
            continue
        rows = "".join(_component_row(view, c, loc) for c in shown)
        name = group.name if group.name is not None else loc.t("home.other")
        parts.append(
            f'<section class="sl-group"><h3>{esc(name)}</h3>'
            f'<ul class="sl-components">{rows}</ul></section>'
        )
    return "".join(parts)


def _component_row(view: View, component: ComponentView, loc: Locale) -> str:
    uptime = (
        loc.t("bars.uptime", value=loc.percent(component.uptime))
        if component.uptime is not None
        else loc.t("bars.no_data")
    )
    return (
        f'<li class="sl-component"><div class="sl-component__head">'
        f"<span>{link(0, f'components/{component.id}/', component.name)} "
        f'<span class="sl-note">{esc(uptime)}</span></span>'
        f"{status_badge(component.status.value, loc)}</div>"
        f"{bars(view, component, 0, loc, here=False)}</li>"
    )


def _past(view: View, loc: Locale) -> str:
    """The records that began on each of the last PAST_DAYS days, newest day first."""
    today = loc.local(view.now).date()
    days = [today - timedelta(days=n) for n in range(PAST_DAYS)]
    by_day: dict[object, list[IncidentView | MaintenanceView]] = {d: [] for d in days}
    records: list[IncidentView | MaintenanceView] = [*view.incidents, *view.maintenances]
    for record in records:
        if isinstance(record, MaintenanceView) and record.state == "upcoming":
            continue
        day = loc.local(started(record)).date()
        if day in by_day:
            by_day[day].append(record)
    parts = []
    for day in days:
        found = sorted(by_day[day], key=started, reverse=True)
        body = (
            f'<ul class="sl-list">{"".join(record_item(r, view, 0, loc) for r in found)}</ul>'
            if found
            else f'<p class="sl-quiet">{esc(loc.t("past.none"))}</p>'
        )
        parts.append(
            f'<section class="sl-day-past"><h3><time datetime="{day.isoformat()}">'
            f"{esc(loc.day(day))}</time></h3>{body}</section>"
        )
    parts.append(f"<p>{link(0, 'history/', loc.t('past.history'))}</p>")
    return section(loc.t("past.title"), "".join(parts), cls="sl-past")


def subscribe(view: View, loc: Locale) -> str:
    """How to follow the page: feeds, calendar, API, badges; per component too. No JavaScript."""
    rows = "".join(
        f"<li>{esc(c.name)}: "
        f'<a href="components/{esc(c.id)}/history.rss">RSS</a> · '
        f'<a href="components/{esc(c.id)}/history.atom">Atom</a> · '
        f'<a href="badges/{esc(c.id)}.svg">{esc(loc.t("subscribe.badge"))}</a></li>'
        for c in view.components
    )
    return (
        f'<details class="sl-subscribe"><summary>{esc(loc.t("subscribe.title"))}</summary>'
        f"<ul>"
        f'<li><a href="history.rss">RSS</a> · <a href="history.atom">Atom</a>: '
        f"{esc(loc.t('subscribe.feeds'))}</li>"
        f'<li><a href="maintenance.ics">iCalendar</a>: {esc(loc.t("subscribe.calendar"))}</li>'
        f'<li><a href="api/v2/summary.json">JSON API</a>: {esc(loc.t("subscribe.api"))}</li>'
        f"</ul><p>{esc(loc.t('subscribe.components'))}</p>"
        f'<ul class="sl-subscribe__components">{rows}</ul></details>'
    )
