"""Feed autodiscovery: the `<link rel="alternate">` triples every page puts in its head."""

from __future__ import annotations

from statusledger.views import View

RSS = "application/rss+xml"
ATOM = "application/atom+xml"


def feed_links(view: View, component_id: str | None = None) -> list[tuple[str, str, str]]:
    """(type, title, href) for <link rel="alternate"> so browsers and readers find the feeds."""
    name = view.page.name
    if component_id is None:
        stem, what = "history", f"{name} status"
    else:
        component = view.component(component_id)
        label = component.name if component else component_id
        stem, what = f"components/{component_id}/history", f"{name} status: {label}"
    return [
        (RSS, f"{what} (RSS)", f"{view.page.url}/{stem}.rss"),
        (ATOM, f"{what} (Atom)", f"{view.page.url}/{stem}.atom"),
    ]
