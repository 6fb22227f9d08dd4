"""Response metrics and every kind of policy breach, with hand-computed durations.

Policies (tests/helpers MINIMAL_SERVICES): sev1 ack 15m, resolve 4h, update 30m, postmortem 5d;
sev2 ack 30m, resolve 8h, update 1h, postmortem 10d; sev3 ack 4h, resolve 3d; sev4 ack 1d.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from statusledger.compute.breaches import Breach
from statusledger.compute.metrics import metrics_report, summarise
from statusledger.records.models import Category, SeverityLevel
from tests.compute.records import incident, ledger, maintenance, repo, services, ts
from tests.helpers import run_cli

NOW = "2026-11-23T12:00:00Z"


def postmortem(incident_id: str, day: str, status: str = "published", items: str = "") -> str:
    return f"""---
title: What happened
incidents: [{incident_id}]
status: {status}
date: {day}
summary: Something broke and we fixed it.
{items}---
## Summary
"""


def resolved(severity: str, started: str, resolved_at: str, **milestones: str) -> str:
    """A resolved incident on api whose impact spans started..resolved."""
    timeline = {"started": started, **milestones, "resolved": resolved_at}
    return incident(
        ("api", "major_outage", started, resolved_at),
        severity=severity,
        timeline=timeline,
        updates=[(started, "investigating"), (resolved_at, "resolved")],
    )


def breaches_of(
    tmp_path: Path, records: dict[str, str], postmortems: dict[str, str] | None = None
) -> list[Breach]:
    loaded = ledger(tmp_path, records, services_text=services(), postmortems=postmortems)
    assert loaded.services is not None
    report = metrics_report(
        loaded.services.model, loaded.records, loaded.postmortems, None, None, ts(NOW)
    )
    return report.breaches


def test_late_acknowledge_counts_from_detected(tmp_path: Path) -> None:
    # sev2: detected 10:05, acknowledged 10:45 -> 40 min = 2400 s > 30 min.
    found = breaches_of(
        tmp_path,
        {
            "a": resolved(
                "sev2",
                "2026-11-10T10:00:00Z",
                "2026-11-10T12:00:00Z",
                detected="2026-11-10T10:05:00Z",
                acknowledged="2026-11-10T10:45:00Z",
            )
        },
    )
    # And no postmortem 13 d after it was resolved (Nov 10 12:00 -> now Nov 23 12:00) > 10 d.
    assert found == [
        Breach("a", "late-acknowledge", SeverityLevel.SEV2, 1800.0, 2400.0),
        Breach("a", "missing-postmortem", SeverityLevel.SEV2, 864000.0, 13 * 86400.0),
    ]


def test_late_acknowledge_counts_from_started_without_detected(tmp_path: Path) -> None:
    # sev1: no detected; started 10:00, acknowledged 10:20 -> 1200 s > 900 s.
    found = breaches_of(
        tmp_path,
        {
            "a": resolved(
                "sev1",
                "2026-11-10T10:00:00Z",
                "2026-11-10T12:00:00Z",
                acknowledged="2026-11-10T10:20:00Z",
            )
        },
    )
    assert [(b.kind, b.allowed_seconds, b.actual_seconds) for b in found] == [
        ("late-acknowledge", 900.0, 1200.0),
        ("missing-postmortem", 5 * 86400.0, 13 * 86400.0),  # resolved Nov 10 12:00, now Nov 23
    ]


def test_acknowledged_in_time_is_no_breach(tmp_path: Path) -> None:
    found = breaches_of(
        tmp_path,
        {
            "a": resolved(
                "sev3",
                "2026-11-10T10:00:00Z",
                "2026-11-10T12:00:00Z",
                detected="2026-11-10T10:00:00Z",
                acknowledged="2026-11-10T14:00:00Z",
            )
        },
    )
    assert found == []  # exactly 4 h is allowed


def test_late_resolve(tmp_path: Path) -> None:
    # sev2: started 10:00, resolved 19:00 -> 9 h = 32400 s > 8 h.
    found = breaches_of(
        tmp_path,
        {
            "a": resolved(
                "sev2",
                "2026-11-01T10:00:00Z",
                "2026-11-01T19:00:00Z",
                acknowledged="2026-11-01T10:10:00Z",
            )
        },
        {"a": postmortem("a", "2026-11-05")},
    )
    assert found == [Breach("a", "late-resolve", SeverityLevel.SEV2, 28800.0, 32400.0)]


def test_an_open_incident_late_and_without_updates(tmp_path: Path) -> None:
    # sev1, open since 07:00 (acknowledged 07:05), last update 11:00; now 12:00:
    # resolve: 5 h = 18000 s > 4 h; update: 3600 s > 30 min.
    record = incident(
        ("api", "major_outage", "2026-11-23T07:00:00Z", None),
        severity="sev1",
        timeline={"started": "2026-11-23T07:00:00Z", "acknowledged": "2026-11-23T07:05:00Z"},
        updates=[("2026-11-23T07:10:00Z", "investigating"), ("2026-11-23T11:00:00Z", "identified")],
    )
    found = breaches_of(tmp_path, {"a": record})
    assert [(b.kind, b.allowed_seconds, b.actual_seconds) for b in found] == [
        ("late-resolve", 14400.0, 18000.0),
        ("stale-update", 1800.0, 3600.0),
    ]


def test_an_open_incident_not_yet_acknowledged(tmp_path: Path) -> None:
    # sev2, started 11:00, no acknowledged at now 12:00 -> 3600 s so far > 30 min.
    record = incident(
        ("api", "partial_outage", "2026-11-23T11:00:00Z", None),
        severity="sev2",
        updates=[("2026-11-23T11:30:00Z", "investigating")],
    )
    found = breaches_of(tmp_path, {"a": record})
    assert [(b.kind, b.actual_seconds) for b in found] == [("late-acknowledge", 3600.0)]


@pytest.mark.parametrize(
    ("status", "day", "expected"),
    [
        # sev2 resolved 2026-11-01T12:00Z; 10 d -> deadline 2026-11-11T12:00Z.
        ("published", "2026-11-11", []),  # on the deadline's day: in time
        # dated Nov 12: counted from the start of that day, 10 d 12 h = 907200 s.
        ("published", "2026-11-12", [("late-postmortem", 864000.0, 907200.0)]),
        # a draft is not a postmortem yet: missing, 22 d = 1900800 s since resolved.
        ("draft", "2026-11-05", [("missing-postmortem", 864000.0, 1900800.0)]),
    ],
)
def test_postmortem_missing_or_late(
    tmp_path: Path, status: str, day: str, expected: list[tuple[str, float, float]]
) -> None:
    found = breaches_of(
        tmp_path,
        {
            "a": resolved(
                "sev2",
                "2026-11-01T10:00:00Z",
                "2026-11-01T12:00:00Z",
                acknowledged="2026-11-01T10:10:00Z",
            )
        },
        {"pm": postmortem("a", day, status)},
    )
    assert [(b.kind, b.allowed_seconds, b.actual_seconds) for b in found] == expected


def test_overdue_action_items(tmp_path: Path) -> None:
    # AI-1 due 2026-11-20, still open; now 2026-11-23T12:00Z -> 2 d 12 h past the due day's
    # end (2026-11-21T00:00Z) = 216000 s. AI-2 is done, AI-3 is due in the future.
    items = """action_items:
  - {id: AI-1, title: Fix it, type: prevent, due: 2026-11-20, status: open}
  - {id: AI-2, title: Fix more, type: prevent, due: 2026-11-01, status: done}
  - {id: AI-3, title: Fix later, type: detect, due: 2026-12-20}
"""
    found = breaches_of(
        tmp_path,
        {
            "a": resolved(
                "sev3",
                "2026-11-01T10:00:00Z",
                "2026-11-01T12:00:00Z",
                acknowledged="2026-11-01T10:10:00Z",
            )
        },
        {"pm": postmortem("a", "2026-11-03", items=items)},
    )
    assert [
        (b.kind, b.postmortem, b.action_item, b.allowed_seconds, b.actual_seconds) for b in found
    ] == [("overdue-action-item", "pm", "AI-1", None, 216000.0)]


def test_summary_statistics() -> None:
    # 1..10 s: mean 5.5, median 5.5, p90 by nearest rank = the 9th value = 9 s.
    stats = summarise([n * 1_000_000 for n in range(1, 11)], missing=2)
    assert (stats.count, stats.missing, stats.mean, stats.median, stats.p90) == (
        10,
        2,
        5.5,
        5.5,
        9.0,
    )
    # 3 values: median the middle one; p90 rank ceil(2.7) = 3 -> the largest.
    stats = summarise([60_000_000, 10_000_000, 20_000_000], missing=0)
    assert (stats.mean, stats.median, stats.p90) == (30.0, 20.0, 60.0)
    assert summarise([], missing=1).mean is None


def test_metrics_json(tmp_path: Path) -> None:
    # a: sev2 outage on api+database: TTD 5m, TTA 10m, TTM 40m, TTR 60m.
    # b: sev3 outage on api without milestones but its impact (started falls back to it):
    #    TTD/TTA/TTM missing, TTR from impact start 10:00 to resolved update 12:00 = 2 h.
    # c: outside the range (October). m: maintenance never counts.
    a = incident(
        ("api", "major_outage", "2026-11-05T10:00:00Z", "2026-11-05T11:00:00Z"),
        ("database", "partial_outage", "2026-11-05T10:00:00Z", "2026-11-05T10:30:00Z"),
        severity="sev2",
        timeline={
            "started": "2026-11-05T10:00:00Z",
            "detected": "2026-11-05T10:05:00Z",
            "acknowledged": "2026-11-05T10:15:00Z",
            "mitigated": "2026-11-05T10:40:00Z",
            "resolved": "2026-11-05T11:00:00Z",
        },
    )
    b = incident(("api", "partial_outage", "2026-11-07T10:00:00Z", "2026-11-07T12:00:00Z"))
    c = incident(("api", "partial_outage", "2026-10-07T10:00:00Z", "2026-10-07T12:00:00Z"))
    m = maintenance(["api"], "2026-11-08T10:00:00Z", "2026-11-08T11:00:00Z")
    repo(
        tmp_path,
        {"a": a, "b": b, "c": c, "m": m},
        services_text=services(),
        postmortems={"a": postmortem("a", "2026-11-06")},
    )
    result = run_cli(
        "metrics",
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-30",
        "--format",
        "json",
        "--now",
        NOW,
        cwd=tmp_path,
    )
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert list(data) == ["range", "incidents", "counts", "response", "recurrence", "breaches"]
    assert data["range"] == {"from": "2026-11-01T00:00:00Z", "to": "2026-12-01T00:00:00Z"}
    assert data["incidents"] == 2
    assert data["counts"]["severity"] == {"sev1": 0, "sev2": 1, "sev3": 1, "sev4": 0}
    assert data["counts"]["category"]["outage"] == 2
    assert list(data["counts"]["category"]) == [c.value for c in Category]
    overall = data["response"]["overall"]
    assert overall["incidents"] == 2
    assert overall["ttd"] == {
        "count": 1,
        "missing": 1,
        "mean": 300.0,
        "median": 300.0,
        "p90": 300.0,
    }
    assert overall["ttr"] == {
        "count": 2,
        "missing": 0,
        "mean": 5400.0,
        "median": 5400.0,
        "p90": 7200.0,
    }
    assert data["response"]["severity"]["sev2"]["tta"]["mean"] == 600.0
    assert data["response"]["severity"]["sev1"]["incidents"] == 0
    assert data["response"]["component"]["api"]["incidents"] == 2
    assert data["response"]["component"]["database"]["ttm"]["mean"] == 2400.0
    assert data["response"]["component"]["web"]["incidents"] == 0
    assert data["recurrence"] == [
        {"component": "api", "category": "outage", "count": 2, "incidents": ["a", "b"]}
    ]
    assert data["breaches"] == []


def test_metrics_text_lists_breaches(tmp_path: Path) -> None:
    repo(
        tmp_path,
        {
            "a": resolved(
                "sev2",
                "2026-11-01T10:00:00Z",
                "2026-11-01T19:00:00Z",
                acknowledged="2026-11-01T10:10:00Z",
            )
        },
        services_text=services(),
        postmortems={"a": postmortem("a", "2026-11-05")},
    )
    result = run_cli("metrics", "--now", NOW, cwd=tmp_path)
    assert result.code == 0, result.err
    assert "1 incident from the first record to now" in result.out
    assert "a         sev2      late-resolve  8h       9h" in result.out


def test_metrics_bad_day_is_a_usage_error(tmp_path: Path) -> None:
    repo(tmp_path, {}, services_text=services())
    result = run_cli("metrics", "--from", "yesterday", cwd=tmp_path)
    assert result.code == 2
    assert "--from: expected a day written as YYYY-MM-DD" in result.err


@pytest.mark.parametrize(
    ("visibility", "expected"), [("internal", []), ("public", ["missing-postmortem"])]
)
def test_a_postmortem_in_review_is_enough_for_an_internal_incident(
    tmp_path: Path, visibility: str, expected: list[str]
) -> None:
    # As policy/postmortem-missing: publishing it would reveal an internal incident.
    record = incident(
        ("api", "major_outage", "2026-11-01T10:00:00Z", "2026-11-01T11:00:00Z"),
        severity="sev1",
        visibility=visibility,
        timeline={
            "started": "2026-11-01T10:00:00Z",
            "acknowledged": "2026-11-01T10:05:00Z",
            "resolved": "2026-11-01T11:00:00Z",
        },
    )
    found = breaches_of(tmp_path, {"a": record}, {"pm": postmortem("a", "2026-11-03", "in_review")})
    assert [b.kind for b in found] == expected
