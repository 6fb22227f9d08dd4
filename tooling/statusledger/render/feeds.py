"""RSS 2.0 and Atom feeds of every public update, per page and per component, and of postmortems.

Feed readers remember entries by id, so each entry's id is a tag URI built only from things
that never change once merged: the host, the record id, the day of its first update and the
update's index from the start (updates are append-only). Rebuilding, or appending an update,
never makes an old entry look new. No date in a feed comes from the wall clock.

The update feeds are archived feeds (RFC 5005 §4), because one document of every update is about
100 MB at 10,000 incidents and every subscriber would poll it. The subscription documents hold the
current month and at least the newest FEED_MIN_ENTRIES updates; each earlier month with updates is
an Atom archive document in a prev-archive/next-archive chain. Past months rarely change, so a
caller's memo maps a hash of everything an archive shows to its bytes, and a rebuild renders only
the months that changed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, MutableMapping
from dataclasses import dataclass, fields
from datetime import datetime, time
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from feedgen.entry import FeedEntry
from feedgen.ext.dc import DcEntryExtension, DcExtension
from feedgen.feed import FeedGenerator
from feedgen.util import xml_elem

from statusledger.render.discovery import ATOM, RSS, feed_links
from statusledger.views import IncidentView, MaintenanceView, View

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
    authority = host(view)
    title = record.title.translate(NO_MARKUP)
    labels = tuple(
        (cid, (component.name if (component := view.component(cid)) else cid).translate(NO_MARKUP))
        for cid in components
    )
    return [
        Entry(
            id=f"tag:{authority},{first_day}:{record.id}/{index}",
            title=f"{title} — {status_words(update.status)}",
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


# A subscription document never shows fewer updates than this, so a quiet month is not empty.
FEED_MIN_ENTRIES = 50
# Part of every memo key: change it whenever the same data would render to different bytes, so a
# memo kept across versions never hands back an archive in an old format.
FEED_FORMAT = "statusledger-feeds/1"
FH = "http://purl.org/syndication/history/1.0"
_ATOM_NS = "http://www.w3.org/2005/Atom"
# An lxml element from feedgen (lxml ships no type information).
XmlElement = Any


@dataclass(frozen=True)
class Document:
    """One feed document as data: its bytes depend on these fields only, so they key the memo."""

    path: str
    id: str
    title: str
    subtitle: str
    author: str
    language: str
    updated: datetime
    links: tuple[tuple[str, str], ...]  # (rel, href), in output order
    entries: tuple[Entry, ...]
    archive: bool = False


class _History:
    """A feedgen extension for what feedgen cannot write: fh:archive, and atom:links in RSS.

    feedgen creates it without arguments; _generator sets the fields before rendering.
    """

    def __init__(self) -> None:
        self.archive = False
        self.rss_links: tuple[tuple[str, str], ...] = ()

    def extend_ns(self) -> dict[str, str]:
        """Declare the fh prefix only in archives, so other documents carry no unused namespace."""
        return {"fh": FH} if self.archive else {}

    def extend_atom(self, feed: XmlElement) -> XmlElement:
        """Mark an archive document in the feed head, as RFC 5005 §4 requires."""
        if self.archive:
            xml_elem(f"{{{FH}}}archive", feed)
        return feed

    def extend_rss(self, feed: XmlElement) -> XmlElement:
        """Add the atom:links feedgen leaves out of RSS (it writes only self); RFC 5005 app. B."""
        for rel, href in self.rss_links:
            xml_elem(f"{{{_ATOM_NS}}}link", feed[0], href=href, rel=rel)
        return feed


def _url(view: View, path: str) -> str:
    """Absolute, as every link in the feeds: readers keep entries apart from their document."""
    return f"{view.page.url}/{path}"


def _html_page(view: View, path: str) -> str:
    """The HTML page a feed document is about: a component's, the postmortem archive, or home."""
    parts = path.split("/")
    if parts[0] == "components" and len(parts) > 2:
        return _url(view, f"components/{parts[1]}/")
    return _url(view, "postmortems/") if parts[0] == "postmortems" else view.page.url + "/"


def _document(
    view: View,
    path: str,
    title: str,
    subtitle: str,
    entries: list[Entry],
    links: Iterable[tuple[str, str]] = (),
    *,
    archive: bool = False,
    feed_id: str | None = None,
) -> Document:
    """The head every document shares: dated by its newest entry, by `now` only when empty."""
    return Document(
        path=path,
        id=feed_id or _url(view, path),
        title=title.translate(NO_MARKUP),
        subtitle=subtitle.translate(NO_MARKUP),
        author=view.page.name,
        language=view.page.language,
        updated=entries[0].at if entries else view.now,
        links=(("alternate", _html_page(view, path)), ("self", _url(view, path)), *links),
        entries=tuple(entries),
        archive=archive,
    )


# feedgen entries already built in this render, by (entry, author): most updates are shown in
# several documents (the page's feed and each affected component's), and building them is half
# the cost of rendering.
_Built = dict[tuple[Entry, str], FeedEntry]


def _feed_entry(item: Entry, author: str) -> FeedEntry:
    """An entry for feedgen, built once and added to every generator that shows it."""
    entry = FeedEntry()
    # Registered by class: load_extension("dc") searches sys.path for a dc_entry module each time.
    entry.register_extension("dc", DcEntryExtension, atom=False, rss=True)
    entry.id(item.id)
    entry.guid(item.id, permalink=False)
    entry.title(item.title)
    entry.link(href=item.link, rel="alternate")
    entry.updated(item.at)
    entry.published(item.at)
    entry.author({"name": author})
    entry.dc.dc_creator(author)
    entry.content(item.html, type="html")
    if item.summary:
        entry.summary(item.summary)
    for term, label in item.categories:
        entry.category(term=term, label=label)
    return entry


def _generator(doc: Document, built: _Built) -> FeedGenerator:
    """A generator from the Document alone, so that the Document's key stands for its bytes."""
    feed = FeedGenerator()
    feed.register_extension("dc", DcExtension, DcEntryExtension, atom=False, rss=True)
    feed.register_extension("fh", _History, None)
    feed.fh.archive = doc.archive
    feed.id(doc.id)
    feed.title(doc.title)
    feed.subtitle(doc.subtitle)
    feed.author({"name": doc.author})
    for rel, href in doc.links:
        feed.link(href=href, rel=rel)
    feed.language(doc.language)
    feed.generator("statusledger")
    feed.updated(doc.updated)
    feed.lastBuildDate(doc.updated)
    feed.pubDate(doc.updated)
    for item in doc.entries:
        entry = built.get((item, doc.author))
        if entry is None:
            entry = built[item, doc.author] = _feed_entry(item, doc.author)
        feed.add_entry(entry, order="append")
    return feed


def _stem_feed(view: View, doc: Document, built: _Built) -> dict[str, bytes]:
    """Both formats from one generator (entries are built once); only the self link differs.

    RSS gets the Atom document's archive links through _History, as feedgen drops them.
    """
    rss_path = doc.path.removesuffix(".atom") + ".rss"
    feed = _generator(doc, built)
    atom = feed.atom_str(pretty=True)
    # feedgen writes the last link as the RSS channel's <link>: the HTML page, not the feed.
    feed.link(
        [
            {"href": _url(view, rss_path), "rel": "self"},
            {"href": _html_page(view, doc.path), "rel": "alternate"},
        ],
        replace=True,
    )
    feed.fh.rss_links = tuple(link for link in doc.links if link[0] not in ("alternate", "self"))
    return {rss_path: feed.rss_str(pretty=True), doc.path: atom}


def _atom(doc: Document, built: _Built) -> bytes:
    """An archive document: Atom only, since RFC 5005 archives are an Atom mechanism."""
    return bytes(_generator(doc, built).atom_str(pretty=True))


def _streams(view: View) -> list[tuple[str, str, str, list[Entry]]]:
    """(stem, title, subtitle, entries) of the page's update feed and of each component's."""
    name = view.page.name
    everything = _entries(view)
    by_component: dict[str, list[Entry]] = {}
    for entry in everything:  # one pass, not one per component: 40,000 updates x 50 components
        for component_id in entry.components:
            by_component.setdefault(component_id, []).append(entry)
    streams = [
        (
            "history",
            f"{name} status",
            f"Every incident and maintenance update of {name}",
            everything,
        )
    ]
    for component in view.components:
        streams.append(
            (
                f"components/{component.id}/history",
                f"{name} status: {component.name}",
                f"Every incident and maintenance update of {component.name}",
                by_component.get(component.id, []),
            )
        )
    return streams


def _month(at: datetime, zone: ZoneInfo) -> str:
    """YYYY-MM in the page's time zone, where the history page cuts its months too."""
    local = at.astimezone(zone)
    return f"{local.year:04d}-{local.month:02d}"


def _split(view: View, entries: list[Entry]) -> tuple[list[Entry], list[tuple[str, list[Entry]]]]:
    """The subscription's entries, and every month before the current one with its entries.

    Entries are newest first, so the current month (and anything dated after it) is a prefix;
    the subscription takes it or the newest FEED_MIN_ENTRIES, whichever is longer. Every earlier
    entry is archived, also those the subscription repeats (RFC 5005 allows the overlap), so the
    archives alone hold every past month whole.
    """
    zone = view.zone
    current = _month(view.now, zone)
    months = [_month(entry.at, zone) for entry in entries]
    recent = next((i for i, month in enumerate(months) if month < current), len(entries))
    archived: dict[str, list[Entry]] = {}
    for month, entry in zip(months[recent:], entries[recent:], strict=True):
        archived.setdefault(month, []).append(entry)
    return entries[: max(recent, FEED_MIN_ENTRIES)], list(archived.items())


def _archives(
    view: View, stem: str, title: str, subtitle: str, months: list[tuple[str, list[Entry]]]
) -> list[Document]:
    """One archive per month with updates (newest first), chained to its neighbouring months.

    They share the subscription's atom:id: together they are one logical feed.
    """
    current = _url(view, f"{stem}.atom")
    paths = [f"{stem}/archive/{month}.atom" for month, _ in months]
    documents = []
    for index, (month, entries) in enumerate(months):
        links = [("current", current)]
        if index + 1 < len(paths):
            links.append(("prev-archive", _url(view, paths[index + 1])))
        if index > 0:
            links.append(("next-archive", _url(view, paths[index - 1])))
        documents.append(
            _document(
                view,
                paths[index],
                title,
                f"{subtitle} in {month}",
                entries,
                links,
                archive=True,
                feed_id=current,
            )
        )
    return documents


def _plan(view: View) -> list[tuple[Document, list[Document]]]:
    """Each update feed as its subscription Atom document and its archive documents."""
    plans = []
    for stem, title, subtitle, entries in _streams(view):
        recent, months = _split(view, entries)
        archives = _archives(view, stem, title, subtitle, months)
        links = [("prev-archive", _url(view, archives[0].path))] if archives else []
        plans.append((_document(view, f"{stem}.atom", title, subtitle, recent, links), archives))
    return plans


def _key_part(value: object) -> bytes:
    """Self-delimiting JSON, so no two different documents hash the same concatenation."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=_isoformat)
    return text.encode() + b"\n"


def _isoformat(value: object) -> str:
    """Times as written in the feeds; anything else unexpected fails rather than hash loosely."""
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"cannot key {type(value).__name__}")


_HEAD_FIELDS = tuple(f.name for f in fields(Document) if f.name != "entries")
_ENTRY_FIELDS = tuple(f.name for f in fields(Entry))


def _entry_digest(entry: Entry, digests: dict[Entry, bytes]) -> bytes:
    """sha256 of every field of an entry, once per render: most are in several archives."""
    digest = digests.get(entry)
    if digest is None:
        fields_ = [getattr(entry, name) for name in _ENTRY_FIELDS]
        digest = digests[entry] = hashlib.sha256(_key_part(fields_)).digest()
    return digest


def document_key(doc: Document, digests: dict[Entry, bytes] | None = None) -> str:
    """sha256 hex of the format version, every head field, and each entry's digest, in order.

    An entry's digest covers every field of it. Fields are read from the dataclasses, so a field
    added later joins the key by itself. `digests` shares entry digests between documents.
    """
    known = {} if digests is None else digests
    digest = hashlib.sha256(_key_part([FEED_FORMAT, *(getattr(doc, n) for n in _HEAD_FIELDS)]))
    for entry in doc.entries:
        digest.update(_entry_digest(entry, known))
    return digest.hexdigest()


def archive_keys(view: View) -> dict[str, str]:
    """{archive path: memo key} of every archive document, e.g. to prune a persistent memo."""
    digests: dict[Entry, bytes] = {}
    return {doc.path: document_key(doc, digests) for _, archives in _plan(view) for doc in archives}


def _memoised(
    view: View,
    doc: Document,
    memo: MutableMapping[str, bytes] | None,
    built: _Built,
    digests: dict[Entry, bytes],
) -> dict[str, bytes]:
    """A document's files from the memo by its key, else rendered and remembered there.

    Archives are Atom only; a subscription document also RSS (under key.atom and key.rss).
    """
    if memo is None:
        return {doc.path: _atom(doc, built)} if doc.archive else _stem_feed(view, doc, built)
    key = document_key(doc, digests)
    rss = doc.path.removesuffix(".atom") + ".rss"
    keys = {doc.path: key} if doc.archive else {doc.path: f"{key}.atom", rss: f"{key}.rss"}
    found = {path: memo.get(name) for path, name in keys.items()}
    if all(data is not None for data in found.values()):
        return {path: data for path, data in found.items() if data is not None}
    files = {doc.path: _atom(doc, built)} if doc.archive else _stem_feed(view, doc, built)
    memo.update((keys[path], data) for path, data in files.items())
    return files


def render_feeds(view: View, memo: MutableMapping[str, bytes] | None = None) -> dict[str, bytes]:
    """history.rss/.atom, the same per component, their monthly archives, and postmortems/feed.

    Every document comes from `memo` when it already holds its key, and is stored in it
    otherwise (see _memoised).
    """
    files: dict[str, bytes] = {}
    built: _Built = {}
    digests: dict[Entry, bytes] = {}
    for subscription, archives in _plan(view):
        files |= _memoised(view, subscription, memo, built, digests)
        for archive in archives:
            files |= _memoised(view, archive, memo, built, digests)
    name = view.page.name
    postmortems = _document(
        view,
        "postmortems/feed.atom",
        f"{name} postmortems",
        f"Published postmortems of {name}",
        _postmortem_entries(view),
    )
    return files | _memoised(view, postmortems, memo, built, digests)


__all__ = [
    "ATOM",
    "FEED_FORMAT",
    "FEED_MIN_ENTRIES",
    "NO_MARKUP",
    "RSS",
    "Document",
    "archive_keys",
    "document_key",
    "feed_links",
    "host",
    "render_feeds",
    "status_words",
]
