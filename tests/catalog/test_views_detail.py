"""Catalog item page: body, metadata, links both ways, audit-framework references."""

import pytest
from django.urls import reverse

from tests.builders import make_sample_catalog

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_in(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("lezer"))
    return client


@pytest.fixture
def catalog():
    return make_sample_catalog()


def test_detail_shows_body_metadata_labels_and_exceptions(client_in, catalog):
    response = client_in.get(catalog.toezicht.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>aia-09: Menselijk toezicht · Algokader Tracker</title>" in html
    assert "Gebruikers houden toezicht op de uitkomsten van het systeem." in html
    assert "urn:nl:ak:ver:aia-09" in html
    assert "v2.5.1" in html
    assert "AIA" in html  # the law
    assert "Implementatie" in html
    assert "Menselijke controle" in html
    assert "Projectleider" in html
    assert "Hoog-risico-AI-systemen staan onder menselijk toezicht." in html
    labels = dict(response.context["labels"])
    assert labels["Risicogroep"] == ["Hoog-risico-AI-systeem"]
    assert labels["Rol onder de AI-verordening"] == ["Aanbieder"]
    assert "Hoog-risico-AI-systeem" in html
    exceptions = response.context["exceptions"]
    assert exceptions[0] == "Risicogroep: Uitzondering van toepassing"
    assert exceptions[1].startswith("(Soort toepassing: AI-systeem of Soort toepassing: AI-")
    assert exceptions[1].endswith(" en Open source: Open source")
    assert "Risicogroep: Uitzondering van toepassing" in html


def test_requirement_page_links_to_its_measures_and_instruments(client_in, catalog):
    response = client_in.get(catalog.toezicht.get_absolute_url())
    related = {section.title: section.items for section in response.context["related"]}
    assert related == {"Maatregelen": [catalog.werkinstructie], "Hulpmiddelen": [catalog.iama]}
    html = response.content.decode()
    assert catalog.werkinstructie.get_absolute_url() in html
    assert catalog.iama.get_absolute_url() in html


def test_measure_page_links_to_its_requirements_and_audit_norms(client_in, catalog):
    response = client_in.get(catalog.werkinstructie.get_absolute_url())
    html = response.content.decode()
    related = {section.title: section.items for section in response.context["related"]}
    assert related == {"Vereisten": [catalog.toezicht], "Hulpmiddelen": [catalog.iama]}
    assert catalog.toezicht.get_absolute_url() in html
    assert response.context["audit_references"] == [
        ("Auditdienst Rijk (ADR)", ["DM.3", "DM.10", "DM.12"]),
        ("Algemene Rekenkamer (ARK)", ["3.07"]),
    ]
    assert "Toetsingskaders" in html
    assert "DM.3, DM.10, DM.12" in html


def test_detail_of_older_release(client_in, catalog):
    response = client_in.get(catalog.old_req.get_absolute_url())
    assert response.status_code == 200
    assert response.context["item"] == catalog.old_req


@pytest.mark.parametrize(
    "args",
    [
        ("v2.5.1", "requirement", "bestaat-niet"),
        ("v2.5.1", "measure", "aia-09-menselijk-toezicht"),  # right slug, wrong kind
        ("v2.5.1", "onzin", "aia-09-menselijk-toezicht"),
        ("v7", "requirement", "aia-09-menselijk-toezicht"),
        ("v2.0", "requirement", "avg-13-dpia-verplicht"),  # only in the other release
    ],
)
def test_unknown_item_is_404(client_in, catalog, args):
    assert client_in.get(reverse("catalog:item", args=args)).status_code == 404


def test_body_links_to_items_of_the_same_release(client_in, catalog):
    catalog.werkinstructie.body = (
        "Zie [menselijk toezicht](../vereisten/aia-09-menselijk-toezicht.md) en "
        "[weg](../vereisten/bestaat-niet.md)."
    )
    catalog.werkinstructie.save(update_fields=["body"])
    html = client_in.get(catalog.werkinstructie.get_absolute_url()).content.decode()
    assert f'href="{catalog.toezicht.get_absolute_url()}"' in html
    assert f'href="{catalog.old_req.get_absolute_url()}"' not in html
