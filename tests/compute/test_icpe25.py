"""`uptime` reproduces the availability table of the ICPE'25 LLM-outage paper.

The paper's figures (table-service_availability.csv) are pandas/numpy output rounded half to
even to two decimals, so Python's round() on the same float reproduces them: e.g. Console's
minimum is exactly 82.5625, printed 82.56.
"""

from __future__ import annotations

from datetime import UTC, datetime
from fractions import Fraction

import pytest

from statusledger.compute.uptime import UptimeIndex
from tests.compute.icpe25 import days_by_component, load, read_paper, read_rows
from tests.helpers import SHARED

DATA = SHARED / "data" / "icpe25"
NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)

pytestmark = pytest.mark.skipif(not DATA.is_dir(), reason="the ICPE'25 data is not here")


def printed(value: float) -> str:
    return f"{round(value, 2)}%"


def test_uptime_reproduces_min_mean_and_share_of_perfect_days() -> None:
    rows = read_rows(DATA)
    services, records = load(rows)
    index = UptimeIndex(services, records, NOW)
    paper = read_paper(DATA)
    assert len(paper) == 8
    for component, days in days_by_component(rows).items():
        bars = index.days(component, days)
        exact = [index.measure_period(component, day).uptime for day in days]
        assert all(value is not None for value in exact)
        values = [bar.uptime for bar in bars]
        assert all(value is not None for value in values)
        uptimes = [float(value) for value in values if value is not None]
        mean = float(sum((v for v in exact if v is not None), Fraction(0)) / len(exact))
        perfect = 100 * sum(value == 100 for value in uptimes) / len(uptimes)
        expected = paper[component]
        assert (printed(min(uptimes)), printed(mean), printed(perfect)) == (
            expected.minimum,
            expected.mean,
            expected.perfect,
        ), component
