"""What a branch changes on the public page: `diff`'s summary, and notify's new updates.

Both read only the record files git reports as changed since the merge base of the base ref
and HEAD. `changes` describes every changed file and marks what the page never shows, so a
pull-request summary can count it apart; `appended` keeps only the updates a change adds at
the end of public timelines, which is what subscribers are told about.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from statusledger.history.describe import Change, align, describe
from statusledger.history.git import Entry, Repo, git_errors
from statusledger.history.versions import Record, Update, Version, kind_of, load, type_of, version
from statusledger.loading import Ledger
from statusledger.records.models import Postmortem, PostmortemStatus, Services, Visibility


@dataclass(frozen=True)
class FileChange:
    """What one file's change does: the record, whether the public page shows it, and how."""

    id: str
    path: str
    type: str
    title: str
    status: str
    public: bool
    changes: list[Change] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        """The documented JSON shape of a file's change."""
        return {
            "id": self.id,
            "path": self.path,
            "type": self.type,
            "title": self.title,
            "status": self.status,
            "public": self.public,
            "changes": [c.to_json() for c in self.changes],
        }


def changes(root: Path, base: str) -> list[FileChange]:
    """What the working tree changes since the merge base of `base` and HEAD, file by file.

    Only changed files are read, untracked ones included. Internal records and unpublished
    postmortems are marked `public=False`: they never reach the page, so a pull-request summary
    can count them apart.
    """
    with git_errors("git"), Repo(root) as repo:
        merged = repo.base(base)
        out = []
        for entry in repo.changed(merged, untracked=True):
            old = version(repo.blob(entry.old_blob), entry.old_path) if entry.old_blob else None
            path = entry.new_path
            raw = (root / path).read_bytes() if path and (root / path).is_file() else None
            found = _file_change(
                entry,
                old,
                version(raw, path) if raw is not None else None,
                broken=raw is not None and kind_of(path) is not None,
            )
            if found is not None:
                out.append(found)
    return sorted(out, key=lambda c: c.path)


def _file_change(
    entry: Entry, old: Version | None, new: Version | None, *, broken: bool
) -> FileChange | None:
    """Describe one changed file; `broken` says a new version exists even if it did not load."""
    current = new or old
    if current is None:
        return None
    model = current.model
    if broken and new is None:
        found = [Change("invalid", "the file does not load; run statusledger validate")]
        status = "modified"
    else:
        found = describe(old.model if old else None, new.model if new else None)
        status = "deleted" if new is None else "added" if old is None else "modified"
    if old is not None and new is not None and old.path != new.path:
        found.insert(0, Change("renamed", f"renamed from {old.path}"))
        status = "renamed"
    return FileChange(
        id=current.id,
        path=current.path,
        type=type_of(model),
        title=model.page.name if isinstance(model, Services) else model.title,
        status=status,
        public=_public(old) or _public(new),
        changes=found,
    )


def _public(version: Version | None) -> bool:
    if version is None:
        return False
    model = version.model
    if isinstance(model, Postmortem):
        return model.status is PostmortemStatus.PUBLISHED
    if isinstance(model, Services):
        return True
    return model.visibility is Visibility.PUBLIC


@dataclass(frozen=True)
class Appended:
    """The updates a change adds at the end of one public record's timeline.

    `old` is the version the public already saw (None when the record is new to the public:
    a new file, or one that was internal), so a caller can tell what the page showed before.
    `added` are positions in the work tree's `updates`.
    """

    id: str
    path: str
    old: Record | None
    added: tuple[int, ...]


def appended(ledger: Ledger, base: str) -> list[Appended]:
    """Public updates added since the merge base of `base` and HEAD, record by record.

    The work tree's versions come from `ledger` (what a build publishes), the merged ones from
    git. Only updates after every merged one count ("added" in `align`): an update inserted
    before merged ones or rewritten is a correction of history, not news. Internal records
    never appear; a record made public here counts as new, every update of it added.
    """
    with git_errors("git"), Repo(ledger.root) as repo:
        merged = repo.base(base)
        heads = {r.path: r for r in ledger.records}
        out = []
        for entry in repo.changed(merged, untracked=True):
            head = heads.get(entry.new_path or "")
            if head is None or head.model.visibility is not Visibility.PUBLIC:
                continue
            old: Record | None = None
            if entry.old_blob is not None and kind_of(entry.old_path) == "record":
                loaded = load(repo.blob(entry.old_blob), entry.old_path or "")
                prior = None if isinstance(loaded, list) else loaded.model
                if type(prior) is type(head.model) and prior.visibility is Visibility.PUBLIC:
                    old = prior
            before: Sequence[Update] = old.updates if old is not None else []
            added = tuple(j for tag, _, j in align(before, head.model.updates) if tag == "added")
            if added:
                out.append(Appended(head.id, head.path, old, added))
    return sorted(out, key=lambda a: a.path)
