"""Residual risk views: add, edit (stale forms, voided acceptance), accept, revoke —
each role, htmx and without JavaScript."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.world import World, make_algorithm, make_checklist_item, make_user, make_world
from tracker.audit.models import AuditEntry
from tracker.risks import actions
from tracker.risks.models import ResidualRisk

HTMX = {"HTTP_HX_REQUEST": "true"}
EDITORS = ["contributor", "approver", "owner"]
NOT_EDITORS = [("viewer", 403), ("portfolio", 403), ("outsider", 404)]
NOT_APPROVERS = [
    ("contributor", 403),
    ("owner", 403),
    ("viewer", 403),
    ("portfolio", 403),
    ("outsider", 404),
]


@pytest.fixture
def world(db) -> World:
    return make_world()


def make_risk(w: World, **fields) -> ResidualRisk:
    values = {"description": "Uitkomst verkeerd begrepen", "likelihood": 3, "impact": 4}
    return actions.add_risk(w.item, w.contributor, **{**values, **fields})


def item_url(w: World) -> str:
    return reverse("checklist:item", args=[w.algorithm.slug, w.item.pk])


def url(name: str, w: World, pk: int) -> str:
    return reverse(f"risks:{name}", args=[w.algorithm.slug, pk])


def form_data(**overrides) -> dict:
    data = {
        "description": "Medewerkers volgen de score blind",
        "likelihood": "2",
        "impact": "5",
        "mitigation": "Werkinstructie en steekproef",
        "owner": "",
    }
    return {**data, **overrides}


# -- add -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", EDITORS)
def test_editors_add_a_risk(client, world, role) -> None:
    client.force_login(world.users[role])
    data = form_data(owner=str(world.approver.pk))
    response = client.post(url("add", world, world.item.pk), data)
    assert response.status_code == 302
    assert response["Location"] == item_url(world)
    risk = ResidualRisk.objects.get()
    assert (risk.likelihood, risk.impact, risk.score) == (2, 5, 10)
    assert risk.owner == world.approver
    assert risk.created_by == world.users[role]
    assert risk.mitigation == "Werkinstructie en steekproef"
    assert not risk.is_accepted()
    entry = AuditEntry.objects.for_object(risk).get()
    assert (entry.action, entry.algorithm) == ("create", world.algorithm)
    assert entry.changes["likelihood"] == [None, 2]


@pytest.mark.parametrize(("role", "status"), NOT_EDITORS)
def test_others_may_not_add_a_risk(client, world, role, status) -> None:
    client.force_login(world.users[role])
    response = client.post(url("add", world, world.item.pk), form_data())
    assert response.status_code == status
    assert not ResidualRisk.objects.exists()


def test_anonymous_users_are_sent_to_log_in(client, world) -> None:
    response = client.post(url("add", world, world.item.pk), form_data())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("likelihood", "0"),
        ("likelihood", "6"),
        ("impact", "0"),
        ("impact", "6"),
        ("impact", "drie"),
    ],
)
def test_likelihood_and_impact_must_be_1_to_5(client, world, field, value) -> None:
    client.force_login(world.contributor)
    response = client.post(url("add", world, world.item.pk), form_data(**{field: value}))
    assert response.status_code == 422
    label = "kans" if field == "likelihood" else "impact"
    assert f"Kies voor {label} een waarde van 1 tot en met 5." in response.content.decode()
    assert not ResidualRisk.objects.exists()


def test_the_domain_action_refuses_a_scale_outside_1_to_5(world) -> None:
    with pytest.raises(ValidationError):
        make_risk(world, likelihood=6)
    assert not ResidualRisk.objects.exists()


def test_the_owner_must_be_a_member(client, world) -> None:
    client.force_login(world.contributor)
    stranger = make_user("stranger")
    for owner in (stranger, world.outsider, world.portfolio):
        response = client.post(url("add", world, world.item.pk), form_data(owner=str(owner.pk)))
        assert response.status_code == 422
        assert "De eigenaar moet lid zijn van dit algoritme." in response.content.decode()
    assert not ResidualRisk.objects.exists()


def test_an_item_of_another_algorithm_is_not_found(client, world) -> None:
    other = make_checklist_item(make_algorithm())
    client.force_login(world.contributor)
    response = client.post(url("add", world, other.pk), form_data())
    assert response.status_code == 404


def test_with_htmx_the_section_is_swapped_in(client, world) -> None:
    client.force_login(world.contributor)
    response = client.post(url("add", world, world.item.pk), form_data(), **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body
    assert f'id="risks-{world.item.pk}"' in body
    assert "Medewerkers volgen de score blind" in body
    assert "Niet geaccepteerd" in body


def test_with_htmx_the_sidebar_count_is_updated_out_of_band(client, world) -> None:
    client.force_login(world.contributor)
    count_id = f'id="aantal-restrisicos-{world.item.pk}"'
    item_page = reverse("checklist:item", args=[world.algorithm.slug, world.item.pk])
    assert f"{count_id}>0</dd>" in client.get(item_page).content.decode()
    body = client.post(url("add", world, world.item.pk), form_data(), **HTMX).content.decode()
    assert f'{count_id} hx-swap-oob="true">1</dd>' in body


# -- edit ----------------------------------------------------------------------------


def test_the_edit_form_is_for_editors(client, world) -> None:
    risk = make_risk(world)
    for role in EDITORS:
        client.force_login(world.users[role])
        response = client.get(url("edit", world, risk.pk))
        assert response.status_code == 200
        assert 'name="version" value="1"' in response.content.decode()
    for role, status in NOT_EDITORS:
        client.force_login(world.users[role])
        assert client.get(url("edit", world, risk.pk)).status_code == status
        response = client.post(url("edit", world, risk.pk), {**form_data(), "version": "1"})
        assert response.status_code == status
    risk.refresh_from_db()
    assert risk.version == 1


def test_the_edit_form_with_htmx_is_the_section(client, world) -> None:
    risk = make_risk(world)
    client.force_login(world.contributor)
    response = client.get(url("edit", world, risk.pk), **HTMX)
    body = response.content.decode()
    assert "<html" not in body
    assert "Restrisico bewerken" in body


def test_editing_saves_with_the_version_and_records_old_and_new(client, world) -> None:
    risk = make_risk(world)
    client.force_login(world.contributor)
    response = client.post(
        url("edit", world, risk.pk), {**form_data(likelihood="1", impact="4"), "version": "1"}
    )
    assert response.status_code == 302
    assert response["Location"] == item_url(world)
    risk.refresh_from_db()
    assert (risk.likelihood, risk.impact, risk.version) == (1, 4, 2)
    entry = AuditEntry.objects.for_object(risk).get(action="update")
    assert entry.changes["likelihood"] == [3, 1]
    assert entry.changes["version"] == [1, 2]
    assert "impact" not in entry.changes  # unchanged


def test_a_stale_edit_is_refused_and_shows_what_changed(client, world) -> None:
    risk = make_risk(world)
    actions.update_risk(risk, world.owner, expected_version=1, mitigation="Tweede lijn kijkt mee")
    client.force_login(world.contributor)
    data = {**form_data(description="Mijn versie"), "version": "1"}
    response = client.post(url("edit", world, risk.pk), data)
    assert response.status_code == 409
    body = response.content.decode()
    assert "Iemand anders heeft dit restrisico intussen gewijzigd" in body
    assert "beheersmaatregel: leeg -&gt; Tweede lijn kijkt mee door owner" in body
    assert "Mijn versie" in body  # the user's own input is kept in the form
    assert 'name="version" value="2"' in body  # saving again is a deliberate choice
    risk.refresh_from_db()
    assert risk.description == "Uitkomst verkeerd begrepen"
    assert risk.mitigation == "Tweede lijn kijkt mee"
    assert risk.version == 2


@pytest.mark.parametrize(
    "change",
    [{"likelihood": "4"}, {"impact": "1"}, {"description": "Een ander risico"}],
)
def test_editing_an_accepted_risk_voids_the_acceptance(client, world, change) -> None:
    risk = make_risk(world)
    risk = actions.accept_risk(risk, world.approver, expected_version=1)
    client.force_login(world.contributor)
    data = {
        **form_data(description=risk.description, likelihood="3", impact="4", mitigation=""),
        **change,
        "version": str(risk.version),
    }
    response = client.post(url("edit", world, risk.pk), data, follow=False)
    assert response.status_code == 302
    risk.refresh_from_db()
    assert risk.accepted_at is None
    assert risk.accepted_by is None
    assert not risk.is_accepted()
    void = AuditEntry.objects.for_object(risk).get(action="void_acceptance")
    assert void.changes["accepted_by"] == ["approver", None]
    assert void.algorithm == world.algorithm


def test_editing_only_the_mitigation_keeps_the_acceptance(client, world) -> None:
    risk = make_risk(world)
    risk = actions.accept_risk(risk, world.approver, expected_version=1)
    client.force_login(world.contributor)
    data = {
        **form_data(description=risk.description, likelihood="3", impact="4"),
        "mitigation": "Extra controle",
        "version": str(risk.version),
    }
    assert client.post(url("edit", world, risk.pk), data).status_code == 302
    risk.refresh_from_db()
    assert risk.mitigation == "Extra controle"
    assert risk.is_accepted()
    assert not AuditEntry.objects.for_object(risk).filter(action="void_acceptance").exists()


def test_a_risk_of_another_algorithm_is_not_found(client, world) -> None:
    other = make_checklist_item(make_algorithm())
    risk = actions.add_risk(other, world.contributor, description="x", likelihood=1, impact=1)
    client.force_login(world.approver)
    assert client.get(url("edit", world, risk.pk)).status_code == 404
    assert client.post(url("accept", world, risk.pk), {"version": "1"}).status_code == 404


# -- accept and revoke ---------------------------------------------------------------


def test_an_approver_accepts_with_an_expiry_date(client, world) -> None:
    risk = make_risk(world)
    expires = timezone.localdate() + timedelta(days=90)
    client.force_login(world.approver)
    response = client.post(
        url("accept", world, risk.pk), {"version": "1", "expires": expires.isoformat()}
    )
    assert response.status_code == 302
    assert response["Location"] == item_url(world)
    risk.refresh_from_db()
    assert risk.accepted_by == world.approver
    assert risk.accepted_at is not None
    assert risk.acceptance_expires == expires
    assert risk.is_accepted()
    assert not risk.is_accepted(today=expires + timedelta(days=1))
    assert risk.version == 2
    entry = AuditEntry.objects.for_object(risk).get(action="accept")
    assert entry.changes["acceptance_expires"] == [None, expires.isoformat()]
    assert entry.algorithm == world.algorithm


def test_an_acceptance_without_expiry(client, world) -> None:
    risk = make_risk(world)
    client.force_login(world.approver)
    response = client.post(url("accept", world, risk.pk), {"version": "1", "expires": ""}, **HTMX)
    assert response.status_code == 200
    assert "Geaccepteerd" in response.content.decode()
    risk.refresh_from_db()
    assert risk.is_accepted(today=timezone.localdate() + timedelta(days=3650))


@pytest.mark.parametrize("days", [0, -1])
def test_the_expiry_must_be_in_the_future(client, world, days) -> None:
    risk = make_risk(world)
    client.force_login(world.approver)
    expires = timezone.localdate() + timedelta(days=days)
    response = client.post(
        url("accept", world, risk.pk), {"version": "1", "expires": expires.isoformat()}
    )
    assert response.status_code == 422
    assert "moet in de toekomst liggen" in response.content.decode()
    risk.refresh_from_db()
    assert risk.accepted_at is None


@pytest.mark.parametrize(("role", "status"), NOT_APPROVERS)
def test_only_approvers_accept(client, world, role, status) -> None:
    risk = make_risk(world)
    client.force_login(world.users[role])
    response = client.post(url("accept", world, risk.pk), {"version": "1"})
    assert response.status_code == status
    risk.refresh_from_db()
    assert risk.accepted_at is None


def test_accepting_a_risk_that_changed_meanwhile_is_refused(client, world) -> None:
    risk = make_risk(world)
    actions.update_risk(risk, world.contributor, expected_version=1, likelihood=5)
    client.force_login(world.approver)
    response = client.post(url("accept", world, risk.pk), {"version": "1"})
    assert response.status_code == 409
    assert "kans: 3 -&gt; 5 door contributor" in response.content.decode()
    risk.refresh_from_db()
    assert risk.accepted_at is None


def test_an_approver_revokes_an_acceptance(client, world) -> None:
    risk = actions.accept_risk(make_risk(world), world.approver, expected_version=1)
    client.force_login(world.approver)
    response = client.post(url("revoke", world, risk.pk), {"version": str(risk.version)})
    assert response.status_code == 302
    risk.refresh_from_db()
    assert risk.accepted_at is None
    assert AuditEntry.objects.for_object(risk).filter(action="revoke_acceptance").count() == 1


@pytest.mark.parametrize(("role", "status"), NOT_APPROVERS)
def test_only_approvers_revoke(client, world, role, status) -> None:
    risk = actions.accept_risk(make_risk(world), world.approver, expected_version=1)
    client.force_login(world.users[role])
    response = client.post(url("revoke", world, risk.pk), {"version": str(risk.version)})
    assert response.status_code == status
    risk.refresh_from_db()
    assert risk.is_accepted()


def test_changes_need_post(client, world) -> None:
    risk = make_risk(world)
    client.force_login(world.approver)
    assert client.get(url("accept", world, risk.pk)).status_code == 405
    assert client.get(url("revoke", world, risk.pk)).status_code == 405
    assert client.get(url("add", world, world.item.pk)).status_code == 405


def test_expired_acceptances_count_as_unaccepted(world) -> None:
    today = timezone.localdate()
    lasting = actions.accept_risk(make_risk(world), world.approver, expected_version=1)
    expiring = actions.accept_risk(
        make_risk(world), world.approver, expected_version=1, expires=today + timedelta(days=1)
    )
    never = make_risk(world)
    later = today + timedelta(days=2)
    assert set(ResidualRisk.objects.unaccepted(today=later)) == {expiring, never}
    assert set(ResidualRisk.objects.accepted(today=later)) == {lasting}
    assert set(ResidualRisk.objects.accepted(today=today)) == {lasting, expiring}


# -- the section's query count -------------------------------------------------------


def section_queries(client, w: World) -> int:
    client.force_login(w.approver)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url("add", w, w.item.pk), form_data(likelihood="9"), **HTMX)
    assert response.status_code == 422
    return len(queries)


def test_the_section_query_count_does_not_grow_with_the_risks(client, world) -> None:
    make_risk(world, owner=world.owner)
    few = section_queries(client, world)
    for n in range(15):
        risk = make_risk(world, owner=world.users[["owner", "contributor"][n % 2]])
        if n % 3:
            actions.accept_risk(risk, world.approver, expected_version=1)
    assert section_queries(client, world) == few
