"""Issue 7 journeys for the team and the approver, in a real browser: work an item
inline on the checklist (no page reload), add evidence and a residual risk, accept the
risk, record the go-live decision. The core of it also runs without JavaScript."""

import hashlib
import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.browser.pages import small_pdf
from tests.browser.scenario import Scenario, full_name, make_scenario
from tracker.audit.models import AuditEntry
from tracker.checklist.models import ChecklistItem
from tracker.decisions.models import Decision
from tracker.evidence.models import Evidence
from tracker.risks.models import ResidualRisk

PDF = small_pdf()
RISK = "Behandelaars volgen de score zonder eigen afweging"


@pytest.fixture
def scenario(transactional_db) -> Scenario:
    return make_scenario()


def open_checklist(page: Page, scenario: Scenario) -> None:
    """From the algorithms list, through the algorithm's page, to its checklist."""
    page.get_by_role("link", name=scenario.algorithm.name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(scenario.algorithm.name)
    page.get_by_role("link", name="Checklist", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Checklist")


def upload_evidence(page: Page) -> None:
    section = page.locator(".app-evidence")
    section.get_by_role("radio", name="Bestand").check()
    section.get_by_label("Titel").fill("Werkinstructie behandelaars v1")
    file_input = section.get_by_label("Bestand", exact=True).and_(page.locator("[type=file]"))
    file_input.set_input_files(
        {"name": "werkinstructie.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    section.get_by_role("button", name="Toevoegen").click()
    expect(page.locator(".app-evidence__list")).to_contain_text("Werkinstructie behandelaars v1")


def add_risk(page: Page, scenario: Scenario) -> None:
    section = page.locator(".app-risks")
    section.get_by_label("Omschrijving").fill(RISK)
    section.get_by_label("Kans").select_option(label="2 – klein")
    section.get_by_label("Impact").select_option(label="3 – aanzienlijk")
    section.get_by_label("Beheersmaatregel").fill("Steekproef van 10% door een tweede behandelaar")
    section.get_by_label("Eigenaar").select_option(label=full_name(scenario.user("contributor")))
    section.get_by_role("button", name="Toevoegen").click()
    expect(page.locator(".app-risks__list")).to_contain_text(RISK)


def assert_evidence_and_risk_stored(scenario: Scenario) -> None:
    contributor = scenario.user("contributor")
    evidence = Evidence.objects.get(item=scenario.item)
    assert (evidence.kind, evidence.file_name) == ("file", "werkinstructie.pdf")
    assert evidence.sha256 == hashlib.sha256(PDF).hexdigest()
    assert evidence.added_by == contributor
    risk = ResidualRisk.objects.get(item=scenario.item)
    assert (risk.description, risk.likelihood, risk.impact) == (RISK, 2, 3)
    assert risk.owner == contributor
    assert risk.accepted_at is None
    logged = set(
        AuditEntry.objects.filter(algorithm=scenario.algorithm, actor=contributor).values_list(
            "object_type", flat=True
        )
    )
    assert {"tracker.checklistitem", "tracker.evidence", "tracker.residualrisk"} <= logged


def test_team_works_an_item_inline_and_the_approver_decides_go(open_page, scenario):
    contributor, approver = scenario.user("contributor"), scenario.user("approver")
    item = scenario.item
    page = open_page(contributor)
    open_checklist(page, scenario)

    # filter: only the open items (htmx swaps the results and keeps the filter in the URL)
    page.get_by_label("Status", exact=True).select_option(label="Open")
    expect(page.locator(".app-count")).to_have_text("1 item met deze filters.")
    expect(page).to_have_url(re.compile(r"[?&]status=open"))
    row = page.locator(f"#rij-{item.pk}")
    expect(row).to_contain_text(item.catalog_item.title)

    # status and owner inline, without a page reload
    page.evaluate("window.__marker = 1")
    url = page.url
    row.get_by_label("Status van imp-09").select_option(label="Gereed")
    row.get_by_label("Eigenaar").select_option(label=full_name(contributor))
    row.get_by_role("button", name="Opslaan").click()
    expect(row.get_by_role("status")).to_have_text("Opgeslagen")
    assert page.evaluate("window.__marker") == 1, "the page reloaded"
    assert page.url == url
    done = scenario.algorithm.items.filter(status=ChecklistItem.Status.DONE).count()
    expect(page.locator('[data-figure="done"]')).to_have_text(str(done))
    item.refresh_from_db()
    assert (item.status, item.owner) == (ChecklistItem.Status.DONE, contributor)

    # evidence and a residual risk on the item's page, again without a reload
    row.get_by_role("link", name=item.catalog_item.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(item.catalog_item.title)
    page.evaluate("window.__marker = 2")
    upload_evidence(page)
    add_risk(page, scenario)
    assert page.evaluate("window.__marker") == 2, "the page reloaded"
    assert_evidence_and_risk_stored(scenario)
    assert open_page.errors(page) == []

    # the approver finds the unaccepted risk as the last blocker and accepts it
    review = open_page(approver)
    review.goto(reverse("gates:go_live", args=[scenario.algorithm.slug]))
    expect(review.get_by_role("heading", name="1 blokkade voor go-live")).to_be_visible()
    blockers = review.locator('[data-category="risicos"]')
    blockers.get_by_role("link", name=re.compile("Niet geaccepteerd: Behandelaars")).click()
    review.locator(".app-risks").get_by_role("button", name="Risico accepteren").click()
    expect(review.locator(".app-risks__list")).to_contain_text(
        f"Geaccepteerd door {full_name(approver)}"
    )
    risk = ResidualRisk.objects.get(item=item)
    assert risk.accepted_by == approver

    # ... and records the go-live decision
    review.goto(reverse("gates:go_live", args=[scenario.algorithm.slug]))
    expect(review.get_by_role("heading", name="Klaar voor go-live")).to_be_visible()
    review.get_by_label("Go", exact=True).check()
    review.get_by_label("Onderbouwing").fill("Alle criteria gereed; restrisico geaccepteerd.")
    review.get_by_role("button", name="Besluit vastleggen").click()
    expect(review.get_by_role("heading", level=1)).to_have_text("Go-livebesluit: Go")
    expect(review.get_by_role("status")).to_have_text("Het besluit 'Go' is vastgelegd.")
    decision = Decision.objects.get(algorithm=scenario.algorithm, gate=Decision.Gate.GO_LIVE)
    assert (decision.outcome, decision.decided_by) == (Decision.Outcome.GO, approver)
    assert decision.snapshot_verifies()
    assert open_page.errors(review) == []


def test_core_journey_without_javascript(open_page, scenario):
    contributor, item = scenario.user("contributor"), scenario.item
    page = open_page(contributor, javascript=False)
    open_checklist(page, scenario)

    # the filter form submits as a plain GET
    page.get_by_label("Status", exact=True).select_option(label="Open")
    page.get_by_role("button", name="Filters toepassen").click()
    expect(page).to_have_url(re.compile(r"[?&]status=open"))
    expect(page.locator(".app-count")).to_have_text("1 item met deze filters.")

    # the row form posts and redirects back to the filtered checklist with a message
    row = page.locator(f"#rij-{item.pk}")
    row.get_by_label("Status van imp-09").select_option(label="Gereed")
    row.get_by_label("Eigenaar").select_option(label=full_name(contributor))
    row.get_by_role("button", name="Opslaan").click()
    expect(page).to_have_url(re.compile(r"/checklist/\?.*status=open"))
    expect(page.locator(".app-messages")).to_be_visible()
    item.refresh_from_db()
    assert (item.status, item.owner) == (ChecklistItem.Status.DONE, contributor)

    # evidence and a risk through plain form posts on the item page
    page.goto(reverse("checklist:item", args=[scenario.algorithm.slug, item.pk]))
    upload_evidence(page)
    add_risk(page, scenario)
    assert_evidence_and_risk_stored(scenario)
