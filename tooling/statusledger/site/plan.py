"""How one build makes each generated page: rendered, taken from the page store, or framed.

`statusledger build` runs MkDocs' dirty build, which skips every file whose `is_modified()` is
False (a `ReusedFile`); that public switch is all this module turns. The navigation's pages
(home, history, postmortems, SLA) list every record and are always rendered. Any other page
whose fingerprint the page store holds is copied from the store after the build (reuse.py); a
page its folder's frame can be filled with is filled in after the build, once the frame has
proved itself on the folder's probe, which MkDocs builds first (frames.py). Every page outside
the navigation ends up in the page store for the next build.
"""

from __future__ import annotations

import html
from collections.abc import Collection
from dataclasses import dataclass, field

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.utils import write_file

from statusledger.render import feed_links as render_links
from statusledger.site import frames
from statusledger.site.generated import GeneratedPage, record_description
from statusledger.site.i18n import locale
from statusledger.site.reuse import PageStore, ReusedFile
from statusledger.site.theming import unused_theme_file
from statusledger.views import View
from statusledger.yamlwrite import double_quoted

Urls = tuple[str | None, str | None]  # a page's canonical and absolute URL


@dataclass
class SitePlan:
    """What this build does with each generated page."""

    pages: dict[str, GeneratedPage] = field(default_factory=dict)  # the frame pages included
    order: list[GeneratedPage] = field(default_factory=list)  # as MkDocs builds them
    keys: dict[str, str] = field(default_factory=dict)  # src_uri -> fingerprint, outside the nav
    reused: dict[str, str] = field(default_factory=dict)  # the pages taken from the store
    frames: frames.Plan = field(default_factory=frames.Plan)


@dataclass(frozen=True)
class Inputs:
    """What deciding a page's fate depends on besides the page."""

    view: View
    stamp: bytes  # reuse.site_stamp: the site as a whole
    in_nav: Collection[str]  # src_uri of the navigation's pages
    store: PageStore
    reuse: bool  # whether this build may skip pages (a dirty build of ours only)
    unframed: Collection[str] = ()  # folders whose frame failed its proof in this build


def nav_pages(config: MkDocsConfig) -> set[str]:
    """The src_uri of every page in the navigation."""
    return {uri for item in config.nav or [] for uri in item.values()}


def plan_site(pages: list[GeneratedPage], inputs: Inputs) -> SitePlan:
    """Fingerprint every page outside the navigation and decide how each is made."""
    plan = SitePlan()
    frame_heads = {
        folder: feed_links(inputs.view, frames.frame_page(folder).src_uri)
        for folder in frames.FOLDERS
    }
    for page in pages:
        plan.pages[page.src_uri] = page
        if page.src_uri not in inputs.in_nav:
            _plan_page(plan, page, inputs, frame_heads)
    plan.frames.settle(plan.pages.keys())
    plan.order = [made for page in pages for made in (*plan.frames.before(page), page)]
    plan.pages.update((frame.src_uri, frame) for frame in plan.frames.placeholders.values())
    return plan


def _plan_page(
    plan: SitePlan, page: GeneratedPage, inputs: Inputs, frame_heads: dict[str, str]
) -> None:
    head = feed_links(inputs.view, page.src_uri)
    key = plan.keys[page.src_uri] = PageStore.fingerprint(
        inputs.stamp, page.src_uri, page.title, page.content, head, page.description
    )
    if not inputs.reuse:
        return
    if inputs.store.has(key):
        plan.reused[page.src_uri] = key
    elif _frameable(page, head, inputs, frame_heads):
        plan.frames.offer(page)


def _frameable(page: GeneratedPage, head: str, inputs: Inputs, frame_heads: dict[str, str]) -> bool:
    """Safe to frame (frames.py), in a folder still framed, with its frame's feed links."""
    if not frames.frameable(page):
        return False
    folder = str(frames.folder_of(page.src_uri))
    return folder not in inputs.unframed and head == frame_heads[folder]


def add_files(files: Files, plan: SitePlan, config: MkDocsConfig, view: View) -> Files:
    """The site's files: the theme's unused ones out, the generated pages in, in build order."""
    for unused in [f for f in files if unused_theme_file(f.src_uri)]:
        files.remove(unused)
    for page in plan.order:
        existing = files.src_uris.get(page.src_uri)
        if existing is not None:
            files.remove(existing)
        files.append(_file(plan, config, page, view))
    return files


def _front_matter(page: GeneratedPage, view: View) -> str:
    """The page's title and description as MkDocs reads them; the body is put in later."""
    title = double_quoted(html.escape(page.title))
    description = double_quoted(html.escape(_description(page, view)))
    return f"---\ntitle: {title}\ndescription: {description}\nhide: [navigation, toc]\n---\n"


def _description(page: GeneratedPage, view: View) -> str:
    """A page's meta description; a frame's is made from its title, as its pages' are."""
    if page.description:
        return page.description
    loc = locale(view.page.language, view.page.timezone)
    return record_description(page.title, view.page.name, loc)


def _file(plan: SitePlan, config: MkDocsConfig, page: GeneratedPage, view: View) -> File:
    if page.src_uri in plan.reused or plan.frames.fills(page.src_uri):
        # MkDocs' dirty build never reads a file it skips: no front matter to make (10k pages
        # of it are most of a second).
        return ReusedFile.generated(config, page.src_uri, content="")
    return File.generated(config, page.src_uri, content=_front_matter(page, view))


def hide_frames(plan: SitePlan, files: Files) -> dict[str, Urls]:
    """Keep frame pages out of the sitemap (built next); returns their URLs for their turn."""
    saved = {}
    for frame in plan.frames.placeholders.values():
        src_uri = frame.src_uri
        page = _file_of(files, src_uri).page
        assert page is not None
        saved[src_uri] = (page.canonical_url, page.abs_url)
        page.canonical_url = page.abs_url = None
    return saved


def write_pages(plan: SitePlan, store: PageStore, files: Files) -> None:
    """After MkDocs: the stored and the framed pages into the site; the store kept to this site."""
    store.place((key, _file_of(files, uri).abs_dest_path) for uri, key in plan.reused.items())
    for page, output in plan.frames.to_fill():
        path = _file_of(files, page.src_uri).abs_dest_path
        write_file(output.encode("utf-8", errors="xmlcharrefreplace"), path)
        store.put(plan.keys[page.src_uri], output)
    store.keep_only(plan.keys.values())


def _file_of(files: Files, src_uri: str) -> File:
    file = files.src_uris.get(src_uri)
    assert file is not None
    return file


def feed_links(view: View, src_uri: str) -> str:
    """`<link rel="alternate">` tags for the site's feeds (and a component's own on its page)."""
    parts = src_uri.split("/")
    links = render_links(view)
    if len(parts) == 2 and parts[0] == "components":
        found = view.component(parts[1].removesuffix(".md"))
        if found is not None:
            links += render_links(view, found.id)
    return "".join(
        f'<link rel="alternate" type="{html.escape(kind)}" title="{html.escape(title)}" '
        f'href="{html.escape(url)}">'
        for kind, title, url in links
    )
