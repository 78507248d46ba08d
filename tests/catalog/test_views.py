"""Catalog pages and the base layout: access, filters, htmx partials, detail page."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.builders import make_measure, make_requirement, make_sample_catalog

pytestmark = pytest.mark.django_db

LIST_URL = reverse("catalog:list")
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "results"}


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create_user("lezer", password="geheim-wachtwoord-1")


@pytest.fixture
def client_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def catalog():
    return make_sample_catalog()


def titles(response) -> set[str]:
    """Titles of the items the list shows (from the table links)."""
    return {
        section_item.title
        for section in response.context["sections"]
        for section_item in section.items
    }


def section_kinds(response) -> list[str]:
    return [section.kind for section in response.context["sections"]]


# Access


@pytest.mark.parametrize("name", ["list", "detail"])
def test_catalog_requires_login(client, catalog, name):
    url = LIST_URL if name == "list" else catalog.toezicht.get_absolute_url()
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_login_page_has_labelled_fields_and_logs_in(client, user):
    response = client.get(reverse("login"))
    html = response.content.decode()
    assert response.status_code == 200
    for field_id in ("id_username", "id_password"):
        assert f'<label class="utrecht-form-label" for="{field_id}">' in html
        assert f'id="{field_id}"' in html
    response = client.post(
        reverse("login"), {"username": "lezer", "password": "geheim-wachtwoord-1", "next": ""}
    )
    assert response.status_code == 302
    assert client.get(LIST_URL).status_code == 200


def test_login_with_wrong_password_shows_error(client, user):
    response = client.post(reverse("login"), {"username": "lezer", "password": "fout"})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_is_a_post_form(client_in):
    html = client_in.get(LIST_URL).content.decode()
    assert re.search(r'<form method="post" action="/uitloggen/"', html)
    response = client_in.post(reverse("logout"))
    assert response.status_code == 302
    assert client_in.get(LIST_URL).status_code == 302


# Layout and accessibility


def test_layout_landmarks_skip_link_and_csp(client_in, catalog):
    html = client_in.get(LIST_URL).content.decode()
    assert '<html lang="nl"' in html
    first_focusable = re.search(r"<(a|button|input|select)\b[^>]*>", html[html.index("<body") :])
    assert 'href="#main"' in first_focusable.group(0)
    for landmark in (
        "<header",
        '<nav class="app-nav" aria-label="Hoofdmenu"',
        '<main id="main"',
        "<footer",
    ):
        assert landmark in html
    assert "<title>Catalogus (v2.5.1) · Algokader Tracker</title>" in html
    assert 'class="voorbeeld-theme' in html
    assert "vendor/utrecht/index.css" in html
    assert '"includeIndicatorStyles": false' in html
    # CSP: no inline style attributes, every script carries the nonce.
    assert " style=" not in html
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts
    assert all("nonce=" in tag for tag in scripts)
    assert 'hx-headers=\'{"X-CSRFToken": "' in html


def test_every_filter_field_is_labelled(client_in, catalog):
    html = client_in.get(LIST_URL).content.decode()
    for name in ("release", "kind", "phase", "topic", "role", "law", "q"):
        assert f'for="id_{name}"' in html
        assert f'id="id_{name}"' in html


# List defaults and filters


def test_list_defaults_to_latest_release_and_implementatie(client_in, catalog):
    response = client_in.get(LIST_URL)
    assert response.status_code == 200
    assert response.context["release"] == catalog.new
    assert response.context["form"]["phase"].value() == "implementatie"
    assert section_kinds(response) == ["requirement", "measure"]
    assert titles(response) == {
        "Menselijk toezicht",
        "DPIA verplicht",
        "Stel een werkinstructie op voor gebruikers",
        "Voer een DPIA uit",
    }
    html = response.content.decode()
    assert '<option value="implementatie" selected>' in html
    assert "2 vereisten en 2 maatregelen gevonden." in html


def _active(html: str) -> str:
    start = html.index('id="active-filters"')
    return html[start : html.index("</div>", start)]


def test_the_default_phase_filter_is_shown_and_can_be_cleared(client_in, catalog):
    active = _active(client_in.get(LIST_URL).content.decode())
    assert "Gefilterd op:" in active
    assert "Levenscyclusfase: <strong>Implementatie</strong> (standaard)" in active
    [clear] = re.findall(r'href="([^"]+)"', active)
    assert "phase=&amp;" in clear or clear.endswith("phase=")
    response = client_in.get(clear.replace("&amp;", "&"))
    assert len(titles(response)) == 6
    assert "Geen filters: alle items van de release." in _active(response.content.decode())


def test_chosen_filters_are_listed_also_in_an_htmx_answer(client_in, catalog):
    response = client_in.get(LIST_URL, {"phase": "ontwerp", "q": "zorg"}, **HTMX)
    active = _active(response.content.decode())
    assert 'hx-swap-oob="true"' in active
    assert "Levenscyclusfase: <strong>Ontwerp</strong> <a" in active
    assert "(standaard)" not in active
    assert "Zoeken: <strong>“zorg”</strong>" in active


def test_empty_phase_shows_all_phases(client_in, catalog):
    response = client_in.get(LIST_URL, {"phase": ""})
    assert "Zorgvuldigheidsbeginsel" in titles(response)
    assert "Beschrijf het doel" in titles(response)
    assert len(titles(response)) == 6


def test_phase_filter(client_in, catalog):
    response = client_in.get(LIST_URL, {"phase": "ontwerp"})
    assert titles(response) == {"Zorgvuldigheidsbeginsel", "Beschrijf het doel"}


def test_topic_filter(client_in, catalog):
    response = client_in.get(LIST_URL, {"topic": "privacy-en-gegevensbescherming"})
    assert titles(response) == {"DPIA verplicht", "Voer een DPIA uit"}


def test_role_filter(client_in, catalog):
    response = client_in.get(LIST_URL, {"role": "projectleider", "phase": ""})
    assert titles(response) == {"Menselijk toezicht", "Stel een werkinstructie op voor gebruikers"}


def test_law_filter_narrows_vereisten_and_their_maatregelen(client_in, catalog):
    response = client_in.get(LIST_URL, {"law": "avg"})
    assert titles(response) == {"DPIA verplicht", "Voer een DPIA uit"}


def test_kind_filter(client_in, catalog):
    response = client_in.get(LIST_URL, {"kind": "requirement"})
    assert section_kinds(response) == ["requirement"]
    assert titles(response) == {"Menselijk toezicht", "DPIA verplicht"}
    response = client_in.get(LIST_URL, {"kind": "instrument"})
    assert section_kinds(response) == ["instrument"]
    assert titles(response) == {"Impact Assessment Mensenrechten en Algoritmes"}


def test_text_search(client_in, catalog):
    response = client_in.get(LIST_URL, {"q": "  werkinstructie   op "})
    assert titles(response) == {"Stel een werkinstructie op voor gebruikers"}
    assert response.context["form"].cleaned_data["q"] == "werkinstructie op"
    assert "0 vereisten en 1 maatregel gevonden." in response.content.decode()
    response = client_in.get(LIST_URL, {"q": "toezicht", "phase": ""})
    assert "Menselijk toezicht" in titles(response)
    assert "DPIA verplicht" not in titles(response)


def test_release_parameter_selects_an_older_release(client_in, catalog):
    response = client_in.get(LIST_URL, {"release": "v2.0"})
    assert response.context["release"] == catalog.old
    assert titles(response) == {"Oude menselijk toezicht"}
    html = response.content.decode()
    assert '<option value="v2.0" selected>' in html
    assert catalog.old_req.get_absolute_url() in html


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"phase": "bestaat-niet"}, "phase"),
        ({"topic": "<script>"}, "topic"),
        ({"role": "koning"}, "role"),
        ({"law": "xyz"}, "law"),
        ({"kind": "criterium"}, "kind"),
        ({"release": "v9.9"}, "release"),
        ({"q": "x" * 500}, "q"),
        ({"phase": ["implementatie", "ontwerp"], "kind": "\x00"}, "kind"),
    ],
)
def test_bad_filter_values_are_ignored_with_an_error(client_in, catalog, params, field):
    response = client_in.get(LIST_URL, params)
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    assert response.context["release"] == catalog.new
    # The bad filter is ignored: the list is not narrowed by it.
    expected = client_in.get(LIST_URL, {"phase": form.value("phase")})
    assert titles(response) == titles(expected)
    html = response.content.decode()
    assert re.search(
        rf'<div class="utrecht-form-field__error-message[^"]*" id="id_{field}_error">', html
    )
    assert re.search(rf'aria-describedby="[^"]*id_{field}_error"', html)
    assert "<script>" not in html.split("<body", 1)[1]


def test_no_release_imported_yet(client_in):
    response = client_in.get(LIST_URL, {"phase": "implementatie"})
    assert response.status_code == 200
    assert "nog geen release" in response.content.decode()


# htmx


def test_htmx_request_gets_only_the_results_partial(client_in, catalog):
    response = client_in.get(LIST_URL, {"topic": "privacy-en-gegevensbescherming"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "<form" not in html
    assert "DPIA verplicht" in html
    assert "Menselijk toezicht" not in html
    assert 'id="result-count"' in html
    assert 'hx-swap-oob="true"' in html
    assert "HX-Request" in response["Vary"]


def test_htmx_release_change_swaps_the_whole_catalog(client_in, catalog):
    response = client_in.get(
        LIST_URL, {"release": "v2.0"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="catalog"
    )
    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith('<div id="catalog">')
    assert "<form" in html
    assert "Oude menselijk toezicht" in html
    assert 'hx-swap-oob="true"' not in html


def test_htmx_history_restore_gets_the_full_page(client_in, catalog):
    response = client_in.get(LIST_URL, **HTMX, HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in response.content.decode()


def test_filter_form_works_without_and_with_javascript(client_in, catalog):
    html = client_in.get(LIST_URL).content.decode()
    form_tag = re.search(r'<form method="get" action="/catalogus/"[^>]*>', html, re.S).group(0)
    assert 'hx-get="/catalogus/"' in form_tag
    assert 'hx-target="#results"' in form_tag
    assert 'hx-push-url="true"' in form_tag
    assert "input delay:300ms from:[name=q]" in form_tag
    assert '<button type="submit"' in html


# Query count


def test_list_query_count_does_not_grow_with_items(client_in, catalog):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client_in.get(LIST_URL, {"phase": ""})
        assert response.status_code == 200
        return len(queries), sum(len(s.items) for s in response.context["sections"])

    release = catalog.new
    for number in range(5):
        make_measure(
            release,
            code=f"mon-{number:02d}",
            phases=["monitoring-en-beheer"],
            topics=["data"],
            roles=["ontwikkelaar"],
            links=[catalog.toezicht],
        )
    few, shown_few = count_queries()
    for number in range(45):
        make_requirement(
            release,
            code=f"grw-{number:02d}",
            phases=["ontwerp", "implementatie"],
            topics=["data", "governance"],
            roles=["jurist"],
        )
    many, shown_many = count_queries()
    assert shown_many == shown_few + 45
    assert few == many
    assert many <= 12
