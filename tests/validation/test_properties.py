"""Property: whatever a person does to valid records, loading and validating never raise.

Starting from the valid/full fixture, one file is mutated (a key deleted, a value replaced by a
random scalar, list or mapping, a key inserted, list items swapped, the text truncated, random
bytes spliced in) and the whole repository is loaded and validated. The result must be findings
that point into the repository, never an exception.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from statusledger.errors import Finding
from statusledger.loading import (
    load_ledger,
    load_postmortem_text,
    load_record_text,
    load_services_text,
)
from statusledger.validation import Context, validate
from statusledger.yamlfile import parse, split_front_matter, walk_paths
from tests.validation.fixtures import NOW, VALID

BASE = VALID / "full"
FILES = {
    p.relative_to(BASE).as_posix(): p.read_bytes()
    for p in sorted(BASE.rglob("*"))
    if p.is_file() and p.name != "README.md"
}
TARGETS = sorted(FILES)

INTERESTING = [
    "",
    "api",
    "database",
    "nope",
    "sev1",
    "sev2",
    "resolved",
    "scheduled",
    "published",
    "internal",
    "2026-11-20T14:02:00Z",
    "2026-11-20T14:02:00",
    "2026-11-20",
    "2030-01-01T00:00:00+05:00",
    "1999-01-01T00:00:00Z",
    "9999-12-31T23:59:59-01:00",
    "0001-01-01T00:00:00+01:00",
    "15m",
    "0m",
    "999999999w",
    "2026-11-01-checkout-failures",
    "2026-11-20-api-errors",
]
text = st.text(alphabet=st.characters(codec="utf-8"), max_size=20)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    text,
    st.sampled_from(INTERESTING),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
    max_leaves=6,
)


def split(rel: str, raw: bytes) -> tuple[str, str]:
    """(YAML part, rest) of a file: the front matter of a postmortem, else the whole file."""
    if not rel.endswith(".md"):
        return raw.decode(), ""
    front, body, _ = split_front_matter(raw.decode())
    return front, "---\n" + body


def join(rel: str, front: str, rest: str) -> str:
    return f"---\n{front}{rest}" if rel.endswith(".md") else front


def container_at(data: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


@st.composite
def structural(draw: st.DrawFn, data: Any) -> Any:
    """Apply one structural mutation to parsed YAML data (modified in place and returned)."""
    paths = [p for p in walk_paths(data) if p]
    kind = draw(st.sampled_from(["delete", "replace", "insert", "swap"]))
    if kind in ("delete", "replace") and paths:
        path = draw(st.sampled_from(paths))
        parent = container_at(data, path[:-1])
        if kind == "delete":
            del parent[path[-1]]
        else:
            parent[path[-1]] = draw(values)
        return data
    mappings = [p for p in walk_paths(data) if isinstance(container_at(data, p), dict)]
    lists = [p for p in walk_paths(data) if isinstance(container_at(data, p), list)]
    if kind == "swap" and lists:
        items = container_at(data, draw(st.sampled_from(lists)))
        if len(items) >= 2:
            i = draw(st.integers(0, len(items) - 1))
            j = draw(st.integers(0, len(items) - 1))
            items[i], items[j] = items[j], items[i]
        return data
    if mappings:
        target = container_at(data, draw(st.sampled_from(mappings)))
        key = draw(
            st.sampled_from(["title", "to", "from", "extra", "postmortem", "incidents"]) | text
        )
        target[key] = draw(values)
    return data


@st.composite
def mutated_repo(draw: st.DrawFn) -> dict[str, bytes]:
    """The valid/full files with one of them mutated."""
    files = dict(FILES)
    rel = draw(st.sampled_from(TARGETS))
    raw = files[rel]
    how = draw(st.sampled_from(["structure", "structure", "truncate", "bytes", "splice"]))
    if how == "structure":
        front, rest = split(rel, raw)
        data, _ = parse(front)
        mutated = draw(structural(data))
        dumped = yaml.safe_dump(mutated, sort_keys=False, allow_unicode=True)
        files[rel] = join(rel, dumped, rest).encode()
    elif how == "truncate":
        files[rel] = raw[: draw(st.integers(0, len(raw)))]
    elif how == "bytes":
        at = draw(st.integers(0, len(raw)))
        files[rel] = raw[:at] + draw(st.binary(min_size=1, max_size=8)) + raw[at:]
    else:
        start = draw(st.integers(0, len(raw)))
        end = draw(st.integers(start, min(len(raw), start + 40)))
        files[rel] = raw[:start] + draw(text).encode() + raw[end:]
    return files


def check(findings: list[Finding], files: dict[str, bytes]) -> None:
    for finding in findings:
        assert finding.path in files
        assert finding.line >= 1
        assert finding.col >= 1
        assert finding.line <= files[finding.path].count(b"\n") + 2
        assert finding.rule
        assert finding.message


@settings(
    max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(files=mutated_repo(), strict=st.booleans())
def test_mutated_records_load_and_validate_without_raising(
    files: dict[str, bytes], strict: bool
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for rel, content in files.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_bytes(content)
        report = validate(load_ledger(root), Context(now=NOW, strict=strict))
    check(report.findings, files)


@settings(max_examples=300, deadline=None, database=None)
@given(raw=st.binary(max_size=300) | text.map(str.encode))
def test_arbitrary_bytes_never_raise(raw: bytes) -> None:
    for result in (
        load_record_text(raw, "incidents/2026/x.yaml"),
        load_postmortem_text(raw, "postmortems/x.md"),
    ):
        assert isinstance(result, list) or result.id == "x"


def test_mutation_helpers_round_trip() -> None:
    # The strategy re-dumps parsed YAML; unmutated, that must still be a valid record.
    for rel in TARGETS:
        front, rest = split(rel, FILES[rel])
        data, _ = parse(front)
        again = join(rel, yaml.safe_dump(data, sort_keys=False), rest)
        loader = (
            load_services_text
            if rel == "services.yaml"
            else load_postmortem_text
            if rel.endswith(".md")
            else load_record_text
        )
        assert not isinstance(loader(again, rel), list), rel
