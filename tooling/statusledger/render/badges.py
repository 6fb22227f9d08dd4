"""Status badges for READMEs and dashboards: an SVG per component and a shields.io endpoint JSON.

The status is always written out in words ("partial outage"), never shown by colour alone, and
the SVG carries role="img", a <title> and an aria-label so screen readers say the same thing.
Each colour is paired with the text colour (black or white) that contrasts with it best, and
every pair used meets WCAG AA for normal text (4.5:1).
"""

from __future__ import annotations

import json
from xml.sax.saxutils import escape, quoteattr

from statusledger.records.models import ComponentStatus
from statusledger.views import View

LABEL_COLOUR = "#555555"
COLOURS = {
    ComponentStatus.OPERATIONAL: "#2e7d32",
    ComponentStatus.UNDER_MAINTENANCE: "#1565c0",
    ComponentStatus.DEGRADED_PERFORMANCE: "#f9a825",
    ComponentStatus.PARTIAL_OUTAGE: "#ef6c00",
    ComponentStatus.MAJOR_OUTAGE: "#c62828",
}
WORDS = {
    ComponentStatus.OPERATIONAL: "operational",
    ComponentStatus.UNDER_MAINTENANCE: "under maintenance",
    ComponentStatus.DEGRADED_PERFORMANCE: "degraded performance",
    ComponentStatus.PARTIAL_OUTAGE: "partial outage",
    ComponentStatus.MAJOR_OUTAGE: "major outage",
}
_HEIGHT = 20
_PAD = 6
# Approximate advance widths of Verdana 11px, enough to size the badge without a font file.
_NARROW = set("fijlrtI.,:;!'|() ")
_WIDE = set("mwMW@%")


def luminance(colour: str) -> float:
    """Relative luminance as WCAG 2 defines it."""
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two #rrggbb colours (1 to 21)."""
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def text_colour(background: str) -> str:
    """Black or white, whichever reads better on the background."""
    return max(("#ffffff", "#000000"), key=lambda text: contrast(background, text))


def _width(text: str) -> int:
    units = sum(4 if c in _NARROW else 10 if c in _WIDE else 7 for c in text)
    return units + 2 * _PAD


def svg(label: str, message: str, colour: str) -> str:
    """A flat two-part badge "label | message" that reads the same with or without colour."""
    left, right = _width(label), _width(message)
    total = left + right
    spoken = f"{label}: {message}"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{total}" height="{_HEIGHT}" '
        f'viewBox="0 0 {total} {_HEIGHT}" role="img" aria-label={quoteattr(spoken)}>',
        f"<title>{escape(spoken)}</title>",
        f'<rect width="{left}" height="{_HEIGHT}" fill="{LABEL_COLOUR}"/>',
        f'<rect x="{left}" width="{right}" height="{_HEIGHT}" fill="{colour}"/>',
        '<g font-family="Verdana,DejaVu Sans,sans-serif" font-size="11" text-anchor="middle">',
        f'<text x="{left / 2:g}" y="14" fill="{text_colour(LABEL_COLOUR)}">{escape(label)}</text>',
        f'<text x="{left + right / 2:g}" y="14" fill="{text_colour(colour)}">'
        f"{escape(message)}</text>",
        "</g>",
        "</svg>",
    ]
    return "\n".join(parts) + "\n"


def endpoint(label: str, message: str, colour: str) -> str:
    """The shields.io endpoint schema (https://shields.io/badges/endpoint-badge)."""
    payload = {
        "schemaVersion": 1,
        "label": label,
        "message": message,
        "color": colour.lstrip("#"),
    }
    return json.dumps(payload, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _badge(stem: str, label: str, status: ComponentStatus, overall: bool) -> dict[str, bytes]:
    message = (
        "all systems operational"
        if overall and status is ComponentStatus.OPERATIONAL
        else (WORDS[status])
    )
    colour = COLOURS[status]
    return {
        f"badges/{stem}.svg": svg(label, message, colour).encode(),
        f"badges/{stem}.json": endpoint(label, message, colour).encode(),
    }


def render_badges(view: View) -> dict[str, bytes]:
    """badges/<component>.svg/.json for every component and badges/overall.svg/.json."""
    files = _badge("overall", view.page.name, view.overall, overall=True)
    for component in view.components:
        files |= _badge(component.id, component.name, component.status, overall=False)
    return files
