"""The MkDocs plugin: records in, generated pages and rendered files out (hooks only).

The View is built once per build in `on_config` (ledger.py); pages come from
`statusledger.site.pages`, feeds/API/calendar/badges from `statusledger.render`. In the dirty
build `statusledger build` runs, unchanged pages come from the page store (reuse.py) and most
others are filled into a frame MkDocs rendered once per folder (frames.py); plan.py decides
which page is made which way.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from statusledger.errors import Finding
from statusledger.render import render_all
from statusledger.site.config import StatusledgerConfig
from statusledger.site.i18n import locale
from statusledger.site.ledger import InvalidRecords, Months, load_view
from statusledger.site.pages import GeneratedPage, generate
from statusledger.site.plan import (
    Inputs,
    SitePlan,
    Urls,
    add_files,
    feed_links,
    hide_frames,
    nav_pages,
    plan_site,
    write_pages,
)
from statusledger.site.reuse import FileMemo, PageStore, site_stamp
from statusledger.site.theming import configure, fix_toggles
from statusledger.views import View


class StatusledgerPlugin(BasePlugin[StatusledgerConfig]):  # type: ignore[no-untyped-call]
    """Build the status site from the repository's records."""

    def __init__(self) -> None:
        self.view: View | None = None
        self.months: Months = {}
        self.generated: list[GeneratedPage] = []
        self.findings: list[Finding] = []
        # Set by `statusledger build`, which runs MkDocs' dirty build: unchanged pages are then
        # taken from the page store instead of being rendered (see reuse.py).
        self.reuse_pages = False
        self.unframed: set[str] = set()  # folders whose frame failed its proof (site/build.py)
        self.store = PageStore(None)
        self.plan = SitePlan()
        self.files = Files([])
        self.frame_urls: dict[str, Urls] = {}

    @staticmethod
    def can_skip_pages(config: MkDocsConfig) -> bool:
        """Whether a dirty build may skip the pages taken from the store or filled into a frame.

        Strict mode counts MkDocs' dirty-build warning as a failure, and another plugin (a
        search index, social cards) would never see the skipped pages, so such sites are
        always built in full.
        """
        return not config.strict and list(config.plugins) == ["statusledger"]

    def take_pages(self, earlier: StatusledgerPlugin) -> None:
        """Start from the View and pages of an earlier attempt at the same build (build.py)."""
        self.view, self.months, self.generated = earlier.view, earlier.months, earlier.generated

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Load and validate the records, build the View, and set the site from services.yaml."""
        try:
            if self.view is None:
                self.view, self.months = load_view(
                    self._root(config), Path(config.docs_dir), self.config.now, self.config.days
                )
        except InvalidRecords as err:
            self.findings = err.findings
            raise
        configure(config, self.view)
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Add one generated page per page of the site; incidents stay out of the nav."""
        assert self.view is not None
        self.store = PageStore.for_root(self._root(config))
        inputs = Inputs(
            self.view,
            site_stamp(config),
            nav_pages(config),
            self.store,
            self.reuse_pages,
            self.unframed,
        )
        self.generated = self.generated or generate(self.view, self.months)
        self.plan = plan_site(self.generated, inputs)
        self.files = add_files(files, self.plan, config, self.view)
        return self.files

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        """The theme's translations; frame pages kept out of the sitemap (built next)."""
        assert self.view is not None
        env.globals["statusledger_t"] = locale(self.view.page.language, self.view.page.timezone).t
        self.frame_urls = hide_frames(self.plan, files)
        return env

    def on_page_content(
        self, html_: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        """Put the generated HTML in place of the (empty) Markdown body."""
        generated = self.plan.pages.get(page.file.src_uri)
        return generated.content if generated is not None else html_

    def on_page_context(
        self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        """Feed autodiscovery links for the page's `extrahead` block."""
        assert self.view is not None
        head = feed_links(self.view, page.file.src_uri)
        context["statusledger_head"] = head  # type: ignore[typeddict-unknown-key]
        urls = self.frame_urls.get(page.file.src_uri)
        if urls is not None:  # a frame page's own turn: its URLs as MkDocs set them
            page.canonical_url, page.abs_url = urls
        return context

    @event_priority(-100)  # last, so the stored page is exactly what gets written
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        """Fix the theme's toggles; keep the finished page in the page store for next time."""
        output = fix_toggles(output)
        if self.plan.frames.keep(page.file.src_uri, output):
            return ""  # a frame page: kept for filling, never written
        key = self.plan.keys.get(page.file.src_uri)
        if key is not None:
            self.store.put(key, output)
        return output

    def on_post_template(
        self, output_content: str, *, template_name: str, config: MkDocsConfig
    ) -> str:
        """The same fix for theme pages such as 404.html."""
        return fix_toggles(output_content)

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> None:
        """Rebuild on every record change, not only on changes under the docs folder."""
        root = self._root(config)
        for name in ("services.yaml", "incidents", "postmortems", "site"):
            if (root / name).exists():
                server.watch(str(root / name))

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Write the stored and framed pages, then the feeds, API, calendar and badges."""
        assert self.view is not None
        write_pages(self.plan, self.store, self.files)
        memo = FileMemo.for_root(self._root(config), "feeds")
        for rel, data in sorted(render_all(self.view, memo).items()):
            target = Path(config.site_dir) / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        memo.keep_only_used()

    def _root(self, config: MkDocsConfig) -> Path:
        return Path(self.config.root or Path(config.config_file_path or ".").parent)
