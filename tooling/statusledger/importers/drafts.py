"""What a reader makes of another system's data, before it has ids in our repository.

Readers (statuspage.py, cstate.py) turn foreign data into drafts that still name components by
the source's own keys; apply.py then matches them against services.yaml, chooses record ids and
writes files. The derivations both readers share (milestones, category, text clean-up) are here
so the two importers cannot drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from statusledger.importers.notes import Notes
from statusledger.records.models import (
    Category,
    ImpactLevel,
    IncidentStatus,
    SeverityLevel,
    Source,
    Timeline,
    Visibility,
)


@dataclass(frozen=True)
class PageDraft:
    """Page settings found in the source, used only when services.yaml does not exist yet."""

    name: str
    url: str
    timezone: str = "UTC"
    language: str = "en"
    description: str | None = None


@dataclass(frozen=True)
class GroupDraft:
    """A heading of components in the source (a Statuspage group, a cState category)."""

    key: str
    name: str
    description: str | None = None


@dataclass(frozen=True)
class ComponentDraft:
    """A component as the source defines it; `key` is the source's id for it."""

    key: str
    name: str
    group: str | None = None
    description: str | None = None
    since: date | None = None
    only_show_if_degraded: bool = False


@dataclass(frozen=True)
class ComponentRef:
    """A reference to a component from a record: by the source's key when it has one, else name."""

    key: str | None
    name: str


@dataclass(frozen=True)
class ImpactDraft:
    """One component at one level for one stretch of time."""

    component: ComponentRef
    level: ImpactLevel
    start: datetime
    end: datetime | None


@dataclass(frozen=True)
class UpdateDraft:
    """One public update, with the status already in our vocabulary."""

    at: datetime
    status: str
    message: str


@dataclass(frozen=True)
class PostmortemDraft:
    """A published postmortem found in the source."""

    title: str
    date: date
    summary: str
    body: str


@dataclass
class RecordDraft:
    """An incident or maintenance window read from the source."""

    kind: Literal["incident", "maintenance"]
    source: Source
    title: str
    where: str
    started: datetime
    updates: list[UpdateDraft]
    severity: SeverityLevel = SeverityLevel.SEV4
    category: Category = Category.OTHER
    visibility: Visibility = Visibility.PUBLIC
    impacts: list[ImpactDraft] = field(default_factory=list)
    timeline: Timeline = field(default_factory=Timeline)
    window: tuple[datetime, datetime] | None = None
    components: list[ComponentRef] = field(default_factory=list)
    postmortem: PostmortemDraft | None = None


@dataclass
class Batch:
    """Everything one import read: page, groups, components, records, and what did not map."""

    page: PageDraft | None = None
    groups: list[GroupDraft] = field(default_factory=list)
    components: list[ComponentDraft] = field(default_factory=list)
    records: list[RecordDraft] = field(default_factory=list)
    notes: Notes = field(default_factory=Notes)


# --- shared derivations -----------------------------------------------------------------------

_CATEGORY = {
    ImpactLevel.MAJOR_OUTAGE: Category.OUTAGE,
    ImpactLevel.PARTIAL_OUTAGE: Category.OUTAGE,
    ImpactLevel.DEGRADED_PERFORMANCE: Category.DEGRADATION,
}
_RANK = {
    ImpactLevel.DEGRADED_PERFORMANCE: 1,
    ImpactLevel.PARTIAL_OUTAGE: 2,
    ImpactLevel.MAJOR_OUTAGE: 3,
}


def worst(levels: Iterable[ImpactLevel]) -> ImpactLevel | None:
    """The worst of some impact levels, or None when there are none."""
    return max(levels, key=_RANK.__getitem__, default=None)


def category_for(impacts: Sequence[ImpactDraft]) -> Category:
    """Neither source has categories, so the worst impact decides: outage, degradation, other."""
    level = worst(i.level for i in impacts)
    return _CATEGORY[level] if level else Category.OTHER


def seconds(value: datetime) -> datetime:
    """Drop sub-second digits: records keep seconds, and equal inputs must give equal records."""
    return value.replace(microsecond=0)


def clean_text(text: str) -> str:
    """Normalise a message as records store it: LF line ends, no trailing spaces, trimmed.

    Trailing spaces would force YAML into an escaped double-quoted string, and CRLF (which
    Statuspage keeps from browsers) is no part of what readers see.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip()


def summary_of(body: str, limit: int = 200) -> str:
    """A postmortem summary from its body: the first sentence of the first paragraph.

    Headings are not sentences ("# What happened"), so their lines are skipped.
    """
    for paragraph in re.split(r"\n\s*\n", clean_text(body)):
        lines = [line for line in paragraph.split("\n") if not line.lstrip().startswith("#")]
        text = re.sub(r"[#*_`>]+", "", "\n".join(lines))
        text = " ".join(text.split())
        if not text or text.lower().rstrip(":") in ("summary", "post-mortem", "postmortem"):
            continue
        sentence = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]
        if len(sentence) > limit:
            sentence = sentence[: limit - 1].rsplit(" ", 1)[0] + "…"
        return sentence
    return "See the postmortem text."


def close_open(impacts: list[ImpactDraft], at: datetime) -> list[ImpactDraft]:
    """Close every open impact at `at`; a resolved incident has no open impact (docs/rules.md)."""
    return [ImpactDraft(i.component, i.level, i.start, at) if i.end is None else i for i in impacts]


def drop_empty(impacts: Iterable[ImpactDraft]) -> list[ImpactDraft]:
    """Leave out impacts that end when they start: seconds precision makes some of them empty."""
    return [i for i in impacts if i.end is None or i.end > i.start]


def final_resolution(updates: Sequence[UpdateDraft]) -> datetime | None:
    """When the incident was last resolved: the first update of the final run of resolved ones."""
    if not updates or updates[-1].status != IncidentStatus.RESOLVED.value:
        return None
    index = len(updates) - 1
    while index > 0 and updates[index - 1].status == IncidentStatus.RESOLVED.value:
        index -= 1
    return updates[index].at


def milestones(
    started: datetime,
    updates: Sequence[UpdateDraft],
    impacts: Sequence[ImpactDraft],
    resolved: datetime | None,
    monitoring: datetime | None = None,
) -> Timeline:
    """Milestones from the public updates, never decreasing (docs/records.md).

    started is the earliest of the source's start, the first update and the first impact;
    detected and acknowledged are the first public update (normally "investigating": a status
    page post is the acknowledgement users see); mitigated is the first "monitoring" update;
    resolved is the source's resolution time, only when the last update says resolved.
    `monitoring` is the source's own monitoring time, used when no update says "monitoring".
    """
    first = updates[0].at if updates else None
    start = min([started, *([first] if first else []), *(i.start for i in impacts)])
    mitigated = next(
        (u.at for u in updates if u.status == IncidentStatus.MONITORING.value), monitoring
    )
    is_resolved = bool(updates) and updates[-1].status == IncidentStatus.RESOLVED.value
    values = [start, first, first, mitigated, resolved if is_resolved else None]
    ordered: list[datetime | None] = []
    floor = start
    for value in values:
        if value is not None:
            value = max(value, floor)
            floor = value
        ordered.append(value)
    return Timeline(
        started=ordered[0],
        detected=ordered[1],
        acknowledged=ordered[2],
        mitigated=ordered[3],
        resolved=ordered[4],
    )
