"""The records' Git history: the append-only guard, one record's log, and what a change does.

This is the only module that touches Git (through GitPython). Three things are built on it:

* `guard(ledger, base)`: the history rule of `validate --base REF`. A public timeline is a promise
  to customers; once an update, incident or postmortem is merged it may grow but not silently
  shrink or change. Only files that differ between the base and the working tree are read, so the
  cost follows the size of the change, not of the repository.
* `record_log(root, id)`: `statusledger log`, the story of one record across commits.
* `changes(root, base)`: what a branch changes on the public page, for pull-request summaries.

"Merged" means present in the merge base of REF and HEAD (what `git diff REF...HEAD` compares
with), not REF's own tree: on a pull request the target branch may have moved on, and what it
gained since the branch point is not something the branch deleted.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from difflib import SequenceMatcher
from pathlib import Path, PurePosixPath
from typing import Any

from statusledger.errors import Finding, StatusledgerError, UsageError
from statusledger.facts import IncidentFacts, MaintenanceFacts, RecordFacts
from statusledger.loading import (
    INCIDENTS_DIR,
    POSTMORTEMS_DIR,
    SERVICES_FILE,
    Ledger,
    Loaded,
    LoadedPostmortem,
    load_postmortem_text,
    load_record_file,
    load_record_text,
    load_services_text,
    postmortem_files,
    record_files,
)
from statusledger.pastfacts import rewrites
from statusledger.records.models import (
    Correction,
    Impact,
    Incident,
    IncidentUpdate,
    Maintenance,
    MaintenanceUpdate,
    Postmortem,
    PostmortemStatus,
    Services,
    Timeline,
    Visibility,
)
from statusledger.records.types import format_timestamp, parse_timestamp

# GitPython refuses to be imported when no git executable is found; "quiet" defers that to the
# first command, where it becomes a StatusledgerError with advice instead of a traceback.
os.environ.setdefault("GIT_PYTHON_REFRESH", "quiet")

import git

Model = Incident | Maintenance | Postmortem | Services
Record = Incident | Maintenance
Update = IncidentUpdate | MaintenanceUpdate
_ZERO = "0" * 40


# --- what a change does ----------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One thing that changed in a record, in words, with a stable `kind` for tools."""

    kind: str
    text: str

    def to_json(self) -> dict[str, str]:
        """The documented JSON shape of a change."""
        return {"kind": self.kind, "text": self.text}


def describe(old: Model | None, new: Model | None) -> list[Change]:
    """Say what changed between two versions of one file's model (None: absent)."""
    if new is None:
        return [Change("deleted", "deleted")] if old is not None else []
    if isinstance(new, Incident | Maintenance):
        prior = old if isinstance(old, Incident | Maintenance) else None
        return _describe_record(prior, new)
    if isinstance(new, Postmortem):
        return _describe_postmortem(old if isinstance(old, Postmortem) else None, new)
    return _describe_services(old if isinstance(old, Services) else None, new)


def _clip(text: str, width: int = 100) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _ts(moment: datetime | None) -> str:
    return format_timestamp(moment) if moment else "—"


def _describe_record(old: Record | None, new: Record) -> list[Change]:
    out: list[Change] = []
    if old is None:
        what = (
            f"{new.severity.value} incident"
            if isinstance(new, Incident)
            else f"maintenance {_ts(new.window.start)} – {_ts(new.window.end)}"
        )
        out.append(Change("created", f"created: {what} '{new.title}' ({new.visibility.value})"))
    else:
        out.extend(_field_changes(old, new, ("title", "visibility")))
        if type(old) is not type(new):
            out.append(Change("kind-changed", f"kind {old.kind} → {new.kind}"))
    if isinstance(new, Incident):
        before = old if isinstance(old, Incident) else None
        if before is not None:
            out.extend(_field_changes(before, new, ("severity", "category")))
        out.extend(_impact_changes(before.impact if before else [], new.impact))
        out.extend(_milestone_changes(before.timeline if before else Timeline(), new.timeline))
        if new.postmortem and (before is None or before.postmortem != new.postmortem):
            out.append(Change("postmortem-linked", f"postmortem linked: {new.postmortem}"))
    else:
        prior = old if isinstance(old, Maintenance) else None
        if prior is not None and prior.window != new.window:
            out.append(
                Change(
                    "window-changed",
                    f"window {_ts(prior.window.start)} – "
                    f"{_ts(prior.window.end)} → {_ts(new.window.start)} – "
                    f"{_ts(new.window.end)}",
                )
            )
        if prior is not None and prior.components != new.components:
            out.append(
                Change(
                    "components-changed",
                    f"components {', '.join(prior.components)} → {', '.join(new.components)}",
                )
            )
    out.extend(_update_changes(old.updates if old else [], new.updates))
    if old is not None and old.status.value != new.status.value:
        out.append(Change("status-changed", f"status {old.status.value} → {new.status.value}"))
    out.extend(_correction_changes(old.corrections if old else [], new.corrections))
    return out


def _field_changes(old: Any, new: Any, names: Sequence[str]) -> list[Change]:
    out = []
    for name in names:
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            show = [getattr(v, "value", v) for v in (before, after)]
            out.append(Change(f"{name}-changed", f"{name} '{show[0]}' → '{show[1]}'"))
    return out


def _impact_changes(old: Sequence[Impact], new: Sequence[Impact]) -> list[Change]:
    """Impacts are matched by (component, from): closing one is a change of `to` only."""
    before = {(i.component, i.from_): i for i in old}
    out: list[Change] = []
    for impact in new:
        prior = before.pop((impact.component, impact.from_), None)
        where = f"{impact.component} {impact.level.value}"
        if prior is None:
            until = f" to {_ts(impact.to)}" if impact.to else ""
            out.append(
                Change("impact-opened", f"impact opened: {where} from {_ts(impact.from_)}{until}")
            )
            continue
        if prior.level != impact.level:
            out.append(
                Change(
                    "impact-changed",
                    f"impact on {impact.component}: {prior.level.value} → {impact.level.value}",
                )
            )
        if prior.to is None and impact.to is not None:
            out.append(Change("impact-closed", f"impact closed: {where} at {_ts(impact.to)}"))
        elif prior.to is not None and impact.to is None:
            out.append(Change("impact-reopened", f"impact reopened: {where}"))
        elif prior.to != impact.to:
            out.append(
                Change(
                    "impact-changed",
                    f"impact on {impact.component} ends {_ts(prior.to)} → {_ts(impact.to)}",
                )
            )
    for impact in before.values():
        out.append(
            Change(
                "impact-removed",
                f"impact removed: {impact.component} {impact.level.value} from {_ts(impact.from_)}",
            )
        )
    return out


def _milestone_changes(old: Timeline, new: Timeline) -> list[Change]:
    out = []
    for name in type(new).model_fields:
        before, after = getattr(old, name), getattr(new, name)
        if before == after:
            continue
        if before is None:
            out.append(Change("milestone-set", f"milestone set: {name} {_ts(after)}"))
        elif after is None:
            out.append(Change("milestone-cleared", f"milestone cleared: {name}"))
        else:
            out.append(
                Change("milestone-changed", f"milestone {name} {_ts(before)} → {_ts(after)}")
            )
    return out


def _update_key(update: Update) -> tuple[datetime, str, str]:
    return update.at, update.status.value, update.message


def _update_text(update: Update) -> str:
    return f"{_ts(update.at)} {update.status.value}: {_clip(update.message)}"


def _update_changes(old: Sequence[Update], new: Sequence[Update]) -> list[Change]:
    out = []
    for tag, i, j in _align(old, new):
        if tag == "added":
            out.append(Change("update-added", f"update added: {_update_text(new[j])}"))
        elif tag == "inserted":
            out.append(Change("update-inserted", f"update inserted: {_update_text(new[j])}"))
        elif tag == "changed":
            out.append(Change("update-changed", f"updates[{i}] rewritten: {_update_text(new[j])}"))
        else:
            out.append(Change("update-deleted", f"updates[{i}] deleted: {_update_text(old[i])}"))
    return out


def _align(old: Sequence[Update], new: Sequence[Update]) -> Iterator[tuple[str, int, int]]:
    """Pair the updates of two versions: (tag, old index, new index) for every difference.

    Tags: added (after every merged update), inserted (before one), changed, deleted. Alignment
    is by content, so deleting one update is not mistaken for rewriting every later one.
    """
    a, b = [_update_key(u) for u in old], [_update_key(u) for u in new]
    for tag, i1, i2, j1, j2 in SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        paired = min(i2 - i1, j2 - j1)
        for k in range(paired):
            yield "changed", i1 + k, j1 + k
        for i in range(i1 + paired, i2):
            yield "deleted", i, -1
        extra = "added" if i2 == len(a) else "inserted"
        for j in range(j1 + paired, j2):
            yield extra, -1, j


def _correction_changes(old: Sequence[Correction], new: Sequence[Correction]) -> list[Change]:
    return [
        Change("correction-added", f"correction: {_clip(c.what)} — {_clip(c.why)}")
        for c in new
        if c not in old
    ]


def _describe_postmortem(old: Postmortem | None, new: Postmortem) -> list[Change]:
    out: list[Change] = []
    if old is None:
        out.append(Change("created", f"created: postmortem '{new.title}' ({new.status.value})"))
    else:
        out.extend(_field_changes(old, new, ("title", "summary")))
        if old.status != new.status:
            kind = "published" if new.status is PostmortemStatus.PUBLISHED else "status-changed"
            out.append(Change(kind, f"status {old.status.value} → {new.status.value}"))
    before = {item.id: item for item in (old.action_items if old else [])}
    for item in new.action_items:
        prior = before.pop(item.id, None)
        if prior is None:
            out.append(
                Change(
                    "action-item-added",
                    f"action item {item.id} added: {_clip(item.title)} ({item.status.value})",
                )
            )
        elif prior.status != item.status:
            out.append(
                Change(
                    "action-item-changed",
                    f"action item {item.id} {prior.status.value} → {item.status.value}",
                )
            )
    for item in before.values():
        out.append(Change("action-item-removed", f"action item {item.id} removed"))
    out.extend(_correction_changes(old.corrections if old else [], new.corrections))
    return out


def _describe_services(old: Services | None, new: Services) -> list[Change]:
    if old is None:
        return [
            Change(
                "created", f"created: page '{new.page.name}' with {len(new.components)} components"
            )
        ]
    out = _field_changes(old.page, new.page, ("name", "url", "timezone", "language"))
    before = {c.id: c for c in old.components}
    for component in new.components:
        prior = before.pop(component.id, None)
        if prior is None:
            out.append(
                Change("component-added", f"component added: {component.id} '{component.name}'")
            )
        elif prior.name != component.name:
            out.append(
                Change(
                    "component-renamed",
                    f"component {component.id} '{prior.name}' → '{component.name}'",
                )
            )
    for component in before.values():
        out.append(Change("component-removed", f"component removed: {component.id}"))
    for sla_id, sla in new.slas.items():
        prior_sla = old.slas.get(sla_id)
        if prior_sla is not None and prior_sla.target != sla.target:
            out.append(
                Change("sla-changed", f"SLA {sla_id} target {prior_sla.target} → {sla.target}")
            )
    return out


# --- git ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Entry:
    """One changed file between two trees, with paths relative to the ledger root."""

    status: str
    old_path: str | None
    new_path: str | None
    old_blob: str | None
    new_blob: str | None = None


@contextmanager
def _git_errors(what: str) -> Iterator[None]:
    try:
        yield
    except git.GitCommandNotFound:
        raise StatusledgerError(
            f"{what}: git is not installed or not on PATH; install git to use --base and log"
        ) from None
    except git.GitCommandError as err:
        detail = (err.stderr or "").strip().removeprefix("stderr:").strip(" '\n")
        raise StatusledgerError(f"{what}: git failed: {detail or err}") from None


class _Repo:
    """The git repository around a ledger, and the few commands the history needs."""

    def __init__(self, root: Path) -> None:
        try:
            self.repo = git.Repo(root, search_parent_directories=True)
        except (git.InvalidGitRepositoryError, git.NoSuchPathError):
            raise StatusledgerError(
                f"{root} is not inside a git repository; the history of records is read from "
                "git (run 'git init' and commit the records, or drop --base)"
            ) from None
        if self.repo.working_tree_dir is None:
            raise StatusledgerError(f"{root}: a bare git repository has no records to check")
        top = Path(self.repo.working_tree_dir).resolve()
        try:
            inner = root.resolve().relative_to(top).as_posix()
        except ValueError:
            raise StatusledgerError(f"{root} is outside the work tree of {top}") from None
        self.prefix = "" if inner == "." else inner + "/"
        # Reading history must not write anything, not even git's opportunistic index refresh.
        self.repo.git.update_environment(GIT_OPTIONAL_LOCKS="0")

    def __enter__(self) -> _Repo:
        return self

    def __exit__(self, *exc: object) -> None:
        self.repo.close()  # ends GitPython's long-running cat-file processes

    def run(self, command: str, *args: str) -> str:
        """Run one git command in the work tree and return its output."""
        with _git_errors(f"git {command}"):
            out: str = getattr(self.repo.git, command.replace("-", "_"))(*args)
            return out

    def pathspecs(self) -> list[str]:
        """Where records live, as git pathspecs from the top of the work tree."""
        return [self.prefix + p for p in (INCIDENTS_DIR, POSTMORTEMS_DIR, SERVICES_FILE)]

    def inside(self, path: str) -> str | None:
        """A git path made relative to the ledger root (None: outside it)."""
        return path[len(self.prefix) :] if path.startswith(self.prefix) else None

    def base(self, ref: str) -> str:
        """The commit whose records count as merged: the merge base of REF and HEAD."""
        if ref.startswith("-"):
            raise UsageError(f"--base {ref}: a git ref cannot start with '-'")
        with _git_errors(f"--base {ref}"):
            try:  # git itself resolves the name, so every revision syntax git knows works
                target: str = self.repo.git.rev_parse(
                    "--verify", "--quiet", "--end-of-options", ref + "^{commit}"
                )
            except git.GitCommandError:
                raise StatusledgerError(
                    f"--base {ref}: no such branch, tag or commit in this repository; fetch it "
                    f"first (git fetch origin {ref}), and in CI check out with fetch-depth: 0"
                ) from None
            if not self.repo.head.is_valid():
                return target
            bases = self.repo.merge_base(target, "HEAD")
        if not bases:
            shallow = self.run("rev-parse", "--is-shallow-repository") == "true"
            advice = "compare with a branch this one was made from"
            if shallow:
                advice = (
                    "this clone is shallow: fetch the whole history (actions/checkout with "
                    "fetch-depth: 0, or git fetch --unshallow)"
                )
            raise StatusledgerError(f"--base {ref} shares no history with HEAD; {advice}")
        return bases[0].hexsha

    def changed(self, commit: str, *, untracked: bool = False) -> list[_Entry]:
        """Record files that differ between `commit` and the working tree (staged or not)."""
        out = self.run(
            "diff",
            "--raw",
            "-z",
            "-M",
            "--no-abbrev",
            "--no-relative",
            "--no-ext-diff",
            commit,
            "--",
            *self.pathspecs(),
        )
        entries = list(self.raw_entries(out.split("\0")))
        if untracked:
            listed = self.run(
                "ls-files", "--others", "--exclude-standard", "-z", "--", *self.pathspecs()
            )
            for path in filter(None, listed.split("\0")):
                entries.append(_Entry("A", None, self.inside(path), None))
        return entries

    def raw_entries(self, tokens: list[str]) -> Iterator[_Entry]:
        """Parse `git diff/log --raw -z` output: status, paths and blob ids of each file."""
        position = 0
        while position < len(tokens):
            token = tokens[position]
            position += 1
            if not token.startswith(":"):
                continue
            _, _, old_blob, new_blob, status = token[1:].split(" ")
            first = tokens[position]
            position += 1
            second = None
            if status[0] in "RC":
                second = tokens[position]
                position += 1
            yield self._entry(status[0], first, second, (old_blob, new_blob))

    def _entry(self, status: str, first: str, second: str | None, blobs: tuple[str, str]) -> _Entry:
        old_path = None if status == "A" else self.inside(first)
        new_path = None if status == "D" else self.inside(second or first)
        old_blob, new_blob = (None if b == _ZERO else b for b in blobs)
        return _Entry(status, old_path, new_path, old_blob, new_blob)

    def blob(self, sha: str) -> bytes:
        """The content of one blob."""
        with _git_errors(f"reading blob {sha[:12]}"):
            data: bytes = self.repo.odb.stream(bytes.fromhex(sha)).read()
            return data

    def committed(self, path: str) -> bytes | None:
        """The content of a ledger-relative path at HEAD (None: not there)."""
        if not self.repo.head.is_valid():
            return None
        try:
            blob = self.repo.head.commit.tree / (self.prefix + path)
        except KeyError:
            return None
        data: bytes = blob.data_stream.read()
        return data


# --- loading versions of files -------------------------------------------------------------


Version = Loaded[Incident] | Loaded[Maintenance] | LoadedPostmortem | Loaded[Services]


def _kind_of(path: str | None) -> str | None:
    """Which kind of record file a ledger-relative path is, as the loader decides it."""
    if path is None:
        return None
    parts = PurePosixPath(path).parts
    if path == SERVICES_FILE:
        return "services"
    if len(parts) >= 2 and parts[0] == INCIDENTS_DIR and path.endswith((".yaml", ".yml")):
        return "record"
    if len(parts) == 2 and parts[0] == POSTMORTEMS_DIR and path.endswith(".md"):
        return "postmortem"
    return None


def _load(raw: bytes, path: str) -> Version | list[Finding]:
    kind = _kind_of(path)
    if kind == "record":
        return load_record_text(raw, path)
    if kind == "postmortem":
        return load_postmortem_text(raw, path)
    return load_services_text(raw, path)


# --- the guard ---------------------------------------------------------------------------------


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
    with _git_errors("git"), _Repo(ledger.root) as repo:
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
            kind = _kind_of(entry.old_path)
            if (
                entry.old_path is None
                or entry.old_blob is None
                or kind not in ("record", "postmortem")
            ):
                continue
            old = _load(repo.blob(entry.old_blob), entry.old_path)
            if isinstance(old, list):
                continue  # it was invalid when merged: no trustworthy version to protect
            head = heads.get(entry.new_path or "")
            if head is None or _kind_of(head.path) != kind:
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
    return path is not None and _kind_of(path) == kind and (root / path).is_file()


def _deleted(old: Version, base: str, new_path: str | None) -> Finding:
    what = _type_of(old.model)
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
            f"the merged correction '{_clip(c.what, 60)}' was removed or changed",
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
    for tag, i, j in _align(old, new):
        if tag == "changed" and not (named.update(i, old[i].at, new[j].at) or named.update(j)):
            findings.append(_update_changed(old[i], i, new[j], j, head))
        elif tag == "deleted" and not named.update(i, old[i].at):
            message = (
                f"updates[{i}] ({_ts(old[i].at)} {old[i].status.value}) was merged and is "
                f"deleted here: '{_clip(old[i].message, 60)}'"
            )
            hint = "put it back; " + _hint(f"updates[{i}] deleted")
            findings.append(_finding(head.at("updates", key=True), "update-deleted", message, hint))
        elif tag == "inserted" and not named.update(j, new[j].at):
            message = (
                f"updates[{j}] ({_ts(new[j].at)}) is inserted before merged updates; the "
                "public timeline only grows at its end"
            )
            hint = "post it as a new update at the end; " + _hint(f"updates[{j}] inserted")
            findings.append(_finding(head.at("updates", j), "update-inserted", message, hint))
    return findings


def _update_changed(old: Update, i: int, new: Update, j: int, head: Version) -> Finding:
    fields = [f for f in ("at", "status", "message") if getattr(old, f) != getattr(new, f)]
    was = "; ".join(f"{f} was {_merged_value(old, f)}" for f in fields)
    message = f"updates[{i}] ({_ts(old.at)}) was merged and is rewritten here: {was}"
    hint = "restore the merged text; " + _hint(f"updates[{i}] {' and '.join(fields)}")
    return _finding(head.at("updates", j, fields[0]), "update-changed", message, hint)


def _merged_value(update: Update, name: str) -> str:
    value = getattr(update, name)
    if isinstance(value, datetime):
        return _ts(value)
    return f"'{_clip(str(getattr(value, 'value', value)), 60)}'"


# --- what a branch changes on the page -------------------------------------------------------


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


def default_base(root: Path) -> tuple[str, str]:
    """The ref `diff` compares with when given none, and why: the branch's upstream, else main.

    The upstream is what `git status` compares with: for a branch made from the target
    (`git switch -c fix origin/main`) it is the target, so the summary is the pull request's.
    """
    with _git_errors("git"), _Repo(root) as repo:
        try:
            upstream: str = repo.repo.git.rev_parse(
                "--abbrev-ref", "--symbolic-full-name", "@{upstream}"
            )
        except git.GitCommandError:  # no upstream, a detached HEAD, or no commit yet
            upstream = ""
    if upstream.strip():
        return upstream.strip(), "the upstream of the current branch"
    return "main", "the current branch has no upstream"


def changes(root: Path, base: str) -> list[FileChange]:
    """What the working tree changes since the merge base of `base` and HEAD, file by file.

    Only changed files are read, untracked ones included. Internal records and unpublished
    postmortems are marked `public=False`: they never reach the page, so a pull-request summary
    can count them apart.
    """
    with _git_errors("git"), _Repo(root) as repo:
        merged = repo.base(base)
        out = []
        for entry in repo.changed(merged, untracked=True):
            old = _version(repo.blob(entry.old_blob), entry.old_path) if entry.old_blob else None
            path = entry.new_path
            raw = (root / path).read_bytes() if path and (root / path).is_file() else None
            found = _file_change(
                entry,
                old,
                _version(raw, path) if raw is not None else None,
                broken=raw is not None and _kind_of(path) is not None,
            )
            if found is not None:
                out.append(found)
    return sorted(out, key=lambda c: c.path)


def _version(raw: bytes, path: str | None) -> Version | None:
    if path is None or _kind_of(path) is None:
        return None
    loaded = _load(raw, path)
    return None if isinstance(loaded, list) else loaded


def _file_change(
    entry: _Entry, old: Version | None, new: Version | None, *, broken: bool
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
        type=_type_of(model),
        title=model.page.name if isinstance(model, Services) else model.title,
        status=status,
        public=_public(old) or _public(new),
        changes=found,
    )


def _type_of(model: Model) -> str:
    if isinstance(model, Incident | Maintenance):
        return model.kind
    return "postmortem" if isinstance(model, Postmortem) else "services"


def _public(version: Version | None) -> bool:
    if version is None:
        return False
    model = version.model
    if isinstance(model, Postmortem):
        return model.status is PostmortemStatus.PUBLISHED
    if isinstance(model, Services):
        return True
    return model.visibility is Visibility.PUBLIC


# --- one record's log ----------------------------------------------------------------------


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
    with _git_errors("git"), _Repo(root) as repo:
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
    latest = _version((root / path).read_bytes(), path) if (root / path).is_file() else None
    kind = _type_of(latest.model) if latest else _kind_of(path) or "record"
    return RecordLog(id=record_id, type=kind, path=path, entries=entries)


def _find_path(root: Path, repo: _Repo, record_id: str, *, postmortem: bool) -> str:
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
            if inside is not None and _kind_of(inside) is not None:
                return inside
    what = "postmortem" if postmortem else "record"
    raise UsageError(
        f"no {what} with id {record_id!r} here or in this repository's history; "
        "the id is the file name without .yaml or .md"
    )


def _log_entry(repo: _Repo, chunk: str) -> LogEntry | None:
    header, _, raw = chunk.partition("\0")
    fields = header.split("\x1f")
    entry = next(repo.raw_entries(raw.lstrip("\n").split("\0")), None)
    if len(fields) != 5 or entry is None:
        return None
    sha, author, email, date, subject = fields
    found = []
    if entry.status == "R" and entry.old_path is not None:
        found.append(Change("renamed", f"renamed from {entry.old_path}"))
    old = _version(repo.blob(entry.old_blob), entry.old_path) if entry.old_blob else None
    new: Version | list[Finding] | None = None
    if entry.new_blob is not None and entry.new_path is not None:
        new = _load(repo.blob(entry.new_blob), entry.new_path)
    if isinstance(new, list):
        found.append(Change("invalid", f"the file did not load here: {new[0].message}"))
    elif entry.old_blob is not None and old is None and new is not None:
        found.append(Change("valid-again", "the file loads again"))
    else:
        found.extend(describe(old.model if old else None, new.model if new else None))
    path = entry.new_path or entry.old_path or ""
    return LogEntry(sha, author, email, date, subject, path, found)


def _uncommitted(root: Path, repo: _Repo, path: str) -> LogEntry | None:
    """The work tree's changes to the record since HEAD, as an entry without a commit."""
    on_disk = (root / path).read_bytes() if (root / path).is_file() else None
    committed = repo.committed(path)
    if on_disk == committed:
        return None
    old = _version(committed, path) if committed is not None else None
    new = _version(on_disk, path) if on_disk is not None else None
    if on_disk is not None and new is None:
        found = [Change("invalid", "the file in the work tree does not load; run validate")]
    else:
        found = describe(old.model if old else None, new.model if new else None)
    return LogEntry(None, "", "", "", "uncommitted changes in the work tree", path, found)


# --- what a change appends to public timelines (notify) ---------------------------------------


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
    git. Only updates after every merged one count ("added" in `_align`): an update inserted
    before merged ones or rewritten is a correction of history, not news. Internal records
    never appear; a record made public here counts as new, every update of it added.
    """
    with _git_errors("git"), _Repo(ledger.root) as repo:
        merged = repo.base(base)
        heads = {r.path: r for r in ledger.records}
        out = []
        for entry in repo.changed(merged, untracked=True):
            head = heads.get(entry.new_path or "")
            if head is None or head.model.visibility is not Visibility.PUBLIC:
                continue
            old: Record | None = None
            if entry.old_blob is not None and _kind_of(entry.old_path) == "record":
                loaded = _load(repo.blob(entry.old_blob), entry.old_path or "")
                prior = None if isinstance(loaded, list) else loaded.model
                if type(prior) is type(head.model) and prior.visibility is Visibility.PUBLIC:
                    old = prior
            before: Sequence[Update] = old.updates if old is not None else []
            added = tuple(j for tag, _, j in _align(before, head.model.updates) if tag == "added")
            if added:
                out.append(Appended(head.id, head.path, old, added))
    return sorted(out, key=lambda a: a.path)
