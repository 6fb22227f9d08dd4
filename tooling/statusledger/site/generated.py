"""A generated page: where MkDocs files it, its title, its meta description and its content."""

from __future__ import annotations

from dataclasses import dataclass

from statusledger.site.i18n import Locale


@dataclass(frozen=True)
class GeneratedPage:
    """One page: where MkDocs files it, its title (plain text), content HTML and description.

    The description is plain text for `<meta name="description">`; pages of the frame folders
    (frames.py) take theirs from their title alone (`record_description`), so one frame serves
    every page of a folder.
    """

    src_uri: str
    title: str
    content: str
    description: str = ""

    @property
    def depth(self) -> int:
        """How many folders deep the page's URL is (index.md → 0, a/b.md → 2)."""
        parts = self.src_uri.split("/")
        return len(parts) - 1 if parts[-1] == "index.md" else len(parts)


def record_description(title: str, site: str, loc: Locale) -> str:
    """The description of an incident, maintenance or postmortem page: its title and the site."""
    return loc.t("meta.record", title=title, site=site)


def page(src_uri: str, title: str, body: str, description: str) -> GeneratedPage:
    """A page whose body is wrapped in the status site's own container."""
    return GeneratedPage(src_uri, title, f'<div class="sl">{body}</div>', description)
