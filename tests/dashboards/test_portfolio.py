"""The portfolio page: who sees what, every filter and sort, pagination, the htmx
partial, and a query count that does not grow with the number of algorithms."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.dashboards.builders import make_many, make_portfolio
from tests.gates.helpers import settle
from tests.world import make_user
from tracker.checklist.models import ChecklistItem
from tracker.organisations.models import OrganisationMembership

pytestmark = pytest.mark.django_db
URL = reverse("dashboards:portfolio")


@pytest.fixture
def portfolio():
    return make_portfolio()


def names(client, user, **params) -> list[str]:
    client.force_login(user)
    response = client.get(URL, params)
    assert response.status_code == 200
    return [row.algorithm.name for row in response.context["rows"]]


def test_anonymous_users_are_sent_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_portfolio_viewer_sees_all_of_the_organisation_and_nothing_else(client, portfolio):
    assert names(client, portfolio.manager) == ["Alpha", "Beta", "Delta", "Gamma"]


def test_a_member_sees_only_their_own_algorithms(client, portfolio):
    assert names(client, portfolio.member) == ["Alpha"]
    assert names(client, portfolio.approver) == ["Alpha", "Beta"]


def test_a_user_without_algorithms_sees_an_empty_portfolio(client, portfolio):
    stranger = make_user("vreemde")
    OrganisationMembership.objects.create(organisation=portfolio.other.organisation, user=stranger)
    assert names(client, stranger) == []  # an organisation member is no portfolio viewer


def test_the_page_shows_the_figures_of_each_row(client, portfolio):
    client.force_login(portfolio.manager)
    html = client.get(URL).content.decode()
    assert f'data-slug="{portfolio.beta.slug}"' in html
    assert "66% <span" in html  # Beta: 2 of 3 ready
    assert "Verder ontwikkelen" in html  # Delta's last decision
    assert "Omega" not in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"fase": "ontwerp"}, ["Delta"]),
        ({"fase": "implementatie"}, ["Alpha", "Beta", "Gamma"]),
        ({"stap": "pilot"}, ["Beta", "Gamma"]),
        ({"stap": "production"}, ["Alpha"]),
        ({"risicogroep": "hoog-risico-ai-systeem"}, ["Gamma"]),
        ({"risicogroep": "geen"}, ["Alpha", "Beta", "Delta"]),
        ({"impactvol": "ja"}, ["Alpha"]),
        ({"impactvol": "nee"}, ["Beta", "Delta", "Gamma"]),
        ({"pilot_dagen": "30"}, ["Beta"]),
        ({"pilot_dagen": "5"}, ["Beta", "Gamma"]),
        ({"pilot_dagen": "40"}, []),
        ({"blokkades": "ja"}, ["Alpha", "Beta", "Delta", "Gamma"]),
        ({"blokkades": "nee"}, []),
        ({"fase": "implementatie", "stap": "pilot", "pilot_dagen": "20"}, ["Beta"]),
        ({"fase": "bestaat-niet"}, ["Alpha", "Beta", "Delta", "Gamma"]),  # invalid: ignored
        ({"pilot_dagen": "-3"}, ["Alpha", "Beta", "Delta", "Gamma"]),
    ],
)
def test_filters(client, portfolio, params, expected):
    assert names(client, portfolio.manager, **params) == expected


def test_filter_has_no_blockers_after_the_work_is_done(client, portfolio):
    open_measure = portfolio.alpha.items.get(status=ChecklistItem.Status.OPEN)
    settle(open_measure, portfolio.member)
    assert names(client, portfolio.manager, blokkades="nee") == ["Alpha"]
    assert names(client, portfolio.manager, blokkades="ja") == ["Beta", "Delta", "Gamma"]


def test_filter_by_organisation(client, portfolio):
    OrganisationMembership.objects.create(
        organisation=portfolio.other.organisation, user=portfolio.manager, is_portfolio_viewer=True
    )
    assert names(client, portfolio.manager) == ["Alpha", "Beta", "Delta", "Gamma", "Omega"]
    slug = portfolio.other.organisation.slug
    assert names(client, portfolio.manager, organisatie=slug) == ["Omega"]
    north = portfolio.alpha.organisation.slug
    assert names(client, portfolio.manager, organisatie=north) == [
        "Alpha",
        "Beta",
        "Delta",
        "Gamma",
    ]


def test_an_invalid_filter_shows_its_error(client, portfolio):
    client.force_login(portfolio.manager)
    response = client.get(URL, {"pilot_dagen": "veel"})
    assert response.status_code == 200
    assert response.context["form"].errors["pilot_dagen"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("naam", ["Alpha", "Beta", "Delta", "Gamma"]),
        ("-naam", ["Gamma", "Delta", "Beta", "Alpha"]),
        ("organisatie", ["Alpha", "Beta", "Delta", "Gamma"]),
        ("fase", ["Delta", "Beta", "Gamma", "Alpha"]),
        ("-fase", ["Alpha", "Beta", "Gamma", "Delta"]),
        ("gereed", ["Gamma", "Delta", "Beta", "Alpha"]),
        ("-gereed", ["Alpha", "Beta", "Delta", "Gamma"]),
        ("vereisten", ["Delta", "Gamma", "Beta", "Alpha"]),
        # for the next gate: Alpha 2 (go-live), the others 1 each (pilot decision)
        ("blokkades", ["Beta", "Delta", "Gamma", "Alpha"]),
        ("-blokkades", ["Alpha", "Beta", "Delta", "Gamma"]),
        ("te-laat", ["Beta", "Delta", "Gamma", "Alpha"]),
        ("-te-laat", ["Alpha", "Beta", "Delta", "Gamma"]),
        ("risicos", ["Alpha", "Delta", "Gamma", "Beta"]),
        ("-risicos", ["Beta", "Alpha", "Delta", "Gamma"]),
        ("besluit", ["Delta", "Alpha", "Beta", "Gamma"]),
        ("-besluit", ["Delta", "Alpha", "Beta", "Gamma"]),  # without a decision: last
        ("pilot", ["Gamma", "Beta", "Alpha", "Delta"]),
        ("-pilot", ["Beta", "Gamma", "Alpha", "Delta"]),
    ],
)
def test_sorting(client, portfolio, sort, expected):
    assert names(client, portfolio.manager, sorteer=sort) == expected


def test_column_links_sort_and_keep_the_filters(client, portfolio):
    client.force_login(portfolio.manager)
    response = client.get(URL, {"stap": "pilot", "sorteer": "blokkades"})
    columns = {column["key"]: column for column in response.context["columns"]}
    assert columns["blokkades"]["query"] == "?stap=pilot&sorteer=-blokkades"
    assert columns["blokkades"]["aria_sort"] == "ascending"
    assert columns["naam"]["query"] == "?stap=pilot&sorteer=naam"
    html = response.content.decode()
    assert 'href="/portfolio/?stap=pilot&amp;sorteer=-blokkades"' in html
    assert 'aria-sort="ascending"' in html


def test_pagination_keeps_the_filters(client):
    _, manager = make_many(60, items_per_algorithm=1)
    client.force_login(manager)
    first = client.get(URL, {"stap": "pilot"})
    assert len(first.context["rows"]) == 50
    assert first.context["next_query"] == "?stap=pilot&pagina=2"
    assert 'href="/portfolio/?stap=pilot&amp;pagina=2"' in first.content.decode()
    second = client.get(URL, {"stap": "pilot", "pagina": 2})
    assert [row.algorithm.name for row in second.context["rows"]] == [
        f"Algoritme {n:04d}" for n in range(50, 60)
    ]
    assert second.context["previous_query"] == "?stap=pilot&pagina=1"
    assert client.get(URL, {"pagina": "999"}).status_code == 200  # clamps to the last page


def test_htmx_gets_only_the_results_partial(client, portfolio):
    client.force_login(portfolio.manager)
    response = client.get(URL, {"stap": "pilot"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'id="portfolio-tabel"' in html
    assert "Beta" in html
    assert "Alpha" not in html
    full = client.get(URL, {"stap": "pilot"}).content.decode()
    assert "<html" in full
    assert 'hx-get="/portfolio/"' in full  # the filter form swaps the results


def test_charts_have_a_text_alternative(client, portfolio):
    client.force_login(portfolio.manager)
    html = client.get(URL).content.decode()
    for chart in ("trechter", "onderwerpen"):
        assert f'data-chart="{chart}"' in html
    assert 'role="img"' in html
    assert "style=" not in html  # the CSP forbids inline styles
    funnel = client.get(URL).context["funnel"]
    bars = {bar.label: bar.value for bar in funnel.bars}
    assert bars["Implementatie: pilot"] == 2
    assert bars["Implementatie: productie"] == 1
    assert bars["Ontwerp"] == 1
    assert bars["Probleemanalyse"] == 0


def query_count(client, user, params) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, params)
    assert response.status_code == 200
    assert response.context["rows"]
    return len(queries)


@pytest.mark.parametrize(
    "params",
    [
        {},  # sorted and paginated by the database
        {"sorteer": "-blokkades"},  # sorted on a figure: every algorithm's figures
        {"pilot_dagen": "0", "stap": "pilot"},  # filtered on a figure
    ],
)
def test_the_number_of_queries_does_not_grow_with_the_algorithms(client, params):
    _, few = make_many(10)
    _, many = make_many(200)
    assert query_count(client, few, params) == query_count(client, many, params)
