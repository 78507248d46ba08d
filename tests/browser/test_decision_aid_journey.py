"""Issue 11 journey: the owner determines the AI profile with the real beslishulp
v1.2.24 in a browser, question by question (htmx swaps the question region),
goes back once, sees the conclusion, the profile and the checklist preview, and applies
it. The same walk works without JavaScript. Screenshots at 1280 and 390 px wide."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.browser.conftest import ARTIFACTS
from tests.browser.scenario import Scenario, make_scenario
from tests.decision_aid.helpers import aid_dir
from tests.decision_aid.test_walk_real import HIGH_RISK_DEPLOYER
from tracker.decision_aid.importer import import_tree
from tracker.decision_aid.models import DecisionAidRun


@pytest.fixture
def scenario(transactional_db) -> Scenario:
    scenario = make_scenario()
    import_tree(aid_dir("v1.2.24"))
    return scenario


def answer_all(page: Page, answers, *, screenshot_at: str = "") -> None:
    for question_id, text in answers:
        expect(page.locator("#question-heading")).to_be_visible()
        if question_id == screenshot_at:
            for width in (1280, 390):
                page.set_viewport_size({"width": width, "height": 900})
                ARTIFACTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(
                    path=ARTIFACTS / f"aid-question-{width}.png", full_page=True, caret="initial"
                )
            page.set_viewport_size({"width": 1280, "height": 900})
        step = (page.locator("#progress").text_content() or "").strip()
        page.get_by_label(text, exact=True).check()
        page.get_by_role("button", name="Volgende").click()
        # Wait until the next question (or the result) has replaced this one, so the next
        # answer is never ticked on the question just answered ("Ja"/"Nee" recur).
        this_step = re.compile(rf"^\s*{re.escape(step)}\s*$")
        expect(page.locator("#progress").filter(has_text=this_step)).to_have_count(0)


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-js"])
def test_owner_walks_the_aid_and_applies_the_profile(open_page, scenario, javascript):
    owner = scenario.user("owner")
    page = open_page(owner, javascript=javascript)
    page.goto(reverse("decision_aid:algorithm_start", args=[scenario.algorithm.slug]))
    page.get_by_role("link", name="Start de beslishulp").click()
    expect(page.locator("#progress")).to_contain_text("Vraag 1")

    answer_all(page, HIGH_RISK_DEPLOYER[:3], screenshot_at="1.2" if javascript else "")
    expect(page.locator("#progress")).to_contain_text("Vraag 4")
    if not javascript:
        assert "a=4" in page.url  # the answers travel in the URL (bookmarkable)
    page.get_by_role("link", name="Vorige vraag").click()
    expect(page.locator("#progress")).to_contain_text("Vraag 3")
    answer_all(page, HIGH_RISK_DEPLOYER[2:])

    expect(page.get_by_role("heading", level=2, name="Conclusie 13.0.2")).to_be_visible()
    expect(page.locator("#aid-profile")).to_contain_text("Hoog-risico-AI-systeem")
    expect(page.locator("#aid-profile")).to_contain_text("Gebruiksverantwoordelijke")
    expect(page.get_by_role("heading", name="Gevolgen voor de checklist")).to_be_visible()
    if javascript:
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(
                path=ARTIFACTS / f"aid-result-{width}.png", full_page=True, caret="initial"
            )
        page.set_viewport_size({"width": 1280, "height": 900})
    assert not DecisionAidRun.objects.exists()

    page.get_by_role("button", name="Bevestigen en toepassen").click()
    expect(page.locator("#aid-grounds")).to_contain_text("Conclusie 13.0.2")
    scenario.algorithm.refresh_from_db()
    assert scenario.algorithm.risicogroep == "hoog-risico-ai-systeem"
    run = DecisionAidRun.objects.get()
    assert [step["question_id"] for step in run.steps] == [q for q, _ in HIGH_RISK_DEPLOYER]
    assert open_page.errors(page) == []
