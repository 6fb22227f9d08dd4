"""What `validate` writes: its two caches outside the repository, and with caching off nothing."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import RESOLVED_INCIDENT, make_repo, run_cli
from tests.validation.fixtures import NOW_TEXT


def snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def cache_env(tmp_path: Path) -> Iterator[Path]:
    saved = {k: os.environ.get(k) for k in ("STATUSLEDGER_CACHE_DIR", "HOME", "XDG_CACHE_HOME")}
    home = tmp_path / "home"
    home.mkdir()
    os.environ["HOME"] = str(home)
    os.environ.pop("XDG_CACHE_HOME", None)
    try:
        yield home
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def test_validate_writes_its_two_caches_and_nothing_else(tmp_path: Path, cache_env: Path) -> None:
    os.environ["STATUSLEDGER_CACHE_DIR"] = str(tmp_path / "cache")
    repo = make_repo(tmp_path / "repo", {"incidents/2026/2026-11-20-api.yaml": RESOLVED_INCIDENT})
    before = snapshot(repo)

    assert run_cli("--root", str(repo), "validate", "--now", NOW_TEXT).code == 0

    assert snapshot(repo) == before
    key = hashlib.blake2b(str(repo.resolve()).encode(), digest_size=12).hexdigest()
    assert sorted(snapshot(tmp_path / "cache")) == [
        f"parsed-front-{key}.marshal",
        f"settled-{key}.marshal",
    ]
    assert snapshot(cache_env) == {}


def test_with_caching_off_validate_writes_nothing_at_all(tmp_path: Path, cache_env: Path) -> None:
    os.environ["STATUSLEDGER_CACHE_DIR"] = "off"
    repo = make_repo(tmp_path / "repo", {"incidents/2026/2026-11-20-api.yaml": RESOLVED_INCIDENT})
    before = snapshot(tmp_path)

    assert run_cli("--root", str(repo), "validate", "--now", NOW_TEXT).code == 0

    assert snapshot(tmp_path) == before
