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


def test_a_save_refused_by_the_server_shows_its_own_message(open_page, scenario) -> None:
    """A real 403 from the app (the contributor lost their role while the page was open):
    the message is the one the 403 page states, shown beside the form, not the page."""
    from tracker.algorithms.models import Membership

    item, contributor = scenario.item, scenario.user("contributor")
    page = open_page(contributor)
    page.goto(f"/algoritmes/{scenario.algorithm.slug}/checklist/?status=open")
    row = page.locator(f"#rij-{item.pk}")
    expect(row).to_be_visible()
    Membership.objects.filter(algorithm=scenario.algorithm, user=contributor).update(
        role=Membership.Role.VIEWER
    )
    _choose(page, scenario)
    row.get_by_role("button", name="Opslaan").click()

    alert = page.locator(f"#rij-{item.pk} + tr.app-request-error-row").get_by_role("alert")
    expect(alert).to_contain_text("U mag deze pagina niet zien of deze actie niet uitvoeren.")
    expect(page.locator("h1", has_text="U hebt geen toegang")).to_have_count(0)  # not swapped in
    assert page.eval_on_selector(f"#status-{item.pk}", "el => el.value") == "done"
    assert _policy_violations(open_page.errors(page)) == []


def test_a_dossier_job_whose_worker_died_fails_visibly_with_a_retry(open_page, scenario) -> None:
    from datetime import timedelta

    from tests.world_dossier import make_dossier_job
    from tracker.exports.models import DossierJob, lease

    job = make_dossier_job(scenario.algorithm, state="running")
    DossierJob.objects.filter(pk=job.pk).update(
        heartbeat_at=job.heartbeat_at - lease() - timedelta(seconds=5)  # the worker died
    )
    page = open_page(scenario.user("viewer"))
    page.goto(f"/algoritmes/{scenario.algorithm.slug}/dossier/pdf/{job.pk}/")
    progress = page.locator("#dossier-progress")
    expect(progress).to_contain_text("Het maken van het dossier is mislukt.")
    expect(progress).to_contain_text("gestopt voordat het klaar was")
    expect(progress).not_to_have_attribute("hx-trigger", "every 2s")  # polling stopped
    retry = progress.get_by_role("button", name="Opnieuw maken")
    _shoot(page, "dossier-failed", retry)
    assert _policy_violations(open_page.errors(page)) == []

    # The tests' task backend renders within the request: slow on a busy machine.
    with page.expect_navigation(timeout=120_000):
        retry.click(no_wait_after=True)
    expect(page.get_by_role("link", name="Dossier downloaden (PDF)")).to_be_visible()
    assert str(job.pk) not in page.url
