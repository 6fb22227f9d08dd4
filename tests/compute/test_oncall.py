"""`status` and `todo` as the on-call engineer reads them, and their agreement with validate
and metrics (one policy engine, compute/breaches.py).

The ledger: an open sev1 (resolve 4h, update every 30m) started 07:00, last updated 10:00; a
sev2 resolved 2026-11-01T09:40Z whose postmortem is still a draft (policy 10d: due 11-11T09:40);
its action items AI-1 due 11-20 (late) and AI-2 due 11-27 (within a week), AI-3 due 12-20 (not
yet listed); a maintenance in progress on database and one scheduled on web. Now is
2026-11-23T12:00:00Z.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.compute.records import incident, maintenance
from tests.helpers import MINIMAL_SERVICES, make_repo, run_cli

NOW = "2026-11-23T12:00:00Z"

OPEN_SEV1 = """\
title: API unavailable
kind: incident
severity: sev1
category: outage
impact:
  - component: api
    level: major_outage
    from: 2026-11-23T07:00:00Z
timeline:
  started: 2026-11-23T07:00:00Z
  detected: 2026-11-23T07:02:00Z
  acknowledged: 2026-11-23T07:05:00Z
updates:
  - at: 2026-11-23T07:10:00Z
    status: investigating
    message: The API is not answering.
  - at: 2026-11-23T10:00:00Z
    status: identified
    message: A load balancer lost its configuration.
"""

RESOLVED_SEV2 = """\
title: Checkout failures
kind: incident
severity: sev2
category: outage
impact:
  - component: web
    level: partial_outage
    from: 2026-11-01T08:00:00Z
    to: 2026-11-01T09:40:00Z
timeline:
  started: 2026-11-01T08:00:00Z
  acknowledged: 2026-11-01T08:10:00Z
  resolved: 2026-11-01T09:40:00Z
updates:
  - at: 2026-11-01T08:10:00Z
    status: investigating
    message: Checkout fails for some users.
  - at: 2026-11-01T09:45:00Z
    status: resolved
    message: Checkout works again.
postmortem: 2026-11-01-checkout
"""

DRAFT = """\
---
title: Checkout failures after a deploy
incidents: [2026-11-01-checkout]
status: draft
date: 2026-11-05
summary: A deploy broke checkout for some users.
action_items:
  - {id: AI-1, title: Canary deploys for checkout, type: prevent, owner: bob, due: 2026-11-20}
  - {id: AI-2, title: Alert on checkout errors, type: detect, due: 2026-11-27}
  - {id: AI-3, title: Write a runbook, type: process, due: 2026-12-20}
---
## Summary
"""

UPGRADE = """\
title: Database upgrade
kind: maintenance
window:
  start: 2026-11-23T11:00:00Z
  end: 2026-11-23T13:00:00Z
components: [database]
updates:
  - at: 2026-11-20T09:00:00Z
    status: scheduled
    message: We will upgrade the database.
  - at: 2026-11-23T11:00:00Z
    status: in_progress
    message: The upgrade has begun.
"""


def on_call(root: Path, extra: dict[str, str] | None = None) -> Path:
    return make_repo(
        root,
        {
            "incidents/2026/2026-11-23-api-down.yaml": OPEN_SEV1,
            "incidents/2026/2026-11-01-checkout.yaml": RESOLVED_SEV2,
            "incidents/2026/2026-11-23-db-upgrade.yaml": UPGRADE,
            "incidents/2026/2026-11-25-web-move.yaml": maintenance(
                ["web"], "2026-11-25T02:00:00Z", "2026-11-25T03:00:00Z"
            ),
            "postmortems/2026-11-01-checkout.md": DRAFT,
            **(extra or {}),
        },
    )


def test_status_text(tmp_path: Path) -> None:
    root = on_call(tmp_path)
    result = run_cli("status", "--now", NOW, cwd=root)
    assert result.code == 0, result.err
    assert result.out == (
        "Acme Cloud at 2026-11-23T12:00:00Z: major outage\n"
        "\n"
        "components not operational:\n"
        "  api       major_outage       2026-11-23-api-down\n"
        "  database  under_maintenance  maintenance 2026-11-23-db-upgrade\n"
        "\n"
        "open incidents (1):\n"
        "  2026-11-23-api-down  sev1  identified  API unavailable\n"
        "    started 2026-11-23T07:00:00Z (5h ago), last update 2026-11-23T10:00:00Z (2h ago)\n"
        "    next update due 2026-11-23T10:30:00Z (1h30m late); "
        "resolve due 2026-11-23T11:00:00Z (1h late)\n"
        "    impact: api major_outage\n"
        "\n"
        "maintenance in progress:\n"
        "  2026-11-23-db-upgrade  in_progress  2026-11-23T11:00:00Z..2026-11-23T13:00:00Z"
        "  database  Database upgrade\n"
        "\n"
        "upcoming maintenance:\n"
        "  2026-11-25-web-move  scheduled  2026-11-25T02:00:00Z..2026-11-25T03:00:00Z"
        "  web  Planned work\n"
    )


def test_status_json(tmp_path: Path) -> None:
    root = on_call(tmp_path)
    result = run_cli("status", "--format", "json", "--now", NOW, cwd=root)
    assert result.code == 0, result.err
    window = {"status": "scheduled", "visibility": "public"}
    assert json.loads(result.out) == {
        "now": NOW,
        "status": "major_outage",
        "components": [
            {
                "id": "api",
                "name": "Public API",
                "status": "major_outage",
                "incidents": ["2026-11-23-api-down"],
                "maintenance": [],
            },
            {
                "id": "database",
                "name": "Database",
                "status": "under_maintenance",
                "incidents": [],
                "maintenance": ["2026-11-23-db-upgrade"],
            },
        ],
        "incidents": [
            {
                "id": "2026-11-23-api-down",
                "title": "API unavailable",
                "severity": "sev1",
                "status": "identified",
                "visibility": "public",
                "started": "2026-11-23T07:00:00Z",
                "age_seconds": 18000.0,
                "last_update": "2026-11-23T10:00:00Z",
                "since_update_seconds": 7200.0,
                "next_update_due": "2026-11-23T10:30:00Z",
                "update_overdue": True,
                "resolve_due": "2026-11-23T11:00:00Z",
                "resolve_overdue": True,
                "components": {"api": "major_outage"},
            }
        ],
        "maintenance": {
            "active": [
                {
                    "id": "2026-11-23-db-upgrade",
                    "title": "Database upgrade",
                    "status": "in_progress",
                    "visibility": "public",
                    "start": "2026-11-23T11:00:00Z",
                    "end": "2026-11-23T13:00:00Z",
                    "components": ["database"],
                }
            ],
            "upcoming": [
                {
                    "id": "2026-11-25-web-move",
                    "title": "Planned work",
                    **window,
                    "start": "2026-11-25T02:00:00Z",
                    "end": "2026-11-25T03:00:00Z",
                    "components": ["web"],
                }
            ],
        },
    }


TODO_TEXT = """\
5 things owed at 2026-11-23T12:00:00Z, most urgent first:

1. LATE 1h30m  sev1  2026-11-23-api-down: post an update (every 30m), due 2026-11-23T10:30:00Z
   statusledger update 2026-11-23-api-down --status S --message M

2. LATE 1h  sev1  2026-11-23-api-down: resolve (within 4h of the start), due 2026-11-23T11:00:00Z
   statusledger resolve 2026-11-23-api-down --message M

3. LATE 12d2h20m  sev2  2026-11-01-checkout: finish postmortem 2026-11-01-checkout (within 10d \
of the resolve), due 2026-11-11T09:40:00Z
   finish postmortems/2026-11-01-checkout.md and set status: published

4. LATE 2d12h  sev2  2026-11-01-checkout: action item AI-1 'Canary deploys for checkout' of \
2026-11-01-checkout (due 2026-11-20, owner bob)
   finish it and set its status: done in postmortems/2026-11-01-checkout.md

5. due in 4d12h  sev2  2026-11-01-checkout: action item AI-2 'Alert on checkout errors' of \
2026-11-01-checkout (due 2026-11-27)
   finish it and set its status: done in postmortems/2026-11-01-checkout.md
"""


def test_todo_text_most_urgent_first(tmp_path: Path) -> None:
    root = on_call(tmp_path)
    result = run_cli("todo", "--now", NOW, cwd=root)
    assert result.code == 0, result.err
    assert result.out == TODO_TEXT


def test_todo_json(tmp_path: Path) -> None:
    root = on_call(tmp_path)
    result = run_cli("todo", "--format", "json", "--now", NOW, cwd=root)
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["now"] == NOW
    assert [
        (i["kind"], i["late"], i["incident"], i["deadline"], i["overdue_seconds"])
        for i in data["items"]
    ] == [
        ("stale-update", True, "2026-11-23-api-down", "2026-11-23T10:30:00Z", 5400.0),
        ("late-resolve", True, "2026-11-23-api-down", "2026-11-23T11:00:00Z", 3600.0),
        # 12 d 2 h 20 min after 2026-11-11T09:40Z
        ("missing-postmortem", True, "2026-11-01-checkout", "2026-11-11T09:40:00Z", 1045200.0),
        # late from the end of its due day: 2 d 12 h
        ("overdue-action-item", True, "2026-11-01-checkout", "2026-11-21T00:00:00Z", 216000.0),
        # still 4 d 12 h to go: negative
        ("action-item-due", False, "2026-11-01-checkout", "2026-11-28T00:00:00Z", -388800.0),
    ]
    assert data["items"][3] == {
        "kind": "overdue-action-item",
        "late": True,
        "incident": "2026-11-01-checkout",
        "title": "Canary deploys for checkout",
        "severity": "sev2",
        "deadline": "2026-11-21T00:00:00Z",
        "overdue_seconds": 216000.0,
        "allowed_seconds": None,
        "postmortem": "2026-11-01-checkout",
        "action_item": "AI-1",
        "owner": "bob",
        "what": "action item AI-1 'Canary deploys for checkout' of 2026-11-01-checkout "
        "(due 2026-11-20, owner bob)",
        "do": "finish it and set its status: done in postmortems/2026-11-01-checkout.md",
    }
    assert data["items"][0]["allowed_seconds"] == 1800.0


def test_validate_and_metrics_report_the_same_breaches(tmp_path: Path) -> None:
    root = on_call(tmp_path)
    owed = json.loads(run_cli("todo", "--format", "json", "--now", NOW, cwd=root).out)
    late = sorted((i["incident"], i["kind"]) for i in owed["items"] if i["late"])
    validated = run_cli("validate", "--format", "json", "--now", NOW, cwd=root)
    assert validated.code == 0, validated.out
    findings = json.loads(validated.out)["findings"]
    rule_of = {
        "policy/update-overdue": "stale-update",
        "policy/resolve-overdue": "late-resolve",
        "policy/postmortem-missing": "missing-postmortem",
        "policy/action-item-overdue": "overdue-action-item",
    }
    assert sorted((f["file"], f["line"], f["rule"], f["severity"]) for f in findings) == [
        ("incidents/2026/2026-11-01-checkout.yaml", 21, "policy/postmortem-missing", "warning"),
        ("incidents/2026/2026-11-23-api-down.yaml", 10, "policy/resolve-overdue", "warning"),
        ("incidents/2026/2026-11-23-api-down.yaml", 17, "policy/update-overdue", "warning"),
        ("postmortems/2026-11-01-checkout.md", 8, "policy/action-item-overdue", "warning"),
    ]
    assert len(findings) == len(late)
    # Again, with the resolved incident now taken from validate's settled cache: the same.
    again = run_cli("validate", "--format", "json", "--now", NOW, cwd=root)
    assert json.loads(again.out)["findings"] == findings
    assert {rule_of[f["rule"]] for f in findings} == {kind for _, kind in late}
    metrics = json.loads(run_cli("metrics", "--format", "json", "--now", NOW, cwd=root).out)
    listed = sorted((b["incident"], b["kind"]) for b in metrics["breaches"])
    assert listed == late
    assert all(b["owed"] for b in metrics["breaches"])
    strict = run_cli("validate", "--strict", "--now", NOW, cwd=root)
    assert strict.code == 1


def test_resolving_and_publishing_clears_todo_but_metrics_remembers(tmp_path: Path) -> None:
    done = DRAFT.replace("status: draft", "status: published").replace(
        "due: 2026-11-20}", "due: 2026-11-20, status: done}"
    )
    resolved = OPEN_SEV1.replace(
        "    from: 2026-11-23T07:00:00Z\n",
        "    from: 2026-11-23T07:00:00Z\n    to: 2026-11-23T11:50:00Z\n",
    ).replace(
        "  acknowledged: 2026-11-23T07:05:00Z\n",
        "  acknowledged: 2026-11-23T07:05:00Z\n  resolved: 2026-11-23T11:50:00Z\n",
    )
    resolved += (
        "  - at: 2026-11-23T11:55:00Z\n    status: resolved\n    message: The API is back.\n"
    )
    root = on_call(
        tmp_path,
        {
            "incidents/2026/2026-11-23-api-down.yaml": resolved,
            "postmortems/2026-11-01-checkout.md": done,
        },
    )
    owed = json.loads(run_cli("todo", "--format", "json", "--now", NOW, cwd=root).out)
    # Only AI-2 (due within a week) and the sev1's postmortem (5 d from 11:50) are left,
    # the nearest deadline first.
    assert [(i["kind"], i["incident"], i["deadline"]) for i in owed["items"]] == [
        ("action-item-due", "2026-11-01-checkout", "2026-11-28T00:00:00Z"),
        ("postmortem-due", "2026-11-23-api-down", "2026-11-28T11:50:00Z"),
    ]
    validated = json.loads(run_cli("validate", "--format", "json", "--now", NOW, cwd=root).out)
    assert validated["findings"] == []
    metrics = json.loads(run_cli("metrics", "--format", "json", "--now", NOW, cwd=root).out)
    # 4 h 50 min to resolve; the postmortem dated 11-05 was in time (4 d 14 h 20 min < 10 d).
    assert [(b["incident"], b["kind"], b["owed"]) for b in metrics["breaches"]] == [
        ("2026-11-23-api-down", "late-resolve", False)
    ]
    status = run_cli("status", "--now", NOW, cwd=root)
    assert "open incidents: none" in status.out


def test_postmortems_in_review_wait_for_publishing_unless_internal(tmp_path: Path) -> None:
    review = DRAFT.replace("status: draft", "status: in_review")
    root = on_call(tmp_path, {"postmortems/2026-11-01-checkout.md": review})
    owed = json.loads(run_cli("todo", "--format", "json", "--now", NOW, cwd=root).out)
    assert owed["items"][-1] == {
        "kind": "postmortem-review",
        "late": False,
        "incident": "2026-11-01-checkout",
        "title": "Checkout failures after a deploy",
        "severity": "sev2",
        "deadline": None,
        "overdue_seconds": None,
        "allowed_seconds": None,
        "postmortem": "2026-11-01-checkout",
        "action_item": None,
        "owner": None,
        "what": "review postmortem 2026-11-01-checkout, dated 2026-11-05",
        "do": "review postmortems/2026-11-01-checkout.md and set status: published",
    }
    text = run_cli("todo", "--now", NOW, cwd=root).out
    assert text.endswith(
        "6. in review  sev2  2026-11-01-checkout: review postmortem 2026-11-01-checkout, "
        "dated 2026-11-05\n"
        "   review postmortems/2026-11-01-checkout.md and set status: published\n"
    )
    # An internal incident's postmortem is finished in review: nothing owed for it.
    internal = RESOLVED_SEV2.replace("category: outage", "category: outage\nvisibility: internal")
    make_repo(root, {"incidents/2026/2026-11-01-checkout.yaml": internal})
    owed = json.loads(run_cli("todo", "--format", "json", "--now", NOW, cwd=root).out)
    kinds = [i["kind"] for i in owed["items"]]
    assert "postmortem-review" not in kinds
    assert "missing-postmortem" not in kinds


def test_live_incidents_come_first_worst_severity_first(tmp_path: Path) -> None:
    # A sev3 open 4 days (resolve 3d: 1 d late) and the sev1 (1 h late): the sev1 first,
    # though the sev3 is later by longer; follow-ups after both.
    sev3 = incident(
        ("web", "degraded_performance", "2026-11-19T12:00:00Z", None),
        timeline={"acknowledged": "2026-11-19T12:10:00Z"},
        updates=[("2026-11-19T12:10:00Z", "investigating")],
    )
    root = on_call(tmp_path, {"incidents/2026/2026-11-19-slow-web.yaml": sev3})
    owed = json.loads(run_cli("todo", "--format", "json", "--now", NOW, cwd=root).out)
    assert [(i["incident"], i["kind"]) for i in owed["items"]][:4] == [
        ("2026-11-23-api-down", "stale-update"),
        ("2026-11-23-api-down", "late-resolve"),
        ("2026-11-19-slow-web", "late-resolve"),
        ("2026-11-01-checkout", "missing-postmortem"),
    ]


def test_an_unacknowledged_incident_is_owed_an_acknowledgement(tmp_path: Path) -> None:
    record = OPEN_SEV1.replace("  acknowledged: 2026-11-23T07:05:00Z\n", "")
    root = on_call(tmp_path, {"incidents/2026/2026-11-23-api-down.yaml": record})
    owed = json.loads(run_cli("todo", "--format", "json", "--now", NOW, cwd=root).out)
    first = owed["items"][0]
    # detected 07:02 + 15 min -> due 07:17, 4 h 43 min late; the earliest deadline comes first.
    assert (first["kind"], first["deadline"], first["overdue_seconds"]) == (
        "late-acknowledge",
        "2026-11-23T07:17:00Z",
        16980.0,
    )
    assert first["do"] == "statusledger update 2026-11-23-api-down --status identified --message M"
    validated = json.loads(run_cli("validate", "--format", "json", "--now", NOW, cwd=root).out)
    assert "policy/acknowledge-overdue" in {f["rule"] for f in validated["findings"]}


def test_internal_records_count_on_call(tmp_path: Path) -> None:
    internal = OPEN_SEV1.replace("category: outage", "category: outage\nvisibility: internal")
    root = on_call(tmp_path, {"incidents/2026/2026-11-23-api-down.yaml": internal})
    result = run_cli("status", "--now", NOW, cwd=root)
    assert "  2026-11-23-api-down  sev1  identified  (internal)  API unavailable" in result.out
    assert "  api       major_outage       2026-11-23-api-down" in result.out


@pytest.mark.parametrize("command", ["status", "todo"])
def test_a_quiet_day(tmp_path: Path, command: str) -> None:
    root = make_repo(tmp_path)
    result = run_cli(command, "--now", NOW, cwd=root)
    assert result.code == 0, result.err
    expected = {
        "status": "Acme Cloud at 2026-11-23T12:00:00Z: all systems operational\n\n"
        "components not operational: none\n\nopen incidents: none\n\n"
        "maintenance in progress: none\n\nupcoming maintenance: none\n",
        "todo": "nothing owed at 2026-11-23T12:00:00Z\n",
    }
    assert result.out == expected[command]


@pytest.mark.parametrize("command", ["status", "todo"])
def test_a_record_that_does_not_load_stops_them(tmp_path: Path, command: str) -> None:
    root = make_repo(tmp_path, {"incidents/2026/broken.yaml": "title: x\nkind: incident\n"})
    result = run_cli(command, "--now", NOW, cwd=root)
    assert result.code == 1
    assert "incidents/2026/broken.yaml" in result.err


def test_deadlines_beyond_year_9999_are_null_not_a_crash(tmp_path: Path) -> None:
    huge = MINIMAL_SERVICES.replace(
        "{acknowledge: 15m, resolve: 4h, update_every: 30m, postmortem: 5d}",
        "{resolve: 99999999w, update_every: 99999999w, postmortem: 99999999w}",
    ).replace("postmortem: 10d}", "postmortem: 99999999w}")
    root = on_call(tmp_path, {"services.yaml": huge})
    status = json.loads(run_cli("status", "--format", "json", "--now", NOW, cwd=root).out)
    [open_] = status["incidents"]
    assert (open_["next_update_due"], open_["update_overdue"]) == (None, False)
    assert (open_["resolve_due"], open_["resolve_overdue"]) == (None, False)
    owed = json.loads(run_cli("todo", "--format", "json", "--now", NOW, cwd=root).out)
    assert [(i["kind"], i["deadline"]) for i in owed["items"]] == [
        ("overdue-action-item", "2026-11-21T00:00:00Z"),
        ("action-item-due", "2026-11-28T00:00:00Z"),
        ("postmortem-due", None),
    ]
