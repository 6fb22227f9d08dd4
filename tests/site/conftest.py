from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import PROJECT
from tests.site.support import build


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example organisation at the project root, built once per session."""
    return build(PROJECT, tmp_path_factory.mktemp("example") / "public")
