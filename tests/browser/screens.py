"""Screen widths for the browser tests: a desktop (1280 px) and a phone (390 px), the
screenshots kept of every page at both, and the phone's checks.

Screenshots go to ``test-artifacts/screenshots/<page>-<width>.png`` on every run, passed
or failed (git-ignored; CI keeps ``test-artifacts/`` as its artefacts, see .ci/README.md).
"""

from typing import TYPE_CHECKING

from tests.browser.environment import ROOT

if TYPE_CHECKING:
    from pathlib import Path

    from playwright.sync_api import Page

SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}  # an iPhone 12 to 15 in CSS pixels


def screenshot(page: "Page", name: str) -> "Path":
    """A full-page screenshot at the page's current width, kept under SCREENSHOTS."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}-{page.viewport_size['width']}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def widest_elements(page: "Page", width: int) -> list[str]:
    """The elements whose right edge lies beyond ``width``: what makes a page scroll
    sideways, for the failure message."""
    return page.evaluate(
        """(width) => [...document.querySelectorAll('body *')]
            .filter(el => el.getBoundingClientRect().right > width + 0.5)
            .filter(el => !el.parentElement
                || el.parentElement.getBoundingClientRect().right <= width + 0.5)
            .slice(0, 8)
            .map(el => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}`
                + `${el.className && typeof el.className === 'string'
                    ? '.' + el.className.trim().split(/\\s+/).join('.') : ''}`
                + ` right=${Math.round(el.getBoundingClientRect().right)}`)""",
        width,
    )


def assert_no_sideways_scroll(page: "Page") -> None:
    """The page is no wider than the viewport: nothing scrolls sideways."""
    width = page.viewport_size["width"]
    scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll_width <= width, (
        f"{page.url} scrolls sideways at {width} px (scrollWidth {scroll_width}); "
        f"widest: {widest_elements(page, width)}"
    )


def page_height(page: "Page") -> int:
    return page.evaluate("() => document.documentElement.scrollHeight")
