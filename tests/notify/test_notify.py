"""`statusledger notify` end to end: real git history, a real HTTP receiver, a real SMTP server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from statusledger.loading import load_ledger
from statusledger.notify.events import public_ledger
from statusledger.records.types import parse_timestamp
from statusledger.render.api import render_api, statuspage_id
from statusledger.views import build_view
from tests.helpers import git_commit
from tests.notify.conftest import (
    IDENTIFIED,
    NOW,
    OPEN_PATH,
    PASSWORD,
    SECRET,
    Mailbox,
    Receiver,
    append,
    notify,
)

INTERNAL = """\
title: Internal database failover drill
kind: incident
severity: sev4
category: other
visibility: internal
impact:
  - component: database
    level: major_outage
    from: 2026-11-22T11:00:00Z
updates:
  - at: 2026-11-22T11:05:00Z
    status: investigating
    message: Drill in progress; do not tell customers.
"""

WEB = """\
title: Web app sign-in errors
kind: incident
severity: sev2
category: bug
impact:
  - component: web
    level: partial_outage
    from: 2026-11-22T11:00:00Z
updates:
  - at: 2026-11-22T11:02:00Z
    status: investigating
    message: Some users cannot sign in to the web app.
"""


def paths(receiver: Receiver) -> list[str]:
    return sorted(r.path.split("/")[1] for r in receiver.requests)


def test_one_appended_update_is_one_message_per_matching_channel(
    org: Path, wired: tuple[Receiver, Mailbox]
) -> None:
    receiver, mailbox = wired
    append(org, OPEN_PATH, IDENTIFIED)
    git_commit(org, "Identified")

    result = notify(org, "--base", "HEAD~1")

    assert result.code == 0, result.err
    # ops filters on api (affected); web-team filters on web (not affected): nothing for it.
    assert paths(receiver) == ["discord", "hook", "slack", "teams"]
    assert "5 message(s) sent" in result.out
    (hook,) = receiver.on(f"/hook/{SECRET}")
    incident = hook["incident"]
    assert incident["name"] == "Slow API responses"
    assert incident["status"] == "identified"
    newest = incident["incident_updates"][0]
    assert newest["status"] == "identified"
    assert newest["body"].startswith("A slow database index is the cause")
    assert [u["status"] for u in incident["incident_updates"]] == ["identified", "investigating"]
    assert set(hook) == {"meta", "page", "incident"}
    assert hook["page"]["status_indicator"] == "minor"
    assert hook["page"]["status_description"] == "Partially Degraded Service"
    assert set(hook["meta"]) == {"unsubscribe", "documentation"}
    request = next(r for r in receiver.requests if r.path.startswith("/hook"))
    assert request.headers["Content-Type"].startswith("application/json")

    (envelope, message) = mailbox.messages[0]
    assert len(mailbox.messages) == 1
    assert envelope == ["status@example.com"]
    assert mailbox.logins == [("notifier", PASSWORD)]
    assert message["Subject"] == "[Acme Cloud] Slow API responses: Identified"
    assert message["List-Unsubscribe"] == "<https://status.example.com/>"
    assert message.get_content_type() == "multipart/alternative"
    plain = message.get_body(("plain",))
    rich = message.get_body(("html",))
    assert plain is not None and rich is not None
    assert "A slow database index is the cause" in plain.get_content()
    assert "https://status.example.com/incidents/2026-11-22-api-slow/" in plain.get_content()
    assert "<h1>Slow API responses</h1>" in rich.get_content()


def test_chat_messages_follow_each_service_s_format(
    org: Path, wired: tuple[Receiver, Mailbox]
) -> None:
    receiver, _ = wired
    append(org, OPEN_PATH, IDENTIFIED)
    git_commit(org, "Identified")

    assert notify(org, "--base", "HEAD~1").code == 0

    link = "https://status.example.com/incidents/2026-11-22-api-slow/"
    (slack,) = receiver.on(f"/slack/{SECRET}")
    assert "Slow API responses" in slack["text"]
    assert slack["blocks"][0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "Slow API responses"},
    }
    texts = json.dumps(slack["blocks"])
    assert "*Identified*" in texts and "Public API: Degraded performance" in texts
    assert f"<{link}|View on Acme Cloud>" in texts
    (teams,) = receiver.on(f"/teams/{SECRET}")
    (attachment,) = teams["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert card["type"] == "AdaptiveCard"
    assert card["actions"][0] == {
        "type": "Action.OpenUrl",
        "title": "View on Acme Cloud",
        "url": link,
    }
    (discord,) = receiver.on(f"/discord/{SECRET}")
    (embed,) = discord["embeds"]
    assert embed["title"] == "Slow API responses"
    assert embed["url"] == link
    assert embed["description"].startswith("A slow database index")
    assert {"name": "Status", "value": "Identified", "inline": True} in embed["fields"]
    assert discord["allowed_mentions"] == {"parse": []}


def test_the_webhook_incident_is_the_api_s_incident_field_for_field(
    org: Path, wired: tuple[Receiver, Mailbox]
) -> None:
    receiver, _ = wired
    append(org, OPEN_PATH, IDENTIFIED)
    git_commit(org, "Identified")

    assert notify(org, "--base", "HEAD~1").code == 0

    (hook,) = receiver.on(f"/hook/{SECRET}")
    view = build_view(public_ledger(load_ledger(org)), parse_timestamp(NOW))
    api = json.loads(render_api(view)["api/v2/incidents.json"])
    assert hook["incident"] == api["incidents"][0]
    assert hook["page"]["id"] == api["page"]["id"]


def test_a_status_change_is_a_component_update_and_the_filter_picks_the_channel(
    org: Path, wired: tuple[Receiver, Mailbox]
) -> None:
    receiver, mailbox = wired
    (org / "incidents/2026/2026-11-22-web-signin.yaml").write_text(WEB, encoding="utf-8")
    git_commit(org, "Declared: web sign-in errors")

    result = notify(org, "--base", "HEAD~1")

    assert result.code == 0, result.err
    # The web incident: web-team (filter web) is told, ops (filter api) is not.
    assert receiver.on(f"/slack/{SECRET}") == []
    (web,) = receiver.on(f"/slack-web/{SECRET}")
    assert "Web app: Operational → Partial outage" in json.dumps(web, ensure_ascii=False)
    incident, change = receiver.on(f"/hook/{SECRET}")
    assert incident["incident"]["name"] == "Web app sign-in errors"
    assert change["component_update"] == {
        "created_at": "2026-11-22T11:02:00.000Z",
        "new_status": "partial_outage",
        "old_status": "operational",
        "id": change["component_update"]["id"],
        "component_id": statuspage_id("component", "web"),
    }
    assert change["component"]["id"] == statuspage_id("component", "web")
    assert change["component"]["status"] == "partial_outage"
    assert change["page"]["status_indicator"] == "major"
    assert len(mailbox.messages) == 1


def test_an_internal_incident_tells_nobody(org: Path, wired: tuple[Receiver, Mailbox]) -> None:
    receiver, mailbox = wired
    (org / "incidents/2026/2026-11-22-drill.yaml").write_text(INTERNAL, encoding="utf-8")
    git_commit(org, "Internal drill")

    result = notify(org, "--base", "HEAD~1")

    assert result.code == 0, result.err
    assert receiver.requests == []
    assert mailbox.messages == []
    assert "no public update added since HEAD~1" in result.out
    assert "Drill" not in result.out


def test_an_internal_incident_changes_no_status_told_of_another(
    org: Path, wired: tuple[Receiver, Mailbox]
) -> None:
    receiver, _ = wired
    (org / "incidents/2026/2026-11-22-drill.yaml").write_text(INTERNAL, encoding="utf-8")
    append(org, OPEN_PATH, IDENTIFIED)
    git_commit(org, "Internal drill and a public update")

    assert notify(org, "--base", "HEAD~1").code == 0

    (hook,) = receiver.on(f"/hook/{SECRET}")  # no component_update for the database
    assert statuspage_id("component", "database") not in json.dumps(hook)
    assert hook["page"]["status_indicator"] == "minor"


def test_a_failing_channel_is_retried_and_reported_while_the_others_get_theirs(
    org: Path, wired: tuple[Receiver, Mailbox], monkeypatch: pytest.MonkeyPatch
) -> None:
    receiver, mailbox = wired
    monkeypatch.setenv("NL_HOOK", f"{receiver.url}/fail/{SECRET}")
    append(org, OPEN_PATH, IDENTIFIED)
    git_commit(org, "Identified")
    state = org.parent / "state.json"

    result = notify(org, "--base", "HEAD~1", "--state", str(state), "--attempts", "3")

    assert result.code == 1
    assert len(receiver.on(f"/fail/{SECRET}")) == 3
    assert paths(receiver) == ["discord", "fail", "fail", "fail", "slack", "teams"]
    assert len(mailbox.messages) == 1
    assert "failed hook:" in result.out
    assert "answered HTTP 500 (attempt 3 of 3)" in result.out
    assert "http://127.0.0.1" in result.out  # where, masked: scheme and host only
    assert "notify failed for 1 channel(s): hook" in result.err

    # Fixed: the next run sends the webhook only; the others were remembered.
    monkeypatch.setenv("NL_HOOK", f"{receiver.url}/hook/{SECRET}")
    receiver.requests.clear()
    again = notify(org, "--base", "HEAD~1", "--state", str(state))
    assert again.code == 0, again.err
    assert paths(receiver) == ["hook"]
    assert len(mailbox.messages) == 1


def test_a_second_run_with_the_same_state_sends_nothing(
    org: Path, wired: tuple[Receiver, Mailbox]
) -> None:
    receiver, mailbox = wired
    append(org, OPEN_PATH, IDENTIFIED)
    git_commit(org, "Identified")
    state = org.parent / "state" / "notify.json"

    first = notify(org, "--base", "HEAD~1", "--state", str(state))
    assert first.code == 0, first.err
    assert len(receiver.requests) == 4 and len(mailbox.messages) == 1
    saved = json.loads(state.read_text(encoding="utf-8"))
    assert set(saved["sent"]) == {"ops", "teams", "discord", "hook", "mail"}

    second = notify(org, "--base", "HEAD~1", "--state", str(state))

    assert second.code == 0, second.err
    assert len(receiver.requests) == 4 and len(mailbox.messages) == 1
    assert "0 message(s) sent, 5 sent before (--state)" in second.out


def test_dry_run_prints_the_payloads_and_sends_nothing(
    org: Path, wired: tuple[Receiver, Mailbox]
) -> None:
    receiver, mailbox = wired
    append(org, OPEN_PATH, IDENTIFIED)
    git_commit(org, "Identified")
    state = org.parent / "state.json"

    result = notify(org, "--base", "HEAD~1", "--dry-run", "--state", str(state))

    assert result.code == 0, result.err
    assert receiver.requests == [] and mailbox.messages == []
    assert not state.exists()
    assert "--- hook (webhook via $NL_HOOK (http://127.0.0.1))" in result.out
    assert '"incident_updates"' in result.out
    assert "Subject: [Acme Cloud] Slow API responses: Identified" in result.out
    assert "5 message(s) shown, none sent (--dry-run)" in result.out


def test_two_updates_in_one_push_are_told_in_order_each_as_it_stood(
    org: Path, wired: tuple[Receiver, Mailbox]
) -> None:
    receiver, _ = wired
    append(org, OPEN_PATH, IDENTIFIED)
    append(
        org,
        OPEN_PATH,
        "  - at: 2026-11-22T10:30:00Z\n    status: monitoring\n    message: Fix deployed.\n",
    )
    git_commit(org, "Identified and monitoring")

    assert notify(org, "--base", "HEAD~1").code == 0

    first, second = receiver.on(f"/hook/{SECRET}")
    assert first["incident"]["status"] == "identified"
    assert len(first["incident"]["incident_updates"]) == 2
    assert second["incident"]["status"] == "monitoring"
    assert second["incident"]["incident_updates"][0]["body"] == "Fix deployed."


def test_an_unset_variable_fails_that_channel_only(
    org: Path, wired: tuple[Receiver, Mailbox], monkeypatch: pytest.MonkeyPatch
) -> None:
    receiver, mailbox = wired
    monkeypatch.delenv("NL_TEAMS")
    append(org, OPEN_PATH, IDENTIFIED)
    git_commit(org, "Identified")

    result = notify(org, "--base", "HEAD~1")

    assert result.code == 1
    assert "failed teams: $NL_TEAMS is not set" in result.out
    assert paths(receiver) == ["discord", "hook", "slack"]
    assert len(mailbox.messages) == 1


def test_a_refused_smtp_login_is_reported_without_the_password(
    org: Path, wired: tuple[Receiver, Mailbox], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, mailbox = wired
    monkeypatch.setenv("NL_SMTP", f"smtp://notifier:wrong-{PASSWORD}@{mailbox.host}:{mailbox.port}")
    append(org, OPEN_PATH, IDENTIFIED)
    git_commit(org, "Identified")

    result = notify(org, "--base", "HEAD~1", "--attempts", "3")

    assert result.code == 1
    assert "failed mail:" in result.out and "refused the login" in result.out
    assert "(attempt 1 of 3)" in result.out  # a refused login is final: not tried again
    assert mailbox.messages == []


def test_a_state_file_that_is_not_ours_stops_the_run(
    org: Path, wired: tuple[Receiver, Mailbox]
) -> None:
    receiver, _ = wired
    append(org, OPEN_PATH, IDENTIFIED)
    git_commit(org, "Identified")
    state = org.parent / "state.json"
    state.write_text('{"something": "else"}', encoding="utf-8")

    result = notify(org, "--base", "HEAD~1", "--state", str(state))

    assert result.code == 2
    assert "not a statusledger notify state file" in result.err
    assert receiver.requests == []


def test_an_unknown_base_is_a_clear_error(org: Path) -> None:
    result = notify(org, "--base", "no-such-branch")

    assert result.code == 1
    assert "--base no-such-branch: no such branch, tag or commit" in result.err


def test_a_redirect_is_not_followed(
    org: Path, wired: tuple[Receiver, Mailbox], monkeypatch: pytest.MonkeyPatch
) -> None:
    receiver, _ = wired
    monkeypatch.setenv("NL_HOOK", f"{receiver.url}/moved/{SECRET}")
    append(org, OPEN_PATH, IDENTIFIED)
    git_commit(org, "Identified")

    result = notify(org, "--base", "HEAD~1")

    assert result.code == 1
    assert "answered HTTP 302 (a redirect)" in result.out
    assert len(receiver.on(f"/moved/{SECRET}")) == 1  # final: not retried, not re-sent
    assert receiver.on("/hook/elsewhere") == []
