"""The list, detail, edit and not-applicable pages, for every role."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.world import add_member, make_algorithm, make_catalog_item, make_organisation, make_user
from tracker.algorithms.models import Algorithm
from tracker.audit.models import AuditEntry
from tracker.checklist import sync
from tracker.checklist.models import ChecklistItem

pytestmark = pytest.mark.django_db
READERS = ("viewer", "contributor", "approver", "owner", "portfolio")


def url(name: str, algorithm: Algorithm) -> str:
    return reverse(f"algorithms:{name}", args=[algorithm.slug])


# --- list -------------------------------------------------------------------


def test_list_needs_login(client):
    response = client.get(reverse("algorithms:list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    ("role", "shown"),
    [
        ("viewer", "Lezer"),
        ("contributor", "Bijdrager"),
        ("approver", "Accordeerder"),
        ("owner", "Eigenaar"),
        ("portfolio", "Portfoliokijker"),
    ],
)
def test_list_shows_role_and_progress(world, login, role, shown):
    ChecklistItem.objects.filter(pk=world.item.pk).update(status="done")
    response = login(world.users[role]).get(reverse("algorithms:list"))
    assert response.status_code == 200
    [algorithm] = response.context["algorithms"]
    assert algorithm == world.algorithm
    assert algorithm.user_role == shown
    assert (algorithm.progress.ready, algorithm.progress.total) == (1, 1)
    assert "100% gereed (1 van 1)" in response.text


def test_list_hides_other_algorithms(world, login):
    response = login(world.outsider).get(reverse("algorithms:list"))
    assert response.status_code == 200
    assert list(response.context["algorithms"]) == []
    assert world.algorithm.name not in response.text


def _algorithms_for(user, count: int) -> None:
    organisation = make_organisation()
    for n in range(count):
        algorithm = make_algorithm(organisation)
        add_member(algorithm, user, "contributor")
        for status in ("done", "open", "in_progress"):
            ChecklistItem.objects.create(
                algorithm=algorithm,
                catalog_item=_item(algorithm.release, f"{n}-{status}"),
                status=status,
            )


def _item(release, suffix):
    return make_catalog_item(release, code=f"mtr-{suffix}")


def test_list_query_count_does_not_grow(login, django_assert_num_queries):
    few, many = make_user("few"), make_user("many")
    _algorithms_for(few, 3)
    _algorithms_for(many, 15)
    counts = []
    for user, expected in ((few, 3), (many, 15)):
        client = login(user)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("algorithms:list"))
        assert len(response.context["algorithms"]) == expected
        assert response.text.count("33% gereed (1 van 3)") == expected
        counts.append(len(queries))
    assert counts[0] == counts[1]
    client = login(many)
    with django_assert_num_queries(counts[0]):
        client.get(reverse("algorithms:list"))


# --- detail -------------------------------------------------------------------


@pytest.mark.parametrize("role", READERS)
def test_detail_for_readers(world, login, role):
    world.algorithm.is_ai_system = True
    world.algorithm.soort_toepassing = "ai-systeem"
    world.algorithm.risicogroep = "hoog-risico-ai-systeem"
    world.algorithm.rol_ai_act = ["gebruiksverantwoordelijke", "aanbieder"]
    world.algorithm.save()
    response = login(world.users[role]).get(url("detail", world.algorithm))
    assert response.status_code == 200
    assert "Hoog-risico-AI-systeem" in response.text
    assert "Gebruiksverantwoordelijke, Aanbieder" in response.text
    assert world.algorithm.organisation.name in response.text
    assert "0% gereed (0 van 1)" in response.text
    assert (url("edit", world.algorithm) in response.text) == (role == "owner")


def test_detail_refused(world, login):
    assert login(world.outsider).get(url("detail", world.algorithm)).status_code == 404
    response = login(None).get(url("detail", world.algorithm))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# --- edit -----------------------------------------------------------------


def test_edit_by_owner(world, login):
    client = login(world.owner)
    assert client.get(url("edit", world.algorithm)).status_code == 200
    response = client.post(
        url("edit", world.algorithm),
        {"name": "  Nieuwe   naam ", "description": "Uitleg", "version": 1},
    )
    assert response.status_code == 302
    assert response.url == url("detail", world.algorithm)
    world.algorithm.refresh_from_db()
    assert (world.algorithm.name, world.algorithm.description) == ("Nieuwe naam", "Uitleg")
    assert world.algorithm.version == 2
    entry = AuditEntry.objects.for_object(world.algorithm).get(action="updated")
    assert entry.changes["name"] == ["Toeslagen-risicomodel", "Nieuwe naam"]
    assert entry.actor == world.owner


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("viewer", 403),
        ("contributor", 403),
        ("approver", 403),
        ("portfolio", 403),
        ("outsider", 404),
    ],
)
def test_edit_refused(world, login, role, status):
    client = login(world.users[role])
    assert client.get(url("edit", world.algorithm)).status_code == status
    response = client.post(url("edit", world.algorithm), {"name": "X", "version": 1})
    assert response.status_code == status
    world.algorithm.refresh_from_db()
    assert world.algorithm.name == "Toeslagen-risicomodel"


def test_edit_anonymous_redirects_to_login(world, login):
    response = login(None).post(url("edit", world.algorithm), {"name": "X", "version": 1})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_stale_edit_is_refused_and_shows_what_changed(world, login):
    first, second = login(world.owner), login(world.owner)
    assert (
        first.post(url("edit", world.algorithm), {"name": "Eerste", "version": 1}).status_code
        == 302
    )
    response = second.post(url("edit", world.algorithm), {"name": "Tweede", "version": 1})
    assert response.status_code == 409
    assert "Niet opgeslagen" in response.text
    assert "naam: Toeslagen-risicomodel → Eerste" in response.text
    world.algorithm.refresh_from_db()
    assert world.algorithm.name == "Eerste"
    assert world.algorithm.version == 2
    # The form now carries the current version: a deliberate second save goes through.
    assert response.context["form"]["version"].value() == "2"


def test_edit_without_changes_keeps_the_version(world, login):
    data = {"name": world.algorithm.name, "description": "", "version": 1}
    assert login(world.owner).post(url("edit", world.algorithm), data).status_code == 302
    world.algorithm.refresh_from_db()
    assert world.algorithm.version == 1
    assert not AuditEntry.objects.for_object(world.algorithm).exists()


# --- not applicable ---------------------------------------------------------


@pytest.mark.parametrize("role", READERS)
def test_not_applicable_lists_reasons_and_retired_items(world, login, role):
    sync.sync(world.algorithm, world.owner, "Start")  # retires the world's item (other release)
    response = login(world.users[role]).get(url("not_applicable", world.algorithm))
    assert response.status_code == 200
    codes = [judged.item.code for judged in response.context["not_applicable"]]
    assert codes == ["aia-09", "imp-01", "gl-01", "gl-06"]
    assert "Geen AI-systeem: AI-verordening (aia) is niet van toepassing" in response.text
    assert "Criterium voor de stap productie; stap van het algoritme: pilot" in response.text
    [retired] = response.context["retired"]
    assert retired == world.item
    assert "Algoritme geregistreerd" not in response.text
    assert "Start: Hoort bij release" in response.text


def test_not_applicable_refused(world, login):
    assert login(world.outsider).get(url("not_applicable", world.algorithm)).status_code == 404
    assert login(None).get(url("not_applicable", world.algorithm)).status_code == 302
