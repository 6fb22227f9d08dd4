"""The insights report in a real headless Chromium: charts drawn, tables beside them, print
layout, and a full-page screenshot in tests/artifacts/ to look at."""

from __future__ import annotations

import shutil
from typing import Any

import pytest

from tests.helpers import PROJECT, run_cli

pytestmark = pytest.mark.browser

ARTIFACTS = PROJECT / "tests" / "artifacts"
NOW = "2026-12-01T06:00:00Z"


@pytest.fixture(scope="module")
def report_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The report of this repository's example organisation, as of NOW."""
    root = tmp_path_factory.mktemp("org")
    shutil.copy(PROJECT / "services.yaml", root / "services.yaml")
    for folder in ("incidents", "postmortems"):
        shutil.copytree(PROJECT / folder, root / folder)
    result = run_cli("report", "--out", str(root / "report"), "--now", NOW, cwd=root)
    assert result.code == 0, result.err
    return (root / "report" / "index.html").as_uri()


def test_every_chart_is_drawn_with_its_table(driver: Any, report_url: str) -> None:
    from selenium.webdriver.common.by import By

    driver.set_window_size(1280, 800)
    driver.get(report_url)
    figures = driver.find_elements(By.CSS_SELECTOR, "figure")
    assert len(figures) >= 12
    for figure in figures:
        svg = figure.find_element(By.CSS_SELECTOR, "svg.chart")
        assert svg.size["width"] > 600 and svg.size["height"] > 100, svg.get_attribute("id")
        assert figure.find_element(By.CSS_SELECTOR, "table tbody tr").is_displayed()
    # No sideways scroll of the page itself: wide tables scroll inside their own box.
    assert driver.execute_script("return document.documentElement.scrollWidth") <= 1280


def test_print_keeps_each_chart_with_its_table(driver: Any, report_url: str) -> None:
    driver.get(report_url)
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        inside = driver.execute_script(
            "return getComputedStyle(document.querySelector('figure')).breakInside"
        )
        assert inside == "avoid"
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def test_screenshot_of_the_whole_report(driver: Any, report_url: str) -> None:
    driver.set_window_size(1280, 800)
    driver.get(report_url)
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1280, min(int(height) + 40, 16_000))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    target = ARTIFACTS / "report-desktop.png"
    assert driver.save_screenshot(str(target))
    assert target.stat().st_size > 50_000
    driver.set_window_size(1280, 800)
