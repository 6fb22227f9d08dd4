"""SLA compliance, error budget and credits, through `statusledger sla`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from statusledger.compute.periods import parse_period
from statusledger.compute.sla import monthly_sla, sla_report
from tests.compute.records import incident, ledger, repo, services, ts
from tests.helpers import run_cli

NOVEMBER = 30 * 86_400  # 2,592,000 s; 0.1% of it is 2592 s


def sla_json(root: Path, *args: str) -> dict[str, object]:
    result = run_cli("sla", "--format", "json", *args, cwd=root)
    assert result.code == 0, result.err
    data: dict[str, object] = json.loads(result.out)
    return data


def outage_of(seconds: int) -> str:
    """A major outage on api starting 2026-11-10T00:00Z lasting `seconds`."""
    minutes, secs = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    end = f"2026-11-{10 + days:02d}T{hours:02d}:{minutes:02d}:{secs:02d}Z"
    return incident(("api", "major_outage", "2026-11-10T00:00:00Z", end))


@pytest.mark.parametrize(
    ("downtime", "uptime", "met", "credit"),
    [
        (0, 100.0, True, None),
        (2592, 99.9, True, None),  # exactly the target: met, no credit
        (2593, 100 * (1 - 2593 / NOVEMBER), False, 10),  # just below 99.9
        (25_920, 99.0, False, 10),  # exactly 99.0: below 99.9 only -> 10
        (25_921, 100 * (1 - 25_921 / NOVEMBER), False, 25),  # just below 99.0
        (129_600, 95.0, False, 25),  # exactly 95.0: below 99.9 and 99.0 -> smallest is 99.0
        (129_601, 100 * (1 - 129_601 / NOVEMBER), False, 100),  # just below 95.0
    ],
)
def test_credits_at_each_tier_boundary(
    tmp_path: Path, downtime: int, uptime: float, met: bool, credit: int | None
) -> None:
    records = {"a": outage_of(downtime)} if downtime else {}
    repo(tmp_path, records, services_text=services())
    data = sla_json(tmp_path, "--period", "2026-11", "--now", "2026-12-05T00:00:00Z")
    api = data["components"][0]  # type: ignore[index]
    assert api["id"] == "api"
    assert api["uptime"] == pytest.approx(uptime, abs=1e-12)
    assert api["met"] is met
    assert api["credit"] == credit
    assert api["downtime_seconds"] == downtime
    assert api["budget_seconds"] == pytest.approx(2592)
    assert api["budget_left_seconds"] == pytest.approx(2592 - downtime)


def test_the_json_shape_and_order(tmp_path: Path) -> None:
    # One hour of partial outage (0.3 * 3600 = 1080 s) on api in October 2026 (31 days).
    repo(
        tmp_path,
        {"a": incident(("api", "partial_outage", "2026-10-05T10:00:00Z", "2026-10-05T11:00:00Z"))},
        services_text=services(),
    )
    data = sla_json(tmp_path, "--period", "2026-10", "--now", "2026-11-23T12:00:00Z")
    assert list(data) == ["period", "components"]
    assert data["period"] == {"start": "2026-10-01", "end": "2026-11-01", "label": "2026-10"}
    components = data["components"]
    assert isinstance(components, list)
    assert [c["id"] for c in components] == ["api", "database"]  # web has no SLA
    api = components[0]
    assert list(api) == [
        "id",
        "sla",
        "target",
        "uptime",
        "met",
        "downtime_seconds",
        "budget_seconds",
        "budget_left_seconds",
        "credit",
        "period",
        "counted_seconds",
        "maintenance_seconds",
        "current",
    ]
    assert api["sla"] == "standard"
    assert api["target"] == 99.9
    assert api["downtime_seconds"] == 1080.0
    assert api["counted_seconds"] == 31 * 86_400
    assert api["uptime"] == pytest.approx(100 * (1 - 1080 / (31 * 86_400)))  # 99.9597
    assert api["budget_seconds"] == pytest.approx(2678.4)  # 0.1% of 2,678,400 s
    assert api["budget_left_seconds"] == pytest.approx(2678.4 - 1080)
    assert api["met"] is True and api["credit"] is None


def test_without_a_period_each_sla_uses_its_current_window(tmp_path: Path) -> None:
    # database moves to a quarterly SLA; api keeps the monthly one.
    text = (
        services()
        .replace("    sla: standard\n  - id: web", "    sla: quarterly\n  - id: web")
        .replace("policies:\n", "  quarterly:\n    target: 99.5\n    window: quarter\npolicies:\n")
    )
    repo(tmp_path, {}, services_text=text)
    data = sla_json(tmp_path, "--now", "2026-11-23T12:00:00Z")
    assert data["period"] is None  # the windows differ: see each component's own period
    components = data["components"]
    assert isinstance(components, list)
    assert components[0]["period"]["label"] == "2026-11"
    assert components[1]["period"]["label"] == "2026-Q4"
    # The current window is counted up to now: Nov 1 .. Nov 23 12:00 = 22.5 days; its budget
    # is what the whole month allows: 0.1% of 30 days = 2592 s, none of it used so far.
    assert components[0]["counted_seconds"] == 22.5 * 86_400
    assert components[0]["current"] is True
    assert components[0]["budget_seconds"] == pytest.approx(2592)
    assert components[0]["budget_left_seconds"] == pytest.approx(2592)


def test_one_window_for_all_shows_it_on_top(tmp_path: Path) -> None:
    repo(tmp_path, {}, services_text=services())
    data = sla_json(tmp_path, "--now", "2026-11-23T12:00:00Z")
    assert data["period"] == {"start": "2026-11-01", "end": "2026-12-01", "label": "2026-11"}


def test_text_and_markdown(tmp_path: Path) -> None:
    # 3 h of major outage in November 2026 (30 days): uptime 99.583..., credit 10.
    repo(
        tmp_path,
        {"a": incident(("api", "major_outage", "2026-11-10T10:00:00Z", "2026-11-10T13:00:00Z"))},
        services_text=services(),
    )
    text = run_cli("sla", "--period", "2026-11", "--now", "2026-12-01T00:00:00Z", cwd=tmp_path)
    assert text.code == 0
    assert text.out.splitlines() == [
        "component  sla       period   target   uptime  met  downtime  budget  budget used"
        "  budget left  credit",
        "api        standard  2026-11   99.9%  99.583%  NO         3h  43m12s       416.6%"
        "    -2h16m48s     10%",
        "database   standard  2026-11   99.9%     100%  yes        0s  43m12s           0%"
        "       43m12s       -",
    ]
    markdown = run_cli(
        "sla",
        "--period",
        "2026-11",
        "--format",
        "markdown",
        "--now",
        "2026-12-01T00:00:00Z",
        cwd=tmp_path,
    )
    assert markdown.out.splitlines() == [
        "### SLA 2026-11",
        "",
        "| component | sla | period | target | uptime | met | downtime | budget | budget used"
        " | budget left | credit |",
        "|---|---|---|--:|--:|:-:|--:|--:|--:|--:|--:|",
        "| `api` | standard | 2026-11 | 99.9% | 99.583% | ❌ | 3h | 43m12s | 416.6% | -2h16m48s"
        " | 10% |",
        "| `database` | standard | 2026-11 | 99.9% | 100% | ✅ | 0s | 43m12s | 0% | 43m12s | - |",
    ]


def test_a_bad_period_is_a_usage_error(tmp_path: Path) -> None:
    repo(tmp_path, {}, services_text=services())
    result = run_cli("sla", "--period", "2026-13", cwd=tmp_path)
    assert result.code == 2
    assert "2026-10, 2026-Q4 or 2026" in result.err


def test_a_period_before_since_has_no_uptime(tmp_path: Path) -> None:
    repo(tmp_path, {}, services_text=services(since="2026-11-15"))
    data = sla_json(tmp_path, "--period", "2026-10", "--now", "2026-11-23T12:00:00Z")
    api = data["components"][0]  # type: ignore[index]
    assert (api["uptime"], api["met"], api["credit"], api["budget_seconds"]) == (
        None,
        None,
        None,
        0.0,
    )


def test_monthly_sla_for_the_site(tmp_path: Path) -> None:
    loaded = ledger(
        tmp_path,
        {
            "a": incident(("web", "major_outage", "2026-10-05T10:00:00Z", "2026-10-05T11:00:00Z")),
            "b": incident(("api", "major_outage", "2026-11-05T10:00:00Z", "2026-11-05T11:00:00Z")),
        },
        services_text=services(),
    )
    assert loaded.services is not None
    model, now = loaded.services.model, ts("2026-11-23T12:00:00Z")
    months = [parse_period("2026-10"), parse_period("2026-11"), parse_period("2026-12")]
    api = monthly_sla(model, loaded.records, "api", months, now)
    assert [r.downtime_seconds for r in api] == [0, 3600, 0]
    # 3600 s of 22.5 days is 0.185%: below 99.9. December has not begun: no verdict.
    assert [r.met for r in api] == [True, False, None]
    assert api[1].uptime == pytest.approx(100 * (1 - 3600 / (22.5 * 86_400)))
    web = monthly_sla(model, loaded.records, "web", months, now)  # no SLA: default weights
    assert (web[0].sla, web[0].target, web[0].met, web[0].credit) == (None, None, None, None)
    assert web[0].downtime_seconds == 3600
    report = sla_report(model, loaded.records, parse_period("2026-11"), now)
    assert report.components[0].downtime_seconds == 3600
