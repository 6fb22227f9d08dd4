"""URLs are parsed, not prefix-checked: nothing a record holds as a URL can break out of an href.

page.url is written into every page's canonical link, 404.html, the feeds and the API; a ticket
into an href on the postmortem page. Each is refused at its line unless it is an http(s) URL with
a host and none of the characters that end an attribute or a line.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from statusledger.records.types import BASE_URL_PATTERN, URL_PATTERN, url_problem
from tests.helpers import MINIMAL_SERVICES, PROJECT, make_repo, run_cli
from tests.site.support import build, site_repo
from tests.validation.fixtures import NOW_TEXT

INJECTIONS = [
    'https://x/"><script>alert(1)</script>',
    "https://x/'onmouseover='alert(1)",
    "https://status.example.com/a b",
    "https://status.example.com/<b>",
    "https://status.example.com\\evil",
    "https://status.example.com/\x07",
    "https://status.example.com/a\nb",
    "javascript:alert(1)",
    "https://",
    "https://user:secret@status.example.com",
    "ftp://status.example.com",
    "https://status.example.com/?utm=1",
    "https://status.example.com/#top",
    "https://status.example.com:99999",
    "https://status.example.com/%zz",
    "https://status.example.com\n",
    "https://status.example.com/\r\n<script>",
]
GOOD = [
    "https://status.example.com",
    "https://status.example.com/",
    "http://localhost:8000/status",
    "https://example.com/status/acme-cloud",
    "https://[2001:db8::1]:8443",
]


def services_with_url(url: str) -> str:
    return MINIMAL_SERVICES.replace("url: https://status.example.com", f"url: {json.dumps(url)}")


@pytest.mark.parametrize("url", INJECTIONS)
def test_validate_refuses_a_page_url_that_is_not_a_clean_base_url(url: str, tmp_path: Path) -> None:
    root = make_repo(tmp_path, {"services.yaml": services_with_url(url)})

    result = run_cli("--root", str(root), "validate", "--now", NOW_TEXT, "--format", "json")

    assert result.code == 1
    findings = json.loads(result.out)["findings"]
    assert [(f["file"], f["line"], f["rule"]) for f in findings] == [
        ("services.yaml", 3, "schema/invalid-value")
    ]
    assert findings[0]["message"].startswith("page.url: ")
    # The message shows the value with control characters escaped, never raw.
    assert "\x07" not in findings[0]["message"] and "\n" not in findings[0]["message"]


@pytest.mark.parametrize("url", GOOD)
def test_clean_page_urls_validate(url: str, tmp_path: Path) -> None:
    root = make_repo(tmp_path, {"services.yaml": services_with_url(url)})
    result = run_cli("--root", str(root), "validate", "--now", NOW_TEXT)
    assert result.code == 0, result.out


@pytest.mark.parametrize(
    ("ticket", "ok"),
    [
        ("https://tracker.example.com/OPS-123?view=full#c2", True),
        ("javascript:alert(1)", False),
        ('https://tracker.example.com/"><img src=x onerror=alert(1)>', False),
        ("OPS-123", False),
    ],
)
def test_a_ticket_is_a_url_or_refused_at_its_line(ticket: str, ok: bool, tmp_path: Path) -> None:
    incident = (PROJECT / "incidents/2026/2026-11-10-reports-capacity.yaml").read_text()
    postmortem = (PROJECT / "postmortems/2026-11-10-reports-capacity.md").read_text()
    text = re.sub(r"ticket: .*", f"ticket: {json.dumps(ticket)}", postmortem, count=1)
    root = make_repo(
        tmp_path,
        {
            "services.yaml": (PROJECT / "services.yaml").read_text(),
            "incidents/2026/2026-11-10-reports-capacity.yaml": incident,
            "postmortems/2026-11-10-reports-capacity.md": text,
        },
    )
    line = 1 + text.splitlines().index(f"    ticket: {json.dumps(ticket)}")

    result = run_cli(
        "--root", str(root), "validate", "--now", "2026-12-31T00:00:00Z", "--format", "json"
    )

    findings = [f for f in json.loads(result.out)["findings"] if f["severity"] == "error"]
    if ok:
        assert findings == []
    else:
        assert [(f["line"], f["rule"]) for f in findings] == [(line, "schema/invalid-value")]
        assert "ticket" in findings[0]["message"]


def test_the_schema_patterns_are_the_grammar_validate_uses() -> None:
    schema = json.loads((PROJECT / "site/schemas/services.schema.json").read_text())
    assert schema["$defs"]["Page"]["properties"]["url"]["pattern"] == BASE_URL_PATTERN
    for url in INJECTIONS + GOOD:
        # As an editor (ECMA) reads the patterns: `$` is the end of the text, never before a
        # final line break (which Python's `$` would let through).
        assert (re.fullmatch(BASE_URL_PATTERN, url) is not None) == (
            url_problem(url, base=True) is None
        ), url
        assert (re.fullmatch(URL_PATTERN, url) is not None) == (url_problem(url) is None), url


def statuspage_export(folder: Path, url: str) -> Path:
    folder.mkdir()
    (folder / "summary.json").write_text(
        json.dumps(
            {
                "page": {"id": "p1", "name": "Evil", "url": url, "time_zone": "UTC"},
                "components": [
                    {"id": "c1", "name": "API", "status": "operational", "group": False}
                ],
                "incidents": [],
            }
        )
    )
    return folder


def test_import_never_copies_an_invalid_page_url(tmp_path: Path) -> None:
    evil = 'https://x/"><script>alert(1)</script>'
    export = statuspage_export(tmp_path / "export", evil)
    repo = tmp_path / "repo"
    repo.mkdir()

    result = run_cli("import", "statuspage", str(export), cwd=repo)

    assert result.code == 1
    assert "page.url" in result.err + result.out
    assert "<script>" not in "".join(p.read_text() for p in repo.rglob("*") if p.is_file())
    assert not (repo / "services.yaml").exists()


def test_a_site_is_never_built_from_an_injected_page_url(tmp_path: Path) -> None:
    root = site_repo(
        tmp_path / "repo",
        {"services.yaml": services_with_url('https://x/"><script>alert(1)</script>')},
    )
    out = tmp_path / "public"

    result = run_cli("--root", str(root), "build", "--out", str(out), "--now", NOW_TEXT)

    assert result.code == 1
    assert "page.url" in result.err
    assert not (out / "index.html").exists()


def test_the_canonical_link_and_404_carry_the_page_url_as_written(tmp_path: Path) -> None:
    url = "https://example.com/status/acme-cloud"
    root = site_repo(tmp_path / "repo", {"services.yaml": services_with_url(url)})

    out = build(root, tmp_path / "public", NOW_TEXT)

    index = (out / "index.html").read_text()
    assert f'<link rel="canonical" href="{url}/">' in index
    assert "/status/acme-cloud/" in (out / "404.html").read_text()
