"""Symbolic links: nothing outside the repository is read or published, loops are findings.

Links cannot be committed portably as fixtures, so each test makes its own in a tmp repository.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from tests.helpers import MINIMAL_SERVICES, RESOLVED_INCIDENT, make_repo, run_cli, write_tree
from tests.site.support import site_repo
from tests.validation.fixtures import NOW_TEXT


def findings(root: Path) -> list[tuple[str, str, str]]:
    result = run_cli("--root", str(root), "validate", "--now", NOW_TEXT, "--format", "json")
    assert result.code in (0, 1), result.err
    return [(f["severity"], f["rule"], f["file"]) for f in json.loads(result.out)["findings"]]


def test_a_services_yaml_linked_from_outside_is_refused(tmp_path: Path) -> None:
    outside = write_tree(tmp_path / "outside", {"services.yaml": MINIMAL_SERVICES})
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "services.yaml").symlink_to(outside / "services.yaml")

    result = run_cli("--root", str(repo), "validate", "--now", NOW_TEXT)

    assert result.code == 1
    assert "services.yaml" in result.out and "[file/outside-repository]" in result.out


def test_a_link_inside_the_repository_is_read_as_its_file(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {"drafts/2026-11-20-api-errors.yaml": RESOLVED_INCIDENT})
    (repo / "incidents/2026").mkdir(parents=True)
    (repo / "incidents/2026/2026-11-20-api-errors.yaml").symlink_to(
        repo / "drafts/2026-11-20-api-errors.yaml"
    )
    assert findings(repo) == []


def test_postmortem_ids_that_differ_only_by_case_are_refused(tmp_path: Path) -> None:
    front = "---\ntitle: T\nincidents: [x]\nstatus: draft\ndate: 2026-11-21\nsummary: S\n---\n"
    repo = make_repo(
        tmp_path, {"postmortems/api-errors.md": front, "postmortems/API-errors.md": front}
    )
    assert ("error", "ref/case-collision", "postmortems/api-errors.md") in findings(repo)


def test_build_refuses_site_files_linked_out_of_the_repository_or_looping(
    tmp_path: Path,
) -> None:
    root = site_repo(tmp_path / "repo")
    docs = root / "site" / "docs"
    (docs / "environ.txt").symlink_to("/proc/self/environ")
    (docs / "loop.txt").symlink_to("loop.txt")
    (docs / "again").symlink_to(".", target_is_directory=True)
    out = tmp_path / "public"

    result = run_cli("--root", str(root), "build", "--out", str(out), "--now", NOW_TEXT)

    assert result.code == 1, result.err
    assert "site/docs/environ.txt:1:1" in result.err and "[file/outside-repository]" in result.err
    assert "site/docs/loop.txt:1:1" in result.err and "site/docs/again:1:1" in result.err
    assert "internal error" not in result.err
    assert not out.exists() or not any(out.rglob("environ.txt"))


def test_validate_reports_a_site_file_linked_out_of_the_repository(tmp_path: Path) -> None:
    # So the pull request that adds it fails review, not only the publish job's build.
    root = site_repo(tmp_path / "repo")
    (root / "site" / "docs" / "environ.txt").symlink_to("/proc/self/environ")
    assert findings(root) == [("error", "file/outside-repository", "site/docs/environ.txt")]


def test_a_fifo_named_like_a_record_is_not_read(tmp_path: Path) -> None:
    # Reading it would wait forever for a writer.
    repo = make_repo(tmp_path)
    (repo / "incidents/2026").mkdir(parents=True)
    os.mkfifo(repo / "incidents/2026/2026-11-20-api-errors.yaml")
    assert findings(repo) == []
