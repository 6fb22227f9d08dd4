from __future__ import annotations

import json
from pathlib import Path

import pytest

from statusledger.schemas import json_schemas
from tests.helpers import PROJECT, run_cli


def test_committed_schemas_are_current() -> None:
    for name, text in json_schemas().items():
        committed = (PROJECT / "site" / "schemas" / name).read_text(encoding="utf-8")
        assert committed == text, (
            f"site/schemas/{name} is stale: run statusledger schema --out site/schemas"
        )


def test_schema_command_writes_three_files(tmp_path: Path) -> None:
    result = run_cli("schema", "--out", str(tmp_path))
    assert result.code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "incident.schema.json",
        "postmortem.schema.json",
        "services.schema.json",
    ]
    incident = json.loads((tmp_path / "incident.schema.json").read_text())
    text = json.dumps(incident)
    assert '"from"' in text and "investigating" in text and "scheduled" in text


@pytest.mark.parametrize("path", sorted((PROJECT / "incidents").rglob("*.yaml"))[:3])
def test_example_records_point_editors_at_the_schema(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../site/schemas/incident.schema.json"
    assert (path.parent / "../../site/schemas/incident.schema.json").resolve().is_file()


def test_unknown_key_rejected_by_schema_too() -> None:
    schema = json.loads(json_schemas()["services.schema.json"])
    assert schema["additionalProperties"] is False
