"""No dead end at the pilot decision: whoever cannot decide is told who can (by name),
and how to get that role (the owner gives it on the members page)."""

import pytest
from django.urls import reverse

from tests.pilots.helpers import make_pilot

pytestmark = pytest.mark.django_db


def page(world, login, role: str) -> str:
    return login(world.users[role]).get(reverse("pilots:detail", args=[world.algorithm.slug])).text


def test_owner_is_told_who_decides_and_where_to_appoint_one(world, login):
    world.approver.first_name, world.approver.last_name = "Anna", "Akkoord"
    world.approver.save()
    make_pilot(world, evaluated=True)
    html = page(world, login, "owner")
    assert "Pilotbesluit vastleggen" not in html  # the owner does not decide
    assert "neemt een accordeerder van dit algoritme: <strong>Anna Akkoord</strong>" in html
    members = reverse("algorithms:members", args=[world.algorithm.slug])
    assert f'href="{members}#lid-toevoegen">Leden</a>' in html


def test_without_an_approver_the_owner_is_named(world, login):
    world.algorithm.memberships.filter(user=world.approver).delete()
    make_pilot(world, evaluated=True)
    html = page(world, login, "contributor")
    assert "dit algoritme heeft er nog geen" in html
    assert "Een eigenaar van het algoritme (owner) geeft die rol" in html


def test_before_the_evaluation_the_next_step_is_offered(world, login):
    make_pilot(world)
    html = page(world, login, "contributor")
    evaluate = reverse("pilots:evaluate", args=[world.algorithm.slug])
    assert f'href="{evaluate}">Pilot evalueren</a>' in html


def test_the_approver_sees_the_form_not_the_hint(world, login):
    make_pilot(world, evaluated=True)
    html = page(world, login, "approver")
    assert "Pilotbesluit vastleggen" in html
    assert "app-who-decides" not in html
