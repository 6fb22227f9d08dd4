"""The loader: every file read, every refusal a finding with file, line and column."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from statusledger.errors import Finding
from statusledger.loading import (
    load_ledger,
    load_postmortem_text,
    load_record_file,
    load_record_text,
    load_services_text,
)
from statusledger.records.models import Incident, Maintenance
from tests.helpers import MINIMAL_SERVICES, RESOLVED_INCIDENT, make_repo, write_tree

INCIDENT = "incidents/2026/2026-11-20-api-errors.yaml"
POSTMORTEM = """\
---
title: API errors
incidents: [2026-11-20-api-errors]
status: published
date: 2026-11-21
summary: A bad rule rejected requests.
action_items:
  - {id: AI-1, title: Test rules in CI, type: prevent, due: 2026-12-01}
---
## Summary

Text.
"""
MAINTENANCE = """\
title: Database upgrade
kind: maintenance
window: {start: 2026-12-01T02:00:00Z, end: 2026-12-01T04:00:00Z}
components: [database]
updates:
  - {at: 2026-11-20T10:00:00Z, status: scheduled, message: We will upgrade the database.}
"""


def findings(result: object) -> list[tuple[str, int, int]]:
    assert isinstance(result, list), "expected the text to be refused"
    return [(f.rule, f.line, f.col) for f in result if isinstance(f, Finding)]


def test_loaded_records_know_where_each_value_is() -> None:
    loaded = load_record_text(RESOLVED_INCIDENT, INCIDENT)
    assert not isinstance(loaded, list)
    assert loaded.id == "2026-11-20-api-errors"
    assert loaded.at("impact", 0, "component") == (INCIDENT, 6, 16)
    assert loaded.at("updates", 1, "at") == (INCIDENT, 20, 9)
    assert loaded.at("timeline", "resolved", key=True) == (INCIDENT, 15, 3)
    # A value that is absent points at its nearest parent.
    assert loaded.at("postmortem") == (INCIDENT, 1, 1)
    assert loaded.at("impact", 0, "nothing") == (INCIDENT, 6, 5)


def test_front_matter_positions_count_from_the_top_of_the_file() -> None:
    loaded = load_postmortem_text(POSTMORTEM, "postmortems/2026-11-20-api-errors.md")
    assert not isinstance(loaded, list)
    assert loaded.at("incidents", 0) == ("postmortems/2026-11-20-api-errors.md", 3, 13)
    assert loaded.at("action_items", 0, "due")[1] == 8
    assert loaded.body.startswith("## Summary")
    assert loaded.body_line == 10


def test_timestamps_are_normalised_to_utc() -> None:
    text = RESOLVED_INCIDENT.replace(
        "from: 2026-11-20T14:02:00Z", "from: 2026-11-20T15:02:00+01:00"
    )
    loaded = load_record_text(text, INCIDENT)
    assert isinstance(loaded.model, Incident)  # type: ignore[union-attr]
    assert loaded.model.impact[0].from_ == datetime(2026, 11, 20, 14, 2, tzinfo=UTC)  # type: ignore[union-attr]


def test_ledger_reads_every_file_and_keeps_going_past_bad_ones(tmp_path: Path) -> None:
    make_repo(
        tmp_path,
        {
            INCIDENT: RESOLVED_INCIDENT,
            "incidents/2026/2026-11-21-broken.yaml": "title: [\n",
            "incidents/2026/2026-12-01-database-upgrade.yml": MAINTENANCE,
            "incidents/README.md": "not a record\n",
            "postmortems/2026-11-20-api-errors.md": POSTMORTEM,
        },
    )
    ledger = load_ledger(tmp_path)
    assert ledger.services is not None
    assert ledger.files == 4
    assert sorted(r.id for r in ledger.records) == [
        "2026-11-20-api-errors",
        "2026-12-01-database-upgrade",
    ]
    assert [r.id for r in ledger.incidents] == ["2026-11-20-api-errors"]
    assert isinstance(ledger.maintenances[0].model, Maintenance)
    assert ledger.postmortem("2026-11-20-api-errors") is not None
    assert ledger.record("2026-11-21-broken") is None
    assert [(f.path, f.rule) for f in ledger.findings] == [
        ("incidents/2026/2026-11-21-broken.yaml", "yaml/syntax")
    ]


def test_services_missing_is_a_finding_not_a_crash(tmp_path: Path) -> None:
    write_tree(tmp_path, {INCIDENT: RESOLVED_INCIDENT})
    ledger = load_ledger(tmp_path)
    assert ledger.services is None
    assert [(f.path, f.rule) for f in ledger.findings] == [("services.yaml", "file/missing")]
    assert len(ledger.records) == 1


def test_a_file_that_vanished_is_unreadable(tmp_path: Path) -> None:
    result = load_record_file(tmp_path / "incidents/2026/gone.yaml", tmp_path)
    assert findings(result) == [("file/unreadable", 1, 1)]


def test_duplicate_key_names_the_first_one() -> None:
    text = RESOLVED_INCIDENT.replace("kind: incident\n", "kind: incident\ntitle: Again\n")
    [finding] = load_record_text(text, INCIDENT)  # type: ignore[misc]
    assert (finding.rule, finding.line, finding.col) == ("yaml/duplicate-key", 3, 1)
    assert finding.message == "duplicate key 'title' (first at line 1)"


def test_unknown_nested_key_suggests_the_closest_and_lists_the_allowed() -> None:
    text = RESOLVED_INCIDENT.replace("    level: partial_outage", "    levle: partial_outage")
    result = load_record_text(text, INCIDENT)
    assert isinstance(result, list)
    unknown = [f for f in result if f.rule == "schema/unknown-key"]
    assert [(f.line, f.col, f.message) for f in unknown] == [(7, 5, "unknown key 'impact.0.levle'")]
    assert unknown[0].hint == "did you mean 'level'? Allowed here: component, level, from, to"
    # ...and the key it was meant to be is reported missing, at the impact.
    assert ("schema/missing-key", 6, 5) in findings(result)


def test_timestamp_mistakes_say_what_to_write() -> None:
    naive = load_record_text(
        RESOLVED_INCIDENT.replace("T14:02:00Z\n    to", "T14:02:00\n    to"), INCIDENT
    )
    assert isinstance(naive, list)
    assert "has no offset; add one, e.g. '2026-11-20T14:02:00Z'" in naive[0].message
    day = load_record_text(
        RESOLVED_INCIDENT.replace("at: 2026-11-20T14:10:00Z", "at: 2026-11-20"), INCIDENT
    )
    assert isinstance(day, list)
    assert "is a date, not a timestamp" in day[0].message
    assert "2026-11-20T00:00:00Z" in day[0].message


def test_bad_duration_in_services_points_at_it() -> None:
    text = MINIMAL_SERVICES.replace("update_every: 30m", "update_every: half an hour")
    assert findings(load_services_text(text, "services.yaml")) == [("schema/invalid-value", 31, 55)]


def test_maintenance_window_must_end_after_it_starts() -> None:
    text = MAINTENANCE.replace("end: 2026-12-01T04:00:00Z", "end: 2026-12-01T01:00:00Z")
    assert [rule for rule, _, _ in findings(load_record_text(text, "incidents/2026/m.yaml"))] == [
        "schema/invalid-value"
    ]


def test_non_utf8_points_at_the_first_bad_byte() -> None:
    raw = RESOLVED_INCIDENT.replace("category: outage", "category: caf\xe9").encode("latin-1")
    assert findings(load_record_text(raw, INCIDENT)) == [("file/encoding", 4, 14)]


def test_utf8_byte_order_mark_is_accepted() -> None:
    loaded = load_record_text(b"\xef\xbb\xbf" + RESOLVED_INCIDENT.encode(), INCIDENT)
    assert not isinstance(loaded, list)


def test_file_over_one_mebibyte_is_refused_before_parsing() -> None:
    raw = RESOLVED_INCIDENT.encode() + b"# " + b"x" * (1024 * 1024) + b"\n"
    [finding] = load_record_text(raw, INCIDENT)  # type: ignore[misc]
    assert (finding.rule, finding.line, finding.col) == ("file/too-large", 1, 1)
    assert "1,048,576" in finding.message


def test_alias_bomb_is_refused() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    assert [rule for rule, _, _ in findings(load_record_text("\n".join(lines), INCIDENT))] == [
        "yaml/too-many-nodes"
    ]


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("", "file/empty"),
        ("\n# nothing yet\n\n", "file/empty"),
        ("- a\n- b\n", "file/top-level"),
        ("just text\n", "file/top-level"),
        ("title: !!python/name:os.system x\n", "yaml/tag"),
        ("title: 'unclosed\n", "yaml/syntax"),
        ("kind: report\n", "schema/kind"),
    ],
)
def test_refusals(text: str, rule: str) -> None:
    assert [r for r, _, _ in findings(load_record_text(text, INCIDENT))] == [rule]


@pytest.mark.parametrize(
    "text",
    ["## Summary\n", "---\ntitle: x\n", "--- \n", ""],
)
def test_postmortem_front_matter_refusals(text: str) -> None:
    assert findings(load_postmortem_text(text, "postmortems/x.md")) == [("file/front-matter", 1, 1)]


# --- loader edge cases ----------------------------------------------------------------------


def test_timestamp_at_the_edge_of_time_is_a_finding() -> None:
    text = RESOLVED_INCIDENT.replace("at: 2026-11-20T15:12:00Z", "at: 9999-12-31T23:59:59-01:00")
    assert findings(load_record_text(text, INCIDENT))


def test_enormous_duration_is_a_finding() -> None:
    text = MINIMAL_SERVICES.replace("postmortem: 5d", "postmortem: 999999999w")
    assert findings(load_services_text(text, "services.yaml"))


def test_tag_on_a_sequence_is_refused() -> None:
    text = RESOLVED_INCIDENT + "tags: !!python/object/apply:os.system [echo hi]\n"
    assert [r for r, _, _ in findings(load_record_text(text, INCIDENT))] == ["yaml/tag"]


@pytest.mark.parametrize("enabled", [True, False])
def test_loading_leaves_the_callers_garbage_collector_as_it_was(
    tmp_path: Path, enabled: bool
) -> None:
    """A library caller's process is unchanged: collector on or off as before, nothing frozen."""
    import gc

    root = make_repo(tmp_path / "repo", {INCIDENT: RESOLVED_INCIDENT})
    frozen = gc.get_freeze_count()
    (gc.enable if enabled else gc.disable)()
    try:
        ledger = load_ledger(root)
        assert gc.isenabled() is enabled
        assert gc.get_freeze_count() == frozen
    finally:
        gc.enable()
    assert ledger.records


def test_the_cli_which_owns_its_process_freezes_what_loaded(tmp_path: Path) -> None:
    import gc

    from statusledger.loading import owning_process

    root = make_repo(tmp_path / "repo", {INCIDENT: RESOLVED_INCIDENT})
    frozen = gc.get_freeze_count()
    try:
        with owning_process():
            load_ledger(root)
        assert gc.get_freeze_count() > frozen
    finally:
        gc.unfreeze()
