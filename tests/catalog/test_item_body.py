"""Catalog item bodies kept rendered (tracker.catalog.item_body): the same HTML as a
fresh rendering, rendered once, and rendered anew whenever what a body is made of
differs, so a kept body is never stale."""

import pytest
from django.urls import reverse

from tests.world import make_catalog_item, make_release
from tracker.catalog import item_body as module
from tracker.catalog.item_body import BODIES, item_body
from tracker.catalog.links import link_for
from tracker.catalog.models import CatalogItem
from tracker.catalog.rendering import render_body

pytestmark = pytest.mark.django_db
FOLDER = "docs/voldoen-aan-wetten-en-regels"


@pytest.fixture(autouse=True)
def empty_cache():
    BODIES.clear()
    yield
    BODIES.clear()


@pytest.fixture
def renders(monkeypatch) -> list[str]:
    """The bodies rendered, in order."""
    calls: list[str] = []

    def counting(text, **options):
        calls.append(text)
        return render_body(text, **options)

    monkeypatch.setattr(module, "render_body", counting)
    return calls


def _fresh(item: CatalogItem, links) -> str:
    return str(
        render_body(
            item.body,
            source_path=item.path,
            link_for=link_for(links),
            abbreviations=item.release.abbreviations,
        )
    )


@pytest.fixture
def measure():
    release = make_release()
    release.abbreviations = {"DPIA": "Data protection impact assessment"}
    release.save()
    requirement = make_catalog_item(release, kind=CatalogItem.Kind.REQUIREMENT, code="ver-01")
    requirement.path = f"{FOLDER}/vereisten/{requirement.slug}.md"
    requirement.save()
    item = make_catalog_item(release)
    item.path = f"{FOLDER}/maatregelen/{item.slug}.md"
    item.body = (
        f"## Toelichting\n\nDoe een DPIA; zie [het vereiste](../vereisten/{requirement.slug}.md)."
    )
    item.save()
    return item, requirement


def test_a_kept_body_is_a_fresh_rendering_rendered_once(measure, renders) -> None:
    item, requirement = measure
    first = item_body(item, item.release)
    assert str(first) == _fresh(item, item.release)
    assert '<abbr title="Data protection impact assessment">DPIA</abbr>' in first
    app_url = reverse("catalog:item", args=[item.release.label, "requirement", requirement.slug])
    assert f'href="{app_url}"' in first
    again = item_body(CatalogItem.objects.get(pk=item.pk), item.release)
    assert again == first
    assert renders == [item.body]  # the second page view reads the kept HTML


def test_a_body_is_rendered_anew_when_its_links_or_glossary_or_text_differ(
    measure, renders
) -> None:
    item, _ = measure
    first = item_body(item, item.release)

    # Followed by an algorithm of another release: its links go elsewhere.
    other = make_release()
    elsewhere = item_body(item, other)
    assert str(elsewhere) == _fresh(item, other)
    assert elsewhere != first

    # A glossary a re-import adds to the release afterwards.
    item.release.abbreviations = {"DPIA": "Gegevensbeschermingseffectbeoordeling"}
    item.release.save()
    item = CatalogItem.objects.select_related("release").get(pk=item.pk)
    explained = item_body(item, item.release)
    assert "Gegevensbeschermingseffectbeoordeling" in explained
    assert str(explained) == _fresh(item, item.release)

    # Another text under the same id (a database restored or rebuilt under a running
    # process).
    item.body = "Een andere tekst."
    assert str(item_body(item, item.release)) == _fresh(item, item.release)
    assert len(renders) == 4
