"""The status site in a real headless Chromium, read as a customer during an outage.

The site is built for the test (tests/browser/conftest.py): an open sev1 with the API down and
the database degraded, a past incident with a postmortem whose tickets are long URLs, and a
maintenance window ahead. Screenshots of every page type land in tests/artifacts/screenshots/.
"""

from __future__ import annotations

import base64
import os
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import PROJECT
from tests.site.support import NOW

pytestmark = pytest.mark.browser

SCREENSHOTS = PROJECT / "tests" / "artifacts" / "screenshots"
PAGES = {
    "home": "",
    "incident": "incidents/down/",
    "maintenance": "incidents/storage/",
    "component": "components/api/",
    "postmortem": "postmortems/hostile/",
    "postmortem-archive": "postmortems/",
    "history": "history/",
    "sla": "sla/",
    "404": "404.html",
}
SIZES = {"desktop": (1280, 800), "phone": (390, 844)}
DAY_NAME = re.compile(r"^[A-Z][a-z]+ \d{1,2}, \d{4}: (\d+\.\d{3}% uptime|no data)")


def _axe_source() -> str:
    """axe-core: a newer one from $AXE_CORE_JS (e.g. npm's axe.min.js) if given, else the copy
    bundled in the axe-selenium-python package (axe-core 3.1)."""
    override = os.environ.get("AXE_CORE_JS")
    if override:
        return Path(override).read_text(encoding="utf-8")
    axe_selenium_python = pytest.importorskip("axe_selenium_python")
    path = Path(axe_selenium_python.__file__).parent / "node_modules/axe-core/axe.min.js"
    return path.read_text(encoding="utf-8")


def _scheme(driver: Any, scheme: str) -> None:
    driver.execute_cdp_cmd(
        "Emulation.setEmulatedMedia",
        {"features": [{"name": "prefers-color-scheme", "value": scheme}]},
    )


def _viewport(driver: Any, width: int, height: int) -> None:
    """A viewport of exactly this size; below 500 px as a phone (headless windows stop there)."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 500},
    )


def _scripts(driver: Any, enabled: bool) -> None:
    driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": not enabled})


@pytest.fixture
def page(driver: Any) -> Any:
    """The driver at the desktop size in light mode with scripts on, reset after each test."""
    _viewport(driver, *SIZES["desktop"])
    _scheme(driver, "light")
    _scripts(driver, True)
    yield driver
    _scripts(driver, True)
    _viewport(driver, *SIZES["desktop"])


def test_without_javascript_the_banner_names_what_is_broken_above_the_components(
    page: Any, served: str
) -> None:
    from selenium.webdriver.common.by import By

    _scripts(page, False)
    page.get(served)
    banner = page.find_element(By.CSS_SELECTOR, ".sl-banner")
    assert " ".join(banner.text.split()) == "✕ Major outage: Public API · Degraded: Database"
    assert banner.value_of_css_property("background-color") == "rgba(179, 38, 30, 1)"
    card = page.find_element(By.CSS_SELECTOR, ".sl-card--major_outage")
    assert "Affects: Public API (Major outage), Database (Degraded performance)" in card.text
    assert "THIRD-UPDATE" in card.text and "Next update expected by 12:20 UTC" in card.text
    components = page.find_element(By.XPATH, "//h2[.='Components']")
    assert banner.location["y"] < card.location["y"] < components.location["y"]
    # Scripts really are off: hovering a day opens no panel, the day is still a plain link.
    from selenium.webdriver.common.action_chains import ActionChains

    day = page.find_elements(By.CSS_SELECTOR, "a.sl-day")[-1]
    ActionChains(page).move_to_element(day).perform()
    assert page.find_elements(By.CSS_SELECTOR, ".sl-panel") == []
    assert day.get_attribute("href") == served + "components/web/#d2026-11-23"


def test_last_updated_is_the_build_time(page: Any, served: str) -> None:
    from selenium.webdriver.common.by import By

    page.get(served)
    stamp = page.find_element(By.CSS_SELECTOR, ".sl-updated time")
    when = datetime.fromisoformat(stamp.get_attribute("datetime"))
    assert when == datetime.fromisoformat(NOW)
    assert stamp.text == "November 23, 2026, 12:00 UTC"


def test_incident_updates_read_newest_first(page: Any, served: str) -> None:
    from selenium.webdriver.common.by import By

    page.get(served + PAGES["incident"])
    texts = [u.text for u in page.find_elements(By.CSS_SELECTOR, ".sl-update .sl-message")]
    assert [t.split()[0] for t in texts] == ["THIRD-UPDATE", "SECOND-UPDATE", "FIRST-UPDATE"]
    lead = page.find_element(By.CSS_SELECTOR, ".sl-lead").text
    assert "Major outage" in lead and lead.endswith("Ongoing for 2 h")
    assert "sev1" not in page.find_element(By.CSS_SELECTOR, ".md-content").text


@pytest.mark.parametrize("name", list(PAGES))
def test_no_page_is_wider_than_a_320_px_screen(page: Any, served: str, name: str) -> None:
    _viewport(page, 320, 640)
    page.get(served + PAGES[name])
    width = page.execute_script("return document.documentElement.scrollWidth")
    assert width <= 320, (name, width)


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_has_a_meta_description(page: Any, served: str, name: str) -> None:
    from selenium.webdriver.common.by import By

    page.get(served + PAGES[name])
    metas = page.find_elements(By.CSS_SELECTOR, "head meta[name='description']")
    assert len(metas) == 1 and len(metas[0].get_attribute("content")) > 20, name


def _names(driver: Any) -> list[str]:
    """The accessible names Chromium gives the links of the page, in document order."""
    tree = driver.execute_cdp_cmd("Accessibility.getFullAXTree", {})
    return [
        str(node.get("name", {}).get("value", ""))
        for node in tree["nodes"]
        if node.get("role", {}).get("value") == "link"
    ]


def test_every_day_of_every_bar_is_reached_by_tab_and_announced(page: Any, served: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    page.get(served)
    days = page.find_elements(By.CSS_SELECTOR, "a.sl-day")
    assert len(days) == 3 * 90
    announced = [n for n in _names(page) if DAY_NAME.match(n)]
    assert len(announced) == len(days)
    assert any(
        n.startswith("November 20, 2026: ") and "Web app slow to load" in n for n in announced
    )
    reached = set()
    body = page.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    for _ in range(len(days) + 200):
        reached.add(page.execute_script("return document.activeElement.getAttribute('href')"))
        page.switch_to.active_element.send_keys(Keys.TAB)
    hrefs = {d.get_attribute("href").removeprefix(served) for d in days}
    assert hrefs <= reached


def _tap(driver: Any, element: Any) -> None:
    """A finger's tap in the middle of the element, as a phone's touch screen sends it."""
    x, y = driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center'});"
        "var r = arguments[0].getBoundingClientRect();"
        "return [r.left + r.width / 2, r.top + r.height / 2];",
        element,
    )
    for kind, points in (("touchStart", [{"x": x, "y": y}]), ("touchEnd", [])):
        driver.execute_cdp_cmd("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})


def test_a_tapped_day_opens_a_panel_inside_the_phone_screen(page: Any, served: str) -> None:
    from selenium.webdriver.common.by import By

    _viewport(page, 390, 844)
    page.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": True})
    try:
        page.get(served)
        bar = page.find_elements(By.CSS_SELECTOR, "ol.sl-bars")[2]  # the web app's
        shown = [d for d in bar.find_elements(By.CSS_SELECTOR, "a.sl-day") if d.is_displayed()]
        assert len(shown) == 30
        width = page.execute_script("return document.documentElement.clientWidth")
        for day in (shown[0], shown[-4], shown[-1]):
            _tap(page, day)
            panel = page.find_element(By.CSS_SELECTOR, ".sl-panel")
            box = page.execute_script("return arguments[0].getBoundingClientRect().toJSON()", panel)
            assert panel.is_displayed() and page.current_url == served
            assert box["left"] >= 0 and box["right"] <= width, box
        _tap(page, shown[-4])  # November 20, the day of the web app's incident
        panel = page.find_element(By.CSS_SELECTOR, ".sl-panel")
        assert panel.text.startswith("November 20, 2026: ")
        link = panel.find_element(By.LINK_TEXT, "Web app slow to load")
        assert link.get_attribute("href") == served + "incidents/hostile/"
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.save_screenshot(str(SCREENSHOTS / "home-panel-390-light.png"))
        _tap(page, shown[-4])  # a second tap follows the day's link
        assert page.current_url == served + "components/web/#d2026-11-20"
    finally:
        page.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": False})


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", list(PAGES))
def test_no_serious_accessibility_violations(
    page: Any, served: str, name: str, scheme: str
) -> None:
    _scheme(page, scheme)
    page.get(served + PAGES[name])
    violations = page.execute_async_script(
        _axe_source()
        + "\nvar done = arguments[arguments.length - 1];"
        + "axe.run(document, {resultTypes: ['violations']})"
        + ".then(function (r) { done(r.violations); });"
    )
    bad = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]
    assert bad == []


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("name", list(PAGES))
def test_screenshots(page: Any, served: str, name: str, size: str) -> None:
    """Every page type, whole, at a phone's and a desktop's width, light and dark."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    width, height = SIZES[size]
    for scheme in ("light", "dark"):
        _viewport(page, width, height)
        _scheme(page, scheme)
        page.get(served + PAGES[name])
        full = page.execute_script("return document.documentElement.scrollHeight")
        shot = page.execute_cdp_cmd(
            "Page.captureScreenshot",
            {
                "format": "png",
                "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": width, "height": min(full, 6000), "scale": 1},
            },
        )
        path = SCREENSHOTS / f"{name}-{width}-{scheme}.png"
        path.write_bytes(base64.b64decode(shot["data"]))
        assert path.stat().st_size > 1000, path


def test_the_panel_follows_the_mouse_and_leaves_with_it(page: Any, served: str) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    page.get(served)
    days = page.find_elements(By.CSS_SELECTOR, "ol.sl-bars")[2].find_elements(
        By.CSS_SELECTOR, "a.sl-day"
    )
    ActionChains(page).move_to_element(days[-4]).perform()
    panel = page.find_element(By.CSS_SELECTOR, ".sl-panel")
    assert panel.is_displayed() and panel.text.startswith("November 20, 2026: ")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.save_screenshot(str(SCREENSHOTS / "home-panel-1280-light.png"))
    ActionChains(page).move_to_element(
        page.find_element(By.XPATH, "//h2[.='Components']")
    ).perform()
    WebDriverWait(page, 3).until(lambda _: not panel.is_displayed())
