"""Machine-readable outputs of a build: feeds, Statuspage API, calendar and badges.

Renderers take a View and return {relative path: bytes}; they never write files and never read
the clock, so the site build decides where things go and two builds are byte-identical.
"""

from __future__ import annotations

from collections.abc import MutableMapping

from statusledger.render.api import render_api
from statusledger.render.badges import render_badges
from statusledger.render.feeds import feed_links, render_feeds
from statusledger.render.ics import render_ics
from statusledger.views import View


def render_all(view: View, memo: MutableMapping[str, bytes] | None = None) -> dict[str, bytes]:
    """Every non-HTML file of the site, keyed by path relative to the output folder.

    `memo` is handed to render_feeds, which keeps the bytes of feed archives in it, so a caller
    that builds again (a server, a cache across builds) re-renders only the months that changed.
    """
    files = render_feeds(view, memo)
    for render in (render_api, render_ics, render_badges):
        files |= render(view)
    return dict(sorted(files.items()))


__all__ = ["feed_links", "render_all"]
