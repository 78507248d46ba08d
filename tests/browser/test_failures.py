"""Issue 13: failures a user sees. A save through htmx that meets a server error or a
lost connection shows a Dutch message in place, keeps what the user chose, and breaks
no Content Security Policy. The failures are made by the browser (Playwright's route
interception), not by any switch in the app."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.environment import ROOT
from tests.browser.scenario import Scenario, full_name, make_scenario
from tracker.checklist.models import ChecklistItem

SHOTS = ROOT / "test-artifacts" / "failures"
SERVER_ERROR = "Er ging iets mis op de server. Uw invoer is niet opgeslagen"
OFFLINE = "Geen verbinding met de server. Uw invoer is niet opgeslagen"


@pytest.fixture
def scenario(transactional_db) -> Scenario:
    return make_scenario()


def _fail_saves(page: Page, how: str) -> list[str]:
    """Make every POST to an update URL fail; returns the URLs that were refused."""
    refused = []

    def handle(route):
        if route.request.method != "POST":
            route.continue_()
            return
        refused.append(route.request.url)
        if how == "500":
            route.fulfill(status=500, content_type="text/html", body="<h1>Server Error (500)</h1>")
        else:
            route.abort("connectionfailed")

    page.route("**/bijwerken/", handle)
    return refused


def _choose(page: Page, scenario: Scenario) -> None:
    item, contributor = scenario.item, scenario.user("contributor")
    page.select_option(f"#status-{item.pk}", label="Gereed")
    page.select_option(f"#eigenaar-{item.pk}", label=full_name(contributor))


def _shoot(page: Page, name: str, focus) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        focus.scroll_into_view_if_needed()
        page.screenshot(path=str(Path(SHOTS, f"{name}-{width}.png")), full_page=False)
    page.set_viewport_size({"width": 1280, "height": 900})


def _policy_violations(errors: list[str]) -> list[str]:
    return [e for e in errors if "Content Security Policy" in e or "pageerror" in e]


@pytest.mark.parametrize(("how", "message"), [("500", SERVER_ERROR), ("offline", OFFLINE)])
def test_a_failed_htmx_save_shows_a_message_and_keeps_the_input(
    open_page, scenario, how, message
) -> None:
    item = scenario.item
    page = open_page(scenario.user("contributor"))
    page.goto(f"/algoritmes/{scenario.algorithm.slug}/checklist/?status=open")
    row = page.locator(f"#rij-{item.pk}")
    expect(row).to_be_visible()
    refused = _fail_saves(page, how)
    _choose(page, scenario)
    page.evaluate("window.__marker = 1")

    row.get_by_role("button", name="Opslaan").click()

    alert = page.locator(f"#rij-{item.pk} + tr.app-request-error-row").get_by_role("alert")
    expect(alert).to_contain_text(message)  # in a row of its own, right below the row
    assert refused, "the save never reached the network"
    assert page.evaluate("window.__marker") == 1, "the page reloaded"
    # What the user chose is still there, to save again.
    assert page.eval_on_selector(f"#status-{item.pk}", "el => el.value") == "done"
    item.refresh_from_db()
    assert item.status != ChecklistItem.Status.DONE
    _shoot(page, f"row-{how}", alert)
    assert _policy_violations(open_page.errors(page)) == []

    # The next save works again: the message goes, the row is saved.
    page.unroute("**/bijwerken/")
    row.get_by_role("button", name="Opslaan").click()
    expect(row.get_by_role("status")).to_have_text("Opgeslagen")
    expect(page.locator(".app-request-error")).to_have_count(0)
    item.refresh_from_db()
    assert item.status == ChecklistItem.Status.DONE
