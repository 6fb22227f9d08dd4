"""542 real incidents from three Statuspage pages (ICPE'25 data) import cleanly and validate."""

from __future__ import annotations

import csv
import json
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from statusledger.importers.drafts import clean_text
from statusledger.loading import load_ledger
from statusledger.records.models import Incident
from statusledger.validation import Context, validate
from tests.helpers import run_cli
from tests.importers.icpe25 import CSV, convert
from tests.importers.test_statuspage import tree

NOW = datetime(2026, 11, 23, tzinfo=UTC)
SEVERITY = {"0": "sev4", "1": "sev3", "2": "sev2", "3": "sev1", "4": "sev4"}

pytestmark = pytest.mark.skipif(not CSV.is_file(), reason=f"{CSV} is not available")


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, str]]:
    """Each provider's page converted to JSON and imported into its own repository."""
    base = tmp_path_factory.mktemp("icpe25")
    folders = convert(CSV, base / "json")
    out = {}
    for provider, folder in folders.items():
        repo = base / provider
        repo.mkdir()
        result = run_cli("import", "statuspage", str(folder), cwd=repo)
        assert result.code == 0, result.out + result.err
        out[provider] = (repo, result.out)
    return out


def test_all_542_incidents_are_imported_and_valid(pages: dict[str, tuple[Path, str]]) -> None:
    with CSV.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    imported: dict[str, str] = {}
    for provider, (repo, _) in pages.items():
        ledger = load_ledger(repo)
        report = validate(ledger, Context(now=NOW))
        assert report.errors == [], (provider, report.errors[:3])
        for record in ledger.incidents:
            assert record.model.source is not None
            imported[record.model.source.id] = record.id
    assert len(rows) == 542
    assert set(imported) == {r["incident_id"] for r in rows}
    assert Counter(r["provider"] for r in rows) == {
        p: len(load_ledger(repo).incidents) for p, (repo, _) in pages.items()
    }


def test_severity_timeline_and_postmortems_follow_the_table(
    pages: dict[str, tuple[Path, str]],
) -> None:
    with CSV.open(encoding="utf-8", newline="") as handle:
        rows = {r["incident_id"]: r for r in csv.DictReader(handle)}
    postmortems = 0
    for repo, _ in pages.values():
        ledger = load_ledger(repo)
        postmortems += len(ledger.postmortems)
        for record in ledger.incidents:
            model: Incident = record.model
            assert model.source is not None
            row = rows[model.source.id]
            assert model.title == row["Incident_Title"]
            assert model.severity.value == SEVERITY[row["incident_impact_level"]]
            resolved = datetime.fromisoformat(row["resolved_timestamp"])
            assert model.timeline.resolved == resolved
            assert model.updates[-1].message == clean_text(row["resolved_description"])
            stages = [s for s in ("investigating", "identified", "monitoring", "resolved")
                      if row[f"{s}_flag"] == "1"]  # fmt: skip
            assert sorted(u.status.value for u in model.updates) == sorted(stages)
    assert postmortems == sum(1 for r in rows.values() if r["postmortem_flag"] == "1")


def test_only_the_two_unscheduled_maintenance_incidents_are_reported(
    pages: dict[str, tuple[Path, str]],
) -> None:
    reports = "\n".join(out for _, out in pages.values())
    assert reports.count("impact 'maintenance' without a schedule") == 2
    assert reports.count("Could not map 1 item(s):") == 2
    assert "Could not map" not in pages["character"][1]


def test_importing_a_page_again_changes_nothing(pages: dict[str, tuple[Path, str]]) -> None:
    repo, _ = pages["character"]
    json_folder = repo.parent / "json" / "character"

    result = run_cli("import", "statuspage", str(json_folder), cwd=repo)

    assert result.code == 0
    assert "records: 0 created, 0 updated, 36 unchanged" in result.out


def _postmortem_rows() -> dict[str, dict[str, str]]:
    with CSV.open(encoding="utf-8", newline="") as handle:
        return {r["incident_id"]: r for r in csv.DictReader(handle) if r["postmortem_flag"] == "1"}


def _assert_published_postmortems(repos: list[Path], rows: dict[str, dict[str, str]]) -> None:
    """Each postmortem stage of the table is a published postmortem, linked both ways."""
    found: set[str] = set()
    for repo in repos:
        ledger = load_ledger(repo)
        for record in ledger.incidents:
            assert record.model.source is not None
            row = rows.get(record.model.source.id)
            if row is None:
                assert record.model.postmortem is None
                continue
            assert record.model.postmortem == record.id
            postmortem = ledger.postmortem(record.id)
            assert postmortem is not None, f"no postmortems/{record.id}.md"
            assert postmortem.model.status.value == "published"
            assert postmortem.model.incidents == [record.id]
            assert postmortem.model.title == row["Incident_Title"]
            published = datetime.fromisoformat(row["postmortem_timestamp"])
            assert postmortem.model.date == published.astimezone(UTC).date()
            assert postmortem.body.strip() == clean_text(row["postmortem_description"])
            found.add(record.model.source.id)
        result = run_cli("validate", "--now", NOW.isoformat(), cwd=repo)
        assert result.code == 0, result.out
    assert found == set(rows)


def test_every_postmortem_stage_is_a_published_postmortem_record(
    pages: dict[str, tuple[Path, str]],
) -> None:
    rows = _postmortem_rows()
    assert len(rows) == 33
    _assert_published_postmortems([repo for repo, _ in pages.values()], rows)
    reports = "\n".join(out for _, out in pages.values())
    assert "'postmortem'; left out" not in reports
    assert reports.count("wrote postmortems/") == 33


def test_postmortem_updates_alone_make_the_same_postmortems(tmp_path: Path) -> None:
    """Without postmortem_body or postmortem_published_at the `postmortem` update suffices."""
    folders = convert(CSV, tmp_path / "json")
    repos = []
    for provider, folder in folders.items():
        path = folder / "incidents.json"
        data = json.loads(path.read_text(encoding="utf-8"))
        for item in data["incidents"]:
            item["postmortem_body"] = None
            item["postmortem_published_at"] = None
        path.write_text(json.dumps(data), encoding="utf-8")
        repo = tmp_path / provider
        repo.mkdir()
        result = run_cli("import", "statuspage", str(folder), cwd=repo)
        assert result.code == 0, result.out + result.err
        repos.append(repo)
    _assert_published_postmortems(repos, _postmortem_rows())


def test_importing_postmortems_again_changes_no_byte(pages: dict[str, tuple[Path, str]]) -> None:
    repo, _ = pages["openai"]
    before = tree(repo)

    result = run_cli("import", "statuspage", str(repo.parent / "json" / "openai"), cwd=repo)

    assert result.code == 0, result.err
    assert "records: 0 created, 0 updated, " in result.out
    assert "postmortems:" not in result.out
    assert "differs from the source's postmortem" not in result.out
    assert tree(repo) == before
