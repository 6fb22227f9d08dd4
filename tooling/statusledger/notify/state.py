"""What was sent already (`notify --state FILE`), so running a notify twice tells nobody twice.

The file is JSON: for each channel id, the stable ids of the messages it was sent (the API ids
of updates and component updates) with the time they went out. It is written after every
message that went through, atomically, so a run cut short still remembers what it sent. A
file that is not one of ours stops the run: guessing would mean telling everyone again.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from statusledger.atomic import write_atomic
from statusledger.errors import UsageError

_FORMAT = "statusledger-notify-state"
_VERSION = 1


class SentState:
    """Message ids sent per channel; an in-memory one (no file) remembers for one run only."""

    def __init__(self, path: Path | None, sent: dict[str, dict[str, str]] | None = None) -> None:
        self.path = path
        self.sent = sent or {}

    @classmethod
    def load(cls, path: Path | None) -> SentState:
        """The state kept in `path` (a missing file is an empty state)."""
        if path is None or not path.exists():
            return cls(path)
        try:
            data: Any = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
            raise UsageError(
                f"--state {path}: cannot read it as a notify state file ({err}); "
                "move it away only if you accept that everything since --base is sent again"
            ) from None
        if not _valid(data):
            raise UsageError(
                f"--state {path}: not a statusledger notify state file (expected "
                f'{{"format": "{_FORMAT}", "version": {_VERSION}, "sent": {{...}}}})'
            )
        return cls(path, {c: dict(ids) for c, ids in data["sent"].items()})

    def has(self, channel: str, key: str) -> bool:
        """Whether this message went to this channel already."""
        return key in self.sent.get(channel, {})

    def add(self, channel: str, key: str, at: str) -> None:
        """Remember one sent message, and write the file at once."""
        self.sent.setdefault(channel, {})[key] = at
        self.save()

    def save(self) -> None:
        """Write the file whole or not at all (the project's one atomic write)."""
        if self.path is None:
            return
        body = {
            "format": _FORMAT,
            "version": _VERSION,
            "sent": {c: dict(sorted(ids.items())) for c, ids in sorted(self.sent.items())},
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(self.path, (json.dumps(body, indent=2) + "\n").encode("utf-8"))


def _valid(data: Any) -> bool:
    if not isinstance(data, dict) or data.get("format") != _FORMAT:
        return False
    if data.get("version") != _VERSION or not isinstance(data.get("sent"), dict):
        return False
    return all(
        isinstance(ids, dict) and all(isinstance(v, str) for v in ids.values())
        for ids in data["sent"].values()
    )
