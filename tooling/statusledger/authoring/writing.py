"""Applying a change: the text edit and its proof, validation of the result, the write.

Each edit is proven twice before anything is written: the new text must load to exactly the
model the change intends (yamledit.py), and the whole repository with the new text in place
must pass the validation rules for that file. Files are written atomically (atomic.py), an edit
under the record's lock (locking.py) and only over the text it was made from.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import ParamSpec

from statusledger.atomic import replace_unchanged, write_atomic
from statusledger.authoring.changes import Change, ops
from statusledger.authoring.inputs import Written
from statusledger.errors import Finding, StatusledgerError
from statusledger.loading import (
    POSTMORTEMS_DIR,
    Ledger,
    Loaded,
    LoadedPostmortem,
    LoadedRecord,
    load_postmortem_text,
    load_record_text,
)
from statusledger.validation import Context, validate
from statusledger.yamledit import edit_record

BOM = "\ufeff"
RETRIES = 50  # fresh starts of a command whose record changed under it (see retrying)


class Stale(StatusledgerError):
    """The record changed between reading it and writing it; `retrying` starts again."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"{path} changed while the command ran (another command or an editor wrote it); "
            "nothing was written. Run the command again"
        )
        self.path = path


_P = ParamSpec("_P")


def retrying(command: Callable[_P, Written]) -> Callable[_P, Written]:
    """Run an authoring command again, from a fresh read, when its record changed under it.

    Each retry means another command's edit landed first, so the commands take turns and all
    land; only a record that keeps changing for RETRIES attempts ends in Stale's message.
    """

    @functools.wraps(command)
    def run(*args: _P.args, **kwargs: _P.kwargs) -> Written:
        for _ in range(RETRIES):
            try:
                return command(*args, **kwargs)
            except Stale:
                continue
        return command(*args, **kwargs)

    return run


def apply_change(ledger: Ledger, record: LoadedRecord, change: Change, now: datetime) -> Written:
    """Edit the record's text, prove and validate the result, write it over the old one."""
    path = ledger.root / record.path
    raw, source = read_source(ledger.root, record)
    text = edit(source, record, change)
    check(ledger, {record.path: text}, now)
    replace_text(path, raw, text)
    return Written(path)


def edit(source: str, record: LoadedRecord, change: Change) -> str:
    """The record's text with the change made, proven to mean exactly the change."""
    return edit_record(source, record.path, record.model, ops(change))


def check(ledger: Ledger, texts: dict[str, str], now: datetime) -> None:
    """Validate the repository as it would be with `texts` written; refuse on their errors."""
    records = [r for r in ledger.records if r.path not in texts]
    postmortems = [p for p in ledger.postmortems if p.path not in texts]
    problems: list[Finding] = []
    added = 0
    for rel, text in texts.items():
        added += not (ledger.root / rel).exists()
        if rel.startswith(POSTMORTEMS_DIR + "/"):
            loaded_pm = load_postmortem_text(text, rel)
            if isinstance(loaded_pm, LoadedPostmortem):
                postmortems.append(loaded_pm)
            else:
                problems += loaded_pm
        else:
            loaded = load_record_text(text, rel)
            if isinstance(loaded, Loaded):
                records.append(loaded)
            else:
                problems += loaded
    candidate = Ledger(
        root=ledger.root,
        services=ledger.services,
        records=sorted(records, key=lambda r: r.path),
        postmortems=sorted(postmortems, key=lambda p: p.path),
        findings=[f for f in ledger.findings if f.path not in texts],
        files=ledger.files + added,
        settled=[f for f in ledger.settled if f.path not in texts],
    )
    report = validate(candidate, Context(now=now))
    problems += [f for f in report.errors if f.path in texts]
    if problems:
        raise StatusledgerError(_refusal(sorted(set(problems))))


def _refusal(problems: list[Finding]) -> str:
    files = ", ".join(sorted({p.path for p in problems}))
    lines = [f"refusing to write {files}: the result would not be valid; nothing was written"]
    for problem in problems:
        hint = f" (fix: {problem.hint})" if problem.hint else ""
        lines.append(f"  {problem.path}:{problem.line}:{problem.col}: {problem.message}{hint}")
    return "\n".join(lines)


def read_source(root: Path, record: LoadedRecord) -> tuple[bytes, str]:
    """The record's bytes and text (without a byte order mark), as its model was read.

    The model came from an earlier read; if the file changed since, the edit would be made
    for a record that is no longer there, so the command starts again (Stale).
    """
    try:
        raw = (root / record.path).read_bytes()
        text = raw.decode("utf-8").removeprefix(BOM)
    except (OSError, UnicodeDecodeError) as err:
        raise StatusledgerError(f"cannot read {record.path}: {err}") from None
    loaded = load_record_text(text, record.path)
    if isinstance(loaded, list) or loaded.model != record.model:
        raise Stale(root / record.path)
    return raw, text


def create(path: Path, text: str) -> None:
    """Write a new file whole, refusing (never overwriting) one another command just made."""
    if path.exists():
        raise Taken(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        write_atomic(path, text.encode("utf-8"), exclusive=True)
    except FileExistsError:
        raise Taken(path) from None


def replace_text(path: Path, raw: bytes, text: str) -> None:
    """Write `text` over the record if it still holds `raw`, keeping its byte order mark.

    Of two commands editing one record at once, the second sees the first's result and starts
    again (atomic.replace_unchanged compares under the record's lock).
    """
    bom = BOM.encode("utf-8") if raw.startswith(BOM.encode("utf-8")) else b""
    try:
        if not replace_unchanged(path, raw, bom + text.encode("utf-8")):
            raise Stale(path)
    except OSError as err:
        raise StatusledgerError(
            f"cannot write {path}: {err.strerror or err}; nothing was written"
        ) from None


class Taken(StatusledgerError):
    """A file this command creates was created by another one first."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"{path} was created by another command while this one ran; nothing was written. "
            "Look at it, and run the command again if yours is something else"
        )
