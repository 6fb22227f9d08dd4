"""`statusledger log ID`: the story of one record across commits, newest first.

Each commit that changed the record's file is told as the changes it made (describe.py),
following renames, so a reviewer sees what the public saw and when; uncommitted changes in the
work tree come first. A record deleted since can still be looked up by its id.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from statusledger.errors import Finding, UsageError
from statusledger.history.describe import Change, describe
from statusledger.history.git import Repo, git_errors
from statusledger.history.versions import Version, kind_of, load, type_of, version
from statusledger.loading import INCIDENTS_DIR, POSTMORTEMS_DIR, postmortem_files, record_files


@dataclass(frozen=True)
class LogEntry:
    """One commit that touched a record (commit None: uncommitted changes in the work tree)."""

    commit: str | None
    author: str
    email: str
    date: str
    subject: str
    path: str
    changes: list[Change]

    def to_json(self) -> dict[str, object]:
        """The documented JSON shape of a log entry."""
        return {
            "commit": self.commit,
            "author": self.author,
            "email": self.email,
            "date": self.date,
            "subject": self.subject,
            "path": self.path,
            "changes": [c.to_json() for c in self.changes],
        }


@dataclass(frozen=True)
class RecordLog:
    """The history of one record, newest first."""

    id: str
    type: str
    path: str
    entries: list[LogEntry]

    def to_json(self) -> dict[str, object]:
        """The documented JSON shape of a record's log."""
        return {
            "id": self.id,
            "type": self.type,
            "path": self.path,
            "entries": [e.to_json() for e in self.entries],
        }


_LOG_FORMAT = "%x1e%H%x1f%an%x1f%ae%x1f%aI%x1f%s"


def record_log(root: Path, record_id: str, *, postmortem: bool = False) -> RecordLog:
    """Every commit that changed the record `record_id`, following renames, newest first.

    The record is looked for among the files on disk (incidents first, unless `postmortem`),
    then in history, so a deleted record's story can still be told. Merge commits are left out:
    each change is shown once, at the commit that made it. Uncommitted changes in the work tree
    come first, as an entry without a commit.
    """
    with git_errors("git"), Repo(root) as repo:
        path = _find_path(root, repo, record_id, postmortem=postmortem)
        entries = []
        if repo.repo.head.is_valid():
            out = repo.run(
                "log",
                "--follow",
                "-M",
                "--no-merges",
                "--raw",
                "-z",
                "--no-abbrev",
                f"--format={_LOG_FORMAT}",
                "--",
                repo.prefix + path,
            )
            entries = [
                e for chunk in out.split("\x1e") if (e := _log_entry(repo, chunk)) is not None
            ]
        pending = _uncommitted(root, repo, path)
    if pending is not None:
        entries.insert(0, pending)
    latest = version((root / path).read_bytes(), path) if (root / path).is_file() else None
    kind = type_of(latest.model) if latest else kind_of(path) or "record"
    return RecordLog(id=record_id, type=kind, path=path, entries=entries)


def _find_path(root: Path, repo: Repo, record_id: str, *, postmortem: bool) -> str:
    candidates = [] if postmortem else record_files(root)
    candidates += postmortem_files(root)
    for candidate in candidates:
        if candidate.stem == record_id:
            return candidate.relative_to(root).as_posix()
    specs = [] if postmortem else [f":(glob){repo.prefix}{INCIDENTS_DIR}/**/{record_id}.y*ml"]
    specs.append(f"{repo.prefix}{POSTMORTEMS_DIR}/{record_id}.md")
    if repo.repo.head.is_valid():
        out = repo.run("log", "--format=", "--name-only", "-z", "--diff-filter=D", "--", *specs)
        for found in filter(None, (p.strip("\n") for p in out.split("\0"))):
            inside = repo.inside(found)
            if inside is not None and kind_of(inside) is not None:
                return inside
    what = "postmortem" if postmortem else "record"
    raise UsageError(
        f"no {what} with id {record_id!r} here or in this repository's history; "
        "the id is the file name without .yaml or .md"
    )


def _log_entry(repo: Repo, chunk: str) -> LogEntry | None:
    header, _, raw = chunk.partition("\0")
    fields = header.split("\x1f")
    entry = next(repo.raw_entries(raw.lstrip("\n").split("\0")), None)
    if len(fields) != 5 or entry is None:
        return None
    sha, author, email, date, subject = fields
    found = []
    if entry.status == "R" and entry.old_path is not None:
        found.append(Change("renamed", f"renamed from {entry.old_path}"))
    old = version(repo.blob(entry.old_blob), entry.old_path) if entry.old_blob else None
    new: Version | list[Finding] | None = None
    if entry.new_blob is not None and entry.new_path is not None:
        new = load(repo.blob(entry.new_blob), entry.new_path)
    if isinstance(new, list):
        found.append(Change("invalid", f"the file did not load here: {new[0].message}"))
    elif entry.old_blob is not None and old is None and new is not None:
        found.append(Change("valid-again", "the file loads again"))
    else:
        found.extend(describe(old.model if old else None, new.model if new else None))
    path = entry.new_path or entry.old_path or ""
    return LogEntry(sha, author, email, date, subject, path, found)


def _uncommitted(root: Path, repo: Repo, path: str) -> LogEntry | None:
    """The work tree's changes to the record since HEAD, as an entry without a commit."""
    on_disk = (root / path).read_bytes() if (root / path).is_file() else None
    committed = repo.committed(path)
    if on_disk == committed:
        return None
    old = version(committed, path) if committed is not None else None
    new = version(on_disk, path) if on_disk is not None else None
    if on_disk is not None and new is None:
        found = [Change("invalid", "the file in the work tree does not load; run validate")]
    else:
        found = describe(old.model if old else None, new.model if new else None)
    return LogEntry(None, "", "", "", "uncommitted changes in the work tree", path, found)
