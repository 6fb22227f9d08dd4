"""Differential tests: the fast block reader agrees with the full PyYAML reader.

`blockyaml.read` may refuse any text (returns None, the caller falls back to PyYAML), but when it
answers, its value, duplicate-key problems and (with `Where`) positions must be exactly what
`yamlfile._compose_and_build` builds, and it must never accept a text PyYAML refuses. The public
`yamlfile.parse` must give the same value, problems and position lookups on either path.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from statusledger import blockyaml, yamlfile

PROJECT = Path(__file__).resolve().parents[1]

Duplicate = tuple[str, int, int]  # (message, line, column), as the full reader reports it


# --- The contract ------------------------------------------------------------------------------


def assert_same(actual: Any, expected: Any, path: tuple[Any, ...] = ()) -> None:
    """Equal values of exactly the same types, recursively (key order included; nan == nan)."""
    assert type(actual) is type(expected), (
        f"at {path}: {actual!r} ({type(actual).__name__}) "
        f"!= {expected!r} ({type(expected).__name__})"
    )
    if isinstance(expected, dict):
        assert list(actual) == list(expected), f"at {path}: keys {list(actual)} != {list(expected)}"
        for key, item in expected.items():
            assert type(key) is str, f"at {path}: key {key!r} is not text"
            assert_same(actual[key], item, (*path, key))
    elif isinstance(expected, list):
        assert len(actual) == len(expected), f"at {path}: {actual!r} != {expected!r}"
        for index, item in enumerate(expected):
            assert_same(actual[index], item, (*path, index))
    elif isinstance(expected, float) and math.isnan(expected):
        assert math.isnan(actual), f"at {path}: {actual!r} != nan"
    else:
        assert actual == expected, f"at {path}: {actual!r} != {expected!r}"


def _full_duplicates(positions: yamlfile.Positions) -> list[Duplicate]:
    problems = positions.problems
    assert all(p.rule == "yaml/duplicate-key" for p in problems), [p.rule for p in problems]
    return [(p.message, p.line, p.col) for p in problems]


def _quick_duplicates(duplicates: list[tuple[str, int, int, int]]) -> list[Duplicate]:
    return [
        (f"duplicate key '{key}' (first at line {first})", line, col)
        for key, line, col, first in duplicates
    ]


def _read(text: str, line_offset: int, where: blockyaml.Where | None = None) -> Any:
    try:
        return blockyaml.read(text, line_offset, where)
    except Exception as exc:
        pytest.fail(f"read raised {exc!r} on {text!r}")


def assert_agrees(text: str, line_offset: int = 0) -> bool:
    """Check the fast reader's contract on `text`; True when it took the fast path.

    The full reader may only raise YamlProblem; anything else fails the test as a crash.
    """
    try:
        value, positions = yamlfile._compose_and_build(text, line_offset, True)
    except yamlfile.YamlProblem as err:
        for where in (None, blockyaml.Where(line_offset)):
            quick = _read(text, line_offset, where)
            assert quick is None, f"PyYAML refuses the text ({err.message}); read gave {quick!r}"
        return False

    quick = _read(text, line_offset)
    if quick is None:
        return False
    quick_value, duplicates = quick
    assert_same(quick_value, value)
    assert _quick_duplicates(duplicates) == _full_duplicates(positions)

    where = blockyaml.Where(line_offset)
    placed = _read(text, line_offset, where)
    assert placed is not None, "read refuses with `where` what it reads without"
    assert_same(placed[0], value)
    assert placed[1] == duplicates
    assert where.values == positions.values
    assert where.keys == positions.keys

    # The public entry takes the fast path here: same value, problems and position lookups.
    parsed, found = yamlfile.parse(text, line_offset=line_offset, with_positions=True)
    assert_same(parsed, value)
    assert [(p.rule, p.message, p.line, p.col) for p in found.problems] == [
        (p.rule, p.message, p.line, p.col) for p in positions.problems
    ]
    paths = [*yamlfile.walk_paths(value), ("no-such-key",)]
    for path in paths:
        for key in (False, True):
            assert found.of(path, key=key) == positions.of(path, key=key), (path, key)
    # Each lookup alone places only its own route: it must still find the same place.
    for path in [*paths, ("no-such-key", 3, "x")]:
        alone = yamlfile.parse(text, line_offset=line_offset, with_positions=True)[1]
        assert alone.of(path, key=True) == positions.of(path, key=True), path
        route = blockyaml.Where(line_offset, tuple(path))
        assert _read(text, line_offset, route) is not None
        assert set(route.values) <= set(positions.values)
        assert all(route.values[p] == positions.values[p] for p in route.values)
        assert all(route.keys[p] == positions.keys[p] for p in route.keys)
    return True


# --- Texts the fast path reads -----------------------------------------------------------------

SCALARS = """\
yes_: yes
no_: no
on_: on
off_: off
true_: true
True_: True
FALSE_: FALSE
null_: null
tilde: ~
empty:
hex: 0x1f
octal_o: 0o17
octal: 017
under: 1_000
sexagesimal: 190:20:30
negative: -12
plus: +7
zero: 0
float: 1.5
exp: 6.8523015e+5
not_exp: 1e5
inf: .inf
neg_inf: -.inf
nan: .nan
utc: 2026-01-01T10:00:00Z
offset: 2026-01-01T10:00:00+02:00
no_seconds: 2026-01-01T10:00Z
spaced: 2001-12-14 21:59:43.10 -5
date: 2026-01-01
version: 1.2.3
word: sev1
"""

ACCEPTED = [
    pytest.param("title: Outage\nkind: incident\nseverity: sev1\n", id="mapping"),
    pytest.param("a:\n  b:\n    c: 1\n    d: x\n  e: 2\nf: 3\n", id="nested-mappings"),
    pytest.param("a:\n b:\n     c: 1\n", id="nested-odd-widths"),
    pytest.param("key:\n  - a\n  - b\nnext: 1\n", id="indented-sequence"),
    pytest.param("key:\n- a\n- b\nnext: 1\n", id="indentless-sequence"),
    pytest.param("items:\n- a: 1\n  b: 2\n- a: 3\n", id="sequence-of-mappings"),
    pytest.param("items:\n  - a: 1\n    b: 2\n  - c\n", id="indented-sequence-of-mappings"),
    pytest.param("items:\n-   a: 1\n    b: 2\n-   c\n-  d: 4\n", id="dash-several-spaces"),
    pytest.param(
        "items:\n  - id: x\n    tags:\n    - a\n    - b\n    more:\n      - c\n    last: 1\n",
        id="sequences-inside-sequence-mappings",
    ),
    pytest.param("a:\n- b:\n  c: 1\n- d:\n", id="empty-values-in-sequence"),
    pytest.param(SCALARS, id="implicit-scalar-types"),
    pytest.param("a:\nb: ~\nc: null\nd: # nothing\ne:   \nf: Null\n", id="empty-values"),
    pytest.param("a.b: 1\nx-y: 2\nk/v: 3\n1: 4\nyes: 5\nnull: 6\n_u: 7\n", id="key-shapes"),
    pytest.param("a: x:y\nb: a#b\nc: a[b]{c}, d\nd: -x\ne: --- x\nf: ...\n", id="plain-odd-chars"),
    pytest.param("a: a  b   c\nb: x   \nc: y  # c\n", id="plain-spaces"),
    pytest.param(
        "a: 'it''s'\nb: \"x # y\"\nc: 'q' # c\nd: \"\"\ne: ''\nf: \"a: b\"\ng: '[x]'\n"
        "h: ''''\ni: \"'\"\nj: '\"'\nk: \"yes\"\nl: '1'\n",
        id="quoted",
    ),
    pytest.param("a:\n- 'x'\n- \"y\" # c\n- ''\n", id="quoted-items"),
    pytest.param(
        "a: [x, y]\nb: []\nc: {}\nd: [1, yes, ~, 2026-01-01, -1, .nan]\ne: [ a b , c ]  # c\n"
        "f: [ ]\ng: {} # c\n",
        id="flow-lists",
    ),
    pytest.param("a:\n- [x, y]\n- []\n- {}\n", id="flow-items"),
    pytest.param(
        "# head\na: 1 # c\n   # odd indent\nb:   # empty\n # c\n     # c\n  c: 2 # c\n\n\n"
        "# between\nd:\n# c\n- x # c\n  # c\n- y\n# tail\n",
        id="comments-everywhere",
    ),
    pytest.param("\n\n# c\n\na: 1\n\n\nb:\n\n  c: 2\n\n", id="blank-lines"),
    pytest.param("a: 1\nb: 2", id="no-final-newline"),
    pytest.param("a: 1\n   \n \n", id="trailing-space-lines"),
    pytest.param("text: |\n  one\n\n  three\n   indented\nnext: 1\n", id="literal"),
    pytest.param("text: |-\n  a\n  b\n\n\nnext: 1\n", id="literal-strip"),
    pytest.param("text: |+\n  a\n\n\nnext: 1\n", id="literal-keep"),
    pytest.param(
        "text: >\n  folded\n  lines\n\n  para\n    more indented\n  back\n\n\n  end\nnext: 1\n",
        id="folded",
    ),
    pytest.param("text: >-\n  a\n  b\n\n  c\nnext: 1\n", id="folded-strip"),
    pytest.param("text: >+\n  a\n   b\n  c\n\n\nnext: 1\n", id="folded-keep"),
    pytest.param("text: >\n  a\n\n    b\n\n  c\n  d\n", id="folded-more-indented-blank"),
    pytest.param("text: |\n\n\n  after blanks\n", id="leading-blank-lines"),
    pytest.param("text: |\n  \n  x\n", id="leading-space-line-as-wide"),
    pytest.param("a: |+\n  x\n\n\n", id="keep-trailing-blanks-at-eof"),
    pytest.param("a: >\n  x\n\n  \n", id="clip-trailing-blanks-at-eof"),
    pytest.param("a: |-\n  x\n  \n\n", id="strip-trailing-blanks-at-eof"),
    pytest.param("text: | # comment\n  # not a comment\n  a: b\n  - c\n", id="literal-content"),
    pytest.param("items:\n- |\n  a\n- >-\n   b\n   c\n-  |+\n   d\n\n", id="block-items"),
    pytest.param(
        "updates:\n  - at: 2026-01-01T10:00:00Z\n    message: >-\n      long\n      text\n"
        "    status: resolved\n",
        id="block-in-sequence-mapping",
    ),
    pytest.param("a:\n  b: |\n      deep\n  c: 1\nd: 2\n", id="block-ends-on-dedent"),
    pytest.param(
        "title: Café é\nname: 中文\nemoji: 😀 🚀\nlist: [é, 中文, 😀]\nq: '😀'\nb: |\n  ünï\n",
        id="unicode",
    ),
    pytest.param("a: \xa0x\xa0\nb: [\xa0]\n", id="nbsp-is-text"),
    pytest.param("a: 1\nb: 2\na: 3\n", id="duplicate-top-level"),
    pytest.param("a: 1\na: 2\na:\n  - x\n", id="duplicate-three-times"),
    pytest.param("m:\n  x: 1\n  y: 2\n  x: [a]\n", id="duplicate-nested"),
    pytest.param(
        "items:\n- a: 1\n  a: 2\n- a: 3\n  b: 1\n  b: |\n    t\n", id="duplicate-in-sequence"
    ),
    pytest.param("a:\n  b: 1\na:\n  c: 2\nc: 3\n", id="duplicate-with-block-value"),
    pytest.param("m:\n  x:\n    y: 1\n  y: 2\n  y: 3\n", id="duplicate-first-not-the-nested-one"),
    pytest.param("s:\n- a: 1\n  b:\n  - a: 2\n  a: 3\n", id="duplicate-of-first-key-after-dash"),
    pytest.param("# c\n\na: 1\n# c\nb: |\n  a: 2\na: 3\n", id="duplicate-after-comments-and-block"),
    pytest.param("a: 1\na:\n  a: 2\n  a: 3\na: 4\n", id="duplicate-inside-duplicate-value"),
]


@pytest.mark.parametrize("text", ACCEPTED)
def test_fast_path_reads_and_agrees(text: str) -> None:
    assert assert_agrees(text), "the fast path refused a text in its subset"


FRONT_MATTER = (
    "title: Postmortem\nincidents: [2026-01-01-a, 2026-01-02-b]\nstatus: published\n"
    "date: 2026-01-03\nsummary: >-\n  Two\n  lines.\naction_items:\n  - id: AI-1\n"
    "    due: 2026-02-01\n    id: AI-1\n"
)


@pytest.mark.parametrize("text", [FRONT_MATTER, *(p.values[0] for p in ACCEPTED[:12])])
def test_line_offset_shifts_lines(text: str) -> None:
    assert assert_agrees(text, line_offset=5)


def test_scalar_meanings() -> None:
    """YAML 1.1 as PyYAML reads it, except that numbers not written in plain decimal stay the
    text they are (so a number field refuses 0x1f rather than reading 31): a check on the
    reference itself, not only agreement."""
    read = blockyaml.read(SCALARS)
    assert read is not None
    value = read[0]
    assert value["yes_"] is True and value["off_"] is False and value["FALSE_"] is False
    assert value["null_"] is None and value["tilde"] is None and value["empty"] is None
    assert (value["hex"], value["octal"], value["under"]) == ("0x1f", "017", "1_000")
    assert value["octal_o"] == "0o17" and value["not_exp"] == "1e5"
    assert value["sexagesimal"] == "190:20:30"
    assert type(value["float"]) is float and type(value["exp"]) is float
    assert (value["inf"], value["neg_inf"], value["nan"]) == (".inf", "-.inf", ".nan")
    assert value["utc"] == "2026-01-01T10:00:00Z" and value["date"] == "2026-01-01"
    assert value["spaced"] == "2001-12-14 21:59:43.10 -5"


def test_duplicates_reported_with_lines() -> None:
    text = "a: 1\nm:\n  x: 1\n  x: 2\na: 3\n"
    assert blockyaml.read(text) == ({"a": 1, "m": {"x": 1}}, [("x", 4, 3, 3), ("a", 5, 1, 1)])
    assert blockyaml.read(text, 5) == ({"a": 1, "m": {"x": 1}}, [("x", 9, 3, 8), ("a", 10, 1, 6)])
    assert assert_agrees(text) and assert_agrees(text, 5)


def test_positions_are_worked_out() -> None:
    text = "a: 1\nb:\n  - x\n  - k: [p,  q]\n    j: |\n      t\nc: # c\n"
    where = blockyaml.Where(2)
    assert blockyaml.read(text, 2, where) is not None
    assert where.keys[("b",)] == (4, 1) and where.keys[("b", 1, "j")] == (7, 5)
    assert where.values[("b", 1, "k", 1)] == (6, 13)
    assert where.values[("c",)] == (9, 3)
    assert assert_agrees(text, 2)


def _dense(shape: str, size: int) -> str:
    """A text of `shape` holding as many values as fit in `size` characters (blank-padded)."""
    if shape == "flow":
        text = "k: [" + ",".join(["1"] * ((size - 5) // 2)) + "]"
    else:
        parts = [] if shape == "keys" else ["k:"]
        while True:
            part = {"sequence": "- 1", "items": "- []", "keys": f"{len(parts)}:"}[shape]
            if len("\n".join([*parts, part])) + 1 > size:
                break
            parts.append(part)
        text = "\n".join(parts)
    return text + "\n" * (size - len(text))


@pytest.mark.parametrize("shape", ["flow", "sequence", "keys", "items"])
@pytest.mark.parametrize("limit", [24, 41, 100])
def test_long_texts_left_to_the_full_reader(
    shape: str, limit: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under MAX_NODES characters the fast reader reads, and no text that short can exceed the
    node limit; from MAX_NODES characters on PyYAML reads it and counts the nodes."""
    monkeypatch.setattr(blockyaml, "MAX_NODES", limit)
    monkeypatch.setattr(yamlfile, "MAX_NODES", limit)
    short, long = _dense(shape, limit - 1), _dense(shape, limit)
    assert (len(short), len(long)) == (limit - 1, limit)
    assert assert_agrees(short)
    assert blockyaml.read(long) is None
    assert not assert_agrees(long)
    with pytest.raises(yamlfile.YamlProblem, match="more than"):
        yamlfile._compose_and_build(_dense(shape, 6 * limit), 0, False)
    assert not assert_agrees(_dense(shape, 6 * limit))


def test_duplicate_value_reports_nothing() -> None:
    """PyYAML's builder skips a duplicate key's value, so nothing inside it is reported."""
    text = "a: 1\na:\n  b: 1\n  b: 2\n  a: 3\n"
    assert blockyaml.read(text) == ({"a": 1}, [("a", 2, 1, 1)])
    assert assert_agrees(text)


@pytest.mark.parametrize("text", ["a: 0b_\n", "a: [0x_, -0x__]\n", "a:\n- +0b__\n"])
def test_numbers_that_cannot_be_built_stay_text(text: str) -> None:
    """`0x_` resolves as an int that int() refuses: both readers keep the text (was a crash)."""
    assert assert_agrees(text)
    read = blockyaml.read(text)
    assert read is not None
    value = read[0]["a"]
    assert all(type(item) is str for item in (value if isinstance(value, list) else [value]))


@pytest.mark.parametrize("text", ["a: 0x_\n  b\n", "a: 0b_\nb\n"])
def test_numbers_that_cannot_be_built_outside_the_subset(text: str) -> None:
    """Refused without a crash, whether PyYAML reads the text (`0x_ b`) or reports it."""
    assert not assert_agrees(text)


# --- Texts outside the subset ------------------------------------------------------------------

REFUSED = [
    pytest.param("a: &x 1\nb: *x\n", id="anchor-alias"),
    pytest.param("a: *x\n", id="undefined-alias"),
    pytest.param("a: &x\n  b: 1\n", id="anchor-on-mapping"),
    pytest.param("a: !!str 1\n", id="standard-tag"),
    pytest.param("a: !foo x\n", id="local-tag"),
    pytest.param("a: !!python/object:os.system x\n", id="python-tag"),
    pytest.param("a:\n\tb: 1\n", id="tab-indent"),
    pytest.param("a:\t1\n", id="tab-after-colon"),
    pytest.param("a: x\ty\n", id="tab-in-value"),
    pytest.param("a: 1\r\nb: 2\r\n", id="crlf"),
    pytest.param("a: 1\rb: 2\n", id="cr"),
    pytest.param("---\na: 1\n", id="document-start"),
    pytest.param("a: 1\n...\n", id="document-end"),
    pytest.param("a: 1\n---\nb: 2\n", id="two-documents"),
    pytest.param("%YAML 1.1\n---\na: 1\n", id="directive"),
    pytest.param("a: one\n  two\n", id="multiline-plain"),
    pytest.param("a:\n- one\n  two\n", id="multiline-plain-item"),
    pytest.param("a:\n  one\n", id="plain-on-next-line"),
    pytest.param("a: 'one\n  two'\n", id="multiline-single-quoted"),
    pytest.param('a: "one\n  two"\n', id="multiline-double-quoted"),
    pytest.param('a: "x\\ty"\n', id="double-quoted-escape"),
    pytest.param('a: "\\""\n', id="double-quoted-escaped-quote"),
    pytest.param("a: 'x\n", id="unclosed-single-quote"),
    pytest.param("a: 'x' y\n", id="text-after-quote"),
    pytest.param("a: {b: 1}\n", id="flow-mapping"),
    pytest.param("a: { }\n", id="flow-mapping-spaced"),
    pytest.param("a: [b, {c: d}]\n", id="flow-mapping-in-list"),
    pytest.param("a: [[b]]\n", id="nested-flow-list"),
    pytest.param("a: ['q']\n", id="quoted-in-flow-list"),
    pytest.param("a: [b,\n  c]\n", id="multiline-flow-list"),
    pytest.param("a: [b, ]\n", id="flow-list-trailing-comma"),
    pytest.param("a: [b] c\n", id="text-after-flow-list"),
    pytest.param("a: [b: c]\n", id="flow-pair"),
    pytest.param("key: a: b\n", id="value-with-colon-space"),
    pytest.param("key: value:\n", id="value-ending-in-colon"),
    pytest.param("- key: a: b\n", id="item-value-with-colon-space"),
    pytest.param("a:\n    b: 1\n  c: 2\n", id="dedent-to-unopened-column"),
    pytest.param("a:\n  - x\n - y\n", id="sequence-dedent-to-unopened-column"),
    pytest.param("a: 1\n  b: 2\n", id="key-deeper-than-sibling"),
    pytest.param("a:\n  b: 1\n   c: 2\n", id="nested-key-deeper-than-sibling"),
    pytest.param("a:\n  - b\n  c: 1\n", id="key-after-sequence-same-column"),
    pytest.param("items:\n- a: 1\n  - b\n", id="dash-in-item-mapping"),
    pytest.param("a: 1\n- b\n", id="dash-after-mapping"),
    pytest.param("? a\n: b\n", id="complex-key"),
    pytest.param("a:\n  ? b\n", id="nested-complex-key"),
    pytest.param("base: &a\n  x: 1\nderived:\n  <<: *a\n", id="merge-key"),
    pytest.param("a: <<\n", id="merge-value"),
    pytest.param("a: =\n", id="value-key"),
    pytest.param("a: [=]\n", id="value-key-in-flow-list"),
    pytest.param("a: x\x85y\n", id="nel"),
    pytest.param("a: x\u2028y\n", id="line-separator"),
    pytest.param("a: x\u2029y\n", id="paragraph-separator"),
    pytest.param("a: 1\n\ufeffb: 2\n", id="bom-inside"),
    pytest.param("\ufeffa: 1\n", id="bom-at-start"),
    pytest.param("a: x\x07\n", id="control-character"),
    pytest.param("a: x\x7f\n", id="delete-character"),
    pytest.param("a: x\x00\n", id="nul"),
    pytest.param("a:\n-\n- b\n", id="empty-item"),
    pytest.param("a:\n- # c\n", id="empty-item-comment"),
    pytest.param("a:\n- - b\n", id="nested-dash"),
    pytest.param("a: |2\n  x\n", id="indentation-indicator"),
    pytest.param("a: >-1\n x\n", id="indentation-indicator-after-chomp"),
    pytest.param("a: |\n  x", id="block-at-eof-without-newline"),
    pytest.param("a: |\n     \n  x\n", id="leading-space-line-wider-than-content"),
    pytest.param("a: |\nb: 1\n", id="empty-block"),
    pytest.param("a: | x\n  y\n", id="text-after-block-header"),
    pytest.param("a: |\n  x\n   \n  y\n", id="space-line-wider-than-indent"),
    pytest.param("- a\n", id="top-level-sequence"),
    pytest.param("just text\n", id="top-level-scalar"),
    pytest.param("  a: 1\n", id="indented-top-level"),
    pytest.param("'a': 1\n", id="quoted-key"),
    pytest.param("é: 1\n", id="non-ascii-key"),
    pytest.param("a b: 1\n", id="key-with-space"),
    pytest.param("a :1\n", id="space-before-colon"),
    pytest.param("a:1\n", id="no-space-after-colon"),
    pytest.param("# only a comment\n", id="comment-only"),
    pytest.param("", id="empty"),
    pytest.param("a: -\n", id="dash-value"),
    pytest.param("a: - b\n", id="dash-space-value"),
    pytest.param("a: ,x\n", id="comma-first"),
    pytest.param("a: `x\n", id="backtick-first"),
    pytest.param("a: @x\n", id="at-first"),
    pytest.param("a: %x\n", id="percent-first"),
    pytest.param("a: ?x\n", id="question-first"),
    pytest.param("a: :x\n", id="colon-first"),
    pytest.param("a: |\n  x\n# c\n  y\n", id="block-resumed-after-comment"),
    pytest.param(f"{'k' * 200}: 1\n", id="long-key"),
]


@pytest.mark.parametrize("text", REFUSED)
def test_fast_path_refuses(text: str) -> None:
    assert not assert_agrees(text), "the fast path read a text outside its subset"


# --- Random texts ------------------------------------------------------------------------------

INDENTS = [0, 1, 2, 3, 4, 6]
KEYS = ["a", "b", "id", "at", "a.b", "x-y", "1", "yes", "null", "k/v"]
# Values in the subset, of every implicit type, quoted and flow...
SUBSET_VALUES = [
    *("v", "yes", "no", "on", "off", "true", "True", "null", "~", "", "0x1f", "0o17", "017"),
    *("1_000", "190:20:30", "1.5", ".inf", "-.inf", ".nan", "6.8523015e+5", "1e3", "-1", "+1"),
    *("0", "2026-01-01", "2026-01-01T10:00:00Z", "2026-01-01T10:00:00+02:00", "a b  c", "é"),
    *("中文", "😀", "x:y", "a#b", "a # c", "a #b #c", "--- x", "...", "'q'", "'it''s'", "'x' # c"),
    *("''''", '"d"', '"a # b"', "[a, b]", "[]", "[ ]", "{}", "[1, yes, ~]", "-x", "v  "),
]
# ... and values that are not (or are not YAML at all).
ODD_VALUES = [
    *('"x\\"y"', "'a", '"a', "[a,]", "[a, [b]]", "[- a]", "{a: 1}", "[a", "a: b", "a:", ": x"),
    *("- a", "-", "?", "?x", "=", "<<", "&x v", "*x", "!!str 1", "!foo x", "%x", "@x", "`x"),
    *(",x", "# only", "0x_", "'x' y", "[a] b", "\t", "x\ty", '"a\\nb"', '"\\u00e9"'),
]
BLOCK_HEADERS = ["|", "|-", "|+", ">", ">-", ">+", "| # c", ">-  #c", "|2", "|x"]
BLOCK_TEXT = ["t", " more", "x # y", "- z", "a: b", "é", "#", "  deep", "'", "[x"]
FRAGMENTS = ["# c", "x", "---", "...", "-", "- ", "? a", ": b", "<<: *a", "'", '"', "[", "]"]


def _value(draw: st.DrawFn, clean: bool) -> str:
    odd = not clean and draw(st.integers(0, 7)) == 0
    return draw(st.sampled_from(ODD_VALUES if odd else SUBSET_VALUES))


def _lines(draw: st.DrawFn, clean: bool, indent: int, depth: int, first: str | None) -> list[str]:
    """A mapping at `indent` (its first key after `first` when given), drawn line by line."""
    lines: list[str] = []
    for n in range(draw(st.integers(1, 4))):
        if n and draw(st.integers(0, 9)) == 0:
            lines.append(draw(st.sampled_from(["", " " * draw(st.sampled_from(INDENTS)) + "# c"])))
        lead = first if n == 0 and first is not None else " " * indent
        key = draw(st.sampled_from(KEYS))
        shape = draw(st.integers(0, 9)) if depth < 3 else 9
        if shape < 2:
            lines.append(lead + key + draw(st.sampled_from([":", ": # c", ":  "])))
            sub = indent + draw(st.sampled_from([1, 2, 4]))
            lines += _lines(draw, clean, sub, depth + 1, None)
        elif shape < 4:
            lines.append(lead + key + ":")
            col = indent + draw(st.sampled_from([0, 0, 2, 3]))
            for _ in range(draw(st.integers(1, 3))):
                dash = " " * col + draw(st.sampled_from(["- ", "- ", "-   ", "-  "]))
                if draw(st.booleans()) and depth < 2:
                    lines += _lines(draw, clean, len(dash), depth + 1, dash)
                else:
                    lines += _scalar_lines(draw, clean, dash, col)
        else:
            lead += key + draw(st.sampled_from([": ", ":  "]))
            lines += _scalar_lines(draw, clean, lead, indent)
    return lines


def _scalar_lines(draw: st.DrawFn, clean: bool, lead: str, parent: int) -> list[str]:
    """A one-line value after `lead`, or a block scalar with its text lines."""
    if draw(st.integers(0, 4)):
        return [lead + _value(draw, clean)]
    lines = [lead + draw(st.sampled_from(BLOCK_HEADERS[:-2] if clean else BLOCK_HEADERS))]
    width = parent + draw(st.sampled_from([1, 2, 3]))
    for n in range(draw(st.integers(0, 4))):
        if draw(st.integers(0, 2)):
            lines.append(" " * width + draw(st.sampled_from(BLOCK_TEXT)))
        else:
            # Blank lines as wide as the text, or a little narrower or wider (then the text
            # is outside the subset, or not YAML at all: clean texts do that only up front).
            wider = [width + 1] if n == 0 or not clean else []
            lines.append(" " * draw(st.sampled_from([0, width - 1, width, *wider])))
    if clean and not lines[-1].strip(" "):
        lines.append(" " * width + draw(st.sampled_from(BLOCK_TEXT)))
    return lines


@st.composite
def yamlish(draw: st.DrawFn) -> str:
    """Well-shaped texts; half of them with odd values, stray fragments or a line shifted."""
    clean = draw(st.booleans())
    lines = _lines(draw, clean, 0, 0, None)
    if clean:
        return "\n".join(lines) + draw(st.sampled_from(["\n", "", "\n\n", "\n  \n"]))
    for _ in range(draw(st.sampled_from([0, 0, 1, 2]))):
        at = draw(st.integers(0, len(lines)))
        indent = " " * draw(st.sampled_from(INDENTS))
        lines.insert(at, indent + draw(st.sampled_from([*FRAGMENTS, ""])))
    if draw(st.integers(0, 2)) == 0:
        at = draw(st.integers(0, len(lines) - 1))
        shift = draw(st.sampled_from([-2, -1, 1, 2]))
        line = lines[at]
        lines[at] = " " * shift + line if shift > 0 else line.removeprefix(" " * -shift)
    return "\n".join(lines) + draw(st.sampled_from(["\n", "", "\n\n", "\n  \n"]))


@st.composite
def line_soup(draw: st.DrawFn) -> str:
    """Lines drawn independently from the fragments: mostly outside the subset."""
    lines: list[str] = []
    for _ in range(draw(st.integers(1, 10))):
        indent = " " * draw(st.sampled_from([0, 0, 0, *INDENTS]))
        dash = draw(st.sampled_from(["", "", "", "- ", "-   "]))
        kind = draw(st.integers(0, 5))
        if kind == 0:
            lines.append(indent + draw(st.sampled_from([*FRAGMENTS, ""])))
        elif kind == 1:
            lines.append(indent + dash + _value(draw, False))
        else:
            key = draw(st.sampled_from(KEYS))
            lines += _scalar_lines(draw, False, indent + dash + key + ": ", len(indent))
    return "\n".join(lines) + draw(st.sampled_from(["\n", ""]))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(yamlish())
def test_random_texts_agree(text: str) -> None:
    event("fast path" if assert_agrees(text) else "refused")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(line_soup(), st.sampled_from([0, 1, 5]))
def test_line_soup_agrees(text: str, line_offset: int) -> None:
    event("fast path" if assert_agrees(text, line_offset) else "refused")


# --- The repository's own records --------------------------------------------------------------


def _record_texts() -> Iterator[tuple[str, str, int, bool]]:
    """(name, YAML text, line offset, valid) for every record file and front matter we have."""
    fixtures = PROJECT / "tests" / "fixtures"
    folders = [PROJECT / "incidents", PROJECT / "postmortems", fixtures]
    paths = [PROJECT / "services.yaml"]
    for folder in folders:
        paths += sorted(p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml", ".md"))
    for path in paths:
        name = path.relative_to(PROJECT).as_posix()
        valid = not name.startswith("tests/fixtures/invalid/")
        try:
            text = yamlfile.decode(path.read_bytes())
            if path.suffix == ".md":
                if path.parent.name != "postmortems":
                    continue
                yield name, yamlfile.split_front_matter(text)[0], 1, valid
            else:
                yield name, text, 0, valid
        except yamlfile.YamlProblem:
            assert not valid, f"{name} cannot be read"


RECORD_CASES = list(_record_texts())
RECORDS = [pytest.param(*case, id=case[0]) for case in RECORD_CASES]


def test_records_found() -> None:
    names = [name for name, *_ in RECORD_CASES]
    assert sum(n.startswith("incidents/") for n in names) >= 10
    assert sum(n.startswith("postmortems/") for n in names) >= 1
    assert sum(n.startswith("tests/fixtures/invalid/") for n in names) >= 10


@pytest.mark.parametrize(("name", "text", "line_offset", "valid"), RECORDS)
def test_record_files_agree(name: str, text: str, line_offset: int, valid: bool) -> None:
    taken = assert_agrees(text, line_offset)
    # Incidents and postmortems are written in the block subset; services.yaml files use
    # `{...}` mappings, which PyYAML reads.
    if valid and ("/incidents/" in f"/{name}" or "/postmortems/" in f"/{name}"):
        assert taken, f"{name}: a valid record did not take the fast path"


TRICKY = " :#-'\"[]{}|>&*!\t\n"
MUTABLE = [(text, offset) for _, text, offset, valid in RECORD_CASES if valid and text.strip()]


@st.composite
def mutated_record(draw: st.DrawFn) -> tuple[str, int]:
    """A real record with one to three small edits a person (or a bad merge) might make."""
    text, offset = draw(st.sampled_from(MUTABLE))
    for _ in range(draw(st.integers(1, 3))):
        lines = text.split("\n")
        op = draw(st.sampled_from(["delete", "insert", "duplicate", "indent"]))
        if op == "delete" and text:
            at = draw(st.integers(0, len(text) - 1))
            text = text[:at] + text[at + 1 :]
        elif op == "insert":
            at = draw(st.integers(0, len(text)))
            text = text[:at] + draw(st.sampled_from(TRICKY)) + text[at:]
        elif op == "duplicate":
            at = draw(st.integers(0, len(lines) - 1))
            lines.insert(at, lines[at])
            text = "\n".join(lines)
        else:
            at = draw(st.integers(0, len(lines) - 1))
            shift = draw(st.sampled_from([-2, -1, 1, 2]))
            line = lines[at]
            lines[at] = " " * shift + line if shift > 0 else line.removeprefix(" " * -shift)
            text = "\n".join(lines)
    return text, offset


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_record())
def test_mutated_records_agree(case: tuple[str, int]) -> None:
    text, line_offset = case
    event("fast path" if assert_agrees(text, line_offset) else "refused")
