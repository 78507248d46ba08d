"""Dutch error pages in the app's layout (400, 403, CSRF, 404, 500); the 500 page renders
without the database and without context processors."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from tests.world import make_user

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.error_urls")]

PAGES = {
    "/test-fout/400/": (400, "Dit verzoek kunnen we niet verwerken"),
    "/test-fout/403/": (403, "U hebt geen toegang"),
    "/bestaat-niet/": (404, "Deze pagina bestaat niet"),
    "/test-fout/500/": (500, "Er ging iets mis"),
}


def assert_in_layout(page: str) -> None:
    assert '<html lang="nl"' in page
    assert 'class="app-brand"' in page  # the app's header
    assert "css/app.css" in page
    assert "js/request-errors.js" in page
    assert "data-error-page" in page
    assert "data-request-error" in page
    for english in ("Server Error", "Not Found", "Bad Request", "Forbidden"):
        assert english not in page


@pytest.mark.parametrize("url", PAGES)
def test_error_pages_are_dutch_and_in_the_layout(client, url) -> None:
    client.raise_request_exception = False
    client.force_login(make_user())
    response = client.get(url)
    status, heading = PAGES[url]
    assert response.status_code == status
    page = response.content.decode()
    assert f'<h1 class="utrecht-heading-1">{heading}</h1>' in page
    assert_in_layout(page)
    if status != 500:
        assert "Uitloggen" in page  # the usual header for a logged-in user


def test_the_500_page_needs_no_database_and_no_request_context(
    django_assert_num_queries,
) -> None:
    request = RequestFactory().get("/ergens/")
    with django_assert_num_queries(0):
        response = server_error(request)
    assert response.status_code == 500
    page = response.content.decode()
    assert "Er ging iets mis op de server." in page
    assert_in_layout(page)


def test_a_refused_csrf_check_is_dutch(db) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user())
    response = client.post(reverse("logout"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "Het formulier is verlopen" in page
    assert_in_layout(page)
