"""The only code that reads record files: services.yaml, incidents and postmortems -> models.

Loading never stops at the first problem: every file is read, and each one that cannot become a
model yields findings with file, line and column instead. What loads is handed on with the
positions of its values, so later rules can point at the exact line too.
"""

from __future__ import annotations

import contextlib
import contextvars
import gc
import heapq
import os
import posixpath
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from statusledger.errors import Finding, Severity, StatusledgerError, relpath
from statusledger.facts import RecordFacts, facts_of
from statusledger.listing import INCIDENTS_DIR as INCIDENTS_DIR
from statusledger.listing import POSTMORTEMS_DIR as POSTMORTEMS_DIR
from statusledger.listing import SERVICES_FILE as SERVICES_FILE
from statusledger.listing import Scan, listed_postmortems, record_file_names
from statusledger.listing import postmortem_files as postmortem_files
from statusledger.listing import record_files as record_files
from statusledger.modelerrors import schema_finding
from statusledger.parsecache import ParseCache
from statusledger.records.models import Incident, Maintenance, Postmortem, Services
from statusledger.yamlfile import (
    Positions,
    YamlProblem,
    decode,
    parse,
    refuse_control_characters,
    split_front_matter,
)

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Loaded(typing.Generic[M]):
    """A record with where it came from: its id (file stem), path and value positions."""

    id: str
    path: str
    model: M
    positions: Positions

    def at(self, *loc: str | int, key: bool = False) -> tuple[str, int, int]:
        """Return (path, line, col) of a value, for findings about it."""
        line, col = self.positions.of(loc, key=key)
        return self.path, line, col


@dataclass(frozen=True)
class LoadedPostmortem(Loaded[Postmortem]):
    """A postmortem with its Markdown body and the line the body starts on."""

    body: str = ""
    body_line: int = 1


LoadedRecord = Loaded[Incident] | Loaded[Maintenance]


@dataclass
class Ledger:
    """Everything read from one repository: the models that loaded and the findings of the rest."""

    root: Path
    services: Loaded[Services] | None
    records: list[LoadedRecord] = field(default_factory=list)
    postmortems: list[LoadedPostmortem] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    # Files not read, which `validate` warns about (a `.YAML` suffix, a linked year folder):
    # kept apart, so commands that stop on a file that failed to load do not stop on these.
    warnings: list[Finding] = field(default_factory=list)
    files: int = 0
    cache: ParseCache | None = field(default=None, repr=False, compare=False)
    # Records `validate` took from its settled cache (validation/settled.py): only their facts
    # are known, they are not in `records`, and per-record rules (which passed them) skip them.
    settled: list[RecordFacts] = field(default_factory=list)
    _facts: (
        tuple[list[LoadedRecord], list[RecordFacts], tuple[int, int], list[RecordFacts]] | None
    ) = field(default=None, init=False, repr=False, compare=False)

    @property
    def facts(self) -> list[RecordFacts]:
        """What the cross-record rules read of every record, loaded whole or settled.

        In file order: the loader reads files sorted by path.
        """
        # Several rules ask in one run: computed once per state of the two lists.
        memo = self._facts
        sizes = (len(self.records), len(self.settled))
        if memo and memo[0] is self.records and memo[1] is self.settled and memo[2] == sizes:
            return memo[3]
        fresh = [facts_of(r.id, r.path, r.model, r.positions) for r in self.records]
        merged = fresh
        if self.settled:
            merged = list(heapq.merge(fresh, self.settled, key=lambda f: f.path))
        self._facts = (self.records, self.settled, sizes, merged)
        return merged

    def whole(self, record_id: str) -> LoadedRecord | None:
        """The record with this id, read whole from its file when it was taken as settled."""
        found = self.record(record_id)
        if found is not None:
            return found
        for facts in self.settled:
            if facts.id == record_id:
                loaded = load_record_file(self.root / facts.path, self.root)
                return None if isinstance(loaded, list) else loaded
        return None

    @property
    def incidents(self) -> list[Loaded[Incident]]:
        """The incident records (not maintenance)."""
        return [r for r in self.records if isinstance(r.model, Incident)]

    @property
    def maintenances(self) -> list[Loaded[Maintenance]]:
        """The maintenance records."""
        return [r for r in self.records if isinstance(r.model, Maintenance)]

    def save_cache(self) -> None:
        """Write the parse cache if this ledger's use of it changed it (loading already did)."""
        if self.cache is not None:
            self.cache.save()

    def record(self, record_id: str) -> LoadedRecord | None:
        """Return the record with this id, if it loaded."""
        for record in self.records:
            if record.id == record_id:
                return record
        return None

    def postmortem(self, postmortem_id: str) -> LoadedPostmortem | None:
        """Return the postmortem with this id, if it loaded."""
        for postmortem in self.postmortems:
            if postmortem.id == postmortem_id:
                return postmortem
        return None


def find_root(start: Path) -> Path:
    """Return the nearest folder at or above `start` that holds services.yaml."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / SERVICES_FILE).is_file():
            return folder
    raise StatusledgerError(
        f"no {SERVICES_FILE} found in {start} or any folder above it; "
        "run the command inside a statusledger repository or pass --root DIR"
    )


# Set by `owning_process` only: whether what loads is frozen out of the collector's scans.
_FREEZE: contextvars.ContextVar[bool] = contextvars.ContextVar("freeze", default=False)


@contextlib.contextmanager
def owning_process() -> Iterator[None]:
    """For the CLI, which owns its process: records that load are kept out of later scans.

    Loading makes dozens of long-lived objects per record and no reference cycles; every full
    collection after it (in the rules, in the site build) would rescan them and free nothing.
    `gc.freeze` exempts them from those scans (reference counting still frees them), which saves
    a tenth of a cold `validate` and of a cold build at ten thousand records. It changes the
    whole process, so only the process's owner asks for it; a library caller of `load_ledger`
    gets its process back as it was.
    """
    token = _FREEZE.set(True)
    try:
        yield
    finally:
        _FREEZE.reset(token)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Keep the cyclic garbage collector off while the records load, then as the caller had it.

    Nothing else about the caller's process changes unless it is the CLI (`owning_process`).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if _FREEZE.get():
            gc.freeze()
        if enabled:
            gc.enable()


# Asked for each record file's bytes before it is parsed: facts it returns stand for the record.
Known = typing.Callable[[str, bytes], RecordFacts | None]


def load_ledger(
    root: Path, *, cache: ParseCache | None = None, known: Known | None = None
) -> Ledger:
    """Read every record of the repository at `root`; problems become findings, not exceptions.

    Files whose exact text was parsed before come from the parse cache (see parsecache.py);
    pass `cache=ParseCache(None)` to parse everything afresh. `known` lets `validate` hand
    back records that validated clean in an earlier run without parsing them again
    (validation/settled.py).
    """
    cache = ParseCache.for_root(root) if cache is None else cache
    with _collector_paused():
        return _load(root, cache, known)


def _load(root: Path, cache: ParseCache, known: Known | None = None) -> Ledger:
    findings: list[Finding] = []
    services_path = root / SERVICES_FILE
    services = None
    scan = Scan(root)
    if not scan.admits(str(services_path), SERVICES_FILE):
        findings.extend(scan.findings)
    elif services_path.is_file():
        services = _collect(load_services_file(services_path, root, cache), findings)
    else:
        findings.append(
            Finding(
                SERVICES_FILE,
                1,
                1,
                "file/missing",
                f"{SERVICES_FILE} is missing",
                "create it with page, components and slas (see tooling/docs/records.md)",
            )
        )
    ledger = Ledger(root=root, services=services, findings=findings, cache=cache)
    prefix = os.path.join(root, "")
    names, refused = record_file_names(root)
    _sort_refused(refused, ledger)
    for name in names:
        ledger.files += 1
        rel = name[len(prefix) :].replace(os.sep, "/")
        raw = _read(name, rel)
        if known is not None and isinstance(raw, bytes):
            settled = known(rel, raw)
            if settled is not None:
                ledger.settled.append(settled)
                continue
        loaded = _record(_parse(raw, rel, cache), rel)
        if isinstance(loaded, list):
            findings.extend(loaded)
        else:
            ledger.records.append(loaded)
    postmortems, refused = listed_postmortems(root)
    _sort_refused(refused, ledger)
    for path in postmortems:
        ledger.files += 1
        rel = _rel(path, root)
        pm = _collect(_postmortem(_parse_postmortem(_read(path, rel), rel, cache), rel), findings)
        if pm is not None:
            ledger.postmortems.append(pm)
    cache.save()
    return ledger


def _sort_refused(refused: list[Finding], ledger: Ledger) -> None:
    for finding in refused:
        (ledger.findings if finding.severity is Severity.ERROR else ledger.warnings).append(finding)


T = TypeVar("T")


def _collect(result: T | list[Finding], findings: list[Finding]) -> T | None:
    if isinstance(result, list):
        findings.extend(result)
        return None
    return result


def _rel(path: Path, root: Path) -> str:
    """Relative path without touching the disk when path was found under root."""
    text, prefix = str(path), str(root) + os.sep
    if text.startswith(prefix) and os.sep == "/":
        return text[len(prefix) :]
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return relpath(path, root)


def load_services_file(
    path: Path, root: Path, cache: ParseCache | None = None
) -> Loaded[Services] | list[Finding]:
    """Read services.yaml."""
    rel = _rel(path, root)
    return load_services_text(_read(path, rel), rel, cache)


def load_record_file(
    path: Path, root: Path, cache: ParseCache | None = None
) -> LoadedRecord | list[Finding]:
    """Read one incident or maintenance file."""
    rel = _rel(path, root)
    return load_record_text(_read(path, rel), rel, cache)


def _read(path: Path | str, rel: str) -> bytes | Finding:
    try:
        # os.open/os.read: a buffered file object per record costs more than the read.
        fd = os.open(path, os.O_RDONLY)
        try:
            chunks = []
            while chunk := os.read(fd, 1 << 20):
                chunks.append(chunk)
        finally:
            os.close(fd)
        return b"".join(chunks)
    except OSError as err:
        return Finding(
            rel,
            1,
            1,
            "file/unreadable",
            f"cannot read the file: {err.strerror}",
            "check the file's permissions",
        )


def load_services_text(
    raw: bytes | str | Finding, rel: str, cache: ParseCache | None = None
) -> Loaded[Services] | list[Finding]:
    """Parse and validate the text of services.yaml."""
    parsed = _parse(raw, rel, cache)
    if isinstance(parsed, list):
        return parsed
    data, positions, problems = parsed
    result = _validate(Services, data, positions, rel)
    if problems or isinstance(result, list):
        return problems + (result if isinstance(result, list) else [])
    if isinstance(result, list):
        return result
    return Loaded(id="services", path=rel, model=result, positions=positions)


def load_record_text(
    raw: bytes | str | Finding, rel: str, cache: ParseCache | None = None
) -> LoadedRecord | list[Finding]:
    """Parse and validate the text of one incident or maintenance record."""
    return _record(_parse(raw, rel, cache), rel)


def _record(parsed: Parsed | list[Finding], rel: str) -> LoadedRecord | list[Finding]:
    """The model of an incident or maintenance record from its parsed text."""
    if isinstance(parsed, list):
        return parsed
    data, positions, problems = parsed
    kind = data.get("kind")
    model_cls: type[Incident] | type[Maintenance]
    if kind == "incident":
        model_cls = Incident
    elif kind == "maintenance":
        model_cls = Maintenance
    else:
        line, col = positions.of(("kind",))
        what = "is missing" if kind is None else f"is {kind!r}"
        return [
            *problems,
            Finding(
                rel,
                line,
                col,
                "schema/kind",
                f"kind {what}",
                "write 'kind: incident' or 'kind: maintenance'",
            ),
        ]
    result = _validate(model_cls, data, positions, rel)
    if problems or isinstance(result, list):
        return problems + (result if isinstance(result, list) else [])
    record_id = posixpath.splitext(posixpath.basename(rel))[0]
    # Plain Loaded(...): subscripting the generic on every record costs a typing call each.
    loaded: LoadedRecord = Loaded(id=record_id, path=rel, model=result, positions=positions)  # type: ignore[assignment]
    return loaded


def load_postmortem_text(
    raw: bytes | str | Finding, rel: str, cache: ParseCache | None = None
) -> LoadedPostmortem | list[Finding]:
    """Parse and validate a postmortem: front matter against the model, body kept as text."""
    return _postmortem(_parse_postmortem(raw, rel, cache), rel)


def _parse_postmortem(
    raw: bytes | str | Finding, rel: str, cache: ParseCache | None
) -> ParsedPostmortem | list[Finding]:
    if isinstance(raw, Finding):
        return [raw]
    try:
        text = decode(raw) if isinstance(raw, bytes) else raw
        front, body, body_line = split_front_matter(text)
        data, positions = (cache.parse if cache else parse)(front, line_offset=1)
        refuse_control_characters(body, body_line - 1)
    except YamlProblem as problem:
        return [
            Finding(rel, problem.line, problem.col, problem.rule, problem.message, problem.hint)
        ]
    if not isinstance(data, dict):
        return [_top_level(rel, positions)]
    return data, positions, _problems(positions, rel), body, body_line


def _postmortem(
    parsed: ParsedPostmortem | list[Finding], rel: str
) -> LoadedPostmortem | list[Finding]:
    """The model of a postmortem from its parsed front matter."""
    if isinstance(parsed, list):
        return parsed
    data, positions, problems, body, body_line = parsed
    result = _validate(Postmortem, data, positions, rel)
    if problems or isinstance(result, list):
        return problems + (result if isinstance(result, list) else [])
    return LoadedPostmortem(
        id=Path(rel).stem,
        path=rel,
        model=result,
        positions=positions,
        body=body,
        body_line=body_line,
    )


Parsed = tuple[dict[str, Any], Positions, list[Finding]]
ParsedPostmortem = tuple[dict[str, Any], Positions, list[Finding], str, int]


def _problems(positions: Positions, rel: str) -> list[Finding]:
    return [Finding(rel, p.line, p.col, p.rule, p.message, p.hint) for p in positions.problems]


def _parse(
    raw: bytes | str | Finding, rel: str, cache: ParseCache | None
) -> Parsed | list[Finding]:
    if isinstance(raw, Finding):
        return [raw]
    try:
        text = decode(raw) if isinstance(raw, bytes) else raw
        data, positions = cache.parse(text) if cache else parse(text)
    except YamlProblem as problem:
        return [
            Finding(rel, problem.line, problem.col, problem.rule, problem.message, problem.hint)
        ]
    if not isinstance(data, dict):
        return [_top_level(rel, positions)]
    return data, positions, _problems(positions, rel)


def _top_level(rel: str, positions: Positions) -> Finding:
    line, col = positions.of(())
    return Finding(
        rel,
        line,
        col,
        "file/top-level",
        "the file must hold a mapping of keys",
        "start with 'title:' and the other keys of the record (see tooling/docs/records.md)",
    )


def _validate(
    model_cls: type[M], data: dict[str, Any], positions: Positions, rel: str
) -> M | list[Finding]:
    try:
        return model_cls.model_validate(data)
    except ValidationError as err:
        return [schema_finding(model_cls, error, positions, rel) for error in err.errors()]
