"""The history rule of `validate --base REF`: nothing merged is deleted or rewritten.

A public timeline is a promise to customers; once an update, incident or postmortem is merged
it may grow but not silently shrink or change. A change that is a real correction passes when
the branch adds a `corrections` entry naming it, which the page shows. Only files that differ
between the base and the working tree are read, so the cost follows the size of the change,
not of the repository. What a finished record's figures were computed from is compared in
pastfacts.py.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from statusledger.errors import Finding
from statusledger.facts import IncidentFacts, MaintenanceFacts, RecordFacts
from statusledger.history.describe import align, clip, ts
from statusledger.history.git import Repo, git_errors
from statusledger.history.pastfacts import rewrites
from statusledger.history.versions import Record, Update, Version, kind_of, load, type_of
from statusledger.loading import Ledger, load_record_file
from statusledger.records.models import (
    Correction,
    Incident,
    Maintenance,
    Postmortem,
    PostmortemStatus,
    Services,
    Visibility,
)
from statusledger.records.types import parse_timestamp


@dataclass(frozen=True)
class _Named:
    """What the corrections added on this branch name, so matching changes may pass."""

    indices: frozenset[int] = frozenset()
    moments: frozenset[datetime] = frozenset()
    text: str = ""

    @classmethod
    def of(cls, old: Sequence[Correction], new: Sequence[Correction]) -> _Named:
        """Read the `what` of every correction in `new` that is not in `old`."""
        whats = [c.what for c in new if c not in old]
        text = "\n".join(whats)
        indices = {int(m) for m in re.findall(r"updates(?:\[|\.)(\d+)\]?", text)}
        moments = set()
        for match in re.findall(_TIMESTAMP, text):
            try:
                moments.add(parse_timestamp(match))
            except ValueError:
                continue
        return cls(frozenset(indices), frozenset(moments), text.lower())

    def update(self, index: int, *moments: datetime) -> bool:
        """Whether `updates[index]`, or an update posted at one of `moments`, is named."""
        return index in self.indices or any(m in self.moments for m in moments)

    def word(self, *words: str) -> bool:
        """Whether any of `words` appears as a word (ids and paths count as words)."""
        return any(
            re.search(rf"(?<![\w.-]){re.escape(w.lower())}(?![\w-])", self.text) for w in words
        )


_TIMESTAMP = r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})"

_CORRECTION_HINT = (
    "or, if this is a real correction, add to the record's corrections an "
    "entry {{at: <now>, what: '{what}', why: <the reason>}}; the page shows it"
)


def guard(ledger: Ledger, base: str) -> list[Finding]:
    """Findings for every merged update, record or postmortem the working tree loses.

    Only files git reports as changed since the merge base of `base` and HEAD are read (their
    merged versions from git, their new versions from the ledger already loaded), so a check
    of a large repository costs about as much as the change. Uncommitted edits count: what is
    compared is the working tree, as every other rule sees it.
    """
    with git_errors("git"), Repo(ledger.root) as repo:
        merged = repo.base(base)
        heads: dict[str, Version | RecordFacts] = {r.path: r for r in ledger.records}
        heads.update({f.path: f for f in ledger.settled})
        heads.update({p.path: p for p in ledger.postmortems})
        by_id: dict[tuple[str, str], Version | RecordFacts] = {
            ("record", f.id): heads[f.path] for f in ledger.facts
        }
        by_id.update({("postmortem", p.id): p for p in ledger.postmortems})
        findings: list[Finding] = []
        for entry in repo.changed(merged):
            kind = kind_of(entry.old_path)
            if (
                entry.old_path is None
                or entry.old_blob is None
                or kind not in ("record", "postmortem")
            ):
                continue
            old = load(repo.blob(entry.old_blob), entry.old_path)
            if isinstance(old, list):
                continue  # it was invalid when merged: no trustworthy version to protect
            head = heads.get(entry.new_path or "")
            if head is None or kind_of(head.path) != kind:
                head = by_id.get((kind, old.id))
            whole = None if head is None else _whole(ledger, head)
            if whole is not None:
                findings.extend(_guard_versions(old, whole))
            elif not _unloadable(ledger.root, entry.new_path, kind):
                findings.append(_deleted(old, base, entry.new_path))
        return findings


def _whole(ledger: Ledger, head: Version | RecordFacts) -> Version | None:
    """The complete version of a record `validate` took as settled (validation/settled.py)."""
    if isinstance(head, (IncidentFacts, MaintenanceFacts)):
        loaded = load_record_file(ledger.root / head.path, ledger.root)
        return None if isinstance(loaded, list) else loaded
    return head


def _unloadable(root: Path, path: str | None, kind: str) -> bool:
    """A record file is there but did not load: the loader's findings already say why."""
    return path is not None and kind_of(path) == kind and (root / path).is_file()


def _deleted(old: Version, base: str, new_path: str | None) -> Finding:
    what = type_of(old.model)
    moved = f" (renamed to {new_path}, which is not a {what} file)" if new_path is not None else ""
    withdraw = (
        "set status: draft with a correction naming 'status'"
        if isinstance(old.model, Postmortem)
        else "set visibility: internal with a correction naming 'visibility'"
    )
    return Finding(
        old.path,
        1,
        1,
        "history/deleted",
        f"{what} {old.id} was merged and is deleted here{moved}",
        f"restore it: git checkout {base} -- {old.path}; to withdraw a record published by "
        f"mistake, keep the file and {withdraw}",
    )


def _guard_versions(old: Version, head: Version) -> list[Finding]:
    """Compare a merged version with the working tree's, honouring new corrections."""
    old_model, new_model = old.model, head.model
    if isinstance(old_model, Services) or isinstance(new_model, Services):
        return []
    named = _Named.of(old_model.corrections, new_model.corrections)
    findings = _rename_findings(old, head, named)
    findings.extend(_lost_corrections(old_model.corrections, new_model.corrections, head))
    if isinstance(old_model, Postmortem) and isinstance(new_model, Postmortem):
        findings.extend(_unpublished(old_model, new_model, head, named))
    elif isinstance(old_model, Incident | Maintenance) and isinstance(
        new_model, Incident | Maintenance
    ):
        findings.extend(_hidden(old_model, new_model, head, named))
        findings.extend(_past_facts(old_model, new_model, head, named))
        findings.extend(_update_findings(old_model.updates, new_model.updates, head, named))
    return findings


def _finding(where: tuple[str, int, int], rule: str, message: str, hint: str) -> Finding:
    return Finding(*where, rule=f"history/{rule}", message=message, hint=hint)


def _rename_findings(old: Version, head: Version, named: _Named) -> list[Finding]:
    if old.path == head.path or named.word(old.id, old.path):
        return []
    start = (head.path, 1, 1)
    if old.id != head.id:
        message = (
            f"the id changed from {old.id} to {head.id} after it was merged; ids are in page "
            "URLs, feeds and the API, so links to it would break"
        )
        hint = f"rename it back: git mv {head.path} {old.path}; "
        return [_finding(start, "id-changed", message, hint + _hint(f"id, was {old.id}"))]
    message = f"{head.path} was merged as {old.path}; merged records keep their path"
    hint = f"move it back: git mv {head.path} {old.path}; "
    return [_finding(start, "renamed", message, hint + _hint(f"moved from {old.path}"))]


def _hint(what: str) -> str:
    return _CORRECTION_HINT.format(what=what)


def _lost_corrections(
    old: Sequence[Correction], new: Sequence[Correction], head: Version
) -> list[Finding]:
    where = head.at("corrections", key=True)
    return [
        _finding(
            where,
            "correction-changed",
            f"the merged correction '{clip(c.what, 60)}' was removed or changed",
            "corrections are history too: restore it as merged and add a new one",
        )
        for c in old
        if c not in new
    ]


def _unpublished(old: Postmortem, new: Postmortem, head: Version, named: _Named) -> list[Finding]:
    published = PostmortemStatus.PUBLISHED
    if old.status is not published or new.status is published or named.word("status"):
        return []
    message = (
        f"the postmortem was published and is {new.status.value} here; it would vanish from the "
        "page"
    )
    hint = "set status: published again; " + _hint("status")
    return [_finding(head.at("status"), "unpublished", message, hint)]


def _hidden(old: Record, new: Record, head: Version, named: _Named) -> list[Finding]:
    public = Visibility.PUBLIC
    if old.visibility is not public or new.visibility is public or named.word("visibility"):
        return []
    message = (
        f"the merged {new.kind} was public and is internal here; it would vanish from the page"
    )
    hint = "set visibility: public again; " + _hint("visibility")
    return [_finding(head.at("visibility"), "hidden", message, hint)]


def _past_facts(old: Record, new: Record, head: Version, named: _Named) -> list[Finding]:
    """What a finished record said happened, changed with no new correction naming it."""
    return [
        _finding(head.at(*r.where), r.rule, r.message, f"{r.restore}; " + _hint(r.what))
        for r in rewrites(old, new)
        if not named.word(*r.names)
    ]


def _update_findings(
    old: Sequence[Update], new: Sequence[Update], head: Version, named: _Named
) -> list[Finding]:
    findings = []
    for tag, i, j in align(old, new):
        if tag == "changed" and not (named.update(i, old[i].at, new[j].at) or named.update(j)):
            findings.append(_update_changed(old[i], i, new[j], j, head))
        elif tag == "deleted" and not named.update(i, old[i].at):
            message = (
                f"updates[{i}] ({ts(old[i].at)} {old[i].status.value}) was merged and is "
                f"deleted here: '{clip(old[i].message, 60)}'"
            )
            hint = "put it back; " + _hint(f"updates[{i}] deleted")
            findings.append(_finding(head.at("updates", key=True), "update-deleted", message, hint))
        elif tag == "inserted" and not named.update(j, new[j].at):
            message = (
                f"updates[{j}] ({ts(new[j].at)}) is inserted before merged updates; the "
                "public timeline only grows at its end"
            )
            hint = "post it as a new update at the end; " + _hint(f"updates[{j}] inserted")
            findings.append(_finding(head.at("updates", j), "update-inserted", message, hint))
    return findings


def _update_changed(old: Update, i: int, new: Update, j: int, head: Version) -> Finding:
    fields = [f for f in ("at", "status", "message") if getattr(old, f) != getattr(new, f)]
    was = "; ".join(f"{f} was {_merged_value(old, f)}" for f in fields)
    message = f"updates[{i}] ({ts(old.at)}) was merged and is rewritten here: {was}"
    hint = "restore the merged text; " + _hint(f"updates[{i}] {' and '.join(fields)}")
    return _finding(head.at("updates", j, fields[0]), "update-changed", message, hint)


def _merged_value(update: Update, name: str) -> str:
    value = getattr(update, name)
    if isinstance(value, datetime):
        return ts(value)
    return f"'{clip(str(getattr(value, 'value', value)), 60)}'"
