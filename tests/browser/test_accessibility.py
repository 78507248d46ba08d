"""Issue 7 accessibility: axe-core's WCAG 2.1 A and AA rules on every main page, with
zero serious or critical violations, at 1280 px and on a phone (390 px), where no page
may scroll sideways (issue 12). Each page is opened as the user who sees the most of it
(an approver sees the edit and the approve forms) with realistic data: the real
Algoritmekader v2.5.1 for the catalog pages, evidence and a risk on the item. A
screenshot of every page at both widths is kept in test-artifacts/screenshots/."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.browser.axe import assert_accessible, axe_script
from tests.browser.pages import later_page_url
from tests.browser.scenario import Scenario, make_scenario
from tests.browser.screens import PHONE, assert_no_sideways_scroll, screenshot
from tests.world import make_decision, make_evidence, make_risk
from tracker.algorithms.models import Algorithm
from tracker.catalog.models import CatalogItem, ContentRelease


@dataclass
class Data:
    scenario: Scenario
    release: ContentRelease | None = None  # the imported v2.5.1, for catalog pages

    @property
    def slug(self) -> str:
        return self.scenario.algorithm.slug

    def decision_url(self) -> str:
        """A recorded go-live decision (a no-go needs no readiness) and its page."""
        decision = make_decision(self.scenario.algorithm, self.scenario.user("approver"))
        return reverse("decisions:detail", args=[self.slug, decision.pk])

    def aid_url(self, page: str) -> str:
        """A page of the real beslishulp v1.2.24 for the algorithm: the start, question
        2.1 (the longest explanation: prohibited practices) or the high-risk deployer's
        result with the checklist preview."""
        from tests.decision_aid.helpers import aid_dir
        from tests.decision_aid.test_walk_real import HIGH_RISK_DEPLOYER
        from tracker.decision_aid.importer import import_tree
        from tracker.decision_aid.walk import choices_for

        tree = import_tree(aid_dir("v1.2.24")).tree
        url = reverse(f"decision_aid:algorithm_{page}", args=[self.slug])
        if page == "start":
            return url
        answers = HIGH_RISK_DEPLOYER if page == "result" else HIGH_RISK_DEPLOYER[:6]
        choices = choices_for(tree.tree(), answers)
        return url + f"?v={tree.pk}" + "".join(f"&a={n}" for n in choices)

    def url(self, name: str) -> str:
        """The URL of one of the algorithm's own pages."""
        return reverse(name, args=[self.slug])

    def pilot_url(self, name: str) -> str:
        """A pilot page, of the algorithm in the pilot stage with a running pilot."""
        from tests.pilots.helpers import make_pilot

        algorithm = self.scenario.algorithm
        algorithm.stage = Algorithm.Stage.PILOT
        algorithm.save(update_fields=["stage"])
        make_pilot(self.scenario.world, criteria=3)
        return self.url(name)

    def register_url(self, name: str) -> str:
        """A register page, with the real publication standard imported."""
        from tests.register.conftest import shared_file

        call_command("import_register_standard", str(shared_file("standard-v1_0.json")))
        return self.url(name)

    def catalog_item(self, kind: str) -> CatalogItem:
        """The item of this kind with the longest body: the most markup to check."""
        items = CatalogItem.objects.filter(release=self.release, kind=kind)
        return max(items, key=lambda item: len(item.body))


@dataclass(frozen=True)
class MainPage:
    name: str
    role: str | None  # None: not logged in
    url: Callable[[Data], str]
    real_content: bool = False


MAIN_PAGES = [
    MainPage("login", None, lambda d: reverse("login")),
    MainPage("catalog-list", "contributor", lambda d: reverse("catalog:list"), True),
    MainPage(
        "catalog-requirement",
        "contributor",
        lambda d: d.catalog_item(CatalogItem.Kind.REQUIREMENT).get_absolute_url(),
        True,
    ),
    MainPage(
        "catalog-measure",
        "contributor",
        lambda d: d.catalog_item(CatalogItem.Kind.MEASURE).get_absolute_url(),
        True,
    ),
    MainPage("algorithms", "approver", lambda d: reverse("algorithms:list")),
    MainPage("algorithm", "approver", lambda d: reverse("algorithms:detail", args=[d.slug])),
    MainPage("checklist", "approver", lambda d: reverse("checklist:list", args=[d.slug])),
    MainPage(
        "checklist-item",
        "approver",
        lambda d: reverse("checklist:item", args=[d.slug, d.scenario.item.pk]),
    ),
    MainPage("gate", "approver", lambda d: reverse("gates:go_live", args=[d.slug])),
    MainPage("decision", "approver", lambda d: d.decision_url()),
    MainPage("audit-log", "approver", lambda d: reverse("audit:algorithm", args=[d.slug])),
    MainPage("pilot", "approver", lambda d: later_page_url("pilot", d.slug)),
    MainPage("pilot-running", "approver", lambda d: d.pilot_url("pilots:detail")),
    MainPage("portfolio", "portfolio", lambda d: later_page_url("portfolio")),
    MainPage("heatmap", "portfolio", lambda d: later_page_url("heatmap")),
    MainPage(
        "algorithm-dashboard",
        "approver",
        lambda d: later_page_url("algorithm_dashboard", d.slug),
    ),
    MainPage("decision-aid-start", "owner", lambda d: d.aid_url("start")),
    MainPage("decision-aid-question", "owner", lambda d: d.aid_url("question")),
    MainPage("decision-aid-result", "owner", lambda d: d.aid_url("result")),
    # Forms and the pages around them (issue 12: every page at 390 px).
    MainPage("algorithm-register", "owner", lambda d: reverse("algorithms:create")),
    MainPage("algorithm-edit", "owner", lambda d: d.url("algorithms:edit")),
    MainPage("algorithm-profile", "owner", lambda d: d.url("algorithms:profile")),
    MainPage("members", "owner", lambda d: d.url("algorithms:members")),
    MainPage("not-applicable", "approver", lambda d: d.url("algorithms:not_applicable")),
    MainPage("release", "owner", lambda d: d.url("algorithms:release")),
    MainPage("catalog-compare", "contributor", lambda d: reverse("catalog:compare")),
    MainPage("risk-list", "portfolio", lambda d: reverse("dashboards:risk_list")),
    MainPage("decisions", "approver", lambda d: d.url("decisions:list")),
    MainPage("pilot-edit", "owner", lambda d: d.pilot_url("pilots:edit")),
    MainPage("pilot-evaluate", "owner", lambda d: d.pilot_url("pilots:evaluate")),
    MainPage("register-entry", "owner", lambda d: d.register_url("register:entry")),
    MainPage("register-preview", "owner", lambda d: d.register_url("register:preview")),
]


@pytest.fixture
def data(transactional_db) -> Data:
    scenario = make_scenario()
    contributor = scenario.user("contributor")
    make_evidence(scenario.item, contributor, title="Werkinstructie behandelaars")
    make_risk(scenario.item, contributor, description="Behandelaars volgen de score blind")
    return Data(scenario=scenario)


@pytest.mark.parametrize("main_page", MAIN_PAGES, ids=[page.name for page in MAIN_PAGES])
def test_no_serious_violations(main_page: MainPage, data: Data, open_page, request):
    if main_page.real_content:
        call_command("import_content", str(request.getfixturevalue("v251")), verbosity=0)
        data.release = ContentRelease.objects.get(label="v2.5.1")
    url = main_page.url(data)
    user = data.scenario.user(main_page.role) if main_page.role else None
    page = open_page(user, init_scripts=(axe_script(),))
    response = page.goto(url)
    assert response is not None, url
    assert response.status == 200, f"{url}: HTTP {response.status}"

    assert_accessible(page)
    screenshot(page, main_page.name)

    page.set_viewport_size(PHONE)
    screenshot(page, main_page.name)
    assert_no_sideways_scroll(page)
    assert_accessible(page)
    assert open_page.errors(page) == [], "browser errors (a CSP refusal shows up here too)"
