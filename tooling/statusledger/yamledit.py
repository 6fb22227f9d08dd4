"""The one comment-keeping editor of YAML files, and its read-back proof.

Records are reviewed in pull requests, so an edit must show up in the diff as the lines it adds
and nothing else. Edits are therefore textual: the YAML is composed (not loaded) to learn where
each node starts and ends, and new text (yamlwrite.py) is inserted there in the indentation and
style the author used; comments, key order, quoting, blank lines, CRLF line ends are never
re-emitted. A change is a list of operations on the data (`Set`, `Append`); `edit_record`
renders them, then proves that the new text loads to exactly the model the operations intend,
so a mistake here can never slip through as a silent rewrite.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from statusledger.errors import StatusledgerError
from statusledger.loading import load_record_text
from statusledger.records.models import Incident, Maintenance
from statusledger.yamlfile import YamlProblem
from statusledger.yamlwrite import entry_lines, flow, item_lines, scalar

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Path_ = tuple[str | int, ...]
_M = TypeVar("_M", bound=BaseModel)


@dataclass(frozen=True)
class Set:
    """Give keys of the mapping at `path` these values; a mapping value merges key by key.

    A missing key goes after its predecessor in the model's field order; a missing mapping is
    added whole. A scalar keeps its place (and any comment after it).
    """

    path: Path_
    entries: Mapping[str, Any]


@dataclass(frozen=True)
class Append:
    """Add items at the end of the list at `path`, in the style of its last item."""

    path: Path_
    items: Sequence[Any]


Op = Set | Append


class NotProven(StatusledgerError):
    """The edited text does not load to exactly what the change intends; nothing is written.

    `problem` is the first finding when the text does not load at all.
    """

    def __init__(self, rel: str, problem: str | None = None) -> None:
        super().__init__(
            f"cannot edit {rel} without disturbing its layout (an unusual YAML style near the "
            "place to change); nothing was written. Make the change by hand"
        )
        self.problem = problem


def edit_record(text: str, rel: str, model: Incident | Maintenance, ops: Sequence[Op]) -> str:
    """The record's text with `ops` applied, proven to load to exactly the intended model."""
    editor = Editor(text, rel, key_order(type(model)))
    for op in ops:
        editor.apply(op)
    result = editor.result()
    loaded = load_record_text(result, rel)
    if isinstance(loaded, list):
        raise NotProven(rel, loaded[0].message)
    try:
        expected = intended(model, ops)
    except ValidationError:
        raise NotProven(rel) from None
    if loaded.model != expected:
        raise NotProven(rel)
    return result


def intended(model: _M, ops: Sequence[Op]) -> _M:
    """The model the operations mean, worked out on its data (the proof's other side)."""
    data = model.model_dump(mode="json", by_alias=True)
    for op in ops:
        if isinstance(op, Append):
            parent, key = _at(data, op.path[:-1]), op.path[-1]
            parent[key] = [*(parent.get(key) or []), *op.items]
        else:
            _merge(_at(data, op.path), op.entries)
    return type(model).model_validate(data)


def _at(data: Any, path: Path_) -> Any:
    """The mapping at `path`, made empty where a key is missing or null."""
    for part in path:
        if isinstance(part, str) and data.get(part) is None:
            data[part] = {}
        data = data[part]
    return data


def _merge(target: dict[str, Any], entries: Mapping[str, Any]) -> None:
    for key, value in entries.items():
        if isinstance(value, Mapping) and isinstance(target.get(key), dict):
            _merge(target[key], value)
        else:
            target[key] = value


def key_order(model: type[BaseModel]) -> Callable[[Path_], Sequence[str] | None]:
    """The documented key order of the mapping at a path: the model's field order there."""

    def order(path: Path_) -> Sequence[str] | None:
        annotation: Any = model
        for part in path:
            annotation = _element(annotation) if isinstance(part, int) else _field(annotation, part)
        annotation = _unoptional(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return [f.alias or name for name, f in annotation.model_fields.items()]
        return None

    return order


def _field(annotation: Any, key: str) -> Any:
    annotation = _unoptional(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        for name, field in annotation.model_fields.items():
            if (field.alias or name) == key:
                return field.annotation
    return None


def _element(annotation: Any) -> Any:
    args = typing.get_args(_unoptional(annotation))
    return args[0] if args else None


def _unoptional(annotation: Any) -> Any:
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        rest = [a for a in typing.get_args(annotation) if a is not type(None)]
        return rest[0] if len(rest) == 1 else annotation
    return annotation


# --- the text editor --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Lines:
    """A nested block value for a new key, as lines indented relative to the key's column."""

    lines: list[str]


class Editor:
    """Insertions into the original text, placed by the marks of its composed YAML nodes."""

    def __init__(
        self, text: str, rel: str, order: Callable[[Path_], Sequence[str] | None] | None = None
    ) -> None:
        self.text = text
        self.rel = rel
        self.order = order or (lambda path: None)
        self.newline = "\r\n" if "\r\n" in text else "\n"
        self._edits: list[tuple[int, int, int, str]] = []
        try:
            root = yaml.compose(text, Loader=_Loader)
        except (yaml.YAMLError, YamlProblem):
            root = None
        if not isinstance(root, MappingNode) or root.flow_style:
            raise StatusledgerError(
                f"{rel} is not a block-style YAML mapping; write it with one key per line"
            )
        self.root = root

    def result(self) -> str:
        """The text with every edit applied, in position order (ties in the order made)."""
        out, pos = [], 0
        for start, _, end, new in sorted(self._edits):
            out += [self.text[pos:start], new]
            pos = end
        out.append(self.text[pos:])
        return "".join(out)

    def apply(self, op: Op) -> None:
        """Turn one operation into edits against the original text."""
        if isinstance(op, Append):
            self.append(op.path, op.items)
        else:
            self.set(op.path, op.entries)

    def set(self, path: Path_, entries: Mapping[str, Any]) -> None:
        """Give keys of the mapping at `path` values (see `Set`)."""
        node = self._node(path)
        if isinstance(node, MappingNode):
            self._set_keys(node, path, entries)
        elif path and isinstance(path[-1], str) and (node is None or _null(node)):
            self.set(path[:-1], {path[-1]: dict(entries)})
        else:
            self._unexpected(path)

    def append(self, path: Path_, items: Sequence[Any]) -> None:
        """Add items at the end of the list at `path` (see `Append`)."""
        if not items:
            return
        node = self._node(path)
        if isinstance(node, SequenceNode):
            self._append_items(node, items)
            return
        parent = self._node(path[:-1])
        if node is not None or not isinstance(parent, MappingNode) or not isinstance(path[-1], str):
            self._unexpected(path)
        dash, col = self._sibling_columns(parent)
        lines = [
            line[parent.start_mark.column :]
            for item in items
            for line in item_lines(item, dash, col)
        ]
        self._set_keys(parent, path[:-1], {path[-1]: _Lines(lines)})

    def _node(self, path: Path_) -> Node | None:
        node: Node | None = self.root
        for part in path:
            if isinstance(node, MappingNode) and isinstance(part, str):
                node = next((v for k, v in node.value if k.value == part), None)
            elif (
                isinstance(node, SequenceNode) and isinstance(part, int) and part < len(node.value)
            ):
                node = node.value[part]
            else:
                return None
        return node

    def _unexpected(self, path: Path_) -> typing.NoReturn:
        where = ".".join(str(p) for p in path)
        raise StatusledgerError(
            f"{self.rel}: '{where}' holds something unexpected; fix it by hand first"
        )

    def _sibling_columns(self, mapping: MappingNode) -> tuple[int, int]:
        """Dash and key columns for a new list: those of a list beside it, else 2 and 4 deeper."""
        for _, value in mapping.value:
            if isinstance(value, SequenceNode) and not value.flow_style and value.value:
                return self._item_columns(value)
        col = mapping.start_mark.column
        return col + 2, col + 4

    # -- sequences

    def _append_items(self, seq: SequenceNode, items: Sequence[Any]) -> None:
        if seq.flow_style:
            flows = [flow(item) for item in items]
            if seq.value:
                self._insert(self._content_end(seq.value[-1]), "".join(", " + f for f in flows))
            else:
                self._insert(self._closing(seq, "]"), ", ".join(flows))
            return
        last = seq.value[-1]
        dash, col = self._item_columns(seq)
        at = self._after(self._content_end(last), dash)
        if isinstance(last, MappingNode) and last.flow_style:
            lines = [" " * dash + "- " + flow(item) for item in items]
        else:
            lines = [line for item in items for line in item_lines(item, dash, col)]
        self._insert_lines(at, lines)

    def _item_columns(self, seq: SequenceNode) -> tuple[int, int]:
        """The column of the dash and of the keys of block mapping items."""
        dash = seq.start_mark.column
        last = seq.value[-1] if seq.value else None
        if isinstance(last, MappingNode) and not last.flow_style and last.value:
            return dash, last.start_mark.column
        return dash, dash + 2

    # -- mappings

    def _set_keys(self, mapping: MappingNode, path: Path_, entries: Mapping[str, Any]) -> None:
        """Set present keys in place; insert missing ones after their predecessor in order."""
        present = {k.value: (k, v) for k, v in mapping.value}
        order = self.order(path)
        groups: dict[int | None, list[tuple[str, Any]]] = {}
        for key, value in entries.items():
            if key not in present:
                groups.setdefault(self._anchor(mapping, key, order), []).append((key, value))
                continue
            key_node, value_node = present[key]
            if isinstance(value, Mapping) and isinstance(value_node, MappingNode):
                self._set_keys(value_node, (*path, key), value)
            else:
                self._set_value(mapping, key_node, value_node, value)
        for anchor, group in groups.items():
            if mapping.flow_style:
                self._flow_keys(mapping, anchor, group)
            else:
                self._block_keys(mapping, anchor, group)

    def _anchor(self, mapping: MappingNode, key: str, order: Sequence[str] | None) -> int | None:
        """The index of the key a new key goes after (None: before the first)."""
        if order is None or key not in order:
            return len(mapping.value) - 1 if mapping.value else None
        rank = order.index(key)
        best: int | None = None
        for index, (key_node, _) in enumerate(mapping.value):
            other = key_node.value
            if (
                other in order
                and order.index(other) < rank
                and (
                    best is None or order.index(other) >= order.index(mapping.value[best][0].value)
                )
            ):
                best = index
        return best

    def _set_value(
        self, mapping: MappingNode, key_node: Node, value_node: Node, value: Any
    ) -> None:
        """A present key's new value: a scalar in the old one's place, a block replaced whole."""
        col = key_node.start_mark.column
        if mapping.flow_style or (
            isinstance(value_node, MappingNode | SequenceNode) and value_node.flow_style
        ):
            start, end = value_node.start_mark.index, value_node.end_mark.index
            self._replace(start, end, flow(value) if end > start else " " + flow(value))
        elif isinstance(value_node, ScalarNode) and not isinstance(value, Mapping | list):
            start, end = value_node.start_mark.index, value_node.end_mark.index
            text = scalar(value, col + 2)
            self._replace(start, end, text if end > start else " " + text)
        else:
            start = self.text.rfind("\n", 0, key_node.start_mark.index) + 1
            lines = entry_lines(str(key_node.value), value, col)
            self._replace(start, self._content_end(value_node), "\n".join(lines))

    def _block_keys(
        self, mapping: MappingNode, anchor: int | None, group: list[tuple[str, Any]]
    ) -> None:
        col = mapping.start_mark.column
        lines: list[str] = []
        for key, value in group:
            if isinstance(value, _Lines):
                lines += [" " * col + f"{key}:", *(" " * col + line for line in value.lines)]
            else:
                lines += entry_lines(key, value, col)
        if anchor is None:
            at = self._before(mapping.value[0][0])
        else:
            # Comments at the keys' column after the last key still belong to this mapping
            # (except at the top level, where they head what follows).
            last = anchor == len(mapping.value) - 1 and mapping is not self.root
            at = self._after(self._content_end(mapping.value[anchor][1]), col - last)
        self._insert_lines(at, lines)

    def _flow_keys(
        self, mapping: MappingNode, anchor: int | None, group: list[tuple[str, Any]]
    ) -> None:
        parts = []
        for key, value in group:
            if isinstance(value, _Lines):
                raise StatusledgerError(f"{self.rel}: cannot add '{key}' to a flow mapping")
            parts.append(f"{key}: {flow(value)}")
        if not mapping.value:
            self._insert(self._closing(mapping, "}"), ", ".join(parts))
        elif anchor is None:
            self._insert(mapping.value[0][0].start_mark.index, ", ".join(parts) + ", ")
        else:
            self._insert(
                self._content_end(mapping.value[anchor][1]), "".join(", " + p for p in parts)
            )

    # -- positions

    def _content_end(self, node: Node) -> int:
        """Index just past the last character of a node's own text (not trailing blank lines)."""
        if isinstance(node, MappingNode | SequenceNode) and not node.flow_style and node.value:
            last = node.value[-1]
            return self._content_end(last[1] if isinstance(node, MappingNode) else last)
        end = node.end_mark.index
        if (
            isinstance(node, ScalarNode)
            and node.style in ("|", ">")
            and "+"
            in self.text[node.start_mark.index : self.text.find("\n", node.start_mark.index)]
        ):
            return end  # keep chomping: the blank lines after the text are part of it
        while end > node.start_mark.index and self.text[end - 1] in " \t\r\n":
            end -= 1
        return end

    def _after(self, end: int, col: int) -> int:
        """Start of the line after `end`, past the comments indented deeper than `col` below it.

        Such comments (and blank lines between them) belong to the node that ends at `end`, so
        what is added after the node goes after them too; blank lines after them are left.
        """
        if end > 0 and self.text[end - 1] == "\n":
            pos = end
        else:
            pos = self.text.find("\n", end)
            if pos < 0:
                return len(self.text)
            pos += 1
        scan = pos
        while scan < len(self.text):
            stop = self.text.find("\n", scan)
            following = stop + 1 if stop >= 0 else len(self.text)
            line = self.text[scan:following].rstrip("\r\n")
            body = line.lstrip(" ")
            if body.startswith("#") and len(line) - len(body) > col:
                pos = following
            elif body.strip():
                break
            scan = following
        return pos

    def _before(self, key_node: Node) -> int:
        """Start of the key's line, above the comment lines directly over it."""
        start = self.text.rfind("\n", 0, key_node.start_mark.index) + 1
        while start > 0:
            previous = self.text.rfind("\n", 0, start - 1) + 1
            if not self.text[previous:start].strip().startswith("#"):
                break
            start = previous
        return start

    def _closing(self, node: Node, bracket: str) -> int:
        at = self.text.rfind(bracket, node.start_mark.index, node.end_mark.index)
        if at < 0:  # pragma: no cover - a flow collection always ends with its bracket
            raise StatusledgerError(f"{self.rel}: cannot find the closing '{bracket}'")
        return at

    # -- edits

    def _replace(self, start: int, end: int, new: str) -> None:
        self._edits.append((start, len(self._edits), end, new.replace("\n", self.newline)))

    def _insert(self, at: int, new: str) -> None:
        self._replace(at, at, new)

    def _insert_lines(self, at: int, lines: list[str]) -> None:
        text = "".join(line + "\n" for line in lines)
        if at == len(self.text) and self.text and not self.text.endswith("\n"):
            text = "\n" + text
        self._insert(at, text)


def _null(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.tag.endswith(":null")
