"""`uptime` reproduces the availability table of the ICPE'25 LLM-outage paper.

The paper's figures (table-service_availability.csv) are pandas/numpy output rounded half to
even to two decimals, so Python's round() on the same value reproduces them: e.g. Console's
minimum is exactly 82.5625, printed 82.56. Every column is checked, not only Min, Mean and
"=100%": Max, Median and the shares of days at or above each availability too.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from statusledger.compute.uptime import UptimeIndex
from tests.compute.icpe25 import (
    COLUMNS,
    days_by_component,
    load,
    printed,
    read_paper,
    read_rows,
    table_row,
)
from tests.helpers import SHARED

DATA = SHARED / "data" / "icpe25"
NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)

pytestmark = pytest.mark.skipif(not DATA.is_dir(), reason=f"the ICPE'25 data {DATA} is absent")


def test_uptime_reproduces_the_papers_availability_table() -> None:
    rows = read_rows(DATA)
    services, records = load(rows)
    index = UptimeIndex(services, records, NOW)
    paper = read_paper(DATA)
    assert len(paper) == 8
    for component, days in days_by_component(rows).items():
        bars = index.days(component, days)
        exact = [index.measure_period(component, day).uptime for day in days]
        uptimes = [value for value in exact if value is not None]
        assert len(uptimes) == len(days)
        # The daily bars say the same as the exact figures.
        assert [bar.uptime for bar in bars] == [float(value) for value in uptimes]
        ours = {column: printed(value) for column, value in table_row(uptimes).items()}
        assert ours == paper[component], component
        assert list(ours) == list(COLUMNS)
