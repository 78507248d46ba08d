"""Faithful to upstream's site: glossary tooltips, decision-aid links, dangling links."""

import pytest
from django.urls import reverse

from tracker.catalog.decision_aid_link import decision_aid_url
from tracker.catalog.rendering import render_body

SOURCE = "docs/voldoen-aan-wetten-en-regels/maatregelen/6-imp-01-x.md"


def test_glossary_terms_become_abbr_with_their_explanation():
    html = render_body(
        "De AVG geldt ook voor een aanbieder.",
        source_path=SOURCE,
        abbreviations={"AVG": "Algemene verordening gegevensbescherming", "aanbieder": "Wie…"},
    )
    assert '<abbr title="Algemene verordening gegevensbescherming">AVG</abbr>' in html
    assert '<abbr title="Wie…">aanbieder</abbr>' in html


def test_without_a_glossary_no_abbr():
    assert "<abbr" not in render_body("De AVG geldt.", source_path=SOURCE)


def test_a_show_modal_link_becomes_a_working_link(settings):
    settings.CONTENT_SITE_URL = "https://minbzk.github.io/Algoritmekader/"
    text = (
        'Gebruik de <a href="#" onclick="showModal(event, \'beslishulp AI-verordening\', '
        "{redirectUrl: 'voldoen-aan-wetten-en-regels/vereisten/'});\">beslishulp "
        "AI-verordening</a>."
    )
    html = render_body(text, source_path=SOURCE)
    assert 'href="#"' not in html
    assert decision_aid_url() == (
        "https://minbzk.github.io/Algoritmekader/voldoen-aan-wetten-en-regels/vereisten/"
    )
    assert f'<a href="{decision_aid_url()}" rel="noopener noreferrer">beslishulp' in html


def test_on_the_apps_pages_the_link_opens_the_apps_own_decision_aid():
    text = 'Gebruik de <a href="#" onclick="showModal(event, \'beslishulp\')">beslishulp</a>.'
    html = render_body(text, source_path=SOURCE, link_for=lambda kind, slug: f"/i/{slug}/")
    assert 'href="#"' not in html
    assert f'<a href="{reverse("decision_aid:start")}">beslishulp</a>' in html


@pytest.mark.django_db
@pytest.mark.realdata
def test_v251_shows_upstreams_1597_tooltips_and_no_dead_links(v251):
    from tracker.catalog.importer import import_release
    from tracker.catalog.item_body import item_body
    from tracker.catalog.models import CatalogItem

    release = import_release(v251).release
    assert len(release.abbreviations) == 95  # 97 lines, two terms listed twice
    tooltips = dead = 0
    for item in CatalogItem.objects.in_release(release):
        html = item_body(item, release)  # as the catalog's item page shows it
        tooltips += html.count("<abbr ")
        dead += html.count('href="#"') + html.count("onclick")
    assert tooltips == 1597
    assert dead == 0


@pytest.mark.django_db
def test_a_measure_whose_only_vereiste_link_dangles_says_so():
    from tests.world import make_algorithm, make_catalog_item, make_release
    from tracker.checklist import sync

    release = make_release("v9.0")
    measure = make_catalog_item(
        release, front_matter={"vereiste": ["aia-09-menselijke-toezicht", None]}
    )
    algorithm = make_algorithm(release=release)
    judged = {
        j.item.pk: j
        for j in sync.evaluate(
            algorithm, phase="implementatie", stage="pilot", profile=algorithm.profile()
        ).applicable
    }
    texts = judged[measure.pk].texts
    assert (
        "Koppelt alleen aan een vereiste die in deze release niet bestaat "
        "(aia-09-menselijke-toezicht); daarom geldt de maatregel altijd"
    ) in texts
    assert "Koppelt aan geen vereiste" not in texts
