"""Open conditions of the current go-live decision on the per-algorithm dashboard: among
the upcoming due dates (linked to the gate page), and counted as overdue there; the
portfolio keeps counting items only."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.dashboards.builders import make_portfolio
from tests.dashboards.test_algorithm_dashboard import query_count, url
from tests.world import make_checklist_item, make_decision
from tracker.algorithms.models import Algorithm
from tracker.checklist.progress import progress_for
from tracker.dashboards.portfolio import portfolio_rows
from tracker.decisions.models import DecisionCondition
from tracker.pages.dashboard import UPCOMING

pytestmark = pytest.mark.django_db
OPEN, DONE = DecisionCondition.Status.OPEN, DecisionCondition.Status.DONE


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def condition(decision, owner, due_in: int, status=OPEN, description="Voorwaarde"):
    return DecisionCondition.objects.create(
        decision=decision,
        blocker_key="affected-persons",
        description=description,
        owner=owner,
        due_date=days(due_in),
        status=status,
    )


def test_open_conditions_join_the_upcoming_due_dates(client):
    portfolio = make_portfolio()
    beta, approver = portfolio.beta, portfolio.approver
    old = make_decision(beta, approver)
    condition(old, approver, 1, description="Van een vervangen besluit")
    decision = make_decision(beta, approver)
    late = condition(decision, approver, -2, description="Brief aan betrokkenen")
    later = condition(decision, approver, 15)
    condition(decision, approver, 3, status=DONE)  # fulfilled: not shown
    item = make_checklist_item(beta, due_date=days(5))
    client.force_login(portfolio.manager)
    response = client.get(url(beta))
    upcoming = response.context["upcoming"]
    assert [(row.kind, row.pk) for row in upcoming] == [
        ("condition", late.pk),
        ("item", item.pk),
        ("condition", later.pk),
    ]
    gate = reverse("gates:go_live", args=[beta.slug])
    assert upcoming[0].url == f"{gate}#voorwaarde-{late.pk}"
    html = response.content.decode()
    row = html.split(f'data-deadline="condition-{late.pk}"')[1].split("</tr>")[0]
    assert f'href="{gate}#voorwaarde-{late.pk}"' in row
    assert "Brief aan betrokkenen" in row
    assert "Te laat" in row
    assert "Van een vervangen besluit" not in html


def test_overdue_open_conditions_count_as_overdue_on_the_dashboard_only(client):
    portfolio = make_portfolio()
    alpha, approver = portfolio.alpha, portfolio.approver
    decision = make_decision(alpha, approver)
    condition(decision, approver, -1)
    condition(decision, approver, -10)
    condition(decision, approver, -4, status=DONE)  # fulfilled: not overdue
    condition(decision, approver, 0)  # due today: not yet overdue
    client.force_login(portfolio.manager)
    response = client.get(url(alpha))
    items_overdue = progress_for(alpha.items.all()).overdue
    assert items_overdue == 1
    assert response.context["overdue"] == items_overdue + 2
    assert response.context["overdue_conditions"] == 2
    assert 'data-figure="overdue">3 ' in response.content.decode()
    # The portfolio's definition is unchanged: items only.
    [row] = portfolio_rows(Algorithm.objects.filter(pk=alpha.pk))
    assert row.overdue == 1


def test_upcoming_keeps_its_limit_over_items_and_conditions(client):
    portfolio = make_portfolio()
    beta, approver = portfolio.beta, portfolio.approver
    decision = make_decision(beta, approver)
    conditions = [condition(decision, approver, 2 * n) for n in range(UPCOMING)]
    items = [make_checklist_item(beta, due_date=days(2 * n + 1)) for n in range(UPCOMING)]
    client.force_login(portfolio.manager)
    upcoming = client.get(url(beta)).context["upcoming"]
    expected = [pair for n in range(UPCOMING) for pair in (conditions[n], items[n])][:UPCOMING]
    assert [row.pk for row in upcoming] == [obj.pk for obj in expected]


def test_conditions_do_not_grow_the_number_of_queries(client):
    portfolio = make_portfolio()
    client.force_login(portfolio.manager)
    beta, approver = portfolio.beta, portfolio.approver
    decision = make_decision(beta, approver)
    without = query_count(client, beta)
    condition(decision, approver, -1)
    with_one = query_count(client, beta)
    for n in range(30):
        condition(decision, approver, n - 10)
    assert without == with_one == query_count(client, beta)
