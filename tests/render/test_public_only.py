from __future__ import annotations

import json
import re

from icalendar import Calendar
from lxml import etree

from tests.render.scenario import SENTINELS, XSS

DANGEROUS = re.compile(r"<\s*(script|iframe|svg)|\son\w+\s*=|javascript:", re.IGNORECASE)


def test_nothing_internal_reaches_any_rendered_byte(files: dict[str, bytes]) -> None:
    for path, content in files.items():
        for sentinel in SENTINELS:
            assert sentinel.encode() not in content, (path, sentinel)


def test_html_in_feeds_is_inert(files: dict[str, bytes]) -> None:
    for path, content in files.items():
        if not path.endswith((".rss", ".atom")):
            continue
        root = etree.fromstring(content)
        for element in root.iter():
            # Embedded HTML is text inside the XML; once unescaped it must hold nothing runnable.
            for text in (element.text or "", *element.attrib.values()):
                assert not DANGEROUS.search(text), (path, element.tag, text)


def test_calendar_descriptions_are_inert(files: dict[str, bytes]) -> None:
    assert not DANGEROUS.search(files["maintenance.ics"].decode())
    for event in Calendar.from_ical(files["maintenance.ics"]).walk("VEVENT"):
        assert "<" not in str(event["DESCRIPTION"])


def test_json_bodies_are_the_raw_messages_and_nothing_else_carries_html(
    files: dict[str, bytes],
) -> None:
    incidents = json.loads(files["api/v2/incidents.json"])["incidents"]
    xss = next(i for i in incidents if i["name"].startswith("Login errors"))
    # Statuspage sends `body` as the author's text: clients must escape it (tooling/docs/api.md).
    assert sorted(u["body"] for u in xss["incident_updates"]) == sorted(XSS)
    for path, content in files.items():
        if path.endswith(".json"):
            payload = json.loads(content)
            for key, value in _strings(payload):
                if key not in ("body", "name"):
                    assert not DANGEROUS.search(value), (path, key, value)


def test_badges_carry_no_markup_from_records(files: dict[str, bytes]) -> None:
    for path, content in files.items():
        if path.endswith(".svg"):
            assert not DANGEROUS.search(content.decode().replace("<svg xmlns", "")), path


def _strings(value: object, key: str = "") -> list[tuple[str, str]]:
    if isinstance(value, dict):
        return [pair for k, v in value.items() for pair in _strings(v, k)]
    if isinstance(value, list):
        return [pair for v in value for pair in _strings(v, key)]
    return [(key, value)] if isinstance(value, str) else []
