from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import PROJECT
from tests.site.support import build


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example organisation at the project root, built once per session."""
    return build(PROJECT, tmp_path_factory.mktemp("example") / "public")


@pytest.fixture
def cache_dir(tmp_path: Path) -> Iterator[Path]:
    """A cache of this test's own, so other tests' builds cannot fill or clear it."""
    saved = os.environ.get("STATUSLEDGER_CACHE_DIR")
    folder = tmp_path / "cache"
    os.environ["STATUSLEDGER_CACHE_DIR"] = str(folder)
    try:
        yield folder
    finally:
        if saved is None:
            os.environ.pop("STATUSLEDGER_CACHE_DIR", None)
        else:
            os.environ["STATUSLEDGER_CACHE_DIR"] = saved
