"""`statusledger build`: the documented pages, what they say, and what never gets out."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import lxml.html
import pytest
import yaml

from tests.helpers import PROJECT, run_cli
from tests.site.records import (
    DRAFT_POSTMORTEM,
    HOSTILE,
    INTERNAL,
    OPEN_MAJOR,
    PUBLISHED_POSTMORTEM,
)
from tests.site.support import build, site_repo

# The theme's own inline scripts (Material's base.html): storage helpers and tab anchors.
PAGE_URLS = ("https://status.example.com/", "https://status.northwind.example/")
THEME_SCRIPT = re.compile(r"^(__md_scope=|var target=document\.getElementById\(location\.hash)")
# The site's one script file: the bars' detail panel, from the site itself.
OWN_SCRIPT = re.compile(r"^(/|(\.\./)*)assets/statusledger\.js$")


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def text_of(path: Path) -> str:
    return " ".join(lxml.html.fromstring(path.read_bytes()).text_content().split())


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = site_repo(
        tmp_path_factory.mktemp("hostile"),
        {
            "incidents/2026/down.yaml": OPEN_MAJOR,
            "incidents/2026/hostile.yaml": HOSTILE,
            "incidents/2026/internal.yaml": INTERNAL,
            "postmortems/hostile.md": PUBLISHED_POSTMORTEM,
            "postmortems/internal-draft.md": DRAFT_POSTMORTEM,
        },
    )
    return build(root, root / "public")


def test_every_spec_page_of_the_example_exists(example_site: Path) -> None:
    services = yaml.safe_load((PROJECT / "services.yaml").read_text(encoding="utf-8"))
    expected = ["index.html", "history/index.html", "postmortems/index.html", "sla/index.html"]
    expected += [f"components/{c['id']}/index.html" for c in services["components"]]
    for path in sorted((PROJECT / "incidents").rglob("*.yaml")):
        record = yaml.safe_load(path.read_text(encoding="utf-8"))
        if record.get("visibility", "public") == "public":
            expected.append(f"incidents/{path.stem}/index.html")
    for path in sorted((PROJECT / "postmortems").glob("*.md")):
        front = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
        if front["status"] == "published":
            expected.append(f"postmortems/{path.stem}/index.html")
    expected.append("history/2026-11/index.html")
    missing = [p for p in expected if not (example_site / p).is_file()]
    assert missing == []


def test_home_fits_the_weight_budget(example_site: Path) -> None:
    """HTML + CSS + JS the home page loads stay under 40 KB gzipped."""
    home = example_site / "index.html"
    tree = lxml.html.fromstring(home.read_bytes())
    loaded = [example_site / href for href in tree.xpath("//link[@rel='stylesheet']/@href")]
    loaded += [example_site / src for src in tree.xpath("//script/@src")]
    total = sum(len(gzip.compress(p.read_bytes(), 9)) for p in [home, *loaded])
    assert total <= 40 * 1024, total


def test_nothing_is_loaded_from_another_host(example_site: Path, hostile_site: Path) -> None:
    for site in (example_site, hostile_site):
        for page in html_files(site):
            tree = lxml.html.fromstring(page.read_bytes())
            urls = tree.xpath(
                "//link[@rel!='canonical']/@href | //script/@src | //img/@src"
                " | //iframe/@src | //source/@src | //object/@data"
            )
            external = [
                u for u in urls if re.match(r"^(https?:)?//", u) and not u.startswith(PAGE_URLS)
            ]
            assert external == [], page
        for css in site.rglob("*.css"):
            assert not re.search(
                r"@import|url\(\s*['\"]?(https?:)?//", css.read_text(encoding="utf-8")
            ), css


def test_status_shows_without_javascript_and_times_carry_offsets(example_site: Path) -> None:
    home = (example_site / "index.html").read_text(encoding="utf-8")
    tree = lxml.html.fromstring(home)
    # One deferred script of the site's own (the bars' detail panel); status needs none.
    assert [(s.get("src"), "defer" in s.attrib) for s in tree.xpath("//script[@src]")] == [
        ("assets/statusledger.js", True)
    ]
    assert len(tree.xpath("//ol[contains(@class,'sl-bars')]")) >= 1
    bars = tree.xpath("//ol[contains(@class,'sl-bars')]")[0]
    assert len(bars) == 90
    assert all(day.xpath("./a[@href]") for day in bars)
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d">', home)
    # The example page is in Europe/Berlin: times say its zone's abbreviation.
    assert re.search(r"\d\d:\d\d CET<", home)
    tabs = tree.xpath("//*[contains(@class,'md-tabs__link')]/text()")
    assert [t.strip() for t in tabs] == ["Status", "History", "Postmortems", "SLA"]


def test_titles_name_the_page_then_the_site_and_the_home_page_once(example_site: Path) -> None:
    def title(rel: str) -> str:
        return str(lxml.html.fromstring((example_site / rel).read_bytes()).findtext(".//title"))

    assert title("index.html") == "Northwind Cloud"
    home = lxml.html.fromstring((example_site / "index.html").read_bytes())
    # The header names the site; the one heading under it is the status, not the name again.
    assert [h.text_content() for h in home.xpath("//h1")] == ["All systems operational"]
    assert title("history/index.html") == "Incident history - Northwind Cloud"
    assert (
        title("incidents/2026-11-23-api-latency-peering/index.html")
        == "Elevated API latency from some networks - Northwind Cloud"
    )


def test_feed_autodiscovery_on_every_page(example_site: Path) -> None:
    for page in html_files(example_site):
        if page.name == "404.html":
            continue
        tree = lxml.html.fromstring(page.read_bytes())
        types = tree.xpath("//head/link[@rel='alternate']/@type")
        assert "application/rss+xml" in types and "application/atom+xml" in types, page


def test_banner_names_an_open_major_outage(hostile_site: Path) -> None:
    tree = lxml.html.fromstring((hostile_site / "index.html").read_bytes())
    banner = tree.xpath("//*[contains(@class,'sl-banner')]")[0]
    assert banner.findtext(".//h1") == "Major outage: Public API"
    assert "sl-banner--major_outage" in banner.get("class")
    current = tree.xpath("//section[h2='Current incidents']")[0].text_content()
    assert "Public API down" in current and "THIRD-UPDATE" in current


def test_incident_page_lists_updates_newest_first(hostile_site: Path) -> None:
    text = text_of(hostile_site / "incidents/down/index.html")
    first, second, third = (
        text.index(m) for m in ("FIRST-UPDATE", "SECOND-UPDATE", "THIRD-UPDATE")
    )
    assert third < second < first
    assert "Major outage · Identified · Ongoing for 2 h" in text
    assert "sev1" not in text and "Severity" not in text


def test_nothing_internal_reaches_any_file(hostile_site: Path) -> None:
    for path in hostile_site.rglob("*"):
        if path.is_file():
            assert b"SENTINEL" not in path.read_bytes(), path


def test_hostile_text_leaves_no_executable_markup(hostile_site: Path) -> None:
    for page in html_files(hostile_site):
        tree = lxml.html.fromstring(page.read_bytes())
        for script in tree.xpath("//script"):
            src = script.get("src")
            assert OWN_SCRIPT.match(src) if src else THEME_SCRIPT.match(script.text or ""), page
        for element in tree.iter():
            if not isinstance(element.tag, str):
                continue
            assert element.tag not in ("iframe", "object", "embed"), page
            for name, value in element.attrib.items():
                assert not name.lower().startswith("on"), (page, name)
                assert "javascript:" not in value.lower(), (page, name, value)
    for path in hostile_site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".xml", ".rss", ".atom", ".ics", ".svg"):
            raw = path.read_text(encoding="utf-8", errors="replace").lower()
            assert "onerror=" not in raw and "javascript:" not in raw, path
            theme = raw.count("<script>__md_scope=") + raw.count("<script>var target=document")
            own = len(re.findall(r'<script src="(/|(\.\./)*)assets/statusledger\.js" defer>', raw))
            assert raw.count("<script") == theme + own, path


def test_postmortem_page_shows_public_action_item_fields(hostile_site: Path) -> None:
    text = text_of(hostile_site / "postmortems/hostile/index.html")
    assert "Add a canary stage" in text and "AI-1" in text and "High" in text
    assert (hostile_site / "postmortems/root-cause/deploy/index.html").is_file()
    assert "Hostile postmortem" in text_of(
        hostile_site / "postmortems/root-cause/deploy/index.html"
    )
    incident = text_of(hostile_site / "incidents/hostile/index.html")
    assert "Read the postmortem" in incident
    assert "Corrections" in incident and "CORRECTION-WHAT" in incident


def test_sla_and_component_pages_judge_months(hostile_site: Path) -> None:
    text = text_of(hostile_site / "sla/index.html")
    assert "November 2026" in text and "Missed" in text and "Met" in text
    component = text_of(hostile_site / "components/api/index.html")
    assert "Major outage" in component and "Public API down" in component


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    root = site_repo(tmp_path / "org", {"incidents/2026/down.yaml": OPEN_MAJOR})
    first, second = build(root, tmp_path / "one"), build(root, tmp_path / "two")
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    different = [f for f in files if (first / f).read_bytes() != (second / f).read_bytes()]
    assert different == []


BROKEN = """\
title: Broken
kind: incident
severity: sev9
category: outage
updates:
  - at: 2026-11-20T14:10:00Z
    status: investigating
    message: x
"""


def test_invalid_records_fail_with_file_and_line_and_keep_the_last_site(tmp_path: Path) -> None:
    root = site_repo(tmp_path / "org")
    out = build(root, tmp_path / "public")
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (root / "incidents/2026").mkdir(parents=True)
    (root / "incidents/2026/broken.yaml").write_text(BROKEN, encoding="utf-8")
    result = run_cli(
        "--root", str(root), "build", "--out", str(out), "--now", "2026-11-23T12:00:00Z"
    )
    assert result.code == 1
    assert "incidents/2026/broken.yaml:3:" in result.err
    assert "Traceback" not in result.err + result.out
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["org", "public"]


def test_ui_speaks_the_page_language(tmp_path: Path) -> None:
    from tests.helpers import MINIMAL_SERVICES

    services = MINIMAL_SERVICES.replace("language: en", "language: de").replace(
        "timezone: UTC", "timezone: Europe/Berlin"
    )
    root = site_repo(
        tmp_path / "org", {"services.yaml": services, "incidents/2026/down.yaml": OPEN_MAJOR}
    )
    out = build(root, tmp_path / "public")
    tree = lxml.html.fromstring((out / "index.html").read_bytes())
    assert tree.get("lang") == "de"
    assert "Schwerer Ausfall" in tree.text_content()
    assert "23. November 2026, 12:10 CET" in " ".join(tree.text_content().split())


def test_every_language_defines_every_string() -> None:
    from statusledger.site.i18n import LANGUAGES, keys

    for language in LANGUAGES:
        assert keys(language) == keys("en"), language
