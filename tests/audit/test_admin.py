"""The admin: the audit trail and the team's work are read-only; memberships are
editable and their changes are recorded in the trail."""

import pytest
from django.urls import reverse

from tracker.algorithms.models import Membership
from tracker.audit.models import AuditEntry
from tracker.audit.verify import verify_chain
from tracker.models import (
    Algorithm,
    CatalogItem,
    ChecklistItem,
    Organisation,
    OrganisationMembership,
)

pytestmark = pytest.mark.django_db


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:tracker_{model._meta.model_name}_{view}", args=args)


def test_entry_change_page_is_view_only(admin_client, make_trail) -> None:
    entry = make_trail(1)[0]
    response = admin_client.get(admin_url(AuditEntry, "change", entry.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert entry.hash in html
    assert 'name="_save"' not in html
    assert 'name="actor_name"' not in html
    assert admin_url(AuditEntry, "delete", entry.pk) not in html


def test_entry_cannot_be_changed_or_deleted_in_the_admin(admin_client, make_trail) -> None:
    entry = make_trail(2)[0]
    change = admin_client.post(
        admin_url(AuditEntry, "change", entry.pk), {"actor_name": "x", "action": "x"}
    )
    delete_page = admin_client.get(admin_url(AuditEntry, "delete", entry.pk))
    delete = admin_client.post(admin_url(AuditEntry, "delete", entry.pk), {"post": "yes"})
    add = admin_client.get(admin_url(AuditEntry, "add"))
    assert (change.status_code, delete_page.status_code, delete.status_code) == (403, 403, 403)
    assert add.status_code == 403
    entry.refresh_from_db()
    assert entry.actor_name == "owner"
    assert verify_chain().ok


def test_changelist_offers_no_bulk_delete(admin_client, make_trail) -> None:
    entries = make_trail(2)
    url = admin_url(AuditEntry, "changelist")
    response = admin_client.get(url)
    assert response.status_code == 200
    assert "delete_selected" not in response.content.decode()
    admin_client.post(
        url, {"action": "delete_selected", "_selected_action": [e.pk for e in entries]}
    )
    assert AuditEntry.objects.count() == 2


def test_chain_head_is_read_only(admin_client, make_trail) -> None:
    make_trail(1)
    from tracker.audit.models import AuditChainHead

    head = AuditChainHead.objects.get()
    url = admin_url(AuditChainHead, "change", head.pk)
    assert admin_client.post(url, {"last_seq": 0}).status_code == 403
    assert admin_client.post(admin_url(AuditChainHead, "delete", head.pk)).status_code == 403
    head.refresh_from_db()
    assert head.last_seq == 1


@pytest.mark.parametrize(
    "model", ["checklistitem", "evidence", "residualrisk", "itemdecision", "comment"]
)
def test_team_work_cannot_be_added_in_the_admin(admin_client, model: str) -> None:
    response = admin_client.get(reverse(f"admin:tracker_{model}_add"))
    assert response.status_code == 403


def test_checklist_item_cannot_be_changed_or_deleted(admin_client, world) -> None:
    item = world.item
    change = admin_client.post(admin_url(ChecklistItem, "change", item.pk), {"status": "done"})
    delete = admin_client.post(admin_url(ChecklistItem, "delete", item.pk), {"post": "yes"})
    assert (change.status_code, delete.status_code) == (403, 403)
    item.refresh_from_db()
    assert item.status == ChecklistItem.Status.OPEN


def test_catalog_is_read_only(admin_client, world) -> None:
    catalog_item = world.item.catalog_item
    url = admin_url(CatalogItem, "change", catalog_item.pk)
    assert admin_client.get(url).status_code == 200
    assert admin_client.post(url, {"title": "x"}).status_code == 403
    assert admin_client.get(admin_url(CatalogItem, "add")).status_code == 403


def _membership_formset(world, **changes) -> dict:
    memberships = list(world.algorithm.memberships.order_by("pk"))
    data = {
        "memberships-TOTAL_FORMS": len(memberships),
        "memberships-INITIAL_FORMS": len(memberships),
        "memberships-MIN_NUM_FORMS": 0,
        "memberships-MAX_NUM_FORMS": 1000,
    }
    for i, membership in enumerate(memberships):
        data[f"memberships-{i}-id"] = membership.pk
        data[f"memberships-{i}-algorithm"] = world.algorithm.pk
        data[f"memberships-{i}-role"] = changes.get(membership.user.username, membership.role)
    return data


def test_algorithm_fields_are_read_only_but_members_editable(admin_client, world) -> None:
    algorithm = world.algorithm
    data = {"name": "Hernoemd", **_membership_formset(world, viewer="contributor")}
    response = admin_client.post(admin_url(Algorithm, "change", algorithm.pk), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    algorithm.refresh_from_db()
    assert algorithm.name == "Toeslagen-risicomodel"
    assert Membership.objects.get(algorithm=algorithm, user=world.viewer).role == "contributor"
    entry = AuditEntry.objects.get(object_type="tracker.membership")
    assert entry.action == "member_role_changed"
    assert entry.changes == {"role": ["viewer", "contributor"]}
    assert entry.algorithm_id == algorithm.pk
    assert entry.actor_name == "admin"
    assert verify_chain().ok


def test_admin_cannot_remove_the_last_owner(admin_client, world) -> None:
    data = _membership_formset(world, owner="viewer")
    response = admin_client.post(admin_url(Algorithm, "change", world.algorithm.pk), data)
    assert response.status_code == 200
    assert "ten minste één eigenaar" in response.content.decode()
    assert Membership.objects.get(user=world.owner).role == "owner"
    assert not AuditEntry.objects.exists()


def test_algorithm_cannot_be_added_or_deleted(admin_client, world) -> None:
    assert admin_client.get(admin_url(Algorithm, "add")).status_code == 403
    delete = admin_client.post(admin_url(Algorithm, "delete", world.algorithm.pk), {"post": "yes"})
    assert delete.status_code == 403


def test_organisation_membership_changes_are_recorded(admin_client, world) -> None:
    organisation = world.algorithm.organisation
    response = admin_client.post(
        admin_url(OrganisationMembership, "add"),
        {"organisation": organisation.pk, "user": world.outsider.pk, "is_portfolio_viewer": "on"},
    )
    assert response.status_code == 302
    membership = OrganisationMembership.objects.get(organisation=organisation, user=world.outsider)
    assert membership.is_portfolio_viewer
    added = AuditEntry.objects.get()
    assert (added.action, added.object_id) == ("member_added", str(membership.pk))
    assert added.changes == {"user": [None, "outsider"], "is_portfolio_viewer": [None, True]}

    response = admin_client.post(admin_url(OrganisationMembership, "change", membership.pk), {})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert not membership.is_portfolio_viewer
    updated = AuditEntry.objects.order_by("-seq").first()
    assert updated.changes == {"is_portfolio_viewer": [True, False]}

    response = admin_client.post(
        admin_url(OrganisationMembership, "delete", membership.pk), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not OrganisationMembership.objects.filter(pk=membership.pk).exists()
    removed = AuditEntry.objects.order_by("-seq").first()
    assert removed.action == "member_removed"
    assert verify_chain().ok
    assert verify_chain().checked == 3


def test_organisations_are_editable(admin_client) -> None:
    response = admin_client.post(
        admin_url(Organisation, "add"),
        {
            "name": "Gemeente Utrecht",
            "slug": "gemeente-utrecht",
            "memberships-TOTAL_FORMS": 0,
            "memberships-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302
    assert Organisation.objects.filter(slug="gemeente-utrecht").exists()


def test_every_tracker_admin_page_renders(admin_client, world, make_trail) -> None:
    from django.contrib import admin

    import tracker.models

    make_trail(1)
    registered = [m for m in admin.site._registry if m._meta.app_label == "tracker"]
    expected = {getattr(tracker.models, name) for name in tracker.models.__all__} - {Membership}
    assert expected <= set(registered)  # memberships: inline on the algorithm
    for model in registered:
        assert admin_client.get(admin_url(model, "changelist")).status_code == 200, model
        obj = model.objects.first()
        if obj is not None:
            assert admin_client.get(admin_url(model, "change", obj.pk)).status_code == 200, model
