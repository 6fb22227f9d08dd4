"""What the authoring commands are handed and give back, and checks of what users typed."""

from __future__ import annotations

import difflib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from statusledger.authoring.changes import OPERATIONAL
from statusledger.errors import UsageError
from statusledger.records.models import (
    Category,
    ImpactLevel,
    IncidentStatus,
    Services,
    SeverityLevel,
)


@dataclass(frozen=True)
class IncidentDraft:
    """What `new incident` was told; impacts are (component id, level) pairs."""

    title: str
    severity: SeverityLevel
    impacts: Sequence[tuple[str, str]] = ()
    message: str | None = None
    category: Category | None = None
    status: IncidentStatus = IncidentStatus.INVESTIGATING
    internal: bool = False
    started: datetime | None = None  # impact and timeline.started; default now
    detected: datetime | None = None
    acknowledged: datetime | None = None
    force: bool = False  # declare even when an open incident covers a component


@dataclass(frozen=True)
class MaintenanceDraft:
    """What `new maintenance` was told."""

    title: str
    start: datetime
    end: datetime
    components: Sequence[str]
    message: str | None = None
    internal: bool = False


@dataclass(frozen=True)
class Written:
    """The file a command wrote, and any other file it had to touch (a linked incident)."""

    path: Path
    also: tuple[Path, ...] = ()


def parse_component_level(text: str, *, allow_operational: bool) -> tuple[str, str]:
    """Split `ID:LEVEL`, accepting hyphens for underscores (partial-outage) as people type them."""
    component, sep, level = text.partition(":")
    component, level = component.strip(), level.strip().replace("-", "_")
    allowed = [lvl.value for lvl in ImpactLevel] + ([OPERATIONAL] if allow_operational else [])
    if not sep or not component or not level:
        raise UsageError(
            f"--component wants ID:LEVEL such as api:partial_outage, got {text!r} "
            f"(levels: {', '.join(allowed)})"
        )
    if level not in allowed:
        close = difflib.get_close_matches(level, allowed, n=1)
        guess = f"; did you mean {close[0]}?" if close else ""
        raise UsageError(
            f"--component {text}: unknown level {level!r}{guess} (levels: {', '.join(allowed)})"
        )
    return component, level


def display_path(path: Path, cwd: Path) -> str:
    """The path as the user should type it from where they are (relative when possible)."""
    try:
        return Path(os.path.relpath(path, cwd)).as_posix()
    except ValueError:  # another drive on Windows
        return path.as_posix()


def guess(value: str, allowed: Sequence[str]) -> str:
    """A did-you-mean suffix for an error message, or nothing."""
    close = difflib.get_close_matches(value, list(allowed), n=1)
    return f"; did you mean {close[0]}?" if close else ""


def known_component(services: Services, component_id: str) -> str:
    """The id if services.yaml defines it, else a usage error suggesting one."""
    if services.component(component_id) is not None:
        return component_id
    ids = [c.id for c in services.components]
    close = difflib.get_close_matches(component_id, ids, n=1)
    guess = f"did you mean '{close[0]}'? " if close else ""
    raise UsageError(
        f"unknown component '{component_id}'; {guess}components in services.yaml: {', '.join(ids)}"
    )


def component_name(services: Services, component_id: str) -> str:
    """The name readers see for a component (the id if it is unknown)."""
    component = services.component(component_id)
    return component.name if component else component_id


def no_repeats(ids: Sequence[str]) -> None:
    """Refuse a component named twice in one command."""
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise UsageError(f"--component names {', '.join(repeated)} more than once")


def one_line(text: str, option: str) -> None:
    """Refuse an option value that is empty or spans lines."""
    if not text.strip() or "\n" in text or "\r" in text:
        raise UsageError(f"{option} must be one non-empty line")


def nonempty_message(text: str) -> None:
    """Refuse an empty message: it is what readers of the page see."""
    if not text.strip():
        raise UsageError("--message must not be empty: it is what readers of the page see")


def second(now: datetime) -> datetime:
    """Moments are written to the second."""
    return now.replace(microsecond=0)


def rel(path: Path, root: Path) -> str:
    """The repository-relative path, as findings name files."""
    return path.relative_to(root).as_posix()
