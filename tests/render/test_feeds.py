from __future__ import annotations

import shutil
import subprocess
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import feedparser
import pytest
from lxml import etree

from statusledger.render import feed_links, render_all
from statusledger.render import feeds as feeds_module
from statusledger.render.feeds import archive_keys
from statusledger.views import View
from tests.helpers import MINIMAL_SERVICES, SHARED
from tests.render.scenario import ACTIVE_MAINTENANCE, NOW, scenario, view_of

ATOM_RNC = SHARED / "schemas" / "atom-rfc4287.rnc"


def feeds(files: dict[str, bytes]) -> dict[str, bytes]:
    return {p: b for p, b in files.items() if p.endswith((".rss", ".atom"))}


def test_every_feed_parses_cleanly(files: dict[str, bytes]) -> None:
    paths = set(feeds(files))
    assert {
        "history.rss",
        "history.atom",
        "postmortems/feed.rss",
        "postmortems/feed.atom",
        "components/web/history.rss",
        "components/web/history.atom",
    } <= paths
    for path, content in feeds(files).items():
        parsed = feedparser.parse(content)
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        assert parsed.version in ("rss20", "atom10"), path


@pytest.fixture(scope="module")
def atom_schema(tmp_path_factory: pytest.TempPathFactory) -> etree.RelaxNG:
    if not ATOM_RNC.is_file():
        pytest.skip(f"the RFC 4287 schema {ATOM_RNC} is absent")
    rng = ATOM_RNC.with_suffix(".rng")
    if not rng.is_file():
        trang = shutil.which("trang")
        if trang is None:
            pytest.skip("only the .rnc schema is present and trang is not installed")
        rng = tmp_path_factory.mktemp("schema") / "atom.rng"
        subprocess.run([trang, str(ATOM_RNC), str(rng)], check=True, capture_output=True)
    return etree.RelaxNG(etree.parse(str(rng)))


def test_atom_feeds_validate_against_rfc_4287(
    files: dict[str, bytes], atom_schema: etree.RelaxNG
) -> None:
    for path, content in feeds(files).items():
        if path.endswith(".atom"):
            document = etree.fromstring(content)
            assert atom_schema.validate(document), (path, atom_schema.error_log)


def test_history_has_one_entry_per_public_update_newest_first(files: dict[str, bytes]) -> None:
    parsed = feedparser.parse(files["history.atom"])
    times = [e.updated_parsed for e in parsed.entries]
    assert times == sorted(times, reverse=True)
    # 2 (resolved) + 2 (open) + 6 (xss) incident updates, 2 + 1 + 2 maintenance updates.
    assert len(parsed.entries) == 15
    first = parsed.entries[0]
    assert first.title == "Database writes failing — Identified"
    assert first.link == "https://status.example.com/incidents/2026-11-23-db-writes/"
    assert first.id == "tag:status.example.com,2026-11-23:2026-11-23-db-writes/1"
    assert first.author == "Acme Cloud"
    assert {t.term for t in first.tags} == {"outage", "database"}
    assert "<p>A full disk on one primary." in first.content[0].value
    rss = feedparser.parse(files["history.rss"])
    assert [e.id for e in rss.entries] == [e.id for e in parsed.entries]
    assert rss.entries[0].guidislink is False


def test_feed_dates_come_from_the_records_not_the_clock(files: dict[str, bytes]) -> None:
    parsed = feedparser.parse(files["history.atom"])
    assert parsed.feed.updated == parsed.entries[0].updated == "2026-11-23T11:00:00+00:00"
    web = feedparser.parse(files["components/web/history.atom"])
    assert [e.title for e in web.entries][:2] == [
        "Web app deploy window — In progress",
        "Web app deploy window — Scheduled",
    ]
    assert all(b"2026-11-23T12:00" not in c for c in feeds(files).values())


def test_an_empty_feed_falls_back_to_now(tmp_path: Path) -> None:
    view = view_of(scenario(tmp_path))
    content = render_all(view)["components/api/history.atom"]
    assert feedparser.parse(content).entries  # the resolved api incident and the gateway window
    from tests.helpers import make_repo

    empty = view_of(make_repo(tmp_path / "empty"))
    parsed = feedparser.parse(render_all(empty)["history.atom"])
    assert parsed.entries == [] and not parsed.bozo
    assert parsed.feed.updated == NOW.isoformat()


def test_postmortem_feed_lists_published_postmortems_only(files: dict[str, bytes]) -> None:
    parsed = feedparser.parse(files["postmortems/feed.atom"])
    assert [e.title for e in parsed.entries] == ["API errors after a configuration push"]
    assert parsed.entries[0].link == "https://status.example.com/postmortems/2026-11-20-api-errors/"
    assert parsed.entries[0].summary == "A malformed rule rejected some API requests."


def ids(files: dict[str, bytes], path: str) -> list[str]:
    return [e.id for e in feedparser.parse(files[path]).entries]


def test_ids_never_change_between_builds_or_when_an_update_is_appended(
    tmp_path: Path, files: dict[str, bytes]
) -> None:
    again = render_all(view_of(scenario(tmp_path / "again")))
    assert again == files
    appended = ACTIVE_MAINTENANCE + (
        "  - at: 2026-11-23T11:30:00Z\n    status: verifying\n    message: Checking.\n"
    )
    later = render_all(
        view_of(
            scenario(tmp_path / "later", {"incidents/2026/2026-11-23-web-deploy.yaml": appended}),
            NOW,
        )
    )
    for path in ("history.atom", "history.rss", "components/web/history.atom"):
        before, after = ids(files, path), ids(later, path)
        assert set(before) < set(after)
        assert after[0] == "tag:status.example.com,2026-11-20:2026-11-23-web-deploy/2"
        assert after[1:] == before


def test_feed_links_name_the_feeds_for_autodiscovery(view: View) -> None:
    assert feed_links(view) == [
        (
            "application/rss+xml",
            "Acme Cloud status (RSS)",
            "https://status.example.com/history.rss",
        ),
        (
            "application/atom+xml",
            "Acme Cloud status (Atom)",
            "https://status.example.com/history.atom",
        ),
    ]
    assert feed_links(view, "web")[1] == (
        "application/atom+xml",
        "Acme Cloud status: Web app (Atom)",
        "https://status.example.com/components/web/history.atom",
    )


# --- Archived feeds (RFC 5005 §4) -------------------------------------------------------------
#
# The scenario's updates are all in November 2026, the current month. `archived_org` adds
# two-update incidents on `web` in earlier months, leaving August empty, so that the newest 50
# updates reach back into October and there are archives to chain.

FH = "{http://purl.org/syndication/history/1.0}"
ATOM = "{http://www.w3.org/2005/Atom}"
BASE = "https://status.example.com/"
OLD_DAYS = {"2026-10": range(1, 21), "2026-09": range(1, 6), "2026-07": range(1, 4)}
EDITED = "incidents/2026/2026-09-03-slow.yaml"


def slow_incident(day: str, message: str = "Dashboards load slowly.", hour: int = 10) -> str:
    start, end = f"{day}T{hour:02d}:00:00Z", f"{day}T{hour:02d}:30:00Z"
    return f"""\
title: Slow dashboards on {day}
kind: incident
severity: sev4
category: degradation
impact:
  - component: web
    level: degraded_performance
    from: {start}
    to: {end}
timeline:
  resolved: {end}
updates:
  - at: {start}
    status: investigating
    message: {message}
  - at: {end}
    status: resolved
    message: Dashboards are fast again.
"""


def old_records() -> dict[str, str]:
    days = [f"{month}-{day:02d}" for month, days in OLD_DAYS.items() for day in days]
    return {f"incidents/2026/{day}-slow.yaml": slow_incident(day) for day in days}


def archived_org(root: Path, extra: dict[str, str] | None = None) -> View:
    return view_of(scenario(root, {**old_records(), **(extra or {})}))


@pytest.fixture(scope="module")
def archived_view(tmp_path_factory: pytest.TempPathFactory) -> View:
    return archived_org(tmp_path_factory.mktemp("archived"))


@pytest.fixture(scope="module")
def archived(archived_view: View) -> dict[str, bytes]:
    return render_all(archived_view)


def updates(view: View, component: str | None = None) -> dict[str, datetime]:
    """{entry id: time} of every public update, from the view and the documented id scheme."""
    found = {}
    for record in [*view.incidents, *view.maintenances]:
        if component is None or component in record.component_ids:
            first = record.updates[0].at.date().isoformat()
            for index, update in enumerate(record.updates):
                found[f"tag:status.example.com,{first}:{record.id}/{index}"] = update.at
    return found


def month(at: datetime, zone: str = "UTC") -> str:
    return at.astimezone(ZoneInfo(zone)).strftime("%Y-%m")


def archives_of(files: dict[str, bytes], stem: str) -> dict[str, bytes]:
    prefix = f"{stem}/archive/"
    return {p: b for p, b in files.items() if p.startswith(prefix) and "/" not in p[len(prefix) :]}


def links(content: bytes) -> dict[str, str]:
    """{rel: href} of the feed-level atom:links (Atom head or RSS channel)."""
    root = etree.fromstring(content)
    head = root if root.tag == f"{ATOM}feed" else root.find("channel")
    assert head is not None
    return {link.get("rel"): link.get("href") for link in head.findall(f"{ATOM}link")}


STEMS = ("history", "components/web/history", "components/api/history")


def test_the_fixture_has_archives_and_more_than_fifty_updates(archived_view: View) -> None:
    everything = updates(archived_view)
    assert len(everything) == 15 + 2 * 28
    assert {month(at) for at in everything.values()} == {"2026-07", "2026-09", "2026-10", "2026-11"}


def test_subscription_holds_the_current_month_and_at_least_the_newest_fifty(
    archived_view: View, archived: dict[str, bytes]
) -> None:
    newest = sorted(updates(archived_view).items(), key=lambda kv: (kv[1], kv[0]), reverse=True)
    atom = ids(archived, "history.atom")
    assert atom == [entry_id for entry_id, _ in newest[:50]]
    assert {i for i, at in newest if month(at) == "2026-11"} < set(atom)
    assert ids(archived, "history.rss") == atom
    # web has 28 old incidents and 4 November updates: again the newest 50, not just November.
    web = sorted(updates(archived_view, "web").items(), key=lambda kv: (kv[1], kv[0]), reverse=True)
    assert ids(archived, "components/web/history.atom") == [i for i, _ in web[:50]]


def test_a_busy_month_is_in_the_subscription_whole(tmp_path: Path) -> None:
    busy = {
        f"incidents/2026/2026-11-{day:02d}-slow.yaml": slow_incident(f"2026-11-{day:02d}")
        for day in range(1, 23)
    }
    view = archived_org(tmp_path, busy)
    files = render_all(view)
    november = {i for i, at in updates(view).items() if month(at) == "2026-11"}
    assert len(november) == 15 + 44
    assert set(ids(files, "history.atom")) == november
    assert "history/archive/2026-11.atom" not in files


def test_every_update_is_in_the_subscription_or_an_archive(
    archived_view: View, archived: dict[str, bytes]
) -> None:
    for stem, component in zip(STEMS, (None, "web", "api"), strict=True):
        expected = updates(archived_view, component)
        seen = set(ids(archived, f"{stem}.atom"))
        archives = archives_of(archived, stem)
        for path in archives:
            in_archive = ids(archived, path)
            # Each archive holds its month whole, newest first, and nothing else.
            name = path.rsplit("/", 1)[1].removesuffix(".atom")
            assert set(in_archive) == {i for i, at in expected.items() if month(at) == name}
            assert in_archive == sorted(in_archive, key=lambda i: expected[i], reverse=True)
            seen |= set(in_archive)
        assert seen == set(expected), stem
    assert sorted(archives_of(archived, "history")) == [
        "history/archive/2026-07.atom",
        "history/archive/2026-09.atom",
        "history/archive/2026-10.atom",
    ]
    assert archives_of(archived, "components/api/history") == {}
    assert archives_of(archived, "components/database/history") == {}
    assert not [p for p in archived if "archive" in p and not p.endswith(".atom")]


def test_archives_form_a_chain_with_no_dangling_link(archived: dict[str, bytes]) -> None:
    def local(href: str) -> str:
        assert href.startswith(BASE), href
        path = href.removeprefix(BASE)
        assert path in archived, href
        return path

    for stem in STEMS:
        archives = sorted(archives_of(archived, stem))  # oldest first
        subscription = links(archived[f"{stem}.atom"])
        assert links(archived[f"{stem}.rss"]).get("prev-archive") == subscription.get(
            "prev-archive"
        )
        assert etree.fromstring(archived[f"{stem}.atom"]).find(f"{FH}archive") is None
        if not archives:
            assert "prev-archive" not in subscription
            continue
        assert local(subscription["prev-archive"]) == archives[-1]
        for index, path in enumerate(archives):
            root = etree.fromstring(archived[path])
            assert [e.tag for e in root if e.tag == f"{FH}archive"] == [f"{FH}archive"]
            found = links(archived[path])
            assert local(found["self"]) == path
            assert local(found["current"]) == f"{stem}.atom"
            assert local(found.get("prev-archive", BASE + path)) == archives[max(index - 1, 0)]
            assert (
                local(found.get("next-archive", BASE + path))
                == archives[min(index + 1, len(archives) - 1)]
            )
            assert ("prev-archive" in found) == (index > 0)
            assert ("next-archive" in found) == (index < len(archives) - 1)
        # Following prev-archive from the subscription visits every archive once.
        walked, href = [], subscription.get("prev-archive")
        while href is not None:
            walked.append(local(href))
            href = links(archived[walked[-1]]).get("prev-archive")
        assert walked == archives[::-1]


def test_the_chain_skips_empty_months(archived: dict[str, bytes]) -> None:
    september = links(archived["history/archive/2026-09.atom"])
    assert september["prev-archive"] == BASE + "history/archive/2026-07.atom"
    assert links(archived["history/archive/2026-07.atom"])["next-archive"] == september["self"]
    assert links(archived["history.atom"])["prev-archive"] == BASE + "history/archive/2026-10.atom"


def test_archives_parse_cleanly_and_validate_against_rfc_4287(
    archived: dict[str, bytes], atom_schema: etree.RelaxNG
) -> None:
    checked = 0
    for path, content in feeds(archived).items():
        parsed = feedparser.parse(content)
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        if path.endswith(".atom"):
            assert atom_schema.validate(etree.fromstring(content)), (path, atom_schema.error_log)
            checked += "/archive/" in path
    assert checked == 3 + 3  # history and web: July, September, October


def test_archive_dates_come_from_their_entries(archived: dict[str, bytes]) -> None:
    parsed = feedparser.parse(archived["history/archive/2026-09.atom"])
    assert parsed.feed.updated == parsed.entries[0].updated == "2026-09-05T10:30:00+00:00"
    assert parsed.feed.id == BASE + "history.atom"
    assert parsed.entries[-1].updated == "2026-09-01T10:00:00+00:00"


def test_months_are_cut_in_the_page_time_zone(tmp_path: Path) -> None:
    # 23:00 and 23:30 UTC on 31 October are 00:00 and 00:30 on 1 November in Berlin (CET).
    late = {"incidents/2026/2026-10-31-late.yaml": slow_incident("2026-10-31", hour=23)}
    berlin = MINIMAL_SERVICES.replace("timezone: UTC", "timezone: Europe/Berlin")
    for services, in_october in [(MINIMAL_SERVICES, True), (berlin, False)]:
        view = archived_org(tmp_path / str(in_october), {**late, "services.yaml": services})
        october = ids(render_all(view), "history/archive/2026-10.atom")
        assert len([i for i in october if "2026-10-31-late" in i]) == 2 * in_october
        assert len(october) == 40 + 2 * in_october


def test_two_renders_are_byte_identical(tmp_path: Path, archived: dict[str, bytes]) -> None:
    assert render_all(archived_org(tmp_path)) == archived
    assert render_all(archived_org(tmp_path / "memo"), {}) == archived


def count_archive_renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    rendered: list[str] = []
    original = feeds_module._atom

    def counting(doc: feeds_module.Document, built: object) -> bytes:
        rendered.append(doc.path)
        return original(doc, built)  # type: ignore[arg-type]

    monkeypatch.setattr(feeds_module, "_atom", counting)
    return rendered


def test_a_memo_skips_unchanged_archives(
    archived_view: View, archived: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    rendered = count_archive_renders(monkeypatch)
    memo: dict[str, bytes] = {}
    assert render_all(archived_view, memo) == archived
    paths = sorted(p for p in archived if "/archive/" in p)
    assert sorted(rendered) == paths
    assert sorted(memo.values()) == sorted(
        archived[p] for p in archived if p.endswith((".atom", ".rss"))
    )
    rendered.clear()
    subscriptions: list[str] = []
    stem_feed = feeds_module._stem_feed

    def counting(view: View, doc: feeds_module.Document, built: object) -> dict[str, bytes]:
        subscriptions.append(doc.path)
        return stem_feed(view, doc, built)  # type: ignore[arg-type]

    monkeypatch.setattr(feeds_module, "_stem_feed", counting)
    assert render_all(archived_view, memo) == archived
    assert rendered == [] and subscriptions == []
    # The memo is trusted by key: seeded bytes under an archive's key come back as that archive.
    keys = archive_keys(archived_view)
    assert set(keys) == set(paths) and set(keys.values()) < set(memo)
    memo[keys["history/archive/2026-09.atom"]] = b"SENTINEL"
    again = render_all(archived_view, memo)
    assert again["history/archive/2026-09.atom"] == b"SENTINEL"
    assert {p for p in again if again[p] != archived[p]} == {"history/archive/2026-09.atom"}


def test_editing_an_old_update_changes_only_its_months_archives(
    tmp_path: Path, archived_view: View, archived: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    edited = archived_org(
        tmp_path, {EDITED: slow_incident("2026-09-03", "Dashboards and reports load slowly.")}
    )
    before, after = archive_keys(archived_view), archive_keys(edited)
    assert set(before) == set(after)
    changed = {p for p in before if before[p] != after[p]}
    assert changed == {
        "history/archive/2026-09.atom",
        "components/web/history/archive/2026-09.atom",
    }
    memo: dict[str, bytes] = {}
    render_all(archived_view, memo)
    rendered = count_archive_renders(monkeypatch)
    files = render_all(edited, memo)
    assert sorted(rendered) == sorted(changed)
    assert b"Dashboards and reports load slowly." in files["history/archive/2026-09.atom"]
    assert {p for p, content in feeds(files).items() if content != archived[p]} == changed


def test_each_feed_links_to_the_html_page_it_is_about(files: dict[str, bytes]) -> None:
    """The RSS channel <link> and the Atom alternate: the page a reader opens, not the feed."""
    pages = {
        "history": "https://status.example.com/",
        "components/web/history": "https://status.example.com/components/web/",
        "postmortems/feed": "https://status.example.com/postmortems/",
    }
    for stem, page in pages.items():
        rss = etree.fromstring(files[f"{stem}.rss"])
        assert rss.findtext("channel/link") == page, stem
        assert "<" not in (rss.findtext("channel/description") or ""), stem
        atom = etree.fromstring(files[f"{stem}.atom"])
        alternate = [
            link.get("href")
            for link in atom.findall(f"{ATOM}link")
            if link.get("rel") == "alternate"
        ]
        assert alternate == [page], stem
