"""The load test's own parts: it reads the forms the pages really render, and its
lost-write check notices a write that is not in the audit trail."""

import time

import pytest
from django.urls import reverse

from loadtest.client import Stats, page_forms
from loadtest.world import check_writes
from tests.world import make_world
from tracker.checklist import actions
from tracker.checklist.models import ChecklistItem

pytestmark = pytest.mark.django_db


def test_the_item_page_forms_are_read_as_a_browser_submits_them(client):
    world = make_world()
    client.force_login(world.contributor)
    html = client.get(reverse("checklist:item", args=[world.algorithm.slug, world.item.pk]))
    forms = page_forms(html.text)
    assert set(forms) == {"bijwerken", "opmerking", "toevoegen"}
    assert "/bewijs/" in forms["toevoegen"].action
    assert forms["toevoegen"].fields["kind"] == "file"  # the checked radio
    update = forms["bijwerken"]
    assert update.fields["version"] == "1"
    assert update.fields["status"] == ChecklistItem.Status.OPEN
    assert ChecklistItem.Status.DONE in update.options["status"]
    assert str(world.contributor.pk) in update.options["owner"]
    assert update.fields["csrfmiddlewaretoken"]


def test_the_lost_write_check_finds_accepted_writes_in_the_trail_and_misses_nothing():
    world = make_world()
    item = world.item
    actions.update_item(
        item, world.contributor, expected_version=1, status=ChecklistItem.Status.DONE
    )
    stats = Stats()
    accepted = {"user": "contributor", "item": item.pk, "version": 1, "changes": {"status": "done"}}
    stats.note("updates", accepted)
    stats.note("stale", {"item": item.pk, "version": 1, "at": time.time()})
    assert check_writes(stats) == []

    stats.note("updates", {**accepted, "version": 2})  # "accepted", but never written
    stats.note("stale", {"item": item.pk, "version": 2, "at": time.time()})  # not stale
    stats.note("created", {"what": "comment", "token": "lt-nergens", "user": "x", "item": 1})
    problems = check_writes(stats)
    assert any(p.startswith("lost write") for p in problems)
    assert any(p.startswith("409 on a form that was not stale") for p in problems)
    assert any(p.startswith("lost comments") for p in problems)
