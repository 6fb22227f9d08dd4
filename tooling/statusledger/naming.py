"""Ids made from names: the slug of a title or a component's name, made unique.

Used by authoring (a new record's file name) and the importers (records, components, groups).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container

SLUG_MAX = 60


def slugify(text: str, fallback: str) -> str:
    """Lowercase ASCII words joined by hyphens, at most SLUG_MAX characters, cut at a word.

    Names carry accents, emoji and punctuation ("(ﾉ◕ヮ◕)ﾉ Server Juice", "api.anthropic.com");
    ids must match [a-z0-9-]+, so everything else becomes a separator and accents fold to their
    base letter. A name with no letters at all gets `fallback`.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > SLUG_MAX:
        cut = slug[: SLUG_MAX + 1]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else slug[:SLUG_MAX]
    return slug or fallback


def unique(base: str, taken: Container[str]) -> str:
    """`base`, or `base-2`, `base-3`... whichever is free first."""
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"
