"""References between records: what the user reads, beyond the positions the fixtures pin."""

from __future__ import annotations

from pathlib import Path

from statusledger.errors import Severity
from tests.helpers import MINIMAL_SERVICES, RESOLVED_INCIDENT, make_repo, write_tree
from tests.validation.fixtures import INVALID, VALID, copy_case, line_of, run_rules

INCIDENT = "incidents/2026/2026-11-20-api-errors.yaml"
POSTMORTEM = "postmortems/2026-11-20-api-errors.md"


def postmortem(incidents: str, status: str = "published") -> str:
    return (
        f"---\ntitle: API errors\nincidents: [{incidents}]\nstatus: {status}\n"
        "date: 2026-11-21\nsummary: A bad rule rejected requests.\n---\n## Summary\n"
    )


def test_cycle_message_prints_the_path_and_which_link_to_remove(tmp_path: Path) -> None:
    report = run_rules(copy_case(INVALID / "dependency-cycle", tmp_path / "repo"))
    [finding] = report.findings
    assert finding.message == (
        "components depend on each other in a cycle: api -> database -> web -> api"
    )
    assert finding.hint == "remove one link of the cycle, e.g. 'api' from the depends_on of 'web'"


def test_each_cycle_is_reported_once(tmp_path: Path) -> None:
    services = MINIMAL_SERVICES.replace(
        "  - id: web\n    name: Web app\n",
        "  - id: web\n    name: Web app\n    depends_on: [web]\n"
        "  - id: a\n    name: A\n    depends_on: [b]\n"
        "  - id: b\n    name: B\n    depends_on: [a]\n",
    )
    report = run_rules(make_repo(tmp_path, {"services.yaml": services}))
    assert sorted(f.message.split(": ", 1)[1] for f in report.findings) == [
        "a -> b -> a",
        "web -> web",
    ]


def test_a_long_dependency_chain_is_no_cycle_and_does_not_recurse(tmp_path: Path) -> None:
    chain = "".join(
        f"  - id: c{i}\n    name: C{i}\n    depends_on: [c{i + 1}]\n" for i in range(1500)
    )
    services = MINIMAL_SERVICES.replace("groups:", chain + "  - {id: c1500, name: End}\ngroups:")
    report = run_rules(make_repo(tmp_path, {"services.yaml": services}))
    assert report.findings == []


def test_unknown_ids_suggest_the_closest_known_one(tmp_path: Path) -> None:
    report = run_rules(copy_case(INVALID / "unknown-group", tmp_path / "g"))
    assert report.findings[0].hint.startswith("did you mean 'core'?")
    report = run_rules(copy_case(INVALID / "unknown-component-impact", tmp_path / "c"))
    assert report.findings[0].message == "'apj' is not a component in services.yaml"
    assert report.findings[0].hint == (
        "did you mean 'api'? use a component id (known: api, database, web)"
    )


def test_internal_only_postmortem_is_a_warning_and_fails_with_strict(tmp_path: Path) -> None:
    root = copy_case(INVALID / "internal-only-postmortem", tmp_path / "repo")
    relaxed = run_rules(root)
    assert relaxed.ok
    assert [f.severity for f in relaxed.findings] == [Severity.WARNING]
    strict = run_rules(root, strict=True)
    assert not strict.ok
    assert [f.rule for f in strict.errors] == ["ref/internal-only-postmortem"]


def test_internal_incident_may_share_a_published_postmortem_with_a_public_one(
    tmp_path: Path,
) -> None:
    internal = RESOLVED_INCIDENT.replace(
        "category: outage\n", "category: outage\nvisibility: internal\n"
    )
    make_repo(
        tmp_path,
        {
            INCIDENT: RESOLVED_INCIDENT + "postmortem: 2026-11-20-api-errors\n",
            "incidents/2026/2026-11-20-token-leak.yaml": internal
            + "postmortem: 2026-11-20-api-errors\n",
            POSTMORTEM: postmortem("2026-11-20-api-errors, 2026-11-20-token-leak"),
        },
    )
    assert run_rules(tmp_path, strict=True).findings == []


def test_a_record_that_failed_to_load_is_not_reported_unknown(tmp_path: Path) -> None:
    make_repo(
        tmp_path,
        {
            INCIDENT: RESOLVED_INCIDENT.replace("severity: sev3", "severity: sev9")
            + "postmortem: 2026-11-20-api-errors\n",
            POSTMORTEM: postmortem("2026-11-20-api-errors"),
        },
    )
    report = run_rules(tmp_path)
    assert [f.rule for f in report.findings] == ["schema/invalid-value"]


def test_backlink_messages_say_what_the_other_side_names(tmp_path: Path) -> None:
    make_repo(
        tmp_path,
        {
            INCIDENT: RESOLVED_INCIDENT + "postmortem: 2026-11-20-other\n",
            POSTMORTEM: postmortem("2026-11-20-api-errors"),
            "postmortems/2026-11-20-other.md": postmortem("2026-11-20-api-errors"),
        },
    )
    messages = {f.path: f.message for f in run_rules(tmp_path).findings}
    assert messages == {
        POSTMORTEM: "incident '2026-11-20-api-errors' does not name this postmortem "
        "(it names '2026-11-20-other')",
    }


def test_duplicate_id_names_the_other_file(tmp_path: Path) -> None:
    report = run_rules(copy_case(INVALID / "duplicate-id", tmp_path / "repo"))
    assert report.findings[0].message == (
        "record id 'api-errors' is also used by incidents/2025/api-errors.yaml"
    )


def test_record_in_wrong_year_gets_the_git_mv_command(tmp_path: Path) -> None:
    report = run_rules(copy_case(INVALID / "folder-year", tmp_path / "repo"))
    assert report.findings[0].hint == (
        "move it: git mv incidents/2025/2026-11-20-api-errors.yaml "
        "incidents/2026/2026-11-20-api-errors.yaml"
    )


def test_undated_id_may_live_in_any_year_folder(tmp_path: Path) -> None:
    make_repo(tmp_path, {"incidents/2024/api-errors.yaml": RESOLVED_INCIDENT})
    assert run_rules(tmp_path).findings == []


def test_record_outside_a_year_folder_is_told_where_to_go(tmp_path: Path) -> None:
    make_repo(tmp_path, {"incidents/api-errors.yaml": RESOLVED_INCIDENT})
    [finding] = run_rules(tmp_path).findings
    assert finding.rule == "ref/file-location"
    assert (
        finding.hint == "move it: git mv incidents/api-errors.yaml incidents/2026/api-errors.yaml"
    )


def test_postmortem_file_names_are_ids_too(tmp_path: Path) -> None:
    make_repo(
        tmp_path,
        {
            INCIDENT: RESOLVED_INCIDENT + "postmortem: api errors\n",
            "postmortems/api errors.md": postmortem("2026-11-20-api-errors"),
        },
    )
    assert [line_of(f) for f in run_rules(tmp_path).findings] == [
        "error ref/invalid-id postmortems/api errors.md:1:1",
    ]


def test_reference_rules_skip_quietly_without_services(tmp_path: Path) -> None:
    write_tree(tmp_path, {INCIDENT: RESOLVED_INCIDENT.replace("component: api", "component: x")})
    assert [f.rule for f in run_rules(tmp_path).findings] == ["file/missing"]


def test_valid_full_fixture_exercises_every_link_kind() -> None:
    root = VALID / "full"
    texts = {p.relative_to(root).as_posix(): p.read_text() for p in root.rglob("*.y*ml")}
    assert any("visibility: internal" in t for t in texts.values())
    assert any("depends_on: [api, database]" in t for t in texts.values())
    assert any(p.endswith(".yml") for p in texts)
    assert len(list((root / "postmortems").glob("*.md"))) == 2
