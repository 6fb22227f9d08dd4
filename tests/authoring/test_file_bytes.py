"""What authoring does to the bytes of a file: a byte order mark and line endings stay; a new
file never replaces one that appeared meanwhile; a record changed under a command is not lost."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from statusledger.authoring import IncidentDraft, commands, new_incident, update_record, writing
from statusledger.errors import StatusledgerError
from statusledger.records.models import SeverityLevel
from statusledger.records.types import parse_timestamp
from tests.authoring.test_preservation import BLOCK, FLOW, ID, PATH
from tests.authoring.test_refusals import OPEN_INCIDENT
from tests.helpers import make_repo, run_cli

BOM = b"\xef\xbb\xbf"
OPEN_PATH = "incidents/2026/2026-11-20-checkout-errors.yaml"
MAINTENANCE_PATH = "incidents/2026/2026-12-01-database-upgrade.yaml"
MAINTENANCE = """\
# Planned with the database team.
title: Database upgrade
kind: maintenance
window: {start: 2026-12-01T02:00:00Z, end: 2026-12-01T04:00:00Z}
components: [database]   # only the database
updates:
  - at: 2026-11-20T09:00:00Z
    status: scheduled
    message: Planned.
"""


def _inserted(before: bytes, after: bytes) -> list[bytes]:
    """Assert the old lines are all still there in order; return the added ones."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    opcodes = difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes()
    assert {tag for tag, *_ in opcodes} <= {"equal", "insert"}, opcodes
    return [line for tag, _, _, j1, j2 in opcodes if tag == "insert" for line in new[j1:j2]]


def _write(root: Path, rel: str, data: bytes) -> None:
    (root / rel).parent.mkdir(parents=True, exist_ok=True)
    (root / rel).write_bytes(data)


def _ok(root: Path, *args: str) -> None:
    result = run_cli("--root", str(root), *args)
    assert result.code == 0, result.err


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_update_resolve_and_postmortem_keep_a_byte_order_mark(tmp_path: Path, newline: str) -> None:
    root = make_repo(tmp_path)
    original = BOM + BLOCK.replace("\n", newline).encode()
    _write(root, PATH, original)
    now = "2026-11-20T14:00:00Z"
    _ok(root, "validate", "--now", now)
    _ok(root, "update", ID, "--status", "identified", "--message", "Found it.", "--now", now)
    _ok(root, "resolve", ID, "--message", "Fixed.", "--now", "2026-11-20T15:00:00Z")
    _ok(root, "new", "postmortem", ID, "--now", "2026-11-20T16:00:00Z")
    raw = (root / PATH).read_bytes()
    assert raw.startswith(BOM + b"# yaml-language-server")
    assert raw.count(BOM) == 1
    added = _inserted(original, raw)
    assert f"  message: Found it.{newline}".encode() in added
    assert f"postmortem: {ID}{newline}".encode() in added
    assert all(line.endswith(newline.encode()) for line in added)
    if newline == "\r\n":
        assert raw.count(b"\n") == raw.count(b"\r\n")
    _ok(root, "validate", "--now", "2026-11-20T16:00:00Z")


def test_a_maintenance_with_a_byte_order_mark_is_completed(tmp_path: Path) -> None:
    root = make_repo(tmp_path)
    original = BOM + MAINTENANCE.encode()
    _write(root, MAINTENANCE_PATH, original)
    _ok(
        root,
        "update",
        "2026-12-01-database-upgrade",
        "--status",
        "in_progress",
        "--message",
        "Started.",
        "--now",
        "2026-12-01T02:00:00Z",
    )
    _ok(
        root,
        "resolve",
        "2026-12-01-database-upgrade",
        "--message",
        "Done.",
        "--now",
        "2026-12-01T03:00:00Z",
    )
    raw = (root / MAINTENANCE_PATH).read_bytes()
    assert raw.startswith(BOM + b"# Planned with the database team.\n")
    assert b"components: [database]   # only the database\n" in raw
    assert len(_inserted(original, raw)) == 6


def test_flow_style_and_empty_keys_after_a_byte_order_mark(tmp_path: Path) -> None:
    """Edits placed by position (inside a flow collection, an empty key) land where they belong.

    PyYAML's C reader counts positions from after the mark, Python's from before it: an edit
    placed by the first in text that still holds the mark lands one character early.
    """
    root = make_repo(tmp_path)
    original = BOM + FLOW.replace("tags:", "postmortem:\ntags:").encode()
    _write(root, PATH, original)
    now = "2026-11-20T13:30:00Z"
    _ok(root, "update", ID, "--status", "monitoring", "--message", "Watching.", "--now", now)
    _ok(root, "new", "postmortem", ID, "--now", now)
    raw = (root / PATH).read_bytes()
    assert raw.startswith(BOM + b"title: Checkout errors\n")
    assert b"timeline: {started: 2026-11-20T13:00:00Z, acknowledged: 2026-11-20T13:30:00Z, " in raw
    assert b"  - {at: 2026-11-20T13:30:00Z, status: monitoring, message: Watching.}\n" in raw
    assert f"postmortem: {ID}\ntags:".encode() in raw
    _ok(root, "validate", "--now", now)


def test_a_new_incident_never_replaces_one_created_meanwhile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two `new incident` with one title in one second pick one id: the second must fail."""
    root = make_repo(tmp_path)
    mine = root / "incidents/2026/2026-11-20-api-errors.yaml"
    theirs = b"title: written by the other command\n"
    choose = commands.new_record_path

    def other_command_wins(*args: str) -> Path:
        path = choose(*args)  # type: ignore[arg-type]
        assert path == mine
        original_create = writing.write_atomic

        def create_then_race(target: Path, data: bytes, **kw: bool) -> None:
            target.write_bytes(theirs)  # the other command's file lands first
            original_create(target, data, **kw)

        monkeypatch.setattr(writing, "write_atomic", create_then_race)
        return path

    monkeypatch.setattr(commands, "new_record_path", other_command_wins)
    draft = IncidentDraft(title="API errors", severity=SeverityLevel.SEV2)
    with pytest.raises(StatusledgerError) as raised:
        new_incident(root, draft, parse_timestamp("2026-11-20T14:00:00Z"))
    assert "was created by another command while this one ran; nothing was written" in str(
        raised.value
    )
    assert mine.read_bytes() == theirs
    assert sorted(p.name for p in mine.parent.iterdir()) == [mine.name]  # no temporary left


def test_a_record_edited_during_the_command_is_edited_again_not_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Someone's update lands between the read and the write: ours goes on top of theirs."""
    root = make_repo(tmp_path)
    _write(root, OPEN_PATH, OPEN_INCIDENT.encode())
    theirs = OPEN_INCIDENT + "  - at: 2026-11-20T13:20:00Z\n    status: identified\n"
    theirs += "    message: Theirs.\n"
    calls = []
    check = writing.check

    def someone_writes_first(*args: object) -> None:
        if not calls:
            (root / OPEN_PATH).write_text(theirs, encoding="utf-8")
        calls.append(1)
        check(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(writing, "check", someone_writes_first)
    update_record(
        root,
        "2026-11-20-checkout-errors",
        status="identified",
        message="Ours.",
        components=[],
        now=parse_timestamp("2026-11-20T14:00:00Z"),
    )
    text = (root / OPEN_PATH).read_text(encoding="utf-8")
    assert _inserted(theirs.encode(), text.encode())
    assert "message: Theirs." in text and "message: Ours." in text
    assert text.index("Theirs.") < text.index("Ours.")
    assert len(calls) == 2  # the first attempt saw the change and started again


def test_a_record_that_keeps_changing_fails_clearly_and_keeps_the_other_edits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_repo(tmp_path)
    _write(root, OPEN_PATH, OPEN_INCIDENT.encode())
    check = writing.check
    edits = []

    def someone_always_writes_first(*args: object) -> None:
        edits.append(f"# edit {len(edits)}\n")
        with (root / OPEN_PATH).open("a", encoding="utf-8") as handle:
            handle.write(edits[-1])
        check(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(writing, "RETRIES", 3)
    monkeypatch.setattr(writing, "check", someone_always_writes_first)
    result = run_cli(
        "--root",
        str(root),
        "update",
        "2026-11-20-checkout-errors",
        "--status",
        "identified",
        "--message",
        "Ours.",
        "--now",
        "2026-11-20T14:00:00Z",
    )
    assert result.code == 1
    assert "changed while the command ran" in result.err
    assert "nothing was written. Run the command again" in result.err
    assert len(edits) == 4  # the first try and three fresh starts
    assert (root / OPEN_PATH).read_text(encoding="utf-8") == OPEN_INCIDENT + "".join(edits)
