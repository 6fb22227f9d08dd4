"""Any text given with --message or --title comes back from the record exactly."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from statusledger.loading import load_ledger
from statusledger.records.models import Incident
from statusledger.yamlfile import parse
from statusledger.yamlwrite import emit_scalar
from tests.helpers import make_repo, run_cli

NASTY = [
    "Status: degraded # not a comment",
    "- looks like a list item",
    "'single' and \"double\" quotes, {braces}, [brackets], & anchor *star !tag %pc @at `tick`",
    "yes",
    "null",
    "2026-11-20T14:02:00Z",
    "0x1F",
    "first line\nsecond: line\n\n  indented third\n",
    "trailing spaces   ",
    "   leading spaces",
    "tab\there and a form feed \f and NUL \x00 and DEL \x7f",
    "unicode: Zürich, Kraków, 東京, emoji 🚒, RTL עברית, combining é",
    "line separator \u2028 paragraph separator \u2029 next line \x85 BOM \ufeff",
    "windows\r\nline ending and a lone \r carriage return",
    "---\n...\n",
    "| not a block scalar",
    "> not folded either",
    "a very long sentence that goes on " * 6 + "and ends: here.",
    "ends with two newlines\n\n",
    "\n starts with a newline",
]


def _incident_repo(tmp_path: Path) -> Path:
    root = make_repo(tmp_path)
    result = run_cli(
        "new",
        "incident",
        "--title",
        "Down",
        "--severity",
        "sev3",
        "--component",
        "api:major_outage",
        "--now",
        "2026-11-23T10:00:00Z",
        cwd=root,
    )
    assert result.code == 0, result.err
    return root


@pytest.mark.parametrize("message", NASTY)
def test_nasty_messages_round_trip_through_update(tmp_path: Path, message: str) -> None:
    root = _incident_repo(tmp_path)
    result = run_cli(
        "update",
        "2026-11-23-down",
        "--status",
        "identified",
        "--message",
        message,
        "--now",
        "2026-11-23T10:30:00Z",
        cwd=root,
    )
    assert result.code == 0, result.err
    record = load_ledger(root).record("2026-11-23-down")
    assert record is not None and isinstance(record.model, Incident)
    assert record.model.updates[-1].message == message


@pytest.mark.parametrize("title", ['API: errors & "timeouts"', "yes", "#1 problem", "Ünïcödé"])
def test_titles_round_trip(tmp_path: Path, title: str) -> None:
    root = make_repo(tmp_path)
    result = run_cli(
        "new",
        "incident",
        "--title",
        title,
        "--severity",
        "sev3",
        "--message",
        NASTY[7],
        "--now",
        "2026-11-23T10:00:00Z",
        cwd=root,
    )
    assert result.code == 0, result.err
    record = load_ledger(root).records[0]
    assert isinstance(record.model, Incident)
    assert record.model.title == title
    assert record.model.updates[0].message == NASTY[7]


def test_plain_text_stays_plain_and_long_text_is_folded() -> None:
    assert emit_scalar("Error rates are back to normal.", 6) == "Error rates are back to normal."
    assert emit_scalar("A: b", 6) == '"A: b"'
    assert emit_scalar("x, y", 6, flow=True) == '"x, y"'
    assert emit_scalar("one\ntwo", 6) == "|-\n      one\n      two"
    folded = emit_scalar("word " * 30 + "end", 6)
    assert folded.startswith(">-\n      word")
    assert all(len(line) <= 80 for line in folded.splitlines())


@settings(max_examples=300, deadline=None)
@given(text=st.text(min_size=1), indent=st.integers(min_value=2, max_value=12), flow=st.booleans())
def test_any_text_reads_back_exactly(text: str, indent: int, flow: bool) -> None:
    emitted = emit_scalar(text, indent, flow=flow)
    snippet = "{k: " + emitted + "}\n" if flow else "k: " + emitted + "\n"
    value, _ = parse(snippet, with_positions=False)
    assert value == {"k": text}
