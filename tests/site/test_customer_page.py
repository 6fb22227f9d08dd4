"""What a customer reads: the small things of the page that are easy to get wrong.

Built from the example organisation (every page type, an overdue action item, a maintenance
window ahead) and from small sites of the test's own.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import lxml.html

from tests.helpers import MINIMAL_SERVICES
from tests.site.records import OPEN_MAJOR
from tests.site.support import NOW, build, site_repo


def tree_of(path: Path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(path.read_bytes())


def words(element: lxml.html.HtmlElement) -> str:
    """The element's text as a reader sees it: every piece of text apart, spaces collapsed."""
    return " ".join(" ".join(element.itertext()).split())


def content(path: Path) -> str:
    return words(tree_of(path).xpath("//article")[0])


def test_every_page_has_its_own_meta_description(example_site: Path) -> None:
    seen = {}
    for page in sorted(example_site.rglob("*.html")):
        metas = tree_of(page).xpath("//head/meta[@name='description']/@content")
        assert len(metas) == 1 and len(metas[0]) > 20, page
        seen[page.relative_to(example_site).as_posix()] = metas[0]
    assert seen["index.html"] == (
        "All systems operational. Current status, incidents, maintenance and uptime of"
        " Northwind Cloud."
    )
    assert seen["components/api/index.html"].startswith("Public API: Operational.")
    assert seen["incidents/2026-11-23-api-latency-peering/index.html"].startswith(
        "Elevated API latency from some networks: what happened"
    )


def test_maintenance_says_scheduled_until_it_begins(example_site: Path) -> None:
    home = content(example_site / "index.html")
    assert "Scheduled for December 13, 2026, 03:00 CET – 06:00 CET Affects: Database" in home
    history = content(example_site / "history/index.html")
    assert "Database storage migration ⚙ Maintenance · Scheduled for December 13, 2026" in history
    assert "Under maintenance" not in history


def test_past_incidents_day_by_day(example_site: Path) -> None:
    tree = tree_of(example_site / "index.html")
    days = tree.xpath("//section[contains(@class,'sl-past')]//h3/time/@datetime")
    assert days == [f"2026-11-{d}" for d in range(23, 16, -1)]
    past = words(tree.xpath("//section[contains(@class,'sl-past')]")[0])
    assert "November 23, 2026 Elevated API latency from some networks" in past
    assert "No incidents reported." in past
    stamp = tree.xpath("//p[@class='sl-updated']/time/@datetime")
    assert [datetime.fromisoformat(s) for s in stamp] == [datetime.fromisoformat(NOW)]


def test_postmortem_says_summary_once_and_marks_overdue_items(example_site: Path) -> None:
    page = example_site / "postmortems/2026-04-14-database-failover-outage/index.html"
    text = content(page)
    assert text.count("Summary") == 1
    rows = tree_of(page).xpath("//table[contains(@class,'sl-table')]//tr[td]")
    overdue = [r.findtext("td") for r in rows if "Overdue" in r.text_content()]
    assert overdue == ["AI-5"]
    ticket = tree_of(page).xpath("//a[@class='sl-url']")[0]
    assert ticket.get("href").startswith("https://tracker.northwind.example/")
    assert [td.get("data-label") for td in rows[0].findall("td")] == [
        "ID", "Action", "Type", "Priority", "Due", "Status", "Ticket"
    ]  # fmt: skip


def test_the_404_page_leads_home(example_site: Path) -> None:
    tree = tree_of(example_site / "404.html")
    assert tree.findtext(".//title") == "Page not found - Northwind Cloud"
    article = tree.xpath("//article")[0]
    assert article.findtext(".//h1") == "Page not found"
    assert article.xpath(".//a/@href") == ["/"]
    sidebars = tree.xpath("//div[contains(concat(' ', @class, ' '), ' md-sidebar ')]")
    assert [s.get("hidden") is not None for s in sidebars] == [True]


def test_a_name_with_an_ampersand_is_escaped_once(tmp_path: Path) -> None:
    services = MINIMAL_SERVICES.replace("name: Acme Cloud", "name: Acme & Sons <Cloud>")
    root = site_repo(
        tmp_path / "org", {"services.yaml": services, "incidents/2026/down.yaml": OPEN_MAJOR}
    )
    out = build(root, tmp_path / "public")
    for page in ("index.html", "incidents/down/index.html", "404.html"):
        raw = (out / page).read_text(encoding="utf-8")
        assert "&amp;amp;" not in raw and "&amp;lt;" not in raw, page
        tree = tree_of(out / page)
        logo = tree.xpath("//a[contains(@class,'md-logo')]")[0]
        assert logo.get("title") == "Acme & Sons <Cloud>", page
    home = tree_of(out / "index.html")
    card = words(home.xpath("//article[contains(@class,'sl-card')]")[0])
    assert "Affects: Public API (Major outage)" in card
    assert "Next update expected by 11:40 UTC" in card
