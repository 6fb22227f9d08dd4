"""The pages of the status site as HTML fragments, generated from the View.

One module per page type (home, incident_pages, history_pages, postmortem_pages,
component_pages); each function returns a `GeneratedPage`: the source path MkDocs files it
under, its title, its meta description and the HTML of its content. Everything shown works
without JavaScript; record text is escaped and only the sanitised HTML of messages and
postmortem bodies is inserted as-is.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

from statusledger import readahead
from statusledger.site.component_pages import component_page, sla
from statusledger.site.generated import GeneratedPage
from statusledger.site.history_pages import history
from statusledger.site.home import home
from statusledger.site.i18n import locale
from statusledger.site.incident_pages import incident_page, maintenance_page
from statusledger.site.months import MonthUptime, monthly
from statusledger.site.postmortem_pages import postmortem_archive, postmortem_page
from statusledger.views import View

SLA_MONTHS = 3


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


def _encode(pages: list[GeneratedPage]) -> list[tuple[str, str, str, str]]:
    return [(p.src_uri, p.title, p.content, p.description) for p in pages]


def _decode(data: list[tuple[str, str, str, str]]) -> list[GeneratedPage]:
    return [GeneratedPage(*item) for item in data]


__all__ = ["SLA_MONTHS", "GeneratedPage", "generate"]
