"""Turn the ICPE'25 incident table into Statuspage API v2 JSON, one page per provider.

`incident_stages.csv` (542 incidents scraped from the OpenAI, Anthropic and Character.AI
Statuspage pages) keeps, per incident, the title, the impact level 0..4, the affected services as
0/1 columns, and for each of investigating, identified, monitoring, resolved and postmortem a
flag, a timestamp and the text. This writes what those pages' `components.json` and
`incidents.json` would have held: one update per stage (the postmortem stage as an update with
status `postmortem`, as Statuspage lists it), and the postmortem again as `postmortem_body`.
The table has no per-update component moves, so `affected_components` is null and the
importer falls back to the incident's impact over its whole duration.

The data stays in /work/shared (its repository has no licence); nothing of it is copied into
the project. Command line::

    python -m tests.importers.icpe25 /work/shared/data/icpe25/incident_stages.csv OUT
"""

from __future__ import annotations

import csv
import hashlib
import json
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from tests.helpers import SHARED

CSV = SHARED / "data" / "icpe25" / "incident_stages.csv"
STAGES = ("investigating", "identified", "monitoring", "resolved")
IMPACT = {"0": "none", "1": "minor", "2": "major", "3": "critical", "4": "maintenance"}
PROVIDERS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "openai": ("OpenAI", "https://status.openai.com", ("API", "ChatGPT", "Playground", "Labs")),
    "anthropic": (
        "Anthropic",
        "https://status.anthropic.com",
        ("api.anthropic.com", "claude.ai", "console.anthropic.com"),
    ),
    "character": ("Character.AI", "https://status.character.ai", ("Character.AI",)),
}
PAGE_UPDATED = "2024-08-31T00:00:00.000Z"

Json = dict[str, Any]


def fake_id(*parts: str) -> str:
    """A 12-character id in Statuspage's alphabet, stable for the same parts."""
    digest = hashlib.sha256(":".join(parts).encode()).digest()
    number = int.from_bytes(digest[:8], "big")
    alphabet = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    for _ in range(12):
        number, rest = divmod(number, 36)
        out += alphabet[rest]
    return out


def stamp(text: str) -> str | None:
    """'2024-02-26 17:09:00+00:00' as Statuspage writes it: 2024-02-26T17:09:00.000Z."""
    if not text:
        return None
    moment = datetime.fromisoformat(text)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def page(provider: str) -> Json:
    name, url, _ = PROVIDERS[provider]
    return {
        "id": fake_id("page", provider),
        "name": name,
        "url": url,
        "time_zone": "Etc/UTC",
        "updated_at": PAGE_UPDATED,
    }


def component(provider: str, name: str, position: int) -> Json:
    return {
        "id": fake_id("component", provider, name),
        "name": name,
        "status": "operational",
        "created_at": "2021-01-01T00:00:00.000Z",
        "updated_at": PAGE_UPDATED,
        "position": position,
        "description": None,
        "showcase": True,
        "start_date": None,
        "group_id": None,
        "page_id": fake_id("page", provider),
        "group": False,
        "only_show_if_degraded": False,
    }


def incident(row: dict[str, str]) -> Json:
    provider = row["provider"]
    page_id = fake_id("page", provider)
    names = PROVIDERS[provider][2]
    components = [component(provider, n, names.index(n) + 1) for n in names if row[n] == "1"]
    updates = []
    for stage in (*STAGES, "postmortem"):
        if row[f"{stage}_flag"] != "1":
            continue
        at = stamp(row[f"{stage}_timestamp"])
        updates.append(
            {
                "id": fake_id("update", row["incident_id"], stage),
                "status": stage,
                "body": row[f"{stage}_description"],
                "incident_id": row["incident_id"],
                "created_at": at,
                "updated_at": at,
                "display_at": at,
                "affected_components": None,
                "deliver_notifications": True,
                "custom_tweet": None,
                "tweet_id": None,
            }
        )
    updates.sort(key=lambda u: str(u["display_at"]), reverse=True)
    has_postmortem = row["postmortem_flag"] == "1"
    return {
        "id": row["incident_id"],
        "name": row["Incident_Title"],
        "status": "postmortem" if has_postmortem else "resolved",
        "created_at": stamp(row["start_timestamp"]),
        "updated_at": stamp(row["postmortem_timestamp"] or row["close_timestamp"]),
        "monitoring_at": stamp(row["monitoring_timestamp"]),
        "resolved_at": stamp(row["resolved_timestamp"]),
        "impact": IMPACT[row["incident_impact_level"]],
        "shortlink": f"https://stspg.io/{row['incident_id']}",
        "started_at": stamp(row["start_timestamp"]),
        "page_id": page_id,
        "incident_updates": updates,
        "components": components,
        "postmortem_body": row["postmortem_description"] if has_postmortem else None,
        "postmortem_published_at": stamp(row["postmortem_timestamp"]) if has_postmortem else None,
    }


def convert(csv_path: Path, out: Path) -> dict[str, Path]:
    """Write OUT/<provider>/{components,incidents}.json; return the folder of each provider."""
    with csv_path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    folders = {}
    for provider, (_, _, names) in PROVIDERS.items():
        folder = out / provider
        folder.mkdir(parents=True, exist_ok=True)
        mine = [r for r in rows if r["provider"] == provider]
        incidents = sorted(
            (incident(r) for r in mine), key=lambda i: str(i["started_at"]), reverse=True
        )
        components = [component(provider, n, i + 1) for i, n in enumerate(names)]
        _write(folder / "components.json", {"page": page(provider), "components": components})
        _write(folder / "incidents.json", {"page": page(provider), "incidents": incidents})
        folders[provider] = folder
    return folders


def _write(path: Path, payload: Json) -> None:
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 2:
        print("usage: python -m tests.importers.icpe25 incident_stages.csv OUT", file=sys.stderr)
        return 2
    for provider, folder in convert(Path(args[0]), Path(args[1])).items():
        print(f"{provider}: {folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
