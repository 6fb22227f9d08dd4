"""Edits keep what the author wrote: comments, key order, quoting, indentation, blank lines."""

from __future__ import annotations

import difflib
import shutil
from datetime import timedelta
from pathlib import Path

import pytest

from statusledger.loading import load_ledger
from statusledger.records.types import format_timestamp
from tests.helpers import PROJECT, make_repo, run_cli

PATH = "incidents/2026/2026-11-20-checkout.yaml"
ID = "2026-11-20-checkout"

# Block style throughout, but with everything an author might do by hand.
BLOCK = """\
# yaml-language-server: $schema=../../site/schemas/incident.schema.json
# Written by hand during the incident; keep these notes.

title:   'Checkout: slow "pay" button'     # quoted on purpose
kind: incident
severity: "sev2"
category: degradation
visibility: public

impact:
    # the API went first
    -   component: api          # four-space indent, padded dash
        level: degraded_performance
        from: 2026-11-20T14:02:00+01:00

    -   component: web
        level: partial_outage
        from: 2026-11-20T13:05:00Z
        # web was hit a bit later

timeline:
    started: 2026-11-20T13:02:00Z    # from the dashboards
    detected: 2026-11-20T13:05:00Z
roles: {commander: alice}
updates:
- at: 2026-11-20T13:10:00Z      # an indentless sequence
  status: investigating
  message: >-
    We are looking into slow checkouts.
    More soon.

  # a note under the last update

tags:
  - eu-west   # block list
# the end of the file
"""


def _run(root: Path, *args: str) -> None:
    result = run_cli(*args, cwd=root)
    assert result.code == 0, result.err


def _only_insertions(before: str, after: str) -> list[str]:
    """Assert every original line is still there, in order, and return the added lines."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    opcodes = difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes()
    assert {tag for tag, *_ in opcodes} <= {"equal", "insert"}, opcodes
    return [line for tag, _, _, j1, j2 in opcodes if tag == "insert" for line in new[j1:j2]]


def test_update_and_resolve_only_insert_lines(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {PATH: BLOCK})
    _run(
        root,
        "update",
        ID,
        "--status",
        "identified",
        "--message",
        "Found it.",
        "--component",
        "api:major_outage",
        "--now",
        "2026-11-20T13:30:00Z",
    )
    after_update = (root / PATH).read_text()
    assert _only_insertions(BLOCK, after_update) == [
        "        to: 2026-11-20T13:30:00Z\n",
        "    -   component: api\n",
        "        level: major_outage\n",
        "        from: 2026-11-20T13:30:00Z\n",
        "    acknowledged: 2026-11-20T13:30:00Z\n",
        "- at: 2026-11-20T13:30:00Z\n",
        "  status: identified\n",
        "  message: Found it.\n",
    ]
    _run(root, "resolve", ID, "--message", "Fixed.", "--now", "2026-11-20T14:00:00Z")
    final = (root / PATH).read_text()
    _only_insertions(after_update, final)
    assert (
        final
        == """\
# yaml-language-server: $schema=../../site/schemas/incident.schema.json
# Written by hand during the incident; keep these notes.

title:   'Checkout: slow "pay" button'     # quoted on purpose
kind: incident
severity: "sev2"
category: degradation
visibility: public

impact:
    # the API went first
    -   component: api          # four-space indent, padded dash
        level: degraded_performance
        from: 2026-11-20T14:02:00+01:00
        to: 2026-11-20T13:30:00Z

    -   component: web
        level: partial_outage
        from: 2026-11-20T13:05:00Z
        # web was hit a bit later
        to: 2026-11-20T14:00:00Z
    -   component: api
        level: major_outage
        from: 2026-11-20T13:30:00Z
        to: 2026-11-20T14:00:00Z

timeline:
    started: 2026-11-20T13:02:00Z    # from the dashboards
    detected: 2026-11-20T13:05:00Z
    acknowledged: 2026-11-20T13:30:00Z
    mitigated: 2026-11-20T14:00:00Z
    resolved: 2026-11-20T14:00:00Z
roles: {commander: alice}
updates:
- at: 2026-11-20T13:10:00Z      # an indentless sequence
  status: investigating
  message: >-
    We are looking into slow checkouts.
    More soon.

  # a note under the last update
- at: 2026-11-20T13:30:00Z
  status: identified
  message: Found it.
- at: 2026-11-20T14:00:00Z
  status: resolved
  message: Fixed.

tags:
  - eu-west   # block list
# the end of the file
"""
    )
    _run(root, "new", "postmortem", ID, "--now", "2026-11-21T09:00:00Z")
    linked = (root / PATH).read_text()
    assert _only_insertions(final, linked) == [f"postmortem: {ID}\n"]
    assert linked.index("postmortem:") < linked.index("\ntags:")
    assert run_cli("validate", "--now", "2026-11-21T09:00:00Z", cwd=root).code == 0


FLOW = """\
title: Checkout errors
kind: incident
severity: sev3
category: outage
impact: [{component: api, level: partial_outage, from: 2026-11-20T13:00:00Z}]
timeline: {started: 2026-11-20T13:00:00Z}
updates:
  - {at: 2026-11-20T13:10:00Z, status: investigating, message: "Looking, into it"}
tags: [eu-west, checkout]
"""


def test_flow_style_stays_flow_style(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {PATH: FLOW})
    _run(
        root,
        "update",
        ID,
        "--status",
        "monitoring",
        "--message",
        "Fixed, watching.",
        "--component",
        "web:degraded_performance",
        "--now",
        "2026-11-20T13:30:00Z",
    )
    _run(root, "resolve", ID, "--message", "Resolved.", "--now", "2026-11-20T14:00:00Z")
    assert (
        (root / PATH).read_text()
        == """\
title: Checkout errors
kind: incident
severity: sev3
category: outage
impact: [{component: api, level: partial_outage, from: 2026-11-20T13:00:00Z, \
to: 2026-11-20T14:00:00Z}, {component: web, level: degraded_performance, \
from: 2026-11-20T13:30:00Z, to: 2026-11-20T14:00:00Z}]
timeline: {started: 2026-11-20T13:00:00Z, acknowledged: 2026-11-20T13:30:00Z, \
mitigated: 2026-11-20T13:30:00Z, resolved: 2026-11-20T14:00:00Z}
updates:
  - {at: 2026-11-20T13:10:00Z, status: investigating, message: "Looking, into it"}
  - {at: 2026-11-20T13:30:00Z, status: monitoring, message: "Fixed, watching."}
  - {at: 2026-11-20T14:00:00Z, status: resolved, message: Resolved.}
tags: [eu-west, checkout]
"""
    )
    assert run_cli("validate", "--now", "2026-11-20T14:00:00Z", cwd=root).code == 0


SPARSE = """\
title: Informational
kind: incident
severity: sev4
category: other
impact: []
timeline: {}
updates:
  - at: 2026-11-20T13:10:00Z
    status: investigating
    message: A heads-up."""  # no newline at the end of the file


def test_empty_flow_collections_and_missing_final_newline(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {PATH: SPARSE})
    _run(
        root,
        "update",
        ID,
        "--status",
        "identified",
        "--message",
        "It is the API.",
        "--component",
        "api:major_outage",
        "--now",
        "2026-11-20T13:30:00Z",
    )
    assert (
        (root / PATH).read_text()
        == """\
title: Informational
kind: incident
severity: sev4
category: other
impact: [{component: api, level: major_outage, from: 2026-11-20T13:30:00Z}]
timeline: {acknowledged: 2026-11-20T13:30:00Z}
updates:
  - at: 2026-11-20T13:10:00Z
    status: investigating
    message: A heads-up.
  - at: 2026-11-20T13:30:00Z
    status: identified
    message: It is the API.
"""
    )


MISSING = """\
title: Informational
kind: incident
severity: sev4
category: other
# the public timeline
updates:
    - at: 2026-11-20T13:10:00Z
      status: investigating
      message: A heads-up.
      # more later
"""


def test_missing_sections_are_added_in_the_spec_order(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {PATH: MISSING})
    _run(
        root,
        "update",
        ID,
        "--status",
        "identified",
        "--message",
        "It is the API.",
        "--component",
        "api:major_outage",
        "--now",
        "2026-11-20T13:30:00Z",
    )
    assert (
        (root / PATH).read_text()
        == """\
title: Informational
kind: incident
severity: sev4
category: other
impact:
    - component: api
      level: major_outage
      from: 2026-11-20T13:30:00Z
timeline:
  acknowledged: 2026-11-20T13:30:00Z
# the public timeline
updates:
    - at: 2026-11-20T13:10:00Z
      status: investigating
      message: A heads-up.
      # more later
    - at: 2026-11-20T13:30:00Z
      status: identified
      message: It is the API.
"""
    )


NULLS = """\
title: Down
kind: incident
severity: sev4
category: outage
impact:
  - component: api
    level: major_outage
    from: 2026-11-20T13:00:00Z
    to:
timeline:
  started: 2026-11-20T13:00:00Z
  resolved: ~
updates:
  - at: 2026-11-20T13:10:00Z
    status: investigating
    message: Down.
postmortem: null
"""


def test_keys_left_empty_are_filled_in_place(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {PATH: NULLS, "postmortems/.keep": ""})
    _run(root, "resolve", ID, "--message", "Up.", "--now", "2026-11-20T14:00:00Z")
    _run(root, "new", "postmortem", ID, "--now", "2026-11-20T14:00:00Z")
    text = (root / PATH).read_text()
    assert "    to: 2026-11-20T14:00:00Z\n" in text
    assert "  resolved: 2026-11-20T14:00:00Z\n" in text
    assert text.endswith(f"postmortem: {ID}\n")
    assert text.count("to:") == 1 and text.count("resolved:") == 1
    assert run_cli("validate", "--now", "2026-11-20T14:00:00Z", cwd=root).code == 0


@pytest.mark.parametrize("newline", ["\r\n", "\n"])
def test_line_endings_are_kept(tmp_path: Path, newline: str) -> None:
    root = make_repo(tmp_path)
    (root / "incidents" / "2026").mkdir(parents=True)
    (root / PATH).write_bytes(BLOCK.replace("\n", newline).encode())
    _run(
        root,
        "update",
        ID,
        "--status",
        "identified",
        "--message",
        "Two\nlines",
        "--now",
        "2026-11-20T13:30:00Z",
    )
    raw = (root / PATH).read_bytes()
    assert raw.startswith(BLOCK.replace("\n", newline).encode()[:200])
    if newline == "\r\n":
        assert raw.count(b"\n") == raw.count(b"\r\n")
    assert f"  message: |-{newline}    Two{newline}    lines{newline}".encode() in raw


def test_milestones_are_never_set_out_of_order(tmp_path: Path) -> None:
    text = MISSING.replace(
        "category: other\n",
        """\
category: other
timeline:
  started: 2026-11-20T13:00:00Z
  mitigated: 2026-11-20T13:20:00Z
""",
    )
    root = make_repo(tmp_path, {PATH: text})
    _run(
        root,
        "update",
        ID,
        "--status",
        "identified",
        "--message",
        "Found it.",
        "--now",
        "2026-11-20T13:30:00Z",
    )
    edited = (root / PATH).read_text()
    # acknowledged cannot come after mitigated, so it takes mitigated's time.
    assert "  started: 2026-11-20T13:00:00Z\n  acknowledged: 2026-11-20T13:20:00Z\n" in edited
    assert run_cli("validate", "--now", "2026-11-20T13:30:00Z", cwd=root).code == 0


KEEP = """\
title: Down
kind: incident
severity: sev4
category: outage
updates:
  - at: 2026-11-20T13:10:00Z
    status: investigating
    message: |+
      Keep my trailing blank line.

tags: [x]
"""


def test_a_kept_trailing_blank_line_stays_in_its_message(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {PATH: KEEP})
    _run(
        root,
        "update",
        ID,
        "--status",
        "investigating",
        "--message",
        "Still down.",
        "--now",
        "2026-11-20T13:30:00Z",
    )
    text = (root / PATH).read_text()
    assert _only_insertions(KEEP, text) == [
        "  - at: 2026-11-20T13:30:00Z\n",
        "    status: investigating\n",
        "    message: Still down.\n",
    ]
    assert "Keep my trailing blank line.\n\n  - at: 2026-11-20T13:30:00Z\n" in text


def test_the_example_organisation_keeps_its_lines(tmp_path: Path) -> None:
    """Every open incident of the example organisation (else one declared on its first
    component) can be moved on and resolved, and only lines are added to its files."""
    for name in ("services.yaml", "incidents", "postmortems"):
        source = PROJECT / name
        if not source.exists():
            pytest.skip("the example organisation is not there")
        if source.is_dir():
            shutil.copytree(source, tmp_path / name)
        else:
            shutil.copy(source, tmp_path / name)
    ledger = load_ledger(tmp_path)
    latest = max(u.at for r in ledger.records for u in r.model.updates)
    if not any(r.model.is_open for r in ledger.incidents):
        assert ledger.services is not None
        component = ledger.services.model.components[0].id
        latest += timedelta(minutes=30)
        _run(
            tmp_path,
            "new",
            "incident",
            "--title",
            "Errors on sign-in",
            "--severity",
            "sev2",
            "--component",
            f"{component}:partial_outage",
            "--message",
            "We are investigating.",
            "--now",
            format_timestamp(latest),
        )
        ledger = load_ledger(tmp_path)
    open_ = [r for r in ledger.incidents if r.model.is_open]
    assert open_
    first, second = latest + timedelta(hours=1), latest + timedelta(hours=2)
    for record in open_:
        before = (tmp_path / record.path).read_text()
        _run(
            tmp_path,
            "update",
            record.id,
            "--status",
            "monitoring",
            "--message",
            "A fix is in place; we are watching.",
            "--now",
            format_timestamp(first),
        )
        _run(
            tmp_path,
            "resolve",
            record.id,
            "--message",
            "Resolved.",
            "--now",
            format_timestamp(second),
        )
        _only_insertions(before, (tmp_path / record.path).read_text())
    result = run_cli("validate", "--now", format_timestamp(second), cwd=tmp_path)
    assert result.code == 0, result.out
