"""Small HTML builders shared by the generated pages.

Every piece of record text goes through `esc` here; the only HTML taken as-is is the sanitised
HTML of update messages and postmortem bodies (`statusledger.markup`). Status is always written
in words next to an icon, so colour is never the only signal.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from datetime import date, datetime
from functools import lru_cache

from statusledger.site.i18n import Locale

_ICONS = {
    "operational": "✓",
    "under_maintenance": "⚙",
    "degraded_performance": "!",
    "partial_outage": "!",
    "major_outage": "✕",
}


def esc(text: object) -> str:
    """Escape text for element content and quoted attribute values.

    Most of what pages escape (ids, labels, numbers, plain sentences) has nothing to escape;
    one regex search answers that faster than html.escape's five replacements.
    """
    value = text if type(text) is str else str(text)
    return html.escape(value, quote=True) if _NEEDS_ESCAPE.search(value) else value


_NEEDS_ESCAPE = re.compile("[&<>\"']")


def href(depth: int, target: str) -> str:
    """A link from a page `depth` folders deep to a site path such as `incidents/x/`."""
    return esc("../" * depth + target) if (depth or target) else "./"


def link(depth: int, target: str, text: str) -> str:
    """An anchor to a site path with escaped text."""
    return f'<a href="{href(depth, target)}">{esc(text)}</a>'


@lru_cache(maxsize=1 << 17)
def time_tag(moment: datetime, loc: Locale, clock: bool = False) -> str:
    """A moment in the page's zone ("November 23, 2026, 10:20 CET"), machine-readable.

    With `clock`, the time of day alone ("10:20 CET"), for a moment whose day is plain from
    what is around it. Memoised: every update time appears on several pages (incident,
    history, component), and formatting dates is a large share of generating ten thousand pages.
    """
    local = loc.local(moment)
    text = loc.clock(moment) if clock else loc.moment(moment)
    return f'<time datetime="{local.isoformat()}">{esc(text)}</time>'


def day_tag(value: date, loc: Locale) -> str:
    """A calendar day, machine-readable."""
    return f'<time datetime="{value.isoformat()}">{esc(loc.day(value))}</time>'


def icon(status: str) -> str:
    """The icon drawn beside a status word (never alone)."""
    return _ICONS.get(status, "•")


def status_badge(status: str, loc: Locale) -> str:
    """A component status in words with an icon; the class only adds colour."""
    icon = _ICONS.get(status, "•")
    return (
        f'<span class="sl-status sl-status--{esc(status)}">'
        f'<span class="sl-icon" aria-hidden="true">{icon}</span> '
        f"{esc(loc.t('status.' + status))}</span>"
    )


def table(
    head: Iterable[str], rows: Iterable[Iterable[str]], caption: str = "", stack: bool = False
) -> str:
    """A table whose cells are already HTML; header cells are escaped text.

    A table never widens the page: it scrolls inside its own box. With `stack` (tables of many
    columns), each cell carries its column's name and on a narrow screen the stylesheet stacks
    each row as a block, every cell under its name.
    """
    heads = [esc(h) for h in head]
    klass = "sl-table sl-table--stack" if stack else "sl-table"
    parts = [f'<div class="sl-table-wrap"><table class="{klass}">']
    if caption:
        parts.append(f"<caption>{esc(caption)}</caption>")
    parts.append("<thead><tr>")
    parts.extend(f'<th scope="col">{h}</th>' for h in heads)
    parts.append("</tr></thead><tbody>")
    for row in rows:
        cells = "".join(
            f'<td data-label="{h}">{cell}</td>' for h, cell in zip(heads, row, strict=False)
        )
        parts.append(f"<tr>{cells}</tr>")
    parts.append("</tbody></table></div>")
    return "".join(parts)


def section(title: str, body: str, level: int = 2, ident: str = "", cls: str = "") -> str:
    """A section with a heading."""
    attr = f' id="{esc(ident)}"' if ident else ""
    klass = f' class="{esc(cls)}"' if cls else ""
    return f"<section{klass}><h{level}{attr}>{esc(title)}</h{level}>{body}</section>"


def safe_url(url: str | None) -> str | None:
    """An http(s) URL to put in an href, or None for anything else (javascript:, data:...)."""
    if url and url.lower().startswith(("https://", "http://")):
        return url
    return None
