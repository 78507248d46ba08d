"""The residual-risk heatmap and its risk list: counts per cell, links, filters, access."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.dashboards.builders import make_portfolio
from tests.world import make_checklist_item, make_risk

pytestmark = pytest.mark.django_db
HEATMAP = reverse("dashboards:risks")
LIST = reverse("dashboards:risk_list")


@pytest.fixture
def portfolio():
    portfolio = make_portfolio()
    # a risk of another organisation: never shown to Noord's manager
    make_risk(portfolio.other.items.get(), portfolio.approver, likelihood=5, impact=4)
    return portfolio


def counts(client, user, **params) -> dict:
    client.force_login(user)
    response = client.get(HEATMAP, params)
    assert response.status_code == 200
    return {
        (cell.likelihood, cell.impact): cell.count
        for row in response.context["heatmap"].rows
        for cell in row
        if cell.count
    }


def test_the_heatmap_counts_risks_on_current_items_of_visible_algorithms(client, portfolio):
    # Alpha: (2, 2) accepted; Beta: (5, 4) open and (5, 4) accepted; Delta's risk is retired
    assert counts(client, portfolio.manager) == {(2, 2): 1, (5, 4): 2}
    assert counts(client, portfolio.member) == {(2, 2): 1}


def test_the_heatmap_filters(client, portfolio):
    manager = portfolio.manager
    assert counts(client, manager, acceptatie="open") == {(5, 4): 1}
    assert counts(client, manager, acceptatie="geaccepteerd") == {(2, 2): 1, (5, 4): 1}
    assert counts(client, manager, stap="production") == {(2, 2): 1}
    assert counts(client, manager, impactvol="nee") == {(5, 4): 2}


def test_each_cell_links_to_its_risks_with_the_filters(client, portfolio):
    client.force_login(portfolio.manager)
    response = client.get(HEATMAP, {"acceptatie": "open"})
    cell = next(c for row in response.context["heatmap"].rows for c in row if c.count)
    assert cell.url == f"{LIST}?acceptatie=open&likelihood=5&impact=4"
    assert (
        f'href="{LIST}?acceptatie=open&amp;likelihood=5&amp;impact=4"' in response.content.decode()
    )
    listed = client.get(cell.url)
    risks = list(listed.context["page"].object_list)
    assert [(r.likelihood, r.impact, r.accepted_at) for r in risks] == [(5, 4, None)]
    assert risks[0].item.algorithm == portfolio.beta


def test_the_risk_list_shows_only_visible_risks(client, portfolio):
    client.force_login(portfolio.manager)
    response = client.get(LIST, {"likelihood": 5, "impact": 4})
    algorithms = {risk.item.algorithm.name for risk in response.context["page"].object_list}
    assert algorithms == {"Beta"}
    assert "Omega" not in response.content.decode()


def test_the_heatmap_has_a_data_table_and_no_inline_styles(client, portfolio):
    client.force_login(portfolio.manager)
    html = client.get(HEATMAP).content.decode()
    assert 'data-chart="heatmap"' in html
    assert "style=" not in html


def query_count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_query_counts_do_not_grow_with_the_risks(client, portfolio):
    client.force_login(portfolio.manager)
    before = (query_count(client, HEATMAP), query_count(client, LIST))
    for _ in range(30):
        make_risk(make_checklist_item(portfolio.beta), portfolio.approver)
    assert (query_count(client, HEATMAP), query_count(client, LIST)) == before
