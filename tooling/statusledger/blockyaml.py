"""A fast reader for the plain block subset of YAML that records are written in.

PyYAML's C loader still builds a Python event, mark and node object for every token, which makes
ten thousand one-kilobyte records cost seconds before a single rule runs. Record files use a
small, regular part of YAML: block mappings and sequences indented with spaces, plain and simply
quoted one-line scalars, `[a, b]` lists and `|`/`>` block text. This module reads exactly that
part, line by line, and gives up (returns None) on anything else, so the caller falls back to the
full PyYAML reader, which then reports or reads it as before.

The contract, checked by differential tests against PyYAML (tests/test_blockyaml.py) on every
fixture and on random and mutated texts: whenever `read` returns a value, it is the value
`yamlfile.parse` builds from PyYAML's node graph, with the same duplicate-key problems, and with
a `Where` the same positions as PyYAML's marks. Positions are only needed for findings, so a
normal read skips them; `yamlfile.Positions` reads again with a `Where` along the route to the
one place a finding needs.
"""

from __future__ import annotations

import re
import sys
from typing import Any

import yaml
from yaml.nodes import ScalarNode

MAX_NODES = 100_000

# First characters of plain scalars the implicit resolvers may turn into something not text.
_RESOLVED_FIRST = frozenset(
    k for k in yaml.resolver.Resolver.yaml_implicit_resolvers if k is not None
)
# First characters that make a scalar something other than plain text (or an error).
_INDICATORS = frozenset("&*!%@`?:,]}#")
_FLOW_UNSAFE = re.compile(r"[\[\]{}#\"'&*!|>%@`?:]")
# The usual record timestamp; PyYAML resolves it to a timestamp (or, without seconds, to a
# string), and records keep both as text, so it skips the resolver.
_TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d)?(?:Z|[+-]\d\d:\d\d)\Z")
_TAG = "tag:yaml.org,2002:"
_TEXT_TAGS = (_TAG + "str", _TAG + "timestamp")
_VALUE_TAGS = (_TAG + "int", _TAG + "float", _TAG + "bool", _TAG + "null")
_resolver = yaml.resolver.Resolver()
_constructor = yaml.constructor.SafeConstructor()
_plain_memo: dict[str, Any] = {}


# Numbers as people write them. YAML 1.1 also reads 0x63, 0o17, 017, 1_000, 1:30 and .inf as
# numbers; records keep those as the text they are, so a number field refuses them instead of
# taking 0x63 for 99 or 017 for 15 (models/`Number` refuses text where a number belongs).
_DECIMAL = {
    _TAG + "int": re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z"),
    _TAG + "float": re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?\Z"),
}


def construct(tag: str, text: str) -> Any:
    """A number, boolean or null from its text; text the resolver misjudged stays text.

    PyYAML's resolver calls `0x_` an int, which its constructor then cannot build (ValueError);
    such a value is kept as the text it is, for the models to reject where a number belongs.
    Numbers not written in plain decimal stay text as well (see _DECIMAL).
    """
    decimal = _DECIMAL.get(tag)
    if decimal is not None and decimal.match(text) is None:
        return text
    try:
        return _constructor.yaml_constructors[tag](_constructor, ScalarNode(tag, text))
    except ValueError:
        return text


class _GiveUp(Exception):
    """The text uses YAML beyond the subset: PyYAML must read it."""


Path = tuple[str | int, ...]
Position = tuple[int, int]


class Where:
    """Where each value and key stands (1-based line and column), as PyYAML's marks say.

    With a `route`, only the nodes along it are noted (the path and its parents): a finding
    needs one place, and skipping the rest makes placing it several times cheaper.
    """

    def __init__(self, line_offset: int, route: Path | None = None) -> None:
        self.values: dict[Path, Position] = {}
        self.keys: dict[Path, Position] = {}
        self.line_offset = line_offset
        self.route = route

    def wants(self, path: Path) -> bool:
        """Whether `path` is on the route (every path is, without one)."""
        return self.route is None or self.route[: len(path)] == path


def read(
    text: str, line_offset: int = 0, where: Where | None = None
) -> tuple[Any, list[tuple[str, int, int, int]]] | None:
    """The document's value and its duplicate keys, or None when PyYAML must read it.

    Each duplicate is (key, line, column, line of the first occurrence), lines shifted by
    `line_offset` as `yamlfile.parse` shifts them. With `where`, the positions of every key and
    value are filled in too: slower, so only done for files that have a finding to place.
    """
    if len(text) >= MAX_NODES or not _printable(text):
        # Every value takes at least one character, so shorter text is under the node limit;
        # longer files (never records in practice) are counted by the full reader.
        return None
    reader = _Reader(text, where)
    try:
        value = reader.document()
    except _GiveUp:
        return None
    shifted = [
        (k, ln + line_offset, col, first + line_offset) for k, ln, col, first in reader.duplicates
    ]
    return value, shifted


def _printable(text: str) -> bool:
    """Whether every character but line feeds is printable text (no-break spaces included).

    Stricter than what PyYAML reads (it also takes tabs, CR, NEL, line and paragraph
    separators and format characters): text with those goes to PyYAML, which knows them.
    """
    lines = text.replace("\n", "")
    return lines.isprintable() or lines.replace("\xa0", " ").isprintable()


def plain_value(text: str) -> Any:
    """What an unquoted one-line scalar means, as `yamlfile` builds it (memoised by text).

    Timestamps stay text (the models insist on an explicit offset); short words are interned
    like keys. Raises _GiveUp for tags records do not use (merge keys, `=`), which PyYAML reports.
    """
    if text[0] not in _RESOLVED_FIRST or _TIMESTAMP.match(text) is not None:
        return sys.intern(text) if len(text) <= 24 else text
    try:
        return _plain_memo[text]
    except KeyError:
        pass
    tag = _resolver.resolve(ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
    if tag in _TEXT_TAGS:
        value: Any = sys.intern(text) if len(text) <= 24 else text
    elif tag in _VALUE_TAGS:
        value = construct(tag, text)
    else:
        raise _GiveUp
    if len(text) <= 40 and len(_plain_memo) < 100_000:
        _plain_memo[text] = value
    return value


# One row per line: indent, a sequence dash with its spaces, a plain key, and the rest.
_ROW = re.compile(
    r"^( *)(- +|-$)?(?:([A-Za-z0-9_][A-Za-z0-9_.\-/]{0,127}):(?: +|$))?(.*)$", re.MULTILINE
)
# First characters that need more than the plain-scalar path.
_SPECIAL_FIRST = frozenset("\"'[{|>&*!%@`?:,]}#-")

Row = tuple[str, str, str, str]


class _Reader:
    """One document read top-down over rows; every method takes and returns a row index."""

    def __init__(self, text: str, where: Where | None) -> None:
        self.text = text
        self.where = where
        # Raw lines: needed for positions and block text only, so split on first use.
        self._lines: list[str] | None = None
        self.rows: list[Row] = _ROW.findall(text)
        if text.endswith("\n"):
            self.rows.pop()
        self.duplicates: list[tuple[str, int, int, int]] = []

    @property
    def lines(self) -> list[str]:
        """The text's lines, split once however many block scalars or positions ask."""
        if self._lines is None:
            self._lines = self.text.split("\n")
        return self._lines

    def document(self) -> Any:
        """A document must be one block mapping starting in column 1 (a record's shape)."""
        i = _skip(self.rows, 0)
        if i == len(self.rows) or self.rows[i][0] or not self.rows[i][2] or self.rows[i][1]:
            raise _GiveUp
        value, i = self.mapping(i, 0, False, ())
        if _skip(self.rows, i) != len(self.rows):
            raise _GiveUp
        return value

    def mapping(self, i: int, col: int, inline: bool, path: Path) -> tuple[dict[str, Any], int]:
        """A block mapping whose keys stand in column `col`, from row `i` (a key row).

        `inline` says the first key follows a sequence dash on row `i`.
        """
        rows = self.rows
        end = len(rows)
        result: dict[str, Any] = {}
        start = i
        where = self.where
        if where is not None:
            where.values[path] = (i + 1 + where.line_offset, col + 1)
        while True:
            if inline:
                inline = False
                key, rest = rows[i][2], rows[i][3]
            else:
                if i == end:
                    return result, i
                indent, dash, key, rest = rows[i]
                if not key and not dash:
                    i = _skip(rows, i)
                    if i == end:
                        return result, i
                    indent, dash, key, rest = rows[i]
                if len(indent) != col:
                    if len(indent) < col:
                        return result, i
                    raise _GiveUp
                if dash or not key:
                    if dash and not result:
                        raise _GiveUp
                    return result, i
            i += 1
            if key in result:
                # PyYAML's builder skips a duplicate's value: nothing in it is reported.
                duplicates = self.duplicates
                self.where, self.duplicates = None, []
                _, after = self.value(rest, i, col, path)
                self.where, self.duplicates = where, duplicates
                first = _first_key_row(rows, start, i - 1, col, key)
                self.duplicates.append((key, i, col + 1, first + 1))
                i = after
                continue
            keep = where is not None and where.wants(child := (*path, key))
            if keep:
                self.place(child, i, col, key, rest)
            if rest and rest[0] not in _SPECIAL_FIRST:
                result[key] = _plain(rest)
            else:
                self.where = where if keep else None
                result[key], i = self.value(rest, i, col, (*path, key))
                self.where = where

    def place(self, path: Path, line: int, col: int, key: str, rest: str) -> None:
        """Note where a key and its one-line value stand (nested blocks note their own)."""
        assert self.where is not None
        line += self.where.line_offset
        self.where.keys[path] = (line, col + 1)
        raw = self.lines[line - 1 - self.where.line_offset]
        if rest and rest[0] != "#":
            self.where.values[path] = (line, len(raw) - len(rest) + 1)
        else:
            # PyYAML puts an empty value just after the colon.
            self.where.values[path] = (line, col + len(key) + 2)

    def value(self, rest: str, i: int, col: int, path: Path) -> tuple[Any, int]:
        """The value after `key:` (its row consumed, `i` the next); nested blocks follow."""
        if rest and rest[0] != "#":
            return self.inline(rest, i, col, path)
        rows = self.rows
        i = _skip(rows, i)
        if i < len(rows):
            indent, dash, key, _ = rows[i]
            if len(indent) > col:
                if dash:
                    return self.sequence(i, len(indent), path)
                if key:
                    return self.mapping(i, len(indent), False, path)
                raise _GiveUp
            if len(indent) == col and dash:
                return self.sequence(i, col, path)
        return None, i

    def sequence(self, i: int, col: int, path: Path) -> tuple[list[Any], int]:
        """A block sequence whose dashes stand in column `col`, from row `i` (a dash row)."""
        rows = self.rows
        end = len(rows)
        result: list[Any] = []
        where = self.where
        if where is not None:
            where.values[path] = (i + 1 + where.line_offset, col + 1)
        while True:
            i = _skip(rows, i)
            if i == end:
                return result, i
            indent, dash, key, rest = rows[i]
            if len(indent) != col:
                if len(indent) < col:
                    return result, i
                raise _GiveUp
            if not dash:
                return result, i
            item_path = (*path, len(result)) if where is not None else path
            keep = where is not None and where.wants(item_path)
            self.where = where if keep else None
            if key:
                item, i = self.mapping(i, col + len(dash), True, item_path)
                self.where = where
                result.append(item)
                continue
            if not rest or (
                rest[0] in "#-" and (rest[0] == "#" or len(rest) == 1 or rest[1] == " ")
            ):
                raise _GiveUp
            if keep:
                assert where is not None
                raw = self.lines[i]
                where.values[item_path] = (i + 1 + where.line_offset, len(raw) - len(rest) + 1)
            item, i = self.inline(rest, i + 1, col, item_path)
            self.where = where
            result.append(item)

    def inline(self, rest: str, i: int, col: int, path: Path) -> tuple[Any, int]:
        """A scalar or flow list starting on the row before `i` (already consumed)."""
        first = rest[0]
        if first == '"':
            end = rest.find('"', 1)
            if end < 0 or "\\" in rest[1:end]:
                raise _GiveUp
            _check_tail(rest, end + 1)
            return rest[1:end], i
        if first == "'":
            return _single_quoted(rest), i
        if first == "[":
            return self.flow_list(rest, i, path), i
        if first == "{":
            if rest.rstrip(" ") == "{}" or rest.startswith("{} #"):
                return {}, i
            raise _GiveUp
        if first == "|" or first == ">":
            return self.block_text(rest, i, col)
        if first in _INDICATORS or (first == "-" and (len(rest) == 1 or rest[1] == " ")):
            raise _GiveUp
        return _plain(rest), i

    def flow_list(self, rest: str, i: int, path: Path) -> list[Any]:
        """`[a, b, c]` of plain scalars on one line (the row before `i`)."""
        end = rest.find("]")
        if end < 0:
            raise _GiveUp
        inner = rest[1:end]
        if _FLOW_UNSAFE.search(inner) is not None:
            raise _GiveUp
        _check_tail(rest, end + 1)
        if not inner.strip(" "):
            return []
        items: list[Any] = []
        where = self.where
        start = len(self.lines[i - 1]) - len(rest) + 2 if where is not None else 0
        for part in inner.split(","):
            item = part.strip(" ")
            if not item or (item[0] == "-" and (len(item) == 1 or item[1] == " ")):
                raise _GiveUp
            if where is not None:
                if where.wants((*path, len(items))):
                    where.values[(*path, len(items))] = (
                        i + where.line_offset,
                        start + len(part) - len(part.lstrip(" ")),
                    )
                start += len(part) + 1
            items.append(plain_value(item))
        return items

    def block_start(self, i: int, parent: int) -> tuple[int, int, int]:
        """(leading blank lines, first text line, its indent: deeper than `parent` and them)."""
        lines = self.lines
        end = len(self.rows)
        leading = 0
        widest = 0
        while i < end and not lines[i].strip(" "):
            widest = max(widest, len(lines[i]))
            leading += 1
            i += 1
        if i == end:
            raise _GiveUp
        indent = len(lines[i]) - len(lines[i].lstrip(" "))
        if indent <= parent or widest > indent:
            raise _GiveUp
        return leading, i, indent

    def block_text(self, header: str, i: int, parent: int) -> tuple[str, int]:
        """A `|` or `>` block scalar, folded and chomped exactly as PyYAML's scanner does.

        `parent` is the column of the collection holding it; the text must be indented more.
        """
        folded, chomp = _block_header(header)
        lines = self.lines
        end = len(self.rows)
        leading, i, indent = self.block_start(i, parent)
        chunks: list[str] = ["\n"] * leading
        breaks = 0
        previous_blank = False
        first = True
        while i < end:
            line = lines[i]
            stripped = line.lstrip(" ")
            if not stripped:
                if len(line) > indent:
                    raise _GiveUp
                breaks += 1
                i += 1
                continue
            if len(line) - len(stripped) < indent:
                break
            text = line[indent:]
            blank = text[0] == " "
            if not first:
                if folded and not previous_blank and not blank:
                    if not breaks:
                        chunks.append(" ")
                else:
                    chunks.append("\n")
                chunks.append("\n" * breaks)
            chunks.append(text)
            first = False
            breaks = 0
            previous_blank = blank
            i += 1
        if i == end and not self.text.endswith("\n"):
            raise _GiveUp
        if chomp != "-":
            chunks.append("\n")
        if chomp == "+":
            chunks.append("\n" * breaks)
        return "".join(chunks), i


def _plain(rest: str) -> Any:
    """A plain one-line scalar after a key or dash, less its comment (see plain_value)."""
    cut = rest.find(" #")
    if cut >= 0:
        rest = rest[:cut]
    rest = rest.rstrip(" ")
    if ": " in rest or rest[-1] == ":":
        raise _GiveUp
    return plain_value(rest)


def _block_header(header: str) -> tuple[bool, str]:
    """Whether a block scalar header (`|`, `>-`, `|+ # note`) folds, and its chomping."""
    chomp = header[1:2]
    tail = 2 if chomp in ("-", "+") else 1
    if tail == 1:
        chomp = ""
    rest = header[tail:].rstrip(" ")
    if rest and not (header[tail] == " " and rest.lstrip(" ").startswith("#")):
        raise _GiveUp
    return header[0] == ">", chomp


def _first_key_row(rows: list[Row], start: int, stop: int, col: int, key: str) -> int:
    """The row where `key` first stands in column `col` of the mapping that began at `start`."""
    for index in range(start, stop):
        indent, _, found, _ = rows[index]
        if found == key and len(indent) + len(rows[index][1]) == col:
            return index
    return start


def _skip(rows: list[Row], i: int) -> int:
    """The index of the first row from `i` that is neither blank nor a comment."""
    end = len(rows)
    while i < end:
        row = rows[i]
        if row[1] or row[2]:
            return i
        rest = row[3]
        if rest and rest[0] != "#":
            return i
        i += 1
    return i


def _check_tail(rest: str, end: int) -> None:
    """After a closed quote or bracket only a comment may follow, after a space."""
    tail = rest[end:]
    if tail and not (tail[0] == " " and tail.lstrip(" ").startswith("#")):
        raise _GiveUp


def _single_quoted(rest: str) -> str:
    """A one-line single-quoted scalar, where '' stands for one quote."""
    start = 1
    while True:
        end = rest.find("'", start)
        if end < 0:
            raise _GiveUp
        if rest[end + 1 : end + 2] == "'":
            start = end + 2
            continue
        _check_tail(rest, end + 1)
        return rest[1:end].replace("''", "'")
