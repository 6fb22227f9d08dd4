"""Review of page frames: `statusledger build` must write exactly what plain `mkdocs build` writes.

Every test builds one small repository twice, with `statusledger build` (frames on, an empty
page store of its own) and with a plain `mkdocs build` (every page through the theme), and
compares the two trees byte for byte. Each also checks that frames were really used: at least
one page besides the probe was filled into a frame.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from statusledger.site import frames
from tests.helpers import MINIMAL_SERVICES, run_cli
from tests.site.records import DRAFT_POSTMORTEM, INTERNAL, incident, q
from tests.site.support import build, site_repo
from tests.site.test_frames import assert_same_sites, fills, plain_build, tree

__all__ = ["fills"]  # the fixture recording Frame.fill calls, used by every test here

Files = dict[str, str]


def maintenance(title: str, day: int, done: bool = True) -> str:
    """A maintenance window on 2026-11-<day>: completed, or only scheduled."""
    text = f"""\
title: {title}
kind: maintenance
visibility: public
window:
  start: 2026-11-{day:02d}T01:00:00Z
  end: 2026-11-{day:02d}T03:00:00Z
components: [database, api]
updates:
  - at: 2026-11-{day - 1:02d}T10:00:00Z
    status: scheduled
    message: We will upgrade the database.
"""
    if done:
        text += f"""\
  - at: 2026-11-{day:02d}T01:00:00Z
    status: in_progress
    message: Started.
  - at: 2026-11-{day:02d}T03:00:00Z
    status: completed
    message: Done.
"""
    return text


def postmortem(title: str, incident_id: str) -> str:
    """A published postmortem of one incident."""
    return f"""\
---
title: {title}
incidents: [{incident_id}]
status: published
date: 2026-11-22
authors: [Ops]
summary: Something broke for an hour.
root_causes: [deploy]
detection: alert
---
## Summary

A release broke it.
"""


def incidents(*titles: str) -> Files:
    """One resolved incident per title, on consecutive days of November 2026."""
    return {
        f"incidents/2026/2026-11-{day:02d}-incident-{day}.yaml": incident(q(title), day)
        for day, title in enumerate(titles, start=1)
    }


ORDINARY = incidents("Checkout errors", "Login fails for SSO users", "Slow dashboards")
FIRST = "incidents/2026-11-01-incident-1.md"
SECOND = "incidents/2026-11-02-incident-2.md"


def edit_file(path: Path, edit: Callable[[str], str]) -> None:
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")


def _replace(old: str, new: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, 1)

    return edit


def assert_framed(fills: list[str], expected: list[str]) -> None:
    """Frames were used: pages besides the probes were filled (`expected` among them)."""
    filled = set(fills)
    assert len(filled) >= 2, fills
    for src_uri in expected:
        assert src_uri in filled, (src_uri, sorted(filled))


def assert_no_frame_leaks(site: dict[str, bytes]) -> None:
    for path, data in site.items():
        assert b"statusledger-frame" not in data, path
        assert b"StatusledgerFrame" not in data, path
        assert "statusledger-frame" not in path


def compare(
    tmp_path: Path,
    files: Files,
    fills: list[str],
    expected: list[str],
    *,
    config: Callable[[str], str] | None = None,
    docs: Files | None = None,
    frames_used: bool = True,
) -> dict[str, bytes]:
    """Build one repository both ways and compare; returns the `statusledger build` tree.

    Checks first that frames were used (and filled the `expected` pages) or, with
    `frames_used=False`, that none filled a page, then that both sites are byte-identical.
    `config` edits mkdocs.yml; `docs` are extra files in site/docs.
    """
    root = site_repo(tmp_path / "org", files)
    for rel, text in (docs or {}).items():
        (root / "site" / "docs" / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / "site" / "docs" / rel).write_text(text, encoding="utf-8")
    if config is not None:
        edit_file(root / "mkdocs.yml", config)
    framed = build(root, tmp_path / "framed")
    if frames_used:
        assert_framed(fills, expected)
    else:  # at most a probe was filled, to prove a frame that then failed
        assert len(set(fills)) <= len(frames.FOLDERS), fills
    os.environ["STATUSLEDGER_CACHE_DIR"] = "off"  # restored by the cache_dir fixture
    assert_same_sites(framed, plain_build(root, tmp_path / "plain"))
    return tree(framed)


# --- mkdocs.yml and services.yaml variations ---------------------------------------------------

CONFIGS: dict[str, Callable[[str], str]] = {
    "no-directory-urls": _replace("use_directory_urls: true", "use_directory_urls: false"),
    "theme-features": _replace(
        "features: [navigation.tabs]",
        "features: [navigation.tabs, navigation.tabs.sticky, navigation.top, navigation.footer,"
        " navigation.path, navigation.indexes, toc.integrate, header.autohide,"
        " content.action.edit, content.action.view, content.tooltips, navigation.instant]",
    ),
    # site_url and theme.language in mkdocs.yml are overridden from services.yaml
    "repo-copyright-extra": lambda text: (
        text.replace(
            "site_name: Status\n",
            "site_name: Status\nsite_url: https://x.example/a/b/\nsite_author: Ops team\n"
            "copyright: Copyright &copy; 2026 Acme\nrepo_url: https://github.com/example/status\n"
            "repo_name: example/status\nedit_uri: edit/main/site/docs/\n",
        ).replace("language: en", "language: ja")
        + "extra_css:\n  - https://cdn.example.com/x.css\n"
        + "extra_javascript:\n  - assets/extra.js\n"
        + "extra:\n  generator: false\n  homepage: https://www.example.com/\n"
        + "  version: {provider: mike}\n  consent: {title: Cookies}\n"
        + "  social:\n    - {icon: fontawesome/brands/github, link: https://github.com/example}\n"
        + "  alternate:\n    - {name: English, link: /en/, lang: en}\n"
    ),
}


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_mkdocs_yml_variations(
    tmp_path: Path, cache_dir: Path, fills: list[str], name: str
) -> None:
    docs = {"assets/extra.js": "console.log(1);\n"}
    framed = compare(tmp_path, ORDINARY, fills, [FIRST], config=CONFIGS[name], docs=docs)
    assert_no_frame_leaks(framed)


SERVICES: dict[str, Callable[[str], str]] = {
    "de-berlin": lambda text: text.replace("timezone: UTC", "timezone: Europe/Berlin").replace(
        "language: en", "language: de"
    ),
    "ro-kolkata-sub-path": lambda text: (
        text.replace("timezone: UTC", "timezone: Asia/Kolkata")
        .replace("language: en", "language: ro")
        .replace("name: Acme Cloud", "name: Starea serviciilor Acme")
        .replace("url: https://status.example.com", "url: https://www.example.com/status/page")
    ),
}


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_services_yaml_variations(
    tmp_path: Path, cache_dir: Path, fills: list[str], name: str
) -> None:
    files = {**ORDINARY, "services.yaml": SERVICES[name](MINIMAL_SERVICES)}
    framed = compare(tmp_path, files, fills, [FIRST])
    assert_no_frame_leaks(framed)


FEEDBACK = """\
extra:
  analytics:
    feedback:
      title: Was this page helpful?
      ratings:
        - icon: material/emoticon-happy-outline
          name: This page was helpful
          data: 1
          note: Thanks for your feedback!
        - icon: material/emoticon-sad-outline
          name: This page could be improved
          data: 0
          note: >-
            Thanks! Tell us more in our <a href="https://github.com/example/status/issues/new/?title=[Feedback]+{title}+-+{url}">feedback form</a>.
"""  # noqa: E501 (the note of Material's documented feedback example)


def test_feedback_widget_with_title_in_its_note(
    tmp_path: Path, cache_dir: Path, fills: list[str]
) -> None:
    # Found by this test: Material renders `page.meta.title | urlencode` in the feedback note,
    # and the framed pages had the raw title there. The frame's title placeholder now has
    # spaces, so urlencode changes it: the frame fails its proof and MkDocs renders the folder.
    files = incidents("Unavailability", "API down", "DB slow")
    compare(tmp_path, files, fills, [], config=lambda text: text + FEEDBACK, frames_used=False)


TRUNCATED_TITLE = '<div class="md-copyright">{{ page.title | truncate(40) }}</div>\n'
LONG = "A long title that a theme truncating titles at forty characters would cut"


@pytest.mark.parametrize("longest", ["short", "long"])
def test_a_theme_that_truncates_titles(
    tmp_path: Path, cache_dir: Path, fills: list[str], longest: str
) -> None:
    # The probe is the folder's first page, whatever its title; the frame's title placeholder
    # is as long as the folder's longest title, so a truncating filter cuts the placeholder
    # (the frame then fails its proof) exactly when it would cut some page's title.
    titles = ["Checkout errors", "Login fails", "Slow dashboards"]
    if longest == "long":
        titles[1] = LONG
    files = {**incidents(*titles), "overrides/partials/copyright.html": TRUNCATED_TITLE}
    for day, title in ((1, titles[0]), (2, titles[1])):  # both folders fail, or neither
        record = f"2026-11-{day:02d}-incident-{day}"
        files[f"incidents/2026/{record}.yaml"] += f"postmortem: pm-{day}\n"
        files[f"postmortems/pm-{day}.md"] = postmortem(q(title), record)
    custom = _replace("  name: material\n", "  name: material\n  custom_dir: overrides\n")
    site = compare(tmp_path, files, fills, [], config=custom, frames_used=longest == "short")
    assert b"Slow dashboards</div>" in site["incidents/2026-11-03-incident-3/index.html"]
    if longest == "long":
        for page in ("incidents/2026-11-02-incident-2/index.html", "postmortems/pm-2/index.html"):
            assert LONG not in site[page].decode().split('<div class="md-copyright">')[1]


# --- page content edge cases ------------------------------------------------------------------

PUNCTUATION = "".join(c for c in "!#$%()*+,-./:;=?@[\\]^_`{|}~" if c not in "&<>'\"")


def test_unusual_titles_and_ids(tmp_path: Path, cache_dir: Path, fills: list[str]) -> None:
    files = incidents(
        f"Punctuation {PUNCTUATION} end",
        "Acme Cloud",  # exactly the site name
        "Zahlungen verzögert — Dienst eingeschränkt",
        "שגיאות בתשלומים",  # right-to-left
        "خطأ في الدفع",
        "{{ page.title }} {% raw %} $1 \\1 %s {0}",
        "StatusledgerFrameTitle5e2c9a statusledger-frame-5e2c9a",  # the frame's own tokens
        "Two  spaces,\u00a0a no-break space, an\u3000ideographic space and a tab\t ",
        "A very long title " + "that keeps going " * 12,
        "Same title",
    )
    files["incidents/2026/Incident.v2_EU-West.yaml"] = incident(q("Same title"), 12)
    files["incidents/2026/a_b.c.yaml"] = incident(q("Dots and underscores"), 13)
    expected = [f"incidents/2026-11-{day:02d}-incident-{day}.md" for day in range(1, 8)]
    expected += ["incidents/Incident.v2_EU-West.md", "incidents/a_b.c.md"]
    compare(tmp_path, files, fills, expected)
    # Runs of odd whitespace (which striptags or trim would fold) are left to MkDocs.
    assert "incidents/2026-11-08-incident-8.md" not in fills


def test_emoji_titles(tmp_path: Path, cache_dir: Path, fills: list[str]) -> None:
    # Found by this test: the front matter was json.dumps(title), which writes an emoji as a
    # surrogate pair that PyYAML rejects, so MkDocs dropped the page's whole front matter.
    files = incidents("A long and ordinary title for the probe", "Payments down 💳", "Fire 🔥")
    compare(tmp_path, files, fills, [SECOND])


def test_theme_toggle_markup_in_a_message(
    tmp_path: Path, cache_dir: Path, fills: list[str]
) -> None:
    # Found by this test: the toggle fix rewrote the whole page, message included, and a
    # framed page's message was not rewritten. Now only the theme's own toggles are fixed.
    files = dict(ORDINARY)
    files["incidents/2026/2026-11-05-markup.yaml"] = incident(
        q("Markup"), 5, message=q('The page had id="__drawer" autocomplete="off" in it.')
    )
    compare(tmp_path, files, fills, ["incidents/2026-11-05-markup.md"])


@pytest.mark.parametrize("stem", ["index", "README", "INDEX"])
def test_an_incident_named_like_a_folder_index_is_refused(tmp_path: Path, stem: str) -> None:
    # Found by this test: MkDocs files incidents/index.md and README.md as the folder's index
    # (one level up), so the incident never got its page; such ids are now refused (issue 15).
    files = {**ORDINARY, f"incidents/2026/{stem}.yaml": incident(q("Special id"), 5)}
    root = site_repo(tmp_path / "org", files)
    result = run_cli("--root", str(root), "build", "--out", str(tmp_path / "out"))
    assert result.code == 1
    assert f"incidents/2026/{stem}.yaml:1:1" in result.err and "[ref/invalid-id]" in result.err


def test_an_incident_named_like_the_frame(
    tmp_path: Path, cache_dir: Path, fills: list[str]
) -> None:
    # Found by this test: the placeholder took the record's path and the page went missing.
    # A folder where a record has the frame's path now gets no frame.
    stem = frames.frame_page("incidents").src_uri.split("/")[1].removesuffix(".md")
    files = {**ORDINARY, f"incidents/2026/{stem}.yaml": incident(q("Special id"), 5)}
    compare(tmp_path, files, fills, [], frames_used=False)


def test_maintenance_postmortems_internal_records_and_tokens(
    tmp_path: Path, cache_dir: Path, fills: list[str]
) -> None:
    files: Files = {
        "incidents/2026/2026-11-02-db-upgrade.yaml": maintenance(q("Database upgrade"), 2),
        "incidents/2026/2026-11-06-db-upgrade-2.yaml": maintenance(q("Database upgrade"), 6),
        "incidents/2026/2026-11-25-future-window.yaml": maintenance(
            q("Planned work"), 25, done=False
        ),
        "incidents/2026/internal.yaml": INTERNAL,
        "postmortems/internal-draft.md": DRAFT_POSTMORTEM,
    }
    tokens = q(
        "Tokens: StatusledgerFrameContent5e2c9a StatusledgerFrameTitle5e2c9a "
        '<h1 class="statusledger-frame">StatusledgerFrameContent5e2c9a</h1> '
        "</body></html> <!-- --> {{ x }} statusledger-frame-5e2c9a"
    )
    for day, name in enumerate(["alpha", "beta", "gamma"], start=3):
        record = f"2026-11-{day:02d}-{name}"
        files[f"incidents/2026/{record}.yaml"] = incident(
            q(f"Outage {name}"), day, message=tokens, extra=f"postmortem: pm-{name}\n"
        )
        files[f"postmortems/pm-{name}.md"] = postmortem(q(f"Postmortem of {name}"), record)
    expected = [
        "incidents/2026-11-02-db-upgrade.md",
        "incidents/2026-11-06-db-upgrade-2.md",
        "incidents/2026-11-25-future-window.md",
        "incidents/2026-11-03-alpha.md",
        "postmortems/pm-beta.md",
    ]
    framed = compare(tmp_path, files, fills, expected)
    for path, data in framed.items():
        assert b"SENTINEL" not in data, path
        assert "internal" not in path, path


# --- the rebuild path ---------------------------------------------------------------------------

REBUILD_EDITS: dict[str, tuple[str, Callable[[str], str]]] = {
    # one record: only its own page (and lists) change; the rest comes from the page store
    "one-record": (
        "incidents/2026/2026-11-02-incident-2.yaml",
        _replace("Login fails for SSO users", "Login fails for all SSO users"),
    ),
    # a component's name: every incident page changes, so the rebuild fills frames again
    "component-name": ("services.yaml", _replace("name: Public API", "name: Public REST API")),
}


@pytest.mark.parametrize("name", sorted(REBUILD_EDITS))
def test_a_rebuild_after_an_edit(
    tmp_path: Path, cache_dir: Path, fills: list[str], name: str
) -> None:
    files = incidents("Checkout errors", "Login fails for SSO users", "Slow dashboards", "Four")
    root = site_repo(tmp_path / "org", files)
    build(root, tmp_path / "first")
    assert_framed(fills, [FIRST])
    fills.clear()
    rel, edit = REBUILD_EDITS[name]
    edit_file(root / rel, edit)
    second = build(root, tmp_path / "second")
    if name == "component-name":
        assert_framed(fills, [FIRST])
    os.environ["STATUSLEDGER_CACHE_DIR"] = "off"  # restored by the cache_dir fixture
    assert_same_sites(second, plain_build(root, tmp_path / "plain"))
