from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import feedparser
import pytest
from lxml import etree

from statusledger.render import feed_links, render_all
from statusledger.views import View
from tests.helpers import SHARED
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
        pytest.skip("the RFC 4287 schema in /work/shared is absent")
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
