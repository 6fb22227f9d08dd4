"""The status site in a real headless Chromium: what people see, and axe-core's verdict."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import PROJECT

pytestmark = pytest.mark.browser

ARTIFACTS = PROJECT / "tests" / "artifacts"
PAGES = {
    "home": "",
    "incident": "incidents/down/",
    "postmortem": "postmortems/hostile/",
    "component": "components/api/",
    "sla": "sla/",
}
SIZES = {"desktop": (1280, 800), "phone": (390, 844)}


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


def test_banner_states_the_open_major_outage(driver: Any, served: str) -> None:
    from selenium.webdriver.common.by import By

    driver.get(served)
    banner = driver.find_element(By.CSS_SELECTOR, ".sl-banner")
    assert " ".join(banner.text.split()) == "✕ Major outage"
    assert banner.value_of_css_property("background-color") == "rgba(179, 38, 30, 1)"


def test_incident_updates_read_oldest_first(driver: Any, served: str) -> None:
    from selenium.webdriver.common.by import By

    driver.get(served + PAGES["incident"])
    texts = [u.text for u in driver.find_elements(By.CSS_SELECTOR, ".sl-update .sl-message")]
    assert [t.split()[0] for t in texts] == ["FIRST-UPDATE", "SECOND-UPDATE", "THIRD-UPDATE"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("page", list(PAGES))
def test_no_serious_accessibility_violations(
    driver: Any, served: str, page: str, scheme: str
) -> None:
    driver.set_window_size(*SIZES["desktop"])
    _scheme(driver, scheme)
    driver.get(served + PAGES[page])
    violations = driver.execute_async_script(
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
@pytest.mark.parametrize("page", list(PAGES))
def test_screenshots(driver: Any, served: str, page: str, size: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    driver.set_window_size(*SIZES[size])
    for scheme in ("light", "dark"):
        _scheme(driver, scheme)
        driver.get(served + PAGES[page])
        path = ARTIFACTS / f"{page}-{size}-{scheme}.png"
        assert driver.save_screenshot(str(path)), path
