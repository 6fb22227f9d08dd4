"""Scalar types of the records: timestamps that must carry an offset, and durations."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, PlainValidator, WithJsonSchema

_DURATION = re.compile(r"^(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")


def parse_timestamp(value: Any) -> datetime:
    """Parse an ISO 8601 timestamp and insist on an explicit offset.

    A timestamp without an offset would silently be read as some machine's local time, which is
    how a 3 a.m. incident ends up an hour off on the page; records.md makes it an error instead.
    The value is normalised to UTC so that every later comparison and output is uniform.
    """
    if type(value) is str and len(value) == 20 and value[10] == "T" and value[19] == "Z":
        # The common case, 2026-11-20T14:02:00Z: already UTC, nothing to normalise.
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            pass  # the general path below explains what is wrong
    if isinstance(value, datetime):
        parsed = value
        text = value.isoformat()
    elif isinstance(value, str):
        text = value.strip()
        if "T" not in text and " " not in text:
            raise ValueError(
                f"'{text}' is a date, not a timestamp; write a time and an offset, "
                f"e.g. {text}T00:00:00Z"
            )
        try:
            parsed = datetime.fromisoformat(text)
        except (ValueError, OverflowError):
            raise ValueError(
                f"'{text}' is not an ISO 8601 timestamp; write e.g. 2026-11-20T14:02:00Z"
            ) from None
    else:
        raise ValueError(f"expected a timestamp such as 2026-11-20T14:02:00Z, got {value!r}")
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise ValueError(
            f"timestamp '{text}' has no offset; add one, e.g. '{text}Z' for UTC or '{text}+01:00'"
        )
    try:
        return parsed.astimezone(UTC)
    except OverflowError:
        raise ValueError(f"timestamp '{text}' is out of range") from None


def parse_day(value: Any) -> date:
    """Parse a calendar day written as YYYY-MM-DD (and nothing else)."""
    if isinstance(value, datetime):
        raise ValueError("expected a day (YYYY-MM-DD), not a timestamp")
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"expected a day written as YYYY-MM-DD, got {value!r}")


def parse_duration(value: Any) -> timedelta:
    """Parse durations such as 15m, 4h, 5d, 1h30m (w, d, h, m, s in this order)."""
    if isinstance(value, timedelta):
        return value
    text = str(value).strip() if isinstance(value, str | int) else ""
    match = _DURATION.match(text) if text else None
    if not match or not any(match.groups()):
        raise ValueError(f"expected a duration such as 15m, 4h, 5d or 1h30m, got {value!r}")
    weeks, days, hours, minutes, seconds = (int(g) if g else 0 for g in match.groups())
    try:
        result = timedelta(weeks=weeks, days=days, hours=hours, minutes=minutes, seconds=seconds)
    except OverflowError:
        raise ValueError(f"the duration {value!r} is too long") from None
    if result <= timedelta(0):
        raise ValueError(f"a duration must be longer than zero, got {value!r}")
    return result


def format_duration(value: timedelta) -> str:
    """Write a duration back in the record syntax (the inverse of parse_duration)."""
    seconds = int(value.total_seconds())
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts) or "0s"


def format_timestamp(value: datetime) -> str:
    """Write a timestamp as records do: UTC with a Z, seconds precision."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


Timestamp = Annotated[
    datetime,
    PlainValidator(parse_timestamp),
    PlainSerializer(format_timestamp, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date-time",
            "pattern": r"(Z|[+-]\d\d:\d\d)$",
            "examples": ["2026-11-20T14:02:00Z"],
        }
    ),
]
Day = Annotated[
    date,
    BeforeValidator(parse_day),
    WithJsonSchema({"type": "string", "format": "date", "examples": ["2026-11-20"]}),
]
Duration = Annotated[
    timedelta,
    BeforeValidator(parse_duration),
    PlainSerializer(format_duration, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^(\d+w)?(\d+d)?(\d+h)?(\d+m)?(\d+s)?$",
            "examples": ["15m", "4h", "1h30m"],
        }
    ),
]
