"""Read a cState site (Hugo): systems from its config, incidents from content/issues/*.md.

An issue's front matter gives title, date, resolved, resolvedWhen, severity (down, disrupted,
notice), affected systems and informational; its body holds the public updates, newest first,
each opened by a marker such as `*Investigating* -` or `**Update** -` and closed by a
`{{< track "date" >}}` shortcode. tooling/docs/importing.md documents the mapping.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from statusledger.errors import StatusledgerError
from statusledger.importers.drafts import (
    Batch,
    ComponentDraft,
    ComponentRef,
    GroupDraft,
    ImpactDraft,
    PageDraft,
    PostmortemDraft,
    RecordDraft,
    UpdateDraft,
    category_for,
    clean_text,
    close_open,
    drop_empty,
    milestones,
    seconds,
    summary_of,
)
from statusledger.importers.notes import Notes
from statusledger.records.models import ImpactLevel, SeverityLevel, Source, Visibility
from statusledger.records.types import url_problem

CONFIG_FILES = ("config.yml", "config.yaml", "config.toml", "hugo.yml", "hugo.yaml", "hugo.toml")
LANGUAGES = ("en", "it", "fr", "ro", "de", "es")

SEVERITY: dict[str, tuple[SeverityLevel, ImpactLevel]] = {
    "down": (SeverityLevel.SEV2, ImpactLevel.MAJOR_OUTAGE),
    "disrupted": (SeverityLevel.SEV3, ImpactLevel.PARTIAL_OUTAGE),
    "notice": (SeverityLevel.SEV4, ImpactLevel.DEGRADED_PERFORMANCE),
}
# Marker words -> status; None keeps the status of the update before (an "Update").
MARKERS: dict[str, str | None] = {
    "investigating": "investigating",
    "identified": "identified",
    "monitoring": "monitoring",
    "resolved": "resolved",
    "update": None,
    "updated": None,
}
RESOLVED_MESSAGE = "This incident has been resolved."

_MARKER = re.compile(
    r"^\s*\*{1,3}(?P<label>[^*\n]{1,40}?)\*{1,3}[ \t]*(?:[-–—:][ \t]*)?\n?(?P<rest>.*)$", re.S
)
_TRACK = re.compile(r"\{\{[<%]\s*track\s+\"(?P<at>[^\"]+)\"\s*[>%]\}\}")
_RULE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$")
_POSTMORTEM = re.compile(r"^post[- ]?mortem$", re.I)


class _TextLoader(yaml.SafeLoader):
    """Front matter with dates kept as text, so a missing offset can be seen and reported."""


_TextLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class _Site:
    """What the reader needs while going through the issues."""

    zone: ZoneInfo
    base_url: str
    systems: set[str]
    notes: Notes
    naive: list[str] = field(default_factory=list)


def read_cstate(site: Path) -> Batch:
    """Read a cState site folder; what cannot be mapped goes into the batch's notes."""
    issues = site / "content" / "issues"
    if not issues.is_dir():
        raise StatusledgerError(
            f"{site}: no content/issues folder; give the folder of a cState site (the one "
            "holding config.yml and content/)"
        )
    notes = Notes()
    config = _config(site, notes)
    params = config.get("params") if isinstance(config.get("params"), dict) else {}
    assert isinstance(params, dict)
    zone = _zone(config, notes)
    batch = Batch(notes=notes, page=_page(config, params, zone, notes))
    untitled = _groups(params, batch)
    _systems(params, batch, untitled)
    base_url = str(config.get("baseURL") or config.get("baseurl") or "").rstrip("/")
    state = _Site(zone, base_url, {c.key for c in batch.components}, notes)
    for path in sorted(p for p in issues.rglob("*.md") if not p.name.startswith("_")):
        draft = _issue(path, path.relative_to(site).as_posix(), state)
        if draft is not None:
            batch.records.append(draft)
    if state.naive:
        notes.add(
            "naive-time",
            "content/issues",
            f"{len(state.naive)} timestamp(s) in "
            f"{len(set(state.naive))} file(s) have no offset; read in {zone.key} (set "
            "Hugo's timeZone in the config if they were meant in another zone)",
        )
    return batch


def _config(site: Path, notes: Notes) -> dict[str, Any]:
    for name in CONFIG_FILES:
        path = site / name
        if not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
            data = (
                tomllib.loads(text)
                if name.endswith(".toml")
                else yaml.load(text, Loader=_TextLoader)
            )
        except (OSError, UnicodeDecodeError, yaml.YAMLError, tomllib.TOMLDecodeError) as err:
            notes.add("bad-file", name, f"cannot read it: {err}")
            return {}
        return data if isinstance(data, dict) else {}
    notes.add("bad-file", site.name, "no config.yml; no systems are known")
    return {}


def _zone(config: dict[str, Any], notes: Notes) -> ZoneInfo:
    name = str(config.get("timeZone") or config.get("timezone") or "UTC")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        notes.add("bad-page", "timeZone", f"unknown time zone {name!r}; UTC is used")
        return ZoneInfo("UTC")


def _page(
    config: dict[str, Any], params: dict[str, Any], zone: ZoneInfo, notes: Notes
) -> PageDraft:
    url = str(config.get("baseURL") or config.get("baseurl") or "").rstrip("/")
    problem = url_problem(url, base=True)
    if problem is not None:
        notes.add("bad-page", "baseURL", f"{problem}; it is not imported")
        url = ""
    language = str(config.get("defaultContentLanguage") or config.get("languageCode") or "en")
    language = language.split("-")[0].lower()
    if language not in LANGUAGES:
        notes.add("bad-page", "languageCode", f"{language!r} has no translation here; en is used")
        language = "en"
    description = params.get("description")
    return PageDraft(
        name=str(config.get("title") or "Status"),
        url=url,
        timezone=zone.key,
        language=language,
        description=clean_text(str(description)) if description else None,
    )


def _issue_url(base_url: str, stem: str) -> str | None:
    """Where the issue was published, if that makes a URL records may hold."""
    url = f"{base_url}/issues/{stem}/"
    return url if base_url and url_problem(url) is None else None


def _list(value: Any) -> list[Any]:
    """A front matter or config list; a single value or anything else counts as none."""
    return value if isinstance(value, list) else []


def _groups(params: dict[str, Any], batch: Batch) -> set[str]:
    """Categories become groups, except `untitled` ones (their systems stay ungrouped)."""
    untitled: set[str] = set()
    for category in _list(params.get("categories")):
        if not isinstance(category, dict) or not category.get("name"):
            continue
        name = str(category["name"])
        if category.get("untitled"):
            untitled.add(name)
            continue
        description = category.get("description")
        batch.groups.append(GroupDraft(name, name, str(description) if description else None))
    return untitled


def _systems(params: dict[str, Any], batch: Batch, untitled: set[str]) -> None:
    for system in _list(params.get("systems")):
        if isinstance(system, str):
            batch.components.append(ComponentDraft(key=system, name=system))
            continue
        if not isinstance(system, dict) or not system.get("name"):
            continue
        category = system.get("category")
        group = str(category) if category and str(category) not in untitled else None
        description = system.get("description")
        batch.components.append(
            ComponentDraft(
                key=str(system["name"]),
                name=str(system["name"]),
                group=group,
                description=clean_text(str(description)) if description else None,
            )
        )


# --- issues -----------------------------------------------------------------------------------


def _split(text: str) -> tuple[dict[str, Any], str] | None:
    """Front matter (YAML between ---, or TOML between +++) and body."""
    text = text.removeprefix("\ufeff")
    for fence, parse in (("---", _yaml_front), ("+++", tomllib.loads)):
        if text.startswith(fence):
            parts = re.split(rf"^{re.escape(fence)}[ \t]*$", text, maxsplit=2, flags=re.M)
            if len(parts) == 3:
                data = parse(parts[1])
                return (data if isinstance(data, dict) else {}), parts[2]
    return None


def _yaml_front(text: str) -> Any:
    return yaml.load(text, Loader=_TextLoader)


def _when(value: Any, where: str, state: _Site) -> datetime | None:
    """A timestamp from the front matter or a track shortcode; no offset means the site zone."""
    parsed: datetime | None = None
    if isinstance(value, datetime):
        parsed = value
    elif value is not None:
        text = str(value).strip()
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            for pattern in ("%Y-%m-%d %H:%M:%S %z", "%Y-%m-%d %H:%M %z", "%d %b %y %H:%M %z"):
                try:
                    parsed = datetime.strptime(text, pattern)  # noqa: DTZ007 - all have %z
                    break
                except ValueError:
                    continue
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        state.naive.append(where)
        parsed = parsed.replace(tzinfo=state.zone)
    return seconds(parsed)


@dataclass
class _Entry:
    """One update in the body: its marker, its paragraphs, its track time."""

    label: str | None
    parts: list[str]
    at: datetime | None = None
    closed: bool = False


def _entries(body: str, where: str, state: _Site) -> tuple[list[_Entry], str]:
    """The body's updates, newest first as written, and the post-mortem section's text."""
    entries: list[_Entry] = []
    postmortem: list[str] = []
    in_postmortem = False
    for paragraph in re.split(r"\n[ \t]*\n", body.strip()):
        if not paragraph.strip():
            continue
        if _RULE.match(paragraph):
            in_postmortem = False
            if entries:
                entries[-1].closed = True
            continue
        match = _MARKER.match(paragraph)
        label = " ".join(match.group("label").split()) if match else None
        text = match.group("rest") if match else paragraph
        if label and _POSTMORTEM.match(label):
            in_postmortem = True
            postmortem.extend([text] if text.strip() else [])
            continue
        if in_postmortem and not label:
            postmortem.append(paragraph)
            continue
        in_postmortem = False
        if label or not entries or entries[-1].closed:
            entries.append(_Entry(label, []))
        entry = entries[-1]
        track = _TRACK.search(text)
        if track:
            entry.at = _when(track.group("at"), where, state)
            entry.closed = True
        entry.parts.append(_TRACK.sub("", text))
    return entries, clean_text("\n\n".join(postmortem))


def _issue(path: Path, rel: str, state: _Site) -> RecordDraft | None:
    notes = state.notes
    try:
        split = _split(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError, tomllib.TOMLDecodeError) as err:
        notes.add("bad-file", rel, f"cannot read it: {err}")
        return None
    if split is None:
        notes.add("bad-file", rel, "no front matter between --- lines; skipped")
        return None
    front, body = split
    title = " ".join(str(front.get("title") or path.stem).split())
    where = f"{rel} '{title}'"
    if front.get("section") not in (None, "issue"):
        notes.add("unknown-file", where, f"section {front.get('section')!r} is not an issue")
        return None
    start = _when(front.get("date"), rel, state)
    if start is None:
        notes.add("bad-time", where, "no readable date; left out")
        return None
    end = _when(front.get("resolvedWhen"), rel, state) if front.get("resolved") is True else None
    entries, postmortem_text = _entries(body, rel, state)
    derived: list[str] = ["severity", "category", "timeline", "impact"]
    updates = _updates(entries, start, end, where, notes, derived)
    if not updates:
        updates = [UpdateDraft(start, "investigating", f"{title}.")]
        derived.append("updates[0].message")
        notes.add("empty-message", where, "the body is empty; the title was used as the message")
    informational = front.get("informational") is True
    resolved = _resolve(
        updates,
        end,
        front.get("resolved") is True or informational,
        informational,
        where,
        notes,
        derived,
    )
    severity, impacts = _impact(front, start, resolved, informational, where, state)
    stem = path.stem
    return RecordDraft(
        kind="incident",
        source=Source(
            system="cstate",
            id=stem,
            derived=derived,
            url=_issue_url(state.base_url, stem),
        ),
        title=title,
        where=where,
        started=start,
        updates=updates,
        severity=severity,
        category=category_for(impacts),
        visibility=Visibility.INTERNAL if front.get("draft") is True else Visibility.PUBLIC,
        impacts=impacts,
        timeline=milestones(start, updates, impacts, resolved),
        postmortem=PostmortemDraft(
            title,
            (resolved or start).astimezone(state.zone).date(),
            summary_of(postmortem_text),
            postmortem_text,
        )
        if postmortem_text
        else None,
    )


def _updates(
    entries: list[_Entry],
    start: datetime,
    end: datetime | None,
    where: str,
    notes: Notes,
    derived: list[str],
) -> list[UpdateDraft]:
    """Updates oldest first; an entry without a track time takes its neighbour's time."""
    chronological = list(reversed(entries))
    updates: list[UpdateDraft] = []
    status = "investigating"
    previous = start
    for index, entry in enumerate(chronological):
        at = entry.at
        if at is None:
            newest = index == len(chronological) - 1
            at = end if newest and end is not None and index > 0 else previous
        label = entry.label
        word = label.lower().rstrip(":") if label else None
        message = clean_text("\n\n".join(entry.parts))
        if word is not None and word not in MARKERS:
            notes.add(
                "unknown-marker",
                where,
                f"marker '{label}'; kept in the message, status stays {status!r}",
            )
            message = f"{label}: {message}" if message else str(label)
        elif word is not None and MARKERS[word] is not None:
            status = MARKERS[word] or status
        if not message:
            continue
        if entry.at is None:
            derived.append(f"updates[{len(updates)}].at")
        updates.append(UpdateDraft(at, status, message))
        previous = at
    return sorted(updates, key=lambda u: u.at)


def _resolve(
    updates: list[UpdateDraft],
    end: datetime | None,
    resolved: bool,
    informational: bool,
    where: str,
    notes: Notes,
    derived: list[str],
) -> datetime | None:
    """Make the last update say resolved when the issue is resolved; return when it was.

    An informational post is an announcement, not an outage: it is imported closed, its last
    paragraph being the resolved update. A resolved issue whose last entry is an "Update" at
    resolvedWhen has that entry read as the resolution; otherwise a resolved update is added.
    """
    if not resolved:
        if updates[-1].status == "resolved":
            notes.add(
                "not-resolved",
                where,
                "the body says resolved but the front matter does not; imported as resolved",
            )
            return updates[-1].at
        return None
    last = updates[-1]
    at = max(end or last.at, last.at)
    if last.status != "resolved":
        closing = informational or (
            len(updates) > 1 and last.at == at and last.status == updates[-2].status
        )
        if closing:
            updates[-1] = UpdateDraft(last.at, "resolved", last.message)
            derived.append(f"updates[{len(updates) - 1}].status")
        else:
            updates.append(UpdateDraft(at, "resolved", RESOLVED_MESSAGE))
            derived.append(f"updates[{len(updates) - 1}]")
    return at


def _impact(
    front: dict[str, Any],
    start: datetime,
    resolved: datetime | None,
    informational: bool,
    where: str,
    state: _Site,
) -> tuple[SeverityLevel, list[ImpactDraft]]:
    name = str(front.get("severity") or "").strip().lower()
    if name not in SEVERITY:
        if not informational:
            state.notes.add(
                "unknown-severity", where, f"severity {name or '(none)'!r}; read as notice"
            )
        name = "notice"
    severity, level = SEVERITY[name]
    if informational:
        return SeverityLevel.SEV4, []
    affected = front.get("affected")
    names = [affected] if isinstance(affected, str) else [str(a) for a in _list(affected)]
    impacts = [
        ImpactDraft(ComponentRef(n if n in state.systems else None, n), level, start, None)
        for n in dict.fromkeys(names)
    ]
    if resolved is not None:
        impacts = close_open(impacts, resolved)
        if resolved <= start:
            state.notes.add(
                "bad-time", where, "resolvedWhen is not after date; its impact was left out"
            )
    return severity, drop_empty(impacts)
