"""The pages of the status site as HTML fragments, generated from the View.

One module per page type (home, incident_pages, history_pages, postmortem_pages,
component_pages); each function returns a `GeneratedPage`: the source path MkDocs files it
under, its title, its meta description and the HTML of its content. Everything shown works
without JavaScript; record text is escaped and only the sanitised HTML of messages and
postmortem bodies is inserted as-is.
"""

from __future__ import annotations

from collections.abc import Mapping

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
    computes it; without it the pages fall back to the daily figures of the bars.
    """
    loc = locale(view.page.language, view.page.timezone)
    per_month = {
        c.id: list((months or {}).get(c.id) or monthly(c, SLA_MONTHS)) for c in view.components
    }
    return [
        home(view, loc),
        *history(view, loc),
        sla(view, per_month, loc),
        *(incident_page(view, incident, loc) for incident in view.incidents),
        *(maintenance_page(view, window, loc) for window in view.maintenances),
        *postmortem_archive(view, loc),
        *(postmortem_page(view, postmortem, loc) for postmortem in view.postmortems),
        *(component_page(view, c, per_month[c.id], loc) for c in view.components),
    ]


__all__ = ["SLA_MONTHS", "GeneratedPage", "generate"]
