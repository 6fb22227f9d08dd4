"""Scheduled maintenance as an iCalendar feed (RFC 5545) people can subscribe to.

A calendar client updates an event it already has when the UID matches and the SEQUENCE is
higher, so the UID is fixed per record and SEQUENCE counts the record's updates: every appended
update (rescheduled, started, cancelled) replaces the old event instead of adding a second one.
DTSTAMP is the last update's time, not the build's, so two builds are byte-identical.
"""

from __future__ import annotations

import html

from icalendar import Calendar, Event

from statusledger.markup import plain_text
from statusledger.render.feeds import NO_MARKUP, host, status_words
from statusledger.views import MaintenanceView, View


def calendar_text(message: str) -> str:
    """A message as plain text that no client can run, even one that renders DESCRIPTION as HTML."""
    return html.unescape(plain_text(message)).translate(NO_MARKUP)


def _event(view: View, maintenance: MaintenanceView) -> Event:
    latest = maintenance.updates[-1]
    event = Event()
    event.add("uid", f"{maintenance.id}@{host(view)}")
    event.add("dtstamp", maintenance.updated)
    event.add("created", maintenance.created)
    event.add("last-modified", maintenance.updated)
    event.add("sequence", len(maintenance.updates) - 1)
    event.add("dtstart", maintenance.start)
    event.add("dtend", maintenance.end)
    event.add("summary", maintenance.title.translate(NO_MARKUP))
    event.add(
        "description",
        f"{status_words(latest.status)}: {calendar_text(latest.message)}\n\n{maintenance.url}",
    )
    event.add("url", maintenance.url)
    event.add("status", "CANCELLED" if maintenance.state == "cancelled" else "CONFIRMED")
    event.add("transp", "TRANSPARENT")
    names = []
    for component_id in maintenance.component_ids:
        component = view.component(component_id)
        names.append((component.name if component else component_id).translate(NO_MARKUP))
    if names:  # one CATEGORIES line with every component: some parsers reject a second one
        event.add("categories", names)
    return event


def render_ics(view: View) -> dict[str, bytes]:
    """maintenance.ics: every public maintenance window, oldest first."""
    calendar = Calendar()
    calendar.add("prodid", "-//statusledger//maintenance//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"{view.page.name} maintenance")
    calendar.add("x-wr-timezone", "UTC")
    for maintenance in sorted(view.maintenances, key=lambda m: (m.start, m.id)):
        calendar.add_component(_event(view, maintenance))
    return {"maintenance.ics": calendar.to_ical()}
