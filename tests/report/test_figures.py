"""report.json on a ledger counted by hand (tests/report/ledger.py), and that every figure is
the one `metrics --format json` and `sla --format json` give for the same window."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import run_cli
from tests.report.ledger import NOW, WINDOW, write

MONTHS = {"2026-09": ("2026-09-01", "2026-09-30"), "2026-10": ("2026-10-01", "2026-10-31"),
          "2026-11": ("2026-11-01", "2026-11-30")}  # fmt: skip
QUARTERS = {"2026-Q3": ("2026-09-01", "2026-09-30"), "2026-Q4": ("2026-10-01", "2026-11-30")}
NO_BREACHES = dict.fromkeys(
    ["late-acknowledge", "late-resolve", "stale-update", "missing-postmortem",
     "late-postmortem", "overdue-action-item"], 0,
)  # fmt: skip


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write(tmp_path_factory.mktemp("ledger"))


@pytest.fixture(scope="module")
def report(ledger: Path) -> dict[str, Any]:
    result = run_cli("report", "--out", str(ledger / "out"), *WINDOW, "--now", NOW, cwd=ledger)
    assert result.code == 0, result.err
    data: dict[str, Any] = json.loads((ledger / "out" / "report.json").read_text("utf-8"))
    return data


def cli_json(ledger: Path, *args: str) -> dict[str, Any]:
    result = run_cli(*args, "--format", "json", "--now", NOW, cwd=ledger)
    assert result.code == 0, result.err
    data: dict[str, Any] = json.loads(result.out)
    return data


def test_the_window_and_its_months_and_quarters(report: dict[str, Any]) -> None:
    assert report["generated"] == NOW
    assert report["window"] == {
        "from": "2026-09-01",
        "to": "2026-11-30",
        "months": ["2026-09", "2026-10", "2026-11"],
        "quarters": ["2026-Q3", "2026-Q4"],
    }


def test_incidents_by_month_count_internal_ones_and_not_those_before_the_window(
    report: dict[str, Any],
) -> None:
    assert report["incidents"] == 5  # a, b, c (internal), d, e; z is in August
    assert report["incidents_by_month"] == {
        "2026-09": {"sev1": 1, "sev2": 1, "sev3": 0, "sev4": 0},
        "2026-10": {"sev1": 0, "sev2": 1, "sev3": 1, "sev4": 0},
        "2026-11": {"sev1": 1, "sev2": 0, "sev3": 0, "sev4": 0},
    }
    by_category = {
        m: {c: n for c, n in counts.items() if n}
        for m, counts in report["incidents_by_month_category"].items()
    }
    assert by_category == {
        "2026-09": {"outage": 2},
        "2026-10": {"network": 1, "outage": 1},
        "2026-11": {"bug": 1},
    }


def test_response_times_per_quarter(report: dict[str, Any]) -> None:
    q3 = report["response_by_quarter"]["2026-Q3"]
    # a: detect 5 m, acknowledge 5 m, mitigate 40 m, resolve 1 h; b: 10 m, 50 m, -, 2 h.
    assert q3["overall"] == {
        "ttd": {"count": 2, "median": 450.0, "p90": 600.0},
        "tta": {"count": 2, "median": 1650.0, "p90": 3000.0},
        "ttm": {"count": 1, "median": 2400.0, "p90": 2400.0},
        "ttr": {"count": 2, "median": 5400.0, "p90": 7200.0},
    }
    assert q3["sev1"]["tta"] == {"count": 1, "median": 300.0, "p90": 300.0}
    assert q3["sev3"]["ttr"] == {"count": 0, "median": None, "p90": None}
    # Q4: c resolves in 1 h, d in 1 h, e in 1 h.
    assert report["response_by_quarter"]["2026-Q4"]["overall"]["ttr"] == {
        "count": 3, "median": 3600.0, "p90": 3600.0,
    }  # fmt: skip


def test_downtime_and_sla_per_component_per_month(report: dict[str, Any]) -> None:
    assert report["downtime_by_month"] == {
        "api": {"2026-09": 3600 + 0.3 * 7200, "2026-10": 3600.0, "2026-11": 0.0},
        "database": {"2026-09": 0.0, "2026-10": 0.0, "2026-11": 0.0},
        "web": {"2026-09": 0.0, "2026-10": 0.0, "2026-11": 1080.0},
    }
    verdicts = {
        c: {m: (r["met"], r["credit"]) for m, r in months.items()}
        for c, months in report["sla_by_month"].items()
    }
    assert verdicts == {  # api: 5760 s of 30 d = 99.78 %, 3600 s of 31 d = 99.87 %: missed
        "api": {"2026-09": (False, 10), "2026-10": (False, 10), "2026-11": (True, None)},
        "database": {"2026-09": (True, None), "2026-10": (True, None), "2026-11": (True, None)},
    }


def test_pareto_of_categories_and_root_causes(report: dict[str, Any]) -> None:
    ranked = report["categories_ranked"]
    assert [(r["name"], r["count"], r["cumulative_percent"]) for r in ranked] == [
        ("outage", 3, 60.0), ("network", 1, 80.0), ("bug", 1, 100.0),
    ]  # fmt: skip
    assert [(r["name"], r["count"]) for r in report["root_causes_ranked"]] == [
        ("deploy", 2),
        ("config-change", 1),
    ]
    assert report["root_causes_ranked"][-1]["cumulative_percent"] == 100.0
    assert report["incidents_without_root_cause"] == 3


def test_recurring_incidents_look_back_thirty_days_even_before_the_window(
    report: dict[str, Any],
) -> None:
    assert report["recurring"] == [
        {"incident": "2026-09-10-a", "component": "api", "category": "outage",
         "previous": "2026-08-28-z", "days_apart": 13.0},
        {"incident": "2026-09-25-b", "component": "api", "category": "outage",
         "previous": "2026-09-10-a", "days_apart": 14 + 14 / 24},
        {"incident": "2026-10-20-d", "component": "api", "category": "outage",
         "previous": "2026-09-25-b", "days_apart": 25 + 8 / 24},
    ]  # fmt: skip


def test_postmortems_action_items_and_breaches_per_month(report: dict[str, Any]) -> None:
    assert report["postmortems_by_month"] == {
        "2026-09": {"on_time": 1, "late": 0, "missing": 1, "pending": 0},
        "2026-10": {"on_time": 0, "late": 1, "missing": 0, "pending": 0},  # c: sev3, none owed
        "2026-11": {"on_time": 0, "late": 0, "missing": 0, "pending": 1},
    }
    assert report["action_items_by_month"] == {
        "2026-09": {"opened": 1, "done": 1, "overdue": 0},
        "2026-10": {"opened": 0, "done": 0, "overdue": 0},
        "2026-11": {"opened": 3, "done": 1, "overdue": 1},
    }
    assert report["breaches_by_month"] == {
        "2026-09": {**NO_BREACHES, "late-acknowledge": 1, "missing-postmortem": 1},
        "2026-10": {**NO_BREACHES, "late-postmortem": 1, "overdue-action-item": 1},
        "2026-11": NO_BREACHES,
    }


@pytest.mark.parametrize("month", MONTHS)
def test_each_month_equals_metrics_for_that_month(
    ledger: Path, report: dict[str, Any], month: str
) -> None:
    first, last = MONTHS[month]
    metrics = cli_json(ledger, "metrics", "--from", first, "--to", last)
    assert report["incidents_by_month"][month] == metrics["counts"]["severity"]
    assert report["incidents_by_month_category"][month] == metrics["counts"]["category"]
    kinds = dict(NO_BREACHES)
    for breach in metrics["breaches"]:
        kinds[breach["kind"]] += 1
    assert report["breaches_by_month"][month] == kinds


@pytest.mark.parametrize("quarter", QUARTERS)
def test_each_quarter_equals_metrics_for_its_part_of_the_window(
    ledger: Path, report: dict[str, Any], quarter: str
) -> None:
    first, last = QUARTERS[quarter]
    response = cli_json(ledger, "metrics", "--from", first, "--to", last)["response"]
    groups = {"overall": response["overall"], **response["severity"]}
    for group, measures in report["response_by_quarter"][quarter].items():
        for measure, stats in measures.items():
            expected = groups[group][measure]
            assert stats == {k: expected[k] for k in ("count", "median", "p90")}


def test_the_whole_window_equals_metrics(ledger: Path, report: dict[str, Any]) -> None:
    metrics = cli_json(ledger, "metrics", *WINDOW)
    assert report["incidents"] == metrics["incidents"]
    assert report["incidents_by_severity"] == metrics["counts"]["severity"]
    assert sum(report["breaches"].values()) == len(metrics["breaches"])
    counts = {c: n for c, n in metrics["counts"]["category"].items() if n}
    assert {r["name"]: r["count"] for r in report["categories_ranked"]} == counts


@pytest.mark.parametrize("month", MONTHS)
def test_the_sla_grid_equals_sla_for_each_month(
    ledger: Path, report: dict[str, Any], month: str
) -> None:
    sla = cli_json(ledger, "sla", "--period", month)
    for component in sla["components"]:
        assert report["sla_by_month"][component["id"]][month] == component
        assert report["downtime_by_month"][component["id"]][month] == component["downtime_seconds"]
