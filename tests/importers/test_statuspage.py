"""`statusledger import statuspage`: Statuspage API v2 JSON in, valid records out, twice is once."""

from __future__ import annotations

import difflib
import hashlib
import json
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from statusledger.loading import load_ledger
from statusledger.validation import Context, validate
from statusledger.yamlfile import parse
from tests.helpers import MINIMAL_SERVICES, SHARED, make_repo, run_cli

FIXTURES = Path(__file__).parent / "fixtures" / "statuspage"
ACME = FIXTURES / "acme"
QUIRKS = FIXTURES / "quirks"
REAL = SHARED / "data" / "statuspage"
NOW = datetime(2026, 11, 23, tzinfo=UTC)


def load(path: Path) -> Any:
    """A YAML file as data, timestamps kept as the text written (as the record loader does)."""
    return parse(path.read_text(encoding="utf-8"))[0]


def tree(root: Path) -> dict[str, str]:
    """Every file under root with a hash of its bytes, to see whether anything changed."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def assert_valid(root: Path) -> None:
    report = validate(load_ledger(root), Context(now=NOW))
    assert report.errors == [], [f"{f.path}:{f.line}: {f.message}" for f in report.errors]


def imported(tmp_path: Path, *sources: Path) -> Path:
    result = run_cli("import", "statuspage", *map(str, sources), cwd=tmp_path)
    assert result.code == 0, result.out + result.err
    return tmp_path


def test_a_first_import_creates_services_yaml_from_the_page(tmp_path: Path) -> None:
    result = run_cli("import", "statuspage", str(ACME), cwd=tmp_path)

    assert result.code == 0, result.err
    services = load(tmp_path / "services.yaml")
    assert services["page"] == {
        "name": "Acme Cloud",
        "url": "https://status.acme.example",
        "timezone": "Europe/Berlin",
    }
    assert services["groups"] == [
        {"id": "core-platform", "name": "Core Platform", "description": "Compute and storage"}
    ]
    assert services["components"] == [
        {
            "id": "api",
            "name": "API",
            "group": "core-platform",
            "description": "REST API at api.acme.example",
            "since": "2023-05-01",
        },
        {"id": "database", "name": "Database", "group": "core-platform"},
        {"id": "web-app", "name": "Web App", "description": "The dashboard"},
        {"id": "legacy-export", "name": "Legacy Export", "only_show_if_degraded": True},
    ]
    assert "records: 6 created, 0 updated, 0 unchanged" in result.out
    assert "Could not map" not in result.out
    assert_valid(tmp_path)


def test_ids_are_the_start_day_in_the_page_time_zone_and_collisions_get_a_suffix(
    tmp_path: Path,
) -> None:
    imported(tmp_path, ACME)

    names = sorted(p.name for p in (tmp_path / "incidents" / "2026").iterdir())
    assert names == [
        "2026-03-01-elevated-api-errors-2.yaml",
        "2026-03-01-elevated-api-errors.yaml",
        # started 2026-04-10T22:30Z, which is already the 11th in Berlin
        "2026-04-11-slow-dashboard.yaml",
        "2026-05-10-database-upgrade.yaml",
        "2026-06-05-billing-emails-delayed.yaml",
        "2026-11-19-intermittent-login-failures.yaml",
    ]
    first = load(tmp_path / "incidents/2026/2026-03-01-elevated-api-errors.yaml")
    second = load(tmp_path / "incidents/2026/2026-03-01-elevated-api-errors-2.yaml")
    assert (first["source"]["id"], second["source"]["id"]) == ("inc000000001", "inc000000005")


def test_impact_is_replayed_from_the_component_moves_of_each_update(tmp_path: Path) -> None:
    imported(tmp_path, ACME)

    record = load(tmp_path / "incidents/2026/2026-03-01-elevated-api-errors.yaml")
    assert record["impact"] == [
        {"component": "api", "level": "partial_outage",
         "from": "2026-03-01T08:05:00Z", "to": "2026-03-01T08:40:30Z"},
        {"component": "api", "level": "major_outage",
         "from": "2026-03-01T08:40:30Z", "to": "2026-03-01T09:30:00Z"},
        {"component": "database", "level": "degraded_performance",
         "from": "2026-03-01T08:40:30Z", "to": "2026-03-01T09:30:00Z"},
        {"component": "api", "level": "degraded_performance",
         "from": "2026-03-01T09:30:00Z", "to": "2026-03-01T10:10:05Z"},
    ]  # fmt: skip
    assert record["timeline"] == {
        "started": "2026-03-01T08:02:11Z",
        "detected": "2026-03-01T08:05:00Z",
        "acknowledged": "2026-03-01T08:05:00Z",
        "mitigated": "2026-03-01T09:30:00Z",
        "resolved": "2026-03-01T10:10:05Z",
    }
    assert record["severity"] == "sev1"  # impact critical
    assert record["category"] == "outage"
    assert record["source"] == {
        "system": "statuspage",
        "id": "inc000000001",
        "url": "https://stspg.io/inc000000001",
        "derived": ["severity", "category", "timeline"],
    }
    assert [u["status"] for u in record["updates"]] == [
        "investigating", "identified", "monitoring", "resolved",
    ]  # fmt: skip
    # CRLF from the browser becomes LF; the paragraph break stays.
    assert record["updates"][2]["message"] == (
        "A fix has been deployed and error rates are dropping.\n\nSome requests may still be slow."
    )


def test_without_component_moves_the_incident_impact_covers_its_whole_duration(
    tmp_path: Path,
) -> None:
    imported(tmp_path, ACME)

    record = load(tmp_path / "incidents/2026/2026-04-11-slow-dashboard.yaml")
    assert record["impact"] == [
        {"component": "web-app", "level": "degraded_performance",
         "from": "2026-04-10T22:30:00Z", "to": "2026-04-11T00:15:00Z"},
    ]  # fmt: skip
    assert record["severity"] == "sev3"  # impact minor
    assert "impact" in record["source"]["derived"]
    informational = load(tmp_path / "incidents/2026/2026-06-05-billing-emails-delayed.yaml")
    assert "impact" not in informational
    assert informational["severity"] == "sev4"
    ongoing = load(tmp_path / "incidents/2026/2026-11-19-intermittent-login-failures.yaml")
    assert ongoing["impact"] == [
        {"component": "web-app", "level": "partial_outage", "from": "2026-11-19T07:03:00Z"}
    ]
    assert "resolved" not in ongoing["timeline"]


def test_a_postmortem_body_becomes_a_published_postmortem_linked_both_ways(
    tmp_path: Path,
) -> None:
    imported(tmp_path, ACME)

    text = (tmp_path / "postmortems/2026-04-11-slow-dashboard.md").read_text(encoding="utf-8")
    front, body = text.removeprefix("---\n").split("---\n", 1)
    assert load_yaml(front) == {
        "title": "Slow dashboard",
        "incidents": ["2026-04-11-slow-dashboard"],
        "status": "published",
        "date": "2026-04-14",
        "summary": "A slow database query made the dashboard load in 20 seconds for 1 in 10 users.",
    }
    assert body.strip().startswith("## Summary\n\nA slow database query")
    assert "* Query review before each release" in body
    record = load(tmp_path / "incidents/2026/2026-04-11-slow-dashboard.yaml")
    assert record["postmortem"] == "2026-04-11-slow-dashboard"


def load_yaml(text: str) -> Any:
    return parse(text)[0]


def test_scheduled_maintenance_keeps_its_window_components_and_updates(tmp_path: Path) -> None:
    imported(tmp_path, ACME)

    record = load(tmp_path / "incidents/2026/2026-05-10-database-upgrade.yaml")
    assert record["kind"] == "maintenance"
    assert record["window"] == {"start": "2026-05-10T00:00:00Z", "end": "2026-05-10T02:00:00Z"}
    assert record["components"] == ["database"]
    assert [(u["at"], u["status"]) for u in record["updates"]] == [
        ("2026-05-02T08:00:00Z", "scheduled"),
        ("2026-05-10T00:00:00Z", "in_progress"),
        ("2026-05-10T01:20:00Z", "verifying"),
        ("2026-05-10T01:40:00Z", "completed"),
    ]


def test_importing_twice_changes_nothing(tmp_path: Path) -> None:
    imported(tmp_path, ACME)
    before = tree(tmp_path)

    again = run_cli("import", "statuspage", str(ACME), cwd=tmp_path)

    assert again.code == 0
    assert "records: 0 created, 0 updated, 6 unchanged" in again.out
    assert "services.yaml: unchanged" in again.out
    assert tree(tmp_path) == before


def test_new_updates_at_the_source_are_appended_and_hand_edits_kept(tmp_path: Path) -> None:
    source = tmp_path / "source"
    shutil.copytree(ACME, source)
    repo = tmp_path / "repo"
    repo.mkdir()
    imported(repo, source)
    path = repo / "incidents/2026/2026-11-19-intermittent-login-failures.yaml"
    edited = "# Checked by the on-call engineer.\n" + path.read_text(encoding="utf-8")
    edited = edited.replace(
        "title: Intermittent login failures", "title: Sign-in failures  # clearer"
    )
    path.write_text(edited, encoding="utf-8")
    resolve_login_incident(source / "incidents.json")

    result = run_cli("import", "statuspage", str(source), cwd=repo)

    assert result.code == 0, result.err
    assert "records: 0 created, 1 updated, 5 unchanged" in result.out
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Checked by the on-call engineer.\n")
    assert "title: Sign-in failures  # clearer" in text
    record = load(path)
    assert [u["status"] for u in record["updates"]] == ["investigating", "resolved"]
    assert record["updates"][1] == {
        "at": "2026-11-19T08:10:00Z",
        "status": "resolved",
        "message": "Sign-in works again for everyone.",
    }
    assert record["impact"] == [
        {"component": "web-app", "level": "partial_outage",
         "from": "2026-11-19T07:03:00Z", "to": "2026-11-19T08:10:00Z"},
    ]  # fmt: skip
    assert record["timeline"]["resolved"] == "2026-11-19T08:10:00Z"
    assert_valid(repo)
    # and a third import finds nothing new
    before = tree(repo)
    assert run_cli("import", "statuspage", str(source), cwd=repo).code == 0
    assert tree(repo) == before


def resolve_login_incident(path: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    incident = next(i for i in data["incidents"] if i["id"] == "inc000000003")
    at = "2026-11-19T09:10:00.000+01:00"
    incident["status"] = "resolved"
    incident["resolved_at"] = at
    incident["incident_updates"].insert(0, {
        "id": "u3b", "status": "resolved", "body": "Sign-in works again for everyone.",
        "incident_id": "inc000000003", "created_at": at, "updated_at": at, "display_at": at,
        "affected_components": [{"code": "cmpweb000001", "name": "Web App",
                                 "old_status": "partial_outage", "new_status": "operational"}],
    })  # fmt: skip
    path.write_text(json.dumps(data), encoding="utf-8")


def test_existing_services_yaml_is_only_appended_to(tmp_path: Path) -> None:
    original = "# Our services, reviewed by the SRE team.\n" + MINIMAL_SERVICES.replace(
        "  - id: web\n", "  # the customer-facing app\n  - id: web\n"
    )
    make_repo(tmp_path, {"services.yaml": original})

    result = run_cli("import", "statuspage", str(ACME), cwd=tmp_path)

    assert result.code == 0, result.err
    text = (tmp_path / "services.yaml").read_text(encoding="utf-8")
    changes = difflib.SequenceMatcher(None, original.splitlines(), text.splitlines()).get_opcodes()
    assert {op for op, *_ in changes} == {"equal", "insert"}  # old lines untouched, comments too
    services = load(tmp_path / "services.yaml")
    ids = [c["id"] for c in services["components"]]
    # "Database" exists (same name) and is reused; "API" is not "Public API", so it is new,
    # and as "api" is taken its id gets its group's name.
    assert ids == ["api", "database", "web", "core-platform-api", "web-app", "legacy-export"]
    assert [g["id"] for g in services["groups"]] == ["core", "core-platform"]
    assert "services.yaml: extended (3 component(s), 1 group(s) added)" in result.out
    record = load(tmp_path / "incidents/2026/2026-03-01-elevated-api-errors.yaml")
    assert {i["component"] for i in record["impact"]} == {"core-platform-api", "database"}
    assert_valid(tmp_path)


def test_what_cannot_be_mapped_is_reported_and_the_rest_imported(tmp_path: Path) -> None:
    imported(tmp_path, ACME)

    result = run_cli("import", "statuspage", str(QUIRKS), cwd=tmp_path)

    assert result.code == 0, result.err
    assert "records: 1 created, 0 updated, 0 unchanged" in result.out
    report = result.out[result.out.index("Could not map") :]
    assert report.splitlines()[0] == "Could not map 6 item(s):"
    for expected in [
        "broken.json:2:11: not JSON: Expecting value",
        "status.json: no components, incidents or maintenance in it",
        "update at 2026-02-01 10:30 has status 'analyzing'; left out",
        "the resolved update at 2026-02-01 11:00 has no text; "
        "wrote 'This incident has been resolved.'",
        "component 'Ghost Service' (ghost0000001): not defined; left out of 1 record(s)",
        "maintenance mnt000000002 'Office move': the maintenance names no component",
    ]:
        assert expected in report
    record = load(tmp_path / "incidents/2026/2026-02-01-strange-statuses.yaml")
    assert record["updates"][-1]["message"] == "This incident has been resolved."
    assert "updates[1].message" in record["source"]["derived"]
    assert "impact" not in record
    assert_valid(tmp_path)


def test_nothing_importable_fails_without_writing(tmp_path: Path) -> None:
    make_repo(tmp_path)
    before = tree(tmp_path)

    result = run_cli("import", "statuspage", str(QUIRKS / "status.json"), cwd=tmp_path)

    assert result.code == 1
    assert "nothing could be imported" in result.err
    assert tree(tmp_path) == before


def test_without_services_yaml_or_components_it_says_what_to_add(tmp_path: Path) -> None:
    result = run_cli("import", "statuspage", str(QUIRKS / "incidents.json"), cwd=tmp_path)

    assert result.code == 1
    assert "defines no components; import components.json (or summary.json) as well" in result.err
    assert list(tmp_path.iterdir()) == []


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    result = run_cli("import", "statuspage", "--dry-run", str(ACME), cwd=tmp_path)

    assert result.code == 0
    assert "would write incidents/2026/2026-03-01-elevated-api-errors.yaml" in result.out
    assert list(tmp_path.iterdir()) == []


# --- the round trip: import, build, and our API says what Statuspage said ---------------------


def _moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text).replace(microsecond=0) if text else None


def _moves(update: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [
        (a["name"], a["old_status"], a["new_status"])
        for a in update["affected_components"] or []
        if a["old_status"] != a["new_status"]
    ]


def test_round_trip_through_our_statuspage_api(tmp_path: Path) -> None:
    try:
        from statusledger.render.api import render_api
        from statusledger.views import build_view
    except ImportError as err:  # pragma: no cover - the API renderer lands separately
        pytest.skip(f"statusledger.render.api is not available yet: {err}")
    imported(tmp_path, ACME)

    files = render_api(build_view(load_ledger(tmp_path), NOW))

    ours = json.loads(files["api/v2/incidents.json"])["incidents"]
    theirs = json.loads((ACME / "incidents.json").read_text(encoding="utf-8"))["incidents"]
    assert [(i["name"], i["impact"]) for i in ours] == [(i["name"], i["impact"]) for i in theirs]
    for mine, source in zip(ours, theirs, strict=True):
        expected_status = "resolved" if source["status"] == "postmortem" else source["status"]
        assert mine["status"] == expected_status
        for key in ("started_at", "resolved_at", "monitoring_at"):
            assert _moment(mine[key]) == _moment(source[key]), (source["name"], key)
        assert [
            (u["status"], _moment(u["display_at"]), u["body"]) for u in mine["incident_updates"]
        ] == [
            (u["status"], _moment(u["display_at"]), u["body"].replace("\r\n", "\n"))
            for u in source["incident_updates"]
        ]
        moves = [_moves(u) for u in source["incident_updates"]]
        if any(moves):  # where Statuspage recorded component moves, ours are the same
            assert [_moves(u) for u in mine["incident_updates"]] == moves


# --- real responses committed by third parties (skipped when /work/shared is absent) ----------

real = pytest.mark.skipif(not REAL.is_dir(), reason=f"{REAL} is not available")


@real
def test_real_statuspage_responses_import_validate_and_stay_put(tmp_path: Path) -> None:
    sources = [
        REAL / "discord-undoc",
        REAL / "slok-stactus",
        REAL / "amureki-statuscheck",
        REAL / "zsharpe-managerdashboard",
        REAL / "atc0005-check-statuspage" / "components" / "github-components.json",
    ]
    result = run_cli("import", "statuspage", *map(str, sources), cwd=tmp_path)

    assert result.code == 0, result.err
    assert_valid(tmp_path)
    ledger = load_ledger(tmp_path)
    by_source = {r.model.source.id: r.model for r in ledger.records if r.model.source}
    assert len(by_source) == 37
    github = by_source["69sb0f8lydp4"]  # GitHub, 2024-09-16: Actions and Pages
    assert [(i.component, i.level.value) for i in github.impact] == [  # type: ignore[union-attr]
        ("github-actions", "partial_outage"),
        ("github-pages", "partial_outage"),
        ("github-actions", "major_outage"),
        ("github-actions", "partial_outage"),
    ]
    assert "discord_scheduled-maintenances.json: maintenance chkt3cr0jf7b" in result.out
    before = tree(tmp_path)
    assert run_cli("import", "statuspage", *map(str, sources), cwd=tmp_path).code == 0
    assert tree(tmp_path) == before


def test_a_postmortem_published_later_is_added_and_linked(tmp_path: Path) -> None:
    source = tmp_path / "source"
    shutil.copytree(ACME, source)
    repo = tmp_path / "repo"
    repo.mkdir()
    imported(repo, source)
    data = json.loads((source / "incidents.json").read_text(encoding="utf-8"))
    incident = next(i for i in data["incidents"] if i["id"] == "inc000000004")
    incident["status"] = "postmortem"
    incident["postmortem_body"] = "A mail relay queue filled up. We doubled its size."
    incident["postmortem_published_at"] = "2026-06-08T09:00:00.000+02:00"
    (source / "incidents.json").write_text(json.dumps(data), encoding="utf-8")

    result = run_cli("import", "statuspage", str(source), cwd=repo)

    assert result.code == 0, result.err
    assert "wrote postmortems/2026-06-05-billing-emails-delayed.md" in result.out
    record = load(repo / "incidents/2026/2026-06-05-billing-emails-delayed.yaml")
    assert record["postmortem"] == "2026-06-05-billing-emails-delayed"
    assert_valid(repo)


def test_an_invalid_services_yaml_stops_the_import(tmp_path: Path) -> None:
    make_repo(tmp_path, {"services.yaml": MINIMAL_SERVICES.replace("name: Database", "nme: X")})
    before = tree(tmp_path)

    result = run_cli("import", "statuspage", str(ACME), cwd=tmp_path)

    assert result.code == 1
    assert "services.yaml:12:5: missing required key 'name' in components.1" in result.err
    assert tree(tmp_path) == before


def test_root_may_name_a_new_folder(tmp_path: Path) -> None:
    result = run_cli("--root", str(tmp_path / "new"), "import", "statuspage", str(ACME))

    assert result.code == 0, result.err
    assert (tmp_path / "new" / "services.yaml").is_file()
