"""The register pages: the entry with its form, saving, exporting, downloading, the
preview, and "gewijzigd sinds export" on the algorithm page and the portfolio."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.register.helpers import TEAM_VALUES, entry_form_data, make_register_world
from tests.world import make_risk
from tracker.register.actions import export_entry, save_entry
from tracker.register.models import RegisterEntry
from tracker.risks.actions import update_risk

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(register_standard):
    return make_register_world()


def url(name, world, *args):
    return reverse(f"register:{name}", args=[world.algorithm.slug, *args])


def form_data(client, world) -> dict:
    return entry_form_data(world.algorithm)


def test_the_page_shows_each_field_with_the_standards_texts_and_sources(client, world):
    client.force_login(world.contributor)
    response = client.get(url("entry", world))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Naam (verplicht)" in html
    assert "De naam die gebruikt wordt om het algoritme aan te duiden." in html  # help_text
    assert "Gebruik een naam, bij voorkeur met een werkwoord" in html  # instructions
    assert "Automatische Verkeersregeling Ringweg" in html  # example
    assert "Uit de tracker:" in html
    assert "Restrisico&#x27;s (2) met hun beheersmaatregelen" in html
    assert "dit veld is verplicht." in html
    assert f'action="{url("save", world)}"' in html
    assert "Exporteren voor het Algoritmeregister" not in html  # contributors do not export


def test_a_reader_sees_the_values_without_a_form(client, world):
    client.force_login(world.viewer)
    html = client.get(url("entry", world)).content.decode()
    assert "Registratie opslaan" not in html
    assert "Toeslagen-risicomodel" in html


def test_save_stores_overrides_and_shows_dutch_errors(client, world):
    client.force_login(world.contributor)
    data = form_data(client, world)
    data["begin_date"] = "januari 2026"
    response = client.post(url("save", world), data)
    assert response.status_code == 302
    entry = RegisterEntry.objects.get(algorithm=world.algorithm)
    assert entry.overrides["begin_date"] == "januari 2026"
    assert set(entry.overrides) == {"begin_date", *TEAM_VALUES}
    assert not entry.is_valid
    html = client.get(url("entry", world)).content.decode()
    assert "Begindatum: schrijf de datum als jjjj-mm" in html
    assert 'aria-invalid="true"' in html


def test_save_with_htmx_returns_the_entry_partial(client, world):
    client.force_login(world.contributor)
    response = client.post(url("save", world), form_data(client, world), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="register-entry">')
    assert "<html" not in html
    assert "is opgeslagen en is volledig en geldig" in html
    assert "Volledig en geldig, nog niet geëxporteerd" in html


def test_a_stale_form_is_refused_with_409(client, world):
    client.force_login(world.contributor)
    data = form_data(client, world)
    assert client.post(url("save", world), data).status_code == 302
    data["contact_email"] = "ander@voorbeeldstad.nl"
    response = client.post(url("save", world), data)  # still version 0
    assert response.status_code == 409
    assert "intussen gewijzigd" in response.content.decode()
    assert RegisterEntry.objects.get().overrides["contact_email"] == TEAM_VALUES["contact_email"]


def test_the_owner_exports_and_downloads_the_upload_file(client, world, register_standard):
    client.force_login(world.owner)
    client.post(url("save", world), form_data(client, world))
    response = client.post(url("export", world))
    entry = RegisterEntry.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"#export-{entry.last_export_id}")
    download = client.get(url("download", world, entry.last_export_id))
    assert download["Content-Disposition"].startswith('attachment; filename="algoritmeregister-')
    document = json.loads(download.content)
    assert document[0]["name"] == "Toeslagen-risicomodel"
    assert document[0]["contact_email"] == TEAM_VALUES["contact_email"]


def test_an_incomplete_entry_is_not_exported(client, world):
    client.force_login(world.approver)
    response = client.post(url("export", world), follow=True)
    assert "Niet geëxporteerd" in response.content.decode()
    assert not RegisterEntry.objects.exists()


def test_the_preview_is_laid_out_like_the_register_and_cleans_html(client, world):
    save_entry(
        world.algorithm,
        world.owner,
        expected_version=0,
        submitted={**TEAM_VALUES, "goal": "<p>Doel</p><script>alert(1)</script><b>vet</b>"},
    )
    client.force_login(world.viewer)
    html = client.get(url("preview", world)).content.decode()
    assert "Kerngegevens" in html
    assert "Verantwoord gebruik" in html
    assert '<div class="app-register-preview__text" data-field="goal"><p>Doel</p>vet</div>' in html
    assert "<script>" not in html.split("</header>")[1].split("<footer")[0]
    assert "Hoog-risico AI-systeem" in html


def test_changed_since_export_on_the_algorithm_page_and_the_portfolio(client, world):
    save_entry(world.algorithm, world.owner, expected_version=0, submitted=TEAM_VALUES)
    export_entry(world.algorithm, world.owner)
    client.force_login(world.portfolio)
    portfolio = reverse("dashboards:portfolio")
    assert "data-register-changed" not in client.get(portfolio).content.decode()
    risk = world.risks[0]
    update_risk(risk, world.contributor, expected_version=risk.version, mitigation="Extra")
    html = client.get(world.algorithm.get_absolute_url()).content.decode()
    assert "Gewijzigd sinds export: Risicobeheer." in html
    html = client.get(portfolio).content.decode()
    assert "Algoritmeregister gewijzigd sinds export: Risicobeheer" in html
    changed = client.get(portfolio, {"algoritmeregister": "gewijzigd"}).content.decode()
    assert world.algorithm.name in changed
    current = client.get(portfolio, {"algoritmeregister": "actueel"}).content.decode()
    assert f'data-slug="{world.algorithm.slug}"' not in current


def _page_queries(client, world) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url("entry", world)).status_code == 200
    return len(queries)


def test_the_entry_page_does_not_query_per_risk_or_evidence(client, world):
    client.force_login(world.owner)
    save_entry(world.algorithm, world.owner, expected_version=0, submitted=TEAM_VALUES)
    export_entry(world.algorithm, world.owner)
    for _ in range(8):
        make_risk(world.risk_item, world.contributor)
    few = _page_queries(client, world)
    for _ in range(190):
        make_risk(world.risk_item, world.contributor)
    assert _page_queries(client, world) == few


def test_every_change_and_export_is_in_the_log_in_dutch(client, world):
    save_entry(world.algorithm, world.owner, expected_version=0, submitted=TEAM_VALUES)
    export_entry(world.algorithm, world.owner)
    client.force_login(world.viewer)
    html = client.get(reverse("audit:algorithm", args=[world.algorithm.slug])).content.decode()
    assert "Registertekst (Algoritmeregister)" in html
    assert "geëxporteerd" in html
    assert "Contactgegevens" in html
    assert "contact_email" not in html
