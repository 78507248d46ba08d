"""A conditional go over 62 blockers in the browser: a refused submit shows the error
summary at the top with the focus on it; with the defaults set it is one submit. The
gate page stays short at 1280 and at 390 px wide (screenshots in test-artifacts/)."""

import datetime
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.scenario import full_name, make_scenario
from tests.gates.helpers import add_items
from tracker.decisions.models import Decision

SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


@pytest.fixture
def scenario(transactional_db):
    scenario = make_scenario()
    add_items(scenario.algorithm, 60, scenario.user("contributor"))
    return scenario


def test_conditional_go_with_defaults_and_a_summary(open_page, scenario):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = open_page(scenario.user("approver"))
    page.goto(reverse("gates:go_live", args=[scenario.algorithm.slug]))
    rows = page.locator(".app-conditions > li")
    count = rows.count()
    assert count >= 60
    assert page.locator(".app-conditions input[type=checkbox]:checked").count() == count
    page.screenshot(path=SHOTS / "gate-approver-1280.png", full_page=True)
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 8000, height  # was 15,812 px with a form per blocker

    page.get_by_label("Go onder voorwaarden").check()
    page.get_by_label("Onderbouwing").fill("Live onder voorwaarden.")
    page.get_by_role("button", name="Besluit vastleggen").click()
    summary = page.locator("#foutsamenvatting")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Kies een eigenaar voor alle voorwaarden")
    summary.get_by_role("link", name="Eigenaar van alle voorwaarden", exact=False).first.click()
    expect(page.get_by_label("Eigenaar van alle voorwaarden")).to_be_focused()

    due = timezone.localdate() + datetime.timedelta(days=30)
    page.get_by_label("Eigenaar van alle voorwaarden").select_option(
        label=full_name(scenario.user("contributor"))
    )
    page.get_by_label("Deadline van alle voorwaarden").fill(due.isoformat())
    page.get_by_role("button", name="Besluit vastleggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Go-livebesluit: Go onder voorwaarden"
    )
    decision = Decision.objects.get(algorithm=scenario.algorithm)
    assert decision.conditions.count() == count
    # Chromium logs the refused form's deliberate 422 status as a failed resource; any
    # other console error (a script, a CSP refusal) fails the test.
    errors = [e for e in open_page.errors(page) if "status of 422" not in e]
    assert errors == []

    phone = open_page(scenario.user("approver"))
    phone.set_viewport_size({"width": 390, "height": 844})
    phone.goto(reverse("gates:go_live", args=[scenario.algorithm.slug]))
    phone.screenshot(path=SHOTS / "gate-approver-390.png", full_page=True)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
