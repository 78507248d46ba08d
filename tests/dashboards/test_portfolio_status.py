"""The portfolio answers in ten seconds (issue 12, point 4): managers land on it, each
algorithm shows its status with the main reason, blockers are counted for the next gate,
the filters are folded behind one control, and the page reads only the rows it shows."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.dashboards.builders import make_many, make_portfolio
from tracker.dashboards.figures import algorithm_status

pytestmark = pytest.mark.django_db
URL = reverse("dashboards:portfolio")


@pytest.fixture
def portfolio():
    return make_portfolio()


def test_managers_land_on_the_portfolio_and_members_on_their_algorithms(client, portfolio):
    client.force_login(portfolio.manager)
    assert client.get("/").url == URL
    client.force_login(portfolio.member)
    assert client.get("/").url == reverse("algorithms:list")


def test_login_lands_a_manager_on_the_portfolio(client, portfolio):
    portfolio.manager.set_password("geheim-wachtwoord-1")
    portfolio.manager.save()
    response = client.post(
        reverse("login"),
        {"username": "manager", "password": "geheim-wachtwoord-1"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == URL
    assert response.context["rows"]


def test_every_row_shows_its_status_and_main_reason_in_dutch(client, portfolio):
    client.force_login(portfolio.manager)
    response = client.get(URL)
    html = response.content.decode()
    rows = {row.algorithm.name: row for row in response.context["rows"]}
    assert rows["Alpha"].status.label == "Geblokkeerd"
    for name, algorithm in (("Alpha", portfolio.alpha), ("Beta", portfolio.beta)):
        assert rows[name].status == algorithm_status(algorithm)
    row = re.search(rf'<tr[^>]*data-slug="{portfolio.alpha.slug}".*?</tr>', html, re.S)
    assert "Geblokkeerd" in row.group(0)
    assert "1 maatregel niet gereed" in row.group(0)
    beta = re.search(rf'<tr[^>]*data-slug="{portfolio.beta.slug}".*?</tr>', html, re.S)
    assert "In pilot" in beta.group(0)
    assert "De pilot is nog niet geëvalueerd" in beta.group(0)
    # blockers for the next gate: Delta (ontwerp) counts 1, not the go-live gate's 8
    assert rows["Delta"].status.blockers == 1
    assert rows["Delta"].status.label == "In ontwikkeling"
    # the summary: algorithms per status, each a link to its filter
    counts = {key: n for key, _, n, _ in response.context["status_links"]}
    assert counts == {
        "klaar": 0,
        "geblokkeerd": 1,
        "pilot": 2,
        "productie": 0,
        "ontwikkeling": 1,
    }
    assert 'href="/portfolio/?status=geblokkeerd"' in html


def test_filter_on_status(client, portfolio):
    client.force_login(portfolio.manager)
    response = client.get(URL, {"status": "pilot"})
    assert [row.algorithm.name for row in response.context["rows"]] == ["Beta", "Gamma"]


def test_the_filters_are_folded_behind_one_control(client, portfolio):
    client.force_login(portfolio.manager)
    html = client.get(URL).content.decode()
    assert re.search(r'<details class="app-filters[^"]*" id="filters">', html)  # closed
    assert '<summary class="app-filters__summary">Filters</summary>' in html
    html = client.get(URL, {"stap": "pilot", "blokkades": "ja"}).content.decode()
    assert "Filters (2 actief)</summary>" in html
    assert re.search(r'<details class="app-filters[^"]*" id="filters">', html)


def _page_queries(client, manager) -> list[str]:
    client.force_login(manager)
    client.get(URL)  # the first view fills the maintained rows of algorithms built directly
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {"sorteer": "-blokkades"})
    assert response.status_code == 200
    return [query["sql"] for query in queries]


def test_the_page_sorts_and_pages_in_the_database_and_reads_only_its_rows(client):
    _, few = make_many(10)
    _, many = make_many(120)
    assert len(_page_queries(client, few)) == len(_page_queries(client, many))
    sql = _page_queries(client, many)
    page = [q for q in sql if "tracker_algorithmfigures" in q and "LIMIT 50" in q]
    assert len(page) == 1
    assert "ORDER BY" in page[0]
    # no per-item or per-risk figures are computed for the rows: only the topic chart
    # (cached per version of the data outside the tests) groups items
    assert sum("tracker_residualrisk" in q for q in sql) == 0
