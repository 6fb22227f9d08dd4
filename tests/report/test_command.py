"""`statusledger report` as a user runs it: the page, its charts and tables, same bytes twice,
the Markdown summary, and never a report inside the public site."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree, html

from tests.helpers import run_cli
from tests.report.ledger import NOW, WINDOW, write
from tests.site.support import build, site_repo

SVG = "{http://www.w3.org/2000/svg}"
CHARTS = {
    "incidents-severity", "incidents-category", "response-ttd", "response-tta", "response-ttm",
    "response-ttr", "downtime", "sla", "pareto-category", "pareto-root-cause", "recurring",
    "postmortems", "action-items", "breaches",
}  # fmt: skip


def run_report(root: Path, out: Path, *extra: str) -> str:
    result = run_cli("report", "--out", str(out), *WINDOW, "--now", NOW, *extra, cwd=root)
    assert result.code == 0, result.err
    return result.out


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    root = write(tmp_path_factory.mktemp("ledger"))
    run_report(root, root / "out")
    return root, (root / "out" / "index.html").read_text("utf-8")


def test_every_chart_is_a_titled_svg_with_a_table_below_it(page: tuple[Path, str]) -> None:
    tree = html.fromstring(page[1].encode())
    figures = tree.findall(".//figure")
    found = set()
    for figure in figures:
        (svg,) = [e for e in figure.iter() if isinstance(e.tag, str) and e.tag.endswith("svg")]
        chart = svg.get("id")
        found.add(chart)
        assert svg.get("role") == "img"
        assert svg.get("aria-labelledby") == f"{chart}-title {chart}-desc"
        title = next(e for e in svg if e.tag.endswith("title"))
        desc = next(e for e in svg if e.tag.endswith("desc"))
        assert title.get("id") == f"{chart}-title" and title.text
        assert desc.get("id") == f"{chart}-desc" and desc.text
        (data,) = figure.findall(".//table")
        assert data.find("caption") is not None and data.findall(".//tbody/tr")
    assert found == CHARTS


def test_the_charts_are_well_formed_svg_with_patterns_besides_colour(
    page: tuple[Path, str],
) -> None:
    for chunk in re.findall(r"<svg .*?</svg>", page[1], flags=re.S):
        svg = etree.fromstring(chunk.encode())
        patterns = svg.findall(f".//{SVG}pattern")
        assert patterns, svg.get("id")
        used = {e.get("fill") for e in svg.iter(f"{SVG}rect")}
        assert any(str(f).startswith("url(#") for f in used), svg.get("id")


def test_the_page_needs_nothing_from_anywhere(page: tuple[Path, str]) -> None:
    text = page[1]
    assert "<script" not in text.lower()
    assert " src=" not in text and "<link" not in text and "@import" not in text
    assert re.findall(r"https?://[^\s\"'<]+", text) == ["http://www.w3.org/2000/svg"] * len(CHARTS)
    assert "@media print" in text
    assert "Internal: counts internal incidents" in text


def test_the_tables_show_the_figures(page: tuple[Path, str]) -> None:
    text = page[1]
    # api missed its SLA in September with 99.777 % (cut, never rounded up).
    assert "MISSED 99.777%" in text
    assert "<td>1h36m</td>" in text  # api's weighted downtime in September: 1 h + 0.3 x 2 h


def test_two_runs_give_the_same_bytes(tmp_path: Path) -> None:
    root = write(tmp_path / "org")
    for seed, out in (("1", "one"), ("2", "two")):  # separate processes, other hash seeds
        subprocess.run(
            [sys.executable, "-m", "statusledger.cli", "report", "--out", str(tmp_path / out),
             *WINDOW, "--now", NOW],
            cwd=root, check=True, capture_output=True, env={**os.environ, "PYTHONHASHSEED": seed},
        )  # fmt: skip
    for name in ("index.html", "report.json"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


def test_markdown_prints_a_short_summary_for_the_job_summary(tmp_path: Path) -> None:
    root = write(tmp_path)
    out = run_report(root, tmp_path / "out", "--format", "markdown")
    assert out.startswith("### Insights: Acme Cloud, 2026-09-01 to 2026-11-30\n")
    assert "- **5** incidents (sev1: 2, sev2: 2, sev3: 1, sev4: 0), internal ones included" in out
    assert "- SLA missed: `api` 2026-09, `api` 2026-10" in out
    assert "| 2026-09 | 2 | 2 |" in out
    assert (tmp_path / "out" / "index.html").is_file()


@pytest.mark.parametrize("inside", ["public", "public/report", "site/docs/insights", "site"])
def test_an_out_inside_the_site_is_refused_and_nothing_written(tmp_path: Path, inside: str) -> None:
    root = write(tmp_path)
    result = run_cli("report", "--out", inside, "--now", NOW, cwd=root)
    assert result.code == 2
    assert "the report is internal" in result.err and "write it elsewhere" in result.err
    assert not (root / inside / "index.html").exists()


def test_an_out_inside_a_site_dir_named_by_mkdocs_yml_is_refused(tmp_path: Path) -> None:
    root = write(tmp_path)
    (root / "mkdocs.yml").write_text(
        "site_name: S\nsite_dir: www\ndocs_dir: pages\nplugins:\n  - statusledger\n"
        "markdown_extensions:\n  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n",
        encoding="utf-8",
    )
    for inside in ("www/r", "pages"):
        result = run_cli("report", "--out", inside, "--now", NOW, cwd=root)
        assert result.code == 2, inside


def test_bad_days_are_usage_errors(tmp_path: Path) -> None:
    root = write(tmp_path)
    result = run_cli("report", "--out", "r", "--from", "2026-11-02", "--to", "2026-11-01", cwd=root)
    assert result.code == 2 and "--to 2026-11-01 is before --from 2026-11-02" in result.err
    result = run_cli("report", "--out", "r", "--from", "2026-13-01", cwd=root)
    assert result.code == 2 and "--from: expected a day" in result.err


def test_the_default_window_is_the_twelve_months_up_to_today(tmp_path: Path) -> None:
    root = write(tmp_path)
    result = run_cli("report", "--out", "r", "--now", NOW, cwd=root)
    assert result.code == 0, result.err
    text = (root / "r" / "report.json").read_text("utf-8")
    assert '"from": "2025-12-01",\n    "to": "2026-11-25"' in text


def test_nothing_of_the_report_reaches_the_public_site(tmp_path: Path) -> None:
    root = site_repo(tmp_path / "org")
    write(root)
    run_report(root, root / "report")
    report_page = (root / "report" / "index.html").read_text("utf-8")
    assert "Insights: Acme Cloud" in report_page
    site = build(root, root / "public", NOW)
    assert not list(site.rglob("report.json"))
    for path in site.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert b"Insights:" not in data, path
            assert b"2026-10-05-c" not in data, path  # the internal incident
            assert b'id="incidents-severity"' not in data, path
