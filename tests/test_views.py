from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from statusledger.loading import load_ledger
from statusledger.records.models import ComponentStatus
from statusledger.views import build_view
from tests.helpers import RESOLVED_INCIDENT, make_repo

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)

OPEN_MAJOR = """\
title: Database unreachable
kind: incident
severity: sev1
category: outage
roles: {commander: SENTINEL-COMMANDER}
impact:
  - component: database
    level: major_outage
    from: 2026-11-21T11:00:00Z
updates:
  - at: 2026-11-21T11:05:00Z
    status: investigating
    message: The database is unreachable.
"""

INTERNAL = RESOLVED_INCIDENT.replace("kind: incident", "kind: incident\nvisibility: internal")


def _view(tmp_path: Path, files: dict[str, str]):  # type: ignore[no-untyped-def]
    root = make_repo(tmp_path, files)
    return build_view(load_ledger(root), NOW)


def test_open_major_outage_sets_overall_status(tmp_path: Path) -> None:
    view = _view(tmp_path, {"incidents/2026/2026-11-21-db.yaml": OPEN_MAJOR})
    assert view.overall is ComponentStatus.MAJOR_OUTAGE
    assert view.component("database").status is ComponentStatus.MAJOR_OUTAGE  # type: ignore[union-attr]
    assert view.component("api").status is ComponentStatus.OPERATIONAL  # type: ignore[union-attr]
    assert [i.id for i in view.open_incidents] == ["2026-11-21-db"]
    assert view.open_incidents[0].impact == "critical"
    assert len(view.component("database").days) == 90  # type: ignore[union-attr]
    assert view.component("database").days[-1].incident_ids == ("2026-11-21-db",)  # type: ignore[union-attr]


def test_internal_records_and_roles_are_not_in_the_view(tmp_path: Path) -> None:
    view = _view(
        tmp_path,
        {
            "incidents/2026/2026-11-21-db.yaml": OPEN_MAJOR,
            "incidents/2026/2026-11-20-internal.yaml": INTERNAL,
        },
    )
    assert [i.id for i in view.incidents] == ["2026-11-21-db"]
    assert "SENTINEL" not in repr(view)
    assert "2026-11-20-internal" not in repr(view)
    # Nor does its downtime show on the bars: a public figure comes from public records only.
    day = next(d for d in view.component("api").days if str(d.date) == "2026-11-20")  # type: ignore[union-attr]
    assert day.downtime_seconds == 0 and day.uptime == 100.0 and day.incident_ids == ()
    assert day.worst is None  # the bar colour does not reveal the internal incident


def test_messages_are_sanitised(tmp_path: Path) -> None:
    evil = OPEN_MAJOR.replace(
        "message: The database is unreachable.",
        "message: '<script>alert(1)</script><img src=x onerror=alert(1)> [x](javascript:alert(1))'",
    )
    view = _view(tmp_path, {"incidents/2026/2026-11-21-db.yaml": evil})
    html = view.incidents[0].updates[0].html
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html


def test_images_in_messages_load_nothing(tmp_path: Path) -> None:
    text = OPEN_MAJOR.replace(
        "message: The database is unreachable.",
        "message: 'See ![graph](https://cdn.example.net/graph.png) for details.'",
    )
    view = _view(tmp_path, {"incidents/2026/2026-11-21-db.yaml": text})
    html = view.incidents[0].updates[0].html
    assert "cdn.example.net" not in html and "<img" not in html
    assert "See" in html and "for details." in html
