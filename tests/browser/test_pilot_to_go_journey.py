"""Issue 12 acceptance: from registration to a recorded go, as owner plus approver, in a
real browser, through visible links and buttons only. The only typed URLs are the
login page (pages.login) and the start page; every other page is reached by clicking.
At each step the test first asserts that the next action is offered on the page
(mostly in the overview's "Volgende stappen"), then takes it.

The owner registers a high-risk AI system in the pilot stage, works an item of the
checklist (status, owner, evidence), records and evaluates the pilot and appoints an
approver by searching her name; the approver, in a second browser context, takes the
pilot decision (implementeren) and records a conditional go over the remaining
blockers with one set of defaults; the owner then finds the conditions as her next step.

And a manager's first page after login (the portfolio) says which algorithms are ready
for go-live and, for the others, what blocks them.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from tests.algorithms.helpers import make_catalog
from tests.gates.helpers import make_ready_world
from tests.world import make_algorithm, make_checklist_item, make_organisation, make_user
from tracker.algorithms.models import Algorithm, Membership
from tracker.audit.verify import verify_chain
from tracker.checklist.models import ChecklistItem
from tracker.decisions.models import Decision
from tracker.organisations.models import OrganisationMembership

NAME = "Risicoscan leerlingenvervoer"
START = "/"  # the start page: the one URL besides the login page that is typed


@pytest.fixture
def people(transactional_db) -> dict:
    make_catalog()
    organisation = make_organisation("Gemeente Voorbeeldstad")
    people = {
        "owner": make_user("olga", first_name="Olga", last_name="Bakker"),
        "approver": make_user("anna", first_name="Anna", last_name="Akkoord"),
    }
    for user in people.values():
        OrganisationMembership.objects.create(organisation=organisation, user=user)
    return people


def next_steps(page: Page) -> Locator:
    """The overview's "Volgende stappen" section."""
    section = page.locator("section", has=page.get_by_role("heading", name="Volgende stappen"))
    expect(section).to_be_visible()
    return section


def offered(page: Page, name: str | re.Pattern) -> Locator:
    """The next step ``name`` as a visible link in "Volgende stappen"."""
    step = next_steps(page).get_by_role("link", name=name)
    expect(step).to_be_visible()
    return step


def stands(page: Page, text: str) -> None:
    """The overview says where the algorithm stands (the portfolio's status)."""
    expect(page.locator("#status")).to_contain_text(text)


def to_overview(page: Page) -> None:
    """Back to the algorithm's overview: its first tab, or the breadcrumb's link."""
    tab = page.get_by_role("link", name="Overzicht", exact=True)
    tab.or_(page.get_by_role("link", name=NAME, exact=True)).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(NAME)


def register(page: Page) -> None:
    register = page.get_by_role("link", name="Algoritme registreren")
    expect(register).to_be_visible()
    register.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Algoritme registreren")
    page.get_by_label("Naam", exact=True).fill(NAME)
    page.get_by_label("Omschrijving").fill("Markeert aanvragen leerlingenvervoer voor controle.")
    page.get_by_label("Fase", exact=True).select_option(label="Implementatie")
    page.get_by_label("Stap (alleen in de fase Implementatie)").select_option(label="Pilot")
    page.get_by_label("Het algoritme is een AI-systeem").check()
    page.get_by_label("Soort toepassing").select_option(label="AI-systeem")
    page.get_by_label("Risicogroep").select_option(label="Hoog-risico-AI-systeem")
    page.get_by_label("Gebruiksverantwoordelijke").check()
    page.get_by_label("Transparantieverplichting").select_option(label="Transparantieverplichting")
    page.get_by_label("Systeemrisico").select_option(label="Niet van toepassing")
    page.get_by_label("Open source").select_option(label="Geen open source")
    page.get_by_label("Impactvol algoritme").check()
    page.get_by_role("button", name=re.compile("^Registreren")).last.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(NAME)


def work_an_item(page: Page, owner) -> ChecklistItem:
    """Status and owner inline on the checklist, then evidence on the item's page."""
    checklist = page.get_by_role("link", name="Checklist", exact=True).first
    expect(checklist).to_be_visible()
    checklist.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Checklist")
    row = page.locator("tr", has=page.get_by_label("Status van avg-01"))
    row.get_by_label("Status van avg-01").select_option(label="Gereed")
    row.get_by_label("Eigenaar").select_option(label=owner.get_full_name())
    row.get_by_role("button", name="Opslaan").click()
    expect(row.get_by_role("status")).to_have_text("Opgeslagen")
    item = ChecklistItem.objects.get(algorithm__name=NAME, catalog_item__code="avg-01")
    assert (item.status, item.owner) == (ChecklistItem.Status.DONE, owner)

    row.get_by_role("link", name=item.catalog_item.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(item.catalog_item.title)
    evidence = page.locator(".app-evidence")
    evidence.get_by_role("radio", name="Link").check()
    evidence.get_by_label("Titel").fill("Verwerkingsregister, regel 12")
    evidence.get_by_label("Link", exact=True).and_(page.locator("[type=url]")).fill(
        "https://intranet.example.nl/verwerkingsregister#12"
    )
    evidence.get_by_role("button", name="Toevoegen").click()
    expect(page.locator(".app-evidence__list")).to_contain_text("Verwerkingsregister, regel 12")
    return item


def record_pilot(page: Page) -> None:
    offered(page, "Pilot vastleggen").click()
    today = timezone.localdate()
    page.get_by_label("Startdatum").fill(today.isoformat())
    page.get_by_label("Einddatum").fill((today + datetime.timedelta(days=60)).isoformat())
    page.get_by_label("Maximaal aantal zaken").fill("300")
    page.get_by_label("Betrokken organisatieonderdelen").fill("Team Leerlingenvervoer")
    page.get_by_label("Grondslag voor de verwerking").fill("AVG art. 6 lid 1 sub e")
    page.get_by_label("Deelnemende gebruikers").fill("Zes consulenten leerlingenvervoer")
    page.get_by_label("Afspraken tussen ontwikkelteam en pilotgebruikers").fill(
        "Elke markering wordt door een consulent beoordeeld."
    )
    criteria = page.locator("#succescriteria")
    criteria.get_by_label("Naam").first.fill("Terechte markeringen")
    criteria.get_by_label("Maatstaf").first.fill("Aandeel terecht bij controle")
    criteria.get_by_label("Verwachte waarde of bandbreedte").first.fill("ten minste 60%")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("heading", name="Succescriteria")).to_be_visible()


def evaluate_pilot(page: Page) -> None:
    evaluate = page.get_by_role("link", name="Pilot evalueren")
    expect(evaluate).to_be_visible()
    evaluate.click()
    page.get_by_label("Gemeten waarde: Terechte markeringen").fill("71%")
    page.get_by_label("Gehaald: Terechte markeringen").select_option(label="Ja")
    page.get_by_label("Kunnen gebruikers met de output werken?").fill(
        "De consulenten begrijpen de markering en werken ermee."
    )
    page.get_by_role("button", name="Evaluatie opslaan").click()
    expect(page.locator("#evaluatie-heading")).to_be_visible()


def appoint_approver(page: Page, approver) -> None:
    offered(page, "Een accordeerder aanwijzen").click()
    expect(page.get_by_role("heading", name="Lid toevoegen")).to_be_visible()
    page.get_by_label("Zoek").fill("Akkoord")
    page.get_by_role("button", name="Zoeken").click()
    name = approver.get_full_name()
    page.get_by_label(f"Rol van {name}").select_option(label="Accordeerder")
    page.get_by_role("button", name=f"{name} toevoegen").click()
    expect(page.locator(".app-messages")).to_contain_text(f"{name} is toegevoegd als accordeerder")


def test_from_registration_to_a_recorded_go(open_page, people):
    owner, approver = people["owner"], people["approver"]
    page = open_page(owner)
    page.goto(START)

    # 1. registration: the start page offers it; the algorithm's page says what's next
    register(page)
    algorithm = Algorithm.objects.get(name=NAME)
    assert (algorithm.phase, algorithm.stage) == ("implementatie", "pilot")
    assert algorithm.risicogroep == "hoog-risico-ai-systeem"
    stands(page, "In pilot: Geen lopende pilot vastgelegd")
    offered(page, "Pilot vastleggen")

    # 2. the checklist: one item done with an owner and evidence
    work_an_item(page, owner)
    to_overview(page)

    # 3. the pilot: recorded, then evaluated (each time the next step is on the page)
    record_pilot(page)
    to_overview(page)
    stands(page, "In pilot: De pilot is nog niet geëvalueerd")
    offered(page, "Pilot evalueren")
    evaluate_pilot(page)
    to_overview(page)

    # 4. no approver yet: the owner is told to appoint one, and does so by her name
    appoint_approver(page, approver)
    assert Membership.objects.filter(
        algorithm=algorithm, user=approver, role=Membership.Role.APPROVER
    ).exists()
    to_overview(page)
    offered(page, f"Wacht op besluit van een accordeerder ({approver.get_full_name()})")

    # 5. the approver, in a browser of her own: the pilot decision
    review = open_page(approver)
    review.goto(START)
    review.get_by_role("link", name=NAME, exact=True).click()
    offered(review, "Pilotbesluit nemen").click()
    decision = review.locator("#pilotbesluit")
    decision.get_by_label("Implementeren").check()
    decision.get_by_label("Onderbouwing").fill("Criterium gehaald; gebruikers werken ermee.")
    decision.get_by_role("button", name="Pilotbesluit vastleggen").click()
    expect(decision).to_contain_text(f"Implementeren besloten door {approver.get_full_name()}")
    algorithm.refresh_from_db()
    assert algorithm.stage == Algorithm.Stage.PRODUCTION
    to_overview(review)

    # ... and the owner's next step is the go-live gate's blockers
    page.goto(START)
    page.get_by_role("link", name=NAME, exact=True).click()
    stands(page, "Geblokkeerd")
    offered(page, re.compile(r"^\d+ blokkades? voor go-live oplossen$"))

    # 6. the go-live gate: a conditional go over every open blocker, one set of defaults
    offered(review, "Go-livebesluit nemen").click()
    review.get_by_label("Go onder voorwaarden").check()
    review.get_by_label("Onderbouwing").fill("Pilot positief; open punten als voorwaarden.")
    review.get_by_label("Eigenaar van alle voorwaarden").select_option(label=owner.get_full_name())
    due = timezone.localdate() + datetime.timedelta(days=45)
    review.get_by_label("Deadline van alle voorwaarden").fill(due.isoformat())
    review.get_by_role("button", name="Besluit vastleggen").click()
    expect(review.get_by_role("heading", level=1)).to_have_text(
        "Go-livebesluit: Go onder voorwaarden"
    )
    go = Decision.objects.get(algorithm=algorithm, gate=Decision.Gate.GO_LIVE)
    assert (go.outcome, go.decided_by) == (Decision.Outcome.CONDITIONAL, approver)
    conditions = go.conditions.count()
    assert conditions == len(go.snapshot["blockers"]) > 0
    assert go.snapshot_verifies()

    # 7. the owner's next step is now the go's conditions
    page.goto(START)
    page.get_by_role("link", name=NAME, exact=True).click()
    stands(page, "In productie")
    offered(page, f"{conditions} voorwaarden van de go afronden")
    assert verify_chain().ok
    assert open_page.errors(page) == []
    assert open_page.errors(review) == []


@pytest.fixture
def portfolio(transactional_db) -> dict:
    """A manager's organisation with one algorithm ready for go-live, one blocked (no
    go-live criteria on its checklist yet) and one in pilot without an evaluation."""
    ready = make_ready_world()
    ready.algorithm.name = "Routering meldingen"
    ready.algorithm.save(update_fields=["name"])
    organisation, release = ready.algorithm.organisation, ready.algorithm.release
    blocked = make_algorithm(
        organisation, release, name="Beslisregels bijzondere bijstand", stage="production"
    )
    make_checklist_item(blocked, status=ChecklistItem.Status.DONE, owner=ready.world.owner)
    pilot = make_algorithm(organisation, release, name="Chatbot Burgerzaken", stage="pilot")
    return {
        "manager": ready.world.users["portfolio"],
        "ready": ready.algorithm,
        "blocked": blocked,
        "pilot": pilot,
    }


def test_a_managers_first_page_says_what_is_ready_and_why_the_rest_is_blocked(open_page, portfolio):
    page = open_page(portfolio["manager"])  # the login form, then wherever it leads
    expect(page.get_by_role("heading", level=1)).to_have_text("Portfolio")

    def status(algorithm) -> Locator:
        row = page.locator("tr", has=page.get_by_role("link", name=algorithm.name, exact=True))
        expect(row).to_have_count(1)
        return row.locator('[data-figure="status"]')

    expect(status(portfolio["ready"])).to_have_text("Klaar voor go-live")
    blocked = status(portfolio["blocked"])
    expect(blocked).to_contain_text("Geblokkeerd")
    expect(blocked).to_contain_text("6 go-livecriteria niet gereed")
    pilot = status(portfolio["pilot"])
    expect(pilot).to_contain_text("In pilot")
    expect(pilot).to_contain_text("Geen lopende pilot vastgelegd")
    assert open_page.errors(page) == []
