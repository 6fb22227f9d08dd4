"""Where `statusledger build` may write, and what a web server can read of what it wrote."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from statusledger import outdir
from tests.helpers import RESOLVED_INCIDENT, git, git_init, run_cli
from tests.site.support import NOW, build, site_repo


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = site_repo(
        tmp_path / "org",
        {"incidents/2026/2026-11-20-api-errors.yaml": RESOLVED_INCIDENT},
    )
    git_init(root)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "records")
    return root


@pytest.mark.parametrize(
    ("target", "says"),
    [
        (".", "holds the repository"),
        ("..", "holds the repository"),
        ("incidents", "would delete"),
        ("incidents/2026", "inside"),
        ("postmortems", "would delete"),
        ("site", "would delete"),
        ("site/docs", "inside"),
        (".git", "would delete"),
    ],
)
def test_a_build_never_replaces_what_it_reads(repo: Path, target: str, says: str) -> None:
    (repo / "postmortems").mkdir(exist_ok=True)
    before = _tree(repo)
    result = run_cli("build", "--out", target, "--now", NOW, cwd=repo)
    assert result.code == 1
    assert says in result.err and "choose a folder of its own" in result.err
    assert "Traceback" not in result.err
    assert _tree(repo) == before
    assert git(repo, "status", "--porcelain") == ""


def test_a_folder_of_other_files_is_refused(repo: Path, tmp_path: Path) -> None:
    other = tmp_path / "photos"
    other.mkdir()
    (other / "cat.jpg").write_bytes(b"\xff\xd8 not a site")
    result = run_cli("--root", str(repo), "build", "--out", str(other), "--now", NOW)
    assert result.code == 1
    assert "holds files that statusledger did not write" in result.err
    assert (other / "cat.jpg").read_bytes() == b"\xff\xd8 not a site"


def test_an_earlier_output_is_replaced(repo: Path, tmp_path: Path) -> None:
    out = build(repo, tmp_path / "public")
    (out / "stale.html").write_text("old", encoding="utf-8")
    build(repo, out)
    assert not (out / "stale.html").exists()
    assert (out / outdir.MARKER).is_file()
    # A site built before the marker existed is recognised by what every build writes.
    (out / outdir.MARKER).unlink()
    build(repo, out)
    assert (out / "index.html").is_file()


@pytest.mark.parametrize(
    ("umask", "file_mode", "dir_mode"), [(0o022, 0o644, 0o755), (0o027, 0o640, 0o750)]
)
def test_output_follows_the_umask(
    repo: Path, tmp_path: Path, umask: int, file_mode: int, dir_mode: int
) -> None:
    old = os.umask(umask)
    try:
        out = build(repo, tmp_path / "public")
        build(repo, out)  # the second build takes pages from the page store
    finally:
        os.umask(old)
    modes = {
        p.relative_to(out).as_posix(): p.stat().st_mode & 0o777 for p in [out, *out.rglob("*")]
    }
    wrong = {
        rel: oct(mode)
        for rel, mode in modes.items()
        if mode != (dir_mode if (out / rel).is_dir() else file_mode)
    }
    assert not wrong, wrong
    assert not list(tmp_path.glob(".public.*")), "staging left behind"


def test_a_killed_build_leaves_the_last_good_site(repo: Path, tmp_path: Path) -> None:
    out = build(repo, tmp_path / "public")
    good = (out / "index.html").read_bytes()
    command = [
        sys.executable,
        "-c",
        "import sys; from statusledger.cli import main; sys.exit(main(sys.argv[1:]))",
        "--root",
        str(repo),
        "build",
        "--out",
        str(out),
        "--now",
        NOW,
    ]
    env = {**os.environ, "STATUSLEDGER_CACHE_DIR": "off"}
    for delay in (0.3, 0.8, 1.5, 2.5):
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert (out / "index.html").read_bytes() == good, delay
    build(repo, out)
    assert not list(tmp_path.glob(".public.build-*")), "a killed build's staging remains"
