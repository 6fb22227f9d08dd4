"""new, update and resolve through the CLI: the files they write and what they print."""

from __future__ import annotations

from pathlib import Path

import pytest

from statusledger.loading import load_ledger
from statusledger.records.models import Incident, Maintenance
from tests.helpers import MINIMAL_SERVICES, make_repo, run_cli

INCIDENT_ID = "2026-11-23-checkout-errors"
INCIDENT_PATH = f"incidents/2026/{INCIDENT_ID}.yaml"


def _ok(root: Path, *args: str) -> str:
    result = run_cli(*args, cwd=root)
    assert result.code == 0, result.err
    assert result.err == ""
    return result.out


def test_incident_round_trip_writes_the_expected_files(tmp_path: Path) -> None:
    root = make_repo(tmp_path)
    out = _ok(
        root,
        "new",
        "incident",
        "--title",
        "Checkout errors",
        "--severity",
        "sev2",
        "--component",
        "api:partial_outage",
        "--component",
        "web:degraded_performance",
        "--now",
        "2026-11-23T10:00:00Z",
    )
    assert out == INCIDENT_PATH + "\n"
    assert (
        (root / INCIDENT_PATH).read_text()
        == """\
# yaml-language-server: $schema=../../site/schemas/incident.schema.json
title: Checkout errors
kind: incident
severity: sev2
category: outage
visibility: public
impact:
  - component: api
    level: partial_outage
    from: 2026-11-23T10:00:00Z
  - component: web
    level: degraded_performance
    from: 2026-11-23T10:00:00Z
timeline:
  started: 2026-11-23T10:00:00Z
  detected: 2026-11-23T10:00:00Z
updates:
  - at: 2026-11-23T10:00:00Z
    status: investigating
    message: >-
      We are investigating problems with Public API and Web app. We will post an
      update as soon as we know more.
"""
    )
    assert (
        _ok(
            root,
            "update",
            INCIDENT_ID,
            "--status",
            "identified",
            "--message",
            "A bad deploy: rolling back.",
            "--component",
            "api:major_outage",
            "--now",
            "2026-11-23T10:20:00Z",
        )
        == INCIDENT_PATH + "\n"
    )
    _ok(
        root,
        "update",
        INCIDENT_ID,
        "--status",
        "monitoring",
        "--message",
        "Rolled back.",
        "--component",
        "web:operational",
        "--now",
        "2026-11-23T10:45:00Z",
    )
    _ok(
        root,
        "resolve",
        INCIDENT_ID,
        "--message",
        "Checkout works again.",
        "--now",
        "2026-11-23T11:30:00Z",
    )
    assert (
        (root / INCIDENT_PATH).read_text()
        == """\
# yaml-language-server: $schema=../../site/schemas/incident.schema.json
title: Checkout errors
kind: incident
severity: sev2
category: outage
visibility: public
impact:
  - component: api
    level: partial_outage
    from: 2026-11-23T10:00:00Z
    to: 2026-11-23T10:20:00Z
  - component: web
    level: degraded_performance
    from: 2026-11-23T10:00:00Z
    to: 2026-11-23T10:45:00Z
  - component: api
    level: major_outage
    from: 2026-11-23T10:20:00Z
    to: 2026-11-23T11:30:00Z
timeline:
  started: 2026-11-23T10:00:00Z
  detected: 2026-11-23T10:00:00Z
  acknowledged: 2026-11-23T10:20:00Z
  mitigated: 2026-11-23T10:45:00Z
  resolved: 2026-11-23T11:30:00Z
updates:
  - at: 2026-11-23T10:00:00Z
    status: investigating
    message: >-
      We are investigating problems with Public API and Web app. We will post an
      update as soon as we know more.
  - at: 2026-11-23T10:20:00Z
    status: identified
    message: "A bad deploy: rolling back."
  - at: 2026-11-23T10:45:00Z
    status: monitoring
    message: Rolled back.
  - at: 2026-11-23T11:30:00Z
    status: resolved
    message: Checkout works again.
"""
    )
    assert run_cli("validate", "--now", "2026-11-23T12:00:00Z", cwd=root).code == 0


def test_maintenance_round_trip(tmp_path: Path) -> None:
    root = make_repo(tmp_path)
    out = _ok(
        root,
        "new",
        "maintenance",
        "--title",
        "Database upgrade",
        "--start",
        "2026-12-01T02:00:00Z",
        "--end",
        "2026-12-01T04:00:00+00:00",
        "--component",
        "database",
        "--component",
        "api",
        "--now",
        "2026-11-23T09:00:00Z",
    )
    path = "incidents/2026/2026-12-01-database-upgrade.yaml"
    assert out == path + "\n"
    assert (
        (root / path).read_text()
        == """\
# yaml-language-server: $schema=../../site/schemas/incident.schema.json
title: Database upgrade
kind: maintenance
visibility: public
window:
  start: 2026-12-01T02:00:00Z
  end: 2026-12-01T04:00:00Z
components: [database, api]
updates:
  - at: 2026-11-23T09:00:00Z
    status: scheduled
    message: >-
      We will carry out maintenance on Database and Public API between
      2026-12-01 02:00 and 04:00 UTC.
"""
    )
    _ok(
        root,
        "update",
        "2026-12-01-database-upgrade",
        "--status",
        "in_progress",
        "--message",
        "Started.",
        "--now",
        "2026-12-01T02:00:00Z",
    )
    _ok(
        root,
        "resolve",
        "2026-12-01-database-upgrade",
        "--message",
        "Done.",
        "--now",
        "2026-12-01T03:10:00Z",
    )
    text = (root / path).read_text()
    assert text.endswith("""\
  - at: 2026-12-01T02:00:00Z
    status: in_progress
    message: Started.
  - at: 2026-12-01T03:10:00Z
    status: completed
    message: Done.
""")
    assert run_cli("validate", "--now", "2026-12-01T04:00:00Z", cwd=root).code == 0


def test_new_postmortem_links_both_ways_and_validates(tmp_path: Path) -> None:
    root = make_repo(tmp_path)
    _ok(
        root,
        "new",
        "incident",
        "--title",
        "Checkout errors",
        "--severity",
        "sev1",
        "--component",
        "api:major_outage",
        "--now",
        "2026-11-23T10:00:00Z",
    )
    _ok(root, "resolve", INCIDENT_ID, "--message", "Fixed.", "--now", "2026-11-23T11:00:00Z")
    before = (root / INCIDENT_PATH).read_text()
    result = run_cli("new", "postmortem", INCIDENT_ID, "--now", "2026-11-24T09:00:00Z", cwd=root)
    assert result.code == 0
    assert result.out == f"postmortems/{INCIDENT_ID}.md\n"
    assert result.err == f"linked from {INCIDENT_PATH}\n"
    assert (root / INCIDENT_PATH).read_text() == before + f"postmortem: {INCIDENT_ID}\n"
    text = (root / "postmortems" / f"{INCIDENT_ID}.md").read_text()
    assert text.startswith(f"""\
---
title: Checkout errors
incidents: [{INCIDENT_ID}]
status: draft """)
    assert "\ndate: 2026-11-24\n" in text
    assert "\nsummary: Write a one-paragraph summary.\n" in text
    assert "\naction_items: []\n" in text
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == [
        "## Summary",
        "## Impact",
        "## Root causes",
        "## Trigger",
        "## Resolution",
        "## Detection",
        "## What went well",
        "## What went wrong",
        "## Where we got lucky",
        "## Timeline",
    ]
    assert "- Public API: major outage from 2026-11-23 10:00 UTC to 2026-11-23 11:00 UTC" in text
    assert "- 2026-11-23 11:00 UTC: update (resolved): Fixed." in text
    ledger = load_ledger(root)
    postmortem = ledger.postmortem(INCIDENT_ID)
    assert postmortem is not None and postmortem.model.incidents == [INCIDENT_ID]
    assert run_cli("validate", "--now", "2026-11-24T09:00:00Z", cwd=root).code == 0


def test_new_incident_defaults_and_options(tmp_path: Path) -> None:
    root = make_repo(tmp_path)
    _ok(
        root,
        "new",
        "incident",
        "--title",
        "Slow dashboard",
        "--severity",
        "sev4",
        "--component",
        "web:degraded-performance",
        "--status",
        "identified",
        "--internal",
        "--message",
        "Known cause.",
        "--now",
        "2026-11-23T10:00:00Z",
    )
    record = load_ledger(root).record("2026-11-23-slow-dashboard")
    assert record is not None and isinstance(record.model, Incident)
    model = record.model
    assert model.category.value == "degradation"  # no major or partial outage
    assert model.visibility.value == "internal"
    assert model.timeline.acknowledged is not None  # identified implies acknowledged
    assert model.timeline.mitigated is None
    assert model.updates[0].message == "Known cause."
    _ok(
        root,
        "new",
        "incident",
        "--title",
        "Informational notice",
        "--severity",
        "sev4",
        "--category",
        "third-party",
        "--now",
        "2026-11-23T10:00:00Z",
    )
    info = load_ledger(root).record("2026-11-23-informational-notice")
    assert info is not None and isinstance(info.model, Incident)
    assert info.model.impact == [] and info.model.category.value == "third-party"


@pytest.mark.parametrize(
    "title, expected",
    [
        (
            "Checkout errors",
            [
                "2026-11-23-checkout-errors",
                "2026-11-23-checkout-errors-2",
                "2026-11-23-checkout-errors-3",
            ],
        ),
        (
            "Über-Störung: Zahlungen!!",
            [
                "2026-11-23-uber-storung-zahlungen",
                "2026-11-23-uber-storung-zahlungen-2",
                "2026-11-23-uber-storung-zahlungen-3",
            ],
        ),
        ("障害", ["2026-11-23-incident", "2026-11-23-incident-2", "2026-11-23-incident-3"]),
    ],
)
def test_slugs_and_collisions(tmp_path: Path, title: str, expected: list[str]) -> None:
    root = make_repo(tmp_path)
    outs = [
        _ok(
            root,
            "new",
            "incident",
            "--title",
            title,
            "--severity",
            "sev3",
            "--now",
            "2026-11-23T10:00:00Z",
        )
        for _ in expected
    ]
    assert outs == [f"incidents/2026/{i}.yaml\n" for i in expected]
    assert run_cli("validate", "--now", "2026-11-23T10:00:00Z", cwd=root).code == 0


def test_collision_counts_ids_in_every_year_folder(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {"incidents/2025/2026-11-23-outage.yaml": "x: 1\n"})
    out = _ok(
        root,
        "new",
        "incident",
        "--title",
        "Outage",
        "--severity",
        "sev3",
        "--now",
        "2026-11-23T10:00:00Z",
    )
    assert out == "incidents/2026/2026-11-23-outage-2.yaml\n"


def test_long_titles_make_short_slugs(tmp_path: Path) -> None:
    root = make_repo(tmp_path)
    out = _ok(
        root,
        "new",
        "incident",
        "--title",
        "word " * 40,
        "--severity",
        "sev3",
        "--now",
        "2026-11-23T10:00:00Z",
    )
    stem = Path(out.strip()).stem
    assert stem.startswith("2026-11-23-word-word") and len(stem) <= 11 + 60
    assert not stem.endswith("-")


def test_the_day_is_cut_in_the_page_time_zone(tmp_path: Path) -> None:
    root = make_repo(
        tmp_path,
        {"services.yaml": MINIMAL_SERVICES.replace("timezone: UTC", "timezone: Pacific/Auckland")},
    )
    out = _ok(
        root,
        "new",
        "incident",
        "--title",
        "New year",
        "--severity",
        "sev3",
        "--now",
        "2025-12-31T12:30:00Z",
    )
    assert out == "incidents/2026/2026-01-01-new-year.yaml\n"
    out = _ok(
        root,
        "new",
        "maintenance",
        "--title",
        "Patch",
        "--component",
        "api",
        "--start",
        "2026-01-05T20:00:00Z",
        "--end",
        "2026-01-05T21:00:00Z",
        "--now",
        "2025-12-31T12:30:00Z",
    )
    assert out == "incidents/2026/2026-01-06-patch.yaml\n"  # the window's day in Auckland
    record = load_ledger(root).record("2026-01-06-patch")
    assert record is not None and isinstance(record.model, Maintenance)
    assert record.model.updates[0].message == (
        "We will carry out maintenance on Public API between 2026-01-06 09:00 and 10:00 NZDT."
    )


def test_printed_path_is_relative_to_the_current_folder(tmp_path: Path) -> None:
    root = make_repo(tmp_path)
    (root / "docs").mkdir()
    result = run_cli(
        "new",
        "incident",
        "--title",
        "Down",
        "--severity",
        "sev1",
        "--component",
        "api:major_outage",
        "--now",
        "2026-11-23T10:00:00Z",
        cwd=root / "docs",
    )
    assert result.out == "../incidents/2026/2026-11-23-down.yaml\n"
    result = run_cli(
        "--root",
        str(root),
        "resolve",
        "2026-11-23-down",
        "--message",
        "Up.",
        "--now",
        "2026-11-23T11:00:00Z",
        cwd=root,
    )
    assert result.out == "incidents/2026/2026-11-23-down.yaml\n"


def test_update_with_resolved_status_resolves(tmp_path: Path) -> None:
    root = make_repo(tmp_path)
    _ok(
        root,
        "new",
        "incident",
        "--title",
        "Down",
        "--severity",
        "sev3",
        "--component",
        "api:major_outage",
        "--now",
        "2026-11-23T10:00:00Z",
    )
    _ok(
        root,
        "update",
        "2026-11-23-down",
        "--status",
        "resolved",
        "--message",
        "Up.",
        "--now",
        "2026-11-23T11:00:00Z",
    )
    record = load_ledger(root).record("2026-11-23-down")
    assert record is not None and isinstance(record.model, Incident)
    assert record.model.impact[0].to is not None and record.model.timeline.resolved is not None


def test_source_date_epoch_fixes_now(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_repo(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795428000")  # 2026-11-23T10:00:00Z
    out = _ok(root, "new", "incident", "--title", "Down", "--severity", "sev3")
    assert "  - at: 2026-11-23T10:00:00Z\n" in (root / out.strip()).read_text()


def test_update_by_path_and_component_changes(tmp_path: Path) -> None:
    root = make_repo(tmp_path)
    _ok(
        root,
        "new",
        "incident",
        "--title",
        "Down",
        "--severity",
        "sev3",
        "--component",
        "api:degraded_performance",
        "--now",
        "2026-11-23T10:00:00Z",
    )
    # Same level again: nothing to change in the impacts, only the update is added.
    _ok(
        root,
        "update",
        "incidents/2026/2026-11-23-down.yaml",
        "--status",
        "investigating",
        "--message",
        "Still looking.",
        "--component",
        "api:degraded_performance",
        "--component",
        "database:partial_outage",
        "--now",
        "2026-11-23T10:10:00Z",
    )
    record = load_ledger(root).record("2026-11-23-down")
    assert record is not None and isinstance(record.model, Incident)
    assert [(i.component, i.level.value, i.to) for i in record.model.impact] == [
        ("api", "degraded_performance", None),
        ("database", "partial_outage", None),
    ]
