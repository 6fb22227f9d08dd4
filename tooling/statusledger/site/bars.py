"""Daily uptime bars that everyone can use, and the day-by-day list they link to.

Every day is a link a keyboard reaches; its text (visually hidden) says the date, the uptime,
the worst impact and the incidents by title, so a screen reader announces what a sighted reader
sees in the colour. Without JavaScript the link opens the component page at that day's entry,
which lists the day's incidents with links; with JavaScript (assets/statusledger.js, same host)
focusing or tapping a day opens a panel with the same facts beside the bar. Colour alone never
tells anything and the height of a bar never changes. On a phone the stylesheet shows the last
PHONE_DAYS days only, each wide enough to see and tap.
"""

from __future__ import annotations

from statusledger.site.html import esc, href, link, section, status_badge
from statusledger.site.i18n import Locale
from statusledger.views import ComponentView, DayView, View

PHONE_DAYS = 30


def _kind(day: DayView) -> str:
    if day.uptime is None:
        return "none"
    return day.worst.value if day.worst is not None else "ok"


def _titles(view: View, day: DayView) -> list[tuple[str, str]]:
    found = []
    for incident_id in day.incident_ids:
        incident = view.incident(incident_id)
        if incident is not None:
            found.append((incident_id, incident.title))
    return found


def _facts(view: View, day: DayView, depth: int, loc: Locale) -> str:
    """The hidden text of one day; the incident titles carry their links for the panel."""
    kind = _kind(day)
    parts = [esc(loc.day(day.date)) + ": "]
    parts.append(
        esc(loc.t("bars.no_data"))
        if day.uptime is None
        else esc(loc.t("bars.uptime", value=loc.percent(day.uptime)))
    )
    if kind not in ("ok", "none"):
        parts.append(". " + esc(loc.t("status." + kind)))
    titles = _titles(view, day)
    if titles:
        named = ", ".join(
            f'<span data-href="{href(depth, f"incidents/{i}/")}">{esc(t)}</span>' for i, t in titles
        )
        parts.append(f". {esc(loc.t('bars.incidents'))} {named}")
    return "".join(parts)


def bars(view: View, component: ComponentView, depth: int, loc: Locale, here: bool) -> str:
    """The bars of one component; `here` when drawn on the component's own page."""
    target = "" if here else href(depth, f"components/{component.id}/")
    label = loc.t("bars.label", name=component.name, days=len(component.days))
    items = "".join(
        f'<li><a class="sl-day sl-day--{_kind(d)}" href="{target}#d{d.date.isoformat()}">'
        f'<span class="sl-vh">{_facts(view, d, depth, loc)}</span></a></li>'
        for d in component.days
    )
    shown = len(component.days)
    short = min(PHONE_DAYS, shown)
    legend = (
        f'<p class="sl-bars__legend" aria-hidden="true">'
        f'<span><span class="sl-wide">{esc(loc.t("bars.ago", days=shown))}</span>'
        f'<span class="sl-narrow">{esc(loc.t("bars.ago", days=short))}</span></span>'
        f"<span>{esc(loc.t('bars.today'))}</span></p>"
    )
    return f'<ol class="sl-bars" aria-label="{esc(label)}">{items}</ol>{legend}'


def day_list(view: View, component: ComponentView, loc: Locale) -> str:
    """The component page's day by day entries, newest first: what a bar's day links to."""
    rows = []
    for day in reversed(component.days):
        kind = _kind(day)
        uptime = (
            loc.t("bars.no_data")
            if day.uptime is None
            else loc.t("bars.uptime", value=loc.percent(day.uptime))
        )
        titles = _titles(view, day)
        incidents = (
            ", ".join(link(2, f"incidents/{i}/", t) for i, t in titles)
            if titles
            else esc(loc.t("past.none"))
        )
        badge = status_badge(kind, loc) + " · " if kind not in ("ok", "none") else ""
        rows.append(
            f'<li id="d{day.date.isoformat()}"><strong>{esc(loc.day(day.date))}</strong> · '
            f"{badge}{esc(uptime)} · {incidents}</li>"
        )
    return section(loc.t("bars.details"), f'<ul class="sl-days">{"".join(rows)}</ul>')
