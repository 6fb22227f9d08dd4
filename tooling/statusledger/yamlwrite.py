"""The one YAML writer, in the house style people write by hand.

It writes new records, postmortems and services.yaml, and the values the editor (yamledit.py)
adds to existing files.

Block style with indented lists, timestamps and ids unquoted, long single-line text folded over
lines of FOLD_WIDTH, multi-line text as literal blocks, double quotes with escapes otherwise.
Every string is checked by parsing it back (`emit_scalar`), so what is written reads back as
exactly the value meant, for our reader and for any YAML 1.1 reader alike.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from typing import Any

import yaml
from pydantic import BaseModel

from statusledger.yamlfile import YamlProblem, parse

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

FOLD_WIDTH = 80
# Dates and timestamps, written unquoted as people write them (our reader keeps them as text).
_TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d))?")


# --- scalars ----------------------------------------------------------------------------------


def emit_scalar(value: str, indent: int, *, flow: bool = False) -> str:
    """YAML text for `value` after `key: ` that any YAML reader turns back into `value` exactly.

    Plain when that is unambiguous, folded over lines of FOLD_WIDTH when long (as people write
    them), a literal block (indented `indent` columns) for multi-line text, double-quoted with
    escapes otherwise. Each choice is checked by parsing it back.
    """
    single = "\n" not in value and "\r" not in value
    if single and not flow and indent + len(value) > FOLD_WIDTH:
        folded = _folded(value, indent)
        if folded is not None:
            return folded
    if single and _reads_back(value, value, flow):
        return value
    if "\n" in value and not flow:
        block = _literal(value, indent)
        if block is not None:
            return block
    return double_quoted(value)


def scalar(value: Any, indent: int, *, flow: bool = False) -> str:
    """The text of any plain scalar of a record: strings as `emit_scalar`, timestamps bare."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if _TIMESTAMP.fullmatch(value):
        return str(value)
    return emit_scalar(value, indent, flow=flow)


def _folded(value: str, indent: int) -> str | None:
    """`>-` with the words wrapped; only for text whose spaces folding cannot change."""
    if value != value.strip() or "  " in value or "\t" in value:
        return None
    lines: list[str] = []
    for word in value.split(" "):
        if lines and indent + len(lines[-1]) + 1 + len(word) <= FOLD_WIDTH:
            lines[-1] += " " + word
        else:
            lines.append(word)
    text = ">-" + "".join("\n" + " " * indent + line for line in lines)
    return text if _reads_back(text, value, False) else None


def _literal(value: str, indent: int) -> str | None:
    body, chomp = (value[:-1], "") if value.endswith("\n") else (value, "-")
    lines = body.split("\n")
    if body.endswith("\n") or not lines[0].strip() or lines[0][0] in " \t":
        return None
    if any(line != line.rstrip(" \t") for line in lines):
        return None  # trailing spaces are invisible in review: quote them instead
    text = "|" + chomp + "".join("\n" + (" " * indent + line if line else "") for line in lines)
    return text if _reads_back(text, value, False) else None


@functools.lru_cache(maxsize=4096)
def _reads_back(text: str, value: str, flow: bool) -> bool:
    """Whether `k: text` reads as `value`, for our reader and for a YAML 1.1 one alike."""
    snippet = "{k: " + text + "}\n" if flow else "k: " + text + "\n"
    try:
        ours, _ = parse(snippet, with_positions=False)
        theirs = yaml.load(snippet, Loader=_Loader)
    except (YamlProblem, yaml.YAMLError):
        return False
    return all(
        isinstance(d, dict) and d.get("k") == value and isinstance(d.get("k"), str)
        for d in (ours, theirs)
    )


# --- double quotes --------------------------------------------------------------------------

_DQ_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "\n": "\\n",
    "\t": "\\t",
    "\r": "\\r",
    "\0": "\\0",
    "\x85": "\\N",
    "\u2028": "\\L",
    "\u2029": "\\P",
    "\ufeff": "\\uFEFF",
}
_PRINTABLE = re.compile("[\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def double_quoted(value: str) -> str:
    """A double-quoted YAML scalar: every character that could be misread is escaped."""
    out = []
    for char in value:
        if char in _DQ_ESCAPES:
            out.append(_DQ_ESCAPES[char])
        elif _PRINTABLE.fullmatch(char):
            out.append(char)
        elif ord(char) <= 0xFF:
            out.append(f"\\x{ord(char):02X}")
        elif ord(char) <= 0xFFFF:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(f"\\U{ord(char):08X}")
    return '"' + "".join(out) + '"'


# --- collections ------------------------------------------------------------------------------


def entry_lines(key: str, value: Any, col: int) -> list[str]:
    """`key: value` at column `col`, a nested block below the key when the value has one."""
    lead = " " * col + f"{key}:"
    if isinstance(value, Mapping) and value:
        return [lead, *(line for k, v in value.items() for line in entry_lines(k, v, col + 2))]
    if isinstance(value, list) and value:
        return [lead, *(line for item in value for line in item_lines(item, col + 2, col + 4))]
    return [
        f"{lead} {flow(value) if isinstance(value, Mapping | list) else scalar(value, col + 2)}"
    ]


def item_lines(item: Any, dash: int, col: int) -> list[str]:
    """One list item: its dash at column `dash`, a mapping's keys at column `col`."""
    if isinstance(item, Mapping) and item:
        lines = [line for k, v in item.items() for line in entry_lines(k, v, col)]
        first = lines[0]
        return [" " * dash + "-" + " " * (col - dash - 1) + first[col:], *lines[1:]]
    if isinstance(item, list) and item:
        return [" " * dash + "- " + flow(item)]
    text = flow(item) if isinstance(item, Mapping | list) else scalar(item, dash + 2)
    return [" " * dash + "- " + text]


def flow(value: Any) -> str:
    """A value on one line, `{k: v}` and `[a, b]` style, for flow collections."""
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}: {flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(flow(v) for v in value) + "]"
    return scalar(value, 0, flow=True)


def document(data: Mapping[str, Any], *, blank_between: bool = False) -> str:
    """A whole file of top-level keys (with a blank line between them when asked)."""
    blocks = ["".join(line + "\n" for line in entry_lines(k, v, 0)) for k, v in data.items()]
    return ("\n" if blank_between else "").join(blocks)


def plain(model: BaseModel, always: Sequence[str] = ()) -> dict[str, Any]:
    """The model as JSON-like data without defaults (but `always`), keys in the model's order."""
    data = model.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    full = model.model_dump(mode="json", by_alias=True)
    return {
        key: data[key] if key in data else full[key] for key in full if key in data or key in always
    }
