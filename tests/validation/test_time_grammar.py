"""The timestamp grammar's messages say what to write, and years below 1000 keep four digits."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from statusledger.records.types import format_timestamp, parse_timestamp


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("2026-11-20t14:02:00z", "write 'T' and 'Z' in upper case: 2026-11-20T14:02:00Z"),
        ("2026-11-20T14:02:00z", "write 'T' and 'Z' in upper case: 2026-11-20T14:02:00Z"),
        ("2026-11-20 14:02:00Z", "write a 'T' between the day and the time"),
        ("2026-11-20T14:02:00+0100", "write the offset with a colon: 2026-11-20T14:02:00+01:00"),
        ("2026-11-20T24:00:00Z", "24:00 is not a time of day here; write 00:00 of the next day, "
         "2026-11-21T00:00:00Z"),
        ("2026-12-31T24:00:00+01:00", "2027-01-01T00:00:00+01:00"),
        ("2016-12-31T23:59:60Z", "leap seconds (:60) cannot be recorded; write :59"),
        ("2026-02-30T10:00:00Z", "is not a real day"),
        ("2026-11-20T14:02:00", "has no offset"),
    ],
)  # fmt: skip
def test_each_near_miss_gets_a_precise_message(text: str, says: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_timestamp(text)
    assert says in str(caught.value)
    assert "not an ISO 8601" not in str(caught.value)


def test_years_below_1000_are_written_with_four_digits() -> None:
    moment = datetime(999, 3, 4, 5, 6, 7, tzinfo=UTC)
    assert format_timestamp(moment) == "0999-03-04T05:06:07Z"
    assert parse_timestamp(format_timestamp(moment)) == moment
