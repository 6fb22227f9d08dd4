"""What a finished record says happened, and the edits that change it after it was merged.

Once an incident is merged as resolved, or a maintenance as completed, its impacts (which
components, at which level, from when to when), its severity and milestones, a maintenance's
window and components, and whether the record is public, are what the page's uptime bars, the
SLA figures and credits and the metrics were computed from. Changing them later changes figures
customers were already shown, so the history guard (guard.py) asks for a `corrections` entry
naming the field, as it does for rewritten updates. A record still open when merged may change
freely: an incident is escalated, or re-scoped as more is learnt, while it runs.

Nothing here touches Git or builds findings: this compares two models and says, per change,
which words a correction may use to name it and where in the new file it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from statusledger.records.models import (
    MILESTONES,
    Impact,
    Incident,
    Maintenance,
    MaintenanceStatus,
    Timeline,
    Visibility,
)
from statusledger.records.types import format_timestamp

Record = Incident | Maintenance


@dataclass(frozen=True)
class Rewrite:
    """One merged fact of a finished record that the new version changes."""

    rule: str  # the finding's rule, after "history/"
    names: tuple[str, ...]  # any of these words in a new correction's `what` covers it
    where: tuple[str | int, ...]  # the value in the new file to point at
    message: str
    restore: str  # how to undo it, the first half of the hint
    what: str  # a `what` for the correction, if the change is a real one


def finished(model: Record) -> bool:
    """Whether the record's figures are final: a resolved incident, a completed maintenance."""
    if isinstance(model, Incident):
        return not model.is_open
    return model.status is MaintenanceStatus.COMPLETED


def rewrites(old: Record, new: Record) -> list[Rewrite]:
    """Every merged fact of a finished `old` that `new` changes (none when `old` was open)."""
    if not finished(old):
        return []
    if isinstance(old, Incident) and isinstance(new, Incident):
        facts = _severity(old, new) + _impacts(old.impact, new.impact)
        return _published(old, new) + facts + _milestones(old.timeline, new.timeline)
    if isinstance(old, Maintenance) and isinstance(new, Maintenance):
        return _published(old, new) + _window(old, new) + _components(old, new)
    merged = "a resolved incident" if isinstance(old, Incident) else "a completed maintenance"
    return [
        Rewrite(
            "kind-changed",
            ("kind",),
            ("kind",),
            f"the record was merged as {merged} and is a {new.kind} here; every figure it "
            "counted in changes",
            f"set kind: {old.kind} again",
            f"kind, was {old.kind}",
        )
    ]


def _published(old: Record, new: Record) -> list[Rewrite]:
    """An internal record made public after it finished (public to internal: guard.py)."""
    if old.visibility is not Visibility.INTERNAL or new.visibility is Visibility.INTERNAL:
        return []
    return [
        Rewrite(
            "published-late",
            ("visibility",),
            ("visibility",),
            f"the {old.kind} was merged as finished and internal, and is public here; its "
            "impacts would change the public status history, uptime and SLA figures after the "
            "fact",
            "set visibility: internal again",
            "visibility, was internal",
        )
    ]


def _milestones(old: Timeline, new: Timeline) -> list[Rewrite]:
    """A milestone set when merged as resolved that moved or was cleared (setting one passes)."""
    out = []
    for name in MILESTONES:
        was, now = getattr(old, name), getattr(new, name)
        if was is None or was == now:
            continue
        shown = format_timestamp(now) if now else "cleared"
        out.append(
            Rewrite(
                "milestone-changed",
                ("timeline",),
                ("timeline", name),
                f"timeline.{name} was {format_timestamp(was)} when the incident was merged as "
                f"resolved and is {shown} here; response times and metrics were counted from it",
                f"set {name}: {format_timestamp(was)} again",
                f"timeline.{name}, was {format_timestamp(was)}",
            )
        )
    return out


def _severity(old: Incident, new: Incident) -> list[Rewrite]:
    if old.severity == new.severity:
        return []
    was = old.severity.value
    return [
        Rewrite(
            "severity-changed",
            ("severity",),
            ("severity",),
            f"severity was {was} when the incident was merged as resolved and is "
            f"{new.severity.value} here; SLA credits, policies and metrics were counted at {was}",
            f"set severity: {was} again",
            f"severity, was {was}",
        )
    ]


def _span(impact: Impact) -> str:
    until = format_timestamp(impact.to) if impact.to else "ongoing"
    return f"{impact.level.value} {format_timestamp(impact.from_)} – {until}"


def _impacts(old: Sequence[Impact], new: Sequence[Impact]) -> list[Rewrite]:
    """Pair impacts by component and start, then by component alone; report what differs."""
    unpaired_new = list(range(len(new)))
    pairs: list[tuple[int, int]] = []
    unpaired_old: list[int] = []
    for i, impact in enumerate(old):
        j = _partner(impact, new, unpaired_new, same_start=True)
        if j is None:
            unpaired_old.append(i)
        else:
            pairs.append((i, j))
    removed = []
    for i in unpaired_old:
        j = _partner(old[i], new, unpaired_new, same_start=False)
        if j is None:
            removed.append(i)
        else:
            pairs.append((i, j))
    out = [_changed(old[i], new[j], i, j) for i, j in sorted(pairs) if old[i] != new[j]]
    out += [_removed(old[i], i) for i in removed]
    out += [_added(new[j], j) for j in unpaired_new]
    return out


def _partner(
    impact: Impact, new: Sequence[Impact], free: list[int], *, same_start: bool
) -> int | None:
    for j in free:
        if new[j].component == impact.component and (
            not same_start or new[j].from_ == impact.from_
        ):
            free.remove(j)
            return j
    return None


_FIGURES = "the uptime, SLA figures and credits were computed from it"


def _changed(old: Impact, new: Impact, i: int, j: int) -> Rewrite:
    fields = [
        name
        for name, a, b in (
            ("level", old.level, new.level),
            ("from", old.from_, new.from_),
            ("to", old.to, new.to),
        )
        if a != b
    ]
    names = ("impact", "impacts", "level") if fields == ["level"] else ("impact", "impacts")
    return Rewrite(
        "impact-changed",
        names,
        ("impact", j, fields[0]),
        f"impact[{i}] on {old.component} was merged in a resolved incident as {_span(old)} "
        f"and is {_span(new)} here; {_FIGURES}",
        f"restore impact[{i}] as merged ({_span(old)})",
        f"impact[{i}] {' and '.join(fields)}, was {_span(old)}",
    )


def _removed(old: Impact, i: int) -> Rewrite:
    return Rewrite(
        "impact-removed",
        ("impact", "impacts"),
        ("impact",),
        f"impact[{i}] on {old.component} ({_span(old)}) was merged in a resolved incident and "
        f"is removed here; {_FIGURES}",
        f"put impact[{i}] back ({old.component} {_span(old)})",
        f"impact[{i}] removed, was {old.component} {_span(old)}",
    )


def _added(new: Impact, j: int) -> Rewrite:
    return Rewrite(
        "impact-added",
        ("impact", "impacts"),
        ("impact", j),
        f"impact[{j}] on {new.component} ({_span(new)}) is added to an incident merged as "
        "resolved; it changes the uptime and SLA figures already published",
        f"drop impact[{j}]",
        f"impact[{j}] added: {new.component} {_span(new)}",
    )


def _window(old: Maintenance, new: Maintenance) -> list[Rewrite]:
    if old.window == new.window:
        return []
    was = f"{format_timestamp(old.window.start)} – {format_timestamp(old.window.end)}"
    now = f"{format_timestamp(new.window.start)} – {format_timestamp(new.window.end)}"
    field = "start" if old.window.start != new.window.start else "end"
    return [
        Rewrite(
            "window-changed",
            ("window",),
            ("window", field),
            f"the window was {was} when the maintenance was merged as completed and is {now} "
            "here; downtime inside it was left out of the uptime and SLA figures",
            f"restore the window {was}",
            f"window, was {was}",
        )
    ]


def _components(old: Maintenance, new: Maintenance) -> list[Rewrite]:
    if sorted(old.components) == sorted(new.components):
        return []
    was = ", ".join(old.components)
    return [
        Rewrite(
            "components-changed",
            ("components",),
            ("components",),
            f"the maintenance was merged as completed on {was} and names "
            f"{', '.join(new.components)} here; downtime of those components inside the window "
            "was left out of the uptime and SLA figures",
            f"restore components: [{was}]",
            f"components, was {was}",
        )
    ]
