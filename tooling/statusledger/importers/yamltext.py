"""The shared writer: record, postmortem and services.yaml text in the house style.

New files are written from the models with PyYAML (block style, indented lists, timestamps
unquoted, multi-line messages as literal blocks) so they read like hand-written records.
Existing files are only ever added to: services.yaml gets new components and groups inserted
as text, and a record that gained updates at the source is edited with ruamel.yaml's round
trip, so the author's comments and layout survive a re-import.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import yaml
from pydantic import BaseModel

from statusledger.records.models import Incident, Maintenance, Postmortem, Services

_TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d))?$")
_TOP_KEY = re.compile(r"^[^\s#-][^:]*:")
WIDTH = 100


class _Dumper(yaml.SafeDumper):
    """Block style with indented sequences, as in docs/records.md and the example organisation."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if _TIMESTAMP.match(value):
        # Unquoted, as people write them; the loader keeps timestamps as text anyway.
        return dumper.represent_scalar("tag:yaml.org,2002:timestamp", value)
    if any(ch in value for ch in "\x85\u2028\u2029\r\ufeff"):
        # YAML reads these as line breaks (or drops them) unless escaped in double quotes.
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _represent_str)


def dump(data: Any) -> str:
    """YAML text of plain data in the house style."""
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=WIDTH,
        default_flow_style=False,
    )


def plain(model: BaseModel, always: Sequence[str] = ()) -> dict[str, Any]:
    """The model as JSON-like data without defaults, keys in the model's order."""
    data = model.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    full = model.model_dump(mode="json", by_alias=True)
    return {
        key: data[key] if key in data else full[key] for key in full if key in data or key in always
    }


def record_text(record: Incident | Maintenance) -> str:
    """The file text of a new incident or maintenance record."""
    return dump(plain(record, always=("visibility",)))


def postmortem_text(postmortem: Postmortem, body: str) -> str:
    """The file text of a postmortem: YAML front matter, then the Markdown body."""
    return f"---\n{dump(plain(postmortem))}---\n\n{body.strip()}\n"


def services_text(services: Services) -> str:
    """The text of a new services.yaml."""
    data = plain(services)
    if "groups" in data:
        data["groups"] = data.pop("groups")
    parts = [dump({key: value}) for key, value in data.items()]
    return "\n".join(parts)


# --- appending to services.yaml ---------------------------------------------------------------


def _block_end(lines: list[str], key_index: int) -> int:
    """Index after the last line belonging to the top-level key at `key_index`.

    Blank lines and column-0 comments just before the next key belong to that key, so new
    items go right after the last item of this block.
    """
    end = key_index + 1
    for index in range(key_index + 1, len(lines)):
        line = lines[index]
        if _TOP_KEY.match(line):
            break
        if line.strip() and not line.startswith("#"):
            end = index + 1
    return end


def _items_text(items: list[dict[str, Any]], indent: str) -> list[str]:
    text = dump(items)
    return [indent + line if line else line for line in text.splitlines(keepends=True)]


def _item_indent(lines: list[str], key_index: int, end: int) -> str:
    for line in lines[key_index + 1 : end]:
        match = re.match(r"^(\s*)- ", line)
        if match:
            return match.group(1)
    return "  "


def append_items(text: str, key: str, items: list[dict[str, Any]]) -> str | None:
    """Append list items under a top-level block key, leaving every existing line as it was.

    Returns None when the key is written in a way this cannot extend (a flow list on the key's
    own line); the caller then falls back to a YAML round trip.
    """
    if not items:
        return text
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    key_line = re.compile(rf"^{re.escape(key)}:[ \t]*(#.*)?$")
    index = next((i for i, line in enumerate(lines) if key_line.match(line.rstrip("\n"))), None)
    if index is None:
        if any(re.match(rf"^{re.escape(key)}:", line) for line in lines):
            return None
        block = [f"{key}:\n", *_items_text(items, "  ")]
        separator = ["\n"] if lines and lines[-1].strip() else []
        return "".join([*lines, *separator, *block])
    end = _block_end(lines, index)
    indent = _item_indent(lines, index, end)
    return "".join([*lines[:end], *_items_text(items, indent), *lines[end:]])


def round_trip_append(text: str, key: str, items: list[dict[str, Any]]) -> str:
    """Append list items with ruamel.yaml's round trip (keeps comments, may re-indent)."""
    yml = _ruamel()
    data = yml.load(text)
    existing = data.get(key)
    if existing is None:
        data[key] = items
    else:
        existing.extend(items)
    out = io.StringIO()
    yml.dump(data, out)
    return out.getvalue()


# --- editing an existing record ---------------------------------------------------------------


def _ruamel() -> Any:
    from ruamel.yaml import YAML

    yml = YAML()
    yml.preserve_quotes = True
    yml.width = 4096
    yml.indent(mapping=2, sequence=4, offset=2)
    return yml


def _ruamel_value(value: Any) -> Any:
    """Plain data as ruamel nodes that dump like the house style (plain timestamps, | blocks)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import LiteralScalarString

    if isinstance(value, dict):
        return CommentedMap((k, _ruamel_value(v)) for k, v in value.items())
    if isinstance(value, list):
        return CommentedSeq(_ruamel_value(v) for v in value)
    if isinstance(value, str) and _TIMESTAMP.match(value) and "T" in value:
        return _ruamel_timestamp(value)
    if isinstance(value, str) and "\n" in value:
        return LiteralScalarString(value)
    return value


def _ruamel_timestamp(value: str) -> Any:
    """A ruamel timestamp that dumps back as written; plain text (quoted) if that fails."""
    try:
        from ruamel.yaml.timestamp import TimeStamp

        moment = datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)
        stamp = TimeStamp(
            moment.year,
            moment.month,
            moment.day,
            moment.hour,
            moment.minute,
            moment.second,
            tzinfo=timezone(timedelta(0), "Z"),
        )
        stamp._yaml.update({"t": True, "tz": "Z", "delta": 0})
        return stamp
    except (ImportError, AttributeError, TypeError):  # pragma: no cover - other ruamel versions
        return value


def edit_record(
    text: str,
    changes: dict[str, Any],
    item_changes: Sequence[tuple[str, int, str, Any]] = (),
    appends: dict[str, list[Any]] | None = None,
) -> str:
    """Change a record's text in place, keeping its comments and layout.

    `changes` sets top-level keys (a mapping value is merged key by key, so milestones the
    author wrote stay put); `item_changes` sets one key of one list item, e.g.
    ("impact", 0, "to", ts); `appends` adds items at the end of top-level lists.
    """
    yml = _ruamel()
    data = yml.load(text)
    for key, value in changes.items():
        current = data.get(key)
        if isinstance(value, dict) and current is not None and hasattr(current, "items"):
            for sub, sub_value in value.items():
                current[sub] = _ruamel_value(sub_value)
        else:
            data[key] = _ruamel_value(value)
    for key, index, sub, value in item_changes:
        data[key][index][sub] = _ruamel_value(value)
    for key, items in (appends or {}).items():
        if not items:
            continue
        if data.get(key) is None:
            data[key] = _ruamel_value(items)
        else:
            data[key].extend(_ruamel_value(item) for item in items)
    out = io.StringIO()
    yml.dump(data, out)
    return out.getvalue()
