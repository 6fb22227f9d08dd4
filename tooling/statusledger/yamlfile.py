"""A strict, position-keeping YAML reader for record files.

PyYAML's C parser composes the node graph; we build plain Python values from it ourselves so
that duplicate keys, alias bombs and odd tags are refused with a line and column, timestamps
stay strings until the models parse them (so a missing offset is caught, never guessed), and the
position of every key and value can be looked up by its path for error messages. At the end,
the one writer of double-quoted strings (authoring and the site's front matter use it).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from statusledger import blockyaml

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 1024 * 1024
MAX_NODES = blockyaml.MAX_NODES

Path_ = tuple[str | int, ...]
Position = tuple[int, int]

_TAG = "tag:yaml.org,2002:"
# The tags a plain or quoted key resolves to; anything else was written as an explicit tag.
_KEY_TAGS = frozenset(_TAG + name for name in ("str", "int", "float", "bool", "null", "timestamp"))


class _FastLoader(_Loader):
    """The C loader with tag resolution memoised.

    PyYAML resolves every scalar's implicit tag with Python regexes, which is most of the cost
    of reading ten thousand records; the answer depends only on the scalar's text and whether it
    was quoted, and record files repeat the same keys and values, so it is cached.
    """

    _plain_cache: ClassVar[dict[str, str]] = {}

    def descend_resolver(self, current_node: object, current_index: object) -> None:
        """Path resolvers are not used; skipping them saves two calls per node."""

    def ascend_resolver(self) -> None:
        """Path resolvers are not used."""

    def resolve(self, kind: type, value: str | None, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode and value is not None and implicit[0]:
            cached = self._plain_cache.get(value)
            if cached is None:
                cached = str(super().resolve(kind, value, implicit))  # type: ignore[no-untyped-call]
                if len(self._plain_cache) < 200_000:
                    self._plain_cache[value] = cached
            return cached
        if kind is ScalarNode and implicit[1]:
            return _TAG + "str"
        if kind is SequenceNode:
            return _TAG + "seq"
        if kind is MappingNode:
            return _TAG + "map"
        return str(super().resolve(kind, value, implicit))  # type: ignore[no-untyped-call]


class YamlProblem(Exception):
    """Something in the text that keeps it from being a record; carries a position and rule."""

    def __init__(self, rule: str, message: str, hint: str, line: int = 1, col: int = 1) -> None:
        super().__init__(message)
        self.rule = rule
        self.message = message
        self.hint = hint
        self.line = line
        self.col = col


@dataclass
class Positions:
    """Where each key and value of a document stands in its file (1-based line and column).

    One plain form: two mappings from a node's path to (line, col), of the value and of its
    key. PyYAML's reader fills them whole. For text the fast block reader read (and text whose
    values came from the parse cache) `source` keeps the text, and the mappings are filled along
    one path when a finding first asks where it is: most records never need a position. Nothing
    is written back anywhere; a later run finds a position in the text again.
    """

    values: dict[Path_, Position] = field(default_factory=dict)
    keys: dict[Path_, Position] = field(default_factory=dict)
    problems: list[YamlProblem] = field(default_factory=list)
    # The text and line offset to place paths in, until the mappings are complete.
    source: tuple[str, int] | None = None
    # The paths placed from `source` so far.
    routes: set[Path_] = field(default_factory=set)

    def of(self, loc: Path_, *, key: bool = False) -> Position:
        """Return the best-known position for a path: the node itself or its nearest parent.

        With `key` the position of the mapping key is preferred, which is where an unknown or
        misspelt key should be pointed at.
        """
        probe = tuple(loc)
        if self.source is not None and probe not in self.routes:
            self._find(*self.source, probe)
        while True:
            if key and probe in self.keys:
                return self.keys[probe]
            if probe in self.values:
                return self.values[probe]
            if probe in self.keys:
                return self.keys[probe]
            if not probe:
                return (1, 1)
            probe = probe[:-1]

    def _find(self, text: str, line_offset: int, route: Path_) -> None:
        """Work out where `route` and its parents stand in the text.

        The fast reader places only the nodes along the route (a finding needs one place);
        PyYAML places everything when the fast reader cannot read the text.
        """
        where = blockyaml.Where(line_offset, route)
        if blockyaml.read(text, line_offset, where) is not None:
            self.values.update(where.values)
            self.keys.update(where.keys)
            self.routes.add(route)
        else:
            found = _compose_and_build(text, line_offset, True)[1]
            self.values, self.keys, self.source = found.values, found.keys, None


def decode(raw: bytes) -> str:
    """Decode a record file, refusing what a YAML editor would not show correctly."""
    if len(raw) > MAX_BYTES:
        raise YamlProblem(
            "file/too-large",
            f"the file is {len(raw):,} bytes; record files are limited to {MAX_BYTES:,}",
            "split it, or move long text into a postmortem",
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        col = err.start - (raw.rfind(b"\n", 0, err.start) + 1) + 1
        raise YamlProblem(
            "file/encoding",
            f"the file is not UTF-8 (byte 0x{raw[err.start]:02x} cannot be decoded)",
            "save the file as UTF-8",
            line,
            col,
        ) from None
    return text.removeprefix("\ufeff")


# What YAML 1.1 does not allow in a stream (PyYAML's reader refuses the same), found before
# parsing so the finding names its line: PyYAML's reader error carries no line, only 1:1.
_NOT_YAML_TEXT = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
_CONTROL_NAMES = {"\x00": "NUL", "\x07": "BEL", "\x08": "backspace", "\x1b": "ESC", "\x7f": "DEL"}
# A node's properties when they hold a tag: an anchor may come first.
_EXPLICIT_TAG = re.compile(r"(?:&[^\s]+[ \t]+)?!")
# Git's conflict markers at the start of a line: no record or front matter can hold them there.
_CONFLICT = re.compile(r"^(<{7}|={7}|>{7})(?: |$)", re.MULTILINE)


def _line_col(text: str, index: int) -> Position:
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


def refuse_control_characters(text: str, line_offset: int = 0) -> None:
    """Raise YamlProblem at the first control character YAML refuses, with its line.

    The fast block reader only reads printable text, so only text it gave up on (and a
    postmortem's Markdown body) is scanned.
    """
    bad = _NOT_YAML_TEXT.search(text)
    if bad is not None:
        line, col = _line_col(text, bad.start())
        line += line_offset
        char = bad.group()
        name = _CONTROL_NAMES.get(char, "a control character")
        raise YamlProblem(
            "file/control-character",
            f"the file holds U+{ord(char):04X} ({name}) at line {line}, column {col}; "
            "YAML does not allow control characters in a file",
            "delete it (an editor that shows invisible characters finds it); in text, write "
            "an escape such as \\t inside double quotes instead",
            line,
            col,
        )


def _conflict_markers(text: str, line_offset: int) -> None:
    """Refuse a file left with Git conflict markers, naming the first: a syntax error would not."""
    if "<<<<<<<" not in text and ">>>>>>>" not in text and "=======" not in text:
        return
    marker = _CONFLICT.search(text)
    if marker is None:
        return
    line, _ = _line_col(text, marker.start())
    raise YamlProblem(
        "file/merge-conflict",
        f"the file holds a Git conflict marker ({marker.group(1)}) at line {line + line_offset}",
        "resolve the merge conflict: keep the right lines between <<<<<<<, ======= and >>>>>>>, "
        "delete the three marker lines, then validate again",
        line + line_offset,
        1,
    )


def parse(text: str, *, line_offset: int = 0, with_positions: bool = True) -> tuple[Any, Positions]:
    """Parse one YAML document into plain values, and the positions of its nodes.

    `line_offset` shifts reported lines, for front matter that starts below line 1.
    """
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        raise YamlProblem("file/empty", "the file is empty", "write the record, or delete the file")
    _conflict_markers(text, line_offset)
    quick = blockyaml.read(text, line_offset)
    if quick is not None:
        value, duplicates = quick
        positions = Positions(source=(text, line_offset) if with_positions else None)
        positions.problems = [
            YamlProblem(
                "yaml/duplicate-key",
                f"duplicate key '{key}' (first at line {first})",
                "keep one of them; YAML would silently drop the other",
                line,
                col,
            )
            for key, line, col, first in duplicates
        ]
        return value, positions
    return _compose_and_build(text, line_offset, with_positions)


def _compose_and_build(text: str, line_offset: int, with_positions: bool) -> tuple[Any, Positions]:
    """The full reader: PyYAML composes the node graph, which `_Builder` turns into values."""
    refuse_control_characters(text, line_offset)
    try:
        node = yaml.compose(text, Loader=_FastLoader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = (mark.line + 1 + line_offset) if mark else 1 + line_offset
        col = (mark.column + 1) if mark else 1
        problem = err.problem or "invalid YAML"
        context = f" {err.context}" if err.context else ""
        tab = _tab_indent(text, mark.line if mark else None)
        if tab is not None:
            raise YamlProblem(
                "yaml/syntax",
                "a tab in the indentation: YAML indents with spaces only",
                "indent with spaces (set your editor to insert spaces for the Tab key)",
                tab[0] + 1 + line_offset,
                tab[1] + 1,
            ) from None
        raise YamlProblem(
            "yaml/syntax",
            f"YAML syntax error: {problem}{context}",
            "check indentation, colons and quotes around this spot (quote text that contains ': ')",
            line,
            col,
        ) from None
    except yaml.YAMLError as err:
        raise YamlProblem(
            "yaml/syntax", f"YAML error: {err}", "fix the YAML", 1 + line_offset
        ) from None
    if node is None:
        raise YamlProblem("file/empty", "the file is empty", "write the record, or delete the file")
    builder = _Builder(line_offset, with_positions, text)
    value = builder.build(node, ())
    return value, builder.positions


def _tab_indent(text: str, line: int | None) -> tuple[int, int] | None:
    """(line, column) of a tab indenting the line where the scanner stopped, or the one above.

    PyYAML says "found character that cannot start any token" there, which does not tell the
    author that the invisible character is the problem.
    """
    if line is None:
        return None
    lines = text.splitlines()
    for index in (line, line - 1):
        if 0 <= index < len(lines):
            body = lines[index]
            lead = body[: len(body) - len(body.lstrip(" \t"))]
            if "\t" in lead and body.strip():
                return index, lead.index("\t")
    return None


class _Builder:
    """Turns composed nodes into values, checking keys and counting nodes as it goes."""

    def __init__(self, line_offset: int, with_positions: bool, text: str = "") -> None:
        self.text = text
        self.line_offset = line_offset
        self.with_positions = with_positions
        self.positions = Positions()
        self.count = 0
        self.active: set[int] = set()

    def _tagged(self, node: Node) -> bool:
        """Whether the node was written with an explicit tag (`!!str key:`), not resolved."""
        return _EXPLICIT_TAG.match(self.text, node.start_mark.index) is not None

    def _pos(self, node: Node) -> Position:
        return (node.start_mark.line + 1 + self.line_offset, node.start_mark.column + 1)

    def build(self, node: Node, path: Path_) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            line, col = self._pos(node)
            raise YamlProblem(
                "yaml/too-many-nodes",
                f"the document expands to more than {MAX_NODES:,} values (an alias bomb?)",
                "write the values out; records do not need anchors and aliases",
                line,
                col,
            )
        if self.with_positions:
            mark = node.start_mark
            self.positions.values[path] = (mark.line + 1 + self.line_offset, mark.column + 1)
        if isinstance(node, ScalarNode):
            return self._scalar(node)
        if id(node) in self.active:
            line, col = self._pos(node)
            raise YamlProblem(
                "yaml/recursive-alias",
                "an alias refers to the node that contains it",
                "remove the anchor and alias",
                line,
                col,
            )
        default_tag = _TAG + ("seq" if isinstance(node, SequenceNode) else "map")
        if node.tag != default_tag:
            line, col = self._pos(node)
            raise YamlProblem(
                "yaml/tag",
                f"unsupported YAML tag {node.tag}",
                "remove the tag; records hold only text, numbers, booleans, lists and mappings",
                line,
                col,
            )
        self.active.add(id(node))
        try:
            if isinstance(node, SequenceNode):
                return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
            if isinstance(node, MappingNode):
                return self._mapping(node, path)
        finally:
            self.active.discard(id(node))
        raise YamlProblem("yaml/syntax", "unsupported YAML node", "simplify the YAML")

    def _scalar(self, node: ScalarNode) -> Any:
        tag = node.tag
        if tag == _TAG + "str" or tag == _TAG + "timestamp":
            # Timestamps stay text: the models insist on an explicit offset. Short words
            # (statuses, levels, component ids) are interned like keys.
            value: str = node.value
            return sys.intern(value) if len(value) <= 24 and node.style is None else value
        if tag in (_TAG + "int", _TAG + "float", _TAG + "bool", _TAG + "null"):
            return blockyaml.construct(tag, node.value)
        line, col = self._pos(node)
        raise YamlProblem(
            "yaml/tag",
            f"unsupported YAML tag {tag}",
            "remove the tag; records hold only text, numbers, booleans, lists and mappings",
            line,
            col,
        )

    def _mapping(self, node: MappingNode, path: Path_) -> dict[str, Any]:
        result: dict[str, Any] = {}
        seen: dict[str, Position] = {}
        for key_node, value_node in node.value:
            mark = key_node.start_mark
            key_pos = (mark.line + 1 + self.line_offset, mark.column + 1)
            if not isinstance(key_node, ScalarNode):
                raise YamlProblem(
                    "yaml/key-type",
                    "a mapping key must be plain text",
                    "write the key as a word followed by a colon",
                    *key_pos,
                )
            if key_node.tag not in _KEY_TAGS or self._tagged(key_node):
                raise YamlProblem(
                    "yaml/tag",
                    f"unsupported YAML tag {key_node.tag.replace(_TAG, '!!')} on a key",
                    "remove the tag; keys are plain words",
                    *key_pos,
                )
            # Interned: records repeat the same few dozen keys, and the parse cache stores a
            # repeated object once.
            key = sys.intern(str(key_node.value))
            if key in seen:
                # Reported, and the first value kept, so the rest of the file is still checked.
                self.positions.problems.append(
                    YamlProblem(
                        "yaml/duplicate-key",
                        f"duplicate key '{key}' (first at line {seen[key][0]})",
                        "keep one of them; YAML would silently drop the other",
                        *key_pos,
                    )
                )
                continue
            seen[key] = key_pos
            if self.with_positions:
                self.positions.keys[(*path, key)] = key_pos
            result[key] = self.build(value_node, (*path, key))
        return result


def split_front_matter(text: str) -> tuple[str, str, int]:
    """Split Markdown into (front matter YAML, body, line where the body starts).

    Raises YamlProblem when the file does not open with a `---` fenced block.
    """
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != "---":
        raise YamlProblem(
            "file/front-matter",
            "a postmortem must start with YAML front matter between two '---' lines",
            "put '---' on the first line, the front matter, then '---' before the Markdown",
        )
    for index, line in enumerate(lines[1:], start=1):
        if line.rstrip() in ("---", "..."):
            return "".join(lines[1:index]), "".join(lines[index + 1 :]), index + 2
    raise YamlProblem(
        "file/front-matter",
        "the front matter is never closed",
        "add a line with '---' after the front matter",
    )


def walk_paths(value: Any, path: Path_ = ()) -> Iterator[Path_]:
    """Yield the path of every node of a parsed value (for tests and tools)."""
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from walk_paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from walk_paths(item, (*path, index))
