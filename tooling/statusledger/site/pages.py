"""The pages of the status site as HTML fragments, generated from the View.

Each function returns one `GeneratedPage`: the source path MkDocs files it under, its title and
the HTML of its content. Everything shown works without JavaScript; record text is escaped and
only the sanitised HTML of messages and postmortem bodies is inserted as-is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from statusledger import readahead
from statusledger.records.models import Correction
from statusledger.site.html import (
    day_tag,
    esc,
    href,
    link,
    safe_url,
    section,
    status_badge,
    table,
    time_tag,
)
from statusledger.site.i18n import Locale, locale
from statusledger.site.months import MonthUptime, monthly
from statusledger.views import (
    ComponentView,
    IncidentView,
    MaintenanceView,
    PostmortemView,
    UpdateView,
    View,
)

SLA_MONTHS = 3


@dataclass(frozen=True)
class GeneratedPage:
    """One page: where MkDocs files it, its title (plain text) and its content HTML."""

    src_uri: str
    title: str
    content: str

    @property
    def depth(self) -> int:
        """How many folders deep the page's URL is (index.md → 0, a/b.md → 2)."""
        parts = self.src_uri.split("/")
        return len(parts) - 1 if parts[-1] == "index.md" else len(parts)


def generate(
    view: View, months: Mapping[str, list[MonthUptime]] | None = None
) -> list[GeneratedPage]:
    """Every page of the site, in a stable order.

    `months` holds each component's uptime per month (newest first) as `statusledger sla`
    computes it; without it the pages fall back to the daily figures of the bars. On a big site
    with a second core, half the steps run in a forked child (readahead.py): they only read
    the View, and pages come back as plain text.
    """
    batches = readahead.halved(
        _makers(view, months), _make, _encode, _decode, size=len(view.incidents)
    )
    return [page for batch in batches for page in batch]


def _makers(
    view: View, months: Mapping[str, list[MonthUptime]] | None
) -> list[Callable[[], list[GeneratedPage]]]:
    """The site as independent steps, each making one or a few pages, in page order."""
    loc = locale(view.page.language, view.page.timezone)
    per_month = {
        c.id: list((months or {}).get(c.id) or monthly(c, SLA_MONTHS)) for c in view.components
    }
    makers: list[Callable[[], list[GeneratedPage]]] = [
        lambda: [home(view, loc), *history(view, loc), sla(view, per_month, loc)]
    ]
    makers += [partial(_listed, incident_page, view, i, loc) for i in view.incidents]
    makers += [partial(_listed, maintenance_page, view, m, loc) for m in view.maintenances]
    makers.append(lambda: list(postmortem_archive(view, loc)))
    makers += [partial(_listed, postmortem_page, view, p, loc) for p in view.postmortems]
    makers += [
        partial(_listed, component_page, view, c, per_month[c.id], loc) for c in view.components
    ]
    return makers


def _listed(make: Callable[..., GeneratedPage], *args: Any) -> list[GeneratedPage]:
    return [make(*args)]


def _make(make: Callable[[], list[GeneratedPage]]) -> list[GeneratedPage]:
    return make()


def _encode(pages: list[GeneratedPage]) -> list[tuple[str, str, str]]:
    return [(p.src_uri, p.title, p.content) for p in pages]


def _decode(data: list[tuple[str, str, str]]) -> list[GeneratedPage]:
    return [GeneratedPage(*item) for item in data]


def _page(src_uri: str, title: str, body: str) -> GeneratedPage:
    return GeneratedPage(src_uri, title, f'<div class="sl">{body}</div>')


# --- home ---------------------------------------------------------------------------------------


def banner(view: View, loc: Locale) -> str:
    """The overall status in words, with an icon and a colour."""
    status = view.overall.value
    return (
        f'<p class="sl-banner sl-banner--{esc(status)}" role="status">'
        f'<span class="sl-icon" aria-hidden="true">{_icon(status)}</span> '
        f"{esc(loc.t('banner.' + status))}</p>"
    )


def _icon(status: str) -> str:
    return {"operational": "✓", "under_maintenance": "⚙", "major_outage": "✕"}.get(status, "!")


def home(view: View, loc: Locale) -> GeneratedPage:
    """The front page: banner, open incidents, maintenance, components with uptime bars."""
    depth = 0
    parts = [f"<h1>{esc(view.page.name)}</h1>", banner(view, loc)]
    if view.page.description:
        parts.append(f"<p>{esc(view.page.description)}</p>")
    if view.open_incidents:
        items = "".join(_open_incident(i, depth, loc) for i in view.open_incidents)
        parts.append(section(loc.t("home.open_incidents"), f'<ul class="sl-list">{items}</ul>'))
    for key, found in (
        ("home.active_maintenance", view.active_maintenances),
        ("home.upcoming_maintenance", view.upcoming_maintenances),
    ):
        if found:
            items = "".join(_maintenance_item(m, depth, loc) for m in found)
            parts.append(section(loc.t(key), f'<ul class="sl-list">{items}</ul>'))
    parts.append(section(loc.t("home.components"), _groups(view, depth, loc)))
    parts.append(
        '<p class="sl-feeds"><a href="history.rss">RSS</a> · <a href="history.atom">Atom</a>'
        ' · <a href="maintenance.ics">iCalendar</a></p>'
    )
    return _page("index.md", view.page.name, "".join(parts))


def _open_incident(incident: IncidentView, depth: int, loc: Locale) -> str:
    latest = incident.updates[-1]
    return (
        f'<li class="sl-incident sl-impact--{esc(incident.impact)}">'
        f"<h3>{link(depth, f'incidents/{incident.id}/', incident.title)}</h3>"
        f"<p><strong>{esc(loc.t('incident_status.' + latest.status))}</strong> · "
        f"{time_tag(latest.at, loc)}</p>"
        f'<div class="sl-message">{latest.html}</div></li>'
    )


def _maintenance_item(item: MaintenanceView, depth: int, loc: Locale) -> str:
    return (
        f'<li class="sl-maintenance">'
        f"<h3>{link(depth, f'incidents/{item.id}/', item.title)}</h3>"
        f"<p>{time_tag(item.start, loc)} – {time_tag(item.end, loc)}</p>"
        f'<div class="sl-message">{item.updates[-1].html}</div></li>'
    )


def _groups(view: View, depth: int, loc: Locale) -> str:
    parts = []
    for group in view.groups:
        shown = [
            c
            for c in group.components
            if not c.only_show_if_degraded or c.status.value != "operational"
        ]
        if not shown:
            continue
        rows = "".join(_component_row(c, depth, loc) for c in shown)
        name = group.name if group.name is not None else loc.t("home.other")
        parts.append(
            f'<section class="sl-group"><h3>{esc(name)}</h3>'
            f'<ul class="sl-components">{rows}</ul></section>'
        )
    return "".join(parts)


def _component_row(component: ComponentView, depth: int, loc: Locale) -> str:
    uptime = (
        loc.t("bars.uptime", value=loc.percent(component.uptime))
        if component.uptime is not None
        else loc.t("bars.no_data")
    )
    return (
        f'<li class="sl-component">'
        f'<div class="sl-component__head">'
        f"{link(depth, f'components/{component.id}/', component.name)}"
        f"{status_badge(component.status.value, loc)}</div>"
        f"{bars(component, loc)}"
        f'<p class="sl-bars__legend"><span>{esc(loc.t("bars.ago", days=len(component.days)))}'
        f"</span><span>{esc(uptime)}</span><span>{esc(loc.t('bars.today'))}</span></p></li>"
    )


def bars(component: ComponentView, loc: Locale) -> str:
    """The daily uptime bars: each day's date, uptime and incidents as text in the bar itself.

    The text is visually hidden and shown as a tooltip on hover, so screen readers and browsers
    without JavaScript or colour all get the same facts.
    """
    label = loc.t("bars.label", name=component.name, days=len(component.days))
    items = []
    for day in component.days:
        kind = "none" if day.uptime is None else day.worst.value if day.worst is not None else "ok"
        facts = [
            loc.t("bars.no_data")
            if day.uptime is None
            else loc.t("bars.uptime", value=loc.percent(day.uptime))
        ]
        if day.incident_ids:
            facts.append(loc.t("bars.incidents", ids=", ".join(day.incident_ids)))
        if kind not in ("ok", "none"):
            facts.append(loc.t("status." + kind))
        items.append(
            f'<li class="sl-day sl-day--{kind}"><span class="sl-tip">{day_tag(day.date, loc)}: '
            f"{esc('; '.join(facts))}</span></li>"
        )
    return f'<ol class="sl-bars" aria-label="{esc(label)}">{"".join(items)}</ol>'


# --- incidents and maintenance ------------------------------------------------------------------


def _updates(updates: Iterable[UpdateView], prefix: str, loc: Locale) -> str:
    items = "".join(
        f'<li class="sl-update" id="{esc(u.id)}"><p class="sl-update__head">'
        f"<strong>{esc(loc.t(prefix + u.status))}</strong> · {time_tag(u.at, loc)}</p>"
        f'<div class="sl-message">{u.html}</div></li>'
        for u in updates
    )
    return f'<ol class="sl-updates">{items}</ol>'


def _corrections(corrections: Iterable[Correction], loc: Locale) -> str:
    rows = [
        f"<li>{time_tag(c.at, loc)}: "
        f"{esc(loc.t('incident.correction', what=c.what, why=c.why))}</li>"
        for c in corrections
    ]
    if not rows:
        return ""
    return section(
        loc.t("incident.corrections"), f'<ul class="sl-corrections">{"".join(rows)}</ul>'
    )


def incident_page(view: View, incident: IncidentView, loc: Locale) -> GeneratedPage:
    """One incident: facts, affected components, updates in order, postmortem, corrections."""
    depth = 2
    facts = [
        (loc.t("incident.status"), esc(loc.t("incident_status." + incident.status.value))),
        (loc.t("incident.severity"), esc(incident.severity.value)),
        (loc.t("incident.category"), esc(loc.t("category." + incident.category.value))),
        (loc.t("incident.started"), time_tag(incident.started, loc)),
        (
            loc.t("incident.resolved"),
            time_tag(incident.resolved, loc)
            if incident.resolved
            else esc(loc.t("incident.ongoing")),
        ),
    ]
    if incident.duration is not None:
        facts.append((loc.t("incident.duration"), esc(loc.duration(incident.duration))))
    parts = [f"<h1>{esc(incident.title)}</h1>", _facts(facts)]
    if incident.postmortem_id:
        parts.append(
            f'<p class="sl-postmortem-link">'
            f"{link(depth, f'postmortems/{incident.postmortem_id}/', loc.t('incident.postmortem'))}"
            "</p>"
        )
    if incident.affected:
        rows = [
            [
                link(depth, f"components/{a.component_id}/", a.name),
                status_badge(a.level.value, loc),
                time_tag(a.start, loc),
                time_tag(a.end, loc) if a.end else esc(loc.t("incident.ongoing")),
            ]
            for a in incident.affected
        ]
        heads = [
            loc.t(k)
            for k in ("incident.component", "incident.level", "incident.from", "incident.to")
        ]
        parts.append(section(loc.t("incident.affected"), table(heads, rows)))
    else:
        parts.append(
            section(loc.t("incident.affected"), f"<p>{esc(loc.t('incident.no_impact'))}</p>")
        )
    parts.append(
        section(loc.t("incident.updates"), _updates(incident.updates, "incident_status.", loc))
    )
    parts.append(_corrections(incident.corrections, loc))
    return _page(f"incidents/{incident.id}.md", incident.title, "".join(parts))


def maintenance_page(view: View, item: MaintenanceView, loc: Locale) -> GeneratedPage:
    """One maintenance window: when, which components, its updates in order."""
    depth = 2
    names = {c.id: c.name for c in view.components}
    components = ", ".join(
        link(depth, f"components/{c}/", names.get(c, c)) for c in item.component_ids
    )
    facts = [
        (loc.t("incident.status"), esc(loc.t("maintenance_status." + item.status.value))),
        (loc.t("maintenance.window"), f"{time_tag(item.start, loc)} – {time_tag(item.end, loc)}"),
        (loc.t("maintenance.components"), components),
    ]
    parts = [
        f"<h1>{esc(item.title)}</h1>",
        _facts(facts),
        section(loc.t("incident.updates"), _updates(item.updates, "maintenance_status.", loc)),
        _corrections(item.corrections, loc),
    ]
    return _page(f"incidents/{item.id}.md", item.title, "".join(parts))


def _facts(pairs: Iterable[tuple[str, str]]) -> str:
    body = "".join(f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in pairs)
    return f'<dl class="sl-facts">{body}</dl>'


# --- history ------------------------------------------------------------------------------------


def history(view: View, loc: Locale) -> list[GeneratedPage]:
    """History by month: the newest months in full on history/, every month on its own page."""
    records: list[IncidentView | MaintenanceView] = [*view.incidents, *view.maintenances]
    records.sort(key=_started, reverse=True)
    months: dict[tuple[int, int], list[IncidentView | MaintenanceView]] = {}
    for record in records:
        local = loc.local(_started(record))
        months.setdefault((local.year, local.month), []).append(record)
    title = loc.t("history.title")
    parts = [f"<h1>{esc(title)}</h1>"]
    if not months:
        parts.append(f"<p>{esc(loc.t('history.empty'))}</p>")
    else:
        parts.append(_month_links(months, 1, loc))
    pages = []
    for index, ((year, number), found) in enumerate(months.items()):
        key = f"{year:04d}-{number:02d}"
        if index < HISTORY_INLINE_MONTHS:
            parts.append(section(loc.month(year, number), _history_list(found, 1, loc), ident=key))
        body = (
            f"<h1>{esc(loc.month(year, number))}</h1>"
            f"<p>{link(2, 'history/', title)}</p>{_history_list(found, 2, loc)}"
        )
        pages.append(_page(f"history/{key}/index.md", f"{title}: {loc.month(year, number)}", body))
    return [_page("history/index.md", title, "".join(parts)), *pages]


HISTORY_INLINE_MONTHS = 6


def _started(record: IncidentView | MaintenanceView) -> datetime:
    return record.started if isinstance(record, IncidentView) else record.start


def _month_links(months: Mapping[tuple[int, int], object], depth: int, loc: Locale) -> str:
    items = "".join(
        f"<li>{link(depth, f'history/{y:04d}-{m:02d}/', loc.month(y, m))}</li>" for y, m in months
    )
    return (
        f'<nav class="sl-filters" aria-label="{esc(loc.t("history.title"))}"><ul>{items}</ul></nav>'
    )


def _history_list(
    records: Iterable[IncidentView | MaintenanceView], depth: int, loc: Locale
) -> str:
    items = "".join(
        _history_incident(r, depth, loc)
        if isinstance(r, IncidentView)
        else _history_maintenance(r, depth, loc)
        for r in records
    )
    return f'<ul class="sl-list">{items}</ul>'


def _history_incident(i: IncidentView, depth: int, loc: Locale) -> str:
    level = i.worst_level.value if i.worst_level else None
    impact = status_badge(level, loc) if level else ""
    span = time_tag(i.started, loc)
    if i.duration is not None:
        span += f" · {esc(loc.duration(i.duration))}"
    return (
        f'<li><p class="sl-list__title">{link(depth, f"incidents/{i.id}/", i.title)}</p>'
        f"<p>{impact} <strong>{esc(loc.t('incident_status.' + i.status.value))}</strong>"
        f" · {span}</p></li>"
    )


def _history_maintenance(m: MaintenanceView, depth: int, loc: Locale) -> str:
    return (
        f'<li><p class="sl-list__title">{link(depth, f"incidents/{m.id}/", m.title)}</p>'
        f"<p>{status_badge('under_maintenance', loc)} "
        f"<strong>{esc(loc.t('maintenance_status.' + m.status.value))}</strong>"
        f" · {time_tag(m.start, loc)} – {time_tag(m.end, loc)}</p></li>"
    )


# --- postmortems --------------------------------------------------------------------------------


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
    pages = [
        _archive(
            view,
            view.postmortems,
            "postmortems/index.md",
            loc.t("postmortems.title"),
            causes,
            categories,
            loc,
        )
    ]
    for cause in causes:
        chosen = [p for p in view.postmortems if cause in {c.value for c in p.root_causes}]
        title = loc.t("postmortems.cause_title", cause=loc.t("root_cause." + cause))
        pages.append(
            _archive(
                view,
                chosen,
                f"postmortems/root-cause/{cause}/index.md",
                title,
                causes,
                categories,
                loc,
            )
        )
    for category in categories:
        chosen = [p for p in view.postmortems if category in _categories(view, p)]
        title = loc.t("postmortems.category_title", category=loc.t("category." + category))
        pages.append(
            _archive(
                view,
                chosen,
                f"postmortems/category/{category}/index.md",
                title,
                causes,
                categories,
                loc,
            )
        )
    return pages


def _archive(
    view: View,
    chosen: list[PostmortemView],
    src_uri: str,
    title: str,
    causes: list[str],
    categories: list[str],
    loc: Locale,
) -> GeneratedPage:
    depth = GeneratedPage(src_uri, "", "").depth
    here = src_uri.removesuffix("index.md")

    def filters(label: str, kind: str, values: list[str], prefix: str) -> str:
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

    parts = [f"<h1>{esc(title)}</h1>"]
    if here != "postmortems/":
        parts.append(f"<p>{link(depth, 'postmortems/', loc.t('postmortems.all'))}</p>")
    if causes:
        parts.append(filters(loc.t("postmortems.by_cause"), "root-cause", causes, "root_cause."))
    if categories:
        parts.append(filters(loc.t("postmortems.by_category"), "category", categories, "category."))
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
    return _page(src_uri, title, "".join(parts))


def postmortem_page(view: View, postmortem: PostmortemView, loc: Locale) -> GeneratedPage:
    """One published postmortem with its action items' public fields."""
    depth = 2
    incidents = ", ".join(
        link(depth, f"incidents/{i}/", view.incident(i).title if view.incident(i) else i)  # type: ignore[union-attr]
        for i in postmortem.incident_ids
    )
    causes = ", ".join(
        link(depth, f"postmortems/root-cause/{c.value}/", loc.t("root_cause." + c.value))
        for c in postmortem.root_causes
    )
    facts = [(loc.t("postmortems.date"), day_tag(postmortem.date, loc))]
    if incidents:
        facts.append((loc.t("postmortems.incidents"), incidents))
    if causes:
        facts.append((loc.t("postmortems.root_causes"), causes))
    if postmortem.detection is not None:
        facts.append(
            (loc.t("postmortems.detection"), esc(loc.t("detection." + postmortem.detection.value)))
        )
    parts = [
        f"<h1>{esc(postmortem.title)}</h1>",
        _facts(facts),
        f'<p class="sl-summary"><strong>{esc(loc.t("postmortems.summary"))}:</strong> '
        f"{esc(postmortem.summary)}</p>",
        f'<div class="sl-body">{postmortem.html}</div>',
    ]
    if postmortem.action_items:
        rows = []
        for a in postmortem.action_items:
            url = safe_url(a.ticket)
            ticket = (
                f'<a href="{esc(url)}" rel="nofollow noopener noreferrer">{esc(a.ticket)}</a>'
                if url
                else esc(a.ticket or "")
            )
            rows.append(
                [
                    esc(a.id),
                    esc(a.title),
                    esc(loc.t("action_type." + a.type.value)),
                    esc(loc.t("priority." + a.priority.value)),
                    day_tag(a.due, loc) if a.due else "",
                    esc(loc.t("action_status." + a.status.value)),
                    ticket,
                ]
            )
        heads = [
            loc.t("action." + k)
            for k in ("id", "title", "type", "priority", "due", "status", "ticket")
        ]
        parts.append(section(loc.t("postmortems.action_items"), table(heads, rows)))
    return _page(f"postmortems/{postmortem.id}.md", postmortem.title, "".join(parts))


# --- components and SLA -------------------------------------------------------------------------


def _month_cells(row: MonthUptime, loc: Locale) -> list[str]:
    uptime = esc(loc.percent(row.uptime)) if row.uptime is not None else esc(loc.t("bars.no_data"))
    if row.partial:
        uptime += (
            f' <span class="sl-note">({esc(loc.t("partial_month", days=row.days_counted))})</span>'
        )
    target = esc(loc.percent(row.target)) if row.target is not None else esc(loc.t("no_sla"))
    if row.met is None:
        result = ""
    elif row.met:
        result = f'<span class="sl-met">✓ {esc(loc.t("met"))}</span>'
    else:
        result = f'<span class="sl-missed">✕ {esc(loc.t("missed"))}</span>'
    return [uptime, target, result]


def component_page(
    view: View, component: ComponentView, months: list[MonthUptime], loc: Locale
) -> GeneratedPage:
    """A component: status, bars, uptime per month against its SLA, its incidents."""
    depth = 2
    facts = [(loc.t("component.status"), status_badge(component.status.value, loc))]
    if component.group_name:
        facts.append((loc.t("component.group"), esc(component.group_name)))
    parts = [f"<h1>{esc(component.name)}</h1>"]
    if component.description:
        parts.append(f"<p>{esc(component.description)}</p>")
    parts.append(_facts(facts))
    parts.append(bars(component, loc))
    rows = [[esc(loc.month(r.year, r.month)), *_month_cells(r, loc)] for r in months]
    heads = [loc.t("sla.month"), loc.t("uptime"), loc.t("target"), loc.t("sla.result")]
    parts.append(section(loc.t("component.monthly"), table(heads, rows)))
    incidents = [i for i in (view.incident(x) for x in component.incident_ids) if i is not None]
    if incidents:
        items = "".join(_history_incident(i, depth, loc) for i in incidents)
        body = f'<ul class="sl-list">{items}</ul>'
    else:
        body = f"<p>{esc(loc.t('component.no_incidents'))}</p>"
    parts.append(section(loc.t("component.incidents"), body))
    parts.append(
        '<p class="sl-feeds"><a href="history.rss">RSS</a> · <a href="history.atom">Atom</a></p>'
    )
    return _page(f"components/{component.id}.md", component.name, "".join(parts))


def sla(view: View, per_component: Mapping[str, list[MonthUptime]], loc: Locale) -> GeneratedPage:
    """Uptime of every component per month against its target, met or not."""
    depth = 1
    months = sorted(
        {(r.year, r.month) for rows in per_component.values() for r in rows}, reverse=True
    )
    parts = [
        f"<h1>{esc(loc.t('sla.title'))}</h1>",
        f"<p>{esc(loc.t('sla.intro', zone=view.page.timezone))}</p>",
    ]
    heads = [loc.t("sla.component"), loc.t("uptime"), loc.t("target"), loc.t("sla.result")]
    for y, m in months:
        rows = []
        for c in view.components:
            row = next((r for r in per_component[c.id] if (r.year, r.month) == (y, m)), None)
            if row is not None:
                rows.append([link(depth, f"components/{c.id}/", c.name), *_month_cells(row, loc)])
        parts.append(section(loc.month(y, m), table(heads, rows), ident=f"{y:04d}-{m:02d}"))
    return _page("sla/index.md", loc.t("sla.title"), "".join(parts))
