"""Statuspage's published postmortems: `postmortem` updates and `postmortem_body`, as one draft.

Statuspage publishes a postmortem as the incident's `postmortem_body` and lists it among the
incident's updates with the status `postmortem`; exports carry either or both. Neither is a
step of the incident (our updates have no such status), and dropping either would lose what
the team published, so both become the body of one published postmortem.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from statusledger.importers.drafts import PostmortemDraft, clean_text, summary_of
from statusledger.importers.notes import Notes

POSTMORTEM = "postmortem"


def postmortem_text(
    at: datetime, update: dict[str, Any], where: str, notes: Notes
) -> list[tuple[datetime, str]]:
    """The text of a `postmortem` update with its time; none (reported) when it is empty."""
    text = clean_text(str(update.get("body") or ""))
    if text:
        return [(at, text)]
    notes.add(
        "empty-message",
        where,
        f"the postmortem update at {at:%Y-%m-%d %H:%M} has no text; no postmortem from it",
    )
    return []


def postmortem_draft(
    title: str,
    body: str,
    updates: Sequence[tuple[datetime, str]],
    published: datetime | None,
    fallback: datetime,
    zone: ZoneInfo,
) -> PostmortemDraft | None:
    """The published postmortem of an incident, or None when the source has none.

    Usually the body and the update hold the same text: a text contained in another is kept
    once, and every distinct one is kept (the body first, then the updates oldest first).
    It is dated by `published` (`postmortem_published_at`), else by the first postmortem
    update, else by `fallback` (the resolution).
    """
    texts: list[str] = []
    for text in [clean_text(body), *(t for _, t in updates)]:
        if text and not any(_words(text) in _words(kept) for kept in texts):
            texts = [kept for kept in texts if _words(kept) not in _words(text)] + [text]
    if not texts:
        return None
    joined = "\n\n".join(texts)
    moment = published or (updates[0][0] if updates else fallback)
    return PostmortemDraft(
        title=title,
        date=moment.astimezone(zone).date(),
        summary=summary_of(joined),
        body=joined,
    )


def _words(text: str) -> str:
    """The text with line breaks and runs of spaces made single spaces, for comparing."""
    return " ".join(text.split())
