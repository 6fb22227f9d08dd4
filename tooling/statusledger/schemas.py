"""JSON Schemas of the three record kinds, for editors (yaml-language-server) and other tools."""

from __future__ import annotations

import json
from typing import Any

from pydantic import TypeAdapter

from statusledger.records.models import Postmortem, Record, Services

SCHEMA_FILES: dict[str, tuple[Any, str]] = {
    "services.schema.json": (Services, "statusledger services.yaml"),
    "incident.schema.json": (Record, "statusledger incident or maintenance record"),
    "postmortem.schema.json": (Postmortem, "statusledger postmortem front matter"),
}


def json_schemas() -> dict[str, str]:
    """Return {file name: schema text}; stable text so the committed copies can be compared."""
    result = {}
    for name, (model, title) in SCHEMA_FILES.items():
        adapter: TypeAdapter[Any] = TypeAdapter(model)
        schema: dict[str, Any] = adapter.json_schema(by_alias=True)
        schema = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": title,
            **{k: v for k, v in schema.items() if k != "title"},
        }
        result[name] = json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    return result
