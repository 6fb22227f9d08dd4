from __future__ import annotations

from pathlib import Path

import pytest

from statusledger.render import render_all
from statusledger.views import View
from tests.render.scenario import scenario, view_of


@pytest.fixture(scope="module")
def view(tmp_path_factory: pytest.TempPathFactory) -> View:
    root: Path = scenario(tmp_path_factory.mktemp("org"))
    return view_of(root)


@pytest.fixture(scope="module")
def files(view: View) -> dict[str, bytes]:
    return render_all(view)
