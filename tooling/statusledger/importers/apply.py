"""From drafts to files: match what exists, choose ids, merge re-imports, write.

Importing is idempotent: a record remembers where it came from (`source.system` and
`source.id`), so a second import finds it again and leaves it byte-identical when the source
has not changed. When the source gained updates since, they are appended (and the impacts and
milestones they bring are added); what the author changed by hand is kept. services.yaml is
only ever extended: existing components are matched by name and never modified.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from pydantic import ValidationError

from statusledger.atomic import replace_unchanged, write_atomic
from statusledger.errors import RecordError, StatusledgerError
from statusledger.importers.catalogue import Resolver, catalogue, extend_services
from statusledger.importers.drafts import Batch, ComponentRef, PostmortemDraft, RecordDraft
from statusledger.importers.merge import merge_edits
from statusledger.importers.notes import Notes
from statusledger.importers.texts import postmortem_text, record_text, services_text
from statusledger.loading import (
    INCIDENTS_DIR,
    POSTMORTEMS_DIR,
    SERVICES_FILE,
    LoadedPostmortem,
    LoadedRecord,
    load_ledger,
)
from statusledger.naming import slugify, unique
from statusledger.records.models import (
    Incident,
    Maintenance,
    Page,
    Postmortem,
    PostmortemStatus,
    Services,
)
from statusledger.yamledit import NotProven, Op, Set, edit_record

BOM = "\ufeff"


@dataclass
class Outcome:
    """What an import did (or, in a dry run, would do)."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    postmortems: list[str] = field(default_factory=list)
    services: str = "unchanged"
    components_added: list[str] = field(default_factory=list)
    groups_added: list[str] = field(default_factory=list)
    notes: Notes = field(default_factory=Notes)
    writes: dict[str, str] = field(default_factory=dict)
    # The bytes each write was planned from (None: a new file); see `write`.
    sources: dict[str, bytes | None] = field(default_factory=dict)
    found: int = 0

    @property
    def records(self) -> int:
        """Records that now reflect the source: created, updated or already up to date."""
        return len(self.created) + len(self.updated) + len(self.unchanged)

    def summary(self) -> str:
        """One line per kind of change, for the end of the command's output."""
        lines = [
            f"records: {len(self.created)} created, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged",
        ]
        if self.postmortems:
            lines.append(f"postmortems: {len(self.postmortems)} created")
        added = []
        if self.components_added:
            added.append(f"{len(self.components_added)} component(s)")
        if self.groups_added:
            added.append(f"{len(self.groups_added)} group(s)")
        detail = f" ({', '.join(added)} added)" if added and self.services != "created" else ""
        if self.services == "created":
            detail = f" ({', '.join(added)})"
        lines.append(f"{SERVICES_FILE}: {self.services}{detail}")
        return "\n".join(lines)


@dataclass
class _Existing:
    """What the repository already holds that an import must respect."""

    services: Services | None
    services_raw: bytes | None
    by_source: dict[tuple[str, str], LoadedRecord]
    record_ids: set[str]
    postmortem_ids: set[str]
    texts: dict[str, str]
    postmortems: dict[str, LoadedPostmortem] = field(default_factory=dict)


def _read_existing(root: Path) -> _Existing:
    ledger = load_ledger(root)
    services_path = root / SERVICES_FILE
    services_raw = None
    if services_path.is_file():
        services_raw = services_path.read_bytes()
        if ledger.services is None:
            problems = [f for f in ledger.findings if f.path == SERVICES_FILE]
            raise RecordError(problems)
    by_source: dict[tuple[str, str], LoadedRecord] = {}
    for record in ledger.records:
        source = record.model.source
        if source is not None:
            by_source.setdefault((source.system, source.id), record)
    record_ids = {r.id for r in ledger.records}
    broken = sorted({f.path for f in ledger.findings if f.path.startswith(INCIDENTS_DIR + "/")})
    for rel in broken:
        record_ids.add(Path(rel).stem)
        _check_broken(root, rel)
    postmortem_ids = {p.id for p in ledger.postmortems} | {
        Path(f.path).stem for f in ledger.findings if f.path.startswith(POSTMORTEMS_DIR + "/")
    }
    return _Existing(
        services=ledger.services.model if ledger.services else None,
        services_raw=services_raw,
        by_source=by_source,
        record_ids=record_ids,
        postmortem_ids=postmortem_ids,
        texts={},
        postmortems={p.id: p for p in ledger.postmortems},
    )


def _check_broken(root: Path, rel: str) -> None:
    """Refuse to import when a record that does not load may be an earlier import.

    Its source id cannot be read reliably, so importing could write the same incident twice.
    """
    try:
        data = yaml.safe_load((root / rel).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        data = None
    if isinstance(data, dict) and "source" not in data:
        return
    raise StatusledgerError(
        f"{rel} does not load, and it may be an earlier import; fix it first "
        "(statusledger validate shows what is wrong), then import again"
    )


# --- records ------------------------------------------------------------------------------


def _record_data(
    draft: RecordDraft, resolve: Callable[[ComponentRef, str], str | None]
) -> dict[str, Any] | None:
    updates = [{"at": u.at, "status": u.status, "message": u.message} for u in draft.updates]
    source = draft.source.model_dump(exclude_defaults=True)
    base: dict[str, Any] = {"title": draft.title, "kind": draft.kind}
    if draft.kind == "maintenance":
        ids = [cid for ref in draft.components if (cid := resolve(ref, draft.where))]
        ids = list(dict.fromkeys(ids))
        assert draft.window is not None
        return (
            {
                **base,
                "visibility": draft.visibility.value,
                "window": {"start": draft.window[0], "end": draft.window[1]},
                "components": ids,
                "updates": updates,
                "source": source,
            }
            if ids
            else None
        )
    impact = []
    for item in draft.impacts:
        cid = resolve(item.component, draft.where)
        if cid is not None:
            impact.append(
                {"component": cid, "level": item.level.value, "from": item.start, "to": item.end}
            )
    return {
        **base,
        "severity": draft.severity.value,
        "category": draft.category.value,
        "visibility": draft.visibility.value,
        "impact": impact,
        "timeline": draft.timeline.model_dump(exclude_none=True),
        "updates": updates,
        "source": source,
    }


def _model(data: dict[str, Any], draft: RecordDraft, notes: Notes) -> Incident | Maintenance | None:
    try:
        if data["kind"] == "maintenance":
            return Maintenance.model_validate(data)
        return Incident.model_validate(data)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        notes.add("invalid", draft.where, f"{where}: {first['msg']}")
        return None


def _record_day(model: Incident | Maintenance, zone: ZoneInfo) -> datetime:
    if isinstance(model, Maintenance):
        return model.window.start.astimezone(zone)
    moment = model.timeline.started or model.updates[0].at
    return moment.astimezone(zone)


class _Planner:
    """Works out every file an import writes, without writing any."""

    def __init__(self, root: Path, batch: Batch) -> None:
        self.root = root
        self.batch = batch
        self.existing = _read_existing(root)
        self.outcome = Outcome(notes=batch.notes, found=len(batch.records))
        self.cat = catalogue(batch, self.existing.services, self.outcome.notes)
        self.resolve = Resolver(self.cat)
        self.zone = ZoneInfo(self._page().timezone)
        self.taken = set(self.existing.record_ids)

    def _page(self) -> Page:
        if self.existing.services is not None:
            return self.existing.services.page
        page = self.batch.page
        if page is None:
            raise StatusledgerError(
                f"there is no {SERVICES_FILE} in {self.root} and the input has no page settings "
                "to create one from; import a summary.json or components.json as well, or "
                f"write {SERVICES_FILE} first"
            )
        try:
            return Page.model_validate(
                {
                    "name": page.name,
                    "url": page.url,
                    "timezone": page.timezone,
                    "language": page.language,
                    "description": page.description,
                }
            )
        except ValidationError as err:
            first = err.errors()[0]
            where = ".".join(str(part) for part in ("page", *first["loc"]))
            raise StatusledgerError(
                f"cannot create {SERVICES_FILE} from the source's page: {where}: "
                f"{str(first['msg']).removeprefix('Value error, ')}; write {SERVICES_FILE} first"
            ) from None

    def plan(self) -> Outcome:
        self._plan_services()
        drafts = sorted(self.batch.records, key=lambda d: (d.started, d.source.id))
        for draft in drafts:
            self._plan_record(draft)
        self.resolve.report(self.outcome.notes)
        return self.outcome

    def _plan_services(self) -> None:
        out = self.outcome
        out.components_added = [c.id for c in self.cat.new_components]
        out.groups_added = [g.id for g in self.cat.new_groups]
        if self.existing.services is None:
            if not self.cat.new_components:
                raise StatusledgerError(
                    f"there is no {SERVICES_FILE} in {self.root} and the input defines no "
                    "components; import components.json (or summary.json) as well"
                )
            services = Services(
                page=self._page(), components=self.cat.new_components, groups=self.cat.new_groups
            )
            out.writes[SERVICES_FILE] = services_text(services)
            out.services = "created"
            return
        if not self.cat.new_components and not self.cat.new_groups:
            return
        raw = self.existing.services_raw
        assert raw is not None
        out.writes[SERVICES_FILE] = extend_services(
            raw.decode("utf-8"), self.existing.services, self.cat
        )
        out.sources[SERVICES_FILE] = raw
        out.services = "extended"

    def _plan_record(self, draft: RecordDraft) -> None:
        existing = self.existing.by_source.get((draft.source.system, draft.source.id))
        data = _record_data(draft, self.resolve)
        if data is None:
            self.outcome.notes.add(
                "no-components", draft.where, "no component it names is defined; left out"
            )
            return
        if existing is not None:
            self._plan_merge(existing, draft, data)
            return
        model = _model(data, draft, self.outcome.notes)
        if model is None:
            return
        day = _record_day(model, self.zone)
        record_id = unique(
            f"{day.year:04d}-{day.month:02d}-{day.day:02d}-{slugify(draft.title, draft.kind)}",
            self.taken,
        )
        self.taken.add(record_id)
        if isinstance(model, Incident) and draft.postmortem is not None:
            linked = self._plan_postmortem(record_id, draft.postmortem, draft.where)
            model = model.model_copy(update={"postmortem": linked})
        rel = f"{INCIDENTS_DIR}/{day.year:04d}/{record_id}.yaml"
        self.outcome.writes[rel] = record_text(model)
        self.outcome.created.append(rel)

    def _plan_postmortem(self, record_id: str, draft: PostmortemDraft, where: str) -> str | None:
        """Write the source's postmortem for a record; return the id to link, if any.

        Its id is the record's. A postmortem already there under that id is never written
        over: it is linked when it covers the record (the user wrote or edited it), and the
        source's postmortem goes to a free id when it covers something else.
        """
        present = self.existing.postmortems.get(record_id)
        if present is not None and record_id in present.model.incidents:
            self._keep_postmortem(present, record_id, draft)
            return record_id
        if record_id in self.existing.postmortem_ids and present is None:
            self.outcome.notes.add(
                "invalid",
                where,
                f"{POSTMORTEMS_DIR}/{record_id}.md does not load, so the source's postmortem "
                "was not imported; fix that file (statusledger validate says how) and import again",
            )
            return None
        postmortem_id = unique(record_id, self.existing.postmortem_ids)
        self._write_postmortem(postmortem_id, record_id, draft)
        return postmortem_id

    def _write_postmortem(self, postmortem_id: str, record_id: str, draft: PostmortemDraft) -> None:
        rel = f"{POSTMORTEMS_DIR}/{postmortem_id}.md"
        self.outcome.writes[rel] = postmortem_text(_postmortem(record_id, draft), draft.body)
        self.outcome.postmortems.append(rel)
        self.existing.postmortem_ids.add(postmortem_id)

    def _keep_postmortem(
        self, present: LoadedPostmortem, record_id: str, draft: PostmortemDraft
    ) -> None:
        """Say so when a postmortem in the repository is not the source's: it stays as it is."""
        wanted = _postmortem(record_id, draft)
        if present.model == wanted and present.body.strip() == draft.body.strip():
            return
        self.outcome.notes.add(
            "postmortem-kept",
            present.path,
            "differs from the source's postmortem (edited here or at the source); left as it "
            "is: delete it and import again to take the source's text",
        )

    def _plan_merge(self, existing: LoadedRecord, draft: RecordDraft, data: dict[str, Any]) -> None:
        model = _model(data, draft, self.outcome.notes)
        if model is None or type(model) is not type(existing.model):
            if model is not None:
                self.outcome.notes.add(
                    "conflict", existing.path, "the source changed its kind; left as is"
                )
            self.outcome.unchanged.append(existing.path)
            return
        current = existing.model
        if isinstance(current, Incident) and isinstance(model, Incident):
            model = model.model_copy(update={"postmortem": current.postmortem})
        link = None
        if isinstance(current, Incident) and draft.postmortem is not None:
            link = self._merge_postmortem(existing.id, current, draft)
        if model == current and link is None:
            self.outcome.unchanged.append(existing.path)
            return
        ops = merge_edits(existing, model, self.outcome.notes)
        if link is not None:
            ops.append(Set((), {"postmortem": link}))
        new_text = self._edited(existing, ops) if ops else None
        if new_text is None:
            self.outcome.unchanged.append(existing.path)
            return
        self.outcome.writes[existing.path] = new_text
        self.outcome.updated.append(existing.path)

    def _edited(self, existing: LoadedRecord, ops: list[Op]) -> str | None:
        """The record's text with the source's changes, proven (yamledit.py); None if refused."""
        raw = (self.root / existing.path).read_bytes()
        text = raw.decode("utf-8")
        bom = BOM if text.startswith(BOM) else ""
        try:
            new_text = edit_record(text.removeprefix(bom), existing.path, existing.model, ops)
        except NotProven as err:
            why = (
                f"would make it invalid ({err.problem})"
                if err.problem
                else "would disturb its layout (an unusual YAML style near the place to change)"
            )
            self.outcome.notes.add(
                "invalid", existing.path, f"merging the source's changes {why}; left as is"
            )
            return None
        except StatusledgerError as err:
            self.outcome.notes.add("invalid", existing.path, f"{err}; left as is")
            return None
        self.outcome.sources[existing.path] = raw
        return bom + new_text

    def _merge_postmortem(
        self, record_id: str, current: Incident, draft: RecordDraft
    ) -> str | None:
        """The source's postmortem for a record imported before; the id to link if it is new.

        A linked postmortem is left as it is (and reported when it differs from the source's);
        one whose file was deleted is written again from the source, under the linked id.
        """
        assert draft.postmortem is not None
        linked = current.postmortem
        if linked is None:
            return self._plan_postmortem(record_id, draft.postmortem, draft.where)
        present = self.existing.postmortems.get(linked)
        if present is not None:
            self._keep_postmortem(present, record_id, draft.postmortem)
        elif linked not in self.existing.postmortem_ids:
            self._write_postmortem(linked, record_id, draft.postmortem)
        return None


def _postmortem(record_id: str, draft: PostmortemDraft) -> Postmortem:
    """The front matter of an imported postmortem: published, as it was at the source."""
    return Postmortem(
        title=draft.title,
        incidents=[record_id],
        status=PostmortemStatus.PUBLISHED,
        date=draft.date,
        summary=draft.summary,
    )


def plan(root: Path, batch: Batch) -> Outcome:
    """Every file an import of `batch` into `root` writes, and the report; writes nothing."""
    return _Planner(root, batch).plan()


def write(root: Path, outcome: Outcome) -> None:
    """Write the planned files (UTF-8; new ones with LF line ends), each whole or not at all.

    An existing file is replaced only if it still holds the bytes the import was planned from,
    under the lock authoring takes (atomic.replace_unchanged), and a new file never replaces
    one that appeared meanwhile: an edit made while the import ran is never lost. New files
    are not flushed one by one (hundreds of fsyncs would double an import's time): a kill still
    leaves none half-written, and they are the import's own output, written again by the next.
    """
    for rel, text in outcome.writes.items():
        try:
            written = _write_one(root / rel, text.encode("utf-8"), outcome.sources.get(rel))
        except OSError as err:
            raise StatusledgerError(f"cannot write {rel}: {err.strerror or err}") from None
        if not written:
            raise StatusledgerError(
                f"{rel} changed while the import ran; it was left as it is. Import again"
            )


def _write_one(path: Path, data: bytes, source: bytes | None) -> bool:
    """Write one planned file; False when another writer got there first."""
    if source is not None:
        return replace_unchanged(path, source, data)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        write_atomic(path, data, exclusive=True, sync=False)
    except FileExistsError:
        return False
    return True
