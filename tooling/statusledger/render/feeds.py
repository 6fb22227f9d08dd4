"""RSS 2.0 and Atom feeds of every public update, per page and per component, and of postmortems.

Feed readers remember entries by id, so each entry's id is a tag URI built only from things
that never change once merged: the host, the record id, the day of its first update and the
update's index from the start (updates are append-only). Rebuilding, or appending an update,
never makes an old entry look new. No date in a feed comes from the wall clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time
from urllib.parse import urlsplit

from feedgen.feed import FeedGenerator

from statusledger.views import IncidentView, MaintenanceView, View

RSS = "application/rss+xml"
ATOM = "application/atom+xml"
_WORDS = {
    "investigating": "Investigating",
    "identified": "Identified",
    "monitoring": "Monitoring",
    "resolved": "Resolved",
    "scheduled": "Scheduled",
    "in_progress": "In progress",
    "verifying": "Verifying",
    "completed": "Completed",
    "cancelled": "Cancelled",
}

# Titles are plain text, but some readers show RSS titles as HTML: angle brackets never get there.
NO_MARKUP = str.maketrans({"<": "‹", ">": "›"})


@dataclass(frozen=True)
class Entry:
    """One feed entry, independent of the feed format."""

    id: str
    title: str
    link: str
    at: datetime
    html: str
    summary: str | None
    categories: tuple[tuple[str, str], ...]  # (term, label)
    components: tuple[str, ...] = ()


def host(view: View) -> str:
    """The page's host name, the authority of every tag URI and calendar UID."""
    return urlsplit(view.page.url).hostname or "localhost"


def status_words(status: str) -> str:
    """A status as a reader would write it ("in_progress" -> "In progress")."""
    return _WORDS.get(status, status.replace("_", " ").capitalize())


def _update_entries(
    view: View, record: IncidentView | MaintenanceView, category: str, components: Iterable[str]
) -> list[Entry]:
    first_day = record.updates[0].at.date().isoformat()
    labels = tuple(
        (cid, (component.name if (component := view.component(cid)) else cid).translate(NO_MARKUP))
        for cid in components
    )
    return [
        Entry(
            id=f"tag:{host(view)},{first_day}:{record.id}/{index}",
            title=f"{record.title.translate(NO_MARKUP)} — {status_words(update.status)}",
            link=record.url,
            at=update.at,
            html=update.html,
            summary=None,
            categories=((category, category.replace("-", " ")), *labels),
            components=tuple(components),
        )
        for index, update in enumerate(record.updates)
    ]


def _entries(view: View) -> list[Entry]:
    """Every public update once, newest first; component feeds filter this list."""
    entries: list[Entry] = []
    for incident in view.incidents:
        entries += _update_entries(view, incident, incident.category.value, incident.component_ids)
    for maintenance in view.maintenances:
        entries += _update_entries(view, maintenance, "maintenance", maintenance.component_ids)
    return sorted(entries, key=lambda e: (e.at, e.id), reverse=True)


def _postmortem_entries(view: View) -> list[Entry]:
    entries = []
    for postmortem in view.postmortems:
        at = datetime.combine(postmortem.date, time(), view.zone)
        entries.append(
            Entry(
                id=f"tag:{host(view)},{postmortem.date.isoformat()}:postmortem/{postmortem.id}",
                title=postmortem.title.translate(NO_MARKUP),
                link=postmortem.url,
                at=at,
                html=postmortem.html,
                summary=postmortem.summary.translate(NO_MARKUP),
                categories=tuple(
                    (cause.value, cause.value.replace("-", " ")) for cause in postmortem.root_causes
                ),
            )
        )
    return sorted(entries, key=lambda e: (e.at, e.id), reverse=True)


def _feed(view: View, path: str, title: str, subtitle: str, entries: list[Entry]) -> FeedGenerator:
    page = view.page
    updated = entries[0].at if entries else view.now
    feed = FeedGenerator()
    feed.load_extension("dc", atom=False, rss=True)
    feed.id(f"{page.url}/{path}")
    feed.title(title.translate(NO_MARKUP))
    feed.subtitle(subtitle)
    feed.author({"name": page.name})
    feed.link(href=page.url + "/", rel="alternate")
    feed.link(href=f"{page.url}/{path}", rel="self")
    feed.language(page.language)
    feed.generator("statusledger")
    feed.updated(updated)
    feed.lastBuildDate(updated)
    feed.pubDate(updated)
    for item in entries:
        entry = feed.add_entry(order="append")
        entry.id(item.id)
        entry.guid(item.id, permalink=False)
        entry.title(item.title)
        entry.link(href=item.link, rel="alternate")
        entry.updated(item.at)
        entry.published(item.at)
        entry.author({"name": page.name})
        entry.dc.dc_creator(page.name)
        entry.content(item.html, type="html")
        if item.summary:
            entry.summary(item.summary)
        for term, label in item.categories:
            entry.category(term=term, label=label)
    return feed


def _stem_feed(
    view: View, stem: str, title: str, subtitle: str, entries: list[Entry]
) -> dict[str, bytes]:
    """Both formats from one generator (entries are built once); only the self link differs."""
    feed = _feed(view, f"{stem}.atom", title, subtitle, entries)
    atom = feed.atom_str(pretty=True)
    feed.link(
        [
            {"href": view.page.url + "/", "rel": "alternate"},
            {"href": f"{view.page.url}/{stem}.rss", "rel": "self"},
        ],
        replace=True,
    )
    return {f"{stem}.rss": feed.rss_str(pretty=True), f"{stem}.atom": atom}


def render_feeds(view: View) -> dict[str, bytes]:
    """history.rss/.atom, the same per component, and postmortems/feed.rss/.atom."""
    name = view.page.name
    everything = _entries(view)
    files = _stem_feed(
        view,
        "history",
        f"{name} status",
        f"Every incident and maintenance update of {name}",
        everything,
    )
    for component in view.components:
        files |= _stem_feed(
            view,
            f"components/{component.id}/history",
            f"{name} status: {component.name}",
            f"Every incident and maintenance update of {component.name}",
            [e for e in everything if component.id in e.components],
        )
    files |= _stem_feed(
        view,
        "postmortems/feed",
        f"{name} postmortems",
        f"Published postmortems of {name}",
        _postmortem_entries(view),
    )
    return files


def feed_links(view: View, component_id: str | None = None) -> list[tuple[str, str, str]]:
    """(type, title, href) for <link rel="alternate"> so browsers and readers find the feeds."""
    name = view.page.name
    if component_id is None:
        stem, what = "history", f"{name} status"
    else:
        component = view.component(component_id)
        label = component.name if component else component_id
        stem, what = f"components/{component_id}/history", f"{name} status: {label}"
    return [
        (RSS, f"{what} (RSS)", f"{view.page.url}/{stem}.rss"),
        (ATOM, f"{what} (Atom)", f"{view.page.url}/{stem}.atom"),
    ]


__all__ = ["ATOM", "NO_MARKUP", "RSS", "feed_links", "host", "render_feeds", "status_words"]
