"""Page frames: pages filled into a frame must be exactly what MkDocs renders for them.

`statusledger build` has MkDocs render one placeholder page per folder and fills the folder's
other pages into it (site/frames.py). The reference is a plain `mkdocs build` of the same
repository, which renders every page through the theme: the two sites must be byte-identical,
for ordinary titles, titles HTML escaping changes, non-ASCII titles and long ones, and also
when the frame fails its proof and the plugin falls back to MkDocs' own rendering.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

from statusledger import outdir
from statusledger.site import frames
from statusledger.site.build import _environment
from statusledger.site.pages import GeneratedPage
from tests.helpers import run_cli
from tests.site.records import HOSTILE, OPEN_MAJOR, PUBLISHED_POSTMORTEM, incident, q
from tests.site.support import NOW, build, site_repo

TITLES = [
    "Checkout errors",
    "Login fails for SSO users: Okta's metadata rotated",
    "Payments <slow> & failing",
    'The "eu-west" region degraded',
    "Zahlungen verzögert — Dienst eingeschränkt",
    "A very long title " + "that keeps going " * 12,
    "Short",
]


def organisation(root: Path) -> Path:
    files = {
        f"incidents/2026/2026-11-{day:02d}-incident-{day}.yaml": incident(q(title), day)
        for day, title in enumerate(TITLES, start=1)
    }
    files["incidents/2026/down.yaml"] = OPEN_MAJOR
    files["incidents/2026/hostile.yaml"] = HOSTILE
    files["postmortems/hostile.md"] = PUBLISHED_POSTMORTEM
    return site_repo(root, files)


def plain_build(root: Path, out: Path) -> Path:
    """`mkdocs build` as a user of plain MkDocs runs it: every page through the theme."""
    with _environment(datetime.fromisoformat(NOW)):
        mkdocs_build(load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(out)))
    return out


def tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


@pytest.fixture
def fills(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The pages filled into a frame during the test (the probes' proofs included)."""
    filled: list[str] = []
    original = frames.Frame.fill

    def fill(self: frames.Frame, page: GeneratedPage) -> str:
        filled.append(page.src_uri)
        return original(self, page)

    monkeypatch.setattr(frames.Frame, "fill", fill)
    return filled


def assert_same_sites(framed: Path, plain: Path) -> None:
    ours, theirs = tree(framed), tree(plain)
    assert ours.pop(outdir.MARKER)  # statusledger build marks its output; MkDocs does not
    assert sorted(ours) == sorted(theirs)
    assert [path for path in theirs if ours[path] != theirs[path]] == []


def test_framed_pages_are_byte_identical_to_plain_mkdocs(
    tmp_path: Path, cache_dir: Path, fills: list[str]
) -> None:
    root = organisation(tmp_path / "org")
    framed = build(root, tmp_path / "framed")
    filled = set(fills)
    # Ordinary and non-ASCII titles are filled; titles escaping would change are not.
    assert "incidents/2026-11-01-incident-1.md" in filled
    assert "incidents/2026-11-05-incident-5.md" in filled
    assert "incidents/2026-11-03-incident-3.md" not in filled
    assert "incidents/2026-11-04-incident-4.md" not in filled
    os.environ["STATUSLEDGER_CACHE_DIR"] = "off"
    assert_same_sites(framed, plain_build(root, tmp_path / "plain"))


def test_the_frame_page_itself_is_never_published(tmp_path: Path, cache_dir: Path) -> None:
    root = organisation(tmp_path / "org")
    site = build(root, tmp_path / "site")
    for path, data in tree(site).items():
        assert b"statusledger-frame" not in data, path
        assert b"StatusledgerFrame" not in data, path
        assert "statusledger-frame" not in path


def test_a_frame_that_fails_its_proof_is_not_used(
    tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A frame whose probe comes out different: MkDocs renders the folder's pages instead."""
    original = frames.Frame.fill
    used: list[str] = []

    def wrong(self: frames.Frame, page: GeneratedPage) -> str:
        used.append(page.src_uri)
        return original(self, page).replace("</title>", " </title>", 1)

    monkeypatch.setattr(frames.Frame, "fill", wrong)
    root = organisation(tmp_path / "org")
    framed = tmp_path / "framed"
    result = run_cli("--root", str(root), "build", "--out", str(framed), "--now", NOW)
    # The failed attempts leave nothing to see: no error, no warning, the site as MkDocs makes it.
    assert (result.code, result.err) == (0, ""), result.err
    # Only the proof ran (incidents/ has a frame; the one postmortem gets none): no page was
    # written from a frame.
    assert len(used) == 1
    os.environ["STATUSLEDGER_CACHE_DIR"] = "off"
    assert_same_sites(framed, plain_build(root, tmp_path / "plain"))


def test_a_rebuild_reuses_framed_pages_from_the_store(
    tmp_path: Path, cache_dir: Path, fills: list[str]
) -> None:
    root = organisation(tmp_path / "org")
    first = tree(build(root, tmp_path / "first"))
    assert fills, "the first build fills pages into frames"
    fills.clear()
    second = tree(build(root, tmp_path / "second"))
    assert fills == []  # every unchanged page came from the page store
    assert first == second


def test_only_safe_pages_are_offered_to_a_frame() -> None:
    page = GeneratedPage("incidents/2026-11-01-a.md", "Checkout errors", '<div class="sl"><h1>')
    assert frames.frameable(page)
    for unsafe in (
        GeneratedPage("incidents/2026-11-01-a.md", "Tom's outage", page.content),
        GeneratedPage("incidents/2026-11-01-a.md", "A & B", page.content),
        GeneratedPage("incidents/2026-11-01-a.md", page.title, "<p>no heading</p>"),
        GeneratedPage("incidents/caf\u00e9.md", page.title, page.content),
        GeneratedPage("history/2026-11.md", page.title, page.content),
        GeneratedPage("index.md", page.title, page.content),
    ):
        assert not frames.frameable(unsafe), unsafe


def test_with_another_plugin_every_page_is_rendered(
    tmp_path: Path, cache_dir: Path, fills: list[str]
) -> None:
    """A search index (or any plugin that collects pages) must see every page, every build."""
    root = organisation(tmp_path / "org")
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "  - statusledger\n" in text
    config.write_text(text.replace("  - statusledger\n", "  - statusledger\n  - search\n"))
    for name in ("first", "second"):
        index = (build(root, tmp_path / name) / "search" / "search_index.json").read_text()
        for day, title in enumerate(TITLES, start=1):
            assert f"incidents/2026-11-{day:02d}-incident-{day}/" in index, (name, title)
    assert fills == []
