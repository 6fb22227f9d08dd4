"""Roles and severity changes written by `assign` and `update --severity` never reach the site.

A real `statusledger build` of a tmp organisation whose incident was declared, escalated,
downgraded, assigned and resolved through the CLI; every file of the output (pages, feeds,
API JSON, calendar, badges) is searched for the internal values.
"""

from __future__ import annotations

from pathlib import Path

from tests.helpers import run_cli
from tests.site.support import build, site_repo

ID = "2026-11-22-checkout-errors"
# Values that appear nowhere but in the internal fields: the role holders, and the odd
# seconds of the severity changes.
INTERNAL = [b"SENTINEL-COMMANDER", b"SENTINEL-COMMS", b"severity_changes", b"10:07:13", b"10:31:47"]


def _run(root: Path, *args: str) -> None:
    result = run_cli(*args, cwd=root)
    assert result.code == 0, result.err


def test_roles_and_severity_changes_stay_out_of_every_published_file(tmp_path: Path) -> None:
    root = site_repo(tmp_path / "org")
    now = ("--now", "2026-11-22T11:00:00Z")
    _run(
        root,
        "new",
        "incident",
        "--title",
        "Checkout errors",
        "--severity",
        "sev3",
        "--component",
        "api:partial_outage",
        "--message",
        "PUBLIC-FIRST we are looking into it.",
        "--now",
        "2026-11-22T10:00:00Z",
    )
    _run(root, "update", ID, "--severity", "sev1", "--now", "2026-11-22T10:07:13Z")
    _run(root, "assign", ID, "--role", "commander", "--who", "SENTINEL-COMMANDER", *now)
    _run(root, "assign", ID, "--role", "communications", "--who", "SENTINEL-COMMS", *now)
    _run(root, "update", ID, "--severity", "sev2", "--at", "2026-11-22T10:31:47Z", *now)
    _run(root, "update", ID, "--status", "identified", "--message", "PUBLIC-SECOND a deploy.", *now)
    _run(root, "resolve", ID, "--message", "PUBLIC-THIRD fixed.", "--now", "2026-11-22T11:30:00Z")
    record = (root / f"incidents/2026/{ID}.yaml").read_bytes()
    assert all(value in record for value in INTERNAL)  # the test would notice a leak

    site = build(root, tmp_path / "public", now="2026-11-23T12:00:00Z")
    files = [p for p in site.rglob("*") if p.is_file()]
    kinds = {p.suffix for p in files}
    assert {".html", ".json", ".rss", ".atom", ".ics", ".svg"} <= kinds
    public = [p for p in files if b"PUBLIC-SECOND" in p.read_bytes()]
    names = {p.relative_to(site).as_posix() for p in public}
    assert f"incidents/{ID}/index.html" in names
    assert "history.rss" in names and "api/v2/incidents.json" in names
    for path in files:
        data = path.read_bytes()
        leaked = [value for value in INTERNAL if value in data]
        assert not leaked, (path.relative_to(site).as_posix(), leaked)
