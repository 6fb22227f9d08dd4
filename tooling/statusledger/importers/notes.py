"""What an import could not map, collected as it goes and printed at the end.

An import never stops at the first odd item: real status pages hold years of hand-written data,
and the user needs the whole list of what was left out or guessed to decide whether to fix the
source, the records, or nothing. Each note names the input file and the item inside it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

# Why something could not be mapped as it was; the keys group the printed report.
REASONS = {
    "bad-file": "input files that could not be read",
    "unknown-file": "input files that are not a known response",
    "unknown-status": "updates with a status we do not know (left out)",
    "empty-message": "updates without a message (a message was written for them)",
    "unknown-component": "components referenced but not defined (their impact was left out)",
    "unknown-group": "groups referenced but not defined (the component was left ungrouped)",
    "unknown-impact": "impact values we do not know",
    "maintenance-impact": "unscheduled incidents with impact 'maintenance' (imported as sev4)",
    "no-components": "maintenance without components (left out)",
    "bad-window": "maintenance without a usable window (left out)",
    "bad-time": "missing or unreadable timestamps",
    "no-updates": "records without any usable update (left out)",
    "not-resolved": "status disagreements between the record and its updates",
    "naive-time": "timestamps without an offset (read in the site's time zone)",
    "unknown-marker": "update markers we do not know (status carried over)",
    "unknown-severity": "unknown severities",
    "bad-page": "page settings that could not be used as they are",
    "duplicate": "items that appear more than once",
    "conflict": "records changed both here and at the source",
    "postmortem-kept": "postmortems that differ from the source's (kept as they are)",
    "invalid": "items that would not make a valid record (left out)",
}


@dataclass(frozen=True)
class Note:
    """One item that did not map cleanly: where it is, and what happened to it."""

    reason: str
    where: str
    message: str


@dataclass
class Notes:
    """The running list of notes of one import."""

    items: list[Note] = field(default_factory=list)
    _seen: set[Note] = field(default_factory=set, repr=False)

    def add(self, reason: str, where: str, message: str) -> None:
        """Record one item once; `reason` is a key of REASONS."""
        if reason not in REASONS:  # pragma: no cover - a programming error
            raise ValueError(f"unknown note reason {reason!r}")
        note = Note(reason, where, message)
        if note not in self._seen:
            self._seen.add(note)
            self.items.append(note)

    def extend(self, other: Notes) -> None:
        """Take over the notes of another collector."""
        for note in other.items:
            self.add(note.reason, note.where, note.message)

    def __len__(self) -> int:
        return len(self.items)

    def counts(self) -> dict[str, int]:
        """Notes per reason, in the order of REASONS."""
        counter = Counter(n.reason for n in self.items)
        return {r: counter[r] for r in REASONS if counter[r]}

    def as_text(self) -> str:
        """The report: counts per reason, then every item under its reason in input order."""
        if not self.items:
            return "Everything was mapped."
        lines = [f"Could not map {len(self.items)} item(s):"]
        for reason, count in self.counts().items():
            lines.append(f"  {REASONS[reason]}: {count}")
            for note in (n for n in self.items if n.reason == reason):
                lines.append(f"    - {note.where}: {note.message}")
        return "\n".join(lines)
