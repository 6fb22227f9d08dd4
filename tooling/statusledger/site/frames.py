"""Page frames: the theme renders one page of a folder, and the folder's other pages are filled in.

Ten thousand incident pages differ only in their id, title and content: the theme's HTML around
them (header, tabs, footer, relative links, feed links) is the same for every page of the same
folder, yet MkDocs renders the whole Material template for each one, which is most of a large
site's build. `statusledger build` therefore lets MkDocs render, per folder, one frame page whose
id, title and content are placeholders, and fills the folder's other pages into that frame.

A frame is trusted only after a proof in the same build: one real page of the folder (the one
with the longest title) is rendered by MkDocs as usual and must come out byte-identical to the
frame filled with that page; otherwise the plugin has MkDocs render every page of the folder
after all. The proof is made to catch a filtered title: the title placeholder has spaces, mixed
case and a non-ASCII letter, so a title put through urlencode, upper and the like stays in the
frame as text and the filled probe differs. Only pages whose parts any remaining filter leaves
unchanged are framed (an id of URL-safe characters that MkDocs does not take for a folder
index, a title HTML escaping leaves alone with no runs of odd whitespace, content with its own
<h1> like the frame's placeholder), so the proof on one page holds for the others.
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from statusledger.site.generated import GeneratedPage

# Folders whose pages share one frame each (everything outside the navigation and one level
# down, so every page of a folder has the same relative links).
FOLDERS = ("incidents", "postmortems")

_ID = "statusledger-frame-5e2c9a"
# The title placeholder is made to be changed by any filter a template might put on a title
# (spaces for urlencode, mixed case for upper/lower, a non-ASCII letter): a filtered title then
# stays in the frame as text, not as a slot, and the frame fails its proof.
_TITLE = "Statusledger Frame Title 5e2c9a \u00e9"
_CONTENT = '<h1 class="statusledger-frame">StatusledgerFrameContent5e2c9a</h1>'
_SLOTS = re.compile("|".join(re.escape(token) for token in (_ID, _TITLE, _CONTENT)))
_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
# Stems MkDocs files as their folder's index page (one level up), not as <folder>/<stem>/.
_INDEX_STEMS = {"index", "readme"}


def folder_of(src_uri: str) -> str | None:
    """The frame folder a page belongs to, or None for pages that are never framed."""
    parts = src_uri.split("/")
    if len(parts) != 2 or parts[0] not in FOLDERS or not parts[1].endswith(".md"):
        return None
    return parts[0]


def frameable(page: GeneratedPage) -> bool:
    """Whether a page can be filled into its folder's frame (see the module docstring)."""
    if folder_of(page.src_uri) is None:
        return False
    stem = page.src_uri.split("/")[1].removesuffix(".md")
    return (
        _SAFE_ID.match(stem) is not None
        and stem != _ID
        and stem.lower() not in _INDEX_STEMS
        and html.escape(page.title) == page.title
        and " ".join(page.title.split()) == page.title  # what striptags or trim would leave
        and "<h1" in page.content
    )


def frame_page(folder: str) -> GeneratedPage:
    """The placeholder page MkDocs renders as the frame of `folder` (never written out)."""
    return GeneratedPage(f"{folder}/{_ID}.md", _TITLE, _CONTENT)


def is_frame(src_uri: str) -> bool:
    """Whether `src_uri` is one of the placeholder frame pages."""
    folder = folder_of(src_uri)
    return folder is not None and src_uri == frame_page(folder).src_uri


def pick_probe(pages: Iterable[GeneratedPage]) -> GeneratedPage:
    """The page MkDocs renders to prove a frame: the longest title tests truncating filters."""
    return max(pages, key=lambda page: (len(page.title), page.src_uri))


@dataclass(frozen=True)
class Frame:
    """The theme's HTML of one folder, split at the placeholders."""

    literals: tuple[str, ...]  # one more than slots: the text around them
    slots: tuple[str, ...]

    @classmethod
    def of(cls, rendered: str) -> Frame | None:
        """Split a rendered frame page; None when its content does not appear exactly once."""
        if rendered.count(_CONTENT) != 1:
            return None
        return cls(tuple(_SLOTS.split(rendered)), tuple(_SLOTS.findall(rendered)))

    def fill(self, page: GeneratedPage) -> str:
        """The page as MkDocs would render it: its id, escaped title and content in place."""
        values = {
            _ID: page.src_uri.split("/")[1].removesuffix(".md"),
            _TITLE: html.escape(page.title),
            _CONTENT: page.content,
        }
        out = [self.literals[0]]
        for slot, literal in zip(self.slots, self.literals[1:], strict=True):
            out.append(values[slot])
            out.append(literal)
        return "".join(out)


class Plan:
    """The framed pages of one build, by folder, with their probes and rendered frames."""

    def __init__(self) -> None:
        self.offered: dict[str, list[GeneratedPage]] = {}
        self.probes: dict[str, GeneratedPage] = {}
        self.placeholders: list[GeneratedPage] = []
        self.rendered: dict[str, str] = {}  # src_uri of a frame or probe -> its HTML
        self.framed: set[str] = set()  # src_uri of every page offered beside the probes
        self.filled: list[str] = []

    def offer(self, page: GeneratedPage) -> None:
        """A page that could be filled into its folder's frame."""
        folder = folder_of(page.src_uri)
        assert folder is not None
        self.offered.setdefault(folder, []).append(page)

    def settle(self, taken: Collection[str]) -> None:
        """Pick each folder's probe (MkDocs renders it); a folder left empty gets no frame.

        `taken` are the paths of every real page: a folder where one is the frame's own path
        (a record named like the placeholder) gets no frame either.
        """
        for folder, pages in list(self.offered.items()):
            if frame_page(folder).src_uri in taken:
                del self.offered[folder]
                continue
            chosen = pick_probe(pages)
            rest = [page for page in pages if page is not chosen]
            if not rest:
                del self.offered[folder]
                continue
            self.offered[folder] = rest
            self.framed.update(page.src_uri for page in rest)
            self.probes[folder] = chosen
            self.placeholders.append(frame_page(folder))

    def fills(self, src_uri: str) -> bool:
        """Whether this page is filled into a frame instead of rendered by MkDocs."""
        return src_uri in self.framed

    def keep(self, src_uri: str, output: str) -> bool:
        """Remember a frame's or a probe's HTML; True for a frame (which is not written)."""
        folder = folder_of(src_uri)
        if folder is None or folder not in self.probes:
            return False
        if is_frame(src_uri):
            self.rendered[src_uri] = output
            return True
        if self.probes[folder].src_uri == src_uri:
            self.rendered[src_uri] = output
        return False

    def proven_or_not(self) -> list[tuple[Frame | None, list[GeneratedPage]]]:
        """Per folder: the frame if it filled its probe exactly as MkDocs rendered it, else None."""
        out: list[tuple[Frame | None, list[GeneratedPage]]] = []
        for folder, pages in self.offered.items():
            chosen = self.probes[folder]
            frame = Frame.of(self.rendered.get(frame_page(folder).src_uri, ""))
            if frame is not None and frame.fill(chosen) != self.rendered.get(chosen.src_uri):
                frame = None
            out.append((frame, pages))
            if frame is not None:
                self.filled.extend(page.src_uri for page in pages)
        return out
