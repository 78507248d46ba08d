"""The release upgrade in the browser: notice, owner's preview, confirmation, re-review."""

import pytest
from django.apps import apps
from django.urls import reverse

from tracker.checklist.models import ChecklistItem

pytestmark = pytest.mark.django_db


def row_counts() -> dict[str, int]:
    return {
        model._meta.db_table: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
    }


def test_detail_shows_the_newer_release(client_for, upgraded_world):
    gate = upgraded_world[0]
    page = client_for(gate.owner).get(gate.algorithm.get_absolute_url()).content.decode()
    assert "Er is een nieuwere release van het Algoritmekader:" in page
    assert reverse("algorithms:release", args=[gate.algorithm.slug]) in page
    page = client_for(gate.viewer).get(gate.algorithm.get_absolute_url()).content.decode()
    assert "De eigenaar van het algoritme kan overstappen" in page


def test_preview_writes_nothing_then_confirm_moves(client_for, upgraded_world):
    gate, new = upgraded_world
    client = client_for(gate.owner)
    url = reverse("algorithms:release", args=[gate.algorithm.slug])
    before = row_counts()
    response = client.get(url)
    assert response.status_code == 200
    assert row_counts() == before
    plan = response.context["plan"]
    assert [c.row.pk for c in plan.to_review] == [gate.measure.pk]
    assert "Een nieuwe zin over toezicht." in response.content.decode()

    response = client.post(url, {"release": new.label, "version": gate.algorithm.version})
    assert response.status_code == 302
    gate.algorithm.refresh_from_db()
    assert gate.algorithm.release == new

    again = client.get(url)
    assert "volgt al de nieuwste release, v9.1" in again.content.decode()


def test_confirming_a_stale_preview_is_refused(client_for, upgraded_world):
    gate, new = upgraded_world
    from tracker.algorithms.actions import update_details

    url = reverse("algorithms:release", args=[gate.algorithm.slug])
    shown_at = gate.algorithm.version  # the preview was opened, then someone edited
    update_details(
        gate.algorithm,
        actor=gate.owner,
        version=shown_at,
        values={"name": "Nieuwe naam", "description": ""},
    )
    response = client_for(gate.owner).post(url, {"release": new.label, "version": shown_at})
    assert response.status_code == 409
    gate.algorithm.refresh_from_db()
    assert gate.algorithm.release != new


def test_only_the_owner_moves(client_for, upgraded_world):
    gate, new = upgraded_world
    url = reverse("algorithms:release", args=[gate.algorithm.slug])
    data = {"release": new.label, "version": gate.algorithm.version}
    assert client_for(gate.contributor).post(url, data).status_code == 403
    gate.algorithm.refresh_from_db()
    assert gate.algorithm.release != new


def test_a_form_opened_before_the_upgrade_is_stale(client_for, upgraded_world):
    gate, new = upgraded_world
    from tracker.checklist.upgrade import apply_upgrade

    version = gate.requirement.version
    apply_upgrade(gate.algorithm, new, gate.owner)
    response = client_for(gate.contributor).post(
        reverse("checklist:update", args=[gate.algorithm.slug, gate.requirement.pk]),
        {"version": version, "status": "in_progress", "owner": gate.contributor.pk},
    )
    assert response.status_code == 409
    gate.requirement.refresh_from_db()
    assert gate.requirement.status == ChecklistItem.Status.DONE


def test_checklist_shows_and_filters_items_to_review_and_one_click_confirms(
    client_for, upgraded_world
):
    gate, new = upgraded_world
    from tracker.checklist.upgrade import apply_upgrade

    apply_upgrade(gate.algorithm, new, gate.owner)
    client = client_for(gate.contributor)
    list_url = reverse("checklist:list", args=[gate.algorithm.slug])
    page = client.get(list_url).content.decode()
    assert f'data-review="{gate.measure.pk}"' in page
    assert f'data-review="{gate.requirement.pk}"' not in page
    filtered = client.get(list_url, {"review": "on"})
    assert filtered.context["row_count"] == 1

    item_url = gate.measure.get_absolute_url()
    page = client.get(item_url).content.decode()
    assert "Opnieuw beoordelen:" in page
    assert "<ins>Een nieuwe zin over toezicht.</ins>" in page
    gate.measure.refresh_from_db()
    review_url = reverse("checklist:review", args=[gate.algorithm.slug, gate.measure.pk])
    assert client.post(review_url, {"version": gate.measure.version - 1}).status_code == 409
    response = client.post(review_url, {"version": gate.measure.version})
    assert response.status_code == 302
    gate.measure.refresh_from_db()
    assert not gate.measure.needs_review
    assert client_for(gate.viewer).post(review_url, {"version": 1}).status_code == 403


def test_portfolio_and_dashboard_show_the_release_and_filter_older(client_for, upgraded_world):
    gate, new = upgraded_world
    from tests.world import make_algorithm
    from tracker.organisations.models import OrganisationMembership

    current = make_algorithm(gate.algorithm.organisation, new, name="Al op de nieuwste")
    OrganisationMembership.objects.filter(
        organisation=gate.algorithm.organisation, user=gate.portfolio
    ).update(is_portfolio_viewer=True)
    client = client_for(gate.portfolio)
    url = reverse("dashboards:portfolio")
    page = client.get(url).content.decode()
    assert "nieuwere release: v9.1" in page
    older = client.get(url, {"release": "ouder"})
    assert [row.algorithm.slug for row in older.context["rows"]] == [gate.algorithm.slug]
    newest = client.get(url, {"release": "nieuwste"})
    assert [row.algorithm.slug for row in newest.context["rows"]] == [current.slug]

    dashboard = client.get(reverse("algorithm_dashboard:detail", args=[gate.algorithm.slug]))
    text = dashboard.content.decode()
    assert "release v9.0 van het Algoritmekader" in text
    assert "Er is een nieuwere release van het Algoritmekader: v9.1." in text
