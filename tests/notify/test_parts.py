"""The parts a user notices through notify: masking, retry pauses, the state file, maintenance,
and which updates count as appended."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from statusledger.errors import UsageError
from statusledger.history import appended
from statusledger.loading import load_ledger
from statusledger.notify.channels import mask, scrub
from statusledger.notify.sending import Retry, SendError, attempt, post_json
from statusledger.notify.state import SentState
from tests.helpers import git_commit
from tests.notify.conftest import IDENTIFIED, OPEN, OPEN_PATH, Receiver, append, notify

MAINTENANCE = """\
title: Database upgrade
kind: maintenance
window: {start: 2026-11-22T12:30:00Z, end: 2026-11-22T14:00:00Z}
components: [database]
updates:
  - at: 2026-11-20T09:00:00Z
    status: scheduled
    message: We will upgrade the database.
"""


def test_a_masked_url_shows_scheme_and_host_only() -> None:
    assert mask("https://hooks.slack.com/services/T0/B0/XYZ?x=1") == "https://hooks.slack.com"
    assert mask("smtp://user:pass@mail.example.com:587") == "smtp://mail.example.com"
    assert scrub("bad pass in smtp://u:pass@h", ["smtp://u:pass@h", "pass"]) == "bad *** in ***"


def test_retries_back_off_doubling_up_to_the_cap_and_stop_when_told() -> None:
    retry = Retry(attempts=4, backoff=1.0, cap=3.0)
    pauses: list[float] = []
    calls: list[int] = []

    def failing() -> None:
        calls.append(1)
        raise SendError("answered HTTP 503")

    with pytest.raises(SendError, match=r"answered HTTP 503 \(attempt 4 of 4\)"):
        attempt(failing, retry, pauses.append)
    assert len(calls) == 4
    assert pauses == [1.0, 2.0, 3.0]
    assert retry.pause(1, asked=120) == 3.0  # Retry-After honoured only up to the cap

    def refused() -> None:
        calls.append(1)
        raise SendError("answered HTTP 404", final=True)

    calls.clear()
    with pytest.raises(SendError):
        attempt(refused, retry, pauses.append)
    assert len(calls) == 1


def test_a_connection_refused_is_reported_without_the_url(tmp_path: Path) -> None:
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(SendError) as caught:
        post_json(f"http://127.0.0.1:{port}/hook/secret-path", {"a": 1}, timeout=2)
    assert "could not connect" in str(caught.value)
    assert "secret-path" not in str(caught.value)


def test_the_state_file_round_trips_and_refuses_what_is_not_ours(tmp_path: Path) -> None:
    path = tmp_path / "sent.json"
    state = SentState.load(path)
    state.add("ops", "abc123", "2026-11-22T12:00:00Z")
    again = SentState.load(path)
    assert again.has("ops", "abc123") and not again.has("hook", "abc123")
    assert json.loads(path.read_text(encoding="utf-8"))["format"] == "statusledger-notify-state"
    path.write_text("[not json", encoding="utf-8")
    with pytest.raises(UsageError, match="cannot read it as a notify state file"):
        SentState.load(path)


def test_maintenance_is_sent_as_a_scheduled_maintenance(
    org: Path, wired: tuple[Receiver, object]
) -> None:
    receiver, _ = wired
    rel = "incidents/2026/2026-11-22-db-upgrade.yaml"
    (org / rel).write_text(MAINTENANCE, encoding="utf-8")
    git_commit(org, "Scheduled")
    append(
        org,
        rel,
        "  - at: 2026-11-22T11:55:00Z\n    status: in_progress\n    message: Started early.\n",
    )
    git_commit(org, "In progress")

    assert notify(org, "--base", "HEAD~1").code == 0

    incident, change = receiver.on("/hook/s3cr3t-t0ken")
    assert incident["incident"]["impact"] == "maintenance"
    assert incident["incident"]["scheduled_for"] == "2026-11-22T12:30:00.000Z"
    assert incident["incident"]["incident_updates"][0]["status"] == "in_progress"
    assert change["component_update"]["new_status"] == "under_maintenance"
    assert receiver.on("/slack-web/s3cr3t-t0ken") == []  # filtered on web, not the database


def test_only_updates_after_every_merged_one_are_appended(org: Path) -> None:
    path = org / OPEN_PATH
    path.write_text(
        OPEN.replace("Some API calls are slow.", "Some API calls are very slow.") + IDENTIFIED,
        encoding="utf-8",
    )
    git_commit(org, "Rewrote one, added one")

    (found,) = appended(load_ledger(org), "HEAD~1")

    assert found.id == "2026-11-22-api-slow"
    assert found.added == (1,)  # the rewritten first update is a correction, not news


def test_a_record_made_public_counts_every_update_as_new(org: Path) -> None:
    path = org / OPEN_PATH
    path.write_text(
        OPEN.replace("category: degradation\n", "category: degradation\nvisibility: internal\n"),
        encoding="utf-8",
    )
    git_commit(org, "Internal for now")
    path.write_text(OPEN + IDENTIFIED, encoding="utf-8")
    git_commit(org, "Published")

    (found,) = appended(load_ledger(org), "HEAD~1")

    assert found.old is None
    assert found.added == (0, 1)
