"""The record format page names every field and value the models accept, and nothing points away.

tooling/docs/records.md is the only description of the format a user gets: a field the models
accept but the page does not name is a field nobody can find. The repository must also stand on
its own, so no tracked file may send the reader to a document it does not contain.
"""

from __future__ import annotations

import re
import subprocess
import typing
from collections.abc import Iterator
from enum import Enum
from pathlib import Path

import pytest
from pydantic import BaseModel

from statusledger.records.models import Incident, Maintenance, Postmortem, Services
from tests.helpers import PROJECT

DOCS = PROJECT / "tooling" / "docs"
RECORDS = DOCS / "records.md"
NOTIFICATIONS = DOCS / "notifications.md"

# Built from parts so that this file does not match what it looks for.
_OUTSIDE = re.compile("|".join([r"\b" + "SP" + r"EC\b", "steering " + "repositor"]))


def _inner(annotation: object) -> Iterator[object]:
    """The annotation and every type nested in it (lists, dicts, unions, Annotated)."""
    yield annotation
    for arg in typing.get_args(annotation):
        yield from _inner(arg)


def _walk(
    model: type[BaseModel], doc: Path, path: str, seen: set[type[BaseModel]]
) -> Iterator[tuple[Path, str, str]]:
    """(doc, where, word) for every key, enum value and literal value a model accepts."""
    if model in seen:
        return
    seen.add(model)
    for name, info in model.model_fields.items():
        key = info.alias or name
        where = f"{path}.{key}"
        yield doc, where, key
        # A channel's own fields belong to the notifications page.
        inner_doc = NOTIFICATIONS if model is Services and key == "notifications" else doc
        for kind in _inner(info.annotation):
            if isinstance(kind, type) and issubclass(kind, BaseModel):
                yield from _walk(kind, inner_doc, where, seen)
            elif isinstance(kind, type) and issubclass(kind, Enum):
                for member in kind:
                    yield inner_doc, f"{where} = {member.value}", str(member.value)
            elif typing.get_origin(kind) is typing.Literal:
                for value in typing.get_args(kind):
                    yield inner_doc, f"{where} = {value}", str(value)


def _words() -> list[tuple[Path, str, str]]:
    seen: set[type[BaseModel]] = set()
    out: list[tuple[Path, str, str]] = []
    for model, name in (
        (Services, "services.yaml"),
        (Incident, "incident"),
        (Maintenance, "maintenance"),
        (Postmortem, "postmortem"),
    ):
        out.extend(_walk(model, RECORDS, name, seen))
    return out


def test_the_walk_finds_the_fields_it_must_check() -> None:
    """Guard the test itself: nested models, enums and literals are all reached."""
    words = {(where, word) for _, where, word in _words()}
    assert ("services.yaml.slas.weights.partial_outage", "partial_outage") in words
    assert ("incident.impact.from", "from") in words
    assert ("postmortem.action_items.owner", "owner") in words
    assert ("incident.source.system = cstate", "cstate") in words
    assert ("services.yaml.page.language = ro", "ro") in words
    assert ("postmortem.root_causes = human-process", "human-process") in words


def test_records_md_names_every_field_and_value_of_every_record() -> None:
    texts = {
        doc: doc.read_text(encoding="utf-8") for doc in {RECORDS, NOTIFICATIONS} if doc.exists()
    }
    missing = []
    for doc, where, word in _words():
        text = texts.get(doc)
        if text is None:
            missing.append(f"{where}: {doc.name} does not exist")
        elif f"`{word}`" not in text and not re.search(
            rf"(^|[\s{{,]){re.escape(word)}:", text, re.M
        ):
            missing.append(f"{where}: `{word}` is not in {doc.name}")
    assert missing == []


def _tracked_files() -> list[Path]:
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z"], cwd=PROJECT, check=True, capture_output=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip(f"{PROJECT} is not a git checkout, so there are no tracked files to read")
    return [PROJECT / name for name in listed.decode().split("\0") if name]


def test_no_tracked_file_points_at_a_document_outside_the_repository() -> None:
    found = []
    for path in _tracked_files():
        if not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        for number, line in enumerate(text.splitlines(), 1):
            if _OUTSIDE.search(line):
                found.append(f"{path.relative_to(PROJECT)}:{number}: {line.strip()}")
    assert found == []
