"""The postmortem archive (with lists by root cause and category) and each postmortem."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit

from statusledger.site.generated import GeneratedPage, page, record_description
from statusledger.site.html import day_tag, esc, href, link, safe_url, section, table
from statusledger.site.i18n import Locale
from statusledger.site.parts import facts
from statusledger.views import ActionItemView, PostmortemView, View

_OPEN = ("open", "in_progress")


def _categories(view: View, postmortem: PostmortemView) -> list[str]:
    found = []
    for incident_id in postmortem.incident_ids:
        incident = view.incident(incident_id)
        if incident is not None and incident.category.value not in found:
            found.append(incident.category.value)
    return found


def postmortem_archive(view: View, loc: Locale) -> list[GeneratedPage]:
    """The archive, plus one filtered list per root cause and per category (plain links)."""
    causes = sorted({c.value for p in view.postmortems for c in p.root_causes})
    categories = sorted({c for p in view.postmortems for c in _categories(view, p)})
    filters = (causes, categories)
    pages = [
        _archive(
            view, view.postmortems, "postmortems/index.md", loc.t("postmortems.title"), filters, loc
        )
    ]
    for cause in causes:
        chosen = [p for p in view.postmortems if cause in {c.value for c in p.root_causes}]
        title = loc.t("postmortems.cause_title", cause=loc.t("root_cause." + cause))
        pages.append(
            _archive(view, chosen, f"postmortems/root-cause/{cause}/index.md", title, filters, loc)
        )
    for category in categories:
        chosen = [p for p in view.postmortems if category in _categories(view, p)]
        title = loc.t("postmortems.category_title", category=loc.t("category." + category))
        pages.append(
            _archive(view, chosen, f"postmortems/category/{category}/index.md", title, filters, loc)
        )
    return pages


def _archive(
    view: View,
    chosen: list[PostmortemView],
    src_uri: str,
    title: str,
    filters: tuple[list[str], list[str]],
    loc: Locale,
) -> GeneratedPage:
    depth = GeneratedPage(src_uri, "", "").depth
    here = src_uri.removesuffix("index.md")

    def nav(label: str, kind: str, values: list[str], prefix: str) -> str:
        links = []
        for value in values:
            target = f"postmortems/{kind}/{value}/"
            text = loc.t(prefix + value)
            links.append(
                f'<li><a href="{href(depth, target)}" aria-current="page">{esc(text)}</a></li>'
                if target == here
                else f"<li>{link(depth, target, text)}</li>"
            )
        return (
            f'<nav class="sl-filters" aria-label="{esc(label)}"><p>{esc(label)}:</p>'
            f"<ul>{''.join(links)}</ul></nav>"
        )

    causes, categories = filters
    parts = [f"<h1>{esc(title)}</h1>"]
    if here != "postmortems/":
        parts.append(f"<p>{link(depth, 'postmortems/', loc.t('postmortems.all'))}</p>")
    if causes:
        parts.append(nav(loc.t("postmortems.by_cause"), "root-cause", causes, "root_cause."))
    if categories:
        parts.append(nav(loc.t("postmortems.by_category"), "category", categories, "category."))
    if not chosen:
        parts.append(f"<p>{esc(loc.t('postmortems.empty'))}</p>")
    items = "".join(
        f'<li><p class="sl-list__title">{link(depth, f"postmortems/{p.id}/", p.title)}</p>'
        f"<p>{day_tag(p.date, loc)} · "
        f"{esc(', '.join(loc.t('root_cause.' + c.value) for c in p.root_causes))}</p>"
        f"<p>{esc(p.summary)}</p></li>"
        for p in chosen
    )
    if items:
        parts.append(f'<ul class="sl-list">{items}</ul>')
    description = loc.t("meta.postmortems", title=title, site=view.page.name)
    return page(src_uri, title, "".join(parts), description)


def postmortem_page(view: View, postmortem: PostmortemView, loc: Locale) -> GeneratedPage:
    """One published postmortem: its summary once, its body, its action items' public fields."""
    depth = 2
    incidents = ", ".join(
        link(depth, f"incidents/{i}/", found.title if found else i)
        for i, found in ((i, view.incident(i)) for i in postmortem.incident_ids)
    )
    causes = ", ".join(
        link(depth, f"postmortems/root-cause/{c.value}/", loc.t("root_cause." + c.value))
        for c in postmortem.root_causes
    )
    pairs = [(loc.t("postmortems.date"), day_tag(postmortem.date, loc))]
    if incidents:
        pairs.append((loc.t("postmortems.incidents"), incidents))
    if causes:
        pairs.append((loc.t("postmortems.root_causes"), causes))
    if postmortem.detection is not None:
        pairs.append(
            (loc.t("postmortems.detection"), esc(loc.t("detection." + postmortem.detection.value)))
        )
    # The summary leads the page without a heading of its own: the body has its "Summary".
    parts = [
        f"<h1>{esc(postmortem.title)}</h1>",
        f'<p class="sl-lead">{esc(postmortem.summary)}</p>',
        facts(pairs),
        f'<div class="sl-body">{postmortem.html}</div>',
    ]
    if postmortem.action_items:
        today = loc.local(view.now).date()
        rows = [_action_row(a, today, loc) for a in postmortem.action_items]
        heads = [
            loc.t("action." + k)
            for k in ("id", "title", "type", "priority", "due", "status", "ticket")
        ]
        heading = loc.t("postmortems.action_items")
        if _has_heading(postmortem.html, heading):  # the body's own section introduces them
            parts.append(table(heads, rows, stack=True))
        else:
            parts.append(section(heading, table(heads, rows, stack=True)))
    return page(
        f"postmortems/{postmortem.id}.md",
        postmortem.title,
        "".join(parts),
        record_description(postmortem.title, view.page.name, loc),
    )


def _has_heading(body: str, text: str) -> bool:
    """Whether the postmortem's body already has a heading with this text."""
    pattern = rf"<h[1-6][^>]*>\s*{re.escape(esc(text))}\s*</h[1-6]>"
    return re.search(pattern, body, re.IGNORECASE) is not None


def ticket_label(url: str) -> str:
    """A ticket URL as people read it: host and path, "…" for a query or fragment left out.

    The link keeps the whole URL; the text stays short enough not to fill a phone's screen.
    """
    parts = urlsplit(url)
    label = (parts.netloc + parts.path).rstrip("/")
    return label + "…" if parts.query or parts.fragment else label


def _action_row(item: ActionItemView, today: date, loc: Locale) -> list[str]:
    url = safe_url(item.ticket)
    ticket = (
        f'<a class="sl-url" href="{esc(url)}" rel="nofollow noopener noreferrer">'
        f"{esc(ticket_label(url))}</a>"
        if url
        else f'<span class="sl-url">{esc(item.ticket or "")}</span>'
    )
    status = esc(loc.t("action_status." + item.status.value))
    if item.due is not None and item.due < today and item.status.value in _OPEN:
        status += (
            f' <span class="sl-overdue"><span class="sl-icon" aria-hidden="true">!</span> '
            f"{esc(loc.t('action.overdue'))}</span>"
        )
    return [
        esc(item.id),
        esc(item.title),
        esc(loc.t("action_type." + item.type.value)),
        esc(loc.t("priority." + item.priority.value)),
        day_tag(item.due, loc) if item.due else "",
        status,
        ticket,
    ]
