"""Page frames: the theme renders one page of a folder, and the folder's other pages are filled in.

Ten thousand incident pages differ only in their id, title and content: the theme's HTML around
them (header, tabs, footer, relative links, feed links) is the same for every page of the same
folder, yet MkDocs renders the whole Material template for each one, which is most of a large
site's build. `statusledger build` therefore lets MkDocs render, per folder, one frame page whose
id, title and content are placeholders, and fills the folder's other pages into that frame.

A frame is trusted only after a proof in the same build: the folder's first framed page (the
probe) comes right after the frame in MkDocs' build order, is rendered by MkDocs as usual and
must come out byte-identical to the frame filled with that page. The folder's other pages are
skipped by MkDocs' dirty build and filled in after it. If the proof fails, MkDocs has not come
to them yet: the build stops there (`FrameFailed`) and `statusledger build` starts it again
with that folder's pages (and those of folders not yet proven) left to MkDocs, like any other
page (site/build.py).

The proof is made to catch a filtered title: the title placeholder has spaces, mixed case and a
non-ASCII letter, and is padded to the folder's longest title, so a title put through
urlencode, upper, truncate and the like stays in the frame as text and the filled probe
differs. Only pages whose parts any remaining filter leaves unchanged are framed (an id of
URL-safe characters that MkDocs does not take for a folder index, a title HTML escaping leaves
alone with no runs of odd whitespace, content with its own <h1> like the frame's placeholder),
so the proof on one page holds for the others.
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass

from statusledger.site.generated import GeneratedPage

# Folders whose pages share one frame each (everything outside the navigation and one level
# down, so every page of a folder has the same relative links).
FOLDERS = ("incidents", "postmortems")

_ID = "statusledger-frame-5e2c9a"
# The title placeholder is made to be changed by any filter a template might put on a title
# (spaces for urlencode, mixed case for upper/lower, a non-ASCII letter, and as long as the
# longest title for truncate): a filtered title then stays in the frame as text, not as a slot,
# and the frame fails its proof.
_TITLE = "Statusledger Frame Title 5e2c9a \u00e9"
_CONTENT = '<h1 class="statusledger-frame">StatusledgerFrameContent5e2c9a</h1>'
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


def frame_page(folder: str, width: int = 0) -> GeneratedPage:
    """The placeholder page MkDocs renders as the frame of `folder` (never written out).

    `width` is the length of the longest title the frame is for; the title placeholder is
    padded to it.
    """
    return GeneratedPage(f"{folder}/{_ID}.md", _title(width), _CONTENT)


def _title(width: int) -> str:
    if width <= len(_TITLE):
        return _TITLE
    return _TITLE + " " + "x" * max(1, width - len(_TITLE) - 1)


def is_frame(src_uri: str) -> bool:
    """Whether `src_uri` is one of the placeholder frame pages."""
    folder = folder_of(src_uri)
    return folder is not None and src_uri == frame_page(folder).src_uri


@dataclass(frozen=True)
class Frame:
    """The theme's HTML of one folder, split at the placeholders."""

    literals: tuple[str, ...]  # one more than slots: the text around them
    slots: tuple[str, ...]  # "id", "title" or "content", in order

    @classmethod
    def of(cls, rendered: str, title: str) -> Frame | None:
        """Split a rendered frame page; None when its content does not appear exactly once.

        `title` is the placeholder title the frame page had (see `frame_page`).
        """
        if rendered.count(_CONTENT) != 1:
            return None
        kinds = {_ID: "id", title: "title", _CONTENT: "content"}
        slots = re.compile("|".join(re.escape(token) for token in kinds))
        return cls(
            tuple(slots.split(rendered)), tuple(kinds[found] for found in slots.findall(rendered))
        )

    def fill(self, page: GeneratedPage) -> str:
        """The page as MkDocs would render it: its id, escaped title and content in place."""
        values = {
            "id": page.src_uri.split("/")[1].removesuffix(".md"),
            "title": html.escape(page.title),
            "content": page.content,
        }
        out = [self.literals[0]]
        for slot, literal in zip(self.slots, self.literals[1:], strict=True):
            out.append(values[slot])
            out.append(literal)
        return "".join(out)


class FrameFailed(Exception):
    """A frame did not fill its probe as MkDocs rendered it: build again without those frames.

    `folders` are the failed one and those whose proof the build had not come to yet, so a
    second attempt never fails again.
    """

    def __init__(self, folders: list[str]) -> None:
        super().__init__(f"the frames of {', '.join(folders)} are not proven")
        self.folders = folders


class Plan:
    """The framed pages of one build, by folder, with their probes, frames and proofs."""

    def __init__(self) -> None:
        self.offered: dict[str, list[GeneratedPage]] = {}  # folder -> pages beside the probe
        self.probes: dict[str, GeneratedPage] = {}
        self.placeholders: dict[str, GeneratedPage] = {}  # folder -> its frame page
        self.framed: set[str] = set()  # src_uri of every page offered beside the probes
        self.proven: dict[str, Frame] = {}  # folder -> its frame, once it filled the probe
        self._frames: dict[str, str] = {}  # folder -> its frame page's HTML

    def offer(self, page: GeneratedPage) -> None:
        """A page that could be filled into its folder's frame, in MkDocs' build order."""
        folder = folder_of(page.src_uri)
        assert folder is not None
        self.offered.setdefault(folder, []).append(page)

    def settle(self, taken: Collection[str]) -> None:
        """Pick each folder's probe (its first page); a folder left with one page gets no frame.

        `taken` are the paths of every real page: a folder where one is the frame's own path
        (a record named like the placeholder) gets no frame either.
        """
        for folder, pages in list(self.offered.items()):
            if frame_page(folder).src_uri in taken or len(pages) < 2:
                del self.offered[folder]
                continue
            self.probes[folder], *rest = pages
            self.offered[folder] = rest
            self.framed.update(page.src_uri for page in rest)
            width = max(len(page.title) for page in pages)
            self.placeholders[folder] = frame_page(folder, width)

    def before(self, page: GeneratedPage) -> list[GeneratedPage]:
        """The pages MkDocs builds before this one: its folder's frame if it is a probe."""
        folder = folder_of(page.src_uri)
        if folder is None or self.probes.get(folder) is not page:
            return []
        return [self.placeholders[folder]]

    def fills(self, src_uri: str) -> bool:
        """Whether this page is filled into a frame instead of rendered by MkDocs."""
        return src_uri in self.framed

    def keep(self, src_uri: str, output: str) -> bool:
        """Note a page MkDocs rendered; True for a frame page (which is not written).

        A frame's HTML is kept; a probe's is compared with its frame filled with it, before
        MkDocs comes to the folder's other pages: FrameFailed if they differ.
        """
        folder = folder_of(src_uri)
        if folder is None or folder not in self.probes:
            return False
        if src_uri == self.placeholders[folder].src_uri:
            self._frames[folder] = output
            return True
        if src_uri == self.probes[folder].src_uri:
            self._prove(folder, output)
        return False

    def _prove(self, folder: str, probe_output: str) -> None:
        frame = Frame.of(self._frames.get(folder, ""), self.placeholders[folder].title)
        if frame is None or frame.fill(self.probes[folder]) != probe_output:
            raise FrameFailed([other for other in self.probes if other not in self.proven])
        self.proven[folder] = frame

    def to_fill(self) -> Iterator[tuple[GeneratedPage, str]]:
        """Each framed page (MkDocs skipped them) and its HTML from its proven frame."""
        for folder, frame in self.proven.items():
            for page in self.offered[folder]:
                yield page, frame.fill(page)
