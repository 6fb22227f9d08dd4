"""The benchmark data generator writes valid, deterministic records."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from tests.benchmarks.synth import generate, main

END = datetime(2026, 11, 1, tzinfo=UTC)
INCIDENT_KEYS = {
    "title",
    "kind",
    "severity",
    "category",
    "visibility",
    "impact",
    "timeline",
    "roles",
    "updates",
    "postmortem",
    "tags",
}
MAINTENANCE_KEYS = {"title", "kind", "visibility", "window", "components", "updates", "tags"}
MILESTONES = ("started", "detected", "acknowledged", "mitigated", "resolved")
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
TIMESTAMP_LINE = re.compile(
    r"^\s*(?:- )?(?:at|from|to|start|end|started|detected|acknowledged"
    r"|mitigated|resolved): (.*)$",
    re.MULTILINE,
)


def tree(root: Path) -> dict[str, bytes]:
    """Every file under `root`, by relative path."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def front_matter(text: str) -> dict[str, Any]:
    """The YAML front matter of a Markdown postmortem."""
    assert text.startswith("---\n")
    head, _, _ = text[4:].partition("\n---\n")
    data = yaml.safe_load(head)
    assert isinstance(data, dict)
    return data


def test_generate_writes_valid_deterministic_records(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    generate(first, incidents=50, components=8, postmortems=3, seed=7, end=END)
    generate(second, incidents=50, components=8, postmortems=3, seed=7, end=END)
    files = tree(first)
    assert files == tree(second)

    services = yaml.safe_load(files["services.yaml"])
    assert services["page"]["timezone"] == "UTC"
    components = [component["id"] for component in services["components"]]
    assert components == [f"c{index:03d}" for index in range(8)]
    groups = {group["id"] for group in services["groups"]}
    assert set(services["slas"]) == {"standard", "premium"}
    assert set(services["policies"]) == {"sev1", "sev2", "sev3", "sev4"}
    for position, component in enumerate(services["components"]):
        assert component["group"] in groups
        assert component["sla"] in services["slas"]
        for dependency in component.get("depends_on", []):
            assert dependency in components[:position]  # only earlier ones: no cycles

    records = {name: text for name, text in files.items() if name.startswith("incidents/")}
    assert len(records) == 50
    postmortems = {name: text for name, text in files.items() if name.startswith("postmortems/")}
    assert len(postmortems) <= 3
    linked: set[str] = set()
    kinds: set[str] = set()
    categories: set[str] = set()
    levels: set[str] = set()
    for name, raw in records.items():
        text = raw.decode()
        for value in TIMESTAMP_LINE.findall(text):
            assert TIMESTAMP.fullmatch(value), (name, value)
        record = yaml.safe_load(text)
        stem = Path(name).stem
        assert name == f"incidents/{stem[:4]}/{stem}.yaml"
        kinds.add(record["kind"])
        updates = record["updates"]
        times = [update["at"] for update in updates]
        assert times == sorted(times)
        if record["kind"] == "maintenance":
            assert set(record) <= MAINTENANCE_KEYS
            window = record["window"]
            assert window["start"] < window["end"] < END
            assert window["start"].date().isoformat() == stem[:10]
            assert set(record["components"]) <= set(components)
            assert [update["status"] for update in updates] == [
                "scheduled",
                "in_progress",
                "completed",
            ]
            continue
        assert set(record) <= INCIDENT_KEYS
        timeline = record["timeline"]
        assert timeline["started"].date().isoformat() == stem[:10]
        milestones = [timeline[key] for key in MILESTONES if key in timeline]
        assert milestones == sorted(milestones)
        assert timeline["resolved"] < END
        assert 1 <= len(record["impact"]) <= 3
        assert 2 <= len(updates) <= 5
        assert updates[-1]["status"] == "resolved"
        assert times[-1] < END
        categories.add(record["category"])
        for impact in record["impact"]:
            assert impact["component"] in components
            assert impact["from"] < impact["to"] <= timeline["resolved"]
            levels.add(impact["level"])
        if "postmortem" in record:
            assert record["postmortem"] == stem
            assert record["severity"] in ("sev1", "sev2")
            assert front_matter(postmortems[f"postmortems/{stem}.md"].decode())["incidents"] == [
                stem
            ]
            linked.add(stem)
    assert kinds == {"incident", "maintenance"}
    assert len(categories) == 9
    assert levels == {"degraded_performance", "partial_outage", "major_outage"}
    assert linked == {Path(name).stem for name in postmortems}
    for content in postmortems.values():
        matter = front_matter(content.decode())
        assert matter["status"] == "published"
        assert len(matter["action_items"]) == 2
        assert matter["date"] < END.date()


def test_seed_changes_output(tmp_path: Path) -> None:
    generate(tmp_path / "a", incidents=5, seed=1)
    generate(tmp_path / "b", incidents=5, seed=2)
    assert tree(tmp_path / "a") != tree(tmp_path / "b")


def test_command_line(tmp_path: Path) -> None:
    out = tmp_path / "org"
    assert main([str(out), "--incidents", "5", "--components", "3", "--seed", "4"]) == 0
    generate(tmp_path / "same", incidents=5, components=3, seed=4)
    assert tree(out) == tree(tmp_path / "same")
