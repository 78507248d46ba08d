"""The CSV export: the portfolio table with a stable header, honouring the filters."""

import csv
import io

import pytest
from django.urls import reverse

from tests.dashboards.builders import make_portfolio
from tracker.dashboards.export import HEADER

pytestmark = pytest.mark.django_db
URL = reverse("dashboards:export")


def download(client, user, **params) -> tuple[object, list[dict]]:
    client.force_login(user)
    response = client.get(URL, params)
    assert response.status_code == 200
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8")
    lines = list(csv.reader(io.StringIO(text)))
    assert tuple(lines[0]) == HEADER
    return response, [dict(zip(HEADER, line, strict=True)) for line in lines[1:]]


def test_the_export_is_a_csv_attachment_with_a_stable_header(client):
    portfolio = make_portfolio()
    response, rows = download(client, portfolio.manager)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="portfolio-')
    assert HEADER[:3] == ("algoritme", "slug", "organisatie")
    assert [row["algoritme"] for row in rows] == ["Alpha", "Beta", "Delta", "Gamma"]
    beta = next(row for row in rows if row["algoritme"] == "Beta")
    assert beta == {
        "algoritme": "Beta",
        "slug": portfolio.beta.slug,
        "organisatie": "Gemeente Noord",
        "fase": "Implementatie",
        "stap": "Pilot",
        "gereed_procent": "66",
        "gereed": "2",
        "van_toepassing": "3",
        "vereisten_gereed_procent": "50",
        "vereisten_gereed": "1",
        "vereisten_van_toepassing": "2",
        "blokkades_go_live": "10",
        "te_laat": "0",
        "restrisicos_niet_geaccepteerd": "1",
        "laatste_besluit": "",
        "laatste_besluit_datum": "",
        "dagen_in_pilot": "40",
    }
    delta = next(row for row in rows if row["algoritme"] == "Delta")
    assert delta["laatste_besluit"] == "Pilotbesluit: Verder ontwikkelen"
    assert delta["laatste_besluit_datum"]


def test_the_export_honours_filters_and_sort(client):
    portfolio = make_portfolio()
    _, rows = download(client, portfolio.manager, stap="pilot", sorteer="-blokkades")
    assert [row["algoritme"] for row in rows] == ["Beta", "Gamma"]
    _, rows = download(client, portfolio.manager, pilot_dagen="30")
    assert [row["algoritme"] for row in rows] == ["Beta"]


def test_the_export_holds_only_what_the_user_may_read(client):
    portfolio = make_portfolio()
    _, rows = download(client, portfolio.member)
    assert [row["algoritme"] for row in rows] == ["Alpha"]


def test_free_text_never_becomes_a_formula(client):
    portfolio = make_portfolio()
    portfolio.alpha.name = '=HYPERLINK("http://evil")'
    portfolio.alpha.save()
    _, rows = download(client, portfolio.member)
    assert rows[0]["algoritme"] == '\'=HYPERLINK("http://evil")'


def test_anonymous_users_get_no_export(client):
    response = client.get(URL)
    assert response.status_code == 302
