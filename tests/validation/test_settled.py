"""Settled records: a second `validate` takes clean, closed records from the settled cache and
must report exactly what a run without any cache reports, whatever changed in between."""

from __future__ import annotations

import json
import shutil
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from statusledger.errors import Finding
from statusledger.facts import IncidentFacts
from statusledger.loading import load_ledger
from statusledger.parsecache import ParseCache
from statusledger.records.models import Incident
from statusledger.validation import Context, Report, validate
from statusledger.validation.settled import SettledCache
from tests.helpers import PROJECT, git, git_commit, git_init, run_cli
from tests.validation.fixtures import INVALID, NOW, VALID, cases, copy_case
from tests.validation.test_properties import FILES, mutated_repo

EXAMPLE = ("services.yaml", "incidents", "postmortems")


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test starts with an empty cache folder of its own."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("STATUSLEDGER_CACHE_DIR", str(folder))
    return folder


def settled_run(
    root: Path, now: datetime = NOW, *, strict: bool = False
) -> tuple[list[Finding], int]:
    """Validate as `statusledger validate` does; the findings and how many records were settled."""
    settled = SettledCache.for_root(root, now)
    ledger = load_ledger(root, cache=ParseCache(None), known=settled.lookup)
    report = validate(ledger, Context(now=now, strict=strict))
    settled.save(ledger, report)
    return report.findings, len(ledger.settled)


def fresh_run(root: Path, now: datetime = NOW, *, strict: bool = False) -> list[Finding]:
    """Validate with no cache of any kind: the reference every settled run must match."""
    report: Report = validate(load_ledger(root, cache=ParseCache(None)), Context(now, strict))
    return report.findings


def example(tmp_path: Path) -> Path:
    """A copy of the project's example organisation."""
    root = tmp_path / "org"
    for name in EXAMPLE:
        source = PROJECT / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        else:
            root.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, root / name)
    return root


def example_now() -> datetime:
    """A moment after every record of the example organisation."""
    return datetime.fromisoformat("2026-12-01T00:00:00+00:00")


@pytest.mark.parametrize(
    "folder",
    [INVALID / name for name in cases(INVALID)] + [VALID / name for name in cases(VALID)],
    ids=lambda p: f"{p.parent.name}/{p.name}",
)
def test_every_fixture_reports_the_same_with_settled_records(folder: Path, tmp_path: Path) -> None:
    root = copy_case(folder, tmp_path / "repo")
    for strict in (False, True):
        expected = fresh_run(root, strict=strict)
        assert settled_run(root, strict=strict)[0] == expected
        assert settled_run(root, strict=strict)[0] == expected


def test_the_example_organisation_settles_and_reports_the_same(tmp_path: Path) -> None:
    root = example(tmp_path)
    now = example_now()
    expected = fresh_run(root, now)
    first, settled_first = settled_run(root, now)
    second, settled_second = settled_run(root, now)
    assert settled_first == 0
    # Every closed record settles; only open incidents are read again.
    ledger = load_ledger(root, cache=ParseCache(None))
    closed = [r for r in ledger.records if not (isinstance(r.model, Incident) and r.model.is_open)]
    assert settled_second == len(closed) > 20
    assert first == second == expected


def test_a_settled_record_points_at_the_same_place_as_a_fresh_one(tmp_path: Path) -> None:
    root = copy_case(INVALID / "postmortem-missing", tmp_path / "repo")
    settled_run(root)
    findings, settled = settled_run(root)
    assert settled == 1
    assert [(f.rule, f.path, f.line, f.col) for f in findings] == [
        (
            "policy/postmortem-missing",
            "incidents/2026/2026-11-01-checkout-failures.yaml",
            3,
            11,
        )
    ]
    # The position found for the finding is kept: a third run reports the same place.
    assert settled_run(root) == (findings, 1)


def _settle(root: Path, now: datetime = NOW) -> None:
    settled_run(root, now)
    assert settled_run(root, now)[1] > 0, "nothing settled: the test would prove nothing"


def test_deleting_a_linked_postmortem_is_reported_on_the_settled_incident(tmp_path: Path) -> None:
    root = example(tmp_path)
    now = example_now()
    _settle(root, now)
    postmortem = sorted((root / "postmortems").glob("*.md"))[0]
    postmortem.unlink()
    findings, _ = settled_run(root, now)
    assert findings == fresh_run(root, now)
    assert "ref/unknown-postmortem" in {f.rule for f in findings}


def test_removing_a_component_from_services_reads_every_record_again(tmp_path: Path) -> None:
    root = copy_case(VALID / "full", tmp_path / "repo")
    _settle(root)
    services = root / "services.yaml"
    text = services.read_text(encoding="utf-8")
    assert "  - id: web\n" in text
    services.write_text(text.replace("  - id: web\n", "  - id: webapp\n"), encoding="utf-8")
    findings, settled = settled_run(root)
    assert settled == 0
    assert findings == fresh_run(root)
    assert "ref/unknown-component" in {f.rule for f in findings}


def test_editing_a_policy_keeps_records_settled(tmp_path: Path) -> None:
    """Per-record rules read only the component ids of services.yaml; policies are cross-record."""
    root = copy_case(INVALID / "postmortem-missing", tmp_path / "repo")
    _settle(root)
    findings, before = settled_run(root)
    assert [f.rule for f in findings] == ["policy/postmortem-missing"]
    services = root / "services.yaml"
    text = services.read_text(encoding="utf-8")
    assert "postmortem: 10d" in text
    services.write_text(text.replace("postmortem: 10d", "postmortem: 100d"), encoding="utf-8")
    findings, settled = settled_run(root)
    assert (findings, settled) == ([], before)
    assert findings == fresh_run(root)


def test_an_earlier_now_reads_settled_records_with_later_moments_again(tmp_path: Path) -> None:
    root = example(tmp_path)
    _settle(root, example_now())
    earlier = datetime.fromisoformat("2026-06-01T00:00:00+00:00")
    findings, _ = settled_run(root, earlier)
    assert findings == fresh_run(root, earlier)
    assert "time/future" in {f.rule for f in findings}


def test_a_copy_under_another_year_is_a_duplicate_id(tmp_path: Path) -> None:
    root = example(tmp_path)
    now = example_now()
    _settle(root, now)
    record = sorted((root / "incidents").rglob("*.yaml"))[0]
    (root / "incidents" / "2019").mkdir()
    shutil.copy(record, root / "incidents" / "2019" / record.name)
    findings, _ = settled_run(root, now)
    assert findings == fresh_run(root, now)
    assert "ref/duplicate-id" in {f.rule for f in findings}


def test_an_edited_settled_record_is_judged_again(tmp_path: Path) -> None:
    root = copy_case(VALID / "full", tmp_path / "repo")
    _settle(root)
    record = root / "incidents/2026/2026-11-20-api-errors.yaml"
    text = record.read_text(encoding="utf-8")
    assert "component: api\n" in text
    record.write_text(text.replace("component: api\n", "component: apii\n", 1), encoding="utf-8")
    findings, _ = settled_run(root)
    assert findings == fresh_run(root)
    assert [f.rule for f in findings if f.path.endswith(record.name)] == ["ref/unknown-component"]


def test_settled_records_are_their_facts_and_read_whole_on_demand(tmp_path: Path) -> None:
    root = copy_case(VALID / "full", tmp_path / "repo")
    _settle(root)
    settled = SettledCache.for_root(root, NOW)
    ledger = load_ledger(root, cache=ParseCache(None), known=settled.lookup)
    fresh = load_ledger(root, cache=ParseCache(None))
    assert ledger.settled
    assert not {f.path for f in ledger.settled} & {r.path for r in ledger.records}
    # The facts of a settled record are those its complete model gives, positions included.
    by_path = {f.path: f for f in fresh.facts}
    for facts in ledger.settled:
        twin = by_path[facts.path]
        assert (facts.id, facts.visibility) == (twin.id, twin.visibility)
        if isinstance(facts, IncidentFacts):
            assert isinstance(twin, IncidentFacts)
            assert (facts.severity, facts.postmortem, facts.resolved) == (
                twin.severity,
                twin.postmortem,
                twin.resolved,
            )
            assert facts.at("severity") == twin.at("severity")
    first = ledger.settled[0]
    whole = ledger.whole(first.id)
    assert whole is not None and whole == fresh.record(first.id)


def test_a_damaged_cache_only_costs_a_full_run(tmp_path: Path, own_cache: Path) -> None:
    root = copy_case(VALID / "full", tmp_path / "repo")
    _settle(root)
    for file in own_cache.glob("settled-*"):
        file.write_bytes(file.read_bytes()[:40])
    findings, settled = settled_run(root)
    assert (findings, settled) == (fresh_run(root), 0)


def test_no_damaged_byte_changes_a_finding(tmp_path: Path, own_cache: Path) -> None:
    """The cache carries a digest: a flipped bit anywhere makes the run a full one."""
    root = copy_case(INVALID / "postmortem-missing", tmp_path / "repo")
    _settle(root)
    (cache,) = own_cache.glob("settled-*")
    intact = cache.read_bytes()
    expected = fresh_run(root)
    for at in range(0, len(intact), max(1, len(intact) // 60)):
        damaged = bytearray(intact)
        damaged[at] ^= 0x01
        cache.write_bytes(bytes(damaged))
        findings, settled = settled_run(root)
        assert (findings, settled) == (expected, 0), at
        cache.write_bytes(intact)


def test_the_cli_settles_records_and_the_history_guard_still_sees_rewrites(
    tmp_path: Path,
) -> None:
    root = example(tmp_path)
    git_init(root)
    git_commit(root, "Merged records")
    now = "2026-12-01T00:00:00Z"

    def check() -> tuple[int, list[dict[str, object]]]:
        result = run_cli(
            "--root", str(root), "validate", "--base", "main", "--format", "json", "--now", now
        )
        assert result.code in (0, 1), result.err
        return result.code, json.loads(result.out)["findings"]

    assert check()[0] == 0
    assert check()[0] == 0  # now with settled records
    git(root, "checkout", "-q", "-b", "feature")
    record = sorted((root / "incidents").rglob("*.yaml"))[0]
    text = record.read_text(encoding="utf-8")
    marker = "    message: "
    assert marker in text
    record.write_text(text.replace(marker, marker + "Rewritten. ", 1), encoding="utf-8")
    # The rewritten record settles after the first run (the guard's finding is not about its
    # content alone), so the second run compares its whole record with main again.
    for _ in range(2):
        code, findings = check()
        assert code == 1
        assert "history/update-changed" in {f["rule"] for f in findings}


def test_settling_keeps_time_sensitive_records_open(tmp_path: Path) -> None:
    """An open incident is never settled: the update policy judges it by the clock."""
    root = copy_case(INVALID / "update-overdue", tmp_path / "repo")
    settled_run(root)
    findings, settled = settled_run(root)
    assert settled == 0
    later = NOW + timedelta(days=30)
    assert settled_run(root, later)[0] == fresh_run(root, later)
    assert findings == fresh_run(root)


@settings(
    max_examples=50,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(files=mutated_repo(), strict=st.booleans())
def test_any_edit_after_settling_reports_what_a_fresh_run_reports(
    files: dict[str, bytes], strict: bool
) -> None:
    """Settle valid/full, mutate one file as a person might, and compare with no cache."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for rel, content in FILES.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_bytes(content)
        _settle(root)
        for rel, content in files.items():
            (root / rel).write_bytes(content)
        expected = fresh_run(root, strict=strict)
        assert settled_run(root, strict=strict)[0] == expected
        assert settled_run(root, strict=strict)[0] == expected


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.parts
    }


def test_authoring_on_settled_records_does_what_it_does_without_a_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """new/update/resolve read settled records as validate does; the files they write and
    their refusals must not change."""
    cached, plain = example(tmp_path / "cached"), example(tmp_path / "plain")
    now = "2026-12-01T00:00:00Z"
    assert run_cli("--root", str(cached), "validate", "--now", now).code == 0
    ledger = load_ledger(plain, cache=ParseCache(None))
    closed = [
        r
        for r in ledger.incidents
        if not r.model.is_open
        and r.model.postmortem is None
        and r.model.visibility.value == "public"
    ]
    assert closed, "the example needs a resolved incident without a postmortem"
    target = closed[0].id
    commands = [
        ["new", "postmortem", target],
        ["update", target, "--status", "monitoring", "--message", "Watching again."],
        [
            "update",
            target,
            "--status",
            "investigating",
            "--component",
            "nope:major_outage",
            "--message",
            "Refused.",
        ],
        [
            "new",
            "incident",
            "--title",
            "Checkout errors",
            "--severity",
            "sev2",
            "--component",
            "api:partial_outage",
            "--message",
            "Looking into it.",
            "--force",  # whether the example has an open incident on api is not the point
        ],
    ]
    codes = []
    for command in commands:
        results = []
        for root, cache in ((cached, None), (plain, "off")):
            with monkeypatch.context() as patch:
                if cache:
                    patch.setenv("STATUSLEDGER_CACHE_DIR", cache)
                # From inside the repository, as an engineer runs it: printed paths are
                # relative to it, so both runs print the same text.
                result = run_cli("--root", str(root), *command, "--now", now, cwd=root)
            assert str(root) not in result.out, result.out
            results.append((result.code, result.out, result.err))
        assert results[0][:2] == results[1][:2], command
        assert _tree(cached) == _tree(plain), command
        codes.append(results[0][0])
    assert codes[0] == 0 and codes[2] != 0 and codes[3] == 0, codes
    assert settled_run(cached, example_now())[1] > 0
