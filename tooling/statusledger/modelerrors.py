"""Pydantic's validation errors as findings: where (file, line, column), what, and how to fix.

The loader hands every error of a record's model here; the message names the field path, and
the hint offers the closest known key, or says how a number, a boolean or a URL is written.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel

from statusledger.errors import Finding
from statusledger.yamlfile import Path_, Positions


def schema_finding(
    model_cls: type[BaseModel], error: Any, positions: Positions, rel: str
) -> Finding:
    """Turn one pydantic error into a finding that says where, what and how to fix it."""
    loc: Path_ = tuple(error["loc"])
    where = ".".join(str(part) for part in loc) or "the document"
    kind = error["type"]
    if kind == "extra_forbidden":
        line, col = positions.of(loc, key=True)
        allowed = _allowed_keys(model_cls, loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        hint = f"did you mean '{close[0]}'?" if close else "remove it"
        if allowed:
            hint += " Allowed here: " + ", ".join(allowed)
        return Finding(rel, line, col, "schema/unknown-key", f"unknown key '{where}'", hint)
    line, col = positions.of(loc[:-1] if kind == "missing" else loc, key=kind == "missing")
    if kind == "missing":
        parent = ".".join(str(p) for p in loc[:-1])
        inside = f" in {parent}" if parent else ""
        return Finding(
            rel,
            line,
            col,
            "schema/missing-key",
            f"missing required key '{loc[-1]}'{inside}",
            f"add '{loc[-1]}:' (see tooling/docs/records.md)",
        )
    message = str(error["msg"]).removeprefix("Value error, ")
    value = error.get("input")
    shown = (
        f" (got {value!r})"
        if isinstance(value, str | int | float | bool) and str(value) not in message
        else ""
    )
    return Finding(
        rel,
        line,
        col,
        "schema/invalid-value",
        f"{where}: {message}{shown}",
        _closest_choice(error)
        or _TYPE_HINTS.get(
            "url" if loc and loc[-1] in ("url", "ticket") else kind,
            "fix the value; the JSON Schemas from 'statusledger schema' list what is allowed",
        ),
    )


def _closest_choice(error: Any) -> str:
    """For a mistyped enum value (`identifed`), the allowed value meant, as for unknown keys."""
    value = error.get("input")
    if error["type"] not in ("enum", "literal_error") or not isinstance(value, str):
        return ""
    allowed = re.findall(r"'([^']*)'", str(error.get("ctx", {}).get("expected", "")))
    close = difflib.get_close_matches(value, allowed, n=1)
    return f"did you mean '{close[0]}'?" if close else ""


# Numbers and booleans are strict (records/models.py): say what the value should look like.
_TYPE_HINTS = {
    "float_type": "write a plain decimal number such as 99.9, without quotes: yes/no, hex "
    "(0x63) and quoted numbers are not read as numbers",
    "bool_type": "write true or false (not 1, 0 or a quoted word)",
    "url": "write an absolute http(s) URL such as https://status.example.com, with any quote, "
    "space, <, > or non-ASCII character percent-encoded (%22, %20, %3C, %3E)",
}


def _allowed_keys(model_cls: type[BaseModel], loc: Iterable[str | int]) -> list[str]:
    """Walk the model's annotations along `loc` to list the keys allowed at that place."""
    current: Any = model_cls
    for part in loc:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field_info = next(
                (f for name, f in current.model_fields.items() if (f.alias or name) == part), None
            )
            if field_info is None:
                return []
            current = field_info.annotation
        elif typing.get_origin(current) in (list, dict):
            current = typing.get_args(current)[-1]
        else:
            return []
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [f.alias or name for name, f in current.model_fields.items()]
    return []


def _unwrap(annotation: Any) -> Any:
    """Strip Optional and Annotated wrappers to reach the model or container type."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0]
        else:
            return annotation
