"""The members page: readers see it, the owner manages it, the last owner stays."""

import pytest
from django.urls import reverse

from tests.world import add_member, make_algorithm, make_user
from tracker.algorithms.models import Membership
from tracker.audit.models import AuditEntry
from tracker.organisations.models import OrganisationMembership

pytestmark = pytest.mark.django_db
REFUSED = [
    ("viewer", 403),
    ("contributor", 403),
    ("approver", 403),
    ("portfolio", 403),
    ("outsider", 404),
]


def members_url(world) -> str:
    return reverse("algorithms:members", args=[world.algorithm.slug])


def membership(world, role: str) -> Membership:
    return world.algorithm.memberships.get(user=world.users[role])


def role_url(world, m: Membership) -> str:
    return reverse("algorithms:member_role", args=[world.algorithm.slug, m.pk])


def remove_url(world, m: Membership) -> str:
    return reverse("algorithms:member_remove", args=[world.algorithm.slug, m.pk])


@pytest.fixture
def colleague(world):
    user = make_user("collega", first_name="Cor", last_name="Collega", email="cor@gemeente.nl")
    OrganisationMembership.objects.create(organisation=world.algorithm.organisation, user=user)
    return user


@pytest.mark.parametrize("role", ["viewer", "contributor", "approver", "owner", "portfolio"])
def test_readers_see_members(world, login, role, django_assert_max_num_queries):
    client = login(world.users[role])
    with django_assert_max_num_queries(12):
        response = client.get(members_url(world))
    assert response.status_code == 200
    assert len(response.context["memberships"]) == 4
    assert ("Lid toevoegen" in response.text) == (role == "owner")


def test_outsider_and_anonymous(world, login):
    assert login(world.outsider).get(members_url(world)).status_code == 404
    assert login(None).get(members_url(world)).status_code == 302


def test_owner_adds_a_colleague(world, login, colleague):
    add = reverse("algorithms:member_add", args=[world.algorithm.slug])
    response = login(world.owner).post(add, {"user": colleague.pk, "role": "contributor"})
    assert response.status_code == 302
    assert response.url == members_url(world)
    m = world.algorithm.memberships.get(user=colleague)
    assert m.role == "contributor"
    entry = AuditEntry.objects.for_object(m).get()
    assert entry.action == "member_added"
    assert entry.changes == {"user": [None, "Cor Collega"], "role": [None, "contributor"]}


@pytest.mark.parametrize(
    ("username", "message"),
    [
        (None, "bestaat niet"),
        ("outsider", "hoort niet bij"),
        ("viewer", "al lid"),
    ],
)
def test_add_refuses_unknown_foreign_and_existing_users(world, login, username, message):
    add = reverse("algorithms:member_add", args=[world.algorithm.slug])
    pk = world.users[username].pk if username else 999_999
    response = login(world.owner).post(add, {"user": pk, "role": "viewer"})
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["user"])
    assert message in response.text  # told above the search, not in a hidden field
    assert world.algorithm.memberships.count() == 4


def test_owner_changes_a_role(world, login):
    m = membership(world, "viewer")
    response = login(world.owner).post(role_url(world, m), {"role": "approver"})
    assert response.status_code == 302
    m.refresh_from_db()
    assert m.role == "approver"
    entry = AuditEntry.objects.for_object(m).get(action="member_role_changed")
    assert entry.changes["role"] == ["viewer", "approver"]


def test_owner_removes_a_member_with_audit(world, login):
    m = membership(world, "contributor")
    response = login(world.owner).post(remove_url(world, m))
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=m.pk).exists()
    entry = AuditEntry.objects.get(action="member_removed")
    assert entry.object_id == str(m.pk)
    assert entry.changes["user"] == ["contributor", None]


def test_last_owner_cannot_be_demoted_or_removed(world, login):
    m = membership(world, "owner")
    client = login(world.owner)
    response = client.post(role_url(world, m), {"role": "viewer"})
    assert response.status_code == 409
    assert "laatste eigenaar" in response.text
    response = client.post(remove_url(world, m))
    assert response.status_code == 409
    m.refresh_from_db()
    assert m.role == "owner"
    assert not AuditEntry.objects.filter(action__startswith="member_").exists()


def test_an_owner_can_leave_when_another_owner_remains(world, login):
    Membership.objects.filter(pk=membership(world, "approver").pk).update(role="owner")
    m = membership(world, "owner")
    assert login(world.owner).post(remove_url(world, m)).status_code == 302
    assert not Membership.objects.filter(pk=m.pk).exists()


def test_membership_of_another_algorithm_is_404(world, login):
    other = make_algorithm(world.algorithm.organisation)
    foreign = add_member(other, make_user("ander"), "viewer")
    response = login(world.owner).post(remove_url(world, foreign))
    assert response.status_code == 404
    assert Membership.objects.filter(pk=foreign.pk).exists()


@pytest.mark.parametrize(("role", "status"), REFUSED)
def test_member_changes_refused(world, login, colleague, role, status):
    client = login(world.users[role])
    add = reverse("algorithms:member_add", args=[world.algorithm.slug])
    target = membership(world, "viewer")
    assert client.post(add, {"user": colleague.pk, "role": "owner"}).status_code == status
    assert client.post(role_url(world, target), {"role": "owner"}).status_code == status
    assert client.post(remove_url(world, target)).status_code == status
    target.refresh_from_db()
    assert target.role == "viewer"
    assert world.algorithm.memberships.count() == 4


def test_member_changes_need_post(world, login):
    m = membership(world, "viewer")
    assert login(world.owner).get(remove_url(world, m)).status_code == 405


def test_owner_finds_colleagues_by_name_or_email(world, login, colleague):
    other = make_user("anna", first_name="Anna", last_name="Akkoord", email="a.akkoord@gem.nl")
    OrganisationMembership.objects.create(organisation=world.algorithm.organisation, user=other)
    client = login(world.owner)
    by_name = client.get(members_url(world), {"zoek": "anna akk"})
    assert [u.pk for u in by_name.context["candidates"]] == [other.pk]
    assert "Anna Akkoord toevoegen" in by_name.text
    by_email = client.get(members_url(world), {"zoek": "gemeente.nl"})
    assert [u.pk for u in by_email.context["candidates"]] == [colleague.pk]
    # members and people of another organisation are never offered
    assert client.get(members_url(world), {"zoek": "viewer"}).context["candidates"] == []
    assert client.get(members_url(world), {"zoek": "outsider"}).context["candidates"] == []


def test_search_results_alone_for_htmx_and_not_for_readers(world, login, colleague):
    headers = {"HX-Request": "true", "HX-Target": "kandidaten"}
    partial = login(world.owner).get(members_url(world), {"zoek": "cor"}, headers=headers)
    assert partial.text.lstrip().startswith('<div id="kandidaten"')
    assert "Cor Collega toevoegen" in partial.text
    assert "<table" not in partial.text
    reader = login(world.viewer).get(members_url(world), {"zoek": "cor"}, headers=headers)
    assert "Cor Collega" not in reader.text
    assert reader.context["candidates"] == []


def test_members_shown_by_name_not_username(world, login, colleague):
    add_member(world.algorithm, colleague, "viewer")
    html = login(world.owner).get(members_url(world)).text
    assert "Cor Collega" in html
    assert "(collega)" not in html
