"""The renderers on the project's own example organisation, when it is present and valid."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import feedparser
import pytest

from statusledger.loading import load_ledger
from statusledger.render import render_all
from statusledger.views import build_view
from tests.helpers import PROJECT
from tests.render.test_api import (
    DATA,
    ENDPOINTS,
    enum_and_time_problems,
    fixtures_for,
    mismatches,
    nullable_keys,
)


@pytest.fixture(scope="module")
def example() -> dict[str, bytes]:
    if not (PROJECT / "services.yaml").is_file():
        pytest.skip("the example organisation is not there yet")
    ledger = load_ledger(PROJECT)
    if ledger.services is None or ledger.findings:
        pytest.skip("the example organisation does not load cleanly yet")
    return render_all(build_view(ledger, datetime(2026, 11, 23, 12, tzinfo=UTC)))


def test_example_feeds_parse_cleanly(example: dict[str, bytes]) -> None:
    for path, content in example.items():
        if path.endswith((".rss", ".atom")):
            assert not feedparser.parse(content).bozo, path


@pytest.mark.skipif(not DATA.is_dir(), reason=f"{DATA} is absent")
def test_example_api_has_statuspage_shapes(example: dict[str, bytes]) -> None:
    nullable = nullable_keys()
    for endpoint in ENDPOINTS:
        ours = json.loads(example[f"api/v2/{endpoint}"])
        assert list(enum_and_time_problems(ours)) == [], endpoint
        for real in fixtures_for(endpoint):
            assert list(mismatches(ours, real, endpoint, nullable)) == [], endpoint
