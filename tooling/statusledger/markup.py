"""Markdown from records turned into HTML that is safe to publish anywhere.

Update messages and postmortem bodies are written by people under stress and reviewed in pull
requests, but the page must never run what they contain: everything passes through nh3
(ammonia), which keeps formatting and drops scripts, event handlers and javascript: URLs.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import MutableMapping
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import markdown
import nh3

_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "details",
    "div",
    "dl",
    "dt",
    "em",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "kbd",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "td": {"align"},
    "th": {"align"},
    "*": {"id"},
}


@lru_cache(maxsize=1)
def _converter() -> markdown.Markdown:
    return markdown.Markdown(extensions=["tables", "fenced_code", "sane_lists"])


# A one-line message made only of these characters is a single paragraph to Markdown, with
# nothing to escape or sanitise; most status updates are such sentences. tests/test_markup.py
# checks the shortcut against the real converter.
_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ,.;:?'\"()/%$@=-]*\Z")
_NUMBERED = re.compile(r"\d+[.)]")


def _plain_paragraph(text: str) -> str | None:
    """The HTML of a message that is one plain sentence, or None when Markdown must look."""
    line = text
    if not _PLAIN.match(line) or "  " in line or _NUMBERED.match(line):
        return None
    return f"<p>{line}</p>"


@lru_cache(maxsize=65536)
def render_markdown(text: str) -> str:
    """Markdown to sanitised HTML (links get rel="nofollow noopener noreferrer").

    Memoised: status updates repeat the same sentences ("We are investigating."), and Markdown
    costs a third of a millisecond per message, which is seconds at ten thousand incidents.
    """
    plain = _plain_paragraph(text)
    if plain is not None:
        return plain
    converter = _converter()
    converter.reset()
    html = converter.convert(text)
    return sanitise(html)


# Texts this long (postmortem bodies) are worth remembering between builds: even a short
# body of a few headings costs Python-Markdown milliseconds, a lookup tens of microseconds.
# Update messages are mostly one plain sentence (rendered without Markdown) or are memoised
# in-process above.
MEMO_MIN_CHARS = 256


@lru_cache(maxsize=1)
def _memo_stamp() -> bytes:
    """What rendered HTML depends on besides the text: this module and its two libraries."""
    digest = hashlib.blake2b(Path(__file__).read_bytes(), digest_size=16)
    for package in ("markdown", "nh3"):
        digest.update(f"{package}={_version(package)}".encode())
    return digest.digest()


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:  # pragma: no cover - not installed as a distribution
        return "unknown"


def render_markdown_remembered(text: str, memo: MutableMapping[str, bytes] | None) -> str:
    """`render_markdown`, kept across builds in `memo` for long texts (postmortem bodies).

    A rebuild renders a thousand postmortems again though none changed; the memo (keyed by a
    digest of the text and of the renderer) hands their HTML back instead.
    """
    if memo is None or len(text) < MEMO_MIN_CHARS:
        return render_markdown(text)
    key = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), key=_memo_stamp()).hexdigest()
    try:
        return memo[key].decode("utf-8")
    except KeyError:
        pass
    html = render_markdown(text)
    memo[key] = html.encode("utf-8")
    return html


def sanitise(html: str) -> str:
    """Keep formatting tags only; no script, style, iframe, event handler or javascript: URL.

    Images are dropped too: the page must load nothing from another host, and a record cannot
    know what the site will serve beside it.
    """
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    )


def plain_text(text: str) -> str:
    """The text of a message without any markup, for calendars and badges."""
    return nh3.clean(render_markdown(text), tags=set()).strip()
