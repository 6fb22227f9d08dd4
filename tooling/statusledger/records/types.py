"""Scalar types of the records: timestamps that must carry an offset, and durations."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, PlainValidator, WithJsonSchema

_DURATION = re.compile(r"^(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")


# The one grammar of timestamps, shared by `validate` and the editor JSON Schema: a day, an
# upper-case T, hours and minutes (seconds and a fraction optional), and Z or a +HH:MM offset.
# Each pattern ends in `$(?!\n)`: in Python (and Python's JSON Schema validators) `$` also
# matches before a final line break, which an editor's `$` does not.
TIMESTAMP_PATTERN = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,9})?)?"
    r"(Z|[+-][0-9]{2}:[0-9]{2})$(?!\n)"
)
_TIMESTAMP = re.compile(TIMESTAMP_PATTERN)
_NO_OFFSET = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?$")
DAY_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$(?!\n)"
_DAY = re.compile(DAY_PATTERN)
_EXAMPLE = "2026-11-20T14:02:00Z"


def parse_timestamp(value: Any) -> datetime:
    """Parse an ISO 8601 timestamp and insist on an explicit offset.

    A timestamp without an offset would silently be read as some machine's local time, which is
    how a 3 a.m. incident ends up an hour off on the page; records.md makes it an error instead.
    Only the forms of TIMESTAMP_PATTERN are accepted, so `validate` and the editor's JSON
    Schema agree. The value is normalised to UTC so every later comparison is uniform.
    """
    if (
        type(value) is str
        and len(value) == 20
        and value[10] == "T"
        and value[19] == "Z"
        and _TIMESTAMP.fullmatch(value) is not None
    ):
        # The common case, 2026-11-20T14:02:00Z: already UTC, nothing to normalise.
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            pass  # the general path below explains what is wrong
    if isinstance(value, datetime):
        parsed = value
        text = value.isoformat()
    elif isinstance(value, str):
        text = value
        if _TIMESTAMP.fullmatch(text) is None:
            raise ValueError(_timestamp_problem(text))
        try:
            parsed = datetime.fromisoformat(text)
        except (ValueError, OverflowError):
            raise ValueError(_impossible_time(text)) from None
    else:
        raise ValueError(f"expected a timestamp such as {_EXAMPLE}, got {value!r}")
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise ValueError(_no_offset(text))
    try:
        return parsed.astimezone(UTC)
    except OverflowError:
        raise ValueError(f"timestamp '{text}' is out of range") from None


def _no_offset(text: str) -> str:
    return f"timestamp '{text}' has no offset; add one, e.g. '{text}Z' for UTC or '{text}+01:00'"


def _timestamp_problem(text: str) -> str:
    """Why `text` is not in the timestamp grammar, with the nearest form that is."""
    shown = repr(text)
    if _DAY.fullmatch(text.strip()):
        day = text.strip()
        return (
            f"{shown} is a date, not a timestamp; write a time and an offset, e.g. {day}T00:00:00Z"
        )
    if text != text.strip():
        return f"{shown} has spaces around it; write the timestamp alone, e.g. {_EXAMPLE}"
    if _TIMESTAMP.fullmatch(text.upper()) is not None:
        return f"{shown}: write 'T' and 'Z' in upper case: {text.upper()}"
    if len(text) > 10 and text[10] == " " and _TIMESTAMP.fullmatch(f"{text[:10]}T{text[11:]}"):
        return f"{shown}: write a 'T' between the day and the time: {text[:10]}T{text[11:]}"
    if _NO_OFFSET.fullmatch(text):
        return _no_offset(text)
    offset = re.match(r"^(.*[0-9])([+-])([0-9]{2})([0-9]{2})$", text)
    if offset and _TIMESTAMP.fullmatch(f"{offset[1]}{offset[2]}{offset[3]}:{offset[4]}"):
        fixed = f"{offset[1]}{offset[2]}{offset[3]}:{offset[4]}"
        return f"{shown}: write the offset with a colon: {fixed}"
    return (
        f"{shown} is not a timestamp in the records' form: YYYY-MM-DDTHH:MM:SS and Z or an "
        f"offset such as +01:00, e.g. {_EXAMPLE}"
    )


def _impossible_time(text: str) -> str:
    """Say precisely why a timestamp of the right form names no moment (24:00, leap seconds)."""
    hour, minute = text[11:13], text[14:16]
    second = text[17:19] if text[16:17] == ":" else "00"
    if hour == "24" and minute == "00" and second == "00":
        try:
            following = (date.fromisoformat(text[:10]) + timedelta(days=1)).isoformat()
        except (ValueError, OverflowError):
            following = "the next day"
        offset = text[-1] if text.endswith("Z") else text[-6:]
        return (
            f"'{text}': 24:00 is not a time of day here; write 00:00 of the next day, "
            f"{following}T00:00:00{offset}"
        )
    if second == "60":
        return f"'{text}': leap seconds (:60) cannot be recorded; write :59 of the same minute"
    try:
        date.fromisoformat(text[:10])
    except ValueError as err:
        return f"'{text}' is not a real day ({err}); fix the date"
    return f"'{text}' is not a real time of day (hours 00-23, minutes and seconds 00-59)"


# --- URLs: one grammar for page.url, tickets and sources ---------------------------------------

# Scheme, host (a DNS name or a bracketed IPv6 address), optional port, then path, query and
# fragment made only of RFC 3986 characters, percent escapes included. Quotes, spaces, <>,
# backslashes, backticks, braces and control characters are never part of it, so a URL that
# matches can be written into HTML, XML, JSON and calendars without breaking out of its place.
_LABEL = r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOST = rf"({_LABEL}(\.{_LABEL})*|\[[0-9A-Fa-f:.]+\])"
_PORT = (
    r"(:([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?"
)
URL_PATTERN = (
    rf"^https?://{_HOST}{_PORT}([/?#]([A-Za-z0-9._~!$&()*+,;=:@/?#-]|%[0-9A-Fa-f]{{2}})*)?$(?!\n)"
)
# A page's base URL: a path at most (no query, fragment or credentials), of plain characters.
BASE_URL_PATTERN = rf"^https?://{_HOST}{_PORT}(/([A-Za-z0-9._~/-]|%[0-9A-Fa-f]{{2}})*)?$(?!\n)"
_URL = re.compile(URL_PATTERN)
_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
_PATH_CHARS = frozenset(_ALNUM + "._~!$&()*+,;=:@/?#%-")
_BASE_PATH_CHARS = frozenset(_ALNUM + "._~/%-")
_BASE_URL = re.compile(BASE_URL_PATTERN)
_URL_EXAMPLE = "https://status.example.com"
_CHARACTER_NAMES = {
    '"': "a double quote",
    "'": "a single quote",
    " ": "a space",
    "<": "'<'",
    ">": "'>'",
    "\\": "a backslash",
    "`": "a backtick",
}


def url_problem(value: object, *, base: bool = False) -> str | None:
    """Why `value` is not a URL a record may hold, or None when it is one.

    `base` is for page.url, which every published link is made from: only a scheme, a host,
    a port and a path. Importers ask this too, so they never copy a URL a record could not hold.
    The checks run from the outside in, so the message names the first thing to fix.
    """
    if not isinstance(value, str):
        return f"expected a URL such as {_URL_EXAMPLE}, got {value!r}"
    if (_BASE_URL if base else _URL).fullmatch(value):
        return None
    shown = printable(value)
    scheme, _, rest = value.partition("://")
    authority = re.split(r"[/?#]", rest, maxsplit=1)[0]
    return (
        _scheme_problem(value, shown)
        or _character_problem(value, shown)
        or _authority_problem(shown, scheme, authority)
        or _path_problem(shown, rest, authority, base)
        or f"'{shown}' has a malformed percent escape; write % followed by two hex digits"
    )


def _scheme_problem(value: str, shown: str) -> str | None:
    scheme, sep, _ = value.partition("://")
    if not sep or scheme.lower() not in ("http", "https"):
        return f"'{shown}' is not an absolute http(s) URL; write it as e.g. {_URL_EXAMPLE}"
    if scheme not in ("http", "https"):
        return f"'{shown}': write the scheme in lower case ({scheme.lower()}://)"
    return None


def _character_problem(value: str, shown: str) -> str | None:
    """The first character that may not stand anywhere in a URL, by name and place."""
    for index, char in enumerate(value):
        name = _character_name(char)
        if name is not None:
            return (
                f"'{shown}' contains {name} at character {index + 1}; a URL may not hold "
                "quotes, spaces, <>, backslashes or control characters (percent-encode them)"
            )
    return None


def _character_name(char: str) -> str | None:
    name = _CHARACTER_NAMES.get(char)
    if name is not None:
        return name
    if ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F:
        return f"the control character {printable(char)}"
    if ord(char) > 0x7E:
        return f"the non-ASCII character '{printable(char)}'"
    return None


def _authority_problem(shown: str, scheme: str, authority: str) -> str | None:
    if "@" in authority:
        return f"'{shown}' holds a user name or password; write the URL without them"
    port = re.fullmatch(r"(?:[^:]+|\[[^]]*\]):([0-9]+)", authority)
    if port and not 0 < int(port[1]) < 65536:
        return f"'{shown}' has port {port[1]}; ports are 1 to 65535"
    if not authority or not re.fullmatch(_HOST + _PORT, authority):
        return f"'{shown}' has no valid host name after {scheme}://; write e.g. {_URL_EXAMPLE}"
    return None


def _path_problem(shown: str, rest: str, authority: str, base: bool) -> str | None:
    """A query or fragment in page.url, or the first character its path may not hold."""
    if base and re.search(r"[?#]", rest):
        return f"'{shown}': page.url is the page's address: no query (?) or fragment (#)"
    path = rest[len(authority) :]
    allowed = _BASE_PATH_CHARS if base else _PATH_CHARS
    bad = next((c for c in path if c not in allowed), None)
    if bad is None:
        return None
    what = "the path of page.url" if base else "a URL"
    return (
        f"'{shown}': '{bad}' cannot stand in {what} (allowed: letters, digits and "
        f"{''.join(sorted(set(allowed) - set(_ALNUM)))}); percent-encode it"
    )


def parse_url(value: Any) -> str:
    """A URL that passed url_problem (action item tickets, import sources)."""
    problem = url_problem(value)
    if problem is not None:
        raise ValueError(problem)
    assert isinstance(value, str)
    return value


def parse_base_url(value: Any) -> str:
    """page.url: a base URL without its trailing slash, since links are made as url + '/...'."""
    problem = url_problem(value, base=True)
    if problem is not None:
        raise ValueError(problem)
    assert isinstance(value, str)
    return value.rstrip("/")


def printable(text: str) -> str:
    """Text with control and invisible formatting characters escaped, safe to echo anywhere.

    Record text reaches terminals, CI logs and GitHub annotations through messages; an escape
    sequence or a line break there could recolour a terminal or write a workflow command.
    """
    if text.isprintable():
        return text
    out = []
    for char in text:
        if char.isprintable():
            out.append(char)
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif char == "\r":
            out.append("\\r")
        elif ord(char) <= 0xFF:
            out.append(f"\\x{ord(char):02x}")
        elif ord(char) <= 0xFFFF:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(f"\\U{ord(char):08x}")
    return "".join(out)


def parse_day(value: Any) -> date:
    """Parse a calendar day written as YYYY-MM-DD (and nothing else)."""
    if isinstance(value, datetime):
        raise ValueError("expected a day (YYYY-MM-DD), not a timestamp")
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _DAY.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError as err:
            raise ValueError(f"'{value}' is not a real day ({err})") from None
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


# The units of the record syntax, largest first, with their length in seconds.
DURATION_UNITS: tuple[tuple[str, int], ...] = (("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1))


def duration_text(
    seconds: int,
    *,
    units: Sequence[tuple[str, int]] = DURATION_UNITS,
    parts: int | None = None,
    zero: str = "0s",
    join: str = "",
) -> str:
    """Whole seconds as counts of units, largest first, zero counts left out ("1d2h", "45m").

    The one splitting of a duration into units: records, commands, the report and the page
    differ only in the units they show, how many parts they keep and how they join them.
    What is left below the smallest unit is dropped; `zero` stands when no part remains.
    """
    shown = []
    for label, size in units:
        count, seconds = divmod(seconds, size)
        if count:
            shown.append(f"{count}{label}")
    return join.join(shown[:parts]) or zero


def format_duration(value: timedelta) -> str:
    """Write a duration back in the record syntax (the inverse of parse_duration)."""
    return duration_text(int(value.total_seconds()))


def format_timestamp(value: datetime) -> str:
    """Write a timestamp as records do: UTC with a Z, seconds precision."""
    # isoformat, not strftime: %Y writes year 999 as '999', which no reader takes back.
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


Timestamp = Annotated[
    datetime,
    PlainValidator(parse_timestamp),
    PlainSerializer(format_timestamp, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": TIMESTAMP_PATTERN,
            "examples": ["2026-11-20T14:02:00Z"],
        }
    ),
]
Url = Annotated[
    str,
    PlainValidator(parse_url),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": URL_PATTERN,
            "examples": ["https://tracker.example.com/OPS-123"],
        }
    ),
]
BaseUrl = Annotated[
    str,
    PlainValidator(parse_base_url),
    WithJsonSchema({"type": "string", "pattern": BASE_URL_PATTERN, "examples": [_URL_EXAMPLE]}),
]
Day = Annotated[
    date,
    BeforeValidator(parse_day),
    WithJsonSchema({"type": "string", "pattern": DAY_PATTERN, "examples": ["2026-11-20"]}),
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
