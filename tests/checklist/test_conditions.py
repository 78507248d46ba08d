"""The conditions of the current go-live decision on the checklist page: shown above
the groups with owner, deadline (overdue marked) and status, with the gate page's fulfil
form for users who may edit; one query, whatever the number of conditions or items."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.checklist.test_page import fill, queries_for
from tests.world import make_decision
from tracker.decisions.models import DecisionCondition

HEADING = "Voorwaarden uit het go-livebesluit"


def checklist_url(world) -> str:
    return reverse("checklist:list", args=[world.algorithm.slug])


def add_conditions(world, decision, *specs) -> list[DecisionCondition]:
    """Conditions on ``decision``: (description, days from today, status) each."""
    today = timezone.localdate()
    return [
        DecisionCondition.objects.create(
            decision=decision,
            blocker_key=f"blokkade-{n}",
            description=description,
            owner=world.contributor,
            due_date=today + timedelta(days=days),
            status=status,
            completed_at=timezone.now() if status == DecisionCondition.Status.DONE else None,
        )
        for n, (description, days, status) in enumerate(specs)
    ]


def condition_row(html: str, condition) -> str:
    match = re.search(
        rf'<tr class="utrecht-table__row" id="voorwaarde-{condition.pk}">.*?</tr>', html, re.S
    )
    assert match, f"no row for condition {condition.pk}"
    return match[0]


@pytest.fixture
def conditions(world):
    decision = make_decision(world.algorithm, world.approver)
    OPEN, DONE = DecisionCondition.Status.OPEN, DecisionCondition.Status.DONE
    return add_conditions(
        world,
        decision,
        ("Brief aan betrokkenen versturen", -3, OPEN),  # overdue
        ("Werkinstructie publiceren", 10, OPEN),
        ("Helpdesk inrichten", -5, DONE),  # late, but fulfilled: not overdue
    )


def test_no_section_without_a_go_live_decision(client_for, world):
    html = client_for(world.viewer).get(checklist_url(world)).content.decode()
    assert HEADING not in html
    assert 'id="voorwaarden"' not in html


def test_no_section_when_the_current_decision_has_no_conditions(client_for, world, conditions):
    make_decision(world.algorithm, world.approver)  # supersedes the decision with conditions
    html = client_for(world.viewer).get(checklist_url(world)).content.decode()
    assert HEADING not in html
    for condition in conditions:
        assert f'id="voorwaarde-{condition.pk}"' not in html


def test_section_shows_the_current_decisions_conditions_above_the_groups(
    client_for, world, conditions
):
    late, upcoming, done = conditions
    html = client_for(world.viewer).get(checklist_url(world)).content.decode()
    assert html.index(HEADING) < html.index('id="results"')
    assert html.index("Brief aan betrokkenen") < html.index("Werkinstructie publiceren")

    late_row = condition_row(html, late)
    assert "Te laat" in late_row
    assert (timezone.localdate() - timedelta(days=3)).strftime("%d-%m-%Y") in late_row
    assert "contributor" in late_row
    assert "app-badge--open" in late_row

    assert "Te laat" not in condition_row(html, upcoming)
    done_row = condition_row(html, done)
    assert "Vervuld op" in done_row
    assert "Te laat" not in done_row
    assert reverse("gates:go_live", args=[world.algorithm.slug]) + "#voorwaarden" in html


def test_only_the_current_decisions_conditions(client_for, world, conditions):
    newer = make_decision(world.algorithm, world.approver)
    [kept] = add_conditions(world, newer, ("Nieuwe voorwaarde", 4, "open"))
    html = client_for(world.viewer).get(checklist_url(world)).content.decode()
    assert f'id="voorwaarde-{kept.pk}"' in html
    for old in conditions:
        assert f'id="voorwaarde-{old.pk}"' not in html


@pytest.mark.parametrize(
    ("role", "shown"), [("viewer", False), ("contributor", True), ("approver", True)]
)
def test_fulfil_form_only_for_users_who_may_edit(client_for, world, conditions, role, shown):
    late, _, done = conditions
    html = client_for(world.users[role]).get(checklist_url(world)).content.decode()
    action = reverse("decisions:condition_done", args=[world.algorithm.slug, late.pk])
    assert (f'action="{action}"' in condition_row(html, late)) is shown
    assert "Markeer als vervuld" not in condition_row(html, done)


def test_the_fulfil_form_is_the_gate_pages_form(client_for, world, conditions):
    """Same markup on both pages, and the form fulfils the condition (the decision view's
    own tests cover refused users and stale forms)."""
    late = conditions[0]
    client = client_for(world.contributor)
    checklist_html = client.get(checklist_url(world)).content.decode()
    gate_html = client.get(reverse("gates:go_live", args=[world.algorithm.slug])).content.decode()
    # Same row but for the CSRF token and the page to come back to without JavaScript.
    strip_token = re.compile(r'name="(csrfmiddlewaretoken|next)" value="[^"]*"')
    assert strip_token.sub("", condition_row(checklist_html, late)) == strip_token.sub(
        "", condition_row(gate_html, late)
    )
    assert 'hx-target="#voorwaarden"' in condition_row(checklist_html, late)
    assert checklist_html.count('id="voorwaarden"') == 1

    action = reverse("decisions:condition_done", args=[world.algorithm.slug, late.pk])
    response = client.post(action, {"version": str(late.version)}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Vervuld op" in condition_row(response.content.decode(), late)
    late.refresh_from_db()
    assert late.status == DecisionCondition.Status.DONE


def test_conditions_cost_one_query_however_many(client_for, world):
    client = client_for(world.contributor)
    url = checklist_url(world)
    decision = make_decision(world.algorithm, world.approver)
    client.get(url)  # the items of later phases are judged on the first view only
    without = queries_for(client, url)
    add_conditions(world, decision, ("Eerste", -1, "open"))
    with_one = queries_for(client, url)
    add_conditions(world, decision, *[(f"Voorwaarde {n}", n - 5, "open") for n in range(12)])
    with_many = queries_for(client, url)
    assert without == with_one == with_many


def test_query_count_with_conditions_is_the_same_for_10_and_200_items(
    client_for, world, conditions
):
    client = client_for(world.contributor)
    url = checklist_url(world)
    fill(world, 10)
    client.get(url)  # the items of later phases are judged on the first view only
    with_10 = queries_for(client, url)
    fill(world, 190)
    with_200 = queries_for(client, url)
    assert with_10 == with_200
    assert HEADING in client.get(url).content.decode()


def test_fulfilling_without_javascript_returns_to_the_checklist(client, world, conditions):
    client.force_login(world.contributor)
    condition = conditions[1]
    back = checklist_url(world) + "?status=open"
    url = reverse("decisions:condition_done", args=[world.algorithm.slug, condition.pk])
    response = client.post(url, {"version": condition.version, "next": back})
    assert response.status_code == 302
    assert response["Location"] == back
    condition.refresh_from_db()
    assert condition.status == DecisionCondition.Status.DONE


def test_a_foreign_next_falls_back_to_the_gate(client, world, conditions):
    client.force_login(world.contributor)
    condition = conditions[1]
    url = reverse("decisions:condition_done", args=[world.algorithm.slug, condition.pk])
    response = client.post(url, {"version": condition.version, "next": "https://evil.example/"})
    assert response["Location"] == reverse("gates:go_live", args=[world.algorithm.slug])
