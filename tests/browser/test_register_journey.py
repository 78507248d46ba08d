"""Issue 15 in a real browser: the owner completes the Algoritmeregister entry of an
impactful algorithm and exports it; the go-live gate's blocker goes; axe finds no
serious violations on the entry and preview pages. Screenshots at 1280 and 390 px go
to test-artifacts/register/."""

import json

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.browser.axe import assert_accessible, axe_script
from tests.browser.environment import ROOT
from tests.browser.scenario import Scenario, make_scenario
from tests.register.helpers import ensure_standard
from tests.world import make_risk
from tracker.gates.readiness import REGISTER_ENTRY_KEY, go_live_readiness
from tracker.register.entry import entry_from_document
from tracker.register.models import RegisterEntry, RegisterStandard
from tracker.register.validation import validate

SHOTS = ROOT / "test-artifacts" / "register"


@pytest.fixture
def scenario(transactional_db) -> Scenario:
    ensure_standard()
    scenario = make_scenario()
    algorithm = scenario.algorithm
    algorithm.impactful = True
    algorithm.description = "Signaleert aanvragen bijzondere bijstand die extra aandacht vragen."
    algorithm.save()
    make_risk(
        scenario.item,
        scenario.user("contributor"),
        description="Onterechte signalen bij zelfstandigen",
        mitigation="De consulent beoordeelt elk signaal zelf",
        accepted_by=scenario.user("approver"),
    )
    return scenario


def shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_the_owner_completes_and_exports_the_entry(open_page, scenario: Scenario):
    algorithm = scenario.algorithm
    assert REGISTER_ENTRY_KEY in go_live_readiness(algorithm).keys
    page = open_page(scenario.user("owner"), init_scripts=(axe_script(),))
    page.goto(algorithm.get_absolute_url())
    expect(page.locator("#register-status")).to_contain_text("Nog niet ingevuld")
    page.get_by_role("link", name="Registratie voor het Algoritmeregister", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Algoritmeregister: {algorithm.name}"
    )
    expect(page.locator("#veld-risks")).to_contain_text("Uit de tracker: Restrisico's (1)")
    expect(page.get_by_label("Naam (verplicht)", exact=True)).to_have_value(algorithm.name)
    assert_accessible(page)
    shoot(page, "entry-prefilled")
    # axe and the screenshots leave inline styles behind on elements, which htmx's
    # attribute settling would copy (a CSP refusal); a user starts from a clean page.
    page.reload()

    page.get_by_label("Contactgegevens (verplicht)", exact=True).fill("algoritmes@voorbeeldstad")
    page.get_by_role("button", name="Registratie opslaan").click()
    expect(page.locator("#veld-contact_email")).to_contain_text("geen geldig e-mailadres")
    assert_accessible(page)
    page.reload()
    page.get_by_label("Contactgegevens (verplicht)", exact=True).fill("algoritmes@voorbeeldstad.nl")
    page.locator("#veld-category").get_by_label("Sociale zekerheid").check()
    page.get_by_label("Doel en impact", exact=True).fill(
        "<p>Consulenten sneller wijzen op aanvragen die extra aandacht vragen.</p>"
    )
    page.get_by_role("button", name="Registratie opslaan").click()
    expect(page.locator("#entry-state")).to_contain_text("Volledig en geldig")
    assert RegisterEntry.objects.get(algorithm=algorithm).is_complete

    page.get_by_role("button", name="Exporteren voor het Algoritmeregister").click()
    expect(page.locator("#entry-state")).to_contain_text("Geëxporteerd en actueel")
    with page.expect_download() as download_info:
        page.locator("#exports a").first.click()
    document = json.loads(download_info.value.path().read_text(encoding="utf-8"))
    standard = RegisterStandard.latest().standard
    assert validate(document[0], standard).complete
    entry = entry_from_document(document, standard)
    assert entry["contact_email"] == "algoritmes@voorbeeldstad.nl"
    assert entry["publication_category"] == "Impactvolle algoritmes"
    assert REGISTER_ENTRY_KEY not in go_live_readiness(algorithm).keys
    assert_accessible(page)
    shoot(page, "entry-exported")

    page.get_by_role("link", name="Voorbeeld zoals in het Algoritmeregister").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(algorithm.name)
    expect(page.locator('[data-field="contact_email"]')).to_have_text("algoritmes@voorbeeldstad.nl")
    assert_accessible(page)
    shoot(page, "preview")

    page.goto(reverse("gates:go_live", args=[algorithm.slug]))
    expect(page.get_by_text("Geen volledige, geldige registratie")).to_have_count(0)
    assert not open_page.errors(page)
