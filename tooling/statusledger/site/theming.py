"""The package's own theme files and the few fixes it makes to Material's output."""

from __future__ import annotations

import html
from pathlib import Path

from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig

from statusledger.site.i18n import locale
from statusledger.views import View

THEME = Path(__file__).with_name("theme")
STYLESHEET = "assets/statusledger.css"

_TOGGLES = (
    ('id="__drawer" autocomplete="off"', 'id="__drawer"'),
    ('id="__search" autocomplete="off"', 'id="__search"'),
)


def configure(config: MkDocsConfig, view: View) -> None:
    """The site's name, URL, description, language and navigation, from services.yaml."""
    loc = locale(view.page.language, view.page.timezone)
    # Markup: the theme writes the name escaped once more in the logo's title (`| e`).
    config.site_name = Markup(html.escape(view.page.name))
    config.site_url = view.page.url + "/"
    config.site_description = html.escape(
        view.page.description or loc.t("meta.site", site=view.page.name)
    )
    config.theme["language"] = loc.language
    add_theme(config)
    config.nav = [
        {loc.t("nav.home"): "index.md"},
        {loc.t("nav.history"): "history/index.md"},
        {loc.t("nav.postmortems"): "postmortems/index.md"},
        {loc.t("nav.sla"): "sla/index.md"},
    ]


def add_theme(config: MkDocsConfig) -> None:
    """Put the package's theme override and stylesheet under the organisation's own.

    They ship inside the package, so an organisation that installs statusledger gets the
    styled page with its feed links without copying anything; a `custom_dir` of its own
    still overrides any file of ours.
    """
    dirs = config.theme.dirs
    if str(THEME) not in dirs:
        custom = config.theme.custom_dir
        dirs.insert(1 if custom and dirs and dirs[0] == custom else 0, str(THEME))
    if STYLESHEET not in [str(css) for css in config.extra_css]:
        config.extra_css.insert(0, STYLESHEET)


def fix_toggles(output: str) -> str:
    """The theme's two toggles without `autocomplete` (invalid HTML there).

    Only the first occurrence of each: the theme's own, at the top of the body. The same text
    quoted in a record's message stays as written.
    """
    for old, new in _TOGGLES:
        output = output.replace(old, new, 1)
    return output


def unused_theme_file(src_uri: str) -> bool:
    """The theme's JavaScript (search, instant loading) and source maps: never loaded here."""
    return src_uri.startswith("assets/javascripts/") or src_uri.endswith(".map")
