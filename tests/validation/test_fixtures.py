"""Every rule has a bad-input fixture that reports exactly its findings, at the exact place.

Each folder under tests/fixtures/invalid/ is a small repository with an expected.txt listing
`severity rule file:line:col`; the folder must produce those findings and no others. Folders
under tests/fixtures/valid/ must produce none at all, even with --strict.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from statusledger.yamlfile import MAX_BYTES
from tests.helpers import MINIMAL_SERVICES, PROJECT, RESOLVED_INCIDENT, write_tree
from tests.validation.fixtures import (
    INVALID,
    VALID,
    cases,
    copy_case,
    expected_lines,
    line_of,
    run_rules,
)

RULE_SOURCES = [
    PROJECT / "tooling/statusledger/loading.py",
    PROJECT / "tooling/statusledger/listing.py",
    PROJECT / "tooling/statusledger/modelerrors.py",
    PROJECT / "tooling/statusledger/yamlfile.py",
    *sorted((PROJECT / "tooling/statusledger/validation").glob("*.py")),
]
RULE_ID = re.compile(r"\"((?:file|yaml|schema|ref|time|policy)/[a-z-]+)\"")
RULES_DOC = PROJECT / "tooling/docs/rules.md"
# Reading a file that exists but cannot be read needs a non-root user; tests/test_loading.py
# covers it through a file that vanished between listing and reading.
NOT_A_FIXTURE = {"file/unreadable"}


def too_large_repo(root: Path) -> Path:
    """A record over the 1 MiB limit: generated, to keep a 1 MiB file out of the repository."""
    filler = "    message: " + "x" * 200 + "\n"
    padding = "".join(
        f"  - at: 2026-11-20T14:10:00Z\n    status: investigating\n{filler}"
        for _ in range(MAX_BYTES // 250)
    )
    text = RESOLVED_INCIDENT.replace("updates:\n", "updates:\n" + padding)
    return write_tree(
        root,
        {"services.yaml": MINIMAL_SERVICES, "incidents/2026/2026-11-20-api-errors.yaml": text},
    )


def linked_repo(root: Path) -> Path:
    """Links a checkout cannot hold portably: made here rather than committed as a fixture."""
    write_tree(root, {"services.yaml": MINIMAL_SERVICES, "outside/secret.yaml": RESOLVED_INCIDENT})
    repo = write_tree(root / "repo", {"services.yaml": MINIMAL_SERVICES})
    (repo / "incidents/2026").mkdir(parents=True)
    (repo / "postmortems").mkdir()
    (repo / "incidents/2026/2026-11-20-api-errors.yaml").symlink_to(root / "outside/secret.yaml")
    (repo / "incidents/2026/2026-11-21-loop.yaml").symlink_to("2026-11-21-loop.yaml")
    (repo / "postmortems/2026-11-20-api-errors.md").symlink_to("/etc/hostname")
    return repo


def skipped_repo(root: Path) -> Path:
    """A linked year folder and files whose suffix differs only by case: warned, not read."""
    repo = write_tree(
        root,
        {
            "services.yaml": MINIMAL_SERVICES,
            "elsewhere/2026-11-20-api-errors.yaml": RESOLVED_INCIDENT,
            "incidents/2026/2026-11-21-api-errors.YAML": RESOLVED_INCIDENT,
            "incidents/2026/2026-11-22-api-errors.Yml": RESOLVED_INCIDENT,
            "postmortems/2026-11-20-api-errors.MD": "---\ntitle: x\n---\n",
        },
    )
    (repo / "incidents/2025").symlink_to(repo / "elsewhere", target_is_directory=True)
    return repo


GENERATED = {
    "file-too-large": (
        too_large_repo,
        ["error file/too-large incidents/2026/2026-11-20-api-errors.yaml:1:1"],
    ),
    "links-outside-and-loops": (
        linked_repo,
        [
            "error file/outside-repository incidents/2026/2026-11-20-api-errors.yaml:1:1",
            "error file/outside-repository postmortems/2026-11-20-api-errors.md:1:1",
            "error file/symlink-loop incidents/2026/2026-11-21-loop.yaml:1:1",
        ],
    ),
    "skipped-files": (
        skipped_repo,
        [
            "warning file/skipped incidents/2025:1:1",
            "warning file/skipped incidents/2026/2026-11-21-api-errors.YAML:1:1",
            "warning file/skipped incidents/2026/2026-11-22-api-errors.Yml:1:1",
            "warning file/skipped postmortems/2026-11-20-api-errors.MD:1:1",
        ],
    ),
}


@pytest.mark.parametrize("case", cases(INVALID))
def test_invalid_fixture_reports_exactly_its_findings(case: str, tmp_path: Path) -> None:
    root = copy_case(INVALID / case, tmp_path / "repo")
    report = run_rules(root)
    assert sorted(line_of(f) for f in report.findings) == expected_lines(INVALID / case)
    for finding in report.findings:
        assert finding.message
        assert finding.hint, f"{finding.rule} has no hint"
    # Again, now that the parse cache holds every file that parsed: the same findings.
    again = run_rules(root)
    assert [line_of(f) for f in again.findings] == [line_of(f) for f in report.findings]
    assert [f.message for f in again.findings] == [f.message for f in report.findings]


@pytest.mark.parametrize("case", sorted(GENERATED))
def test_generated_invalid_case(case: str, tmp_path: Path) -> None:
    make, expected = GENERATED[case]
    root = make(tmp_path / "repo")
    report = run_rules(root)
    assert sorted(line_of(f) for f in report.findings) == expected


@pytest.mark.parametrize("case", cases(VALID))
def test_valid_fixture_has_no_findings_even_when_strict(case: str) -> None:
    report = run_rules(VALID / case, strict=True)
    assert [line_of(f) for f in report.findings] == []
    assert report.ok


def test_fixtures_cover_every_loader_refusal_the_issue_names() -> None:
    names = set(cases(INVALID)) | set(GENERATED)
    assert {
        "duplicate-key",
        "alias-bomb",
        "file-too-large",
        "non-utf8",
        "empty-file",
        "top-level-list",
        "unknown-key",
        "missing-key",
        "naive-timestamp",
        "date-not-timestamp",
        "bad-enum",
        "bad-duration",
        "unknown-tag",
        "yaml-syntax",
        "postmortem-no-front-matter",
        "postmortem-unclosed-front-matter",
    } <= names


def rule_ids_in_source() -> set[str]:
    found: set[str] = set()
    for path in RULE_SOURCES:
        found |= set(RULE_ID.findall(path.read_text(encoding="utf-8")))
    return found


def rule_ids_in_fixtures() -> set[str]:
    found = {line.split()[1] for case in cases(INVALID) for line in expected_lines(INVALID / case)}
    return found | {line.split()[1] for _, lines in GENERATED.values() for line in lines}


def test_every_rule_has_a_bad_input_fixture() -> None:
    source = rule_ids_in_source()
    assert len(source) > 30
    assert source - rule_ids_in_fixtures() == NOT_A_FIXTURE


def test_every_fixture_rule_exists_in_the_source() -> None:
    assert rule_ids_in_fixtures() <= rule_ids_in_source()


def test_every_rule_is_documented_and_the_docs_list_no_other() -> None:
    text = RULES_DOC.read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z]+/[a-z-]+)` \|", text, flags=re.MULTILINE))
    source = rule_ids_in_source()
    assert source - documented == set()
    assert {r for r in documented if RULE_ID.fullmatch(f'"{r}"')} - source == set()
