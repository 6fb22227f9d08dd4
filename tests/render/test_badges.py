from __future__ import annotations

import json

from lxml import etree

from statusledger.render.badges import COLOURS, LABEL_COLOUR, contrast, text_colour

SVG = "{http://www.w3.org/2000/svg}"


def test_every_colour_pair_meets_wcag_aa() -> None:
    for background in [LABEL_COLOUR, *COLOURS.values()]:
        assert contrast(background, text_colour(background)) >= 4.5, background


def test_component_badges_say_the_status_in_words_for_everyone(files: dict[str, bytes]) -> None:
    svg = etree.fromstring(files["badges/database.svg"])
    assert svg.get("role") == "img"
    assert svg.get("aria-label") == "Database: partial outage"
    assert svg.findtext(f"{SVG}title") == "Database: partial outage"
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert texts == ["Database", "partial outage"]
    assert b"maintenance" in files["badges/web.svg"]


def test_badge_json_is_a_shields_endpoint(files: dict[str, bytes]) -> None:
    assert json.loads(files["badges/api.json"]) == {
        "schemaVersion": 1,
        "label": "Public API",
        "message": "operational",
        "color": "2e7d32",
    }
    overall = json.loads(files["badges/overall.json"])
    assert (overall["label"], overall["message"]) == ("Acme Cloud", "partial outage")
    assert etree.fromstring(files["badges/overall.svg"]).get("aria-label") == (
        "Acme Cloud: partial outage"
    )


def test_names_are_escaped_in_svg() -> None:
    from statusledger.render.badges import svg

    badge = svg('A&B <"x">', "operational", "#2e7d32")
    root = etree.fromstring(badge.encode())
    assert root.findtext(f"{SVG}title") == 'A&B <"x">: operational'
