"""Incremental builds: pages taken from the page store must be exactly what a full build writes.

`statusledger build` skips rendering pages whose fingerprint it rendered before (site/reuse.py).
A reader must never be able to tell: the site after an edit and a reuse-heavy rebuild has to be
byte-identical to a full build of the same records with no caches at all.
"""

from __future__ import annotations

import os
from pathlib import Path

from statusledger.cache import cache_path
from tests.site.records import HOSTILE, OPEN_MAJOR, PUBLISHED_POSTMORTEM
from tests.site.support import build, site_repo

RESOLVED = OPEN_MAJOR.replace("title: ", "title: Earlier ", 1)


def tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def organisation(root: Path) -> Path:
    return site_repo(
        root,
        {
            "incidents/2026/down.yaml": OPEN_MAJOR,
            "incidents/2026/before.yaml": RESOLVED,
            "incidents/2026/hostile.yaml": HOSTILE,
            "postmortems/hostile.md": PUBLISHED_POSTMORTEM,
        },
    )


def test_rebuild_after_an_edit_is_byte_identical_to_a_full_build(
    tmp_path: Path, cache_dir: Path
) -> None:
    root = organisation(tmp_path / "org")
    build(root, tmp_path / "first")
    store = cache_path(root, "pages")
    assert store is not None and any(store.glob("*.html")), "the first build fills the store"
    record = root / "incidents/2026/before.yaml"
    record.write_text(
        record.read_text(encoding="utf-8").replace("Earlier ", "Renamed earlier ", 1),
        encoding="utf-8",
    )
    incremental = tree(build(root, tmp_path / "incremental"))
    os.environ["STATUSLEDGER_CACHE_DIR"] = "off"
    full = tree(build(root, tmp_path / "full"))
    assert sorted(incremental) == sorted(full)
    different = [path for path in full if incremental[path] != full[path]]
    assert different == []
    assert b"Renamed earlier" in full["incidents/before/index.html"]


def test_unchanged_pages_come_from_the_store_and_changed_ones_are_rendered(
    tmp_path: Path, cache_dir: Path
) -> None:
    root = organisation(tmp_path / "org")
    first = build(root, tmp_path / "first")
    store = cache_path(root, "pages")
    assert store is not None
    # Mark every stored page: a rebuild that reuses a page copies the mark into the site.
    for stored in store.glob("*.html"):
        stored.write_text(stored.read_text(encoding="utf-8") + "<!-- from-store -->", "utf-8")
    record = root / "incidents/2026/before.yaml"
    record.write_text(
        record.read_text(encoding="utf-8").replace("Earlier ", "Renamed earlier ", 1),
        encoding="utf-8",
    )
    second = build(root, tmp_path / "second")
    unchanged = (second / "incidents/down/index.html").read_text(encoding="utf-8")
    changed = (second / "incidents/before/index.html").read_text(encoding="utf-8")
    assert unchanged.endswith("<!-- from-store -->"), "an unchanged page was rendered again"
    assert "<!-- from-store -->" not in changed, "the edited record's page was not re-rendered"
    assert "Renamed earlier" in changed
    # Pages in the nav (home, history, ...) are always rendered: they list every record.
    assert "<!-- from-store -->" not in (second / "index.html").read_text(encoding="utf-8")
    assert (first / "incidents/before/index.html").is_file()


def test_long_postmortem_bodies_are_rendered_once_and_remembered(
    tmp_path: Path, cache_dir: Path
) -> None:
    from statusledger import markup

    long_body = "\n\nWhat we learnt, at length. " + "The canary caught nothing. " * 80
    root = organisation(tmp_path / "org")
    postmortem = root / "postmortems/hostile.md"
    postmortem.write_text(postmortem.read_text(encoding="utf-8") + long_body, encoding="utf-8")
    build(root, tmp_path / "first")
    memo = cache_path(root, "markdown")
    assert memo is not None
    stored = [p for p in memo.iterdir() if not p.name.startswith(".")]
    assert len(stored) == 1, "only the long body is worth remembering"
    # Mark the remembered HTML: a build that uses the memo shows the mark.
    stored[0].write_bytes(stored[0].read_bytes().replace(b"<p>What we learnt", b"<p>MEMO What"))
    markup.render_markdown.cache_clear()
    second = build(root, tmp_path / "second")
    page = (second / "postmortems/hostile/index.html").read_text(encoding="utf-8")
    assert "MEMO What" in page
    # Changing the body misses the memo and renders afresh.
    postmortem.write_text(
        postmortem.read_text(encoding="utf-8").replace("at length", "in short"), encoding="utf-8"
    )
    third = build(root, tmp_path / "third")
    page = (third / "postmortems/hostile/index.html").read_text(encoding="utf-8")
    assert "MEMO" not in page and "What we learnt, in short." in page
