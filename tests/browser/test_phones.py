"""Issue 12 point 5, phones: at 390 px the checklist is one card per item and a
30-item checklist stays under 6,000 px; inline edits on a phone (the checklist's status
change, the item page's evidence) swap in without a console error or a Content Security
Policy violation. Screenshots go to test-artifacts/screenshots/ (see screens.py)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.scenario import Scenario, full_name, make_scenario
from tests.browser.screens import PHONE, assert_no_sideways_scroll, page_height, screenshot
from tests.world import make_catalog_item, make_checklist_item
from tracker.catalog.models import CatalogItem
from tracker.checklist.models import ChecklistItem
from tracker.evidence.models import Evidence

MAX_CHECKLIST_HEIGHT = 6_000  # px at 390 px wide, for 30 items (issue 12)

# Titles as long as the Algoritmekader's own (v2.5.1: 30 to 110 characters), in three
# topics so that the checklist shows several groups.
TITLES = [
    "Beschrijf de doelstelling en de beoogde werking van het algoritme",
    "Pas uitlegbaarheidstechnieken toe en evalueer en valideer deze",
    "Maak een noodplan voor het stoppen van het algoritme",
    "Controleer de datakwaliteit",
    "Leg vast wie verantwoordelijk is voor het beheer van het algoritme na ingebruikname",
    "Informeer betrokkenen over het gebruik van het algoritme en hun rechten",
    "Stel een werkinstructie op voor behandelaars die met de uitkomsten werken",
    "Voer een DPIA uit",
    "Toets het algoritme op bias en voer een biasanalyse uit vóór en tijdens het gebruik",
    "Richt een proces in voor het melden en afhandelen van incidenten",
    "Publiceer het algoritme in het Algoritmeregister",
    "Bepaal welke restrisico's aanvaardbaar zijn",
    "Zorg voor menselijke tussenkomst bij besluiten met rechtsgevolgen voor burgers",
    "Monitor de prestaties van het algoritme in productie",
    "Archiveer documenten",
    "Maak afspraken over het gebruik van data met de leverancier in het contract",
    "Test het algoritme met de eindgebruikers in een pilot op productiedata",
    "Leg de logging zo vast dat besluiten achteraf te reconstrueren zijn",
    "Beschrijf de rechtsgrond",
    "Evalueer de pilot en leg de uitkomsten en het besluit vast",
    "Train de gebruikers in het interpreteren van de uitkomsten",
]
TOPICS = ("governance", "transparantie", "privacy-en-gegevensbescherming")


def add_items(scenario: Scenario, count: int) -> list[ChecklistItem]:
    """``count`` more open measures and requirements, owned by the contributor."""
    algorithm, owner = scenario.algorithm, scenario.user("contributor")
    items = []
    for n in range(count):
        catalog_item = make_catalog_item(
            algorithm.release,
            kind=CatalogItem.Kind.REQUIREMENT if n % 4 == 0 else CatalogItem.Kind.MEASURE,
            title=TITLES[n % len(TITLES)],
            topics=(TOPICS[n % len(TOPICS)],),
        )
        items.append(make_checklist_item(algorithm, catalog_item, owner=owner))
    return items


@pytest.fixture
def scenario(transactional_db) -> Scenario:
    scenario = make_scenario()
    add_items(scenario, 30 - ChecklistItem.objects.filter(algorithm=scenario.algorithm).count())
    assert ChecklistItem.objects.filter(algorithm=scenario.algorithm).count() == 30
    return scenario


@pytest.mark.parametrize("role", ["approver", "viewer"])
def test_checklist_of_30_items_is_one_card_per_item_on_a_phone(open_page, scenario, role):
    page = open_page(scenario.user(role))
    page.set_viewport_size(PHONE)
    page.goto(reverse("checklist:list", args=[scenario.algorithm.slug]))
    screenshot(page, f"checklist-30-items-{role}")

    assert_no_sideways_scroll(page)
    height = page_height(page)
    assert height <= MAX_CHECKLIST_HEIGHT, f"checklist of 30 items is {height} px tall"
    # One card per item, each as wide as the page: title, status and owner readable.
    item = scenario.item
    card = page.locator(f"#rij-{item.pk}")
    assert 300 <= card.bounding_box()["width"] <= PHONE["width"]
    title = card.get_by_role("link", name=item.catalog_item.title)
    assert title.bounding_box()["width"] >= 200, "the title is squeezed into a narrow column"
    if role == "approver":  # the status is edited in place
        status = card.get_by_label(f"Status van {item.catalog_item.code}")
        expect(status).to_be_visible()
        assert status.bounding_box()["width"] >= 160, "the status select is squeezed"
        save = card.get_by_role("button", name="Opslaan")
        expect(save).to_be_visible()
        assert save.bounding_box()["height"] >= 40, "the save button is too small to tap"
    else:
        expect(card.locator(".app-checklist__status")).to_have_text(item.get_status_display())
    owned = page.locator(f"#rij-{add_owned(scenario).pk} .app-checklist__owner")
    expect(owned).to_be_visible()
    assert full_name(scenario.user("contributor")) in owned.inner_text()
    assert open_page.errors(page) == []


def right_edge(locator) -> float:
    box = locator.bounding_box()
    return box["x"] + box["width"]


def add_owned(scenario: Scenario) -> ChecklistItem:
    """An item of the 30 with an owner (the contributor)."""
    return ChecklistItem.objects.filter(
        algorithm=scenario.algorithm, owner=scenario.user("contributor")
    ).latest("pk")


def test_status_change_on_a_phone_swaps_in_without_errors(open_page, scenario):
    item = scenario.item
    page = open_page(scenario.user("contributor"))
    page.set_viewport_size(PHONE)
    page.goto(reverse("checklist:list", args=[scenario.algorithm.slug]))
    card = page.locator(f"#rij-{item.pk}")
    status = card.get_by_label(f"Status van {item.catalog_item.code}")
    justification = card.get_by_label("Onderbouwing (verplicht bij niet van toepassing)")
    expect(justification).to_be_hidden()  # on a phone only when it is needed
    status.select_option(label="Niet van toepassing")
    expect(justification).to_be_visible()
    status.select_option(label="In behandeling")
    expect(justification).to_be_hidden()
    card.get_by_role("button", name="Opslaan").click()
    expect(page.locator(f"#rij-{item.pk}")).to_contain_text("Opgeslagen")
    expect(page.locator("#progress [data-figure=in_progress]")).to_have_text("1")

    item.refresh_from_db()
    assert item.status == ChecklistItem.Status.IN_PROGRESS
    assert_no_sideways_scroll(page)
    screenshot(page, "checklist-after-status-change")
    # htmx injects no <style> of its own (htmx-config: includeIndicatorStyles false).
    assert page.locator("style").count() == 0
    assert open_page.errors(page) == [], "browser errors (a CSP refusal shows up here too)"

    # The change in the audit log, on the phone too.
    page.goto(reverse("audit:algorithm", args=[scenario.algorithm.slug]))
    expect(page.locator("main")).to_contain_text("In behandeling")
    assert_no_sideways_scroll(page)
    screenshot(page, "audit-log-after-status-change")
    assert open_page.errors(page) == []


def test_evidence_added_on_a_phone_swaps_in_without_errors(open_page, scenario):
    item = scenario.item
    page = open_page(scenario.user("contributor"))
    page.set_viewport_size(PHONE)
    page.goto(reverse("checklist:item", args=[scenario.algorithm.slug, item.pk]))
    url = page.url
    section = page.locator(".app-evidence")
    section.get_by_role("radio", name="Notitie").check()
    section.get_by_label("Titel").fill("Afspraak met de functioneel beheerder")
    section.get_by_label("Notitie", exact=True).and_(page.locator("textarea")).fill(
        "Incidenten gaan via het servicedesk-proces."
    )
    section.get_by_role("button", name="Toevoegen").click()
    expect(page.locator(".app-evidence__list")).to_contain_text(
        "Afspraak met de functioneel beheerder"
    )

    assert page.url == url, "the evidence was added in place, without a page load"
    assert Evidence.objects.filter(item=item, title__startswith="Afspraak").count() == 1
    assert_no_sideways_scroll(page)
    screenshot(page, "checklist-item-after-evidence")
    assert open_page.errors(page) == [], "browser errors (a CSP refusal shows up here too)"


def test_algorithms_list_keeps_name_phase_and_progress_on_a_phone(open_page, scenario):
    algorithm = scenario.algorithm
    page = open_page(scenario.user("approver"))
    page.set_viewport_size(PHONE)
    page.goto(reverse("algorithms:list"))
    screenshot(page, "algorithms-list")

    assert_no_sideways_scroll(page)
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=algorithm.name))
    progress = row.locator("[data-ready]")
    for cell in (row.get_by_role("link", name=algorithm.name), progress):
        expect(cell).to_be_visible()
    expect(row).to_contain_text(algorithm.get_phase_display())
    expect(row).to_contain_text(algorithm.organisation.name)  # under the name
    # Every key column in view, none scrolled off to the right of its table.
    for header in ("Naam", "Fase", "Voortgang"):
        assert right_edge(page.get_by_role("columnheader", name=header)) <= PHONE["width"], header
    assert right_edge(progress) <= PHONE["width"]
    assert open_page.errors(page) == []


def test_dashboard_bar_charts_fall_back_to_their_tables_on_a_phone(open_page, scenario):
    page = open_page(scenario.user("approver"))
    page.goto(reverse("algorithm_dashboard:detail", args=[scenario.algorithm.slug]))
    chart = page.locator("figure.app-chart--bars").filter(has_text="Gereed per onderwerp")
    phone_table = chart.locator(".app-chart__phone table")
    expect(chart.locator("svg")).to_be_visible()
    expect(phone_table).to_be_hidden()  # at 1280 px the drawing, its table folded away

    page.set_viewport_size(PHONE)
    expect(chart.locator("svg")).to_be_hidden()
    expect(phone_table).to_be_visible()
    expect(phone_table.get_by_role("row", name="Governance")).to_contain_text("%")
    assert right_edge(phone_table) <= PHONE["width"]
    assert_no_sideways_scroll(page)
    assert open_page.errors(page) == []


def test_portfolio_is_one_card_per_algorithm_on_a_phone(open_page, scenario):
    algorithm = scenario.algorithm
    page = open_page(scenario.user("portfolio"))
    page.set_viewport_size(PHONE)
    page.goto(reverse("dashboards:portfolio"))

    assert_no_sideways_scroll(page)
    row = page.locator("#portfolio-tabel tbody tr").filter(has_text=algorithm.name)
    # Name, status with its reason, phase and readiness all in view on the card.
    for part in (
        "[scope=row] a",
        "[data-figure=status]",
        "[data-label=Fase]",
        "[data-figure=ready]",
    ):
        cell = row.locator(part)
        expect(cell).to_be_visible()
        assert right_edge(cell) <= PHONE["width"], part
    expect(row.locator("[data-figure=status]")).to_contain_text("Geblokkeerd")
    expect(row).to_contain_text(algorithm.get_phase_display())
    assert open_page.errors(page) == []
