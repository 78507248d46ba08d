"""Fixtures for the real-browser tests: one Chromium per session, a fresh context per
page, login through the real form, and artefacts (screenshot + HTML) on failure.

See tests/browser/__init__.py for how to run them and what they need.
"""

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.urls import get_resolver

from tests.browser.environment import CHROMIUM_ARGS, ROOT, chromium_path, skip_or_fail
from tests.browser.pages import login

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

HERE = Path(__file__).resolve().parent
ARTIFACTS = ROOT / "test-artifacts"
CSP_LISTENER = HERE / "csp_listener.js"  # every CSP violation becomes a console error
DEFAULT_TIMEOUT_MS = 10_000  # generous: CI machines are shared and slow
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """Keep each phase's report on the item (rep_setup, rep_call) for the teardown."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="package")
def browser() -> Iterator["Browser"]:
    """One Chromium for the browser tests, closed when they are done.

    While Playwright's sync API runs, the main thread has a running event loop, and
    Django refuses ORM calls from such a thread unless DJANGO_ALLOW_ASYNC_UNSAFE is
    set. The fixtures and assertions here make those calls between browser steps, never
    during one, so it is safe; it is set only while the browser is open (package
    scope), so the rest of the suite keeps Django's check.
    """
    executable = chromium_path()
    if not executable.is_file():
        skip_or_fail(
            f"Chromium not found at {executable}: install Debian's chromium "
            "(apt-get install chromium) or set CHROMIUM_PATH"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("Playwright for Python is not installed (uv sync installs the dev group)")
    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(executable),
                args=CHROMIUM_ARGS,
                headless=not os.environ.get("BROWSER_HEADED"),
                slow_mo=float(os.environ.get("BROWSER_SLOWMO", "0")),
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = previous


@pytest.fixture(scope="package")
def server(live_server):
    """The live server, with every view module imported up front: the first request
    would otherwise import them all and hit the
    browser's timeout."""
    get_resolver().url_patterns  # noqa: B018 (imported for its side effect)
    return live_server


@dataclass
class OpenedPage:
    page: "Page"
    label: str
    errors: list[str] = field(default_factory=list)


def _collect_errors(opened: OpenedPage) -> None:
    page = opened.page
    page.on(
        "console",
        lambda message: (
            opened.errors.append(f"console.{message.type}: {message.text}")
            if message.type == "error"
            else None
        ),
    )
    page.on("pageerror", lambda error: opened.errors.append(f"pageerror: {error}"))


def _artifact_dir(item: pytest.Item) -> Path:
    name = re.sub(r"[^A-Za-z0-9_.\-\[\]]+", "_", item.name)
    return ARTIFACTS / name


def _save_artifacts(item: pytest.Item, pages: list[OpenedPage]) -> Path:
    folder = _artifact_dir(item)
    folder.mkdir(parents=True, exist_ok=True)
    for opened in pages:
        page = opened.page
        if page.is_closed():
            continue
        stem = folder / opened.label
        page.screenshot(path=f"{stem}.png", full_page=True)
        stem.with_suffix(".html").write_text(page.content(), encoding="utf-8")
        log = [f"url: {page.url}", *opened.errors]
        stem.with_suffix(".log").write_text("\n".join(log) + "\n", encoding="utf-8")
    return folder


class PageOpener:
    """Opens pages, each in a fresh browser context, and remembers them for the
    artefacts and for :meth:`errors`."""

    def __init__(self, browser: "Browser", base_url: str) -> None:
        self.browser = browser
        self.base_url = base_url
        self.contexts: list[BrowserContext] = []
        self.opened: list[OpenedPage] = []

    def __call__(
        self, user=None, *, javascript: bool = True, init_scripts: tuple[Path, ...] = ()
    ) -> "Page":
        """A new page, logged in as ``user`` through the login form when given.

        ``javascript=False`` for a browser without JavaScript; ``init_scripts`` run in
        every document before the page's own scripts, outside the page's Content
        Security Policy (used to inject axe-core).
        """
        context = self.browser.new_context(
            base_url=self.base_url,
            java_script_enabled=javascript,
            locale="nl-NL",
            timezone_id="Europe/Amsterdam",
            viewport={"width": 1280, "height": 900},
        )
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        if javascript:
            context.add_init_script(path=CSP_LISTENER)
        for script in init_scripts:
            context.add_init_script(path=script)
        self.contexts.append(context)
        page = context.new_page()
        label = f"{len(self.opened) + 1}-{user.get_username() if user else 'anonymous'}"
        entry = OpenedPage(page=page, label=label)
        _collect_errors(entry)
        self.opened.append(entry)
        if user is not None:
            login(page, user)
        return page

    def errors(self, page: "Page") -> list[str]:
        """Console errors and uncaught exceptions of ``page`` so far; a script or
        style refused by the Content Security Policy shows up here too."""
        return next(entry.errors for entry in self.opened if entry.page is page)

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def open_page(browser: "Browser", server, request: pytest.FixtureRequest) -> Iterator[PageOpener]:
    """``open_page(user)`` -> a logged-in page; see :class:`PageOpener`. On failure the
    screenshot, HTML and console log of every opened page go to test-artifacts/."""
    opener = PageOpener(browser, server.url)
    yield opener
    failed = any(
        (report := getattr(request.node, f"rep_{when}", None)) is not None and report.failed
        for when in ("setup", "call")
    )
    try:
        if failed and opener.opened:
            folder = _save_artifacts(request.node, opener.opened)
            request.node.add_report_section("teardown", "artefacts", f"kept in {folder}")
    finally:
        opener.close()
