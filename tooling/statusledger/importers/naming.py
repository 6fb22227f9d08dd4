"""Ids for imported things: slugs of their names, made unique against what already exists."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container

MAX_SLUG = 60


def slugify(text: str, fallback: str) -> str:
    """Lowercase ASCII words joined by hyphens, cut at a word boundary.

    Names on status pages carry accents, emoji and punctuation ("(ﾉ◕ヮ◕)ﾉ Server Juice",
    "api.anthropic.com"); ids must match [a-z0-9-]+, so everything else becomes a separator
    and accents fold to their base letter. A name with no letters at all gets `fallback`.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > MAX_SLUG:
        cut = slug[:MAX_SLUG]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut
    return slug or fallback


def unique(base: str, taken: Container[str]) -> str:
    """`base`, or `base-2`, `base-3`... whichever is free first."""
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"
