"""`statusledger import cstate`: a cState site's systems and issues become valid records."""

from __future__ import annotations

import hashlib
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from statusledger.loading import load_ledger
from statusledger.validation import Context, validate
from statusledger.yamlfile import parse
from tests.helpers import make_repo, run_cli, write_tree

SITE = Path(__file__).parent / "fixtures" / "cstate"
NOW = datetime(2026, 11, 23, tzinfo=UTC)


def load(path: Path) -> Any:
    return parse(path.read_text(encoding="utf-8"))[0]


def tree(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def imported(repo: Path, site: Path = SITE) -> str:
    result = run_cli("import", "cstate", str(site), cwd=repo)
    assert result.code == 0, result.out + result.err
    return result.out


def assert_valid(root: Path) -> None:
    report = validate(load_ledger(root), Context(now=NOW))
    assert report.errors == [], [f"{f.path}:{f.line}: {f.message}" for f in report.errors]


def test_systems_and_categories_become_components_and_groups(tmp_path: Path) -> None:
    out = imported(tmp_path)

    services = load(tmp_path / "services.yaml")
    assert services["page"] == {
        "name": "Lumen Status",
        "url": "https://status.lumen.example",
        "description": "We continuously monitor the status of our services.",
    }
    assert services["groups"] == [
        {"id": "platform", "name": "Platform", "description": "Servers in the main region."}
    ]
    assert services["components"] == [
        {"id": "gateway", "name": "Gateway", "group": "platform"},
        {"id": "api", "name": "API", "group": "platform",
         "description": "The guts of the application."},
        {"id": "media-proxy", "name": "Media Proxy", "group": "platform",
         "description": "Serves images, audio and video through our CDN."},
        # its category is `untitled`, so it stands on its own
        {"id": "website", "name": "Website", "description": "The marketing site."},
    ]  # fmt: skip
    assert "records: 5 created, 0 updated, 0 unchanged" in out
    assert_valid(tmp_path)


def test_body_markers_and_track_shortcodes_become_the_update_timeline(tmp_path: Path) -> None:
    imported(tmp_path)

    record = load(tmp_path / "incidents/2025/2025-03-04-api-connection-errors.yaml")
    assert record["updates"] == [
        {"at": "2025-03-04T09:12:00Z", "status": "investigating",
         "message": "We are aware of connection errors on the API and are looking into it."},
        # an **Update** keeps the status of the update before it
        {"at": "2025-03-04T09:35:00Z", "status": "investigating",
         "message": "We are seeing about one in five requests fail with connection resets."},
        {"at": "2025-03-04T10:05:00Z", "status": "monitoring",
         "message": "A faulty load balancer node was taken out of rotation. "
                    "We are watching error rates."},
        {"at": "2025-03-04T10:40:00Z", "status": "resolved",
         "message": "Connections have been stable for thirty minutes."},
    ]  # fmt: skip
    assert record["severity"] == "sev3"  # disrupted
    assert record["impact"] == [
        {"component": "api", "level": "partial_outage",
         "from": "2025-03-04T09:12:00Z", "to": "2025-03-04T10:40:00Z"},
        {"component": "media-proxy", "level": "partial_outage",
         "from": "2025-03-04T09:12:00Z", "to": "2025-03-04T10:40:00Z"},
    ]  # fmt: skip
    assert record["timeline"]["mitigated"] == "2025-03-04T10:05:00Z"
    assert record["source"] == {
        "system": "cstate",
        "id": "2025-03-04-api-connection-errors",
        "url": "https://status.lumen.example/issues/2025-03-04-api-connection-errors/",
        "derived": ["severity", "category", "timeline", "impact"],
    }


def test_severity_down_is_a_major_outage_and_the_post_mortem_a_postmortem(tmp_path: Path) -> None:
    imported(tmp_path)

    record = load(tmp_path / "incidents/2025/2025-05-20-gateway-outage.yaml")
    assert record["severity"] == "sev2"
    assert record["impact"][0]["level"] == "major_outage"
    # the last entry is an *Update* at resolvedWhen: it is the resolution
    assert record["updates"][-1] == {
        "at": "2025-05-21T00:15:00Z",
        "status": "resolved",
        "message": "The new certificate is deployed and traffic is flowing again.",
    }
    assert "updates[2].status" in record["source"]["derived"]
    assert record["postmortem"] == "2025-05-20-gateway-outage"
    postmortem = (tmp_path / "postmortems/2025-05-20-gateway-outage.md").read_text()
    assert "status: published" in postmortem
    assert "summary: A certificate on the gateway expired at 22:00 UTC." in postmortem
    assert postmortem.rstrip().endswith("certificates that expire within 14 days.")
    assert "*Update*" not in postmortem


def test_notice_informational_and_unmarked_issues(tmp_path: Path) -> None:
    out = imported(tmp_path)

    slow = load(tmp_path / "incidents/2025/2025-06-02-slow-media-loading.yaml")
    assert slow["severity"] == "sev4"
    assert slow["impact"] == [
        {"component": "media-proxy", "level": "degraded_performance",
         "from": "2025-06-02T14:00:00Z", "to": "2025-06-02T15:30:00Z"},
    ]  # fmt: skip
    assert [(u["at"], u["status"]) for u in slow["updates"]] == [
        ("2025-06-02T14:00:00Z", "investigating"),
        ("2025-06-02T15:30:00Z", "resolved"),
    ]
    announcement = load(tmp_path / "incidents/2025/2025-07-10-maintenance-announcement.yaml")
    assert "impact" not in announcement
    assert announcement["severity"] == "sev4"
    assert [u["status"] for u in announcement["updates"]] == ["resolved"]
    ongoing = load(tmp_path / "incidents/2025/2025-08-01-website-errors.yaml")
    assert "to" not in ongoing["impact"][0]
    assert (
        ongoing["updates"][0]["message"] == "Just began: Some pages of the website return errors."
    )
    report = out[out.index("Could not map") :]
    assert "component 'Search': not defined; left out of 1 record(s)" in report
    assert "marker 'Just began'; kept in the message, status stays 'investigating'" in report
    assert "11 timestamp(s) in 4 file(s) have no offset; read in UTC" in report


def test_importing_twice_changes_nothing(tmp_path: Path) -> None:
    imported(tmp_path)
    before = tree(tmp_path)

    out = imported(tmp_path)

    assert "records: 0 created, 0 updated, 5 unchanged" in out
    assert tree(tmp_path) == before


def test_a_new_update_in_the_site_is_appended_on_the_next_import(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(SITE, site)
    repo = tmp_path / "repo"
    repo.mkdir()
    imported(repo, site)
    issue = site / "content/issues/2025-08-01-website-errors.md"
    text = issue.read_text(encoding="utf-8")
    text = text.replace("resolved: false", "resolved: true\nresolvedWhen: 2025-08-01 12:30:00")
    text = text.replace(
        "---\n\n*Just began*",
        '---\n\n*Resolved* - All pages load again. {{< track "2025-08-01 12:30:00" >}}\n\n'
        "*Just began*",
    )
    issue.write_text(text, encoding="utf-8")

    out = imported(repo, site)

    assert "records: 0 created, 1 updated, 4 unchanged" in out
    record = load(repo / "incidents/2025/2025-08-01-website-errors.yaml")
    assert record["updates"][-1] == {
        "at": "2025-08-01T12:30:00Z",
        "status": "resolved",
        "message": "All pages load again.",
    }
    assert record["impact"][0]["to"] == "2025-08-01T12:30:00Z"
    assert record["timeline"]["resolved"] == "2025-08-01T12:30:00Z"
    assert_valid(repo)


def test_times_without_offset_are_read_in_the_sites_time_zone(tmp_path: Path) -> None:
    site = write_tree(tmp_path / "site", {
        "config.yml": """\
            title: Zoned
            baseURL: https://status.zoned.example
            timeZone: Europe/Rome
            params:
              systems:
                - name: API
                  category: Main
              categories:
                - name: Main
            """,
        "content/issues/2025-01-10-late.md": """\
            ---
            title: Late night errors
            date: 2025-01-10 23:30:00
            resolved: true
            resolvedWhen: 2025-01-11 00:30:00
            severity: down
            affected: [API]
            section: issue
            ---

            *Investigating* - Errors everywhere. {{< track "2025-01-10 23:35:00" >}}
            """,
    })  # fmt: skip
    repo = tmp_path / "repo"
    repo.mkdir()

    imported(repo, site)

    # 23:30 in Rome is 22:30 UTC, still the 10th in the page's zone
    record = load(repo / "incidents/2025/2025-01-10-late-night-errors.yaml")
    assert record["impact"][0]["from"] == "2025-01-10T22:30:00Z"
    assert record["impact"][0]["to"] == "2025-01-10T23:30:00Z"
    assert load(repo / "services.yaml")["page"]["timezone"] == "Europe/Rome"
    assert_valid(repo)


def test_a_folder_that_is_not_a_cstate_site_is_refused(tmp_path: Path) -> None:
    make_repo(tmp_path)

    result = run_cli("import", "cstate", str(tmp_path), cwd=tmp_path)

    assert result.code == 1
    assert "no content/issues folder" in result.err
