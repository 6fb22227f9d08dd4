"""Durations as each reader sees them: one splitting into units, four ways of showing it."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from statusledger.commands.figures import duration as command_duration
from statusledger.records.types import format_duration, parse_duration
from statusledger.report.words import duration as report_duration
from statusledger.site.i18n import Locale

NBSP = "\u00a0"


@given(st.integers(min_value=1, max_value=10**9))
def test_record_syntax_reads_back(seconds: int) -> None:
    value = timedelta(seconds=seconds)
    assert parse_duration(format_duration(value)) == value


@pytest.mark.parametrize(
    ("text", "written"),
    [("15m", "15m"), ("1h30m", "1h30m"), ("1w", "7d"), ("90m", "1h30m"), ("1d0h5s", "1d5s")],
)
def test_record_syntax(text: str, written: str) -> None:
    assert format_duration(parse_duration(text)) == written


@pytest.mark.parametrize(
    ("seconds", "report", "command"),
    [
        (None, "-", "-"),
        (0, "0", "0s"),
        (0.4, "0", "0s"),
        (12, "12s", "12s"),
        (12_000, "3h20m", "3h20m"),
        (90_061, "1d1h", "1d1h1m"),
    ],
)
def test_report_and_commands(seconds: float | None, report: str, command: str) -> None:
    assert report_duration(seconds) == report
    assert command_duration(seconds) == command


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (timedelta(seconds=59), f"0{NBSP}min"),
        (timedelta(hours=2, minutes=10, seconds=59), f"2{NBSP}h 10{NBSP}min"),
        (timedelta(days=1, minutes=5), f"1{NBSP}d 5{NBSP}min"),
        (timedelta(days=3), f"3{NBSP}d"),
    ],
)
def test_page(value: timedelta, shown: str) -> None:
    for language in ("en", "de"):
        assert Locale(language, ZoneInfo("UTC")).duration(value) == shown


def test_commands_show_overspent_time_as_negative() -> None:
    assert command_duration(-2_700.4) == "-45m"
