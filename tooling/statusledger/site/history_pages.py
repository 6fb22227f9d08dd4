"""Incident history by month: the newest months on history/, every month on its own page."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from statusledger.site.generated import GeneratedPage, page
from statusledger.site.html import esc, link, section
from statusledger.site.i18n import Locale
from statusledger.site.parts import Record, record_item, started
from statusledger.views import View

HISTORY_INLINE_MONTHS = 6


def history(view: View, loc: Locale) -> list[GeneratedPage]:
    """history/ with the newest months in full, and one page per month."""
    records: list[Record] = [*view.incidents, *view.maintenances]
    records.sort(key=started, reverse=True)
    months: dict[tuple[int, int], list[Record]] = {}
    for record in records:
        local = loc.local(started(record))
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
        name = loc.month(year, number)
        if index < HISTORY_INLINE_MONTHS:
            parts.append(section(name, _history_list(found, view, 1, loc), ident=key))
        body = (
            f"<h1>{esc(name)}</h1>"
            f"<p>{link(2, 'history/', title)}</p>{_history_list(found, view, 2, loc)}"
        )
        pages.append(
            page(
                f"history/{key}/index.md",
                f"{title}: {name}",
                body,
                loc.t("meta.month", month=name, site=view.page.name),
            )
        )
    description = loc.t("meta.history", site=view.page.name)
    return [page("history/index.md", title, "".join(parts), description), *pages]


def _month_links(months: Mapping[tuple[int, int], object], depth: int, loc: Locale) -> str:
    items = "".join(
        f"<li>{link(depth, f'history/{y:04d}-{m:02d}/', loc.month(y, m))}</li>" for y, m in months
    )
    return (
        f'<nav class="sl-filters" aria-label="{esc(loc.t("history.title"))}"><ul>{items}</ul></nav>'
    )


def _history_list(records: Iterable[Record], view: View, depth: int, loc: Locale) -> str:
    items = "".join(record_item(r, view, depth, loc) for r in records)
    return f'<ul class="sl-list">{items}</ul>'
