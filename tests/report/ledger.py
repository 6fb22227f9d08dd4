"""A ledger whose every report figure can be counted by hand (see the comments).

Window 2026-09-01..2026-11-30, now 2026-11-25T00:00Z, services of tests/helpers.py (UTC; api and
database under the 99.9 % "standard" SLA, web without one).
"""

from __future__ import annotations

from pathlib import Path

from tests.compute.records import incident, repo

NOW = "2026-11-25T00:00:00Z"
WINDOW = ("--from", "2026-09-01", "--to", "2026-11-30")
SENTINEL = "SENTINEL-COMMANDER"


def _timeline(day: str, **times: str) -> dict[str, str]:
    return {name: f"{day}T{at}:00Z" for name, at in times.items()}


RECORDS = {
    # Before the window: not counted, but A recurs 13 days after it.
    "2026-08-28-z": incident(
        ("api", "degraded_performance", "2026-08-28T10:00:00Z", "2026-08-28T10:30:00Z"),
        severity="sev4",
        timeline=_timeline("2026-08-28", started="10:00", resolved="10:30"),
    ),
    # sev1 outage, api major 1 h; detect 5 m, acknowledge 5 m, resolve 1 h; postmortem on time.
    "2026-09-10-a": incident(
        ("api", "major_outage", "2026-09-10T10:00:00Z", "2026-09-10T11:00:00Z"),
        severity="sev1",
        timeline=_timeline(
            "2026-09-10", started="10:00", detected="10:05", acknowledged="10:10",
            mitigated="10:40", resolved="11:00",
        ),
        postmortem="pm-a",
    ),
    # sev2 outage, api partial 2 h (0.3 -> 36 min); acknowledged 50 m after detection (> 30 m);
    # no postmortem 2 months later (> 10 d): late-acknowledge and missing-postmortem.
    "2026-09-25-b": incident(
        ("api", "partial_outage", "2026-09-25T00:00:00Z", "2026-09-25T02:00:00Z"),
        severity="sev2",
        timeline=_timeline(
            "2026-09-25", started="00:00", detected="00:10", acknowledged="01:00",
            resolved="02:00",
        ),
    ),
    # Internal sev3 network incident on database, degraded (weight 0): no downtime.
    "2026-10-05-c": incident(
        ("database", "degraded_performance", "2026-10-05T12:00:00Z", "2026-10-05T13:00:00Z"),
        severity="sev3",
        category="network",
        visibility="internal",
        timeline=_timeline("2026-10-05", started="12:00", resolved="13:00"),
    )
    + f"roles:\n  commander: {SENTINEL}\n",
    # sev2 outage, api major 1 h; postmortem dated 21 days later (> 10 d): late-postmortem;
    # its action item AI-2 was due 2026-11-20: overdue-action-item.
    "2026-10-20-d": incident(
        ("api", "major_outage", "2026-10-20T08:00:00Z", "2026-10-20T09:00:00Z"),
        severity="sev2",
        timeline=_timeline(
            "2026-10-20", started="08:00", detected="08:05", acknowledged="08:15",
            resolved="09:00",
        ),
        postmortem="pm-d",
    ),
    # sev1 bug, web partial 1 h (web has no SLA; default weight 0.3 -> 18 min); resolved
    # 2026-11-20T01:00, postmortem due 5 d later, after now: pending.
    "2026-11-20-e": incident(
        ("web", "partial_outage", "2026-11-20T00:00:00Z", "2026-11-20T01:00:00Z"),
        severity="sev1",
        category="bug",
        timeline=_timeline(
            "2026-11-20", started="00:00", detected="00:02", acknowledged="00:05",
            resolved="01:00",
        ),
    ),
}  # fmt: skip


def _postmortem(incident_id: str, day: str, causes: str, items: str) -> str:
    return (
        f"---\ntitle: What happened\nincidents: [{incident_id}]\nstatus: published\n"
        f"date: {day}\nauthors: [alice]\nsummary: Something broke.\n"
        f"root_causes: [{causes}]\ndetection: alert\naction_items:\n{items}---\n## Summary\n"
    )


def _item(number: int, status: str, due: str) -> str:
    return (
        f"  - id: AI-{number}\n    title: Fix it\n    type: prevent\n    owner: bob\n"
        f"    due: {due}\n    status: {status}\n"
    )


POSTMORTEMS = {
    "pm-a": _postmortem("2026-09-10-a", "2026-09-12", "deploy", _item(1, "done", "2026-09-30")),
    "pm-d": _postmortem(
        "2026-10-20-d",
        "2026-11-10",
        "deploy, config-change",
        _item(1, "done", "2026-11-15") + _item(2, "open", "2026-11-20")
        + _item(3, "in_progress", "2026-12-31"),
    ),
}  # fmt: skip


def write(root: Path, services_text: str | None = None) -> Path:
    """The ledger above in root."""
    if services_text is None:
        return repo(root, RECORDS, postmortems=POSTMORTEMS)
    return repo(root, RECORDS, postmortems=POSTMORTEMS, services_text=services_text)
