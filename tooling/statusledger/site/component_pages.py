"""A component's page (status, bars, uptime by month, its days and incidents) and the SLA page."""

from __future__ import annotations

from collections.abc import Mapping

from statusledger.site.bars import bars, day_list
from statusledger.site.generated import GeneratedPage, page
from statusledger.site.html import esc, link, section, status_badge, table
from statusledger.site.i18n import Locale
from statusledger.site.months import MonthUptime
from statusledger.site.parts import facts, record_item
from statusledger.views import ComponentView, View


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
    """A component: status, bars, uptime per month against its SLA, its days, its incidents."""
    depth = 2
    pairs = [(loc.t("component.status"), status_badge(component.status.value, loc))]
    if component.group_name:
        pairs.append((loc.t("component.group"), esc(component.group_name)))
    if component.uptime is not None:
        pairs.append(
            (
                loc.t("component.uptime", days=len(component.days)),
                esc(loc.percent(component.uptime)),
            )
        )
    parts = [f"<h1>{esc(component.name)}</h1>"]
    if component.description:
        parts.append(f"<p>{esc(component.description)}</p>")
    parts.append(facts(pairs))
    parts.append(bars(view, component, depth, loc, here=True))
    parts.append(
        '<p class="sl-feeds"><a href="history.rss">RSS</a> · <a href="history.atom">Atom</a></p>'
    )
    rows = [[esc(loc.month(r.year, r.month)), *_month_cells(r, loc)] for r in months]
    heads = [loc.t("sla.month"), loc.t("uptime"), loc.t("target"), loc.t("sla.result")]
    parts.append(section(loc.t("component.monthly"), table(heads, rows)))
    incidents = [i for i in (view.incident(x) for x in component.incident_ids) if i is not None]
    if incidents:
        items = "".join(record_item(i, view, depth, loc) for i in incidents)
        body = f'<ul class="sl-list">{items}</ul>'
    else:
        body = f"<p>{esc(loc.t('component.no_incidents'))}</p>"
    parts.append(section(loc.t("component.incidents"), body))
    parts.append(day_list(view, component, loc))
    description = loc.t(
        "meta.component",
        name=component.name,
        status=loc.t("status." + component.status.value),
        site=view.page.name,
    )
    return page(f"components/{component.id}.md", component.name, "".join(parts), description)


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
    description = loc.t("meta.sla", site=view.page.name)
    return page("sla/index.md", loc.t("sla.title"), "".join(parts), description)
