"""Small record folders for the compute tests: real YAML files in tmp_path, loaded for real."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from statusledger.loading import Ledger, load_ledger
from tests.helpers import MINIMAL_SERVICES, make_repo

Impact = tuple[str, str, str, str | None]


def ts(text: str) -> datetime:
    """An aware UTC instant from '2026-11-10T10:00:00Z'."""
    return datetime.fromisoformat(text).astimezone(UTC)


def services(timezone: str = "UTC", extra: str = "", since: str | None = None) -> str:
    """MINIMAL_SERVICES in another zone, with `since` on api, and `extra` appended."""
    text = MINIMAL_SERVICES.replace("timezone: UTC", f"timezone: {timezone}")
    if since is not None:
        text = text.replace(
            "    depends_on: [database]\n", f"    depends_on: [database]\n    since: {since}\n"
        )
    return text + extra


def incident(
    *impacts: Impact,
    severity: str = "sev3",
    category: str = "outage",
    visibility: str = "public",
    timeline: dict[str, str] | None = None,
    updates: Sequence[tuple[str, str]] = (),
    postmortem: str | None = None,
) -> str:
    """An incident record; by default resolved by an update at the latest impact end."""
    lines = [
        "title: Something broke",
        "kind: incident",
        f"severity: {severity}",
        f"category: {category}",
        f"visibility: {visibility}",
    ]
    if impacts:
        lines.append("impact:")
    for component, level, start, end in impacts:
        lines += [f"  - component: {component}", f"    level: {level}", f"    from: {start}"]
        if end is not None:
            lines.append(f"    to: {end}")
    if timeline:
        lines.append("timeline:")
        lines += [f"  {name}: {value}" for name, value in timeline.items()]
    if not updates:
        ends = [end for *_, end in impacts if end is not None]
        open_ = any(end is None for *_, end in impacts)
        first = min(start for _, _, start, _ in impacts)
        updates = [(first, "investigating")] + ([] if open_ else [(max(ends), "resolved")])
    lines.append("updates:")
    for at, status in updates:
        lines += [f"  - at: {at}", f"    status: {status}", "    message: Something happened."]
    if postmortem:
        lines.append(f"postmortem: {postmortem}")
    return "\n".join(lines) + "\n"


def maintenance(
    components: Sequence[str],
    start: str,
    end: str,
    *,
    completed: str | None = None,
    cancelled: str | None = None,
    visibility: str = "public",
) -> str:
    """A maintenance record, completed or cancelled by an update when given."""
    lines = [
        "title: Planned work",
        "kind: maintenance",
        f"visibility: {visibility}",
        "window:",
        f"  start: {start}",
        f"  end: {end}",
        f"components: [{', '.join(components)}]",
        "updates:",
        "  - at: 2026-01-01T00:00:00Z",
        "    status: scheduled",
        "    message: Planned.",
    ]
    if completed:
        lines += [f"  - at: {completed}", "    status: completed", "    message: Done."]
    if cancelled:
        lines += [f"  - at: {cancelled}", "    status: cancelled", "    message: Not needed."]
    return "\n".join(lines) + "\n"


def repo(
    root: Path,
    records: dict[str, str],
    *,
    services_text: str = MINIMAL_SERVICES,
    postmortems: dict[str, str] | None = None,
) -> Path:
    """Write services.yaml, incidents/2026/<id>.yaml and postmortems/<id>.md under root."""
    files = {"services.yaml": services_text}
    files.update({f"incidents/2026/{rid}.yaml": text for rid, text in records.items()})
    files.update({f"postmortems/{pid}.md": text for pid, text in (postmortems or {}).items()})
    return make_repo(root, files)


def ledger(
    root: Path,
    records: dict[str, str],
    *,
    services_text: str = MINIMAL_SERVICES,
    postmortems: dict[str, str] | None = None,
) -> Ledger:
    """Write the folder and load it; every file must load."""
    repo(root, records, services_text=services_text, postmortems=postmortems)
    loaded = load_ledger(root)
    assert not loaded.findings, loaded.findings
    assert loaded.services is not None
    return loaded
