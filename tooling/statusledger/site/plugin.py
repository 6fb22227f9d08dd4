"""The MkDocs plugin: records in, generated pages and rendered files out (glue only).

The View is built once per build in `on_config`; pages come from `statusledger.site.pages`,
feeds/API/calendar/badges from `statusledger.render`. Invalid records stop the build with every
finding listed as file:line, so a broken record never replaces a good site. In the dirty build
`statusledger build` runs, unchanged pages come from the page store (reuse.py) and most others
are filled into a frame MkDocs rendered once per folder (frames.py).
"""

from __future__ import annotations

import html
import os
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment
from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import write_file
from mkdocs.utils.templates import TemplateContext

from statusledger.clock import resolve_now
from statusledger.compute.periods import local_day, recent_months
from statusledger.compute.sla import monthly_sla
from statusledger.errors import Finding, StatusledgerError
from statusledger.listing import site_links
from statusledger.loading import Ledger, load_ledger
from statusledger.records.types import printable
from statusledger.render import render_all
from statusledger.site import frames
from statusledger.site.config import NOW_ENV, StatusledgerConfig
from statusledger.site.generated import record_description
from statusledger.site.i18n import locale
from statusledger.site.months import MonthUptime, from_sla
from statusledger.site.pages import SLA_MONTHS, GeneratedPage, generate
from statusledger.site.reuse import FileMemo, PageStore, ReusedFile, site_stamp
from statusledger.validation import Context, validate
from statusledger.views import View, build_view, public_ledger
from statusledger.yamlfile import double_quoted

try:  # MkDocs' own page build, for pages whose frame fails its proof (see _fill_frames)
    from mkdocs.commands.build import _build_page, _populate_page

    _CAN_RENDER_LATER = True
except ImportError:  # pragma: no cover - a MkDocs without them: no page is framed
    _CAN_RENDER_LATER = False

_TOGGLES = (
    ('id="__drawer" autocomplete="off"', 'id="__drawer"'),
    ('id="__search" autocomplete="off"', 'id="__search"'),
)


class InvalidRecords(PluginError):
    """The records did not validate; carries the findings for the CLI to print."""

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = findings
        lines = [f"{f.path}:{f.line}:{f.col}: {f.message} [{f.rule}]" for f in findings]
        super().__init__("invalid records:\n" + "\n".join(lines))


def format_findings(findings: list[Finding]) -> str:
    """Findings one per line, file:line:col first, as editors and CI annotations expect."""
    return "\n".join(
        f"{printable(f.path)}:{f.line}:{f.col}: {f.message} [{f.rule}]"
        + (f"\n    fix: {f.hint}" if f.hint else "")
        for f in findings
    )


class StatusledgerPlugin(BasePlugin[StatusledgerConfig]):  # type: ignore[no-untyped-call]
    """Build the status site from the repository's records."""

    def __init__(self) -> None:
        self.view: View | None = None
        self.pages: dict[str, GeneratedPage] = {}
        self.months: dict[str, list[MonthUptime]] = {}
        self.findings: list[Finding] = []
        # Set by `statusledger build`, which runs MkDocs' dirty build: unchanged pages are then
        # taken from the page store instead of being rendered (see reuse.py).
        self.reuse_pages = False
        self.store = PageStore(None)
        self.rendered: dict[str, str] = {}  # src_uri -> fingerprint, pages MkDocs renders
        self.reused: dict[str, str] = {}  # src_uri -> fingerprint, pages taken from the store
        self.keys: dict[str, str] = {}  # src_uri -> fingerprint, every generated page
        self.frames = frames.Plan()  # pages filled into a frame instead (frames.py)
        self.frame_urls: dict[str, tuple[str | None, str | None]] = {}
        self.files = Files([])
        self.nav: Navigation | None = None
        self.env: Environment | None = None

    @staticmethod
    def can_skip_pages(config: MkDocsConfig) -> bool:
        """Whether a dirty build may skip the pages taken from the store or filled into a frame.

        Strict mode counts MkDocs' dirty-build warning as a failure, and another plugin (a
        search index, social cards) would never see the skipped pages, so such sites are
        always built in full.
        """
        return not config.strict and list(config.plugins) == ["statusledger"]

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Load and validate the records, build the View, and set the site from services.yaml."""
        root = self._root(config)
        try:
            now = resolve_now(self.config.now or os.environ.get(NOW_ENV))
            ledger = load_ledger(root)
            report = validate(ledger, Context(now=now))
            ledger.save_cache()
        except StatusledgerError as err:
            raise PluginError(str(err)) from None
        # Links out of the repository (validate checked mkdocs.yml's docs_dir; this is the one
        # MkDocs really reads).
        refused = [f for f in site_links(root, Path(config.docs_dir)) if f not in report.errors]
        if not report.ok or ledger.services is None or refused:
            self.findings = report.errors + refused
            raise InvalidRecords(self.findings)
        # Everything published from here on sees public records only (views.public_ledger).
        ledger = public_ledger(ledger)
        markdown_memo = FileMemo.for_root(root, "markdown")
        self.view = view = build_view(ledger, now, self.config.days, markdown_memo)
        markdown_memo.keep_only_used()
        self.months = _months(ledger, view, now)
        loc = locale(view.page.language, view.page.timezone)
        # Markup: the theme writes the name escaped once more in the logo's title (`| e`).
        config.site_name = Markup(html.escape(view.page.name))
        config.site_url = view.page.url + "/"
        config.site_description = html.escape(
            view.page.description or loc.t("meta.site", site=view.page.name)
        )
        config.theme["language"] = loc.language
        _add_theme(config)
        config.nav = [
            {loc.t("nav.home"): "index.md"},
            {loc.t("nav.history"): "history/index.md"},
            {loc.t("nav.postmortems"): "postmortems/index.md"},
            {loc.t("nav.sla"): "sla/index.md"},
        ]
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Add one generated page per page of the site; incidents stay out of the nav."""
        assert self.view is not None
        for unused in [f for f in files if _unused_theme_file(f.src_uri)]:
            files.remove(unused)
        self.pages = {p.src_uri: p for p in generate(self.view, self.months)}
        self.store = PageStore.for_root(self._root(config))
        self.rendered, self.reused, self.frames = {}, {}, frames.Plan()
        stamp = site_stamp(config)
        in_nav = {uri for item in config.nav or [] for uri in item.values()}
        keys = {}
        # A page is framed only if its feed links are its frame's (they are the same per folder).
        frame_heads = {
            folder: feed_links(self.view, frames.frame_page(folder).src_uri, ".")
            for folder in frames.FOLDERS
        }
        for page in self.pages.values():
            head = feed_links(self.view, page.src_uri, ".")
            key = keys[page.src_uri] = PageStore.fingerprint(
                stamp, page.src_uri, page.title, page.content, head, page.description
            )
            if not self.reuse_pages or page.src_uri in in_nav:
                continue
            if self.store.has(key):
                self.reused[page.src_uri] = key
            elif (
                _CAN_RENDER_LATER
                and frames.frameable(page)
                and head == frame_heads[str(frames.folder_of(page.src_uri))]
            ):
                self.frames.offer(page)
        self.frames.settle(self.pages.keys())
        for page in [*self.pages.values(), *self.frames.placeholders]:
            existing = files.get_file_from_path(page.src_uri)
            if existing is not None:
                files.remove(existing)
            title = double_quoted(html.escape(page.title))
            description = double_quoted(html.escape(self._description(page)))
            front = (
                f"---\ntitle: {title}\ndescription: {description}\nhide: [navigation, toc]\n---\n"
            )
            if page.src_uri in self.reused or self.frames.fills(page.src_uri):
                file: File = ReusedFile.generated(config, page.src_uri, content=front)
            else:
                file = File.generated(config, page.src_uri, content=front)
                if page.src_uri not in in_nav and page.src_uri in keys:
                    self.rendered[page.src_uri] = keys[page.src_uri]
            files.append(file)
        for placeholder in self.frames.placeholders:
            self.pages[placeholder.src_uri] = placeholder
        self.keys, self.files = keys, files
        return files

    def _description(self, page: GeneratedPage) -> str:
        """A page's meta description; a frame's is made from its title, as its pages' are."""
        if page.description or self.view is None:
            return page.description
        loc = locale(self.view.page.language, self.view.page.timezone)
        return record_description(page.title, self.view.page.name, loc)

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        """Keep the navigation: pages a frame could not be proven for are rendered with it."""
        self.nav = nav
        return nav

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        """Keep frame pages out of the sitemap (built next) until their own turn to render."""
        self.env = env
        assert self.view is not None
        env.globals["statusledger_t"] = locale(self.view.page.language, self.view.page.timezone).t
        for placeholder in self.frames.placeholders:
            page = files.get_file_from_path(placeholder.src_uri).page  # type: ignore[union-attr]
            assert page is not None
            self.frame_urls[placeholder.src_uri] = (page.canonical_url, page.abs_url)
            page.canonical_url = page.abs_url = None
        return env

    def on_page_content(
        self, html_: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        """Put the generated HTML in place of the (empty) Markdown body."""
        generated = self.pages.get(page.file.src_uri)
        return generated.content if generated is not None else html_

    def on_page_context(
        self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        """Feed autodiscovery links for the page's `extrahead` block."""
        assert self.view is not None
        context["statusledger_head"] = feed_links(  # type: ignore[typeddict-unknown-key]
            self.view, page.file.src_uri, str(context.get("base_url", "."))
        )
        urls = self.frame_urls.get(page.file.src_uri)
        if urls is not None:
            page.canonical_url, page.abs_url = urls
        return context

    @event_priority(-100)  # last, so the stored page is exactly what gets written
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        """Drop `autocomplete` from the theme's checkbox toggles (invalid HTML there).

        The finished page is also kept in the page store for the next build to reuse.
        """
        output = _fix_toggles(output)
        if self.frames.keep(page.file.src_uri, output):
            return ""  # a frame page: kept for filling, never written
        key = self.rendered.get(page.file.src_uri)
        if key is not None:
            self.store.put(key, output)
        return output

    def on_post_template(
        self, output_content: str, *, template_name: str, config: MkDocsConfig
    ) -> str:
        """The same fix for theme pages such as 404.html."""
        return _fix_toggles(output_content)

    def _root(self, config: MkDocsConfig) -> Path:
        return Path(self.config.root or Path(config.config_file_path or ".").parent)

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> None:
        """Rebuild on every record change, not only on changes under the docs folder."""
        root = self._root(config)
        for name in ("services.yaml", "incidents", "postmortems", "site"):
            if (root / name).exists():
                server.watch(str(root / name))

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Write the feeds, API, calendar and badges next to the pages."""
        assert self.view is not None
        site = Path(config.site_dir)
        for src_uri, key in self.reused.items():
            self.store.place(key, Path(self._file(src_uri).abs_dest_path))
        self._fill_frames(config)
        framed = [self.keys[src] for src in self.frames.filled]
        self.store.keep_only([*self.rendered.values(), *self.reused.values(), *framed])
        memo = FileMemo.for_root(self._root(config), "feeds")
        for rel, data in sorted(render_all(self.view, memo).items()):
            target = site / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        memo.keep_only_used()

    def _fill_frames(self, config: MkDocsConfig) -> None:
        """Write every framed page, or have MkDocs render a folder whose frame failed its proof."""
        for frame, pages in self.frames.proven_or_not():
            if frame is not None:
                for page in pages:
                    output = frame.fill(page)
                    path = self._file(page.src_uri).abs_dest_path
                    write_file(output.encode("utf-8", errors="xmlcharrefreplace"), path)
                    self.store.put(self.keys[page.src_uri], output)
                continue
            # MkDocs' own page build, as its build loop would have run it without the frame.
            doc_files = self.files.documentation_pages()
            assert self.nav is not None and self.env is not None
            for page in pages:
                self.rendered[page.src_uri] = self.keys[page.src_uri]
                built = self._file(page.src_uri).page
                assert built is not None
                _populate_page(built, config, self.files, dirty=False)
                _build_page(built, config, doc_files, self.nav, self.env, dirty=False)

    def _file(self, src_uri: str) -> File:
        file = self.files.get_file_from_path(src_uri)
        assert file is not None
        return file


THEME = Path(__file__).with_name("theme")
STYLESHEET = "assets/statusledger.css"


def _add_theme(config: MkDocsConfig) -> None:
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


def _fix_toggles(output: str) -> str:
    """The theme's two toggles without `autocomplete`.

    Only the first occurrence of each: the theme's own, at the top of the body. The same text
    quoted in a record's message stays as written.
    """
    for old, new in _TOGGLES:
        output = output.replace(old, new, 1)
    return output


def _unused_theme_file(src_uri: str) -> bool:
    """The theme's JavaScript (search, instant loading) and source maps: never loaded here."""
    return src_uri.startswith("assets/javascripts/") or src_uri.endswith(".map")


def _months(ledger: Ledger, view: View, now: datetime) -> dict[str, list[MonthUptime]]:
    """Each component's uptime per month, as `statusledger sla` computes it."""
    assert ledger.services is not None
    services = ledger.services.model
    periods = recent_months(local_day(now, view.page.timezone), SLA_MONTHS)
    return {
        c.id: from_sla(monthly_sla(services, ledger.records, c.id, periods, now))
        for c in view.components
    }


def feed_links(view: View, src_uri: str, base_url: str) -> str:
    """`<link rel="alternate">` tags for the site's feeds (and a component's own on its page)."""
    parts = src_uri.split("/")
    component = None
    if len(parts) == 2 and parts[0] == "components":
        found = view.component(parts[1].removesuffix(".md"))
        component = found.id if found is not None else None
    try:
        from statusledger.render.feeds import feed_links as render_links
    except ImportError:
        links = _fallback_links(view, base_url, None)
        if component is not None:
            links += _fallback_links(view, base_url, component)
    else:
        links = render_links(view)
        if component is not None:
            links += render_links(view, component)
    return "".join(
        f'<link rel="alternate" type="{html.escape(kind)}" title="{html.escape(title)}" '
        f'href="{html.escape(url)}">'
        for kind, title, url in links
    )


def _fallback_links(
    view: View, base_url: str, component_id: str | None
) -> list[tuple[str, str, str]]:
    base = base_url.rstrip("/") or "."
    stem = f"components/{component_id}/history" if component_id else "history"
    name = view.page.name if component_id is None else f"{view.page.name}: {component_id}"
    return [
        ("application/rss+xml", f"{name} (RSS)", f"{base}/{stem}.rss"),
        ("application/atom+xml", f"{name} (Atom)", f"{base}/{stem}.atom"),
    ]
