"""Internal records change nothing public: status, bars, badges, API, feeds and calendar.

A build with an internal incident (an ongoing major outage) and an internal maintenance in
progress must be byte for byte the build without them; the internal commands still count them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import RESOLVED_INCIDENT, run_cli
from tests.site.support import build, site_repo

NOW = "2026-11-21T12:00:00Z"
PUBLIC = {"incidents/2026/2026-11-20-api-errors.yaml": RESOLVED_INCIDENT}
INTERNAL_OUTAGE = """\
title: Internal database failover SENTINEL
kind: incident
severity: sev1
category: outage
visibility: internal
impact:
  - component: web
    level: major_outage
    from: 2026-11-20T00:00:00Z
    to: 2026-11-20T12:00:00Z
  - component: database
    level: major_outage
    from: 2026-11-21T08:00:00Z
updates:
  - at: 2026-11-20T00:05:00Z
    status: investigating
    message: Internal only.
"""
INTERNAL_MAINTENANCE = """\
title: Internal patching SENTINEL
kind: maintenance
visibility: internal
window: {start: 2026-11-21T11:00:00Z, end: 2026-11-21T13:00:00Z}
components: [api]
updates:
  - at: 2026-11-21T11:00:00Z
    status: in_progress
    message: Patching.
"""


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    base = tmp_path_factory.mktemp("internal")
    without = site_repo(base / "without", PUBLIC)
    with_internal = site_repo(
        base / "with",
        {
            **PUBLIC,
            "incidents/2026/2026-11-20-internal-failover.yaml": INTERNAL_OUTAGE,
            "incidents/2026/2026-11-21-internal-patching.yaml": INTERNAL_MAINTENANCE,
        },
    )
    return (
        build(without, base / "public-without", NOW),
        build(with_internal, base / "public-with", NOW),
        with_internal,
    )


def test_every_published_byte_is_the_same_as_without_the_internal_records(
    builds: tuple[Path, Path, Path],
) -> None:
    without, with_internal, _ = builds
    before, after = files_of(without), files_of(with_internal)
    assert sorted(before) == sorted(after)
    assert [path for path in before if before[path] != after[path]] == []
    assert not any(b"SENTINEL" in content for content in after.values())


def test_the_public_figures_show_nothing_of_the_internal_impacts(
    builds: tuple[Path, Path, Path],
) -> None:
    _, public, _ = builds
    status = json.loads((public / "api/v2/status.json").read_bytes())
    assert status["status"]["indicator"] == "none"
    summary = json.loads((public / "api/v2/summary.json").read_bytes())
    assert {c["status"] for c in summary["components"]} == {"operational"}
    assert summary["scheduled_maintenances"] == []
    badge = json.loads((public / "badges/database.json").read_bytes())
    assert badge["message"].lower() in ("operational", "up")


def test_the_internal_commands_still_count_the_internal_impacts(
    builds: tuple[Path, Path, Path],
) -> None:
    _, _, root = builds
    result = run_cli(
        "--root", str(root), "uptime", "--component", "web",
        "--from", "2026-11-20", "--to", "2026-11-20", "--format", "json", "--now", NOW,
    )  # fmt: skip
    assert result.code == 0, result.err
    assert json.loads(result.out)["components"]["web"]["days"][0]["uptime"] == 50.0
    sla = run_cli(
        "--root", str(root), "sla", "--period", "2026-11", "--format", "json", "--now", NOW
    )  # fmt: skip
    assert sla.code == 0, sla.err
    database = next(c for c in json.loads(sla.out)["components"] if c["id"] == "database")
    assert database["downtime_seconds"] == 4 * 3600 and database["met"] is False
